// Package diagram is what the diagrams of a schema split into bounded
// contexts show, independent of how they are drawn: the context map, one
// context with its tables, or the neighbourhood of one table.
//
// A Model indexes the snapshot once; its ContextMap, Context and
// Neighbourhood methods choose what a diagram shows (a Graph or a Map).
// Package render/dot prints them as Graphviz DOT, render/mermaid as
// Mermaid, and render/site lays them out in pages; the model holds no
// syntax of its own, and its order is deterministic.
//
// Two options add what the plan and the catalog know beyond the tables:
// Options.Proposed draws the contexts the plan proposes on the context map
// (see ProposedContexts), and Options.Views draws the views that read a
// context's tables on its diagram.
package diagram

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// Default budgets of Options.
const (
	// DefaultCompactAbove is the number of tables above which a diagram
	// shows table names only.
	DefaultCompactAbove = 150
	// DefaultMaxTables is the number of tables above which no diagram is
	// drawn: the caller shows the context map and a list of links instead.
	DefaultMaxTables = 600
)

// Names of the pseudo-contexts of tables that no context claims.
const (
	Unassigned = "(unassigned)"
	Static     = "(static)"
)

// ErrTooLarge is returned for a diagram with more tables than the budget.
var ErrTooLarge = errors.New("diagram too large")

// Options tune a Model.
type Options struct {
	// CompactAbove and MaxTables are the budgets; zero means the default.
	CompactAbove int
	MaxTables    int
	// Inferred are references the database does not declare (found from
	// column names or queries); they are drawn dashed.
	Inferred []Edge
	// Cycles are the cycles between contexts to mark on the context map,
	// as found by the planner (plan.Plan.Cycles): an edge between two
	// contexts of one cycle is marked. When nil, no edge is marked.
	Cycles [][]string
	// Link, when set, gives the URL a table node links to (for the site).
	Link func(schema.TableName) string
	// ContextLink, when set, gives the URL a context node links to. A
	// node whose link is empty gets none.
	ContextLink func(string) string
	// Views, when true, draws on each context diagram the views that read
	// the context's tables (schema.View.Reads): a note-shaped node per
	// view with dotted edges to what it reads, the other tables it reads
	// as ghosts, and a view that reads the tables of two or more contexts
	// in the crossing colour. Views count towards the budgets.
	Views bool
	// Proposed are the contexts the plan proposes (plan.ContextInfo with
	// Proposed true), by name, with the tables that move to them. The
	// context map draws each as a distinct node with dashed arrows from
	// the contexts its tables leave; Context draws its diagram. Tables
	// not drawn (ignored, unknown) are left out, and a name that is
	// already a context is ignored. Nil draws no proposal.
	Proposed map[string][]schema.TableName
}

// ProposedContexts returns the contexts that p proposes (those with
// Proposed true) and their tables, as Options.Proposed takes them; nil
// when p is nil or proposes none.
func ProposedContexts(p *plan.Plan) map[string][]schema.TableName {
	if p == nil {
		return nil
	}
	var out map[string][]schema.TableName
	for _, c := range p.Contexts {
		if c.Proposed {
			if out == nil {
				out = map[string][]schema.TableName{}
			}
			out[c.Name] = slices.Clone(c.Tables)
		}
	}
	return out
}

// Edge is a reference from a child table to a parent table: a declared
// foreign key or an inferred reference.
type Edge struct {
	// Name is the constraint name, or a description for an inferred edge.
	Name       string
	From       schema.TableName
	Columns    []string
	To         schema.TableName
	RefColumns []string
	// Inferred is true for a reference the database does not declare.
	Inferred bool
	// Nullable is true when a child row may have no parent.
	Nullable bool
}

// Model is a snapshot and its assignment indexed for drawing.
type Model struct {
	Snapshot   *schema.Snapshot
	Assignment *contexts.Assignment
	opts       Options
	tables     map[schema.TableName]*schema.Table
	names      []schema.TableName // drawable tables, sorted
	home       map[schema.TableName]string
	members    map[string][]schema.TableName
	groups     []string // contexts then pseudo-contexts, in order
	edges      []Edge
	out, in    map[schema.TableName][]int // edge indexes by child and by parent
	views      []viewInfo
	readers    map[schema.TableName][]int // view indexes by the table or view they read
	proposed   []string                   // proposed contexts, sorted
	moving     map[string][]schema.TableName
}

// viewInfo is a view with its reads resolved to drawable tables and views.
type viewInfo struct {
	view  *schema.View
	reads []schema.TableName
}

// NewModel indexes s for drawing. Tables are grouped by the contexts of a;
// when a is nil they are grouped by schema. Partitions are folded into their
// root table and ignored tables are left out.
func NewModel(s *schema.Snapshot, a *contexts.Assignment, opts Options) *Model {
	if opts.CompactAbove <= 0 {
		opts.CompactAbove = DefaultCompactAbove
	}
	if opts.MaxTables <= 0 {
		opts.MaxTables = DefaultMaxTables
	}
	if opts.MaxTables < opts.CompactAbove {
		opts.MaxTables = opts.CompactAbove
	}
	m := &Model{
		Snapshot: s, Assignment: a, opts: opts,
		tables:  make(map[schema.TableName]*schema.Table, len(s.Tables)),
		home:    make(map[schema.TableName]string, len(s.Tables)),
		members: map[string][]schema.TableName{},
		out:     map[schema.TableName][]int{},
		in:      map[schema.TableName][]int{},
		readers: map[schema.TableName][]int{},
		moving:  map[string][]schema.TableName{},
	}
	lk := schema.NewLookup(s)
	if a == nil {
		for _, sc := range s.Schemas {
			m.groups = append(m.groups, sc.Name)
		}
	} else {
		m.groups = append(m.groups, a.Contexts...)
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		n := t.TableName()
		if t.IsPartition() || (a != nil && a.Ignored[n]) {
			continue
		}
		m.tables[n] = t
		m.names = append(m.names, n)
		var cs []string
		switch {
		case a == nil:
			cs = []string{t.Schema}
		case len(a.Claims[n]) > 0:
			cs = a.ContextsOf(n)
		case a.Static[n]:
			cs = []string{Static}
		default:
			cs = []string{Unassigned}
		}
		m.home[n] = cs[0]
		for _, c := range cs {
			m.members[c] = append(m.members[c], n)
		}
	}
	slices.SortFunc(m.names, schema.TableName.Compare)
	for _, c := range []string{Static, Unassigned} {
		if len(m.members[c]) > 0 && !slices.Contains(m.groups, c) {
			m.groups = append(m.groups, c)
		}
	}
	for _, c := range m.groups {
		slices.SortFunc(m.members[c], schema.TableName.Compare)
	}
	seen := map[string]bool{}
	add := func(e Edge) {
		e.From, e.To = lk.Root(e.From), lk.Root(e.To)
		if m.tables[e.From] == nil || m.tables[e.To] == nil {
			return
		}
		key := e.From.String() + "\x00" + e.To.String() + "\x00" + e.Name + "\x00" + fmt.Sprint(e.Inferred)
		if seen[key] {
			return
		}
		seen[key] = true
		m.edges = append(m.edges, e)
	}
	for _, n := range m.names {
		t := m.tables[n]
		for _, f := range t.ForeignKeys {
			nullable := false
			for _, c := range f.Columns {
				if col := t.Column(c); col == nil || col.Nullable {
					nullable = true
				}
			}
			add(Edge{Name: f.Name, From: n, Columns: f.Columns, To: f.References, RefColumns: f.RefColumns, Nullable: nullable})
		}
	}
	for _, e := range opts.Inferred {
		e.Inferred = true
		add(e)
	}
	slices.SortStableFunc(m.edges, func(x, y Edge) int {
		return cmp.Or(x.From.Compare(y.From), x.To.Compare(y.To), strings.Compare(x.Name, y.Name))
	})
	for i, e := range m.edges {
		m.out[e.From] = append(m.out[e.From], i)
		m.in[e.To] = append(m.in[e.To], i)
	}
	if opts.Views {
		m.indexViews(s, lk)
	}
	for name, ts := range opts.Proposed {
		if slices.Contains(m.groups, name) {
			continue
		}
		var keep []schema.TableName
		for _, n := range ts {
			if n = lk.Root(n); m.tables[n] != nil && !slices.Contains(keep, n) {
				keep = append(keep, n)
			}
		}
		slices.SortFunc(keep, schema.TableName.Compare)
		m.proposed = append(m.proposed, name)
		m.moving[name] = keep
	}
	slices.Sort(m.proposed)
	return m
}

// indexViews keeps the views of s with their reads resolved to root tables
// and views that are drawn (ignored tables and unknown names left out).
func (m *Model) indexViews(s *schema.Snapshot, lk *schema.Lookup) {
	isView := map[schema.TableName]bool{}
	for i := range s.Views {
		isView[s.Views[i].TableName()] = true
	}
	for i := range s.Views {
		v := &s.Views[i]
		vi := viewInfo{view: v}
		for _, r := range v.Reads {
			if !isView[r] {
				r = lk.Root(r)
				if m.tables[r] == nil {
					continue
				}
			}
			if r != v.TableName() && !slices.Contains(vi.reads, r) {
				vi.reads = append(vi.reads, r)
			}
		}
		slices.SortFunc(vi.reads, schema.TableName.Compare)
		for _, r := range vi.reads {
			m.readers[r] = append(m.readers[r], len(m.views))
		}
		m.views = append(m.views, vi)
	}
}

// Options returns the options in force, with defaults filled in.
func (m *Model) Options() Options { return m.opts }

// Groups returns the contexts (or schemas) in order, followed by the
// pseudo-contexts Static and Unassigned when they hold tables.
func (m *Model) Groups() []string { return m.groups }

// Tables returns the drawable tables (partitions and ignored tables
// excluded), sorted by name.
func (m *Model) Tables() []schema.TableName { return m.names }

// Table returns a drawable table, or nil.
func (m *Model) Table(n schema.TableName) *schema.Table { return m.tables[n] }

// Home returns the context a table is drawn in: its first claiming context,
// Static, Unassigned, or its schema when there is no assignment.
func (m *Model) Home(n schema.TableName) string { return m.home[n] }

// Members returns the tables a context claims, sorted.
func (m *Model) Members(context string) []schema.TableName { return m.members[context] }

// Proposed returns the names of the contexts the plan proposes
// (Options.Proposed), sorted. Context draws their diagrams; Groups does
// not list them.
func (m *Model) Proposed() []string { return m.proposed }

// Moving returns the tables that move to a proposed context, sorted.
func (m *Model) Moving(context string) []schema.TableName { return m.moving[context] }

// Edges returns every drawable reference, sorted by child, parent, name.
func (m *Model) Edges() []Edge { return m.edges }

// Out returns the references from table n to its parents.
func (m *Model) Out(n schema.TableName) []Edge { return m.pick(m.out[n]) }

// In returns the references from other tables to n.
func (m *Model) In(n schema.TableName) []Edge { return m.pick(m.in[n]) }

func (m *Model) pick(ix []int) []Edge {
	out := make([]Edge, len(ix))
	for i, j := range ix {
		out[i] = m.edges[j]
	}
	return out
}

// Crossing reports whether an edge crosses a context boundary: its tables
// are drawn in different contexts.
func (m *Model) Crossing(e Edge) bool { return m.home[e.From] != m.home[e.To] }

// Mode is how much of a diagram is drawn.
type Mode int

// Modes of a Graph.
const (
	// Full draws tables with their columns.
	Full Mode = iota
	// Compact draws table names only.
	Compact
	// TooLarge draws nothing: the caller shows the context map and links.
	TooLarge
)

// String returns "full", "compact" or "too large".
func (m Mode) String() string {
	switch m {
	case Full:
		return "full"
	case Compact:
		return "compact"
	}
	return "too large"
}

// Node is a table in a Graph.
type Node struct {
	Table   *schema.Table
	Context string
	// Ghost is true for a table of another context, drawn faded.
	Ghost bool
	// Focus is true for the table a neighbourhood is drawn around.
	Focus bool
}

// Name returns the table's name.
func (n Node) Name() schema.TableName { return n.Table.TableName() }

// GraphEdge is an Edge in a Graph.
type GraphEdge struct {
	Edge
	// Crossing is true when the edge crosses a context boundary.
	Crossing bool
}

// ViewNode is a view in a Graph: one that reads tables of the context
// drawn.
type ViewNode struct {
	View *schema.View
	// Context is the cluster the view is drawn in, the one context whose
	// tables it reads; empty for a cross-context view, drawn outside the
	// clusters.
	Context string
	// Contexts are the contexts of the tables it reads directly, in the
	// model's order.
	Contexts []string
	// CrossContext is true when it reads tables of two or more contexts
	// (the reporting case).
	CrossContext bool
}

// Name returns the view's name.
func (v ViewNode) Name() schema.TableName { return v.View.TableName() }

// ViewEdge is a view reading a table or another view of a Graph.
type ViewEdge struct {
	View, Reads schema.TableName
	// Crossing is true for the reads of a cross-context view.
	Crossing bool
}

// Cluster is the tables of one context in a Graph.
type Cluster struct {
	Context string
	// Ghost is true for a context other than the one drawn.
	Ghost bool
	// Proposed is true for a context the plan proposes.
	Proposed bool
	Nodes    []Node
}

// Graph is what one table diagram shows: a context or a neighbourhood.
type Graph struct {
	Title    string
	Mode     Mode
	Clusters []Cluster
	Edges    []GraphEdge
	// Views are the views that read the tables of a context diagram,
	// sorted by name, and ViewEdges what they read; neighbourhoods have
	// none.
	Views     []ViewNode
	ViewEdges []ViewEdge
	// Tables is the number of table nodes. The budgets count the views
	// too: Mode is chosen by Tables + len(Views).
	Tables int
	// Link and ContextLink are the model's link functions.
	Link        func(schema.TableName) string
	ContextLink func(string) string
	// FocusOnly, in mode Full, lists the key columns (PK, FK) of the focus
	// table only and draws the other tables by name: a small
	// neighbourhood diagram for a page that lists the columns beside it.
	FocusOnly bool
	// NoLegend leaves the legend out, for a page that shows it beside the
	// diagram.
	NoLegend bool
}

// Context returns the diagram of one context, or of a proposed context:
// its tables; as ghosts, the tables of other contexts that its tables
// reference or are referenced by; the views that read its tables and, as
// ghosts, the other tables these views read.
func (m *Model) Context(name string) (*Graph, error) {
	members := m.members[name]
	if !slices.Contains(m.groups, name) {
		if !slices.Contains(m.proposed, name) {
			return nil, fmt.Errorf("diagram: no context %q", name)
		}
		members = m.moving[name]
	}
	in := map[schema.TableName]bool{}
	for _, n := range members {
		in[n] = true
	}
	var ghosts []schema.TableName
	var edges, views []int
	for _, n := range members {
		views = append(views, m.readers[n]...)
	}
	slices.Sort(views)
	views = slices.Compact(views)
	for _, v := range views {
		for _, r := range m.views[v].reads {
			if m.tables[r] != nil && !in[r] {
				ghosts = append(ghosts, r)
			}
		}
	}
	for _, n := range members {
		for _, ix := range [][]int{m.out[n], m.in[n]} {
			for _, i := range ix {
				e := m.edges[i]
				other := e.To
				if other == n {
					other = e.From
				}
				if !in[other] {
					ghosts = append(ghosts, other)
				}
				if in[e.From] && in[e.To] && e.To == n && e.From != n {
					continue // counted once, from the child
				}
				edges = append(edges, i)
			}
		}
	}
	return m.graph(name, name, nil, members, ghosts, edges, views, func(e Edge) bool { return in[e.From] != in[e.To] }), nil
}

// Neighbourhood returns the diagram of the tables within depth foreign-key
// steps of table n, in either direction.
func (m *Model) Neighbourhood(n schema.TableName, depth int) (*Graph, error) {
	if m.tables[n] == nil {
		return nil, fmt.Errorf("diagram: no table %s", n)
	}
	if depth < 0 {
		depth = 0
	}
	dist := map[schema.TableName]int{n: 0}
	frontier := []schema.TableName{n}
	for d := 1; d <= depth && len(frontier) > 0; d++ {
		var next []schema.TableName
		for _, t := range frontier {
			for _, ix := range [][]int{m.out[t], m.in[t]} {
				for _, i := range ix {
					for _, o := range []schema.TableName{m.edges[i].From, m.edges[i].To} {
						if _, ok := dist[o]; !ok {
							dist[o] = d
							next = append(next, o)
						}
					}
				}
			}
			if len(dist) > m.opts.MaxTables {
				break
			}
		}
		frontier = next
	}
	var members []schema.TableName
	for t := range dist {
		members = append(members, t)
	}
	var edges []int
	for i, e := range m.edges {
		_, a := dist[e.From]
		_, b := dist[e.To]
		if a && b {
			edges = append(edges, i)
		}
	}
	focus := n
	return m.graph("neighbourhood of "+n.String(), "", &focus, members, nil, edges, nil, m.Crossing), nil
}

// graph assembles a Graph. Members are clustered by home context; when
// context is not empty, members are clustered under it and ghosts under
// their own home contexts. Views are indexes of m.views.
func (m *Model) graph(title, context string, focus *schema.TableName, members, ghosts []schema.TableName, edgeIx, views []int, crossing func(Edge) bool) *Graph {
	g := &Graph{Title: title, Link: m.opts.Link, ContextLink: m.opts.ContextLink}
	byCtx := map[string][]Node{}
	ghostCtx := map[string]bool{}
	seen, ghost := map[schema.TableName]bool{}, map[schema.TableName]bool{}
	for _, n := range members {
		if seen[n] {
			continue
		}
		seen[n] = true
		c := m.home[n]
		if context != "" {
			c = context
		}
		byCtx[c] = append(byCtx[c], Node{Table: m.tables[n], Context: c, Focus: focus != nil && *focus == n})
	}
	for _, n := range ghosts {
		if seen[n] {
			continue
		}
		seen[n], ghost[n] = true, true
		c := m.home[n]
		ghostCtx[c] = true
		byCtx[c] = append(byCtx[c], Node{Table: m.tables[n], Context: c, Ghost: true})
	}
	g.Tables = len(seen)
	m.addViews(g, context, views, seen, ghost)
	switch nodes := g.Tables + len(g.Views); {
	case nodes > m.opts.MaxTables:
		g.Mode = TooLarge
	case nodes > m.opts.CompactAbove:
		g.Mode = Compact
	}
	order := m.groups
	if context != "" && !slices.Contains(order, context) {
		order = append([]string{context}, order...) // a proposed context first
	}
	for _, c := range order {
		nodes := byCtx[c]
		if len(nodes) == 0 {
			continue
		}
		slices.SortFunc(nodes, func(a, b Node) int { return a.Name().Compare(b.Name()) })
		g.Clusters = append(g.Clusters, Cluster{Context: c, Ghost: ghostCtx[c] && context != "" && c != context,
			Proposed: slices.Contains(m.proposed, c), Nodes: nodes})
	}
	slices.Sort(edgeIx)
	edgeIx = slices.Compact(edgeIx)
	for _, i := range edgeIx {
		e := m.edges[i]
		g.Edges = append(g.Edges, GraphEdge{Edge: e, Crossing: crossing(e)})
	}
	return g
}

// addViews adds the views (indexes of m.views) to g and their edges to the
// tables and views of g that they read. Seen holds the tables of g, ghost
// those drawn as ghosts; the others are in context when it is not empty.
func (m *Model) addViews(g *Graph, context string, views []int, seen, ghost map[schema.TableName]bool) {
	if len(views) == 0 {
		return
	}
	rank := map[string]int{}
	for i, c := range m.groups {
		rank[c] = i + 1
	}
	drawn := map[schema.TableName]bool{}
	for _, v := range views {
		drawn[m.views[v].view.TableName()] = true
	}
	for _, v := range views {
		vi := m.views[v]
		var ctxs []string
		for _, r := range vi.reads {
			if !seen[r] {
				continue
			}
			c := m.home[r]
			if context != "" && !ghost[r] {
				c = context
			}
			if !slices.Contains(ctxs, c) {
				ctxs = append(ctxs, c)
			}
		}
		slices.SortFunc(ctxs, func(a, b string) int { return cmp.Or(rank[a]-rank[b], strings.Compare(a, b)) })
		n := ViewNode{View: vi.view, Contexts: ctxs, CrossContext: len(ctxs) > 1}
		if len(ctxs) == 1 {
			n.Context = ctxs[0]
		}
		g.Views = append(g.Views, n)
		for _, r := range vi.reads {
			if seen[r] || drawn[r] {
				g.ViewEdges = append(g.ViewEdges, ViewEdge{View: vi.view.TableName(), Reads: r, Crossing: n.CrossContext})
			}
		}
	}
}

// MapNode is a context on the context map.
type MapNode struct {
	Context string
	Tables  int
	// Pseudo is true for Static and Unassigned.
	Pseudo bool
	// Proposed is true for a context the plan proposes; Tables counts the
	// tables that move to it.
	Proposed bool
}

// MapMove is the tables that move from a context of the map to a proposed
// context.
type MapMove struct {
	From, To string
	Tables   []schema.TableName
}

// MapEdge is the set of crossing references from the tables of one context
// to the tables of another.
type MapEdge struct {
	From, To string
	// Count is the number of crossing references; Inferred of them are
	// inferred.
	Count, Inferred int
	// Names are the constraint names, sorted.
	Names []string
	// Cycle is true when the edge lies on a cycle between contexts.
	Cycle bool
}

// Map is the context map: contexts and the crossing references between
// them.
type Map struct {
	Title string
	Nodes []MapNode
	Edges []MapEdge
	// Moves are the tables that move to proposed contexts, by context
	// they leave (every context that claims them), in node order.
	Moves       []MapMove
	ContextLink func(string) string
}

// ContextMap returns the context map.
func (m *Model) ContextMap() *Map {
	mp := &Map{Title: "context map", ContextLink: m.opts.ContextLink}
	for _, c := range m.groups {
		mp.Nodes = append(mp.Nodes, MapNode{Context: c, Tables: len(m.members[c]), Pseudo: c == Static || c == Unassigned})
	}
	type pair struct{ from, to string }
	agg := map[pair]*MapEdge{}
	for _, e := range m.edges {
		if !m.Crossing(e) {
			continue
		}
		p := pair{m.home[e.From], m.home[e.To]}
		me := agg[p]
		if me == nil {
			me = &MapEdge{From: p.from, To: p.to}
			agg[p] = me
		}
		me.Count++
		if e.Inferred {
			me.Inferred++
		}
		me.Names = append(me.Names, e.Name)
	}
	rank := map[string]int{}
	for i, c := range m.groups {
		rank[c] = i
	}
	for _, me := range agg {
		slices.Sort(me.Names)
		mp.Edges = append(mp.Edges, *me)
	}
	slices.SortFunc(mp.Edges, func(a, b MapEdge) int { return cmp.Or(rank[a.From]-rank[b.From], rank[a.To]-rank[b.To]) })
	comp := m.cycleGroups()
	for i := range mp.Edges {
		e := &mp.Edges[i]
		ca, oka := comp[e.From]
		cb, okb := comp[e.To]
		e.Cycle = oka && okb && ca == cb
	}
	for _, p := range m.proposed {
		mp.Nodes = append(mp.Nodes, MapNode{Context: p, Tables: len(m.moving[p]), Proposed: true})
		from := map[string][]schema.TableName{}
		for _, n := range m.moving[p] {
			for _, c := range m.groups {
				if slices.Contains(m.members[c], n) {
					from[c] = append(from[c], n)
				}
			}
		}
		for _, c := range m.groups {
			if len(from[c]) > 0 {
				mp.Moves = append(mp.Moves, MapMove{From: c, To: p, Tables: from[c]})
			}
		}
	}
	return mp
}

// cycleGroups numbers the contexts that lie on a cycle of Options.Cycles,
// one number per cycle.
func (m *Model) cycleGroups() map[string]int {
	comp := map[string]int{}
	for i, cy := range m.opts.Cycles {
		for _, c := range cy {
			comp[c] = i
		}
	}
	return comp
}
