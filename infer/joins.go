package infer

import (
	"fmt"
	"strings"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
)

// sqlObject is one piece of SQL whose joins are evidence: a view
// definition, a trigger body or an observed statement.
type sqlObject struct {
	source string // srcView, srcTrigger or srcUsage
	label  string // "view x", "trigger y on t", "statement pg_stat_statements/..."
	// near are the tables the object is known to read and write (resolved
	// by introspection or usage), for unqualified names.
	near     []schema.TableName
	schema   string
	record   *table // the trigger's table, for NEW and OLD
	eqs      []sqlrefs.Equality
	parseErr error
}

// sqlObjects parses the views, trigger bodies and usage statements of the
// snapshot for equalities between columns.
func (m *model) sqlObjects(sources map[string]bool) []sqlObject {
	var out []sqlObject
	mysql := m.dialect == "mysql"
	if sources[srcView] {
		for i := range m.snap.Views {
			v := &m.snap.Views[i]
			if v.Definition == "" {
				continue
			}
			o := sqlObject{source: srcView, label: "view " + v.TableName().String(), near: v.Reads, schema: v.Schema}
			if mysql {
				o.eqs, o.parseErr = sqlrefs.MySQLEqualities(v.Definition)
			} else {
				o.eqs, o.parseErr = sqlrefs.PostgresEqualities(v.Definition)
			}
			out = append(out, o)
		}
	}
	if sources[srcTrigger] {
		cache := map[string][]sqlrefs.Equality{}
		for i := range m.snap.Triggers {
			tr := &m.snap.Triggers[i]
			if tr.Body == "" || strings.HasPrefix(tr.Unresolved, "function in language") {
				continue
			}
			eqs, ok := cache[tr.Body]
			if !ok {
				if mysql {
					eqs, _ = sqlrefs.MySQLTriggerBodyEqualities(tr.Body)
				} else {
					eqs, _ = sqlrefs.PLpgSQLEqualities(tr.Body)
				}
				cache[tr.Body] = eqs
			}
			near := append(append([]schema.TableName{tr.Table}, tr.Reads...), tr.Writes...)
			out = append(out, sqlObject{source: srcTrigger, label: "trigger " + tr.Name + " on " + tr.Table.String(),
				near: near, schema: tr.Schema, record: m.byName[m.lk.Root(tr.Table)], eqs: eqs})
		}
	}
	if sources[srcUsage] && m.snap.Usage != nil {
		for i := range m.snap.Usage.Statements {
			st := &m.snap.Usage.Statements[i]
			if st.Error != "" || len(st.Tables()) < 1 {
				continue
			}
			o := sqlObject{source: srcUsage, label: "statement " + st.ID + " (" + st.Source + ")", near: st.Tables()}
			if mysql {
				o.eqs, o.parseErr = sqlrefs.MySQLEqualities(st.Text)
			} else {
				o.eqs, o.parseErr = sqlrefs.PostgresEqualities(st.Text)
			}
			out = append(out, o)
		}
	}
	return out
}

// resolveColumn finds the model column one side of an equality names.
func (m *model) resolveColumn(o *sqlObject, c sqlrefs.Column) *column {
	def := m.defaultSchema()
	if o.schema != "" && m.dialect != "mysql" {
		def = o.schema
	}
	find := func(t *table) *column {
		if t == nil {
			return nil
		}
		if col := t.column(c.Name); col != nil {
			return col
		}
		if m.dialect == "mysql" {
			for _, col := range t.cols {
				if strings.EqualFold(col.name, c.Name) {
					return col
				}
			}
		}
		return nil
	}
	switch {
	case c.Record != "":
		return find(o.record)
	case c.Table.Name != "":
		return find(m.resolveTable(c.Table, o.near, def))
	}
	for _, level := range c.InScope {
		var found []*column
		for _, n := range level {
			if col := find(m.resolveTable(n, o.near, def)); col != nil {
				found = append(found, col)
			}
		}
		if len(found) == 1 {
			return found[0]
		}
		if len(found) > 1 {
			return nil
		}
	}
	return nil
}

// joinCandidates turns the equalities of the SQL objects into candidates:
// the side that is a key of its table is referenced by the other. When both
// are keys, the table whose name extends the other's refers to it (a
// one-to-one extension); when neither is, the equality says nothing.
func (m *model) joinCandidates(objs []sqlObject) []cand {
	var out []cand
	for oi := range objs {
		o := &objs[oi]
		seen := map[[2]*column]bool{}
		for _, e := range o.eqs {
			a, b := m.resolveColumn(o, e.Left), m.resolveColumn(o, e.Right)
			if a == nil || b == nil || a == b || !compatible(a.fam, b.fam) {
				continue
			}
			child, parent := orient(a, b)
			if child == nil || child.declared || seen[[2]*column{child, parent}] {
				continue
			}
			seen[[2]*column{child, parent}] = true
			out = append(out, cand{child: []*column{child}, parent: []*column{parent}, source: o.source, rule: o.source,
				score:  0.6,
				detail: fmt.Sprintf("%s joins %s.%s = %s.%s", o.label, child.tbl.n.Name, child.name, parent.tbl.n.Name, parent.name)})
		}
	}
	return out
}

// orient decides which column of an equality references the other.
func orient(a, b *column) (child, parent *column) {
	switch {
	case a.key && !b.key:
		return b, a
	case b.key && !a.key:
		return a, b
	case a.key && b.key && a.pkAlone && b.pkAlone:
		switch {
		case extends(a.tbl, b.tbl):
			return a, b
		case extends(b.tbl, a.tbl):
			return b, a
		}
	}
	return nil, nil
}

// extends reports whether t's name is p's with words added before or after.
func extends(t, p *table) bool {
	if len(t.toks) <= len(p.toks) {
		return false
	}
	pre, suf := true, true
	off := len(t.toks) - len(p.toks)
	for i := range p.toks {
		pre = pre && t.toks[i] == p.toks[i]
		suf = suf && t.toks[off+i] == p.toks[i]
	}
	return pre || suf
}
