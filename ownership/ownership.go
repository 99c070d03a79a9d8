// Package ownership decides, once for every command, who owns each table of
// a snapshot under a contexts map: the home of every table; the tables two
// or more contexts claim and what becomes of each (split by columns, given
// to one claimant, or given to a new context the plan proposes); the static
// reference data, declared or inferred; and whether a foreign key, or a set
// of tables a statement or a unit of work touches, crosses a context
// boundary.
//
// The planner, the diagrams, the site and the usage attribution all ask a
// Model; none keeps a rule of its own. A Model is built once from a
// snapshot, a resolved contexts map and Options, and only read after.
package ownership

import (
	"cmp"
	"slices"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// DefaultStaticRowThreshold is the row estimate under which a table shared
// by two or more contexts counts as static reference data.
const DefaultStaticRowThreshold = 1000

// Names of the pseudo-contexts of tables that no context owns, as Place
// returns them.
const (
	Unassigned = "(unassigned)"
	Static     = "(static)"
)

// Options tune the rules.
type Options struct {
	// StaticRowThreshold is the row estimate below which a table may be
	// static reference data. Zero means DefaultStaticRowThreshold.
	StaticRowThreshold int64
	// StaticMaxWrites is the largest number of writes (inserted + updated +
	// deleted since the counters were reset) a static table may show when
	// counters exist. Zero means 0.01 × the row threshold, at least 10.
	StaticMaxWrites int64
}

// Model is who owns what in one snapshot under one contexts map.
type Model struct {
	s    *schema.Snapshot
	a    *contexts.Assignment
	lk   *schema.Lookup
	opts Options

	// names are the context names: the map's, then the proposed ones;
	// rank maps each to its position.
	names    []string
	rank     map[string]int
	proposed map[string]bool
	// roots are the root tables (partitions excluded), sorted.
	roots []*schema.Table
	// claims are the map's claims by root table, in context order.
	claims map[schema.TableName][]contexts.Claim
	// home are the contexts that own each root table: its claimants, or
	// the one owner given to a shared table; none for tables no context
	// owns (unassigned, ignored, static data shared by several).
	home   map[schema.TableName][]string
	static map[schema.TableName]*StaticData
	shared map[schema.TableName]*Shared
	fks    []FK
	// byContext lists the root tables each context owns, sorted.
	byContext map[string][]schema.TableName
	// unsized are the tables static but for their unknown size.
	unsized []schema.TableName
	// outgoing counts the foreign keys of each root table to other tables.
	outgoing map[schema.TableName]int
}

// New decides the ownership of every table of s under the map a (nil: no
// context claims anything).
func New(s *schema.Snapshot, a *contexts.Assignment, opts Options) *Model {
	if a == nil {
		a = &contexts.Assignment{}
	}
	if opts.StaticRowThreshold <= 0 {
		opts.StaticRowThreshold = DefaultStaticRowThreshold
	}
	if opts.StaticMaxWrites <= 0 {
		opts.StaticMaxWrites = max(10, opts.StaticRowThreshold/100)
	}
	m := &Model{
		s: s, a: a, lk: schema.NewLookup(s), opts: opts,
		rank:     map[string]int{},
		proposed: map[string]bool{},
		claims:   map[schema.TableName][]contexts.Claim{},
		home:     map[schema.TableName][]string{},
		static:   map[schema.TableName]*StaticData{},
		shared:   map[schema.TableName]*Shared{},
	}
	for _, c := range a.Contexts {
		m.addContext(c)
	}
	m.collectClaims()
	m.fks = m.foreignKeys()
	m.decideStatic()
	m.decideShared()
	m.staticUsers()
	m.byContext = map[string][]schema.TableName{}
	for _, t := range m.roots {
		n := t.TableName()
		for _, c := range m.home[n] {
			m.byContext[c] = append(m.byContext[c], n)
		}
	}
	return m
}

// Snapshot returns the snapshot the model was built from.
func (m *Model) Snapshot() *schema.Snapshot { return m.s }

// Assignment returns the resolved contexts map the model was built from.
func (m *Model) Assignment() *contexts.Assignment { return m.a }

// Lookup returns the snapshot's index of tables and views.
func (m *Model) Lookup() *schema.Lookup { return m.lk }

// Options returns the options in force, defaults filled in.
func (m *Model) Options() Options { return m.opts }

// Contexts returns the context names: the map's in its order, then the
// contexts the model proposes, in the order of their tables.
func (m *Model) Contexts() []string { return m.names }

// IsContext reports whether c is a context of the map or a proposed one.
func (m *Model) IsContext(c string) bool {
	_, ok := m.rank[c]
	return ok
}

// IsProposed reports whether c is a context the model proposes: the
// missing domain concept behind a table that several contexts write.
func (m *Model) IsProposed(c string) bool { return m.proposed[c] }

// Order sorts context names in the model's order and drops duplicates; the
// slice is sorted in place and returned.
func (m *Model) Order(cs []string) []string {
	slices.SortFunc(cs, func(x, y string) int { return cmp.Compare(m.rank[x], m.rank[y]) })
	return slices.Compact(cs)
}

// Roots returns the root tables (partitions excluded), sorted by name.
func (m *Model) Roots() []*schema.Table { return m.roots }

// Root returns the root table of a partition, or n itself.
func (m *Model) Root(n schema.TableName) schema.TableName { return m.lk.Root(n) }

// Claims returns the map's claims on table n (partitions answer for their
// root), in context order.
func (m *Model) Claims(n schema.TableName) []contexts.Claim { return m.claims[m.lk.Root(n)] }

// Claimants returns the contexts that claim table n in the map, in
// context order.
func (m *Model) Claimants(n schema.TableName) []string {
	cs := m.Claims(n)
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Context
	}
	return out
}

// Home returns the contexts that own table n (partitions answer for their
// root): its claimant; for a shared table the owner it is given to, or
// every claimant of a table split by columns; none for a table no context
// owns (unassigned, ignored, or static data that several contexts use).
// The slice must not be changed.
func (m *Model) Home(n schema.TableName) []string { return m.home[m.lk.Root(n)] }

// Tables returns the root tables context c owns (its Home includes c),
// sorted. The slice must not be changed.
func (m *Model) Tables(c string) []schema.TableName { return m.byContext[c] }

// IsIgnored reports whether table n (or its root) is left out by the map.
func (m *Model) IsIgnored(n schema.TableName) bool { return m.a.IsIgnored(n) }

// Place returns the one group a table is drawn in: the context that keeps
// it (for a table split by columns, the claimant that keeps the original),
// Static for static reference data no one context keeps, Unassigned for a
// table no context owns, and "" for an ignored table.
func (m *Model) Place(n schema.TableName) string {
	r := m.lk.Root(n)
	h := m.MainHome(r)
	switch {
	case m.a.IsIgnored(r):
		return ""
	case len(h) > 0:
		return h[0]
	case m.static[r] != nil || m.a.IsStatic(r):
		return Static
	}
	return Unassigned
}

// MainHome returns the contexts a reader of table n depends on: the owner
// of a table split by columns, the Home of any other.
func (m *Model) MainHome(n schema.TableName) []string {
	r := m.lk.Root(n)
	if sh := m.shared[r]; sh != nil && sh.Split != nil {
		return []string{sh.Owner}
	}
	return m.home[r]
}

// UsersOf returns the contexts owning table n that use all of cols: for a
// table split by columns, the claimants whose declared columns include
// them (all of its Home when none does); for any other table its Home.
func (m *Model) UsersOf(n schema.TableName, cols []string) []string {
	r := m.lk.Root(n)
	sh := m.shared[r]
	if sh == nil || sh.Split == nil {
		return m.home[r]
	}
	var out []string
	for _, c := range m.home[r] {
		if containsAll(sh.Split.Columns[c], cols) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return m.home[r]
	}
	return out
}

// Crosses reports whether no one context owns all of the tables ns (static
// data and tables no context owns left out), with the contexts that own
// them, in context order. It is the rule for a statement that reads or
// writes several tables and for a unit of work that writes several.
func (m *Model) Crosses(ns []schema.TableName) ([]string, bool) {
	var all, common []string
	first := true
	for _, n := range ns {
		r := m.lk.Root(n)
		h := m.home[r]
		if len(h) == 0 || m.IsStatic(r) {
			continue
		}
		all = append(all, h...)
		if first {
			common, first = slices.Clone(h), false
			continue
		}
		common = slices.DeleteFunc(common, func(c string) bool { return !slices.Contains(h, c) })
	}
	return m.Order(all), !first && len(common) == 0
}

// Within returns the contexts in which all of the tables ns stay: those
// that keep every one of them (MainHome), static data left out. It is empty
// when a table has no owner, when no one context keeps them all, or when ns
// holds only static data. It is the rule for a foreign key, view or trigger
// that does not cross a boundary.
func (m *Model) Within(ns []schema.TableName) []string {
	var out []string
	first := true
	for _, n := range ns {
		if m.IsStatic(n) {
			continue
		}
		h := m.MainHome(n)
		if first {
			out, first = slices.Clone(h), false
			continue
		}
		out = slices.DeleteFunc(out, func(c string) bool { return !slices.Contains(h, c) })
	}
	return out
}

// Reference returns the contexts on each side of a reference from the
// columns cols of table child to the columns refCols of table parent
// (partitions answer for their root) that crosses a context boundary:
// from are the contexts of the child whose rows would reference another
// context's rows, to the contexts of the parent. Both are empty when the
// reference stays inside one context, when either side is owned by no
// context, or when the parent is static reference data (the static data
// rule handles those). A reference into a table split by columns points
// at the part the child's context keeps when it references the key.
func (m *Model) Reference(child schema.TableName, cols []string, parent schema.TableName, refCols []string) (from, to []string) {
	parent = m.lk.Root(parent)
	if m.IsStatic(parent) {
		return nil, nil
	}
	ch := m.UsersOf(child, cols)
	par := m.UsersOf(parent, refCols)
	sh := m.shared[parent]
	var sp *Split
	if sh != nil && sh.Split != nil {
		sp = sh.Split
		par = []string{sh.Owner}
	}
	for _, x := range ch {
		if slices.Contains(par, x) {
			continue
		}
		if sp != nil && slices.Contains(m.home[parent], x) && sameSet(refCols, sp.Key) {
			continue // re-pointed to x's own part when the table is split
		}
		from = append(from, x)
	}
	if len(from) == 0 || len(par) == 0 {
		return nil, nil
	}
	return from, slices.Clone(par)
}

// addContext adds a context name if it is new.
func (m *Model) addContext(name string) {
	if _, ok := m.rank[name]; ok {
		return
	}
	m.rank[name] = len(m.names)
	m.names = append(m.names, name)
}

// collectClaims indexes the map's claims by root table and sets each
// claimed table's home to its claimants.
func (m *Model) collectClaims() {
	for i := range m.s.Tables {
		t := &m.s.Tables[i]
		if !t.IsPartition() {
			m.roots = append(m.roots, t)
		}
	}
	slices.SortFunc(m.roots, func(x, y *schema.Table) int { return x.TableName().Compare(y.TableName()) })
	keys := make([]schema.TableName, 0, len(m.a.Claims))
	for n := range m.a.Claims {
		keys = append(keys, n)
	}
	slices.SortFunc(keys, schema.TableName.Compare)
	for _, n := range keys {
		r := m.lk.Root(n)
		for _, c := range m.a.Claims[n] {
			m.addContext(c.Context)
			if !slices.ContainsFunc(m.claims[r], func(x contexts.Claim) bool { return x.Context == c.Context }) {
				m.claims[r] = append(m.claims[r], c)
			}
		}
	}
	for n, cs := range m.claims {
		slices.SortStableFunc(cs, func(x, y contexts.Claim) int { return cmp.Compare(m.rank[x.Context], m.rank[y.Context]) })
		h := make([]string, len(cs))
		for i, c := range cs {
			h[i] = c.Context
		}
		m.home[n] = h
	}
}

func containsAll(set, want []string) bool {
	for _, w := range want {
		if !slices.Contains(set, w) {
			return false
		}
	}
	return true
}

func sameSet(a, b []string) bool {
	return len(a) == len(b) && containsAll(a, b) && containsAll(b, a)
}
