package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/history"
	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/dot"
	"github.com/seamsdev/seams/render/mermaid"
	"github.com/seamsdev/seams/render/site"
	"github.com/seamsdev/seams/render/svg"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/suggest"
	"github.com/spf13/cobra"
)

// siteMemoryLimit is the soft memory limit set for site builds when
// GOMEMLIMIT is unset: go-graphviz's WebAssembly heap only grows, and the
// limit makes the collector work harder before the process gets large.
const siteMemoryLimit = 768 << 20

func newRenderCmd() *cobra.Command {
	var (
		in           analysisFlags
		outDir       string
		format       string
		out          string
		ctxName      string
		table        string
		depth        int
		compactAbove int
		maxTables    int
		historyDir   string
		suggested    bool
		sf           suggestFlags
	)
	c := &cobra.Command{
		Use:   "render",
		Short: "Draw the schema by context: an HTML site, or one diagram as SVG, PNG, DOT or Mermaid",
		Long: `render draws the schema the way SchemaSpy does, but by bounded context, with every
edge that crosses a context boundary in plain sight.

With --out DIR it writes a static HTML site that opens from the file system (no server, no
network): an overview with the context map and the coupling matrix, a page per context and per
table with their diagrams, the plan, and a search box.

With --format it writes one diagram: the context map (the default), one context (--context), or
the neighbourhood of one table (--table, --depth). svg, dot and mermaid need nothing installed;
png needs Graphviz's dot program.

Without a contexts map the tables are grouped by schema. Diagrams above --compact-above tables
show table names only; above --max-tables they are not drawn (render a context or a table's
neighbourhood instead).

When the snapshot holds usage (written by 'seams usage -o', or given with --usage), the site
shows who reads and writes each table on the table and context pages, and a summary of the
usage sources on the overview.

--history DIR adds a page with the crossing couplings of each context over the snapshots in
DIR (every *.json file, in the order they were captured) as a chart, and what changed between
consecutive ones. Without --snapshot or --dsn the site shows the latest of them.

With --suggest it draws the contexts 'seams suggest' finds instead of a map (--contexts then
only gives the tables to ignore, the static data and the relations).`,
		Example: `  seams render --snapshot snapshot.json --contexts contexts.yaml --out site/
  seams render --dsn postgres://app@staging/shop --out site/
  seams render --snapshot snapshot.json --usage shop-usage.json --contexts contexts.yaml --out site/
  seams render --snapshot snapshot.json --format svg -o context-map.svg
  seams render --snapshot snapshot.json --suggest --out suggested-site/
  seams render --snapshot snapshot.json --format mermaid --context finance
  seams render --snapshot snapshot.json --format png --table public.ledger --depth 2 -o ledger.png
  seams render --history snapshots/ --contexts contexts.yaml --out site/`,
		Args: argsNone,
		RunE: func(c *cobra.Command, _ []string) error {
			switch {
			case outDir == "" && format == "":
				return usagef("nothing to render: pass --out DIR for the site or --format svg|png|dot|mermaid for one diagram")
			case outDir != "" && format != "":
				return usagef("--out writes the site and --format one diagram: give one")
			case format != "" && !slices.Contains([]string{"svg", "png", "dot", "mermaid"}, format):
				return usagef("--format %q: want svg, png, dot or mermaid", format)
			case outDir != "" && (ctxName != "" || table != "" || out != ""):
				return usagef("--context, --table and -o apply to --format, not to the site (--out)")
			case ctxName != "" && table != "":
				return usagef("--context and --table draw different diagrams: give one")
			case depth < 1:
				return usagef("--depth must be at least 1")
			case format == "mermaid" && ctxName == "" && table == "":
				return usagef("mermaid draws a context (--context NAME) or a table's neighbourhood (--table NAME), not the context map")
			case format == "png" && out == "" && isTerminal(c.OutOrStdout()):
				return usagef("png is binary: pass -o FILE or redirect the output")
			case historyDir != "" && outDir == "":
				return usagef("--history adds a page to the site: it needs --out DIR")
			case historyDir != "" && suggested:
				return usagef("--history draws the coupling of a contexts map over time, --suggest a suggested map: give one")
			}
			if err := checkOutputs([]string{out}, []string{outDir}); err != nil {
				return err
			}
			p := newProgress(c.ErrOrStderr())
			var hist *history.History
			if historyDir != "" {
				files, err := historyFiles(historyDir)
				if err != nil {
					return err
				}
				if hist, err = in.history(files, p); err != nil {
					return err
				}
				if in.src.snapshot == "" && in.src.dsn == "" && os.Getenv("SEAMS_DSN") == "" {
					in.src.snapshot = files[len(files)-1]
				}
			}
			var an *analysis.Analysis
			var err error
			if suggested {
				an, _, err = in.suggest(c.Context(), c.ErrOrStderr(), p, &sf)
			} else {
				an, err = in.run(c.Context(), c.ErrOrStderr(), p)
			}
			if err != nil {
				return err
			}
			snap, pl := an.Snapshot, an.Plan
			if outDir != "" {
				if os.Getenv("GOMEMLIMIT") == "" {
					debug.SetMemoryLimit(siteMemoryLimit)
				}
				err := site.Write(c.Context(), outDir, site.Input{
					Analysis: an, Inferred: diagram.InferredEdges(pl), History: hist,
					CompactAbove: compactAbove, MaxTables: maxTables,
					Progress: func(done, total int) { p.Step(fmt.Sprintf("rendering pages %d/%d", done, total)) },
				})
				p.Done()
				if err != nil {
					return err
				}
				abs, _ := filepath.Abs(filepath.Join(outDir, "index.html"))
				fmt.Fprintf(c.OutOrStdout(), "wrote %s\n", abs)
				return nil
			}
			m := diagram.NewModel(an.Ownership, diagram.Options{CompactAbove: compactAbove, MaxTables: maxTables, Cycles: pl.Cycles, Views: true, Inferred: diagram.InferredEdges(pl)})
			var dotText bytes.Buffer
			var g *diagram.Graph
			switch {
			case ctxName != "":
				if g, err = m.Context(ctxName); err != nil {
					return usagef("--context %q: no such context (contexts: %s)", ctxName, strings.Join(m.Groups(), ", "))
				}
			case table != "":
				n, err := findTable(snap, table)
				if err != nil {
					return err
				}
				if g, err = m.Neighbourhood(n, depth); err != nil {
					return fmt.Errorf("render: %w", err)
				}
			}
			var tables int
			layout := ""
			if g != nil {
				tables = g.Tables
				layout = svg.LayoutFor(tables)
				if format == "mermaid" {
					var buf bytes.Buffer
					if err := mermaid.Write(&buf, g); err != nil {
						return tooLarge(err, g.Tables)
					}
					return emit(c.OutOrStdout(), out, buf.Bytes())
				}
				err = dot.WriteGraph(&dotText, g)
			} else {
				mp := m.ContextMap()
				tables = len(mp.Nodes)
				layout = dot.MapLayout(mp)
				err = dot.WriteMap(&dotText, mp)
			}
			if err != nil {
				return tooLarge(err, tables)
			}
			var img bytes.Buffer
			switch format {
			case "dot":
				return emit(c.OutOrStdout(), out, dotText.Bytes())
			case "svg":
				r, err := svg.New(c.Context())
				if err != nil {
					return err
				}
				defer r.Close()
				if err := r.Render(c.Context(), dotText.Bytes(), layout, &img); err != nil {
					return err
				}
			case "png":
				if err := svg.PNG(c.Context(), dotText.Bytes(), layout, &img); err != nil {
					return err
				}
			}
			return emit(c.OutOrStdout(), out, img.Bytes())
		},
	}
	in.register(c, true)
	fs := c.Flags()
	fs.StringVar(&outDir, "out", "", "write the HTML site into this directory")
	fs.StringVar(&format, "format", "", "write one diagram: svg, png, dot or mermaid")
	fs.StringVarP(&out, "output", "o", "", "with --format: write the diagram to this file instead of stdout")
	fs.StringVar(&ctxName, "context", "", "with --format: draw this context")
	fs.StringVar(&table, "table", "", "with --format: draw this table's neighbourhood (name or schema.name)")
	fs.IntVar(&depth, "depth", 1, "with --table: how many foreign-key steps the neighbourhood reaches")
	fs.IntVar(&compactAbove, "compact-above", diagram.DefaultCompactAbove, "diagrams with more tables show table names only")
	fs.IntVar(&maxTables, "max-tables", diagram.DefaultMaxTables, "diagrams with more tables are not drawn")
	fs.StringVar(&historyDir, "history", "", "with --out: add a page with the coupling over the snapshots (*.json) in this directory")
	fs.BoolVar(&suggested, "suggest", false, "draw the contexts 'seams suggest' finds instead of a contexts map")
	fs.Float64Var(&sf.resolution, "resolution", suggest.DefaultResolution, "with --suggest: granularity of the suggested contexts (see 'seams suggest')")
	fs.IntVar(&sf.maxContexts, "max-contexts", 0, "with --suggest: suggest at most this many contexts")
	sf.minSize, sf.seed = suggest.DefaultMinSize, suggest.DefaultSeed
	return c
}

// historyFiles returns the snapshot files of a history directory, in the
// order they were captured.
func historyFiles(dir string) ([]string, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return nil, usagef("--history %s: not a directory", dir)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, usagef("--history %s: no snapshot files (*.json) in it", dir)
	}
	es := make([]history.Entry, 0, len(paths))
	for _, path := range paths {
		s, err := schema.ReadFile(path)
		if err != nil {
			return nil, inputError(err)
		}
		es = append(es, history.Entry{Name: path, Captured: s.Source.CapturedAt})
	}
	history.Order(es)
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out, nil
}

// history analyses each snapshot file under the contexts map, one at a
// time, into a history. The map's warnings are left out: they are those
// of the site's own snapshot, printed once.
func (f *analysisFlags) history(files []string, p *progress) (*history.History, error) {
	h := &history.History{}
	for i, path := range files {
		p.Step(fmt.Sprintf("history %d/%d: %s", i+1, len(files), filepath.Base(path)))
		s, err := schema.ReadFile(path)
		if err != nil {
			return nil, inputError(err)
		}
		an, err := f.analyse(s, io.Discard)
		if err != nil {
			return nil, err
		}
		h.Add(filepath.Base(path), an)
	}
	return h, nil
}

// findTable resolves a table given as schema.name or as a name unique
// across schemas.
func findTable(s *schema.Snapshot, name string) (schema.TableName, error) {
	var matches []schema.TableName
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.TableName().String() == name {
			return t.TableName(), nil
		}
		if t.Name == name {
			matches = append(matches, t.TableName())
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return schema.TableName{}, usagef("--table %q: no such table in the snapshot", name)
	}
	names := make([]string, len(matches))
	for i, m := range matches {
		names[i] = m.String()
	}
	return schema.TableName{}, usagef("--table %q is in several schemas: give one of %s", name, strings.Join(names, ", "))
}

func tooLarge(err error, tables int) error {
	if errors.Is(err, diagram.ErrTooLarge) {
		return fmt.Errorf("render: the diagram has %d tables, over the budget (--max-tables): draw one context (--context) or a table's neighbourhood (--table) instead", tables)
	}
	return fmt.Errorf("render: %w", err)
}

// emit writes data to the file named by out (atomically) or to stdout.
func emit(stdout io.Writer, out string, data []byte) error {
	if out != "" {
		return atomicfile.WriteFile(out, data)
	}
	_, err := stdout.Write(data)
	return err
}
