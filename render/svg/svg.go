// Package svg turns the DOT written by package render/dot into SVG with
// github.com/goccy/go-graphviz (Graphviz compiled to WebAssembly: nothing to
// install), and into PNG with the system's Graphviz.
//
// It is the only package of seams that imports go-graphviz, whose
// WebAssembly module is compiled when the program starts (about half a
// second): commands that draw nothing must not import it.
package svg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"

	"github.com/goccy/go-graphviz"
	"github.com/seamsdev/seams/internal/wasmcache"
)

// go-graphviz has compiled its WebAssembly by now (Go initialises a
// package's imports first), in the cache wasmcache chose: put TMPDIR back.
func init() { wasmcache.Restore() }

// Layout engines that Render accepts.
const (
	// Dot is the layered layout, for table diagrams and the context map.
	// It stops finishing between 1,000 and 1,500 nodes: render/dot's
	// budgets keep diagrams far below that.
	Dot = "dot"
	// Osage packs clusters and stays fast at thousands of nodes.
	Osage = "osage"
	// FDP is a force-directed layout, also fast on large graphs.
	FDP = "fdp"
)

// MaxDotTables is the number of tables above which LayoutFor picks osage:
// the dot layout stops finishing between 1,000 and 1,500 nodes.
const MaxDotTables = 800

// LayoutFor returns the layout engine for a diagram of n tables: Dot, or
// Osage above MaxDotTables (for budgets raised above the defaults).
func LayoutFor(n int) string {
	if n > MaxDotTables {
		return Osage
	}
	return Dot
}

// Renderer renders DOT to SVG. Graphviz's WebAssembly module is one
// instance per process, so renders run one at a time; a Renderer is safe
// for concurrent use and should be shared and reused.
type Renderer struct {
	mu sync.Mutex
	gv *graphviz.Graphviz
}

// New returns a Renderer. Close it when done.
func New(ctx context.Context) (*Renderer, error) {
	gv, err := graphviz.New(ctx)
	if err != nil {
		return nil, fmt.Errorf("svg: start graphviz: %w", err)
	}
	return &Renderer{gv: gv}, nil
}

// Close releases the Graphviz context.
func (r *Renderer) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gv == nil {
		return nil
	}
	err := r.gv.Close()
	r.gv = nil
	return err
}

// SVG lays out the DOT text with the dot layout and writes it as SVG.
func (r *Renderer) SVG(ctx context.Context, dot []byte, w io.Writer) error {
	return r.Render(ctx, dot, Dot, w)
}

// Render lays out the DOT text with the named layout engine (Dot, Osage,
// FDP...) and writes SVG.
func (r *Renderer) Render(ctx context.Context, dot []byte, layout string, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gv == nil {
		return errors.New("svg: renderer is closed")
	}
	g, err := graphviz.ParseBytes(dot)
	if err != nil {
		return fmt.Errorf("svg: parse DOT: %w", err)
	}
	if g == nil {
		return errors.New("svg: parse DOT: no graph")
	}
	defer g.Close()
	r.gv.SetLayout(graphviz.Layout(layout))
	var buf bytes.Buffer
	if err := r.gv.Render(ctx, g, graphviz.SVG, &buf); err != nil {
		return fmt.Errorf("svg: %s layout: %w", layout, err)
	}
	if buf.Len() == 0 {
		return fmt.Errorf("svg: %s layout produced nothing", layout)
	}
	_, err = w.Write(stripProlog(buf.Bytes()))
	return err
}

// stripProlog removes the XML declaration and DOCTYPE so that the SVG can be
// inlined in HTML as well as saved as a file.
func stripProlog(b []byte) []byte {
	if i := bytes.Index(b, []byte("<svg")); i > 0 {
		return b[i:]
	}
	return b
}

// ErrNoGraphviz is returned by PNG when the system's Graphviz is missing.
var ErrNoGraphviz = errors.New("png needs Graphviz's dot program on PATH (Debian/Ubuntu: apt-get install graphviz; macOS: brew install graphviz); svg, dot and mermaid need nothing")

// PNG lays out the DOT text with the system's Graphviz (the dot program on
// PATH) and writes a PNG. go-graphviz's own PNG output draws shapes filled
// solid and no text, so it is not used.
func PNG(ctx context.Context, dot []byte, layout string, w io.Writer) error {
	path, err := exec.LookPath("dot")
	if err != nil {
		return ErrNoGraphviz
	}
	if layout == "" {
		layout = Dot
	}
	cmd := exec.CommandContext(ctx, path, "-K"+layout, "-Tpng", "-Gdpi=96")
	cmd.Stdin = bytes.NewReader(dot)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("png: %s: %w: %s", path, err, firstLine(stderr.String()))
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("\x89PNG")) {
		return fmt.Errorf("png: %s wrote no PNG: %s", path, firstLine(stderr.String()))
	}
	_, err = w.Write(out.Bytes())
	return err
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
