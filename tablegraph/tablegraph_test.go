package tablegraph_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/tablegraph"
)

func name(n string) schema.TableName {
	if s, t, ok := strings.Cut(n, "."); ok {
		return schema.TableName{Schema: s, Name: t}
	}
	return schema.TableName{Schema: "app", Name: n}
}

func table(n string, fks ...string) schema.Table {
	tn := name(n)
	t := schema.Table{Schema: tn.Schema, Name: tn.Name, Kind: schema.KindTable, Columns: []schema.Column{{Name: "id", Type: "integer"}},
		PrimaryKey: &schema.Key{Name: tn.Name + "_pkey", Columns: []string{"id"}}}
	for _, p := range fks {
		col := name(p).Name + "_id"
		t.Columns = append(t.Columns, schema.Column{Name: col, Type: "integer"})
		t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: tn.Name + "_" + col + "_fkey", Columns: []string{col},
			References: name(p), RefColumns: []string{"id"}, OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true})
	}
	return t
}

func snapshot(tables ...schema.Table) *schema.Snapshot {
	s := &schema.Snapshot{Format: schema.FormatVersion, Source: schema.Source{Engine: schema.Postgres, Database: "db"},
		Schemas: []schema.Schema{{Name: "app"}, {Name: "billing"}}, Tables: tables}
	s.Normalize()
	return s
}

func model(t *testing.T, s *schema.Snapshot, yaml string) *ownership.Model {
	t.Helper()
	if yaml == "" {
		return ownership.New(s, nil, ownership.Options{})
	}
	m, err := contexts.Parse("map.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	return ownership.New(s, a, ownership.Options{})
}

// couplings returns the graph's couplings as "kind name weight: tables".
func couplings(g *tablegraph.Graph) []string {
	var out []string
	for _, c := range g.Couplings {
		var ns []string
		for _, i := range c.Tables {
			ns = append(ns, g.Tables[i].Name)
		}
		out = append(out, fmt.Sprintf("%s %s %.3g: %s", c.Kind, c.Name, c.Weight, strings.Join(ns, " ")))
	}
	return out
}

func TestCouplings(t *testing.T) {
	ref := func(child, col, parent string, score float64) schema.InferredReference {
		return schema.InferredReference{Table: name(child), Columns: []string{col}, References: name(parent), RefColumns: []string{"id"}, Score: score,
			Evidence: []schema.Evidence{{Source: schema.EvidenceName, Detail: col, Score: score}}}
	}
	cases := []struct {
		name  string
		snap  func() *schema.Snapshot
		yaml  string
		opts  tablegraph.Options
		want  []string
		nodes int
	}{{
		name:  "foreign keys, self references left out",
		snap:  func() *schema.Snapshot { return snapshot(table("orders", "customer", "orders"), table("customer")) },
		opts:  tablegraph.Options{NoHints: true},
		want:  []string{"foreign_key app.orders.orders_customer_id_fkey 1: customer orders"},
		nodes: 2,
	}, {
		name: "inferred references by score, under the threshold and denied ones left out, confirmed and declared ones at 1",
		snap: func() *schema.Snapshot {
			s := snapshot(table("a"), table("b"), table("c"), table("d"))
			s.Tables[0].Columns = append(s.Tables[0].Columns, schema.Column{Name: "b_id", Type: "integer"}, schema.Column{Name: "c_id", Type: "integer"}, schema.Column{Name: "d_id", Type: "integer"})
			s.Tables[1].Columns = append(s.Tables[1].Columns, schema.Column{Name: "c_id", Type: "integer"}, schema.Column{Name: "x_id", Type: "integer"})
			s.Inferred = []schema.InferredReference{ref("a", "b_id", "b", 0.7), ref("a", "c_id", "c", 0.5), ref("a", "d_id", "d", 0.9), ref("b", "c_id", "c", 0.4)}
			schema.NormalizeInferred(s.Inferred)
			return s
		},
		yaml: "contexts: {}\nrelations:\n  deny: [\"a.d_id -> d\"]\n  confirm: [\"b.c_id -> c\"]\n  declare: [\"b.x_id -> d\"]\n",
		opts: tablegraph.Options{NoHints: true},
		want: []string{
			"reference app.a(b_id) -> app.b(id) 0.7: a b",
			"reference app.b(c_id) -> app.c(id) 1: b c",
			"reference app.b(x_id) -> app.d(id) 1: b d",
		},
		nodes: 4,
	}, {
		name: "a view spread over its tables, through the views it reads; a trigger; ignored tables left out",
		snap: func() *schema.Snapshot {
			s := snapshot(table("a"), table("b"), table("c"), table("tmp"))
			s.Views = []schema.View{
				{Schema: "app", Name: "inner", Reads: []schema.TableName{name("b"), name("c")}},
				{Schema: "app", Name: "outer", Reads: []schema.TableName{name("a"), name("inner"), name("tmp")}},
			}
			s.Triggers = []schema.Trigger{{Schema: "app", Name: "t", Table: name("a"), Writes: []schema.TableName{name("b")}, Reads: []schema.TableName{name("a")}}}
			return s
		},
		yaml: "contexts: {}\nignore: [tmp]\n",
		opts: tablegraph.Options{NoHints: true},
		want: []string{
			"view app.inner 1: b c",
			"view app.outer 0.5: a b c",
			"trigger app.t 1: a b",
		},
		nodes: 3,
	}, {
		name: "statements by calls, units of work, modules of code and database users",
		snap: func() *schema.Snapshot {
			s := snapshot(table("a"), table("b"), table("c"), table("d"), table("e"), table("f"))
			s.Usage = &schema.Usage{Statements: []schema.Statement{
				{ID: "code/1", Calls: 1, Callers: []schema.Caller{{File: "shop/orders.go", Calls: 1}}, Reads: []schema.TableName{name("a"), name("b")}},
				{ID: "code/2", Calls: 1, Callers: []schema.Caller{{File: "shop/pay.go", Calls: 1}}, Writes: []schema.TableName{name("c")}},
				{ID: "pg/1", Calls: 10000, Callers: []schema.Caller{{User: "app", Calls: 10000}}, Reads: []schema.TableName{name("d")}, Writes: []schema.TableName{name("e")}},
				{ID: "pg/2", Calls: 100, Reads: []schema.TableName{name("a"), name("b"), name("c")}},
			}, Units: []schema.Unit{{Location: schema.Location{File: "shop/orders.go", Line: 3}, Writes: []schema.TableName{name("a"), name("c")}}}}
			s.Usage.Normalize()
			return s
		},
		want: []string{
			"statement code/1 1: a b",
			"statement pg/1 3: d e",
			"statement pg/2 1: a b c",
			"unit_of_work shop/orders.go:3 1: a c",
			"module code shop 0.5: a b c",
			"module user app  1: d e",
		},
		nodes: 6,
	}, {
		name: "name prefixes, words and schemas",
		snap: func() *schema.Snapshot {
			return snapshot(table("reco_run"), table("reco_listen_events"), table("album"), table("similar_album"), table("billing.invoice"), table("billing.tax"),
				table("x1"), table("x2"))
		},
		want: []string{
			"prefix reco 1: reco_listen_events reco_run",
			"name_word album 0.25: album similar_album",
			"schema billing 1: invoice tax",
		},
		nodes: 8,
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := tablegraph.New(model(t, tc.snap(), tc.yaml), tc.opts)
			if got := couplings(g); !slices.Equal(got, tc.want) {
				t.Errorf("couplings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if len(g.Tables) != tc.nodes {
				t.Errorf("%d tables, want %d", len(g.Tables), tc.nodes)
			}
		})
	}
}

func TestStatementWeight(t *testing.T) {
	for _, tc := range []struct {
		calls int64
		want  float64
	}{{0, 1}, {1, 1}, {100, 2}, {10000, 3}, {1e9, 3}} {
		if got := tablegraph.StatementWeight(tc.calls); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("StatementWeight(%d) = %v, want %v", tc.calls, got, tc.want)
		}
	}
}

// TestEdgeStrong checks that an edge's Strong weight is what the couplings
// other than hints give, and zero between tables only hints tie.
func TestEdgeStrong(t *testing.T) {
	s := snapshot(table("reco_run", "album"), table("reco_event", "reco_run"), table("reco_tag"), table("album"), table("x1"), table("x2"),
		table("x3")) // a prefix more than half of the tables share adds nothing
	s.Views = []schema.View{{Schema: "app", Name: "v", Reads: []schema.TableName{name("reco_run"), name("album")}}}
	g := tablegraph.New(model(t, s, ""), tablegraph.Options{})
	cases := []struct {
		a, b           string
		weight, strong float64
	}{
		{"reco_run", "album", 2, 2},        // a foreign key and a view
		{"reco_event", "reco_run", 1.5, 1}, // a foreign key and the prefix reco (three tables)
		{"reco_tag", "reco_run", 0.5, 0},   // the prefix only
		{"x1", "album", 0, 0},              // nothing
	}
	for _, tc := range cases {
		i, _ := g.Index(name(tc.a))
		j, _ := g.Index(name(tc.b))
		var got tablegraph.Edge
		for _, e := range g.Edges(i) {
			if e.To == j {
				got = e
			}
		}
		if math.Abs(got.Weight-tc.weight) > 1e-9 || math.Abs(got.Strong-tc.strong) > 1e-9 {
			t.Errorf("%s-%s: weight %v strong %v, want %v and %v", tc.a, tc.b, got.Weight, got.Strong, tc.weight, tc.strong)
		}
	}
}

// TestLargeGroupIsARing checks that a prefix more than MaxClique tables
// share ties each to the next (edges in proportion to the tables), with
// the weight it would give each table in a small group.
func TestLargeGroupIsARing(t *testing.T) {
	var ts []schema.Table
	for i := range 20 {
		ts = append(ts, table(fmt.Sprintf("crm_t%02d", i)))
	}
	for i := range 25 {
		ts = append(ts, table(fmt.Sprintf("other%02d", i)))
	}
	g := tablegraph.New(model(t, snapshot(ts...), ""), tablegraph.Options{})
	i, _ := g.Index(name("crm_t05"))
	if len(g.Edges(i)) != 2 || math.Abs(g.Degree(i)-tablegraph.PrefixWeight) > 1e-9 {
		t.Errorf("crm_t05: %d edges, degree %v", len(g.Edges(i)), g.Degree(i))
	}
	j, _ := g.Index(name("crm_t06"))
	if w := g.Weight(i, j); math.Abs(w-tablegraph.PrefixWeight/2) > 1e-9 {
		t.Errorf("weight crm_t05-crm_t06 = %v", w)
	}
}

// TestHome checks that Home proposes the contexts a table is tied to,
// strongest first, each coupling counted once per context, static data and
// unassigned tables tying it to none.
func TestHome(t *testing.T) {
	s := snapshot(table("orders", "customer", "country"), table("customer", "country"), table("stock", "orders"), table("country"),
		table("notes", "orders", "stock", "customer", "country"))
	s.Views = []schema.View{{Schema: "app", Name: "v", Reads: []schema.TableName{name("notes"), name("stock")}}}
	m := model(t, s, "contexts:\n  finance: {tables: [orders, customer]}\n  warehouse: {tables: [stock]}\nstatic: [country]\n")
	g := tablegraph.New(m, tablegraph.Options{NoHints: true})
	ties := g.Home(m, name("notes"))
	if len(ties) != 2 || ties[0].Group != "finance" || ties[0].Couplings() != "2 foreign keys" || ties[1].Group != "warehouse" ||
		ties[1].Couplings() != "1 foreign key, 1 view" || !slices.Equal(ties[1].Tables, []schema.TableName{name("stock")}) {
		t.Errorf("ties of notes: %+v", ties)
	}
	if ties := g.Home(m, name("country")); len(ties) != 1 || ties[0].Group != "finance" {
		t.Errorf("ties of country: %+v", ties)
	}
}
