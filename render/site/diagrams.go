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
	return inline(out.Bytes())
}

// inline returns an SVG to inline in a page, refusing one that carries
// active content.
func inline(svgText []byte) (template.HTML, error) {
	low := bytes.ToLower(svgText)
	if bytes.Contains(low, []byte("<script")) || bytes.Contains(low, []byte("<foreignobject")) || activeLink.Match(svgText) {
		return "", errors.New("rendered SVG contains active content; refusing to inline it")
	}
	return template.HTML(svgText), nil
}

// pending is a diagram laid out later, with others (see renderAll): its
// DOT and where its SVG goes.
type pending struct {
	title  string
	dot    []byte
	layout string
	into   *diagramData
}

// renderAll lays out the pending diagrams, those of one layout engine in
// one go (svg.Renderer.RenderMany), and puts their SVGs in place.
func (b *builder) renderAll(ctx context.Context, ps []pending) error {
	byLayout := map[string][]int{}
	var layouts []string
	for i, p := range ps {
		if _, ok := byLayout[p.layout]; !ok {
			layouts = append(layouts, p.layout)
		}
		byLayout[p.layout] = append(byLayout[p.layout], i)
	}
	for _, layout := range layouts {
		idx := byLayout[layout]
		dots := make([][]byte, len(idx))
		for j, i := range idx {
			dots[j] = ps[i].dot
		}
		svgs, err := b.r.RenderMany(ctx, dots, layout)
		if err != nil {
			return fmt.Errorf("site: diagrams: %w", err)
		}
		for j, i := range idx {
			if ps[i].into.SVG, err = inline(svgs[j]); err != nil {
				return fmt.Errorf("site: diagram of %s: %w", ps[i].title, err)
			}
		}
	}
	return nil
}

func (b *builder) graphDiagram(ctx context.Context, kind, root string, g *diagram.Graph, base string) (diagramData, error) {
	d, p, err := b.prepareDiagram(kind, root, g, base)
	if err != nil || p.dot == nil {
		return d, err
	}
	p.into = &d
	err = b.renderAll(ctx, []pending{p})
	return d, err
}

// prepareDiagram returns what a diagram shows but its SVG, and the DOT to
// lay out (none for a diagram over the budget). With a base name, the DOT
// and the Mermaid are written beside the page for download.
func (b *builder) prepareDiagram(kind, root string, g *diagram.Graph, base string) (diagramData, pending, error) {
	opts := b.m.Options()
	d := diagramData{Kind: kind, Root: root, Tables: g.Tables, CompactAbove: opts.CompactAbove, MaxTables: opts.MaxTables,
		Compact: g.Mode == diagram.Compact, Large: g.Tables > 30, HTMLLegend: g.NoLegend, Zoom: g.Tables > 30}
	if g.Mode == diagram.TooLarge {
		return d, pending{}, nil
	}
	var dt bytes.Buffer
	if err := dot.WriteGraph(&dt, g); err != nil {
		return d, pending{}, err
	}
	if base != "" {
		if err := os.WriteFile(filepath.Join(b.dir, base+".dot"), dt.Bytes(), atomicfile.FileMode); err != nil {
			return d, pending{}, err
		}
		d.Downloads = append(d.Downloads, link{"DOT", filepath.Base(base) + ".dot"})
		var mm bytes.Buffer
		if err := mermaid.Write(&mm, g); err == nil {
			if err := os.WriteFile(filepath.Join(b.dir, base+".mmd"), mm.Bytes(), atomicfile.FileMode); err != nil {
				return d, pending{}, err
			}
			d.Downloads = append(d.Downloads, link{"Mermaid", filepath.Base(base) + ".mmd"})
		}
	}
	return d, pending{title: g.Title, dot: dt.Bytes(), layout: svg.LayoutFor(g.Tables)}, nil
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
