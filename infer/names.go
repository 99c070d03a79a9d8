package infer

import (
	"fmt"
	"strings"
)

// Naming rules: the name of a rule is what the evidence and the learned
// reliability (see learn.go) refer to it by.
const (
	ruleKeyName     = "key-name"         // the column has the (specific) name of another table's key: order_id -> customer_order.order_id
	ruleTableKey    = "table-key"        // <table>_<key>: artist_id -> artist.id, country_code -> country.code
	ruleTableColumn = "table-column"     // a column named like a table: release.artist_credit -> artist_credit
	ruleNumbered    = "table-numbered"   // a table name with a number: tag1, tag2 -> tag
	ruleOwnPrefix   = "own-prefix"       // artist.type -> artist_type, ci_builds.runner_id -> ci_runners
	ruleParent      = "parent"           // parent, parent_id -> the table itself
	ruleOneToOne    = "one-to-one"       // artist_meta.id -> artist.id
	ruleJunction    = "junction-ordinal" // l_area_artist.entity0, entity1 -> area, artist
	ruleComposite   = "composite-key"    // refund(order_id, line_no) -> order_line(order_id, line_no)
)

// ruleBase is each naming rule's score before calibration.
var ruleBase = map[string]float64{
	ruleKeyName:     0.85,
	ruleTableKey:    0.9,
	ruleTableColumn: 0.75,
	ruleNumbered:    0.7,
	ruleOwnPrefix:   0.8,
	ruleParent:      0.75,
	ruleOneToOne:    0.75,
	ruleJunction:    0.6,
	ruleComposite:   0.7,
}

// cand is one candidate reference from one piece of evidence.
type cand struct {
	child  []*column
	parent []*column
	source string
	rule   string // naming rule or learned template, for calibration
	detail string
	score  float64
	poly   *polyInfo
}

// rolePenalty scales a match found after a role prefix was removed
// (purchase_order_id, begin_area); strippedPenalty one made through a
// stripped table form.
const (
	rolePenalty     = 0.92
	strippedPenalty = 0.9
)

// keyishSuffixes are the last words of a column name that mean "the key
// of": artist_fk, artist_ref.
var keyishSuffixes = map[string]bool{"id": true, "fk": true, "ref": true, "key": true}

// genericWords say what a value is, not what it refers to: after a role
// prefix is removed (sitemap_suffix_key, order_status), such a word alone
// names no table even when a table is called that.
var genericWords = map[string]bool{"id": true, "fk": true, "ref": true, "key": true, "code": true, "no": true, "num": true,
	"number": true, "type": true, "name": true, "value": true, "status": true, "kind": true}

// nameCandidates returns the naming-rule candidates for column c, at most
// one per rule (the best of each).
func (m *model) nameCandidates(c *column) []cand {
	t := c.tbl
	var out []cand
	// role is set while a role prefix is removed: a table refers to itself
	// only through a role (parent_genre_id) or as parent.
	role := ""
	emit := func(rule string, p *table, k *column, score float64, why string) {
		if k == nil || p == nil || k == c || !compatible(c.fam, k.fam) {
			return
		}
		if p == t && rule != ruleParent && role == "" {
			return
		}
		cd := cand{child: []*column{c}, parent: []*column{k}, source: srcName, rule: rule, score: score,
			detail: fmt.Sprintf("%s: %s", rule, why)}
		for i := range out { // at most one per rule: a handful
			if out[i].rule == rule {
				if cd.score > out[i].score {
					out[i] = cd
				}
				return
			}
		}
		out = append(out, cd)
	}
	if c.pkAlone {
		if !c.generated {
			m.oneToOne(c, emit)
		}
		return out
	}
	toks := c.toks
	for i := 0; i < len(toks); i++ {
		rest := toks[i:]
		mult := 1.0
		role = ""
		if i > 0 {
			mult, role = rolePenalty, " (role "+strings.Join(toks[:i], "_")+")"
		}
		restName := c.rests[i]
		// key-name: the specific name of exactly one table's key.
		if len(rest) > 1 && len(m.exact[restName]) == 0 {
			if ks := m.pickKeys(m.keyCols[restName], t); len(ks) == 1 {
				emit(ruleKeyName, ks[0].tbl, ks[0], ruleBase[ruleKeyName]*mult,
					fmt.Sprintf("%s is the name of the key of %s%s", c.name, ks[0].tbl.n, role))
			}
		}
		// table-key: <table>_<key>.
		for j := len(rest) - 1; j >= 1; j-- {
			stem, tail := c.norm[c.offs[i]:c.offs[i+j]-1], c.rests[i+j]
			for _, f := range m.pickForms(m.forms[stem], t) {
				k := f.t.keyNamed(tail)
				if k == nil {
					k = f.t.keyNamed(stem + "_" + tail)
				}
				if k == nil && keyishSuffixes[tail] {
					k = f.t.mainKey()
				}
				emit(ruleTableKey, f.t, k, ruleBase[ruleTableKey]*mult*formPenalty(f),
					fmt.Sprintf("%s is %s_%s%s", c.name, f.t.n.Name, tail, role))
			}
		}
		// artistid: a key suffix without separator.
		if last := rest[len(rest)-1]; len(last) > 2 && strings.HasSuffix(last, "id") {
			stem := strings.Join(append(append([]string{}, rest[:len(rest)-1]...), strings.TrimSuffix(last, "id")), "_")
			for _, f := range m.pickForms(m.forms[stem], t) {
				emit(ruleTableKey, f.t, f.t.mainKey(), ruleBase[ruleTableKey]*mult*formPenalty(f)*0.95,
					fmt.Sprintf("%s is %sid%s", c.name, f.t.n.Name, role))
			}
		}
		if i > 0 && len(rest) == 1 && genericWords[rest[0]] {
			continue
		}
		// table-column: the column is named like a table.
		for _, f := range m.pickForms(m.forms[restName], t) {
			if f.t.norm != restName && f.t.norm == m.singularOf(restName) {
				continue // votes beside table vote: a count, not a reference
			}
			emit(ruleTableColumn, f.t, f.t.mainKey(), ruleBase[ruleTableColumn]*mult*formPenalty(f),
				fmt.Sprintf("%s is named like table %s%s", c.name, f.t.n, role))
		}
		if stem := strings.TrimRight(restName, "0123456789"); stem != restName && stem != "" {
			stem = strings.TrimSuffix(stem, "_")
			for _, f := range m.pickForms(m.forms[stem], t) {
				emit(ruleNumbered, f.t, f.t.mainKey(), ruleBase[ruleNumbered]*mult*formPenalty(f),
					fmt.Sprintf("%s is table %s with a number%s", c.name, f.t.n, role))
			}
		}
	}
	role = ""
	m.ownPrefix(c, emit)
	if c.norm == "parent" || c.norm == "parent_id" {
		emit(ruleParent, t, t.mainKey(), ruleBase[ruleParent], fmt.Sprintf("%s names a parent row of %s", c.name, t.n))
	}
	return out
}

// singularOf returns the singular of a normalized name.
func (m *model) singularOf(n string) string {
	s, _ := m.in.inflections(n)
	return s
}

func formPenalty(f form) float64 {
	if f.kind == formStripped {
		return strippedPenalty
	}
	return 1
}

// ownPrefix tries the table's own name, and its leading words, before the
// column: artist.type -> artist_type, editor_collection_area.collection ->
// editor_collection, ci_builds.runner_id -> ci_runners.
func (m *model) ownPrefix(c *column, emit func(string, *table, *column, float64, string)) {
	t := c.tbl
	stems := []string{c.norm}
	var tail string
	if n := len(c.toks); n > 1 && keyishSuffixes[c.toks[n-1]] {
		stems = append(stems, strings.Join(c.toks[:n-1], "_"))
		tail = c.toks[n-1]
	}
	for _, f := range m.forms[stems[len(stems)-1]] {
		if f.kind == formExact {
			return // the column names a table itself (editor_subscribe_artist.editor is editor)
		}
	}
	for p := len(t.toks); p >= 1; p-- {
		prefix := t.prefixes[p-1]
		found := false
		for si, stem := range stems {
			for _, f := range m.pickForms(m.forms[prefix+"_"+stem], t) {
				if f.t == t {
					continue
				}
				k := f.t.mainKey()
				if si == 1 {
					if kk := f.t.keyNamed(tail); kk != nil {
						k = kk
					}
				}
				emit(ruleOwnPrefix, f.t, k, ruleBase[ruleOwnPrefix]*formPenalty(f),
					fmt.Sprintf("%s in %s is %s", c.name, t.n.Name, f.t.n))
				found = true
			}
		}
		if found {
			return
		}
	}
}

// oneToOne: a primary key with no default that has the name of the
// primary key of a table whose name is a part of this one's (artist_meta,
// sitemaps.artist_lastmod -> artist) is that row's extension.
func (m *model) oneToOne(c *column, emit func(string, *table, *column, float64, string)) {
	t := c.tbl
	var best *table
	try := func(name string) {
		for _, p := range m.pickTables(m.exact[name], t) {
			if p == t || p.pk == nil || p.pk.norm != c.norm {
				continue
			}
			if best == nil || len(p.toks) > len(best.toks) {
				best = p
			}
		}
	}
	for i := len(t.toks) - 1; i >= 1; i-- {
		try(strings.Join(t.toks[:i], "_"))
		try(strings.Join(t.toks[len(t.toks)-i:], "_"))
	}
	try(t.norm) // the same name in another schema
	if best != nil {
		emit(ruleOneToOne, best, best.pk, ruleBase[ruleOneToOne],
			fmt.Sprintf("the key %s of %s is the key of %s, whose name is part of it", c.name, t.n, best.n))
	}
}

// affinity ranks a candidate table for a column of t: same schema first,
// then the longest run of leading words shared with t's name.
func affinity(p, t *table) int {
	a := 0
	if p.n.Schema == t.n.Schema {
		a = 100
	}
	for i := 0; i < len(p.toks) && i < len(t.toks) && p.toks[i] == t.toks[i]; i++ {
		a++
	}
	return a
}

// pickTables keeps, among tables of one name, those of best affinity to t.
func (m *model) pickTables(ts []*table, t *table) []*table {
	if len(ts) <= 1 {
		return ts
	}
	best, out := -1, []*table(nil)
	for _, p := range ts {
		switch a := affinity(p, t); {
		case a > best:
			best, out = a, []*table{p}
		case a == best:
			out = append(out, p)
		}
	}
	return out
}

// pickForms keeps exact forms over stripped ones and then the tables of
// best affinity to t; several left means the name is ambiguous, and none
// is kept.
func (m *model) pickForms(fs []form, t *table) []form {
	if len(fs) <= 1 {
		return fs
	}
	var exact []form
	for _, f := range fs {
		if f.kind == formExact {
			exact = append(exact, f)
		}
	}
	if len(exact) > 0 {
		fs = exact
	}
	best, out := -1, []form(nil)
	for _, f := range fs {
		switch a := affinity(f.t, t); {
		case a > best:
			best, out = a, []form{f}
		case a == best:
			out = append(out, f)
		}
	}
	if len(out) > 1 {
		return nil
	}
	return out
}

// pickKeys is pickForms for key columns.
func (m *model) pickKeys(ks []*column, t *table) []*column {
	if len(ks) <= 1 {
		return ks
	}
	best, out := -1, []*column(nil)
	for _, k := range ks {
		switch a := affinity(k.tbl, t); {
		case a > best:
			best, out = a, []*column{k}
		case a == best:
			out = append(out, k)
		}
	}
	return out
}

// segments cuts a table's name into the names of other tables, in order,
// allowing one leading and one trailing word that names none (the l in
// l_area_artist); nil when it does not cut into two or more.
func (m *model) segments(t *table) []*table {
	toks := t.toks
	for _, lead := range []int{0, 1} {
		for _, trail := range []int{0, 1} {
			if lead+trail >= len(toks) {
				continue
			}
			if segs := m.cut(toks[lead:len(toks)-trail], t); len(segs) >= 2 {
				return segs
			}
		}
	}
	return nil
}

// cut splits toks wholly into table names, longest first.
func (m *model) cut(toks []string, t *table) []*table {
	if len(toks) == 0 {
		return []*table{}
	}
	for j := len(toks); j >= 1; j-- {
		var p *table
		for _, f := range m.pickForms(m.forms[strings.Join(toks[:j], "_")], t) {
			if f.kind == formExact {
				p = f.t
			}
		}
		if p == nil {
			continue
		}
		if rest := m.cut(toks[j:], t); rest != nil {
			return append([]*table{p}, rest...)
		}
	}
	return nil
}

// junction: in a table named after two or more tables (l_area_artist,
// with one leading or trailing word allowed), numbered columns of one stem
// (entity0, entity1) that no other rule resolves reference those tables in
// order.
func (m *model) junction(t *table, resolved map[*column]bool) []cand {
	segs := m.segments(t)
	if segs == nil {
		return nil
	}
	groups := map[string][]*column{}
	var order []string
	for _, c := range t.cols {
		if c.declared || c.pkAlone || resolved[c] || c.fam == famNone {
			continue
		}
		stem := strings.TrimRight(c.norm, "0123456789")
		if stem == c.norm || stem == "" {
			continue
		}
		if _, ok := groups[stem]; !ok {
			order = append(order, stem)
		}
		groups[stem] = append(groups[stem], c)
	}
	var out []cand
	for _, stem := range order {
		cols := groups[stem]
		if len(cols) != len(segs) {
			continue
		}
		for i, c := range cols {
			p := segs[i]
			k := p.mainKey()
			if k == nil || !compatible(c.fam, k.fam) {
				continue
			}
			out = append(out, cand{child: []*column{c}, parent: []*column{k}, source: srcName, rule: ruleJunction,
				score:  ruleBase[ruleJunction],
				detail: fmt.Sprintf("%s: %s is named after tables %s; %s is number %d of %d", ruleJunction, t.n.Name, segNames(segs), c.name, i+1, len(segs))})
		}
	}
	return out
}

func segNames(ts []*table) string {
	var n []string
	for _, t := range ts {
		n = append(n, t.n.Name)
	}
	return strings.Join(n, ", ")
}

// compositeCandidates: a table that has every column of another table's
// composite key, under the same names, references it when the key is a
// weak entity's (refund(order_id, line_no) -> order_line(order_id,
// line_no)): some key column is named after the referenced table (line_no,
// order_line) and is no reference itself. Columns of the table's own
// single-column key take no part, and a column set that matches the keys
// of several tables is ambiguous and left out. refs are the single-column
// references believed so far.
func (m *model) compositeCandidates(refs map[*column]bool) []cand {
	byFirst := map[string][][]*column{}
	for _, p := range m.tables {
		for _, k := range p.composite {
			if weakKey(k, refs) {
				byFirst[k[0].norm] = append(byFirst[k[0].norm], k)
			}
		}
	}
	var out []cand
	for _, t := range m.tables {
		matches := map[string][]cand{}
		var order []string
		for _, c := range t.cols {
			for _, key := range byFirst[c.norm] {
				p := key[0].tbl
				if p == t {
					continue
				}
				child := []*column{}
				for _, k := range key {
					cc := t.byNorm(k.norm)
					if cc == nil || cc.declared || cc.pkAlone || !compatible(cc.fam, k.fam) {
						child = nil
						break
					}
					child = append(child, cc)
				}
				if child == nil || sameCols(child, t.composite) {
					continue
				}
				ck := colsKey(child)
				if _, ok := matches[ck]; !ok {
					order = append(order, ck)
				}
				matches[ck] = append(matches[ck], cand{child: child, parent: key, source: srcName, rule: ruleComposite,
					score:  ruleBase[ruleComposite],
					detail: fmt.Sprintf("%s: %s has every column of the key of %s", ruleComposite, t.n.Name, p.n)})
			}
		}
		for _, ck := range order {
			if ms := matches[ck]; len(ms) == 1 {
				out = append(out, ms[0])
			}
		}
	}
	return out
}

// weakKey reports whether a composite key has a column that references
// nothing (order_line's line_no): the key of a weak entity, which rows of
// other tables point at. A key made only of references (a link table's)
// is not referenced by the tables that merely hold the same references.
func weakKey(key []*column, refs map[*column]bool) bool {
	p := key[0].tbl
	for _, k := range key {
		if k.declared || refs[k] {
			continue
		}
		for _, w := range k.toks {
			for _, pw := range p.toks {
				if w == pw && len(w) > 2 {
					return true
				}
			}
		}
	}
	return false
}

// sameCols reports whether cols is exactly one of keys (t's own key).
func sameCols(cols []*column, keys [][]*column) bool {
	for _, k := range keys {
		if len(k) != len(cols) {
			continue
		}
		all := true
		for _, c := range cols {
			if !containsCol(k, c) {
				all = false
			}
		}
		if all {
			return true
		}
	}
	return false
}
