// Package tablegraph builds the weighted graph of a snapshot's tables from
// every coupling seams knows: the declared foreign keys, the references no
// foreign key declares (inferred by score, confirmed or declared by the
// map), the views and triggers, the statements that read or write several
// tables (by calls) and the units of work that write several, and two weak
// hints, the words tables share in their names and their PostgreSQL
// schema.
//
// Each coupling ties its tables pairwise; a coupling of k tables gives
// each pair its weight divided by k-1, so that a view reading ten tables
// weighs on each of them as much as one foreign key. The graph is what
// `seams suggest` clusters into candidate contexts and what the plan
// reads to propose a home for a table no context claims (see Ties).
package tablegraph

import (
	"cmp"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
)

// Kind is a kind of coupling.
type Kind int

// The kinds of coupling, strongest evidence first; NameWord and Schema are
// hints.
const (
	ForeignKey Kind = iota
	Reference
	View
	Trigger
	Statement
	Unit
	Module
	Prefix
	NameWord
	Schema
	numKinds
)

// Kinds lists every kind, in order.
var Kinds = []Kind{ForeignKey, Reference, View, Trigger, Statement, Unit, Module, Prefix, NameWord, Schema}

var kindNames = [numKinds][3]string{
	{"foreign_key", "foreign key", "foreign keys"},
	{"reference", "reference no foreign key declares", "references no foreign key declares"},
	{"view", "view", "views"},
	{"trigger", "trigger", "triggers"},
	{"statement", "statement", "statements"},
	{"unit_of_work", "unit of work", "units of work"},
	{"module", "module of code or database user", "modules of code or database users"},
	{"prefix", "shared name prefix", "shared name prefixes"},
	{"name_word", "shared name word", "shared name words"},
	{"schema", "shared schema", "shared schemas"},
}

// String returns the kind's identifier, as JSON writes it.
func (k Kind) String() string { return kindNames[k][0] }

// Count says n couplings of kind k in words: "1 view", "3 foreign keys".
func (k Kind) Count(n int) string {
	if n == 1 {
		return "1 " + kindNames[k][1]
	}
	return strconv.Itoa(n) + " " + kindNames[k][2]
}

// Hint reports whether k is a hint rather than a coupling that the
// schema, the database or one statement has: a module of code (or a
// database user) that uses the tables, a shared name word or schema.
// Hints weigh in the clustering but are not counted as couplings.
func (k Kind) Hint() bool { return k >= Module }

// The weights.
const (
	// PrefixWeight, NameWordWeight and SchemaWeight are what the first
	// word of a name (reco_ in reco_model_run: a namespace), another word
	// or a schema adds to each table that shares it, spread over the
	// others; a prefix or a schema more than half of the tables share adds
	// nothing.
	PrefixWeight   = 1.0
	NameWordWeight = 0.25
	SchemaWeight   = 1.0
	// ModuleWeight is what a module of code (the directory of the files
	// holding the statements and ORM declarations) or a database user
	// and application adds to each table it uses, spread over the
	// others; a module that uses more than half of the tables adds
	// nothing.
	ModuleWeight = 1.0
	// MaxStatementWeight bounds a statement's weight, which grows with the
	// logarithm of its calls.
	MaxStatementWeight = 3.0
	// DefaultMaxGroup is the most tables a name word may tie: a word that
	// more tables share (type, log, data) says little.
	DefaultMaxGroup = 50
)

// Options tune the graph.
type Options struct {
	// InferThreshold is the score from which an inferred reference counts
	// (see ownership.HiddenReferences); zero means infer.DefaultThreshold.
	InferThreshold float64
	// NoHints leaves out the shared name words and schemas.
	NoHints bool
	// MaxGroup is the most tables a name word ties; zero means
	// DefaultMaxGroup.
	MaxGroup int
}

// Coupling is one coupling between two or more tables.
type Coupling struct {
	Kind Kind
	// Name says which: the table and constraint, the reference, the view,
	// trigger or statement, the unit's place in code, the word or schema.
	Name string
	// Tables are the indexes of its tables in Graph.Tables, sorted, at
	// least two.
	Tables []int
	// Weight is the weight it gives each pair of its tables.
	Weight float64
	// Ref is the reference of a foreign key or a reference no foreign
	// key declares; nil for the other kinds.
	Ref *Ref
}

// Ref is the referencing and the referenced side of a reference.
type Ref struct {
	Child      schema.TableName
	Columns    []string
	Parent     schema.TableName
	RefColumns []string
}

// Edge is the weight between a table and another, all couplings summed.
type Edge struct {
	To     int
	Weight float64
	// Strong is the part of Weight that the couplings other than hints
	// give, summed in the same order; zero when only hints tie the two.
	Strong float64
}

// Graph is the weighted graph of the tables of one snapshot.
type Graph struct {
	// Tables are the nodes: the root tables (partitions fold into their
	// root) that the map does not ignore, sorted.
	Tables []schema.TableName
	// Couplings are every coupling, by kind then name.
	Couplings []Coupling

	index    map[schema.TableName]int
	incident [][]int32
	adj      [][]Edge
}

// New builds the graph of the snapshot of m, under its map: ignored tables
// are left out, the map's relations confirm, deny and declare references.
// The usage is the snapshot's (m.Snapshot().Usage), if any.
func New(m *ownership.Model, opts Options) *Graph {
	if opts.InferThreshold <= 0 {
		opts.InferThreshold = infer.DefaultThreshold
	}
	if opts.MaxGroup <= 0 {
		opts.MaxGroup = DefaultMaxGroup
	}
	g := &Graph{index: map[schema.TableName]int{}}
	for _, t := range m.Roots() {
		n := t.TableName()
		if m.IsIgnored(n) {
			continue
		}
		g.index[n] = len(g.Tables)
		g.Tables = append(g.Tables, n)
	}
	b := builder{g: g, m: m, views: map[schema.TableName]*schema.View{}}
	s := m.Snapshot()
	for _, fk := range m.ForeignKeys() {
		b.ref(ForeignKey, fk.Root.String()+"."+fk.Name(), 1, &Ref{fk.Root, fk.Key.Columns, m.Root(fk.Key.References), fk.Key.RefColumns})
	}
	for _, h := range m.HiddenReferences(opts.InferThreshold) {
		w := h.Score
		if h.Status != ownership.RefInferred {
			w = 1
		}
		b.ref(Reference, h.Key(), w, &Ref{m.Root(h.Table), h.Columns, m.Root(h.References), h.RefColumns})
	}
	for i := range s.Views {
		b.views[s.Views[i].TableName()] = &s.Views[i]
	}
	for i := range s.Views {
		v := &s.Views[i]
		b.spread(View, v.TableName().String(), 1, b.viewTables(v, map[schema.TableName]bool{}))
	}
	for i := range s.Triggers {
		tr := &s.Triggers[i]
		ts := append([]schema.TableName{tr.Table}, tr.Reads...)
		ts = append(ts, tr.Writes...)
		b.spread(Trigger, schema.TableName{Schema: tr.Schema, Name: tr.Name}.String(), 1, ts)
	}
	if u := s.Usage; u != nil {
		for i := range u.Statements {
			st := &u.Statements[i]
			b.spread(Statement, st.ID, StatementWeight(st.Calls), st.Tables())
		}
		for _, un := range u.Units {
			b.spread(Unit, un.Location.String(), 1, un.Writes)
		}
		if !opts.NoHints {
			b.modules(u)
		}
	}
	if !opts.NoHints {
		b.hints(opts.MaxGroup)
	}
	slices.SortStableFunc(g.Couplings, func(x, y Coupling) int {
		return cmp.Or(cmp.Compare(x.Kind, y.Kind), strings.Compare(x.Name, y.Name))
	})
	g.link()
	return g
}

// StatementWeight is the weight of a statement run calls times: 1 for a
// statement seen once (in code), growing with the logarithm of its calls
// up to MaxStatementWeight.
func StatementWeight(calls int64) float64 {
	if calls <= 1 {
		return 1
	}
	return min(MaxStatementWeight, 1+math.Log10(float64(calls))/2)
}

type builder struct {
	g     *Graph
	m     *ownership.Model
	views map[schema.TableName]*schema.View
}

// add adds a coupling of the tables ts (roots taken, those not in the
// graph and repeats left out) that gives each pair weight w.
func (b *builder) add(k Kind, name string, w float64, ts ...schema.TableName) {
	ids := make([]int, 0, len(ts))
	for _, n := range ts {
		if i, ok := b.g.index[b.m.Root(n)]; ok {
			ids = append(ids, i)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) < 2 || w <= 0 {
		return
	}
	b.g.Couplings = append(b.g.Couplings, Coupling{Kind: k, Name: name, Tables: ids, Weight: w})
}

// ref adds the coupling of a reference.
func (b *builder) ref(k Kind, name string, w float64, r *Ref) {
	before := len(b.g.Couplings)
	b.add(k, name, w, r.Child, r.Parent)
	if len(b.g.Couplings) > before {
		b.g.Couplings[before].Ref = r
	}
}

// spread adds a coupling of the tables ts whose weight w is spread over
// each table's pairs: with k tables, each pair gets w/(k-1).
func (b *builder) spread(k Kind, name string, w float64, ts []schema.TableName) {
	before := len(b.g.Couplings)
	b.add(k, name, w, ts...)
	if len(b.g.Couplings) > before {
		c := &b.g.Couplings[before]
		c.Weight = w / float64(len(c.Tables)-1)
	}
}

// viewTables returns the tables view v reads, through the views it reads.
func (b *builder) viewTables(v *schema.View, seen map[schema.TableName]bool) []schema.TableName {
	var out []schema.TableName
	for _, n := range v.Reads {
		if inner := b.views[n]; inner != nil {
			if !seen[n] {
				seen[n] = true
				out = append(out, b.viewTables(inner, seen)...)
			}
			continue
		}
		out = append(out, n)
	}
	return out
}

// modules ties the tables that one module of code uses (the directory of
// the files that hold the statements and the ORM declarations), or that
// one database user and application runs statements on.
func (b *builder) modules(u *schema.Usage) {
	uses := map[string][]schema.TableName{}
	var order []string
	use := func(key string, ts []schema.TableName) {
		if _, ok := uses[key]; !ok {
			order = append(order, key)
		}
		uses[key] = append(uses[key], ts...)
	}
	for i := range u.Statements {
		st := &u.Statements[i]
		ts := st.Tables()
		for _, c := range st.Callers {
			if c.File != "" {
				use("code "+path.Dir(c.File), ts)
			} else if c.User != "" || c.App != "" {
				use("user "+c.User+" "+c.App, ts)
			}
		}
	}
	for _, mp := range u.Mappings {
		if mp.Known {
			use("code "+path.Dir(mp.Location.File), []schema.TableName{mp.Table})
		}
	}
	for _, key := range order {
		ts := uses[key]
		slices.SortFunc(ts, schema.TableName.Compare)
		ts = slices.Compact(ts)
		if 2*len(ts) <= len(b.g.Tables) {
			b.group(Module, key, ModuleWeight, ts)
		}
	}
}

// hints ties the tables that share the first word of their names, those
// that share another word (one at most maxGroup tables share) and, when
// the tables span several schemas, those of each schema.
func (b *builder) hints(maxGroup int) {
	g := b.g
	prefixes, words := &groups{}, &groups{}
	schemas := &groups{}
	for _, n := range g.Tables {
		for k, w := range infer.Words(n.Name) {
			if k == 0 {
				prefixes.add(w, n)
			}
			words.add(w, n)
		}
		schemas.add(n.Schema, n)
	}
	for _, w := range words.order {
		// A word only ever first is the prefix's: tied already.
		if ts := words.by[w]; len(ts) <= maxGroup && len(ts) > len(prefixes.by[w]) {
			b.group(NameWord, w, NameWordWeight, ts)
		}
	}
	b.namespaces(Prefix, prefixes, PrefixWeight, maxGroup)
	if len(schemas.order) > 1 {
		b.namespaces(Schema, schemas, SchemaWeight, maxGroup)
	}
}

// groups are tables grouped by a key, the keys in the order first seen.
type groups struct {
	by    map[string][]schema.TableName
	order []string
}

func (gs *groups) add(key string, n schema.TableName) {
	if gs.by == nil {
		gs.by = map[string][]schema.TableName{}
	}
	if _, ok := gs.by[key]; !ok {
		gs.order = append(gs.order, key)
	}
	gs.by[key] = append(gs.by[key], n)
}

// namespaces ties the tables of each group that holds at most half of the
// tables.
func (b *builder) namespaces(k Kind, gs *groups, w float64, maxGroup int) {
	for _, key := range gs.order {
		if ts := gs.by[key]; 2*len(ts) <= len(b.g.Tables) {
			b.group(k, key, w, ts)
		}
	}
}

// MaxClique is the largest group of tables a hint ties all together;
// a larger one ties each table to the next, in name order (a ring): the
// same weight for each table, and edges in proportion to the tables, not
// to their square.
const MaxClique = 8

// group ties the tables ts by a hint of weight w for each table.
func (b *builder) group(k Kind, key string, w float64, ts []schema.TableName) {
	if len(ts) <= MaxClique {
		b.spread(k, key, w, ts)
		return
	}
	for i := range ts {
		b.add(k, key, w/2, ts[i], ts[(i+1)%len(ts)])
	}
}

// link builds the adjacency lists and each table's couplings.
func (g *Graph) link() {
	n := len(g.Tables)
	g.incident = make([][]int32, n)
	type pair struct{ a, b int32 }
	// sum is the weight of the couplings of one pair, and of those that
	// are not hints.
	type sum struct {
		p           pair
		all, strong float64
	}
	var sums []sum
	index := map[pair]int{} // into sums
	for ci, c := range g.Couplings {
		for i, a := range c.Tables {
			g.incident[a] = append(g.incident[a], int32(ci))
			for _, bb := range c.Tables[i+1:] {
				p := pair{int32(a), int32(bb)}
				k, ok := index[p]
				if !ok {
					k = len(sums)
					index[p] = k
					sums = append(sums, sum{p: p})
				}
				sums[k].all += c.Weight
				if !c.Kind.Hint() {
					sums[k].strong += c.Weight
				}
			}
		}
	}
	g.adj = make([][]Edge, n)
	for _, w := range sums {
		g.adj[w.p.a] = append(g.adj[w.p.a], Edge{To: int(w.p.b), Weight: w.all, Strong: w.strong})
		g.adj[w.p.b] = append(g.adj[w.p.b], Edge{To: int(w.p.a), Weight: w.all, Strong: w.strong})
	}
	for i := range g.adj {
		slices.SortFunc(g.adj[i], func(x, y Edge) int { return cmp.Compare(x.To, y.To) })
	}
}

// Index returns the index of table n (a partition answers for nothing: pass
// its root) in Tables, and false when the graph does not hold it.
func (g *Graph) Index(n schema.TableName) (int, bool) {
	i, ok := g.index[n]
	return i, ok
}

// Edges returns the tables tied to table i with their weights, by index.
// The slice must not be changed.
func (g *Graph) Edges(i int) []Edge { return g.adj[i] }

// Weight returns the weight between tables i and j.
func (g *Graph) Weight(i, j int) float64 {
	es := g.adj[i]
	k, ok := slices.BinarySearchFunc(es, j, func(e Edge, j int) int { return cmp.Compare(e.To, j) })
	if !ok {
		return 0
	}
	return es[k].Weight
}

// Degree returns the sum of the weights of table i's edges.
func (g *Graph) Degree(i int) float64 {
	var d float64
	for _, e := range g.adj[i] {
		d += e.Weight
	}
	return d
}

// Incident returns the indexes in Couplings of the couplings of table i.
func (g *Graph) Incident(i int) []int32 { return g.incident[i] }

// Tie is how strongly a table is tied to one group of tables (a context).
type Tie struct {
	Group string
	// Weight sums the weights between the table and the group's tables;
	// Hints is the part of it that hints give.
	Weight, Hints float64
	// Counts counts the couplings of each kind that tie them, each once.
	Counts [numKinds]int
	// Tables are the group's tables the couplings reach, sorted.
	Tables []schema.TableName
}

// Couplings says the couplings of the tie in words, strongest kind first:
// "2 foreign keys, 1 view".
func (t Tie) Couplings() string {
	var parts []string
	for _, k := range Kinds {
		if t.Counts[k] > 0 {
			parts = append(parts, k.Count(t.Counts[k]))
		}
	}
	return strings.Join(parts, ", ")
}

// Ties returns the groups table i is tied to, strongest first (ties by
// name): groupOf names the groups of each table (a context, none for a
// table in no group). Table i's own groups are included.
func (g *Graph) Ties(i int, groupOf func(j int) []string) []Tie {
	byGroup := map[string]*Tie{}
	var order []string
	for _, ci := range g.incident[i] {
		c := &g.Couplings[ci]
		counted := map[string]bool{}
		for _, j := range c.Tables {
			if j == i {
				continue
			}
			for _, grp := range groupOf(j) {
				t := byGroup[grp]
				if t == nil {
					t = &Tie{Group: grp}
					byGroup[grp] = t
					order = append(order, grp)
				}
				t.Weight += c.Weight
				if c.Kind.Hint() {
					t.Hints += c.Weight
				}
				if !counted[grp] {
					counted[grp] = true
					t.Counts[c.Kind]++
				}
				t.Tables = append(t.Tables, g.Tables[j])
			}
		}
	}
	out := make([]Tie, 0, len(order))
	for _, grp := range order {
		t := byGroup[grp]
		slices.SortFunc(t.Tables, schema.TableName.Compare)
		t.Tables = slices.Compact(t.Tables)
		out = append(out, *t)
	}
	slices.SortFunc(out, func(x, y Tie) int {
		return cmp.Or(cmp.Compare(y.Weight, x.Weight), strings.Compare(x.Group, y.Group))
	})
	return out
}

// Home returns the contexts of m's map that table n is tied to,
// strongest first (see Ties; each table counts for the contexts that own
// it, m.Home): the first is the home its couplings propose. None when
// nothing ties n to a table a context owns.
func (g *Graph) Home(m *ownership.Model, n schema.TableName) []Tie {
	i, ok := g.index[m.Root(n)]
	if !ok {
		return nil
	}
	return g.Ties(i, func(j int) []string { return m.Home(g.Tables[j]) })
}
