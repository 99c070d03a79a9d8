package mermaid_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/mermaid"
	"github.com/seamsdev/seams/schema"
)

func TestGolden(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	m := diagramtest.Model(snap, a, diagram.Options{Inferred: []diagram.Edge{{Name: "audit_log.entity ~ orders",
		From: schema.TableName{Schema: "public", Name: "audit_log"}, To: schema.TableName{Schema: "public", Name: "orders"}}}, Views: true})
	hs, ha := diagramtest.HostileSchema()
	hm := diagramtest.Model(hs, ha, diagram.Options{Views: true})
	tests := []struct {
		name  string
		graph func() (*diagram.Graph, error)
	}{
		{"musiccorp-sales.mmd", func() (*diagram.Graph, error) { return m.Context("sales") }},
		{"musiccorp-catalog.mmd", func() (*diagram.Graph, error) { return m.Context("catalog") }},
		{"musiccorp-orders-1.mmd", func() (*diagram.Graph, error) {
			return m.Neighbourhood(schema.TableName{Schema: "public", Name: "orders"}, 1)
		}},
		{"hostile-context.mmd", func() (*diagram.Graph, error) { return hm.Context(ha.Contexts[0]) }},
		{"hostile-neighbourhood.mmd", func() (*diagram.Graph, error) {
			return hm.Neighbourhood(schema.TableName{Schema: hs.Tables[0].Schema, Name: diagramtest.Hostile[4]}, 3)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := tt.graph()
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			if err := mermaid.Write(&b, g); err != nil {
				t.Fatal(err)
			}
			checkStructure(t, b.String())
			golden.Assert(t, filepath.Join("testdata", tt.name), b.Bytes())
		})
	}
}

// The statements this package writes, in the subset of Mermaid's erDiagram
// grammar it uses.
var (
	reQuoted   = `"[^"\n]*"`
	reEntity   = regexp.MustCompile(`^    t[0-9]+\[` + reQuoted + `\]( \{)?$`)
	reAttr     = regexp.MustCompile(`^        [A-Za-z_][A-Za-z0-9_()\[\]-]* [A-Za-z_*][A-Za-z0-9_()\[\]-]*( (PK|FK|UK)(, (PK|FK|UK))*)?( ` + reQuoted + `)?$`)
	reRel      = regexp.MustCompile(`^    t[0-9]+ (\|\||\|o)(--|\.\.)o\{ t[0-9]+ : ` + reQuoted + `$`)
	reComment  = regexp.MustCompile(`^    %%[^\n]*$`)
	reBlockEnd = regexp.MustCompile(`^    \}$`)
)

// checkStructure checks every line against the statements of the grammar,
// that blocks balance, and that every relationship names declared entities.
func checkStructure(t *testing.T, text string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if lines[0] != "erDiagram" {
		t.Fatalf("first line %q", lines[0])
	}
	declared := map[string]bool{}
	open := false
	for i, l := range lines[1:] {
		switch {
		case reEntity.MatchString(l):
			if open {
				t.Errorf("line %d: entity inside a block", i+2)
			}
			declared[l[4:strings.IndexByte(l, '[')]] = true
			open = strings.HasSuffix(l, "{")
		case reAttr.MatchString(l):
			if !open {
				t.Errorf("line %d: attribute outside a block", i+2)
			}
		case reBlockEnd.MatchString(l):
			if !open {
				t.Errorf("line %d: } without block", i+2)
			}
			open = false
		case reRel.MatchString(l):
			f := strings.Fields(l)
			if !declared[f[0]] || !declared[f[2]] {
				t.Errorf("line %d: relationship between undeclared entities: %q", i+2, l)
			}
		case reComment.MatchString(l):
		default:
			t.Errorf("line %d does not parse: %q", i+2, l)
		}
	}
	if open {
		t.Error("unclosed block")
	}
	if strings.Contains(text, "<script") {
		t.Error("raw <script in Mermaid text")
	}
}

func TestBudgets(t *testing.T) {
	snap, a := diagramtest.Synthetic(1200)
	tests := []struct {
		name        string
		opts        diagram.Options
		wantErr     bool
		wantColumns bool
	}{
		{"full", diagram.Options{}, false, true},
		// 100 full tables of six columns are over 50,000 characters: compact.
		{"compact by size", diagram.Options{CompactAbove: 5000, MaxTables: 5000}, false, false},
		{"too large", diagram.Options{CompactAbove: 10, MaxTables: 20}, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := diagramtest.Model(snap, a, tt.opts)
			var g *diagram.Graph
			var err error
			if tt.name == "compact by size" {
				// The smallest neighbourhood of 200 tables or more.
				for depth := 1; depth < 50 && (g == nil || g.Tables < 200); depth++ {
					g, err = m.Neighbourhood(schema.TableName{Schema: "app", Name: "t00100"}, depth)
				}
				if g.Mode != diagram.Full || g.Tables < 200 || g.Tables > 400 {
					t.Fatalf("neighbourhood: mode %v, %d tables; want a full diagram of 200 to 400", g.Mode, g.Tables)
				}
			} else {
				g, err = m.Context("ctx003")
			}
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			err = mermaid.Write(&b, g)
			if tt.wantErr {
				if !errors.Is(err, diagram.ErrTooLarge) {
					t.Fatalf("err = %v, want ErrTooLarge", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if b.Len() > mermaid.MaxTextSize {
				t.Errorf("%d characters", b.Len())
			}
			if got := strings.Contains(b.String(), "parent_id"); got != tt.wantColumns {
				t.Errorf("columns shown = %v, want %v (%d tables, %d chars)", got, tt.wantColumns, g.Tables, b.Len())
			}
			checkStructure(t, b.String())
		})
	}
}

// TestFixtureGolden writes the MusicCorp fixture, read from its checked-in
// snapshot, as Mermaid: every context and a neighbourhood.
func TestFixtureGolden(t *testing.T) {
	f := diagramtest.LoadMusicCorp(t)
	m := diagram.NewModel(f.Ownership, diagram.Options{Views: true})
	graphs := map[string]*diagram.Graph{}
	for _, c := range f.Ownership.Contexts() {
		g, err := m.Context(c)
		if err != nil {
			t.Fatal(err)
		}
		graphs["fixture-context-"+c+".mmd"] = g
	}
	g, err := m.Neighbourhood(schema.TableName{Schema: "public", Name: "customer_order"}, 2)
	if err != nil {
		t.Fatal(err)
	}
	graphs["fixture-customer_order-2.mmd"] = g
	for name, g := range graphs {
		var b bytes.Buffer
		if err := mermaid.Write(&b, g); err != nil {
			t.Fatal(err)
		}
		checkStructure(t, b.String())
		golden.Assert(t, filepath.Join("testdata", name), b.Bytes())
	}
}
