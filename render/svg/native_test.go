package svg_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/dot"
	"github.com/seamsdev/seams/render/svg"
)

// shape is what a laid-out diagram shows, whatever draws it: its nodes
// (by id for tables, else by title), its edges and its clusters (by
// title), each sorted.
type shape struct {
	nodes, edges, clusters []string
}

func shapeOf(t *testing.T, b []byte) shape {
	t.Helper()
	var s shape
	var walk func([]group)
	walk = func(gs []group) {
		for _, g := range gs {
			switch g.Class {
			case "node":
				if strings.HasPrefix(g.ID, "t-") || strings.HasPrefix(g.ID, "v-") {
					s.nodes = append(s.nodes, g.ID)
				} else {
					s.nodes = append(s.nodes, g.Title)
				}
			case "edge":
				s.edges = append(s.edges, g.Title)
			case "cluster":
				s.clusters = append(s.clusters, g.Title)
			}
			walk(g.Groups)
		}
	}
	walk(parse(t, b).Groups)
	for _, l := range [][]string{s.nodes, s.edges, s.clusters} {
		slices.Sort(l)
	}
	return s
}

// TestNativeAndWASMAgree lays out every golden DOT file of render/dot, a
// context of a 2,000-table schema (compact) and its 20-context map with
// the system's Graphviz and with WebAssembly: both give well-formed SVG
// with the same nodes, edges and clusters. CI installs Graphviz; the test
// fails without it rather than compare nothing.
func TestNativeAndWASMAgree(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		t.Fatal("no dot on PATH: install Graphviz (Debian: apt-get install -y graphviz)")
	}
	native, err := svg.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer native.Close()
	if native.Native() == "" {
		t.Fatalf("svg.New does not use the system's dot ($%s=%q)", svg.EnvGraphviz, os.Getenv(svg.EnvGraphviz))
	}
	inputs := map[string][]byte{}
	files, err := filepath.Glob(filepath.Join("..", "dot", "testdata", "*.dot"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden DOT files: %v", err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[filepath.Base(f)] = src
	}
	snap, a, err := diagramtest.SynthSnapshot(synth.Options{Tables: 2000, Contexts: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	m := diagramtest.Model(snap, a, diagram.Options{Views: true})
	g, err := m.Context(m.Groups()[0])
	if err != nil {
		t.Fatal(err)
	}
	var ctxDOT, mapDOT bytes.Buffer
	if err := dot.WriteGraph(&ctxDOT, g); err != nil {
		t.Fatal(err)
	}
	if err := dot.WriteMap(&mapDOT, m.ContextMap()); err != nil {
		t.Fatal(err)
	}
	inputs["synth context"], inputs["synth map"] = ctxDOT.Bytes(), mapDOT.Bytes()
	for name, src := range inputs {
		t.Run(name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := native.SVG(context.Background(), src, &a); err != nil {
				t.Fatal(err)
			}
			if err := renderer(t).SVG(context.Background(), src, &b); err != nil {
				t.Fatal(err)
			}
			for _, out := range [][]byte{a.Bytes(), b.Bytes()} {
				if !bytes.HasPrefix(out, []byte("<svg")) || !bytes.HasSuffix(bytes.TrimSpace(out), []byte("</svg>")) {
					t.Fatalf("not an inline SVG: %.60q ... %.20q", out, out[max(0, len(out)-20):])
				}
				if err := xml.Unmarshal(out, new(svgDoc)); err != nil {
					t.Fatalf("not well-formed: %v", err)
				}
			}
			na, wa := shapeOf(t, a.Bytes()), shapeOf(t, b.Bytes())
			if len(na.nodes) == 0 {
				t.Fatal("no nodes")
			}
			for _, c := range []struct {
				what string
				n, w []string
			}{{"nodes", na.nodes, wa.nodes}, {"edges", na.edges, wa.edges}, {"clusters", na.clusters, wa.clusters}} {
				if !slices.Equal(c.n, c.w) {
					t.Errorf("%s differ:\nnative %q\nwasm   %q", c.what, c.n, c.w)
				}
			}
		})
	}
}

// TestForceWASM: $SEAMS_GRAPHVIZ=wasm makes New use WebAssembly.
func TestForceWASM(t *testing.T) {
	t.Setenv(svg.EnvGraphviz, "wasm")
	r, err := svg.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Native() != "" {
		t.Errorf("uses %s", r.Native())
	}
}

// TestRenderMany lays out the golden DOT files of render/dot in one dot
// and one by one: the same SVGs, in order.
func TestRenderMany(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "dot", "testdata", "*.dot"))
	if err != nil || len(files) < 3 {
		t.Fatalf("golden DOT files: %v", err)
	}
	var dots [][]byte
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dots = append(dots, src)
	}
	for name, r := range map[string]*svg.Renderer{"native": nativeRenderer(t), "wasm": renderer(t)} {
		t.Run(name, func(t *testing.T) {
			many, err := r.RenderMany(context.Background(), dots, svg.Dot)
			if err != nil {
				t.Fatal(err)
			}
			if len(many) != len(dots) {
				t.Fatalf("%d SVGs for %d graphs", len(many), len(dots))
			}
			for i, d := range dots {
				var one bytes.Buffer
				if err := r.SVG(context.Background(), d, &one); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(bytes.TrimSpace(many[i]), bytes.TrimSpace(one.Bytes())) {
					t.Errorf("%s: laid out with the others, it differs from alone", filepath.Base(files[i]))
				}
			}
		})
	}
}

func nativeRenderer(t *testing.T) *svg.Renderer {
	t.Helper()
	if _, err := exec.LookPath("dot"); err != nil {
		t.Fatal("no dot on PATH: install Graphviz (Debian: apt-get install -y graphviz)")
	}
	t.Setenv(svg.EnvGraphviz, "")
	r, err := svg.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}
