package site_test

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/site"
	"github.com/seamsdev/seams/render/svg"
	"github.com/seamsdev/seams/schema"
)

var (
	rend     *svg.Renderer
	rendOnce sync.Once
)

func renderer(t testing.TB) *svg.Renderer {
	rendOnce.Do(func() {
		r, err := svg.New(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rend = r
	})
	return rend
}

// musicCorpInput builds the MusicCorp site input with a real plan.
func musicCorpInput(t testing.TB) site.Input {
	snap, a := diagramtest.MusicCorp()
	an := diagramtest.Analyse(t, snap, a)
	return site.Input{Analysis: an, Renderer: renderer(t), Workers: 2}
}

func hostileInput(t testing.TB) site.Input {
	snap, a := diagramtest.HostileSchema()
	snap.Usage = hostileUsage(snap, a)
	an := diagramtest.Analyse(t, snap, a)
	return site.Input{Analysis: an, Renderer: renderer(t)}
}

// hostileMarkup closes a script element and opens another.
const hostileMarkup = `</script><script>window.pwned=1</script><img src=x onerror="window.pwned=1">`

// hostileUsage is usage of the hostile schema whose statements, locations,
// roles, notes and evidence carry markup that closes a script element and
// opens another; the first two contexts of a list the roles and the code
// that run them.
func hostileUsage(snap *schema.Snapshot, a *contexts.Assignment) *schema.Usage {
	const h = hostileMarkup
	ctxs := a.Contexts
	a.Info[ctxs[0]].Roles = []string{"role" + h}
	a.Info[ctxs[1]].Code = []string{"b*"}
	// t0 and t1 are in the first and the second context.
	t0 := schema.TableName{Schema: snap.Tables[0].Schema, Name: diagramtest.Hostile[0]}
	t1 := schema.TableName{Schema: snap.Tables[0].Schema, Name: diagramtest.Hostile[1]}
	u := &schema.Usage{
		Sources: []schema.UsageSource{
			{Kind: schema.SourceCode, Location: "src" + h, Available: true, Notes: []string{"note " + h}, Statements: 3, Kept: 3, Rejected: 1},
			{Kind: schema.SourcePgStatStatements, Location: "postgres://db" + h, Notes: []string{"pg_stat_statements is not installed " + h}},
		},
		Statements: []schema.Statement{
			{ID: "code/1" + h, Source: schema.SourceCode, Text: "SELECT '" + h + "' FROM t " + h, Calls: 7, Users: []string{"role" + h},
				Callers: []schema.Caller{{User: "role" + h, Calls: 7}}, Locations: []schema.Location{{File: "a" + h + ".go", Line: 3, Function: "F" + h}},
				Reads: []schema.TableName{t0, t1}, Dynamic: []string{"dyn " + h},
				Columns: []schema.ColumnUse{{Table: t0, Read: []string{"c" + h}}}},
			{ID: "code/2" + h, Source: schema.SourceCode, Text: "UPDATE t SET x = '" + h + "'", Calls: 1,
				Callers: []schema.Caller{{File: "b" + h + ".py", Calls: 1}}, Locations: []schema.Location{{File: "b" + h + ".py", Line: 9}},
				Writes: []schema.TableName{t0}, Columns: []schema.ColumnUse{{Table: t0, Written: []string{"x" + h}}}},
			{ID: "code/3" + h, Source: schema.SourceCode, Text: "SELEC " + h, Calls: 1, Error: "syntax error at " + h,
				Callers: []schema.Caller{{File: "c" + h + ".rb", Calls: 1}}, Locations: []schema.Location{{File: "c" + h + ".rb", Line: 1}}},
		},
		Mappings: []schema.Mapping{{Table: t0, Kind: "JPA @Table" + h, Location: schema.Location{File: "b" + h + ".java", Line: 2}, Known: true}},
		Units: []schema.Unit{{Location: schema.Location{File: "tx" + h + ".go", Line: 5, Function: "Tx" + h},
			Writes: []schema.TableName{t0, t1}, Statements: []string{"code/2" + h}, Evidence: "heuristic " + h}},
		TableIO: []schema.TableIO{{Table: t0, Reads: 5, Writes: 2}},
	}
	u.Normalize()
	return u
}

func TestMusicCorpSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if out := os.Getenv("SEAMS_TEST_OUT"); out != "" {
		dir = filepath.Join(out, "musiccorp-site")
		os.RemoveAll(dir)
		t.Logf("site written to %s", dir)
	}
	in := musicCorpInput(t)
	var calls, last, total int
	in.Progress = func(done, all int) { calls++; last, total = done, all }
	if err := site.Write(context.Background(), dir, in); err != nil {
		t.Fatal(err)
	}
	m := diagram.NewModel(in.Analysis.Ownership, diagram.Options{})
	// One call per job: a page, or a chunk of table pages.
	if want := 6 + len(m.Groups()) + len(m.Tables()); total != want || last != total || calls < 7 || calls > total {
		t.Errorf("progress: %d calls, last %d/%d, want %d pages", calls, last, total, want)
	}
	for _, n := range m.Tables() {
		page := filepath.Join(dir, "tables", diagram.Slug(n)+".html")
		b, err := os.ReadFile(page)
		if err != nil {
			t.Errorf("table %s: %v", n, err)
			continue
		}
		if !strings.Contains(string(b), "<svg") || !strings.Contains(string(b), `id="`+strings.ReplaceAll(diagram.Slug(n), "-", "&#45;")+`"`) {
			t.Errorf("table page %s has no diagram with its node", n)
		}
	}
	index := read(t, dir, "index.html")
	for _, want := range []string{"musiccorp", "Context map", `class="data matrix"`, `class="group fitem"`, `data-target="groups"`, "Extraction order", "coupling.html#"} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q", want)
		}
	}
	orders := read(t, dir, "tables", diagram.Slug(schema.TableName{Schema: "public", Name: "orders"})+".html")
	for _, want := range []string{"orders_shipment_id_fkey", "crossing", "placed_at", "now()", "order_summary", "sales"} {
		if !strings.Contains(orders, want) {
			t.Errorf("orders page lacks %q", want)
		}
	}
	planPage := read(t, dir, "plan.html")
	an := musicCorpInput(t).Analysis
	for _, want := range []string{"ALTER TABLE", `id="groups"`, `id="runs"`, `id="step-1"`, `data-severity="high"`, htmlText(an.Plan.Groups[0].Title)} {
		if !strings.Contains(planPage, want) {
			t.Errorf("plan page lacks %q", want)
		}
	}
	for _, f := range an.Plan.Findings {
		if !strings.Contains(planPage, `<code class="id">`+htmlText(f.ID)+`</code>`) {
			t.Errorf("plan page lacks finding %s", f.ID)
		}
	}
	idx := read(t, dir, "assets", "index.js")
	if !strings.Contains(idx, `"n":"public.orders"`) || !strings.Contains(idx, `"placed_at"`) {
		t.Errorf("search index lacks orders: %.300s", idx)
	}
	checkLinks(t, dir)
}

// htmlText is s as html/template writes it in a page's text.
func htmlText(s string) string {
	return strings.ReplaceAll(template.HTMLEscapeString(s), "+", "&#43;")
}

var reHref = regexp.MustCompile(`(?:href|src)="([^"#]*)(#[^"]*)?"`)

// checkLinks checks that every relative href and src of every page names a
// file of the site.
func checkLinks(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".html") {
			return err
		}
		b, _ := os.ReadFile(path)
		for _, m := range reHref.FindAllStringSubmatch(string(b), -1) {
			u := m[1]
			if u == "" || strings.Contains(u, ":") {
				if strings.HasPrefix(u, "http") || strings.HasPrefix(u, "javascript") {
					t.Errorf("%s links outside the site: %s", path, u)
				}
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(path), u)); err != nil {
				t.Errorf("%s: broken link %s", path, u)
			}
		}
		return nil
	})
}

func read(t *testing.T, parts ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parts...))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHostileSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if out := os.Getenv("SEAMS_TEST_OUT"); out != "" {
		dir = filepath.Join(out, "hostile-site")
		os.RemoveAll(dir)
		t.Logf("site written to %s", dir)
	}
	if err := site.Write(context.Background(), dir, hostileInput(t)); err != nil {
		t.Fatal(err)
	}
	shown := 0
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if rel, _ := filepath.Rel(dir, path); strings.ContainsAny(rel, "<>\"'|{}\\\n") || !isASCII(rel) {
			t.Errorf("unsafe file name %q", rel)
		}
		b, _ := os.ReadFile(path)
		if ext := filepath.Ext(path); ext == ".dot" || ext == ".mmd" {
			return nil // not HTML: their own escaping is tested in render/dot and render/mermaid
		}
		if strings.Contains(string(b), "<script>window.pwned") || strings.Contains(string(b), "<img src=x") {
			t.Errorf("%s contains unescaped hostile markup", path)
		}
		// The hostile statements are shown, as text, in the usage sections.
		if u := section(string(b), "usage"); strings.Contains(u, "SELECT &#39;&lt;/script&gt;&lt;script&gt;window.pwned=1&lt;/script&gt;") {
			shown++
		}
		return nil
	})
	// The pages of the two tables it reads and of the two contexts it touches.
	if shown < 4 {
		t.Errorf("hostile statement shown on %d pages, want at least 4", shown)
	}
	checkLinks(t, dir)
}

func isASCII(s string) bool {
	for _, r := range s {
		if r > 126 {
			return false
		}
	}
	return true
}

func TestBySchema(t *testing.T) {
	snap, _ := diagramtest.MusicCorp()
	dir := filepath.Join(t.TempDir(), "site")
	if err := site.Write(context.Background(), dir, site.Input{Analysis: diagramtest.Analyse(t, snap, contexts.BySchema(snap)), Renderer: renderer(t)}); err != nil {
		t.Fatal(err)
	}
	index := read(t, dir, "index.html")
	if !strings.Contains(index, "schema (no contexts map)") {
		t.Error("site without contexts map is not grouped by schema")
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "contexts", "c-public-*.html")); len(m) != 1 {
		t.Errorf("context page for schema public: %v", m)
	}
	checkLinks(t, dir)
}

func TestAtomic(t *testing.T) {
	in := musicCorpInput(t)
	parent := t.TempDir()
	// A directory that is not a seams site is never written over.
	other := filepath.Join(parent, "other")
	os.Mkdir(other, 0o755)
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o644)
	if err := site.Write(context.Background(), other, in); err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("writing over a foreign directory: err = %v", err)
	}
	if read(t, other, "keep.txt") != "mine" {
		t.Error("foreign directory changed")
	}
	// A failed build leaves nothing behind.
	dir := filepath.Join(parent, "site")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := site.Write(ctx, dir, in); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled build: err = %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("cancelled build left %v", names)
	}
	// A site is replaced by the next one...
	if err := site.Write(context.Background(), dir, in); err != nil {
		t.Fatal(err)
	}
	if err := site.Write(context.Background(), dir, in); err != nil {
		t.Fatal(err)
	}
	// ...unless it holds a file seams did not write (the snapshot it was
	// made from, say): then it is refused and kept.
	os.WriteFile(filepath.Join(dir, "snapshot.json"), []byte("mine"), 0o644)
	if err := site.Write(context.Background(), dir, in); err == nil || !strings.Contains(err.Error(), "files seams did not write (snapshot.json)") {
		t.Errorf("rewrite over a file of the user's: err = %v", err)
	}
	if read(t, dir, "snapshot.json") != "mine" {
		t.Error("the user's file in the site was lost")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 2 {
		t.Errorf("%d entries in parent, want other and site", len(entries))
	}
}

// TestBudgets builds a site whose budgets make one context compact and
// another too large to draw: its page says so and lists its tables.
func TestBudgets(t *testing.T) {
	in := musicCorpInput(t)
	in.CompactAbove, in.MaxTables = 3, 6
	dir := filepath.Join(t.TempDir(), "site")
	if err := site.Write(context.Background(), dir, in); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(dir, "contexts", "*.html"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, c := range []string{"catalog", "customers", "sales"} {
			if strings.Contains(string(b), "<title>Context "+c+" · seams</title>") {
				pages[c] = string(b)
			}
		}
	}
	// catalog: 4 tables + 4 ghosts > 6: not drawn.
	if p := pages["catalog"]; strings.Contains(p, "<svg") || !strings.Contains(p, "it is not drawn") || !strings.Contains(p, "public.artist") {
		t.Errorf("catalog page: want no diagram, the notice and the table list")
	}
	// customers: 2 tables + 3 ghosts: compact, names only.
	if p := pages["customers"]; !strings.Contains(p, "<svg") || !strings.Contains(p, "shows table names only") || strings.Contains(p, "bigint not null") {
		t.Errorf("customers page: want a compact diagram")
	}
	checkLinks(t, dir)
}

// TestProposedContextPage: the context the plan proposes for the MusicCorp
// fixture (customer, the owner of shared mutable data) has a node on the
// context map and a page of its own.
func TestProposedContextPage(t *testing.T) {
	snap, err := schema.ReadFile(filepath.Join("..", "..", "fixtures", "musiccorp", "snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := contexts.Load(filepath.Join("..", "..", "fixtures", "musiccorp", "contexts.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, snap)
	if err != nil {
		t.Fatal(err)
	}
	an := diagramtest.Analyse(t, snap, a)
	dir := filepath.Join(t.TempDir(), "site")
	if err := site.Write(context.Background(), dir, site.Input{Analysis: an, Renderer: renderer(t)}); err != nil {
		t.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "contexts", "c-customer-*.html"))
	if len(pages) != 1 {
		t.Fatalf("pages for the proposed context customer: %v, want one", pages)
	}
	page := read(t, dir, filepath.Join("contexts", filepath.Base(pages[0])))
	if !strings.Contains(page, "public.customer") || !strings.Contains(page, "proposed") {
		t.Errorf("the customer page does not show the table moving to it")
	}
	index := read(t, dir, "index.html")
	if !strings.Contains(index, filepath.Base(pages[0])) || !strings.Contains(index, "proposed") {
		t.Errorf("the index does not link the proposed context")
	}
	// The site counts the contexts as the plan does: the four of the map
	// and the proposed one, not the (static) and (unassigned) groups.
	if want := fmt.Sprintf("contexts map: %d contexts", len(an.Plan.Contexts)); len(an.Plan.Contexts) != 5 || !strings.Contains(index, want) {
		t.Errorf("the index does not say %q (the plan has %d contexts)", want, len(an.Plan.Contexts))
	}
}

// TestScriptLikeNames: a table whose name reads like a script URL is text in
// the diagrams, not a link, and must not stop the site.
func TestScriptLikeNames(t *testing.T) {
	snap := &schema.Snapshot{Format: schema.FormatVersion, Source: schema.Source{Engine: schema.Postgres}, Schemas: []schema.Schema{{Name: "public"}}, Tables: []schema.Table{
		{Schema: "public", Name: "javascript:alert(1)", Kind: schema.KindTable, Columns: []schema.Column{{Name: "id", Type: "int"}}},
		{Schema: "public", Name: "b", Kind: schema.KindTable, Columns: []schema.Column{{Name: "a_id", Type: "int"}},
			ForeignKeys: []schema.ForeignKey{{Name: "data:text/html,x", Columns: []string{"a_id"}, References: schema.TableName{Schema: "public", Name: "javascript:alert(1)"}, RefColumns: []string{"id"}}}},
	}}
	dir := filepath.Join(t.TempDir(), "site")
	if err := site.Write(context.Background(), dir, site.Input{Analysis: diagramtest.Analyse(t, snap, contexts.BySchema(snap)), Renderer: renderer(t)}); err != nil {
		t.Fatalf("site.Write: %v", err)
	}
	if !strings.Contains(read(t, dir, "tables.html"), "javascript:alert(1)") {
		t.Error("the table is not listed")
	}
}
