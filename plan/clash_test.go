package plan_test

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// TestNameClashLeftOut: a context whose tables come from two schemas that
// both hold a table of one name can move only one of them into its own
// schema. The step says which table it left out and why, and the service
// step does not claim that all the context's tables moved.
func TestNameClashLeftOut(t *testing.T) {
	s := snap(table("json_dump.control", "id"), table("json_dump.artist_json", "id"), table("sitemaps.control", "id"),
		table("sitemaps.tmp", "id"), table("album", "id"))
	s.Schemas = []schema.Schema{{Name: "app"}, {Name: "json_dump"}, {Name: "sitemaps"}}
	p := build(t, s, "ops: json_dump.control, json_dump.artist_json, sitemaps.control, sitemaps.tmp; catalog: album")
	var sep, svc string
	for _, st := range p.Steps {
		text := st.Title + "\n" + st.Why + "\n" + strings.Join(st.AppWork, "\n") + "\n" + strings.Join(st.Notes, "\n")
		switch st.Slug {
		case "separate_ops":
			sep = text
			for _, up := range st.Up {
				if strings.Contains(up, `"sitemaps"."control"`) {
					t.Errorf("separate_ops moves the clashing table: %s", up)
				}
			}
		case "service_ops":
			svc = text
		}
	}
	if !strings.Contains(sep, "sitemaps.control is left out: ops.control already exists (json_dump.control moves there)") {
		t.Errorf("separate_ops does not say what it left out and why:\n%s", sep)
	}
	if !strings.Contains(svc, "except sitemaps.control (step 1)") || strings.Contains(svc, "Its tables are in ops and") {
		t.Errorf("service_ops claims every table moved:\n%s", svc)
	}
	if !strings.Contains(strings.Join(p.Warnings, "\n"), "sitemaps.control is left out") {
		t.Errorf("warnings %q", p.Warnings)
	}
}
