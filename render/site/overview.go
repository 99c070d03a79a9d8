package site

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/dot"
	"github.com/seamsdev/seams/schema"
)

type ctxRow struct {
	Name, URL, Owner, Description string
	Tables                        int
	Proposed                      bool
}

type cell struct {
	Total       int
	Text, Title string
	Anchor      string
	// From and To are the contexts of the cell (the map's hover reads
	// them with Total).
	From, To string
}

type matrixRow struct {
	Name  string
	Cells []cell
}

type sevGroup struct {
	Severity plan.Severity
	Count    int
}

type indexData struct {
	Database, Engine, ServerVersion, Host, Captured string
	BySchema                                        bool
	// ContextCount counts the contexts as the plan does: the map's and
	// the proposed ones, not the pseudo-contexts of the diagrams.
	ContextCount int
	Counts       schema.Counts
	Map          diagramData
	Contexts     []ctxRow
	Matrix       []matrixRow
	Plan         *plan.Plan
	Severities   []sevGroup
	// Findings are the plan's groups, without their findings (the plan
	// page lists them).
	Findings findingsList
	Order    []link
	Usage    *indexUsage
}

// couplingEntry is one pair of contexts on the coupling page.
type couplingEntry struct {
	From, To, Anchor, Title string
	Items                   []link2
}

type link2 struct{ Text, URL string }

func anchor(from, to string) string { return diagram.SlugOf("dep", from+"\x00"+to) }

// couplings returns the context pairs the plan's dependencies join, with
// the findings behind each.
func (b *builder) couplings(root string) []couplingEntry {
	p := b.an.Plan
	byID := map[string]plan.Finding{}
	for _, f := range p.Findings {
		byID[f.ID] = f
	}
	var out []couplingEntry
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

func depTitle(d plan.Dependency) string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{d.ForeignKeys, "foreign keys"}, {d.Inferred, "inferred references"}, {d.Views, "views"}, {d.Triggers, "triggers"}, {d.SharedTables, "shared tables"}} {
		if p.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", p.n, p.what))
		}
	}
	return strings.Join(parts, ", ")
}

func (b *builder) index(ctx context.Context) error {
	s := b.an.Snapshot
	d := indexData{Database: s.Source.Database, Engine: string(s.Source.Engine), ServerVersion: s.Source.ServerVersion,
		Host: s.Source.Host, Captured: b.info.Captured, BySchema: b.an.Assignment.BySchema,
		Counts: s.Counts(), Plan: b.an.Plan, Usage: b.indexUsage(), ContextCount: len(b.an.Plan.Contexts)}
	mp := b.m.ContextMap()
	_, mp.ContextLink = b.linkFuncs("")
	var dt bytes.Buffer
	if err := dot.WriteMap(&dt, mp); err != nil {
		return err
	}
	svgText, err := b.svgOf(ctx, dt.Bytes(), dot.MapLayout(mp))
	if err != nil {
		return fmt.Errorf("site: context map: %w", err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, "context-map.dot"), dt.Bytes(), atomicfile.FileMode); err != nil {
		return err
	}
	d.Map = diagramData{Kind: "map", SVG: svgText, Tables: len(mp.Nodes), Downloads: []link{{"DOT", "context-map.dot"}}, Zoom: true}
	// The groups are the plan's contexts (the map's and the proposed ones)
	// and the pseudo-contexts.
	names := b.m.Groups()
	for _, c := range names {
		row := ctxRow{Name: c, URL: b.ctxFiles[c], Tables: len(b.tablesOf(c)), Proposed: b.an.Ownership.IsProposed(c)}
		if info := b.an.Assignment.Info[c]; info != nil {
			row.Owner, row.Description = info.Owner, info.Description
		}
		d.Contexts = append(d.Contexts, row)
	}
	cells := map[[2]string]cell{}
	p := b.an.Plan
	for _, dep := range p.Dependencies {
		var parts []string
		for _, x := range []struct {
			n int
			s string
		}{{dep.ForeignKeys, "FK"}, {dep.Inferred, "IR"}, {dep.Views, "V"}, {dep.Triggers, "T"}, {dep.SharedTables, "S"}} {
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
	}
	d.Findings = b.findingsList("groups", p.Groups, "", false)
	for _, sev := range []plan.Severity{plan.High, plan.Medium, plan.Low, plan.Info} {
		if g := groups[sev]; g != nil {
			d.Severities = append(d.Severities, *g)
		}
	}
	for _, c := range p.Order {
		d.Order = append(d.Order, link{c, b.ctxFiles[c]})
	}
	for _, from := range names {
		row := matrixRow{Name: from}
		for _, to := range names {
			c := cells[[2]string{from, to}]
			c.From, c.To = from, to
			row.Cells = append(row.Cells, c)
		}
		d.Matrix = append(d.Matrix, row)
	}
	return b.write("index.html", "index", "Overview of "+s.Source.Database, "", d)
}

func (b *builder) coupling() error {
	return b.write("coupling.html", "coupling", "Coupling between contexts", "", b.couplings(""))
}
