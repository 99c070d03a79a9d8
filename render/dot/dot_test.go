package dot_test

import (
	"bytes"
	"errors"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/synth"
	golden_ "github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/dot"
	"github.com/seamsdev/seams/schema"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden_.Assert(t, filepath.Join("testdata", name), got)
}

func render(t *testing.T, f func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// planCycles returns the cycles between contexts the planner finds, which
// are the ones callers pass to diagram.NewModel.
func planCycles(t *testing.T, s *schema.Snapshot, a *contexts.Assignment) [][]string {
	t.Helper()
	return diagramtest.Analyse(t, s, a).Plan.Cycles
}

func TestGolden(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	inferred := []diagram.Edge{{Name: "audit_log.entity ~ orders", From: schema.TableName{Schema: "public", Name: "audit_log"},
		Columns: []string{"entity"}, To: schema.TableName{Schema: "public", Name: "orders"}, RefColumns: []string{"id"}}}
	m := diagramtest.Model(snap, a, diagram.Options{Inferred: inferred, Views: true, Cycles: planCycles(t, snap, a)})
	hs, ha := diagramtest.HostileSchema()
	hc := planCycles(t, hs, ha)
	hm := diagramtest.Model(hs, ha, diagram.Options{Views: true, Cycles: hc})
	ps, pa := diagramtest.HostileProposal()
	hostileProposal := diagramtest.Hostile[0]
	hp := diagramtest.Model(ps, pa, diagram.Options{Views: true, Cycles: planCycles(t, ps, pa)})
	if !slices.Contains(hp.Groups(), hostileProposal) || !hp.Ownership().IsProposed(hostileProposal) {
		t.Fatalf("no proposed context %q: %q", hostileProposal, hp.Groups())
	}
	bySchema := diagramtest.Model(snap, contexts.BySchema(snap), diagram.Options{})
	orders := schema.TableName{Schema: "public", Name: "orders"}
	tests := []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"musiccorp-map.dot", func(b *bytes.Buffer) error { return dot.WriteMap(b, m.ContextMap()) }},
		{"musiccorp-sales.dot", func(b *bytes.Buffer) error { return writeContext(b, m, "sales") }},
		{"musiccorp-catalog.dot", func(b *bytes.Buffer) error { return writeContext(b, m, "catalog") }},
		{"musiccorp-unassigned.dot", func(b *bytes.Buffer) error { return writeContext(b, m, diagram.Unassigned) }},
		{"musiccorp-orders-1.dot", func(b *bytes.Buffer) error { return writeNeighbourhood(b, m, orders, 1) }},
		{"musiccorp-orders-2.dot", func(b *bytes.Buffer) error { return writeNeighbourhood(b, m, orders, 2) }},
		{"musiccorp-orders-1-focus.dot", func(b *bytes.Buffer) error {
			g, err := m.Neighbourhood(orders, 1)
			if err != nil {
				return err
			}
			g.FocusOnly, g.NoLegend = true, true
			return dot.WriteGraph(b, g)
		}},
		{"musiccorp-byschema-map.dot", func(b *bytes.Buffer) error { return dot.WriteMap(b, bySchema.ContextMap()) }},
		{"hostile-map.dot", func(b *bytes.Buffer) error { return dot.WriteMap(b, hm.ContextMap()) }},
		{"hostile-map-proposed.dot", func(b *bytes.Buffer) error { return dot.WriteMap(b, hp.ContextMap()) }},
		{"hostile-context-proposed.dot", func(b *bytes.Buffer) error { return writeContext(b, hp, hostileProposal) }},
		{"hostile-context.dot", func(b *bytes.Buffer) error { return writeContext(b, hm, ha.Contexts[0]) }},
		{"hostile-neighbourhood.dot", func(b *bytes.Buffer) error {
			return writeNeighbourhood(b, hm, schema.TableName{Schema: hs.Tables[0].Schema, Name: diagramtest.Hostile[3]}, 2)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := render(t, tt.write)
			again := render(t, tt.write)
			if !bytes.Equal(got, again) {
				t.Fatal("two renders differ")
			}
			golden(t, tt.name, got)
		})
	}
}

func writeContext(b *bytes.Buffer, m *diagram.Model, name string) error {
	g, err := m.Context(name)
	if err != nil {
		return err
	}
	return dot.WriteGraph(b, g)
}

func writeNeighbourhood(b *bytes.Buffer, m *diagram.Model, n schema.TableName, depth int) error {
	g, err := m.Neighbourhood(n, depth)
	if err != nil {
		return err
	}
	return dot.WriteGraph(b, g)
}

func TestContextGraph(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	m := diagramtest.Model(snap, a, diagram.Options{})
	g, err := m.Context("sales")
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[string]bool{}
	ghosts := map[string]bool{}
	for _, c := range g.Clusters {
		for _, n := range c.Nodes {
			if n.Ghost != c.Ghost {
				t.Errorf("%s: ghost %v in cluster %s with ghost %v", n.Name(), n.Ghost, c.Context, c.Ghost)
			}
			if n.Ghost {
				ghosts[n.Table.Name] = true
			} else {
				nodes[n.Table.Name] = true
			}
		}
	}
	for _, want := range []string{"orders", "order_line"} {
		if !nodes[want] {
			t.Errorf("sales diagram lacks its table %s", want)
		}
	}
	// sku, which sales shares with catalog, is catalog's: drawn faded there.
	for _, want := range []string{"customer", "address", "shipment", "sku"} {
		if !ghosts[want] {
			t.Errorf("sales diagram lacks ghost %s", want)
		}
	}
	if ghosts["country"] || nodes["artist"] || nodes["sku"] || ghosts["album"] {
		t.Errorf("sales diagram shows tables it does not touch: %v %v", nodes, ghosts)
	}
	crossing := map[string]bool{}
	for _, e := range g.Edges {
		crossing[e.Name] = e.Crossing
	}
	for name, want := range map[string]bool{
		"orders_customer_id_fkey":  true,
		"orders_shipment_id_fkey":  true,
		"shipment_order_id_fkey":   true,
		"order_line_order_id_fkey": false,
		"order_line_sku_id_fkey":   true,
	} {
		got, ok := crossing[name]
		if !ok {
			t.Errorf("edge %s missing", name)
		} else if got != want {
			t.Errorf("edge %s crossing = %v, want %v", name, got, want)
		}
	}
}

func TestContextMap(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	cycles := planCycles(t, snap, a)
	if want := [][]string{{"sales", "warehouse"}}; !slices.EqualFunc(cycles, want, slices.Equal) {
		t.Fatalf("planner's cycles %q, want %q", cycles, want)
	}
	mp := diagramtest.Model(snap, a, diagram.Options{Cycles: cycles}).ContextMap()
	tables := map[string]int{}
	for _, n := range mp.Nodes {
		tables[n.Context] = n.Tables
	}
	// sku, claimed by catalog and sales, goes to catalog (the first).
	want := map[string]int{"catalog": 4, "customers": 2, "sales": 2, "warehouse": 2, diagram.Static: 1, diagram.Unassigned: 1}
	for c, n := range want {
		if tables[c] != n {
			t.Errorf("context %s: %d tables, want %d", c, tables[c], n)
		}
	}
	type key struct{ from, to string }
	edges := map[key]diagram.MapEdge{}
	for _, e := range mp.Edges {
		edges[key{e.From, e.To}] = e
	}
	for _, tt := range []struct {
		from, to string
		count    int
		cycle    bool
	}{
		{"sales", "customers", 2, false},
		{"sales", "warehouse", 1, true},
		{"warehouse", "sales", 1, true},
		{"warehouse", "catalog", 1, false}, // stock -> sku, which is catalog's
		{"sales", "catalog", 1, false},     // order_line -> sku
		{"catalog", diagram.Static, 1, false},
		{"customers", diagram.Static, 1, false},
	} {
		e, ok := edges[key{tt.from, tt.to}]
		if !ok {
			t.Errorf("no edge %s -> %s", tt.from, tt.to)
			continue
		}
		delete(edges, key{tt.from, tt.to})
		if e.Count != tt.count || e.Cycle != tt.cycle {
			t.Errorf("%s -> %s: count %d cycle %v, want %d %v (%v)", tt.from, tt.to, e.Count, e.Cycle, tt.count, tt.cycle, e.Names)
		}
	}
	for k, e := range edges {
		t.Errorf("unexpected edge %s -> %s: %v", k.from, k.to, e.Names)
	}
	// Only the cycles given are marked: an edge is marked when both its
	// contexts lie on one of them, and none without cycles.
	for _, tt := range []struct {
		name   string
		cycles [][]string
		marked []key
	}{
		{"nil", nil, nil},
		{"none", [][]string{}, nil},
		{"two", [][]string{{"sales", "customers"}, {"warehouse", "catalog"}}, []key{{"sales", "customers"}, {"warehouse", "catalog"}}},
	} {
		mp := diagramtest.Model(snap, a, diagram.Options{Cycles: tt.cycles}).ContextMap()
		for _, e := range mp.Edges {
			if want := slices.Contains(tt.marked, key{e.From, e.To}); e.Cycle != want {
				t.Errorf("%s: %s -> %s cycle %v, want %v", tt.name, e.From, e.To, e.Cycle, want)
			}
		}
	}
}

func TestBudgets(t *testing.T) {
	snap, a := diagramtest.Synthetic(400)
	tests := []struct {
		compact, max int
		want         diagram.Mode
	}{
		{0, 0, diagram.Full},
		{40, 0, diagram.Compact},
		{10, 40, diagram.TooLarge},
	}
	for _, tt := range tests {
		m := diagramtest.Model(snap, a, diagram.Options{CompactAbove: tt.compact, MaxTables: tt.max})
		g, err := m.Context("ctx002")
		if err != nil {
			t.Fatal(err)
		}
		if g.Mode != tt.want {
			t.Errorf("budgets %d/%d: mode %v for %d tables, want %v", tt.compact, tt.max, g.Mode, g.Tables, tt.want)
		}
		var b bytes.Buffer
		err = dot.WriteGraph(&b, g)
		switch tt.want {
		case diagram.TooLarge:
			if !errors.Is(err, diagram.ErrTooLarge) {
				t.Errorf("WriteGraph of a too large graph: %v, want ErrTooLarge", err)
			}
		case diagram.Compact:
			if err != nil || strings.Contains(b.String(), "<TABLE BORDER=\"1\" CELLBORDER=\"0\" CELLSPACING=\"0\"") {
				t.Errorf("compact diagram has column tables (err %v)", err)
			}
		default:
			if err != nil || !strings.Contains(b.String(), "parent_id") {
				t.Errorf("full diagram lacks columns (err %v)", err)
			}
		}
	}
	// A neighbourhood of a hub is cut by the budget, not expanded forever.
	m := diagramtest.Model(snap, a, diagram.Options{CompactAbove: 5, MaxTables: 10})
	g, err := m.Neighbourhood(schema.TableName{Schema: "app", Name: "t00000"}, 50)
	if err != nil {
		t.Fatal(err)
	}
	if g.Mode != diagram.TooLarge {
		t.Errorf("hub neighbourhood: mode %v with %d tables", g.Mode, g.Tables)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct {
		in, id, html string
	}{
		{`plain`, `"plain"`, `plain`},
		{`<script>`, `"<script>"`, `&lt;script&gt;`},
		{`a"b`, `"a\"b"`, `a&quot;b`},
		{`it's`, `"it's"`, `it&#39;s`},
		{`x\`, `"x\\"`, `x\`},
		{`\N\G`, `"\\N\\G"`, `\N\G`},
		{"a\nb", `"a\nb"`, `a&#9252;b`},
		{"a\x01b", "\"a\uFFFDb\"", `a&#65533;b`},
		{`{|]->`, `"{|]->"`, `{|]-&gt;`},
		{`&amp;`, `"&amp;"`, `&amp;amp;`},
		{`東京`, `"東京"`, `東京`},
	}
	for _, tt := range tests {
		if got := dot.QuoteID(tt.in); got != tt.id {
			t.Errorf("QuoteID(%q) = %s, want %s", tt.in, got, tt.id)
		}
		if got, want := dot.EscString(tt.in), strings.ReplaceAll(tt.id, "&", "&amp;"); got != want {
			t.Errorf("EscString(%q) = %s, want %s", tt.in, got, want)
		}
		if got := dot.HTML(tt.in); got != tt.html {
			t.Errorf("HTML(%q) = %s, want %s", tt.in, got, tt.html)
		}
	}
	ids := map[string]schema.TableName{}
	for _, n := range []schema.TableName{{Schema: "a.b", Name: "c"}, {Schema: "a", Name: "b.c"}, {Schema: "a", Name: "b"}, {Schema: `"a"`, Name: "b"}, {Schema: `a"."b`, Name: ""}} {
		id := dot.NodeID(n)
		if o, dup := ids[id]; dup {
			t.Errorf("NodeID(%v) = NodeID(%v) = %s", n, o, id)
		}
		ids[id] = n
	}
}

// TestHostileDOTStructure checks that no hostile name leaks unescaped into
// the DOT: every line is a statement that the escaping kept whole.
func TestHostileDOTStructure(t *testing.T) {
	hs, ha := diagramtest.HostileSchema()
	m := diagramtest.Model(hs, ha, diagram.Options{Views: true})
	var b bytes.Buffer
	if err := writeContext(&b, m, ha.Contexts[1]); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "new\nline") {
		t.Error("raw newline from a name in DOT")
	}
	if !strings.Contains(out, "shape=note") || !strings.Contains(out, `label=<<B>v&lt;script&gt;window.pwned=1&lt;/script&gt;</B>`) {
		t.Error("the hostile view is not drawn with its escaped name")
	}
	for i, line := range strings.Split(out, "\n") {
		if _, html, ok := strings.Cut(line, "label=<"); ok && (strings.Contains(html, "<script") || strings.Contains(html, "<img")) {
			t.Errorf("line %d: unescaped markup in an HTML label: %s", i+1, html)
		}
	}
	for i, line := range strings.Split(strings.TrimSpace(out), "\n") {
		l := strings.TrimSpace(line)
		if !(strings.HasPrefix(l, "digraph ") || strings.HasPrefix(l, "graph [") || strings.HasPrefix(l, "node [") ||
			strings.HasPrefix(l, "edge [") || strings.HasPrefix(l, "subgraph cluster_") || strings.HasPrefix(l, `"`) ||
			strings.HasPrefix(l, "legend [") || l == "}") {
			t.Errorf("line %d is not a statement: %q", i+1, l)
		}
	}
}

func TestSlug(t *testing.T) {
	names := []schema.TableName{
		{Schema: "public", Name: "orders"}, {Schema: "public", Name: "Orders"}, {Schema: "public.orders", Name: ""},
		{Schema: "public", Name: ".orders"}, {Schema: "x", Name: "../../etc/passwd"}, {Schema: "x", Name: strings.Repeat("long", 100)},
	}
	for _, h := range diagramtest.Hostile {
		names = append(names, schema.TableName{Schema: "s", Name: h})
	}
	safe := regexp.MustCompile(`^t-[a-z0-9_-]{0,40}-[0-9a-f]{10}$`)
	seen := map[string]schema.TableName{}
	for _, n := range names {
		s := diagram.Slug(n)
		if !safe.MatchString(s) {
			t.Errorf("Slug(%v) = %q: not a safe file name", n, s)
		}
		if o, dup := seen[s]; dup {
			t.Errorf("Slug(%v) = Slug(%v) = %s", n, o, s)
		}
		seen[s] = n
		if s != diagram.Slug(n) {
			t.Errorf("Slug(%v) is not stable", n)
		}
	}
}

// TestSlugOf pins slugs to the values they had before Slug was written in
// terms of SlugOf: they name the site's files, so links into a generated
// site must not break from one version to the next.
func TestSlugOf(t *testing.T) {
	tests := []struct{ got, want string }{
		{diagram.Slug(schema.TableName{Schema: "public", Name: "customer_order"}), "t-public-customer_order-b512a1535b"},
		{diagram.Slug(schema.TableName{Name: "orders"}), "t-orders-4e9e928e61"},
		{diagram.Slug(schema.TableName{Schema: "Billing", Name: "Ledger Entries"}), "t-billing-ledger-entries-398c6d7184"},
		{diagram.Slug(schema.TableName{Schema: "x", Name: "../../etc/passwd"}), "t-x-etc-passwd-41d9502a6c"},
		{diagram.Slug(schema.TableName{Schema: "public", Name: strings.Repeat("long", 20)}), "t-public-longlonglonglonglonglonglonglongl-425e2a7bbf"},
		{diagram.ViewSlug(schema.TableName{Schema: "public", Name: "customer_order"}), "v-public-customer_order-b512a1535b"},
		{diagram.SlugOf("c", "Catalog & Stock"), "c-catalog-stock-a56a4f999f"},
		{diagram.SlugOf("dep", "Sales\x00Finance"), "dep-sales-finance-79fcf8013d"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got slug %q, want %q", tt.got, tt.want)
		}
	}
}

// TestFixtureGolden draws the MusicCorp fixture, read from its checked-in
// snapshot: the context map, with the context the plan proposes for the
// customer table, every context and a neighbourhood.
func TestFixtureGolden(t *testing.T) {
	f := diagramtest.LoadMusicCorp(t)
	m := diagram.NewModel(f.Ownership, diagram.Options{Cycles: f.Plan.Cycles, Views: true})
	golden(t, "fixture-map.dot", render(t, func(b *bytes.Buffer) error { return dot.WriteMap(b, m.ContextMap()) }))
	var proposed []string
	for _, c := range m.Groups() {
		if f.Ownership.IsProposed(c) {
			proposed = append(proposed, c)
		}
	}
	if want := []string{"customer"}; !slices.Equal(proposed, want) || !slices.Equal(m.Members("customer"), []schema.TableName{{Schema: "public", Name: "customer"}}) {
		t.Fatalf("MusicCorp proposed contexts %v with %v, want customer with public.customer", proposed, m.Members("customer"))
	}
	for _, c := range m.Groups() {
		name := "fixture-context-" + strings.Trim(strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' {
				return r
			}
			return '-'
		}, c), "-") + ".dot"
		golden(t, name, render(t, func(b *bytes.Buffer) error { return writeContext(b, m, c) }))
	}
	golden(t, "fixture-customer_order-2.dot", render(t, func(b *bytes.Buffer) error {
		return writeNeighbourhood(b, m, schema.TableName{Schema: "public", Name: "customer_order"}, 2)
	}))
}

// TestProposed checks the contexts the ownership model proposes on the
// context map: a table two contexts declare they write goes to a context
// named after it, drawn as a distinct node with arrows from every context
// that claims it; none when no table is written by two, or when the map
// already has a context of that name.
func TestProposed(t *testing.T) {
	n := func(name string) schema.TableName { return schema.TableName{Schema: "public", Name: name} }
	writes := func(a *contexts.Assignment, table string, ctxs ...string) {
		a.Claims[n(table)] = nil
		for _, c := range ctxs {
			a.Claims[n(table)] = append(a.Claims[n(table)], contexts.Claim{Context: c, Access: contexts.AccessWrite})
		}
	}
	tests := []struct {
		name  string
		edit  func(a *contexts.Assignment)
		nodes map[string]int // proposed node -> tables
		moves []string       // from -> to: tables
	}{
		{"none", func(*contexts.Assignment) {}, map[string]int{}, nil},
		{"shared table written by two", func(a *contexts.Assignment) { writes(a, "sku", "catalog", "sales") },
			map[string]int{"sku": 1}, []string{"catalog -> sku: public.sku", "sales -> sku: public.sku"}},
		{"two tables", func(a *contexts.Assignment) {
			writes(a, "sku", "catalog", "sales")
			writes(a, "address", "customers", "sales")
		}, map[string]int{"sku": 1, "address": 1}, []string{"customers -> address: public.address", "sales -> address: public.address",
			"catalog -> sku: public.sku", "sales -> sku: public.sku"}},
		{"name of an existing context", func(a *contexts.Assignment) {
			writes(a, "sku", "catalog", "sales")
			a.Contexts = append(a.Contexts, "sku")
			a.Info["sku"] = &contexts.Context{Name: "sku"}
		}, map[string]int{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap, a := diagramtest.MusicCorp()
			tt.edit(a)
			m := diagramtest.Model(snap, a, diagram.Options{})
			mp := m.ContextMap()
			got := map[string]int{}
			for _, nd := range mp.Nodes {
				if nd.Proposed {
					got[nd.Context] = nd.Tables
				}
			}
			if !maps.Equal(got, tt.nodes) {
				t.Errorf("proposed nodes %v, want %v", got, tt.nodes)
			}
			var moves []string
			for _, mv := range mp.Moves {
				var ts []string
				for _, x := range mv.Tables {
					ts = append(ts, x.String())
				}
				moves = append(moves, mv.From+" -> "+mv.To+": "+strings.Join(ts, ", "))
			}
			if !slices.Equal(moves, tt.moves) {
				t.Errorf("moves %q, want %q", moves, tt.moves)
			}
			var b bytes.Buffer
			if err := dot.WriteMap(&b, mp); err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(b.String(), "proposed by the plan"); has != (len(tt.nodes) > 0) {
				t.Errorf("map mentions a proposal: %v, want %v", has, len(tt.nodes) > 0)
			}
			for c := range tt.nodes {
				g, err := m.Context(c)
				if err != nil {
					t.Fatalf("Context(%q): %v", c, err)
				}
				var own []diagram.Cluster
				for _, cl := range g.Clusters {
					if !cl.Ghost {
						own = append(own, cl)
					}
				}
				if len(own) != 1 || own[0].Context != c || !own[0].Proposed || len(own[0].Nodes) != tt.nodes[c] {
					t.Errorf("Context(%q): clusters %+v", c, g.Clusters)
				}
			}
		})
	}
}

// TestViews checks the views of a context diagram: the views that read
// the context's tables, the other tables they read as ghosts, the
// cross-context case, and views counted by the budgets.
func TestViews(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	report := schema.View{Schema: "public", Name: "catalog_report", Materialized: true,
		Reads: []schema.TableName{{Schema: "public", Name: "album"}, {Schema: "public", Name: "artist"}}}
	stacked := schema.View{Schema: "public", Name: "top_report", Reads: []schema.TableName{{Schema: "public", Name: "catalog_report"}}}
	snap.Views = append(snap.Views, report, stacked)
	snap.Normalize()
	m := diagramtest.Model(snap, a, diagram.Options{Views: true})
	tests := []struct {
		context string
		views   map[string]string // view -> cluster ("" outside)
		cross   map[string]bool
		edges   int
		ghosts  []string // ghosts that only views bring in
	}{
		{"sales", map[string]string{"order_summary": ""}, map[string]bool{"order_summary": true}, 3, nil},
		{"customers", map[string]string{"order_summary": ""}, map[string]bool{"order_summary": true}, 3, []string{"order_line"}},
		{"catalog", map[string]string{"catalog_report": "catalog"}, map[string]bool{"catalog_report": false}, 2, nil},
		{"warehouse", map[string]string{}, map[string]bool{}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.context, func(t *testing.T) {
			g, err := m.Context(tt.context)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			cross := map[string]bool{}
			for _, v := range g.Views {
				got[v.View.Name] = v.Context
				cross[v.View.Name] = v.CrossContext
			}
			if !maps.Equal(got, tt.views) || !maps.Equal(cross, tt.cross) {
				t.Errorf("views %v cross %v, want %v %v", got, cross, tt.views, tt.cross)
			}
			if len(g.ViewEdges) != tt.edges {
				t.Errorf("%d view edges, want %d: %v", len(g.ViewEdges), tt.edges, g.ViewEdges)
			}
			for _, e := range g.ViewEdges {
				if e.Crossing != cross[e.View.Name] {
					t.Errorf("edge %v crossing %v", e, e.Crossing)
				}
			}
			ghosts := map[string]bool{}
			for _, c := range g.Clusters {
				for _, n := range c.Nodes {
					if n.Ghost {
						ghosts[n.Table.Name] = true
					}
				}
			}
			for _, gh := range tt.ghosts {
				if !ghosts[gh] {
					t.Errorf("no ghost %s for the tables a view reads", gh)
				}
			}
			var b bytes.Buffer
			if err := dot.WriteGraph(&b, g); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if has := strings.Contains(out, "shape=note"); has != (len(tt.views) > 0) || strings.Contains(out, "cross-context view") != (len(tt.views) > 0) {
				t.Errorf("view nodes or legend: %v, want %v", has, len(tt.views) > 0)
			}
		})
	}
	// The views count towards the node budget.
	g, _ := m.Context("sales")
	budget := diagramtest.Model(snap, a, diagram.Options{CompactAbove: g.Tables, MaxTables: g.Tables + 1, Views: true})
	if g, _ := budget.Context("sales"); g.Mode != diagram.Compact {
		t.Errorf("sales with %d tables and %d views, budget %d: mode %v, want compact", g.Tables, len(g.Views), g.Tables, g.Mode)
	}
	// Without Options.Views, no views.
	if g, _ := diagramtest.Model(snap, a, diagram.Options{}).Context("sales"); len(g.Views) != 0 || len(g.ViewEdges) != 0 {
		t.Errorf("views drawn without Options.Views: %v", g.Views)
	}
	// Neighbourhoods draw no views.
	if g, _ := m.Neighbourhood(schema.TableName{Schema: "public", Name: "orders"}, 1); len(g.Views) != 0 {
		t.Errorf("neighbourhood with views %v", g.Views)
	}
}

// TestMapAgreesWithPlan: on the MusicCorp fixture, the context map the site
// shows and the plan's dependencies (the coupling matrix beside it) count
// the same crossing foreign keys between the same contexts.
func TestMapAgreesWithPlan(t *testing.T) {
	f := diagramtest.LoadMusicCorp(t)
	mp := diagram.NewModel(f.Ownership, diagram.Options{Cycles: f.Plan.Cycles}).ContextMap()
	type pair struct{ from, to string }
	onMap := map[pair]int{}
	for _, e := range mp.Edges {
		if e.From != diagram.Static && e.From != diagram.Unassigned && e.To != diagram.Static && e.To != diagram.Unassigned {
			onMap[pair{e.From, e.To}] = e.Count
		}
	}
	inPlan := map[pair]int{}
	for _, d := range f.Plan.Dependencies {
		if d.ForeignKeys > 0 {
			inPlan[pair{d.From, d.To}] = d.ForeignKeys
		}
	}
	if !maps.Equal(onMap, inPlan) {
		t.Errorf("context map %v, plan's dependencies %v", onMap, inPlan)
	}
	for _, want := range []pair{{"recommendation", "customer"}, {"finance", "customer"}} {
		if onMap[want] == 0 {
			t.Errorf("no %s -> %s on the map", want.from, want.to)
		}
	}
	if onMap[pair{"warehouse", "catalog"}] != 0 {
		t.Error("warehouse -> catalog on the map: line_item is split, warehouse keeps its part")
	}
}

// TestInferredEdges: an inferred reference is dashed and labelled with its
// score, and the legend explains dashed edges only when a diagram has one.
func TestInferredEdges(t *testing.T) {
	snap, a := diagramtest.MusicCorp()
	orders := schema.TableName{Schema: "public", Name: "orders"}
	auditLog := schema.TableName{Schema: "public", Name: "audit_log"}
	inferred := []diagram.Edge{{Name: "inferred 0.84", From: auditLog, Columns: []string{"entity"}, To: orders, RefColumns: []string{"id"}, Inferred: true}}
	for _, tt := range []struct {
		name     string
		inferred []diagram.Edge
		want     bool
	}{
		{"with an inferred edge", inferred, true},
		{"without", nil, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := diagramtest.Model(snap, a, diagram.Options{Inferred: tt.inferred})
			var b bytes.Buffer
			if err := writeNeighbourhood(&b, m, auditLog, 1); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			legend := strings.Contains(out, "inferred reference (not declared), labelled with its score")
			edge := strings.Contains(out, `label="inferred 0.84"`) && strings.Contains(out, `style="dashed"`)
			if legend != tt.want || edge != tt.want {
				t.Errorf("legend %v, dashed edge with score %v; want %v\n%s", legend, edge, tt.want, out)
			}
		})
	}
}

// TestDenseMap: the map of 20 contexts that all depend on one another is
// laid out on a circle with straight arrows whose counts are in their
// tooltips, not in labels; MusicCorp's map keeps its layers and labels.
func TestDenseMap(t *testing.T) {
	snap, a, err := diagramtest.SynthSnapshot(synth.Options{Tables: 2000, Contexts: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dense := diagramtest.Model(snap, a, diagram.Options{}).ContextMap()
	ms, ma := diagramtest.MusicCorp()
	small := diagramtest.Model(ms, ma, diagram.Options{}).ContextMap()
	edge := regexp.MustCompile(`(?m)^  "[^"]+" -> "[^"]+" \[(.*)\]$`)
	for _, tt := range []struct {
		name   string
		mp     *diagram.Map
		layout string
		labels bool
	}{{"20 contexts", dense, "circo", false}, {"musiccorp", small, "dot", true}} {
		t.Run(tt.name, func(t *testing.T) {
			if got := dot.MapLayout(tt.mp); got != tt.layout {
				t.Errorf("layout %s, want %s", got, tt.layout)
			}
			out := string(render(t, func(b *bytes.Buffer) error { return dot.WriteMap(b, tt.mp) }))
			edges := edge.FindAllStringSubmatch(out, -1)
			if len(edges) < len(tt.mp.Edges) {
				t.Fatalf("%d edges in the DOT, %d in the map", len(edges), len(tt.mp.Edges))
			}
			for _, e := range edges[:len(tt.mp.Edges)] {
				if strings.Contains(e[1], "label=") != tt.labels || !strings.Contains(e[1], "tooltip=") {
					t.Errorf("edge attributes %s: want labels %v and a tooltip", e[1], tt.labels)
				}
			}
			if strings.Contains(out, "splines=line") == tt.labels {
				t.Errorf("splines=line present %v, want %v", !tt.labels, !tt.labels)
			}
		})
	}
	if len(dense.Edges) <= dot.DenseMapEdges || len(small.Edges) > dot.DenseMapEdges {
		t.Errorf("the cases do not straddle the threshold: %d and %d edges", len(dense.Edges), len(small.Edges))
	}
}
