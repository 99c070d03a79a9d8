package suggest_test

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/suggest"
	"github.com/seamsdev/seams/tablegraph"
	"github.com/seamsdev/seams/usage"
)

func name(n string) schema.TableName {
	if s, t, ok := strings.Cut(n, "."); ok {
		return schema.TableName{Schema: s, Name: t}
	}
	return schema.TableName{Schema: "app", Name: n}
}

// table returns a table with an id key and one foreign key to each parent.
func table(n string, parents ...string) schema.Table {
	tn := name(n)
	t := schema.Table{Schema: tn.Schema, Name: tn.Name, Kind: schema.KindTable, Columns: []schema.Column{{Name: "id", Type: "integer"}},
		PrimaryKey: &schema.Key{Name: tn.Name + "_pkey", Columns: []string{"id"}}}
	for k, p := range parents {
		col := fmt.Sprintf("ref%d_id", k)
		t.Columns = append(t.Columns, schema.Column{Name: col, Type: "integer"})
		t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: fmt.Sprintf("%s_%s_fkey", tn.Name, col), Columns: []string{col},
			References: name(p), RefColumns: []string{"id"}, OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true})
	}
	return t
}

func snapshot(tables ...schema.Table) *schema.Snapshot {
	s := &schema.Snapshot{Format: schema.FormatVersion, Source: schema.Source{Engine: schema.Postgres, Database: "db"},
		Schemas: []schema.Schema{{Name: "app"}}, Tables: tables}
	s.Normalize()
	return s
}

func resolve(t *testing.T, s *schema.Snapshot, yaml string) *contexts.Assignment {
	t.Helper()
	m, err := contexts.Parse("map.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func run(t *testing.T, s *schema.Snapshot, a *contexts.Assignment, opts suggest.Options) *suggest.Result {
	t.Helper()
	r, err := suggest.Suggest(ownership.New(s, a, ownership.Options{}), opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// labels returns the suggested context of each table of ns ("" for none).
func labels(r *suggest.Result, ns []schema.TableName) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		for _, c := range r.Contexts {
			if slices.Contains(c.Tables, n) {
				out[i] = c.Name
			}
		}
	}
	return out
}

func TestAdjustedRand(t *testing.T) {
	// The values scikit-learn documents for adjusted_rand_score.
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"0011", "0011", 1},
		{"0011", "1100", 1},
		{"0012", "0011", 0.5714285714285715},
		{"0011", "0101", -0.5},
		{"0000", "0123", 0},
		{"0000", "0000", 1},
		{"0123", "0123", 1},
	} {
		got := suggest.AdjustedRand(strings.Split(tc.a, ""), strings.Split(tc.b, ""))
		if math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("AdjustedRand(%s, %s) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

// planted returns a schema of k contexts of size tables each: within a
// context each table references one or two earlier ones; every table
// references the mutable hub users (which references org) and every
// fourth table the code list country (200 rows). truth is each
// context's tables.
func planted(k, size int) (*schema.Snapshot, [][]schema.TableName) {
	rnd := rand.New(rand.NewPCG(7, 7))
	tables := []schema.Table{table("org"), table("users", "org"), table("country")}
	tables[1].RowEstimate = schema.Int64(1_000_000)
	tables[2].RowEstimate = schema.Int64(200)
	truth := make([][]schema.TableName, k)
	for c := range k {
		for i := range size {
			n := fmt.Sprintf("e%d_%d", c, i)
			var parents []string
			if i > 0 {
				parents = append(parents, fmt.Sprintf("e%d_%d", c, rnd.IntN(i)))
				if i > 1 {
					parents = append(parents, fmt.Sprintf("e%d_%d", c, rnd.IntN(i)))
				}
			}
			parents = append(parents, "users")
			if i%4 == 0 {
				parents = append(parents, "country")
			}
			t := table(n, parents...)
			t.RowEstimate = schema.Int64(50_000)
			tables = append(tables, t)
			truth[c] = append(truth[c], name(n))
		}
	}
	return snapshot(tables...), truth
}

// TestHubsAndStaticData checks that a table everything references (users)
// and a code list many contexts use (country) do not glue the contexts:
// users becomes a context of its own, country static data, and the
// planted contexts come back exactly.
func TestHubsAndStaticData(t *testing.T) {
	s, truth := planted(4, 12)
	r := run(t, s, nil, suggest.Options{Graph: tablegraph.Options{NoHints: true}})
	var all, want []string
	for c, ns := range truth {
		all = append(all, labels(r, ns)...)
		for range ns {
			want = append(want, fmt.Sprint(c))
		}
	}
	if ari := suggest.AdjustedRand(want, all); ari != 1 {
		t.Errorf("adjusted Rand index %v, want 1: %v", ari, all)
	}
	if len(r.Static) != 1 || r.Static[0].Table != name("country") || len(r.Static[0].Users) != 4 {
		t.Errorf("static %+v", r.Static)
	}
	i := slices.IndexFunc(r.Contexts, func(c suggest.Context) bool { return c.Hub })
	if i < 0 || r.Contexts[i].Name != "users" || !slices.Equal(r.Contexts[i].Tables, []schema.TableName{name("org"), name("users")}) {
		t.Errorf("hub context: %+v", r.Contexts)
	}
	if len(r.Contexts) != 5 {
		t.Errorf("%d contexts, want 4 and the hub", len(r.Contexts))
	}
}

// TestSmallGroupsAndIsolated checks that every table is placed: a table
// with one coupling joins the context it is tied to, a pair tied to
// nothing else stays a context of two, a table tied to nothing is
// isolated.
func TestSmallGroupsAndIsolated(t *testing.T) {
	s := snapshot(table("a0"), table("a1", "a0"), table("a2", "a0", "a1"), table("a3", "a1", "a2"), table("leaf", "a3"),
		table("p0"), table("p1", "p0"), table("alone"))
	r := run(t, s, nil, suggest.Options{Graph: tablegraph.Options{NoHints: true}})
	got := labels(r, []schema.TableName{name("a0"), name("leaf"), name("p0"), name("p1"), name("alone")})
	if got[0] == "" || got[1] != got[0] || got[2] == "" || got[3] != got[2] || got[2] == got[0] || got[4] != "" {
		t.Errorf("contexts %v", got)
	}
	if !slices.Equal(r.Isolated, []schema.TableName{name("alone")}) {
		t.Errorf("isolated %v", r.Isolated)
	}
	placed := len(r.Isolated) + len(r.Static)
	for _, c := range r.Contexts {
		placed += len(c.Tables)
	}
	if placed != len(s.Tables) {
		t.Errorf("%d tables placed of %d", placed, len(s.Tables))
	}
}

func TestMaxContexts(t *testing.T) {
	s, _ := plantedPartition(6, 15, 0.1, 1)
	r := run(t, s, nil, suggest.Options{MaxContexts: 3, Graph: tablegraph.Options{NoHints: true}})
	if len(r.Contexts) > 3 || r.Resolution >= 1 || len(r.Warnings) > 0 {
		t.Errorf("%d contexts at resolution %v, warnings %v", len(r.Contexts), r.Resolution, r.Warnings)
	}
	// Four groups of tables with no coupling between them cannot make two.
	islands := snapshot(table("a0"), table("a1", "a0"), table("b0"), table("b1", "b0"), table("c0"), table("c1", "c0"), table("d0"), table("d1", "d0"))
	r = run(t, islands, nil, suggest.Options{MaxContexts: 2, Graph: tablegraph.Options{NoHints: true}})
	if len(r.Contexts) != 4 || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "4 groups") {
		t.Errorf("%d contexts, warnings %v", len(r.Contexts), r.Warnings)
	}
}

// TestHostileNames checks that names with glob characters, dots, line
// breaks and a name found in two schemas give a map that reads back to the
// same tables (Suggest checks it) and whose comments stay comments.
func TestHostileNames(t *testing.T) {
	dotted := table("dotted", "a*b")
	dotted.Name = "x.y"
	s := snapshot(table("a*b"), dotted, table("new\nline"), table("quote'\"", "a*b"), table("billing.a*b", "quote'\""),
		table("billing.[c]", "billing.a*b"), table("billing.d?", "billing.[c]", "billing.a*b"))
	s.Schemas = append(s.Schemas, schema.Schema{Name: "billing"})
	r := run(t, s, nil, suggest.Options{})
	y, err := r.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(y), "#   - new\\x0aline\n") {
		t.Errorf("the isolated table's line break is not escaped in its comment:\n%s", y)
	}
	a := resolve(t, s, string(y))
	if !slices.Equal(a.Unassigned, r.Isolated) || len(a.Warnings) > 0 {
		t.Errorf("unassigned %v, warnings %v", a.Unassigned, a.Warnings)
	}
	for _, c := range r.Contexts {
		for _, n := range c.Tables {
			if !slices.Contains(a.ContextsOf(n), c.Name) {
				t.Errorf("%q is not in %q once read back", n, c.Name)
			}
		}
	}
}

// TestDeterministic checks that the same snapshot, in any order, gives the
// same map.
func TestDeterministic(t *testing.T) {
	s, _ := planted(5, 15)
	first, err := run(t, s, nil, suggest.Options{}).YAML()
	if err != nil {
		t.Fatal(err)
	}
	for seed := range uint64(3) {
		shuffled, _ := planted(5, 15)
		rand.New(rand.NewPCG(seed, seed)).Shuffle(len(shuffled.Tables), func(i, j int) {
			shuffled.Tables[i], shuffled.Tables[j] = shuffled.Tables[j], shuffled.Tables[i]
		})
		again, err := run(t, shuffled, nil, suggest.Options{}).YAML()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatalf("run %d differs:\n%s", seed, golden.Diff("first", string(first), string(again)))
		}
	}
}

// musicCorp returns the MusicCorp snapshot, with the usage found in its
// application's code when withUsage.
func musicCorp(t *testing.T, withUsage bool) *schema.Snapshot {
	t.Helper()
	s, err := schema.Decode(bytes.NewReader(musiccorp.SnapshotJSON))
	if err != nil {
		t.Fatal(err)
	}
	if withUsage {
		b, err := usage.NewBuilder(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := usage.ScanCode("../fixtures/musiccorp/app/src", b); err != nil {
			t.Fatal(err)
		}
		s.Usage = b.Build()
	}
	return s
}

// TestMusicCorpGolden writes the suggested map of MusicCorp from its
// schema alone, and the text report with its usage and its contexts map.
func TestMusicCorpGolden(t *testing.T) {
	s := musicCorp(t, false)
	y, err := run(t, s, nil, suggest.Options{}).YAML()
	if err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "testdata/musiccorp.yaml", y)

	s = musicCorp(t, true)
	r := run(t, s, resolve(t, s, musiccorp.ContextsYAML), suggest.Options{})
	var text bytes.Buffer
	if err := r.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "testdata/musiccorp-given.txt", text.Bytes())
	var js bytes.Buffer
	if err := r.Encode(&js); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, "testdata/musiccorp-given.json", js.Bytes())
}

// TestOutline checks that the outline plan measures what the full plan
// measures (MusicCorp with its usage and its map, and a planted
// partition), and that only the full plan writes the steps' SQL.
func TestOutline(t *testing.T) {
	mc := musicCorp(t, true)
	pp, _ := plantedPartition(6, 15, 0.2, 1)
	cases := []struct {
		name string
		s    *schema.Snapshot
		a    *contexts.Assignment
	}{
		{"MusicCorp with its map", mc, resolve(t, mc, musiccorp.ContextsYAML)},
		{"planted partition", pp, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var js [2]bytes.Buffer
			var sql [2]int
			for k, outline := range []bool{false, true} {
				r := run(t, tc.s, tc.a, suggest.Options{Outline: outline})
				if err := r.Encode(&js[k]); err != nil {
					t.Fatal(err)
				}
				for _, st := range r.Analysis().Plan.Steps {
					sql[k] += len(st.Up)
				}
			}
			if js[0].String() != js[1].String() {
				t.Errorf("the outline measures differently:\n%s\nwant\n%s", js[1].String(), js[0].String())
			}
			if sql[0] == 0 || sql[1] != 0 {
				t.Errorf("SQL of the steps: %d statements in the full plan, %d in the outline", sql[0], sql[1])
			}
		})
	}
}

// TestRoundTrip feeds the suggested map to the plan: it resolves with no
// warning, every table is where the suggestion puts it, and the plan's
// only unassigned tables are the isolated ones.
func TestRoundTrip(t *testing.T) {
	for _, withUsage := range []bool{false, true} {
		s := musicCorp(t, withUsage)
		r := run(t, s, nil, suggest.Options{})
		y, err := r.YAML()
		if err != nil {
			t.Fatal(err)
		}
		a := resolve(t, s, string(y))
		if len(a.Warnings) > 0 {
			t.Errorf("warnings: %v", a.Warnings)
		}
		an, err := analysis.Run(s, a, analysis.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Contexts {
			for _, n := range c.Tables {
				if !slices.Contains(an.Ownership.Claimants(n), c.Name) {
					t.Errorf("%s: claimants %v, want %s", n, an.Ownership.Claimants(n), c.Name)
				}
			}
		}
		for _, st := range r.Static {
			if !an.Ownership.IsStatic(st.Table) {
				t.Errorf("%s is not static in the plan", st.Table)
			}
		}
		var unassigned []schema.TableName
		for _, f := range an.Plan.Findings {
			if f.Kind == plan.KindUnassigned {
				unassigned = append(unassigned, schema.TableName{Schema: f.Objects[0].Schema, Name: f.Objects[0].Name})
			}
		}
		if !slices.Equal(unassigned, r.Isolated) {
			t.Errorf("unassigned in the plan %v, isolated %v", unassigned, r.Isolated)
		}
	}
}

// TestGivenMap checks the comparison with MusicCorp's own map: the home
// proposed for gift_card, the tables that look misplaced, and that the
// numbers side by side are those of each map.
func TestGivenMap(t *testing.T) {
	s := musicCorp(t, false)
	a := resolve(t, s, musiccorp.ContextsYAML)
	r := run(t, s, a, suggest.Options{})
	g := r.Given
	if g == nil {
		t.Fatal("no comparison")
	}
	i := slices.IndexFunc(g.Unassigned, func(p suggest.Proposal) bool { return p.Table.Name == "gift_card" })
	if i < 0 || g.Unassigned[i].Context != "finance" || g.Unassigned[i].Couplings != "2 foreign keys" {
		t.Errorf("gift_card: %+v", g.Unassigned)
	}
	if g.Contexts != 5 || g.Crossing <= r.Suggested.Crossing || g.Modularity >= r.Suggested.Modularity {
		t.Errorf("given %+v, suggested %+v", g.Measure, r.Suggested)
	}
	if !slices.ContainsFunc(g.Misplaced, func(m suggest.Misplaced) bool {
		return m.Table.Name == "reco_similar_album" && m.Context == "recommendation" && m.Goes == "catalog"
	}) {
		t.Errorf("misplaced %+v", g.Misplaced)
	}
	// The given map's ignore: and static: are kept.
	if !slices.Equal(r.Ignored, []schema.TableName{name("public.schema_migrations")}) || len(r.Static) != 1 {
		t.Errorf("ignored %v static %v", r.Ignored, r.Static)
	}
}
