package site_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/site"
	"github.com/seamsdev/seams/schema"
)

// TestControlCharacterNames: names with an escape sequence, a bell, a
// carriage return and a right-to-left override reach no page raw; they are
// shown escaped, and the plan's SQL names the tables exactly in printable
// text (a raw carriage return would be copied back as a line feed).
func TestControlCharacterNames(t *testing.T) {
	const s = "app"
	names := []string{"esc\x1b[31m", "bell\a", "c\rr", "rlo\u202egnp"}
	var tables []schema.Table
	for i, n := range names {
		tb := schema.Table{Schema: s, Name: n, Kind: schema.KindTable,
			Columns:    []schema.Column{{Name: "id", Type: "integer"}, {Name: "ref\r" + n, Type: "integer", Nullable: true}},
			PrimaryKey: &schema.Key{Name: n + "_pk", Columns: []string{"id"}}}
		if i > 0 {
			tb.ForeignKeys = []schema.ForeignKey{{Name: "fk\r" + n, Columns: []string{"ref\r" + n}, References: schema.TableName{Schema: s, Name: names[i-1]},
				RefColumns: []string{"id"}, OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true}}
		}
		tables = append(tables, tb)
	}
	snap := &schema.Snapshot{Format: schema.FormatVersion, Schemas: []schema.Schema{{Name: s}}, Tables: tables,
		Source: schema.Source{Engine: schema.Postgres, Database: "db\r", CapturedAt: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}}
	snap.Normalize()
	a := diagramtest.Assign(map[string][]string{"ctx\u202ea": names[:2], "ctx\rb": names[2:]}, []string{"ctx\u202ea", "ctx\rb"}, s)
	an := diagramtest.Analyse(t, snap, a)
	dir := filepath.Join(t.TempDir(), "site")
	if err := site.Write(context.Background(), dir, site.Input{Analysis: an, Renderer: renderer(t)}); err != nil {
		t.Fatal(err)
	}
	pages := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext != ".html" && ext != ".js" {
			return nil // .dot and .mmd are diagram sources, escaped by their writers
		}
		pages++
		b, _ := os.ReadFile(path)
		for i, r := range string(b) {
			if r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
				rel, _ := filepath.Rel(dir, path)
				t.Errorf("%s: raw %U at byte %d: %q", rel, r, i, string(b)[max(0, i-40):min(len(b), i+40)])
				break
			}
		}
		return nil
	})
	if pages < 8 {
		t.Errorf("%d pages checked", pages)
	}
	planPage := read(t, dir, "plan.html")
	if !strings.Contains(planPage, `U&amp;&#34;c\000Dr&#34;`) && !strings.Contains(planPage, `U&amp;&quot;c\000Dr&quot;`) {
		t.Errorf("plan.html does not name table c\\rr as U&\"c\\000Dr\":\n%s", section(planPage, "main"))
	}
	index := read(t, dir, "index.html")
	if !strings.Contains(index, `ctx\u202ea`) || !strings.Contains(index, `ctx\x0db`) {
		t.Errorf("index.html does not show the contexts' names escaped")
	}
}
