package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"

	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/dot"
	"github.com/seamsdev/seams/render/mermaid"
	"github.com/seamsdev/seams/render/svg"
	"github.com/seamsdev/seams/schema"
)

// diagramData is what the "diagram" template shows.
type diagramData struct {
	Kind                            string
	SVG                             template.HTML
	Root                            string
	Tables, CompactAbove, MaxTables int
	Compact, Large, HTMLLegend      bool
	Downloads                       []link
	// Zoom marks a diagram to zoom and pan (assets/zoom.js); Focus names
	// what it opens on (a cluster's title or a node's id), FocusWhat says
	// it in words.
	Zoom             bool
	Focus, FocusWhat string
}

type link struct{ Name, URL string }

// svgOf renders DOT to SVG with the layout engine given and checks that it
// carries no script.
func (b *builder) svgOf(ctx context.Context, dotText []byte, layout string) (template.HTML, error) {
	var out bytes.Buffer
	if err := b.r.Render(ctx, dotText, layout, &out); err != nil {
		return "", err
	}
	low := bytes.ToLower(out.Bytes())
	if bytes.Contains(low, []byte("<script")) || bytes.Contains(low, []byte("<foreignobject")) || activeLink.Match(out.Bytes()) {
		return "", errors.New("rendered SVG contains active content; refusing to inline it")
	}
	return template.HTML(out.String()), nil
}

func (b *builder) graphDiagram(ctx context.Context, kind, root string, g *diagram.Graph, base string) (diagramData, error) {
	opts := b.m.Options()
	d := diagramData{Kind: kind, Root: root, Tables: g.Tables, CompactAbove: opts.CompactAbove, MaxTables: opts.MaxTables,
		Compact: g.Mode == diagram.Compact, Large: g.Tables > 30, HTMLLegend: g.NoLegend, Zoom: g.Tables > 30}
	if g.Mode == diagram.TooLarge {
		return d, nil
	}
	var dt bytes.Buffer
	if err := dot.WriteGraph(&dt, g); err != nil {
		return d, err
	}
	svgText, err := b.svgOf(ctx, dt.Bytes(), svg.LayoutFor(g.Tables))
	if err != nil {
		return d, fmt.Errorf("site: diagram of %s: %w", g.Title, err)
	}
	d.SVG = svgText
	if base != "" {
		if err := os.WriteFile(filepath.Join(b.dir, base+".dot"), dt.Bytes(), atomicfile.FileMode); err != nil {
			return d, err
		}
		d.Downloads = append(d.Downloads, link{"DOT", filepath.Base(base) + ".dot"})
		var mm bytes.Buffer
		if err := mermaid.Write(&mm, g); err == nil {
			if err := os.WriteFile(filepath.Join(b.dir, base+".mmd"), mm.Bytes(), atomicfile.FileMode); err != nil {
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
func (b *builder) withLinks(g *diagram.Graph, root string) *diagram.Graph {
	c := *g
	c.Link, c.ContextLink = b.linkFuncs(root)
	return &c
}

// --- index ---
