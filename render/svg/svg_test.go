package svg_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/dot"
	"github.com/seamsdev/seams/render/svg"
	"github.com/seamsdev/seams/schema"
)

var (
	shared     *svg.Renderer
	sharedOnce sync.Once
)

// renderer is the WebAssembly renderer: the build that is always there.
// TestNativeAndWASMAgree compares the system's Graphviz with it.
func renderer(t testing.TB) *svg.Renderer {
	sharedOnce.Do(func() {
		r, err := svg.NewWASM(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		shared = r
	})
	return shared
}

// svgDoc is the part of an SVG file the tests read.
type svgDoc struct {
	XMLName xml.Name `xml:"svg"`
	Groups  []group  `xml:"g"`
}

type group struct {
	ID     string  `xml:"id,attr"`
	Class  string  `xml:"class,attr"`
	Title  string  `xml:"title"`
	Groups []group `xml:"g"`
}

// nodes returns the titles of the SVG's node groups, at any depth.
func nodes(gs []group, out map[string]bool) map[string]bool {
	for _, g := range gs {
		if g.Class == "node" {
			if strings.HasPrefix(g.ID, "t-") {
				out[g.ID] = true
			} else {
				out[g.Title] = true
			}
		}
		nodes(g.Groups, out)
	}
	return out
}

func parse(t *testing.T, b []byte) svgDoc {
	t.Helper()
	var d svgDoc
	if err := xml.Unmarshal(b, &d); err != nil {
		t.Fatalf("SVG is not well-formed XML: %v\n%s", err, b)
	}
	return d
}

// TestSVG renders every golden DOT of render/dot and checks the SVG has a
// node for every table of the diagram, titled with the table's DOT ID.
func TestSVG(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	hs, ha := diagramtest.HostileSchema()
	link := func(n schema.TableName) string { return "t/" + n.Name + ".html" }
	tests := []struct {
		name string
		snap *schema.Snapshot
		a    interface {
			ContextsOf(schema.TableName) []string
		}
		g func(*diagram.Model) (*diagram.Graph, error)
	}{
		{"musiccorp sales", snap, a, func(m *diagram.Model) (*diagram.Graph, error) { return m.Context("sales") }},
		{"musiccorp orders", snap, a, func(m *diagram.Model) (*diagram.Graph, error) {
			return m.Neighbourhood(schema.TableName{Schema: "public", Name: "orders"}, 2)
		}},
		{"hostile context", hs, ha, func(m *diagram.Model) (*diagram.Graph, error) { return m.Context(ha.Contexts[1]) }},
		{"hostile neighbourhood", hs, ha, func(m *diagram.Model) (*diagram.Graph, error) {
			return m.Neighbourhood(hs.Tables[4].TableName(), 20)
		}},
	}
	r := renderer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			as := a
			if tt.snap == hs {
				as = ha
			}
			m := diagramtest.Model(tt.snap, as, diagram.Options{Link: link})
			g, err := tt.g(m)
			if err != nil {
				t.Fatal(err)
			}
			var d bytes.Buffer
			if err := dot.WriteGraph(&d, g); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := r.SVG(context.Background(), d.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			doc := parse(t, out.Bytes())
			got := nodes(doc.Groups, map[string]bool{})
			want := 0
			for _, c := range g.Clusters {
				for _, n := range c.Nodes {
					want++
					if !got[diagram.Slug(n.Name())] {
						t.Errorf("no SVG node with id %q for %s (have %v)", diagram.Slug(n.Name()), n.Name(), got)
					}
				}
			}
			if len(got) != want+1 { // + the legend
				t.Errorf("%d SVG nodes, want %d tables + legend", len(got), want)
			}
			if bytes.Contains(out.Bytes(), []byte("<script")) {
				t.Error("SVG contains a <script element")
			}
			if !bytes.HasPrefix(out.Bytes(), []byte("<svg")) {
				t.Errorf("SVG does not start with <svg: %.40q", out.Bytes())
			}
		})
	}
}

// TestHostileText checks the names come back out of the SVG exactly:
// Graphviz decoded what render/dot escaped, and escaped it again for XML.
func TestHostileText(t *testing.T) {
	hs, ha := diagramtest.HostileSchema()
	m := diagramtest.Model(hs, ha, diagram.Options{})
	g, err := m.Context(ha.Contexts[0])
	if err != nil {
		t.Fatal(err)
	}
	var d, out bytes.Buffer
	if err := dot.WriteGraph(&d, g); err != nil {
		t.Fatal(err)
	}
	if err := renderer(t).SVG(context.Background(), d.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	dec := xml.NewDecoder(&out)
	texts := map[string]bool{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if cd, ok := tok.(xml.CharData); ok {
			texts[strings.TrimSpace(string(cd))] = true
		}
	}
	for _, want := range []string{`<script>window.pwned=1</script>`, `it's`, `{brace}`, `a->b`, `naïve 東京 ü`, `#35;amp&amp;`, `ctx <script>window.pwned=1</script>`} {
		if !texts[want] {
			t.Errorf("SVG text lacks %q", want)
		}
	}
}

func TestContextMapSVG(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	m := diagramtest.Model(snap, a, diagram.Options{ContextLink: func(c string) string { return "c/" + c + ".html" }})
	var d, out bytes.Buffer
	if err := dot.WriteMap(&d, m.ContextMap()); err != nil {
		t.Fatal(err)
	}
	if err := renderer(t).SVG(context.Background(), d.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	got := nodes(parse(t, out.Bytes()).Groups, map[string]bool{})
	for _, c := range m.Groups() {
		if !got[c] {
			t.Errorf("context map SVG lacks context %s", c)
		}
	}
	if !bytes.Contains(out.Bytes(), []byte(`xlink:href="c/sales.html"`)) {
		t.Error("context node does not link to its page")
	}
	if dir := os.Getenv("SEAMS_TEST_OUT"); dir != "" {
		os.WriteFile(filepath.Join(dir, "musiccorp-map.svg"), out.Bytes(), 0o644)
	}
}

func TestBadDOT(t *testing.T) {
	err := renderer(t).SVG(context.Background(), []byte("digraph { a -> }"), io.Discard)
	if err == nil {
		t.Fatal("no error for bad DOT")
	}
}

// TestLargeCompactOsage lays out a compact 1,000-table diagram with osage,
// which the dot layout would not finish.
func TestLargeCompactOsage(t *testing.T) {
	snap, a := diagramtest.Synthetic(1000)
	m := diagramtest.Model(snap, a, diagram.Options{CompactAbove: 10, MaxTables: 5000})
	g, err := m.Neighbourhood(schema.TableName{Schema: "app", Name: "t00000"}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if g.Mode != diagram.Compact || g.Tables < 900 {
		t.Fatalf("mode %v, %d tables", g.Mode, g.Tables)
	}
	var d, out bytes.Buffer
	if err := dot.WriteGraph(&d, g); err != nil {
		t.Fatal(err)
	}
	if err := renderer(t).Render(context.Background(), d.Bytes(), svg.Osage, &out); err != nil {
		t.Fatal(err)
	}
	if n := len(nodes(parse(t, out.Bytes()).Groups, map[string]bool{})); n != g.Tables+1 {
		t.Errorf("%d nodes in SVG, want %d", n, g.Tables+1)
	}
}

// TestPNG renders PNG with the system's Graphviz. CI installs graphviz;
// without it the test checks the error says what to install.
func TestPNG(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	m := diagramtest.Model(snap, a, diagram.Options{})
	g, _ := m.Context("sales")
	var d, out bytes.Buffer
	if err := dot.WriteGraph(&d, g); err != nil {
		t.Fatal(err)
	}
	err := svg.PNG(context.Background(), d.Bytes(), "", &out)
	if _, lookErr := exec.LookPath("dot"); lookErr != nil {
		if !errors.Is(err, svg.ErrNoGraphviz) {
			t.Fatalf("without dot on PATH: err = %v, want ErrNoGraphviz", err)
		}
		t.Logf("dot not on PATH: %v", err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&out)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() < 400 || b.Dy() < 300 {
		t.Errorf("PNG is %v, too small for the sales diagram", b)
	}
	// Text and lines are drawn: a good share of pixels are neither white nor
	// one solid fill.
	colours := map[uint32]int{}
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|bl>>8]++
		}
	}
	if len(colours) < 50 {
		t.Errorf("PNG has only %d colours: no anti-aliased text", len(colours))
	}
	if dir := os.Getenv("SEAMS_TEST_OUT"); dir != "" {
		var again bytes.Buffer
		svg.PNG(context.Background(), d.Bytes(), "", &again)
		path := filepath.Join(dir, "musiccorp-sales.png")
		os.WriteFile(path, again.Bytes(), 0o644)
		t.Logf("wrote %s", path)
	}
	// Bad DOT is reported with Graphviz's message.
	if err := svg.PNG(context.Background(), []byte("digraph { a -> }"), "", io.Discard); err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("bad DOT: err = %v", err)
	}
}

// BenchmarkRepeatedRenders renders the same diagram again and again with
// one Renderer and reports the live heap growth per render: go-graphviz
// v0.2.10 never frees, in its WebAssembly memory, the DOT text it is given
// nor the SVG it returns. Cases: a 50-table context with its ghosts and
// legend, and a table page's neighbourhood (focus table only, no legend).
func BenchmarkRepeatedRenders(b *testing.B) {
	snap, a := diagramtest.Synthetic(200)
	m := diagramtest.Model(snap, a, diagram.Options{})
	ctxGraph, _ := m.Context("ctx001")
	nbGraph, _ := m.Neighbourhood(schema.TableName{Schema: "app", Name: "t00063"}, 1)
	nbGraph.FocusOnly, nbGraph.NoLegend = true, true
	for _, tc := range []struct {
		name string
		g    *diagram.Graph
	}{{"context-50", ctxGraph}, {"table-neighbourhood", nbGraph}} {
		b.Run(tc.name, func(b *testing.B) {
			var d bytes.Buffer
			if err := dot.WriteGraph(&d, tc.g); err != nil {
				b.Fatal(err)
			}
			r := renderer(b)
			ctx := context.Background()
			var out bytes.Buffer
			if err := r.SVG(ctx, d.Bytes(), &out); err != nil {
				b.Fatal(err)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := r.SVG(ctx, d.Bytes(), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(int64(after.HeapInuse)-int64(before.HeapInuse))/float64(b.N)/1024, "KiB-heap-growth/op")
			b.ReportMetric(float64(d.Len()+out.Len())/1024, "KiB-dot+svg")
			b.ReportMetric(float64(after.Sys)/(1<<20), "MiB-sys")
		})
	}
}

// BenchmarkCompactLayouts lays out the largest diagram the default budgets
// allow (600 tables, compact) with dot and with osage.
func BenchmarkCompactLayouts(b *testing.B) {
	snap, _ := diagramtest.Synthetic(diagram.DefaultMaxTables)
	m := diagramtest.Model(snap, contexts.BySchema(snap), diagram.Options{})
	g, err := m.Context("app")
	if err != nil {
		b.Fatal(err)
	}
	if g.Mode != diagram.Compact {
		b.Fatalf("mode %v", g.Mode)
	}
	var d bytes.Buffer
	if err := dot.WriteGraph(&d, g); err != nil {
		b.Fatal(err)
	}
	r := renderer(b)
	for _, layout := range []string{svg.Dot, svg.Osage} {
		b.Run(layout, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if err := r.Render(context.Background(), d.Bytes(), layout, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestGoldenDOTParses renders every golden DOT file of render/dot with
// go-graphviz (WebAssembly) and, where the system's Graphviz is installed (CI installs
// it), checks that dot reads it without a single warning: a broken HTML
// label only shows up there, as a warning and a fallback label.
func TestGoldenDOTParses(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "dot", "testdata", "*.dot"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden DOT files: %v", err)
	}
	system, _ := exec.LookPath("dot")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		if err := renderer(t).SVG(context.Background(), src, &out); err != nil {
			t.Errorf("%s: go-graphviz: %v", f, err)
		}
		if dir := os.Getenv("SEAMS_TEST_OUT"); dir != "" {
			// For review (and the README's context map): each golden as SVG and PNG.
			base := filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), ".dot"))
			os.WriteFile(base+".svg", out.Bytes(), 0o644)
			var png bytes.Buffer
			if err := svg.PNG(context.Background(), src, "", &png); err == nil {
				os.WriteFile(base+".png", png.Bytes(), 0o644)
			}
		}
		if system == "" {
			continue
		}
		cmd := exec.Command(system, "-Tsvg", "-o", os.DevNull, f)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s: dot: %v: %s", f, err, stderr.String())
		}
	}
	if system == "" {
		t.Log("dot not on PATH: checked with go-graphviz only")
	}
}
