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
// Where each table is drawn, and whether a reference crosses a context
// boundary, is the ownership model's answer (package ownership): the
// diagrams, the plan and the site agree by construction. The contexts the
// model proposes (the owners of shared mutable data) are drawn like the
// others, with dashed arrows from the contexts their tables leave.
// Options.Views draws the views that read a context's tables on its
// diagram.
package diagram

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/ownership"
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

// Names of the pseudo-contexts of tables that no context owns.
const (
	Unassigned = ownership.Unassigned
	Static     = ownership.Static
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

// Model is a snapshot and its ownership indexed for drawing.
type Model struct {
	Snapshot *schema.Snapshot
	own      *ownership.Model
	opts     Options
	tables   map[schema.TableName]*schema.Table
	names    []schema.TableName // drawable tables, sorted
	place    map[schema.TableName]string
	members  map[string][]schema.TableName
	groups   []string // contexts then pseudo-contexts, in order
	edges    []Edge
	out, in  map[schema.TableName][]int // edge indexes by child and by parent
	views    []viewInfo
	readers  map[schema.TableName][]int // view indexes by the table or view they read
}

// viewInfo is a view with its reads resolved to drawable tables and views.
type viewInfo struct {
	view  *schema.View
	reads []schema.TableName
}

// NewModel indexes the snapshot of the ownership model m for drawing.
// Tables are drawn where m places them (Place); partitions are folded into
// their root table and ignored tables are left out.
func NewModel(m *ownership.Model, opts Options) *Model {
	if opts.CompactAbove <= 0 {
		opts.CompactAbove = DefaultCompactAbove
	}
	if opts.MaxTables <= 0 {
		opts.MaxTables = DefaultMaxTables
	}
	if opts.MaxTables < opts.CompactAbove {
		opts.MaxTables = opts.CompactAbove
	}
	s := m.Snapshot()
	d := &Model{
		Snapshot: s, own: m, opts: opts,
		tables:  make(map[schema.TableName]*schema.Table, len(s.Tables)),
		place:   make(map[schema.TableName]string, len(s.Tables)),
		members: map[string][]schema.TableName{},
		out:     map[schema.TableName][]int{},
		in:      map[schema.TableName][]int{},
		readers: map[schema.TableName][]int{},
	}
	lk := m.Lookup()
	d.groups = append(d.groups, m.Contexts()...)
	for i := range s.Tables {
		t := &s.Tables[i]
		n := t.TableName()
		if t.IsPartition() || m.IsIgnored(n) {
			continue
		}
		d.tables[n] = t
		d.names = append(d.names, n)
		p := m.Place(n)
		d.place[n] = p
		if h := m.Home(n); len(h) > 0 {
			for _, c := range h {
				d.members[c] = append(d.members[c], n)
			}
		} else {
			d.members[p] = append(d.members[p], n)
		}
	}
	slices.SortFunc(d.names, schema.TableName.Compare)
	for _, c := range []string{Static, Unassigned} {
		if len(d.members[c]) > 0 && !slices.Contains(d.groups, c) {
			d.groups = append(d.groups, c)
		}
	}
	for _, c := range d.groups {
		slices.SortFunc(d.members[c], schema.TableName.Compare)
	}
	seen := map[string]bool{}
	add := func(e Edge) {
		e.From, e.To = lk.Root(e.From), lk.Root(e.To)
		if d.tables[e.From] == nil || d.tables[e.To] == nil {
			return
		}
		key := e.From.String() + "\x00" + e.To.String() + "\x00" + e.Name + "\x00" + fmt.Sprint(e.Inferred)
		if seen[key] {
			return
		}
		seen[key] = true
		d.edges = append(d.edges, e)
	}
	for _, r := range m.ForeignKeys() {
		t := lk.Table(r.Child)
		nullable := false
		for _, c := range r.Key.Columns {
			if col := t.Column(c); col == nil || col.Nullable {
				nullable = true
			}
		}
		add(Edge{Name: r.Name(), From: r.Root, Columns: r.Key.Columns, To: r.Key.References, RefColumns: r.Key.RefColumns, Nullable: nullable})
	}
	for _, e := range opts.Inferred {
		e.Inferred = true
		add(e)
	}
	slices.SortStableFunc(d.edges, func(x, y Edge) int {
		return cmp.Or(x.From.Compare(y.From), x.To.Compare(y.To), strings.Compare(x.Name, y.Name))
	})
	for i, e := range d.edges {
		d.out[e.From] = append(d.out[e.From], i)
		d.in[e.To] = append(d.in[e.To], i)
	}
	if opts.Views {
		d.indexViews(s, lk)
	}
	return d
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

// Home returns the group a table is drawn in (ownership.Model.Place): the
// context that keeps it, Static or Unassigned.
func (m *Model) Home(n schema.TableName) string { return m.place[n] }

// Members returns the tables a context owns (its tables, a proposed
// context's tables, the tables of a pseudo-context), sorted.
func (m *Model) Members(context string) []schema.TableName { return m.members[context] }

// Ownership returns the ownership model the diagrams follow.
func (m *Model) Ownership() *ownership.Model { return m.own }

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

// Crossing reports whether a reference crosses a context boundary, by the
// ownership model's rule (ownership.Model.Reference).
func (m *Model) Crossing(e Edge) bool {
	from, _ := m.own.Reference(e.From, e.Columns, e.To, e.RefColumns)
	return len(from) > 0
}

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

// Context returns the diagram of one context (or pseudo-context): its
// tables; as ghosts, the tables it claims that another context owns, the
// tables of other contexts that its tables reference or are referenced
// by, and the other tables the views that read its tables read; and those
// views.
func (m *Model) Context(name string) (*Graph, error) {
	if !slices.Contains(m.groups, name) {
		return nil, fmt.Errorf("diagram: no context %q", name)
	}
	members := m.members[name]
	in := map[schema.TableName]bool{}
	for _, n := range members {
		in[n] = true
	}
	// The tables the context claims but another owns are drawn with
	// their owner, faded.
	var ghosts []schema.TableName
	for _, n := range m.names {
		if !in[n] && slices.Contains(m.own.Claimants(n), name) {
			ghosts = append(ghosts, n)
		}
	}
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
	return m.graph(name, name, nil, members, ghosts, edges, views, m.Crossing), nil
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
		c := m.place[n]
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
		c := m.place[n]
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
	for _, c := range m.groups {
		nodes := byCtx[c]
		if len(nodes) == 0 {
			continue
		}
		slices.SortFunc(nodes, func(a, b Node) int { return a.Name().Compare(b.Name()) })
		g.Clusters = append(g.Clusters, Cluster{Context: c, Ghost: ghostCtx[c] && context != "" && c != context,
			Proposed: m.own.IsProposed(c), Nodes: nodes})
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
			c := m.place[r]
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

func isPseudo(c string) bool { return c == Static || c == Unassigned }

// ContextMap returns the context map. Its edges between contexts are the
// references that cross a context boundary, counted per pair of contexts as
// the ownership model pairs them (a reference from a table two contexts
// keep parts of counts for each), so they match the plan's dependencies;
// edges to and from the pseudo-contexts show the references to static data
// and from or to unassigned tables.
func (m *Model) ContextMap() *Map {
	mp := &Map{Title: "context map", ContextLink: m.opts.ContextLink}
	for _, c := range m.groups {
		mp.Nodes = append(mp.Nodes, MapNode{Context: c, Tables: len(m.members[c]),
			Pseudo: isPseudo(c), Proposed: m.own.IsProposed(c)})
	}
	type pair struct{ from, to string }
	agg := map[pair]*MapEdge{}
	for _, e := range m.edges {
		from, to := m.own.Reference(e.From, e.Columns, e.To, e.RefColumns)
		if len(from) == 0 {
			// No coupling to break, but a reference to or from tables no
			// context owns (static data, unassigned tables) is shown
			// between the pseudo-contexts, where the plan has its own
			// findings for them.
			if x, y := m.place[e.From], m.place[e.To]; x != y && (isPseudo(x) || isPseudo(y)) {
				from, to = []string{x}, []string{y}
			}
		}
		for _, x := range from {
			for _, y := range to {
				p := pair{x, y}
				me := agg[p]
				if me == nil {
					me = &MapEdge{From: x, To: y}
					agg[p] = me
				}
				me.Count++
				if e.Inferred {
					me.Inferred++
				}
				me.Names = append(me.Names, e.Name)
			}
		}
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
	for _, sh := range m.own.SharedTables() {
		if !sh.Proposed || m.tables[sh.Table] == nil {
			continue
		}
		for _, c := range sh.Claimants {
			i := slices.IndexFunc(mp.Moves, func(mv MapMove) bool { return mv.From == c && mv.To == sh.Owner })
			if i < 0 {
				mp.Moves = append(mp.Moves, MapMove{From: c, To: sh.Owner})
				i = len(mp.Moves) - 1
			}
			mp.Moves[i].Tables = append(mp.Moves[i].Tables, sh.Table)
		}
	}
	slices.SortStableFunc(mp.Moves, func(a, b MapMove) int { return cmp.Or(rank[a.To]-rank[b.To], rank[a.From]-rank[b.From]) })
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
