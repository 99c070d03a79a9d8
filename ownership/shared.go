package ownership

import (
	"slices"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// Decision is what becomes of a table that two or more contexts claim.
type Decision int

// The decisions, in the order the rules try them.
const (
	// NewContext gives a table that two or more claimants declare they
	// write to a context of its own, named after the table: the missing
	// domain concept behind shared mutable data. The model proposes that
	// context unless the map already has one of that name.
	NewContext Decision = iota
	// SplitByColumns splits a table whose claimants declare the columns
	// they use, which barely overlap, into one table per claimant.
	SplitByColumns
	// GiveToOwner gives the table to one claimant (its only declared
	// writer, else the first in the map's order); the others use its API.
	GiveToOwner
)

// Shared is a table that two or more contexts claim, and what the model
// decides to do with it. Static reference data is never Shared.
type Shared struct {
	Table schema.TableName
	// Claims are the claimants' claims, in context order.
	Claims []contexts.Claim
	// Claimants and Writers (those that declare access: write or
	// readwrite) are in context order.
	Claimants, Writers []string
	// Key is the table's primary key columns, nil without one.
	Key []string
	// AllColumns is true when every claimant declares the columns it uses.
	AllColumns bool
	// Used are the columns outside the key that claimants declare, in
	// table order; Contested those that two or more declare.
	Used, Contested []string
	Decision        Decision
	// Owner is the context that owns the table after the split: the new
	// context, the claimant that keeps the original table of a split, or
	// the one claimant it is given to.
	Owner string
	// Proposed is true when Owner is a context the model proposes.
	Proposed bool
	// Split is the split, for SplitByColumns.
	Split *Split
}

// Split is a shared table split into one table per claimant.
type Split struct {
	// Columns maps each claimant to the columns it uses.
	Columns map[string][]string
	// Key is the key every part carries.
	Key []string
}

// Shared returns the decision on a table that two or more contexts claim
// (partitions answer for their root), or nil.
func (m *Model) Shared(n schema.TableName) *Shared { return m.shared[m.lk.Root(n)] }

// SharedTables returns the decisions on every shared table, sorted by table.
func (m *Model) SharedTables() []*Shared {
	out := make([]*Shared, 0, len(m.shared))
	for _, t := range m.roots {
		if sh := m.shared[t.TableName()]; sh != nil {
			out = append(out, sh)
		}
	}
	return out
}

// decideShared decides, for each table claimed by two or more contexts and
// not static, what becomes of it: a new context when two or more claimants
// write it; a split by columns when every claimant declares its columns,
// the table has a primary key and at most a quarter of the columns used
// are used by more than one claimant; else one owner.
func (m *Model) decideShared() {
	for _, t := range m.roots {
		n := t.TableName()
		cs := m.claims[n]
		if len(cs) < 2 || m.static[n] != nil {
			continue
		}
		sh := &Shared{Table: n, Claims: cs, AllColumns: true}
		if t.PrimaryKey != nil {
			sh.Key = t.PrimaryKey.Columns
		}
		use := map[string]int{}
		for _, c := range cs {
			sh.Claimants = append(sh.Claimants, c.Context)
			if c.Access.Writes() {
				sh.Writers = append(sh.Writers, c.Context)
			}
			if c.Columns == nil {
				sh.AllColumns = false
			}
			for _, col := range c.Columns {
				if !slices.Contains(sh.Key, col) {
					use[col]++
				}
			}
		}
		for _, col := range t.Columns {
			if k := use[col.Name]; k > 0 {
				sh.Used = append(sh.Used, col.Name)
				if k > 1 {
					sh.Contested = append(sh.Contested, col.Name)
				}
			}
		}
		disjoint := sh.AllColumns && len(sh.Key) > 0 && len(sh.Contested)*4 <= len(sh.Used)
		switch {
		case len(sh.Writers) >= 2:
			sh.Decision, sh.Owner = NewContext, n.Name
			if _, ok := m.rank[sh.Owner]; !ok {
				m.proposed[sh.Owner], sh.Proposed = true, true
			}
			m.addContext(sh.Owner)
			m.home[n] = []string{sh.Owner}
		case disjoint:
			sh.Decision, sh.Owner = SplitByColumns, sh.Claimants[0]
			sh.Split = &Split{Columns: map[string][]string{}, Key: sh.Key}
			for _, c := range cs {
				sh.Split.Columns[c.Context] = c.Columns
			}
		default:
			sh.Decision, sh.Owner = GiveToOwner, sh.Claimants[0]
			if len(sh.Writers) == 1 {
				sh.Owner = sh.Writers[0]
			}
			m.home[n] = []string{sh.Owner}
		}
		m.shared[n] = sh
	}
}
