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
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/history"
	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/internal/termsafe"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/svg"
	"github.com/seamsdev/seams/schema"
)

//go:embed assets/style.css assets/search.js assets/references.js assets/filter.js assets/zoom.js templates/*.html
var files embed.FS

// Input is what the site shows and how it is built.
type Input struct {
	// Analysis is the snapshot analysed under a contexts map (or grouped
	// by schema): the ownership of every table, the attributed usage and
	// the plan.
	Analysis *analysis.Analysis
	// Inferred are references that the database does not declare.
	Inferred []diagram.Edge
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
	// History, when set, adds a page with the crossing couplings of each
	// context over the snapshots and what changed between them.
	History *history.History
}

// Write writes the site into dir, which must not exist, be empty, or be a
// site seams wrote that holds no other file (see package atomicfile), which
// is replaced. The directory dir goes in must exist.
func Write(ctx context.Context, dir string, in Input) (err error) {
	if in.Analysis == nil || in.Analysis.Snapshot == nil || in.Analysis.Plan == nil {
		return errors.New("site: no analysis")
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

// siteInfo is shown in every page's header and footer.
type siteInfo struct {
	Database, Engine, Version, Captured string
	// History is true when the site has a history page.
	History bool
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
	an    *analysis.Analysis
	m     *diagram.Model
	r     *svg.Renderer
	info  *siteInfo
	tmpl  map[string]*template.Template
	depth int
	// findings by ID and by table, and the steps that resolve each
	findings   map[string]*plan.Finding
	byTable    map[schema.TableName][]plan.Finding
	resolvedBy map[string][]int
	ctxFiles   map[string]string
	// planTables are the tables of each context of the plan.
	planTables map[string][]schema.TableName
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
	b := &builder{dir: dir, in: in, an: in.Analysis, r: r, depth: cmp.Or(in.Depth, 1),
		findings: map[string]*plan.Finding{}, byTable: map[schema.TableName][]plan.Finding{}, resolvedBy: map[string][]int{}, ctxFiles: map[string]string{}}
	s := b.an.Snapshot
	b.usage = newUsageIndex(b.an.Usage)
	b.info = &siteInfo{Database: s.Source.Database, Engine: string(s.Source.Engine), Version: s.Source.SeamsVersion, History: in.History != nil}
	if !s.Source.CapturedAt.IsZero() {
		b.info.Captured = s.Source.CapturedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	b.m = diagram.NewModel(b.an.Ownership, diagram.Options{
		CompactAbove: in.CompactAbove, MaxTables: in.MaxTables, Inferred: in.Inferred,
		Cycles: b.an.Plan.Cycles, Views: true,
	})
	for _, c := range b.contexts() {
		b.ctxFiles[c] = "contexts/" + diagram.SlugOf("c", c) + ".html"
	}
	b.planTables = map[string][]schema.TableName{}
	for _, c := range b.an.Plan.Contexts {
		b.planTables[c.Name] = c.Tables
	}
	{
		for i, f := range b.an.Plan.Findings {
			b.findings[f.ID] = &b.an.Plan.Findings[i]
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
		}
		for _, st := range b.an.Plan.Steps {
			for _, id := range st.FindingIDs {
				b.resolvedBy[id] = append(b.resolvedBy[id], st.N)
			}
		}
	}
	funcs := template.FuncMap{"inc": func(i int) int { return i + 1 }}
	b.tmpl = map[string]*template.Template{}
	for _, name := range []string{"index", "context", "table", "coupling", "plan", "tables", "references", "history"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("site: template %s: %w", name, err)
		}
		b.tmpl[name] = t
	}
	return b, nil
}

// tablesOf returns the tables a context's page lists, sorted: for a context
// of the map those it claims, as the plan counts them (a table given to
// another context included), for a proposed one those it receives, for a
// pseudo-context those drawn in it.
func (b *builder) tablesOf(c string) []schema.TableName {
	if ts, ok := b.planTables[c]; ok {
		return ts
	}
	return b.m.Members(c)
}

// contexts returns the contexts that get a page: the map's (or the
// schemas'), the ones the plan proposes, and the pseudo-contexts.
func (b *builder) contexts() []string { return b.m.Groups() }

func tableFile(n schema.TableName) string { return "tables/" + diagram.Slug(n) + ".html" }

// tablesPerJob is the number of table pages a worker writes at once, their
// diagrams laid out by one dot.
const tablesPerJob = 40

// run builds every page with a pool of workers.
func (b *builder) run(ctx context.Context) error {
	for _, d := range []string{"assets", "contexts", "tables"} {
		if err := os.Mkdir(filepath.Join(b.dir, d), atomicfile.DirMode); err != nil {
			return fmt.Errorf("site: %w", err)
		}
	}
	// A job writes some pages; the table pages go by chunks, whose
	// diagrams are laid out together.
	type job struct {
		pages int
		run   func() error
	}
	jobs := []job{{1, b.assets}, {1, func() error { return b.index(ctx) }}, {1, b.coupling}, {1, b.planPage}, {1, b.tablesPage}, {1, b.referencesPage}}
	if b.in.History != nil {
		jobs = append(jobs, job{1, b.historyPage})
	}
	for _, c := range b.contexts() {
		jobs = append(jobs, job{1, func() error { return b.contextPage(ctx, c) }})
	}
	for ts := range slices.Chunk(b.m.Tables(), tablesPerJob) {
		jobs = append(jobs, job{len(ts), func() error { return b.tablePages(ctx, ts) }})
	}
	total := 0
	for _, j := range jobs {
		total += j.pages
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	workers := cmp.Or(b.in.Workers, runtime.NumCPU())
	next := make(chan job)
	var wg sync.WaitGroup
	var done atomic.Int64
	var progressMu sync.Mutex
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if ctx.Err() != nil {
					continue
				}
				if err := j.run(); err != nil {
					cancel(err)
					continue
				}
				d := done.Add(int64(j.pages))
				if b.in.Progress != nil {
					progressMu.Lock()
					b.in.Progress(int(d), total)
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
	return context.Cause(ctx)
}

func (b *builder) write(name, tmpl, title, root string, body any) error {
	var buf bytes.Buffer
	if err := b.tmpl[tmpl].ExecuteTemplate(&buf, "layout", pageData{Root: root, Title: title, Site: b.info, Body: body}); err != nil {
		return fmt.Errorf("site: page %s: %w", name, err)
	}
	// Names from the database may hold control and direction characters
	// (an escape, a carriage return, U+202E): the page shows them escaped,
	// as the terminal does, never raw.
	page := termsafe.Lines(buf.String())
	if err := os.WriteFile(filepath.Join(b.dir, name), []byte(page), atomicfile.FileMode); err != nil {
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
	for _, f := range []string{"style.css", "search.js", "references.js", "filter.js", "zoom.js"} {
		data, err := files.ReadFile("assets/" + f)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(b.dir, "assets", f), data, atomicfile.FileMode); err != nil {
			return fmt.Errorf("site: %w", err)
		}
	}
	var items []searchItem
	for _, c := range b.contexts() {
		items = append(items, searchItem{Kind: "context", Name: termsafe.Lines(c), URL: b.ctxFiles[c],
			Extra: fmt.Sprintf("%d tables", len(b.tablesOf(c)))})
	}
	// The index holds names as the pages show them (see write).
	for _, n := range b.m.Tables() {
		t := b.m.Table(n)
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = termsafe.Lines(c.Name)
		}
		items = append(items, searchItem{Kind: "table", Name: termsafe.Lines(n.String()), URL: tableFile(n), Extra: termsafe.Lines(b.m.Home(n)), Columns: cols})
	}
	data, err := json.Marshal(items)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.WriteString("// Search index of the seams site, loaded as a script because file:// pages cannot fetch.\nwindow.SEAMS_INDEX = ")
	buf.Write(data)
	buf.WriteString(";\n")
	return os.WriteFile(filepath.Join(b.dir, "assets", "index.js"), buf.Bytes(), atomicfile.FileMode)
}

// activeLink matches a link attribute whose value is a script URL. Names
// from the database appear in the SVG's text, escaped, where "javascript:"
// is harmless; only a link could run it.
var activeLink = regexp.MustCompile(`(?i)\bhref\s*=\s*["']\s*(javascript|data|vbscript):`)

// lookup, viewsOf and triggersOf index the snapshot's views and triggers by
// the tables they use, once.
func (b *builder) lookup() *schema.Lookup {
	b.lkMu.Lock()
	defer b.lkMu.Unlock()
	if b.lk == nil {
		b.lk = schema.NewLookup(b.an.Snapshot)
		b.views = map[schema.TableName][]*schema.View{}
		b.triggers = map[schema.TableName][]*schema.Trigger{}
		s := b.an.Snapshot
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
