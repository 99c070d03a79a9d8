package usage

import (
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
)

// columnUses resolves the columns a statement names to snapshot tables: a
// qualified column through the statement's aliases and table names, an
// unqualified one to the only table of the statement that has it. Columns
// that resolve to no column of a snapshot table are left out.
func (b *Builder) columnUses(names sqlrefs.Names, defaultSchema string) []schema.ColumnUse {
	if len(names.Columns) == 0 {
		return nil
	}
	type resolved struct {
		ref sqlrefs.NamedTable
		t   *schema.Table
	}
	var rs []resolved
	for _, tr := range names.Tables {
		n, ok := b.resolve(tr.Table, defaultSchema)
		if !ok {
			continue
		}
		if t := b.lk.Table(n); t != nil {
			rs = append(rs, resolved{tr, t})
		}
	}
	has := func(t *schema.Table, col string) string {
		for _, c := range t.Columns {
			if c.Name == col || (b.dialect == schema.DialectMySQL && strings.EqualFold(c.Name, col)) {
				return c.Name
			}
		}
		return ""
	}
	use := map[schema.TableName]*schema.ColumnUse{}
	add := func(t *schema.Table, col string, write bool) {
		n := b.lk.Root(t.TableName())
		u := use[n]
		if u == nil {
			u = &schema.ColumnUse{Table: n}
			use[n] = u
		}
		if write {
			u.Written = append(u.Written, col)
		} else {
			u.Read = append(u.Read, col)
		}
	}
	for _, c := range names.Columns {
		var cands []resolved
		switch {
		case c.Into != nil:
			for _, r := range rs {
				if r.ref.Table == *c.Into {
					cands = append(cands, r)
					break
				}
			}
		case c.Table != "":
			for _, r := range rs {
				if b.fold(r.ref.Alias) == b.fold(c.Table) || (r.ref.Alias == "" && b.fold(r.ref.Table.Name) == b.fold(c.Table) &&
					(c.Schema == "" || b.fold(c.Schema) == b.fold(r.t.Schema))) {
					cands = append(cands, r)
				}
			}
		default:
			for _, r := range rs {
				if has(r.t, c.Column) != "" {
					cands = append(cands, r)
				}
			}
			// An INSERT's own table is out of the scope of its SELECT: it
			// names the column only when no other table has it (ON
			// DUPLICATE KEY UPDATE, ON CONFLICT).
			if slices.ContainsFunc(cands, func(r resolved) bool { return !r.ref.Insert }) {
				cands = slices.DeleteFunc(cands, func(r resolved) bool { return r.ref.Insert })
			}
		}
		// One table, or several references to the same one (a self-join).
		if len(cands) == 0 || slices.ContainsFunc(cands, func(r resolved) bool { return r.t != cands[0].t }) {
			continue
		}
		if name := has(cands[0].t, c.Column); name != "" {
			add(cands[0].t, name, c.Write)
		}
	}
	out := make([]schema.ColumnUse, 0, len(use))
	for _, u := range use {
		slices.Sort(u.Read)
		u.Read = slices.Compact(u.Read)
		slices.Sort(u.Written)
		u.Written = slices.Compact(u.Written)
		out = append(out, *u)
	}
	slices.SortFunc(out, func(x, y schema.ColumnUse) int { return x.Table.Compare(y.Table) })
	return out
}
