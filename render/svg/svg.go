// Package svg turns the DOT written by package render/dot into SVG, with
// the system's Graphviz (the dot program) when it is installed, else with
// github.com/goccy/go-graphviz (Graphviz compiled to WebAssembly: nothing to
// install); and into PNG with the system's Graphviz.
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
	"os"
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

// Renderer renders DOT to SVG. It runs the system's Graphviz (the dot
// program on PATH) when it is installed: each render is a process of its
// own, so renders run at once, as many as the caller starts (2.7 times
// faster than WebAssembly on one, and without its memory, which only grows).
// Without it, or when it fails on a diagram, Graphviz compiled to
// WebAssembly lays the diagram out: one instance per process, so those
// renders run one at a time. A Renderer is safe for concurrent use and
// should be shared and reused.
type Renderer struct {
	// native is the path of the system's dot; "" means WebAssembly only.
	native string
	mu     sync.Mutex
	gv     *graphviz.Graphviz // started on the first WebAssembly render
	closed bool
}

// EnvGraphviz names the environment variable that, set to "wasm", makes New
// use the WebAssembly build even where the system's Graphviz is installed.
const EnvGraphviz = "SEAMS_GRAPHVIZ"

// New returns a Renderer that uses the system's Graphviz when dot is on
// PATH (and $SEAMS_GRAPHVIZ is not "wasm"), else WebAssembly. Close it
// when done.
func New(ctx context.Context) (*Renderer, error) {
	if os.Getenv(EnvGraphviz) != "wasm" {
		if path, err := exec.LookPath("dot"); err == nil {
			return &Renderer{native: path}, nil
		}
	}
	return NewWASM(ctx)
}

// NewWASM returns a Renderer that always uses Graphviz compiled to
// WebAssembly. Close it when done.
func NewWASM(ctx context.Context) (*Renderer, error) {
	r := &Renderer{}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.start(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// Native returns the path of the system's dot the Renderer runs, or "" when
// it uses WebAssembly.
func (r *Renderer) Native() string { return r.native }

// start starts the WebAssembly build; r.mu is held.
func (r *Renderer) start(ctx context.Context) error {
	if r.gv != nil {
		return nil
	}
	gv, err := graphviz.New(ctx)
	if err != nil {
		return fmt.Errorf("svg: start graphviz: %w", err)
	}
	r.gv = gv
	return nil
}

// Close releases the WebAssembly build.
func (r *Renderer) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
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
// FDP...) and writes SVG: with the system's Graphviz, or WebAssembly when
// there is none or it fails on this diagram.
func (r *Renderer) Render(ctx context.Context, dot []byte, layout string, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if r.native != "" {
		r.mu.Lock()
		closed := r.closed
		r.mu.Unlock()
		if closed {
			return errors.New("svg: renderer is closed")
		}
		out, err := runDot(ctx, r.native, dot, layout, "svg")
		if err == nil {
			_, err = w.Write(stripProlog(out))
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// A crash or a refusal of this dot: WebAssembly's Graphviz may
		// well lay it out, and says what is wrong if not.
	}
	return r.wasm(ctx, dot, layout, w)
}

// RenderMany lays out each DOT text with the named layout engine and
// returns their SVGs, in order. With the system's Graphviz it runs one dot
// for them all (dot reads graph after graph): a process costs more than
// laying out a small diagram, so a site's thousands of table diagrams take
// a fraction of the time. When that dot fails, or gives another number of
// SVGs, each is rendered on its own as Render does.
func (r *Renderer) RenderMany(ctx context.Context, dots [][]byte, layout string) ([][]byte, error) {
	if len(dots) == 0 {
		return nil, nil
	}
	if r.native != "" && len(dots) > 1 {
		if out, err := runDot(ctx, r.native, bytes.Join(dots, []byte("\n")), layout, "svg"); err == nil {
			if svgs := splitSVGs(out); len(svgs) == len(dots) {
				return svgs, nil
			}
		} else if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	svgs := make([][]byte, len(dots))
	for i, d := range dots {
		var buf bytes.Buffer
		if err := r.Render(ctx, d, layout, &buf); err != nil {
			return nil, err
		}
		svgs[i] = buf.Bytes()
	}
	return svgs, nil
}

// splitSVGs cuts dot's output for several graphs into their SVGs, each from
// its <svg to its </svg>. Names are escaped in the SVG, so "</svg>" only
// ever ends a document.
func splitSVGs(out []byte) [][]byte {
	end := []byte("</svg>")
	var svgs [][]byte
	for {
		i := bytes.Index(out, end)
		if i < 0 {
			break
		}
		svgs = append(svgs, stripProlog(out[:i+len(end)]))
		out = out[i+len(end):]
	}
	return svgs
}

// wasm lays out with the WebAssembly build, one render at a time.
func (r *Renderer) wasm(ctx context.Context, dot []byte, layout string, w io.Writer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errors.New("svg: renderer is closed")
	}
	if err := r.start(ctx); err != nil {
		return err
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

// runDot runs the system's dot on the DOT text with the layout engine and
// output format given, and returns what it wrote.
func runDot(ctx context.Context, path string, dot []byte, layout, format string, args ...string) ([]byte, error) {
	if layout == "" {
		layout = Dot
	}
	cmd := exec.CommandContext(ctx, path, append([]string{"-K" + layout, "-T" + format}, args...)...)
	cmd.Stdin = bytes.NewReader(dot)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %w: %s", path, err, firstLine(stderr.String()))
	}
	if out.Len() == 0 {
		return nil, fmt.Errorf("%s wrote nothing: %s", path, firstLine(stderr.String()))
	}
	return out.Bytes(), nil
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
	out, err := runDot(ctx, path, dot, layout, "png", "-Gdpi=96")
	if err != nil {
		return fmt.Errorf("png: %w", err)
	}
	if !bytes.HasPrefix(out, []byte("\x89PNG")) {
		return fmt.Errorf("png: %s wrote no PNG", path)
	}
	_, err = w.Write(out)
	return err
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
