package infer

import (
	"fmt"
	"strings"
)

// polyInfo marks a candidate as one target of a polymorphic pair.
type polyInfo struct {
	typeCol *column
	value   string
}

// polyPairs finds the polymorphic pairs <x>_type + <x>_id (any casing) of
// every table: the id column mapped to the type column.
func (m *model) polyPairs() map[*column]*column {
	pairs := map[*column]*column{}
	for _, t := range m.tables {
		for _, c := range t.cols {
			x, ok := strings.CutSuffix(c.norm, "_type")
			if !ok || x == "" || c.fam == famNone {
				continue
			}
			if id := t.byNorm(x + "_id"); id != nil && id.fam != famNone && !id.declared && !id.pkAlone {
				pairs[id] = c
			}
		}
	}
	return pairs
}

// polyCandidates gives one candidate per table a pair's type column names:
// the values a check constraint, a MySQL ENUM or the default allow
// (Post, App\Models\Post, blog.post -> posts).
func (m *model) polyCandidates(pairs map[*column]*column) []cand {
	var out []cand
	for _, t := range m.tables {
		for _, id := range t.cols {
			typ := pairs[id]
			if typ == nil {
				continue
			}
			seen := map[*table]bool{}
			for _, v := range m.typeValues(typ) {
				p := m.classify(v, t)
				if p == nil || seen[p] {
					continue
				}
				k := p.mainKey()
				if k == nil || !compatible(id.fam, k.fam) {
					continue
				}
				seen[p] = true
				out = append(out, cand{child: []*column{id}, parent: []*column{k}, source: srcPolymorphic, rule: srcPolymorphic,
					score: 0.75, poly: &polyInfo{typeCol: typ, value: v},
					detail: fmt.Sprintf("%s + %s: %s = '%s' names %s", typ.name, id.name, typ.name, v, p.n)})
			}
		}
	}
	return out
}

// typeValues returns the string literals a type column may hold, as its
// type (MySQL ENUM), its checks and its default spell them.
func (m *model) typeValues(c *column) []string {
	st := c.tbl.t
	var texts []string
	if sc := st.Columns; sc != nil {
		for i := range sc {
			if sc[i].Name != c.name {
				continue
			}
			if strings.HasPrefix(strings.ToLower(sc[i].Type), "enum(") {
				texts = append(texts, sc[i].Type)
			}
			if sc[i].Default != nil {
				texts = append(texts, *sc[i].Default)
			}
		}
	}
	for _, ch := range st.Checks {
		if strings.Contains(ch.Expression, c.name) {
			texts = append(texts, ch.Expression)
		}
	}
	var out []string
	for _, tx := range texts {
		out = append(out, literals(tx)...)
	}
	return out
}

// literals returns the '...' string literals of an SQL text.
func literals(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		if s[i] != '\'' {
			continue
		}
		var b strings.Builder
		j := i + 1
		for ; j < len(s); j++ {
			if s[j] == '\'' {
				if j+1 < len(s) && s[j+1] == '\'' {
					b.WriteByte('\'')
					j++
					continue
				}
				break
			}
			b.WriteByte(s[j])
		}
		if v := b.String(); v != "" {
			out = append(out, v)
		}
		i = j
	}
	return out
}

// classify finds the table a type value names: its last part (after \,
// ::, . or /), in any casing, singular or plural.
func (m *model) classify(v string, t *table) *table {
	for _, sep := range []string{`\`, "::", ".", "/"} {
		if i := strings.LastIndex(v, sep); i >= 0 {
			v = v[i+len(sep):]
		}
	}
	fs := m.pickForms(m.forms[normalize(v)], t)
	if len(fs) != 1 {
		return nil
	}
	return fs[0].t
}
