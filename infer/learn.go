package infer

import (
	"fmt"
	"math"
	"strings"
)

// Templates relate a foreign key's referenced table to the referencing
// table's name. They are learned per column name from the declared
// foreign keys: if every declared new_id references the table its table's
// name starts with (artist_gid_redirect.new_id -> artist), an undeclared
// new_id does too.
const (
	tmplSelf   = "the table itself"
	tmplPrefix = "the table its table's name starts with"
	tmplSuffix = "the table its table's name ends with"
)

// learner holds what the declared foreign keys teach.
type learner struct {
	m *model
	// total counts the declared single-column foreign keys per column name.
	total map[string]int
	// exact counts, per column name, the tables they reference.
	exact map[string]map[*table]*learnedTarget
	// tmpl counts, per column name, the templates they follow.
	tmpl map[string]map[string]*learnedTarget
	// fires and hits count, per naming rule, the declared foreign key
	// columns the rule gives a target for and those it gives the right one.
	fires, hits map[string]int
	// named counts, per column name, the columns that could reference
	// something (a key type, not a numbered key of their own table);
	// declaredRate is the share of all such columns that declared keys use.
	named        map[string]int
	declaredRate float64
}

type learnedTarget struct {
	n      int
	refCol string // normalized name of the referenced column
	// keys counts the examples whose column is alone a key of its own
	// table: a rule learned on plain columns does not apply to a table's
	// own key (artist.gid is not deleted_entity.gid) and the reverse.
	keys int
}

// segmentTemplate names the template "number i of the tables its table is
// named after".
func segmentTemplate(i, n int) string {
	return fmt.Sprintf("table %d of the %d its table is named after", i+1, n)
}

// learn reads the declared single-column foreign keys of the model.
func (m *model) learn() *learner {
	l := &learner{m: m, total: map[string]int{}, exact: map[string]map[*table]*learnedTarget{},
		tmpl: map[string]map[string]*learnedTarget{}, fires: map[string]int{}, hits: map[string]int{}, named: map[string]int{}}
	eligible, used := 0, 0
	for _, t := range m.tables {
		for _, c := range t.cols {
			if c.fam == famNone || c.pkAlone && c.generated {
				continue
			}
			l.named[c.norm]++
			eligible++
			if c.declared {
				used++
			}
		}
	}
	if eligible > 0 {
		l.declaredRate = float64(used) / float64(eligible)
	}
	count := func(mm map[string]*learnedTarget, key, refCol string, isKey bool) {
		if mm[key] == nil {
			mm[key] = &learnedTarget{refCol: refCol}
		}
		mm[key].n++
		if isKey {
			mm[key].keys++
		}
	}
	for _, t := range m.tables {
		var segs []*table
		segsDone := false
		for _, fk := range t.t.ForeignKeys {
			// A key read from a file may name no referenced columns
			// (REFERENCES t without a primary key to point at).
			if len(fk.Columns) != 1 || len(fk.RefColumns) != 1 {
				continue
			}
			c, p := t.column(fk.Columns[0]), m.byName[m.lk.Root(fk.References)]
			if c == nil || p == nil {
				continue
			}
			ref := normalize(fk.RefColumns[0])
			l.total[c.norm]++
			if l.exact[c.norm] == nil {
				l.exact[c.norm] = map[*table]*learnedTarget{}
				l.tmpl[c.norm] = map[string]*learnedTarget{}
			}
			if l.exact[c.norm][p] == nil {
				l.exact[c.norm][p] = &learnedTarget{refCol: ref}
			}
			l.exact[c.norm][p].n++
			if c.key {
				l.exact[c.norm][p].keys++
			}
			for _, tm := range l.templatesOf(t, p) {
				count(l.tmpl[c.norm], tm, ref, c.key)
			}
			if !segsDone {
				segs, segsDone = m.segments(t), true
			}
			for i, s := range segs {
				if s == p {
					count(l.tmpl[c.norm], segmentTemplate(i, len(segs)), ref, c.key)
				}
			}
			// Calibrate the naming rules on this column.
			for _, cd := range m.nameCandidates(c) {
				l.fires[cd.rule]++
				if cd.parent[0].tbl == p {
					l.hits[cd.rule]++
				}
			}
		}
	}
	return l
}

// templatesOf returns the templates that lead from t to p.
func (l *learner) templatesOf(t, p *table) []string {
	var out []string
	if p == t {
		out = append(out, tmplSelf)
	}
	if x := l.m.affixTable(t, true); x == p {
		out = append(out, tmplPrefix)
	}
	if x := l.m.affixTable(t, false); x == p {
		out = append(out, tmplSuffix)
	}
	return out
}

// affixTable returns the table with the longest name that t's name starts
// (prefix) or ends with, whole words, other than t; nil when none.
func (m *model) affixTable(t *table, prefix bool) *table {
	for i := len(t.toks) - 1; i >= 1; i-- {
		var name string
		if prefix {
			name = strings.Join(t.toks[:i], "_")
		} else {
			name = strings.Join(t.toks[len(t.toks)-i:], "_")
		}
		if ps := m.pickTables(m.exact[name], t); len(ps) == 1 && ps[0] != t {
			return ps[0]
		}
	}
	return nil
}

// reliability scales a naming rule's score by how often it gave the right
// table on the declared foreign keys: 1 when it was never wrong (or never
// tried), less the more often it was.
func (l *learner) reliability(rule string) float64 {
	if l == nil {
		return 1
	}
	f, h := l.fires[rule], l.hits[rule]
	return math.Sqrt(float64(h+2) / float64(f+2))
}

// learnedScore is the score of a learned rule followed by n of the total
// declared foreign keys of a column name.
func learnedScore(n, total int) float64 {
	cons := float64(n) / float64(total)
	if cons < 0.6 {
		return 0
	}
	return 0.5 + 0.4*cons*(1-1/float64(n+2))
}

// lift scales what a column name's declared keys teach by how much more
// often columns of that name carry a declared key than columns do in
// general: if 4 of 150 gid columns reference deleted_entity while 40% of
// all columns carry keys, the other gid columns are not forgotten keys. It
// is 1 when the name is at least as often a key as any column, less below.
func (l *learner) lift(name string) float64 {
	if l.declaredRate == 0 || l.named[name] == 0 {
		return 1
	}
	return min(1, float64(l.total[name])/float64(l.named[name])/l.declaredRate)
}

// candidates returns the learned candidates for an undeclared column.
func (l *learner) candidates(c *column) []cand {
	total := l.total[c.norm]
	if total == 0 {
		return nil
	}
	var out []cand
	add := func(p *table, lt *learnedTarget, why string) {
		if p == nil {
			return
		}
		k := p.keyNamed(lt.refCol)
		if k == nil {
			k = p.mainKey()
		}
		if k == nil || k == c || !compatible(c.fam, k.fam) || c.key != (2*lt.keys > lt.n) {
			return
		}
		s := learnedScore(lt.n, total) * l.lift(c.norm)
		if s == 0 {
			return
		}
		out = append(out, cand{child: []*column{c}, parent: []*column{k}, source: srcLearned, rule: "learned", score: s,
			detail: fmt.Sprintf("%d of %d declared foreign keys on columns named %s reference %s", lt.n, total, c.name, why)})
	}
	for p, lt := range l.exact[c.norm] {
		if p != c.tbl {
			add(p, lt, p.n.String())
		}
	}
	var segs []*table
	for tm, lt := range l.tmpl[c.norm] {
		var p *table
		switch tm {
		case tmplSelf:
			p = c.tbl
		case tmplPrefix:
			p = l.m.affixTable(c.tbl, true)
		case tmplSuffix:
			p = l.m.affixTable(c.tbl, false)
		default:
			if segs == nil {
				segs = l.m.segments(c.tbl)
			}
			for i, s := range segs {
				if segmentTemplate(i, len(segs)) == tm {
					p = s
				}
			}
		}
		if p != nil {
			add(p, lt, tm+" ("+p.n.String()+")")
		}
	}
	return out
}
