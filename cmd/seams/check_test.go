package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/sariftest"
	"github.com/seamsdev/seams/schema"
)

// changedSnapshot writes the MusicCorp snapshot with change applied into
// dir and returns its path.
func changedSnapshot(t *testing.T, dir, name string, change func(*schema.Snapshot)) string {
	t.Helper()
	s, err := schema.ReadFile(fixtureSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	change(s)
	path := filepath.Join(dir, name)
	if err := s.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// addInvoiceCustomerFK adds a foreign key from finance's invoice to the
// customer table, which the plan gives to a new customer context.
func addInvoiceCustomerFK(s *schema.Snapshot) {
	for i := range s.Tables {
		if t := &s.Tables[i]; t.Name == "invoice" {
			t.Columns = append(t.Columns, schema.Column{Name: "customer_id", Type: "integer", Nullable: true})
			t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: "invoice_customer_fk", Columns: []string{"customer_id"},
				References: schema.TableName{Schema: "public", Name: "customer"}, RefColumns: []string{"customer_id"},
				OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true})
		}
	}
}

// TestCheckFlow walks the life of a baseline: created with --accept, a
// new crossing foreign key fails the check with exactly that finding, the
// baseline is not changed without --accept, and the key's removal passes.
func TestCheckFlow(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	base := filepath.Join(dir, "seams-baseline.json")
	args := func(snap string, more ...string) []string {
		return append([]string{"check", "--snapshot", snap, "--contexts", fixtureContexts, "--baseline", base}, more...)
	}
	code, _, stderr := seams(t, args(fixtureSnapshot, "--update-baseline", "--accept")...)
	if code != exitOK || !strings.Contains(stderr, "21 findings (21 added)") {
		t.Fatalf("creating the baseline: exit %d, %s", code, stderr)
	}
	created, _ := os.ReadFile(base)

	code, stdout, _ := seams(t, args(fixtureSnapshot)...)
	if code != exitOK || !strings.HasPrefix(stdout, "seams check PASSED: nothing new\n") {
		t.Fatalf("unchanged schema: exit %d\n%s", code, stdout)
	}

	added := changedSnapshot(t, dir, "added.json", addInvoiceCustomerFK)
	code, stdout, stderr = seams(t, args(added, "--format", "json")...)
	if code != exitCheckFailed || strings.TrimSpace(stderr) != "seams: check failed: 1 new finding" {
		t.Fatalf("added key: exit %d, stderr %q", code, stderr)
	}
	var r check.Result
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.New) != 1 || r.New[0].Key != "fk:public.invoice(customer_id)->public.customer(customer_id)" || len(r.Fixed) != 0 {
		t.Fatalf("new %+v, fixed %+v", r.New, r.Fixed)
	}
	if l := r.New[0].Locations; len(l) == 0 || l[0].String() != filepath.Clean(fixtureContexts)+":24:9" {
		t.Errorf("located at %+v", l)
	}
	// --update-baseline without --accept adds nothing and still fails.
	code, _, stderr = seams(t, args(added, "--update-baseline")...)
	if code != exitCheckFailed || !strings.Contains(stderr, "1 new not added: pass --accept to add them") {
		t.Errorf("update without accept: exit %d, %s", code, stderr)
	}
	if now, _ := os.ReadFile(base); string(now) != string(created) {
		t.Error("the baseline changed without --accept")
	}

	// A crossing key dropped: progress, and --update-baseline prunes it.
	dropped := changedSnapshot(t, dir, "dropped.json", func(s *schema.Snapshot) {
		for i := range s.Tables {
			if t := &s.Tables[i]; t.Name == "order_line" {
				t.ForeignKeys = nil
			}
		}
	})
	code, stdout, _ = seams(t, args(dropped)...)
	if code != exitOK || !strings.Contains(stdout, "FIXED since the baseline") || !strings.Contains(stdout, "fk:public.order_line(line_item_id)->public.line_item(line_item_id)") {
		t.Fatalf("dropped key: exit %d\n%s", code, stdout)
	}
	code, _, stderr = seams(t, args(dropped, "--update-baseline", "--report", "sarif=out.sarif", "--report", "junit=out.xml")...)
	if code != exitOK || !strings.Contains(stderr, "20 findings (1 fixed removed: fk:public.order_line(line_item_id)->public.line_item(line_item_id))") {
		t.Fatalf("pruning: exit %d, %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "out.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	sariftest.Validate(t, data)
	if _, err := os.Stat(filepath.Join(dir, "out.xml")); err != nil {
		t.Error(err)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte("{\"format\": 1,\n \"findings\": [}"), 0o644)
	in := []string{"check", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"accept alone", []string{"--accept"}, "seams: --accept adds the new findings to the baseline: it needs --update-baseline"},
		{"update without baseline", []string{"--update-baseline"}, "seams: --update-baseline needs --baseline FILE"},
		{"unknown format", []string{"--format", "html"}, `seams: --format "html": want text, json, sarif, junit, github, markdown`},
		{"bad report", []string{"--report", "sarif"}, `seams: --report "sarif": want FORMAT=FILE, e.g. sarif=seams.sarif`},
		{"unknown report format", []string{"--report", "xml=x"}, `seams: --report "xml=x": unknown format "xml"`},
		{"missing baseline", []string{"--baseline", filepath.Join(dir, "none.json")}, "seams: baseline " + filepath.Join(dir, "none.json") + " does not exist: create it with --update-baseline --accept, and review it"},
		{"malformed baseline", []string{"--baseline", bad}, "seams: " + bad + ":2:15: not a seams baseline: invalid character '}' looking for beginning of value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := seams(t, append(in, tt.args...)...)
			if code != exitUsage || !strings.HasPrefix(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want %d, %q", code, stderr, stdout, exitUsage, tt.want)
			}
		})
	}
}

// TestCheckWritesNothingOnError: a report into a directory that does not
// exist stops the run before any file, the baseline included, is written.
func TestCheckWritesNothingOnError(t *testing.T) {
	dir := t.TempDir()
	base := filepath.Join(dir, "b.json")
	code, _, stderr := seams(t, "check", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--baseline", base,
		"--update-baseline", "--accept", "--report", "sarif="+filepath.Join(dir, "no", "x.sarif"))
	if code != exitFailure || !strings.Contains(stderr, "does not exist") {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(base); err == nil {
		t.Error("the baseline was written")
	}
}

// TestCheckSchemaFile: read from a DDL file, a new crossing foreign key
// points at the line of the file that adds it, then at its contexts map
// entry; the SARIF log says so and validates.
func TestCheckSchemaFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	ddl := filepath.Join(dir, "schema.sql")
	if err := os.WriteFile(ddl, []byte(musiccorp.PostgresSQL), 0o644); err != nil {
		t.Fatal(err)
	}
	in := []string{"check", "--schema-file", "schema.sql", "--contexts", fixtureContexts, "--baseline", "b.json"}
	if code, _, stderr := seams(t, append(in, "--update-baseline", "--accept")...); code != exitOK {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	lines := strings.Count(musiccorp.PostgresSQL, "\n")
	added := musiccorp.PostgresSQL + "\nALTER TABLE invoice ADD COLUMN customer_id bigint;\nALTER TABLE invoice ADD CONSTRAINT invoice_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (customer_id);\n"
	if err := os.WriteFile(ddl, []byte(added), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := seams(t, append(in, "--format", "json", "--report", "sarif=s.sarif")...)
	if code != exitCheckFailed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r check.Result
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.New) != 1 || len(r.New[0].Locations) < 2 {
		t.Fatalf("new %+v", r.New)
	}
	if l := r.New[0].Locations[0]; l.File != "schema.sql" || l.Line != lines+3 || l.What != "foreign key invoice_customer_fk of public.invoice" {
		t.Errorf("first location %+v, want schema.sql:%d, the foreign key", l, lines+3)
	}
	if !slices.ContainsFunc(r.New[0].Locations, func(l check.Location) bool { return l.File == filepath.Clean(fixtureContexts) && l.Line == 24 }) {
		t.Errorf("locations %+v, want the map's invoice entry among them", r.New[0].Locations)
	}
	data, err := os.ReadFile("s.sarif")
	if err != nil {
		t.Fatal(err)
	}
	sariftest.Validate(t, data)
	if !strings.Contains(string(data), `"uri": "schema.sql"`) {
		t.Error("the SARIF result does not point at the schema file")
	}
}
