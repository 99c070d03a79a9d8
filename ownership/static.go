package ownership

import (
	"slices"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// StaticData is a table of static reference data (country codes, currency
// lists): data that almost never changes and that contexts join to rather
// than own.
type StaticData struct {
	Table schema.TableName
	// Declared is true when the map lists it under static:; otherwise it
	// was inferred from its size, its writes and its users.
	Declared bool
	// Owner is the one context that claims it and keeps it; "" when none
	// or several claim it (it then has no Home).
	Owner string
	// Refs are the foreign keys into it, the owner's own excepted: those
	// the split must replace with lookups in code.
	Refs []FK
	// Users are the contexts that claim it or whose tables reference it,
	// with the homes of the shared tables decided, in context order.
	Users []string
}

// Static returns the static reference data a table is (partitions answer
// for their root), or nil.
func (m *Model) Static(n schema.TableName) *StaticData { return m.static[m.lk.Root(n)] }

// IsStatic reports whether table n (or its root) is static reference data,
// declared or inferred.
func (m *Model) IsStatic(n schema.TableName) bool { return m.static[m.lk.Root(n)] != nil }

// StaticData returns the static reference data tables, sorted by name.
func (m *Model) StaticData() []*StaticData {
	out := make([]*StaticData, 0, len(m.static))
	for _, t := range m.roots {
		if sd := m.static[t.TableName()]; sd != nil {
			out = append(out, sd)
		}
	}
	return out
}

// decideStatic marks static reference data: the tables declared under
// static:, and the tables of the static shape (see StaticShape) that two
// or more contexts claim or reference. An estimate of 0 rows (an empty
// table, or statistics never gathered) is no evidence of a code list:
// nothing says what the table holds in production. Static data that
// several contexts use gets no home; with one claimant it stays with it.
func (m *Model) decideStatic() {
	refs := map[schema.TableName][]FK{}
	m.outgoing = map[schema.TableName]int{}
	for _, r := range m.fks {
		p := m.lk.Root(r.Key.References)
		if p != r.Root {
			refs[p] = append(refs[p], r)
			m.outgoing[r.Root]++
		}
	}
	for _, t := range m.roots {
		n := t.TableName()
		if m.a.IsIgnored(n) {
			continue
		}
		cs := m.claims[n]
		declared := m.a.Static[n]
		if !declared {
			users := slices.Clone(m.home[n])
			for _, r := range refs[n] {
				users = append(users, m.home[r.Root]...)
			}
			if len(m.Order(users)) < 2 {
				continue
			}
			shape, sized := m.staticShape(t)
			if !shape {
				continue
			}
			if !sized {
				m.unsized = append(m.unsized, n)
				continue
			}
		}
		sd := &StaticData{Table: n, Declared: declared}
		for _, r := range refs[n] {
			if len(m.home[n]) == 1 && slices.Equal(m.home[r.Root], m.home[n]) {
				continue // the owner's own reference
			}
			sd.Refs = append(sd.Refs, r)
		}
		if len(cs) == 1 {
			sd.Owner = cs[0].Context
		} else {
			m.home[n] = nil
		}
		m.static[n] = sd
	}
}

// StaticShape reports whether table n (partitions answer for their root)
// has the shape of static reference data, whoever uses it: it references
// no other table, it is rarely written where counters exist (at most
// StaticMaxWrites), no claimant declares that it writes it (or, with
// other claimants, which of its columns it uses), and it is small: a row
// estimate above zero and under StaticRowThreshold. When the table has no
// row estimate, sized is false and shape says whether all but the size
// holds. Static data is a table of this shape that two or more contexts
// use, or one the map declares.
func (m *Model) StaticShape(n schema.TableName) (shape, sized bool) {
	t := m.lk.Table(m.lk.Root(n))
	if t == nil {
		return false, false
	}
	return m.staticShape(t)
}

func (m *Model) staticShape(t *schema.Table) (shape, sized bool) {
	n := t.TableName()
	writes, known := t.Stats.Writes()
	if m.outgoing[n] > 0 || (known && writes > m.opts.StaticMaxWrites) {
		return false, t.RowEstimate != nil
	}
	cs := m.claims[n]
	if slices.ContainsFunc(cs, func(c contexts.Claim) bool { return c.Access.Writes() || (len(cs) > 1 && c.Columns != nil) }) {
		return false, t.RowEstimate != nil
	}
	if t.RowEstimate == nil {
		return true, false
	}
	return *t.RowEstimate > 0 && *t.RowEstimate < m.opts.StaticRowThreshold, true
}

// UnsizedStatic returns the tables that would be static reference data
// if they were small, but whose size is unknown: they have no row
// estimate (a snapshot read from a DDL file, or a table never analysed).
// Sorted.
func (m *Model) UnsizedStatic() []schema.TableName { return m.unsized }

// staticUsers names the users of each static table once the shared tables
// have owners (a table given to a proposed context references the data
// from there).
func (m *Model) staticUsers() {
	for n, sd := range m.static {
		users := slices.Clone(m.home[n])
		for _, r := range sd.Refs {
			users = append(users, m.home[r.Root]...)
		}
		sd.Users = m.Order(users)
	}
}
