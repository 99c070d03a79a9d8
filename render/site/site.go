// Package site writes the static HTML site of a snapshot: an overview with
// the context map and the coupling matrix, one page per context and per
// table with their diagrams, the plan, and a search box. When the snapshot
// holds usage, the table and context pages show who reads and writes which
// table and the overview summarises the usage sources. The site works
// from the file system (file://) with no server and no network: the
// diagrams are inline SVG, the search index is a script, not a fetch.
//
// Every name from the database goes through html/template; the plan's
// Markdown is converted with raw HTML disabled. The site is written to a
// temporary directory and renamed into place at the end, so a failure never
// leaves a half-written site.
package site

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/dot"
	"github.com/seamsdev/seams/render/mermaid"
	"github.com/seamsdev/seams/render/summary"
	"github.com/seamsdev/seams/render/svg"
	"github.com/seamsdev/seams/schema"
)

//go:embed assets/style.css assets/search.js templates/*.html
var files embed.FS

// marker is the file that identifies a directory as a seams site, so that
// Write replaces only its own output.
const marker = ".seams-site"

// Input is what the site shows and how it is built.
type Input struct {
	Snapshot *schema.Snapshot
	// Assignment groups the tables; nil groups them by schema.
	Assignment *contexts.Assignment
	// Plan is the refactoring plan; nil leaves out findings, the order and
	// the cycles marked on the context map.
	Plan *plan.Plan
	// PlanMarkdown is the plan as render/markdown writes it, shown on the
	// plan page.
	PlanMarkdown string
	// Inferred are references that the database does not declare.
	Inferred []dot.Edge
	// CompactAbove and MaxTables are the diagram budgets (see render/dot);
	// zero means the defaults.
	CompactAbove, MaxTables int
	// Depth is the neighbourhood depth of the table pages' diagrams; zero
	// means 1.
	Depth int
	// Workers is the number of pages built at once; zero means the number
	// of CPUs.
	Workers int
	// Progress, when set, is called after each page with the pages done and
	// the total.
	Progress func(done, total int)
	// Renderer renders the diagrams; nil means a new one for this call.
	Renderer *svg.Renderer
}

// Write writes the site into dir. dir must not exist, be empty, or hold a
// site written by Write, which is replaced.
func Write(ctx context.Context, dir string, in Input) (err error) {
	if in.Snapshot == nil {
		return errors.New("site: no snapshot")
	}
	if err := checkTarget(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(filepath.Clean(dir)), 0o755); err != nil {
		return fmt.Errorf("site: %w", err)
	}
	r := in.Renderer
	if r == nil {
		if r, err = svg.New(ctx); err != nil {
			return err
		}
		defer r.Close()
	}
	err = atomicfile.BuildDir(dir, func(tmp string) error {
		b, err := newBuilder(tmp, in, r)
		if err != nil {
			return err
		}
		return b.run(ctx)
	})
	if err != nil && !strings.HasPrefix(err.Error(), "site: ") {
		return fmt.Errorf("site: %w", err)
	}
	return err
}

// checkTarget refuses to write over a directory that is not a seams site.
func checkTarget(dir string) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("site: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, marker)); err != nil {
		return fmt.Errorf("site: %s is not empty and holds no seams site: refusing to write over it", dir)
	}
	return nil
}

// siteInfo is shown in every page's header and footer.
type siteInfo struct {
	Database, Engine, Version, Captured string
}

// pageData is what the layout template receives.
type pageData struct {
	Root  string
	Title string
	Site  *siteInfo
	Body  any
}

type builder struct {
	dir   string
	in    Input
	m     *dot.Model
	r     *svg.Renderer
	info  *siteInfo
	tmpl  map[string]*template.Template
	depth int
	// findings by table and by context
	byTable   map[schema.TableName][]plan.Finding
	byContext map[string][]plan.Finding
	ctxFiles  map[string]string
	// usage is the snapshot's usage indexed by table and context; nil
	// when the snapshot holds none.
	usage *usageIndex
	// views and triggers by the tables they use, built once by lookup.
	lkMu     sync.Mutex
	lk       *schema.Lookup
	views    map[schema.TableName][]*schema.View
	triggers map[schema.TableName][]*schema.Trigger
}

func newBuilder(dir string, in Input, r *svg.Renderer) (*builder, error) {
	b := &builder{dir: dir, in: in, r: r, depth: cmp.Or(in.Depth, 1),
		byTable: map[schema.TableName][]plan.Finding{}, byContext: map[string][]plan.Finding{}, ctxFiles: map[string]string{}}
	s := in.Snapshot
	b.usage = newUsageIndex(s.Usage)
	b.info = &siteInfo{Database: s.Source.Database, Engine: string(s.Source.Engine), Version: s.Source.SeamsVersion}
	if !s.Source.CapturedAt.IsZero() {
		b.info.Captured = s.Source.CapturedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	b.m = dot.NewModel(s, in.Assignment, dot.Options{
		CompactAbove: in.CompactAbove, MaxTables: in.MaxTables, Inferred: in.Inferred,
		Cycles: cyclesOf(in.Plan), Views: true, Proposed: dot.ProposedContexts(in.Plan),
	})
	for _, c := range b.contexts() {
		b.ctxFiles[c] = "contexts/" + dot.SlugOf("c", c) + ".html"
	}
	if in.Plan != nil {
		for _, f := range in.Plan.Findings {
			seen := map[schema.TableName]bool{}
			for _, o := range f.Objects {
				n := schema.TableName{Schema: o.Schema, Name: o.Name}
				if o.Table != "" {
					n.Name = o.Table
				}
				if !seen[n] {
					seen[n] = true
					b.byTable[n] = append(b.byTable[n], f)
				}
			}
			for _, c := range f.Contexts {
				b.byContext[c] = append(b.byContext[c], f)
			}
		}
	}
	funcs := template.FuncMap{"inc": func(i int) int { return i + 1 }}
	b.tmpl = map[string]*template.Template{}
	for _, name := range []string{"index", "context", "table", "coupling", "plan", "tables"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("site: template %s: %w", name, err)
		}
		b.tmpl[name] = t
	}
	return b, nil
}

// contexts returns the contexts that get a page: the map's (or the
// schemas'), then the ones the plan proposes.
func (b *builder) contexts() []string {
	return append(slices.Clip(b.m.Groups()), b.m.Proposed()...)
}

// members returns the tables of a context, or of a proposed context the
// tables that move to it.
func (b *builder) members(c string) []schema.TableName {
	if ms := b.m.Members(c); len(ms) > 0 {
		return ms
	}
	return b.m.Moving(c)
}

// cyclesOf returns the plan's cycles between contexts, to mark on the
// context map; none without a plan.
func cyclesOf(p *plan.Plan) [][]string {
	if p == nil {
		return nil
	}
	return p.Cycles
}

func tableFile(n schema.TableName) string { return "tables/" + dot.Slug(n) + ".html" }

// run builds every page with a pool of workers.
func (b *builder) run(ctx context.Context) error {
	for _, d := range []string{"assets", "contexts", "tables"} {
		if err := os.Mkdir(filepath.Join(b.dir, d), 0o755); err != nil {
			return fmt.Errorf("site: %w", err)
		}
	}
	jobs := []func() error{b.assets, func() error { return b.index(ctx) }, b.coupling, b.planPage, b.tablesPage}
	for _, c := range b.contexts() {
		jobs = append(jobs, func() error { return b.contextPage(ctx, c) })
	}
	for _, n := range b.m.Tables() {
		jobs = append(jobs, func() error { return b.tablePage(ctx, n) })
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	workers := cmp.Or(b.in.Workers, runtime.NumCPU())
	next := make(chan func() error)
	var wg sync.WaitGroup
	var done atomic.Int64
	var progressMu sync.Mutex
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range next {
				if ctx.Err() != nil {
					continue
				}
				if err := job(); err != nil {
					cancel(err)
					continue
				}
				d := done.Add(1)
				if b.in.Progress != nil {
					progressMu.Lock()
					b.in.Progress(int(d), len(jobs))
					progressMu.Unlock()
				}
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.dir, marker), []byte("written by seams; this directory is replaced as a whole\n"), 0o644)
}

func (b *builder) write(name, tmpl, title, root string, body any) error {
	var buf bytes.Buffer
	if err := b.tmpl[tmpl].ExecuteTemplate(&buf, "layout", pageData{Root: root, Title: title, Site: b.info, Body: body}); err != nil {
		return fmt.Errorf("site: page %s: %w", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name), buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("site: %w", err)
	}
	return nil
}

// searchItem is one entry of the search index.
type searchItem struct {
	Kind    string   `json:"k"`
	Name    string   `json:"n"`
	URL     string   `json:"u"`
	Extra   string   `json:"x,omitempty"`
	Columns []string `json:"c,omitempty"`
}

func (b *builder) assets() error {
	for _, f := range []string{"style.css", "search.js"} {
		data, err := files.ReadFile("assets/" + f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(b.dir, "assets", f), data, 0o644); err != nil {
			return fmt.Errorf("site: %w", err)
		}
	}
	var items []searchItem
	for _, c := range b.contexts() {
		items = append(items, searchItem{Kind: "context", Name: c, URL: b.ctxFiles[c],
			Extra: fmt.Sprintf("%d tables", len(b.members(c)))})
	}
	for _, n := range b.m.Tables() {
		t := b.m.Table(n)
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = c.Name
		}
		items = append(items, searchItem{Kind: "table", Name: n.String(), URL: tableFile(n), Extra: b.m.Home(n), Columns: cols})
	}
	data, err := json.Marshal(items)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("// Search index of the seams site, loaded as a script because file:// pages cannot fetch.\nwindow.SEAMS_INDEX = ")
	buf.Write(data)
	buf.WriteString(";\n")
	return os.WriteFile(filepath.Join(b.dir, "assets", "index.js"), buf.Bytes(), 0o644)
}

// diagramData is what the "diagram" template shows.
type diagramData struct {
	Kind                            string
	SVG                             template.HTML
	Root                            string
	Tables, CompactAbove, MaxTables int
	Compact, Large, HTMLLegend      bool
	Downloads                       []link
}

type link struct{ Name, URL string }

// activeLink matches a link attribute whose value is a script URL. Names
// from the database appear in the SVG's text, escaped, where "javascript:"
// is harmless; only a link could run it.
var activeLink = regexp.MustCompile(`(?i)\bhref\s*=\s*["']\s*(javascript|data|vbscript):`)

// svgOf renders DOT to SVG and checks that it carries no script.
func (b *builder) svgOf(ctx context.Context, dotText []byte, tables int) (template.HTML, error) {
	var out bytes.Buffer
	if err := b.r.Render(ctx, dotText, svg.LayoutFor(tables), &out); err != nil {
		return "", err
	}
	low := bytes.ToLower(out.Bytes())
	if bytes.Contains(low, []byte("<script")) || bytes.Contains(low, []byte("<foreignobject")) || activeLink.Match(out.Bytes()) {
		return "", errors.New("rendered SVG contains active content; refusing to inline it")
	}
	return template.HTML(out.String()), nil
}

func (b *builder) graphDiagram(ctx context.Context, kind, root string, g *dot.Graph, base string) (diagramData, error) {
	opts := b.m.Options()
	d := diagramData{Kind: kind, Root: root, Tables: g.Tables, CompactAbove: opts.CompactAbove, MaxTables: opts.MaxTables,
		Compact: g.Mode == dot.Compact, Large: g.Tables > 30, HTMLLegend: g.NoLegend}
	if g.Mode == dot.TooLarge {
		return d, nil
	}
	var dt bytes.Buffer
	if err := dot.WriteGraph(&dt, g); err != nil {
		return d, err
	}
	svgText, err := b.svgOf(ctx, dt.Bytes(), g.Tables)
	if err != nil {
		return d, fmt.Errorf("site: diagram of %s: %w", g.Title, err)
	}
	d.SVG = svgText
	if base != "" {
		if err := os.WriteFile(filepath.Join(b.dir, base+".dot"), dt.Bytes(), 0o644); err != nil {
			return d, err
		}
		d.Downloads = append(d.Downloads, link{"DOT", filepath.Base(base) + ".dot"})
		var mm bytes.Buffer
		if err := mermaid.Write(&mm, g); err == nil {
			if err := os.WriteFile(filepath.Join(b.dir, base+".mmd"), mm.Bytes(), 0o644); err != nil {
				return d, err
			}
			d.Downloads = append(d.Downloads, link{"Mermaid", filepath.Base(base) + ".mmd"})
		}
	}
	return d, nil
}

func (b *builder) linkFuncs(root string) (func(schema.TableName) string, func(string) string) {
	return func(n schema.TableName) string { return root + tableFile(n) },
		func(c string) string { return root + b.ctxFiles[c] }
}

// withLinks returns a copy of g whose nodes link to the pages, relative to root.
func (b *builder) withLinks(g *dot.Graph, root string) *dot.Graph {
	c := *g
	c.Link, c.ContextLink = b.linkFuncs(root)
	return &c
}

// --- index ---

type ctxRow struct {
	Name, URL, Owner, Description string
	Tables                        int
}

type cell struct {
	Total       int
	Text, Title string
	Anchor      string
}

type matrixRow struct {
	Name  string
	Cells []cell
}

type sevGroup struct {
	Severity plan.Severity
	Count    int
	Findings []plan.Finding
}

type indexData struct {
	Database, Engine, ServerVersion, Host, Captured string
	BySchema                                        bool
	Counts                                          schema.Counts
	Map                                             diagramData
	Contexts                                        []ctxRow
	Matrix                                          []matrixRow
	Plan                                            *plan.Plan
	Severities                                      []sevGroup
	Order                                           []link
	Usage                                           *indexUsage
}

// couplingEntry is one pair of contexts on the coupling page.
type couplingEntry struct {
	From, To, Anchor, Title string
	Items                   []link2
}

type link2 struct{ Text, URL string }

func anchor(from, to string) string { return dot.SlugOf("dep", from+"\x00"+to) }

// couplings returns the context pairs and what couples them: the plan's
// dependencies when there is a plan, else the crossing foreign keys.
func (b *builder) couplings(root string) []couplingEntry {
	var out []couplingEntry
	if p := b.in.Plan; p != nil {
		byID := map[string]plan.Finding{}
		for _, f := range p.Findings {
			byID[f.ID] = f
		}
		for _, d := range p.Dependencies {
			e := couplingEntry{From: d.From, To: d.To, Anchor: anchor(d.From, d.To), Title: depTitle(d)}
			for _, id := range d.FindingIDs {
				f, ok := byID[id]
				it := link2{Text: id}
				if ok {
					it.Text = f.Title
					for _, o := range f.Objects {
						n := schema.TableName{Schema: o.Schema, Name: cmp.Or(o.Table, o.Name)}
						if b.m.Table(n) != nil {
							it.URL = root + tableFile(n)
							break
						}
					}
				}
				e.Items = append(e.Items, it)
			}
			out = append(out, e)
		}
		return out
	}
	idx := map[[2]string]int{}
	for _, e := range b.m.Edges() {
		if !b.m.Crossing(e) {
			continue
		}
		k := [2]string{b.m.Home(e.From), b.m.Home(e.To)}
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, couplingEntry{From: k[0], To: k[1], Anchor: anchor(k[0], k[1])})
		}
		kind := "foreign key"
		if e.Inferred {
			kind = "inferred reference"
		}
		out[i].Items = append(out[i].Items, link2{
			Text: fmt.Sprintf("%s %s: %s (%s) → %s (%s)", kind, e.Name, e.From, strings.Join(e.Columns, ", "), e.To, strings.Join(e.RefColumns, ", ")),
			URL:  root + tableFile(e.From)})
	}
	rank := map[string]int{}
	for i, c := range b.m.Groups() {
		rank[c] = i
	}
	slices.SortStableFunc(out, func(a, c couplingEntry) int {
		return cmp.Or(rank[a.From]-rank[c.From], rank[a.To]-rank[c.To])
	})
	for i := range out {
		out[i].Title = fmt.Sprintf("%d foreign keys", len(out[i].Items))
	}
	return out
}

func depTitle(d plan.Dependency) string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{d.ForeignKeys, "foreign keys"}, {d.Views, "views"}, {d.Triggers, "triggers"}, {d.SharedTables, "shared tables"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	return strings.Join(parts, ", ")
}

func (b *builder) index(ctx context.Context) error {
	s := b.in.Snapshot
	d := indexData{Database: s.Source.Database, Engine: string(s.Source.Engine), ServerVersion: s.Source.ServerVersion,
		Host: s.Source.Host, Captured: b.info.Captured, BySchema: b.in.Assignment == nil || b.in.Assignment.BySchema,
		Counts: s.Counts(), Plan: b.in.Plan, Usage: b.indexUsage()}
	mp := b.m.ContextMap()
	_, mp.ContextLink = b.linkFuncs("")
	var dt bytes.Buffer
	if err := dot.WriteMap(&dt, mp); err != nil {
		return err
	}
	svgText, err := b.svgOf(ctx, dt.Bytes(), len(mp.Nodes))
	if err != nil {
		return fmt.Errorf("site: context map: %w", err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, "context-map.dot"), dt.Bytes(), 0o644); err != nil {
		return err
	}
	d.Map = diagramData{Kind: "map", SVG: svgText, Tables: len(mp.Nodes), Downloads: []link{{"DOT", "context-map.dot"}}}
	names := b.m.Groups()
	if b.in.Plan != nil {
		for _, c := range b.in.Plan.Contexts {
			if !slices.Contains(names, c.Name) {
				names = append(names, c.Name)
			}
		}
	}
	for _, c := range names {
		row := ctxRow{Name: c, URL: b.ctxFiles[c], Tables: len(b.m.Members(c))}
		if b.in.Assignment != nil && b.in.Assignment.Info[c] != nil {
			row.Owner, row.Description = b.in.Assignment.Info[c].Owner, b.in.Assignment.Info[c].Description
		} else if b.in.Plan != nil {
			for _, pc := range b.in.Plan.Contexts {
				if pc.Name == c {
					row.Owner, row.Description, row.Tables = pc.Owner, pc.Description, len(pc.Tables)
				}
			}
		}
		d.Contexts = append(d.Contexts, row)
	}
	cells := map[[2]string]cell{}
	if p := b.in.Plan; p != nil {
		for _, dep := range p.Dependencies {
			var parts []string
			for _, x := range []struct {
				n int
				s string
			}{{dep.ForeignKeys, "FK"}, {dep.Views, "V"}, {dep.Triggers, "T"}, {dep.SharedTables, "S"}} {
				if x.n > 0 {
					parts = append(parts, fmt.Sprintf("%d %s", x.n, x.s))
				}
			}
			cells[[2]string{dep.From, dep.To}] = cell{Total: dep.Weight(), Text: strings.Join(parts, " · "), Title: depTitle(dep), Anchor: anchor(dep.From, dep.To)}
		}
		groups := map[plan.Severity]*sevGroup{}
		for _, f := range p.Findings {
			g := groups[f.Severity]
			if g == nil {
				g = &sevGroup{Severity: f.Severity}
				groups[f.Severity] = g
			}
			g.Count++
			g.Findings = append(g.Findings, f)
		}
		for _, sev := range []plan.Severity{plan.High, plan.Medium, plan.Low, plan.Info} {
			if g := groups[sev]; g != nil {
				d.Severities = append(d.Severities, *g)
			}
		}
		for _, c := range p.Order {
			d.Order = append(d.Order, link{c, b.ctxFiles[c]})
		}
	} else {
		for _, e := range mp.Edges {
			cells[[2]string{e.From, e.To}] = cell{Total: e.Count, Text: strconv.Itoa(e.Count), Title: fmt.Sprintf("%d foreign keys", e.Count), Anchor: anchor(e.From, e.To)}
		}
	}
	for _, from := range names {
		row := matrixRow{Name: from}
		for _, to := range names {
			row.Cells = append(row.Cells, cells[[2]string{from, to}])
		}
		d.Matrix = append(d.Matrix, row)
	}
	return b.write("index.html", "index", "Overview of "+s.Source.Database, "", d)
}

func (b *builder) coupling() error {
	return b.write("coupling.html", "coupling", "Coupling between contexts", "", b.couplings(""))
}

func (b *builder) planPage() error {
	var out struct{ HTML template.HTML }
	if b.in.PlanMarkdown != "" {
		// GFM, with table alignment as attributes: the pages' CSP forbids
		// inline styles. Raw HTML is left out (no html.WithUnsafe) and
		// dangerous link schemes are dropped.
		md := goldmark.New(goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough, extension.Linkify, extension.TaskList))
		var buf bytes.Buffer
		if err := md.Convert([]byte(b.in.PlanMarkdown), &buf); err != nil {
			return fmt.Errorf("site: plan markdown: %w", err)
		}
		out.HTML = template.HTML(buf.String())
	}
	return b.write("plan.html", "plan", "Plan", "", out)
}

type tableRow struct {
	Name, URL, Context, Rows string
	Columns                  int
}

func (b *builder) tablesPage() error {
	var rows []tableRow
	for _, n := range b.m.Tables() {
		t := b.m.Table(n)
		rows = append(rows, tableRow{Name: n.String(), URL: tableFile(n), Context: b.m.Home(n), Rows: count(t.RowEstimate), Columns: len(t.Columns)})
	}
	return b.write("tables.html", "tables", "All tables", "", rows)
}

// --- context page ---

type ctxTable struct {
	Name, URL, Rows  string
	Columns, Out, In int
	Crossing         int
	Others           []string
}

type contextData struct {
	Name, Description, Owner string
	Roles                    []string
	Diagram                  diagramData
	HasPlan                  bool
	Findings                 []plan.Finding
	Tables                   []ctxTable
	Usage                    contextUsage
}

func (b *builder) contextPage(ctx context.Context, c string) error {
	const root = "../"
	d := contextData{Name: c, HasPlan: b.in.Plan != nil, Findings: b.byContext[c], Usage: b.contextUsage(c, root)}
	if a := b.in.Assignment; a != nil && a.Info[c] != nil {
		d.Description, d.Owner, d.Roles = a.Info[c].Description, a.Info[c].Owner, a.Info[c].Roles
	}
	g, err := b.m.Context(c)
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(b.ctxFiles[c], ".html")
	if d.Diagram, err = b.graphDiagram(ctx, "context", root, b.withLinks(g, root), base); err != nil {
		return err
	}
	for _, n := range b.members(c) {
		t := b.m.Table(n)
		row := ctxTable{Name: n.String(), URL: root + tableFile(n), Rows: count(t.RowEstimate), Columns: len(t.Columns),
			Out: len(b.m.Out(n)), In: len(b.m.In(n))}
		for _, e := range append(b.m.Out(n), b.m.In(n)...) {
			if b.m.Crossing(e) {
				row.Crossing++
			}
		}
		if b.in.Assignment != nil {
			for _, o := range b.in.Assignment.ContextsOf(n) {
				if o != c {
					row.Others = append(row.Others, o)
				}
			}
		}
		d.Tables = append(d.Tables, row)
	}
	return b.write(b.ctxFiles[c], "context", "Context "+c, root, d)
}

// --- table page ---

type colRow struct {
	Name, Type, Keys, Comment string
	Default                   string
	Nullable                  bool
}

type fkRow struct {
	Name, Columns, Other, OtherColumns, URL, Context, OnDelete string
	Crossing, Inferred                                         bool
}

type claimRow struct {
	Context, URL, Access string
	Columns              []string
}

type usageRow struct {
	Name, Context, Table, How string
	Materialized              bool
}

type tableData struct {
	Name, Comment, Home, Kind, Rows, Size, Stats, PrimaryKey string
	Partitions                                               int
	Claims                                                   []claimRow
	Columns                                                  []colRow
	Indexes                                                  []schema.Index
	Out, In                                                  []fkRow
	Views, Triggers                                          []usageRow
	HasPlan                                                  bool
	Findings                                                 []plan.Finding
	Diagram                                                  diagramData
	Usage                                                    tableUsage
}

// keyWords lists the keys a column belongs to on its table's page: PK, FK
// and "unique" for a column of any unique constraint, composite ones
// included (unlike Mermaid's UK, which needs a unique key of one column).
func keyWords(k schema.ColumnKeys) string {
	var w []string
	if k.Primary {
		w = append(w, "PK")
	}
	if k.Foreign {
		w = append(w, "FK")
	}
	if k.Unique {
		w = append(w, "unique")
	}
	return strings.Join(w, " ")
}

func (b *builder) tablePage(ctx context.Context, n schema.TableName) error {
	const root = "../"
	t := b.m.Table(n)
	lk := b.lookup()
	d := tableData{Name: n.String(), Comment: t.Comment, Home: b.m.Home(n), Kind: string(t.Kind), Rows: count(t.RowEstimate),
		Size: size(t.SizeBytes), Stats: stats(t.Stats), Partitions: len(lk.Partitions(n)), Indexes: t.Indexes,
		HasPlan: b.in.Plan != nil, Findings: b.byTable[n], Usage: b.tableUsage(n, root)}
	if t.PrimaryKey != nil {
		d.PrimaryKey = t.PrimaryKey.Name + " (" + strings.Join(t.PrimaryKey.Columns, ", ") + ")"
	}
	if a := b.in.Assignment; a != nil {
		for _, c := range a.Claims[n] {
			d.Claims = append(d.Claims, claimRow{Context: c.Context, URL: root + b.ctxFiles[c.Context], Access: string(c.Access), Columns: c.Columns})
		}
	}
	if len(d.Claims) == 0 {
		d.Claims = append(d.Claims, claimRow{Context: d.Home, URL: root + b.ctxFiles[d.Home]})
	}
	keys := t.ColumnKeys()
	for _, c := range t.Columns {
		row := colRow{Name: c.Name, Type: c.Type, Nullable: c.Nullable, Comment: c.Comment, Keys: keyWords(keys[c.Name])}
		if c.Default != nil {
			row.Default = *c.Default
		}
		if c.Generated != "" {
			row.Default = "generated " + c.Generated + ": " + c.Expression
		}
		if c.Identity != "" {
			row.Default = strings.TrimSpace(row.Default + " identity " + c.Identity)
		}
		d.Columns = append(d.Columns, row)
	}
	fkAction := func(child schema.TableName, name string) string {
		if ct := b.m.Table(child); ct != nil {
			for _, f := range ct.ForeignKeys {
				if f.Name == name {
					return string(f.OnDelete)
				}
			}
		}
		return ""
	}
	for _, e := range b.m.Out(n) {
		d.Out = append(d.Out, fkRow{Name: e.Name, Columns: strings.Join(e.Columns, ", "), Other: e.To.String(), OtherColumns: strings.Join(e.RefColumns, ", "),
			URL: root + tableFile(e.To), Context: b.m.Home(e.To), OnDelete: fkAction(n, e.Name), Crossing: b.m.Crossing(e), Inferred: e.Inferred})
	}
	for _, e := range b.m.In(n) {
		d.In = append(d.In, fkRow{Name: e.Name, Columns: strings.Join(e.RefColumns, ", "), Other: e.From.String(), OtherColumns: strings.Join(e.Columns, ", "),
			URL: root + tableFile(e.From), Context: b.m.Home(e.From), OnDelete: fkAction(e.From, e.Name), Crossing: b.m.Crossing(e), Inferred: e.Inferred})
	}
	for _, v := range b.viewsOf(n) {
		ctxName := ""
		if a := b.in.Assignment; a != nil {
			ctxName = strings.Join(a.ContextsOf(v.TableName()), ", ")
		}
		d.Views = append(d.Views, usageRow{Name: v.TableName().String(), Context: ctxName, Materialized: v.Materialized})
	}
	for _, tr := range b.triggersOf(n) {
		var how []string
		if tr.Table == n {
			how = append(how, "fires on "+strings.Join(tr.Events, ", "))
		}
		if slices.Contains(tr.Writes, n) {
			how = append(how, "writes it")
		}
		if slices.Contains(tr.Reads, n) {
			how = append(how, "reads it")
		}
		d.Triggers = append(d.Triggers, usageRow{Name: tr.Name, Table: tr.Table.String(), How: strings.Join(how, ", ")})
	}
	g, err := b.m.Neighbourhood(n, b.depth)
	if err != nil {
		return err
	}
	// Small and without the legend (the page shows it): one of these is
	// drawn per table, and go-graphviz keeps every SVG it renders in its
	// WebAssembly memory.
	g.FocusOnly, g.NoLegend = true, true
	if d.Diagram, err = b.graphDiagram(ctx, "neighbourhood", root, b.withLinks(g, root), ""); err != nil {
		return err
	}
	return b.write(tableFile(n), "table", "Table "+n.String(), root, d)
}

// lookup, viewsOf and triggersOf index the snapshot's views and triggers by
// the tables they use, once.
func (b *builder) lookup() *schema.Lookup {
	b.lkMu.Lock()
	defer b.lkMu.Unlock()
	if b.lk == nil {
		b.lk = schema.NewLookup(b.in.Snapshot)
		b.views = map[schema.TableName][]*schema.View{}
		b.triggers = map[schema.TableName][]*schema.Trigger{}
		s := b.in.Snapshot
		for i := range s.Views {
			for _, r := range s.Views[i].Reads {
				b.views[r] = append(b.views[r], &s.Views[i])
			}
		}
		for i := range s.Triggers {
			tr := &s.Triggers[i]
			seen := map[schema.TableName]bool{}
			for _, r := range append(append([]schema.TableName{tr.Table}, tr.Writes...), tr.Reads...) {
				if !seen[r] {
					seen[r] = true
					b.triggers[r] = append(b.triggers[r], tr)
				}
			}
		}
	}
	return b.lk
}

func (b *builder) viewsOf(n schema.TableName) []*schema.View {
	b.lookup()
	return b.views[n]
}

func (b *builder) triggersOf(n schema.TableName) []*schema.Trigger {
	b.lookup()
	return b.triggers[n]
}

func count(p *int64) string {
	if p == nil {
		return "unknown"
	}
	return group(*p)
}

func group(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	out = append([]string{s}, out...)
	r := strings.Join(out, ",")
	if neg {
		return "-" + r
	}
	return r
}

func size(p *int64) string {
	if p == nil {
		return "unknown"
	}
	return summary.Bytes(*p)
}

func stats(s *schema.TableStats) string {
	if s == nil {
		return ""
	}
	var parts []string
	for _, x := range []struct {
		what string
		v    *int64
	}{{"sequential scans", s.SeqScans}, {"index scans", s.IdxScans}, {"rows read", s.RowsRead}, {"inserted", s.Inserted}, {"updated", s.Updated}, {"deleted", s.Deleted}, {"live rows", s.LiveRows}} {
		if x.v != nil {
			parts = append(parts, x.what+" "+group(*x.v))
		}
	}
	out := strings.Join(parts, ", ")
	if s.Source != "" {
		out += " (from " + s.Source + ")"
	}
	if s.StatsReset != nil {
		out += ", since " + s.StatsReset.UTC().Format("2006-01-02")
	}
	return out
}
