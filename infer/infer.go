// Package infer finds the references between tables that no foreign key
// declares: the hidden coupling of schemas whose applications keep their
// relations in code.
//
// It reads every evidence source a snapshot holds:
//
//   - names (source "name"): <singular>_id, <plural>_id, <table>_<key>
//     (country_code -> country.code), the specific name of another table's
//     key (order_id -> customer_order.order_id), a column named like a table
//     (release.artist_credit), the same after a role prefix
//     (purchase_order_id, begin_area), the table's own name or leading words
//     before the column (artist.type -> artist_type, ci_builds.runner_id ->
//     ci_runners), common table prefixes (ci_, wp_) and marker suffixes
//     (_tbl) stripped, parent/parent_id, a key with no default that is the
//     key of a table whose name is part of this one's (artist_meta.id ->
//     artist.id), numbered columns of a table named after tables
//     (l_area_artist.entity0/entity1), and composite keys; English singular
//     and plural come from github.com/gobuffalo/flect (irregular words
//     included). Schema-aware: a name found in several schemas goes to the
//     referencing table's own schema, else to the table sharing its leading
//     words; when still ambiguous it is not used.
//   - the declared foreign keys (source "learned"): the column names they
//     use and how their targets relate to their tables' names (self, the
//     table the name starts or ends with, the k-th table a link table is
//     named after) are applied to the undeclared columns of the same
//     names; each naming rule is also scored by how often it names the
//     right table on the declared keys.
//   - polymorphic pairs <x>_type + <x>_id (source "polymorphic"): one
//     reference per table the type column's values name (from its check
//     constraints, a MySQL ENUM or its default), marked polymorphic.
//   - the joins in view definitions, trigger bodies and observed statements
//     (sources "view", "trigger", "usage"): a.x = b.y in JOIN ... ON/USING,
//     WHERE or IN (subquery), from package sqlrefs; the side that is a key
//     of its table is the referenced one.
//
// Every candidate must reference a primary key or a unique key (a
// constraint or a full unique index) of a compatible type (integer widths
// and numeric together, text types together, uuid, binary, a user type
// with itself). Columns of declared foreign keys are never candidates, so
// a declared key is never repeated. Each reference has a score in [0,1]
// (naming rules and learned rules take their best score, each join source
// 1-0.4^n for n objects, and the sources combine as independent evidence:
// 1-Π(1-s)), its evidence, and the polymorphic mark; a column keeps only
// its best target (the targets of a polymorphic pair excepted). The result
// is deterministic.
package infer

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// Evidence sources, as schema names them.
const (
	srcName        = schema.EvidenceName
	srcLearned     = schema.EvidenceLearned
	srcPolymorphic = schema.EvidencePolymorphic
	srcView        = schema.EvidenceView
	srcTrigger     = schema.EvidenceTrigger
	srcUsage       = schema.EvidenceUsage
)

// Sources are all the evidence sources, in the order reports list them.
var Sources = []string{srcName, srcLearned, srcPolymorphic, srcView, srcTrigger, srcUsage}

// DefaultThreshold is the score from which the plan and the diagrams use an
// inferred reference (--infer-threshold).
const DefaultThreshold = 0.6

// MinScore is the lowest score kept in a snapshot: weaker candidates are
// noise even for a reviewer.
const MinScore = 0.3

// maxEvidence bounds the evidence listed per source on one reference.
const maxEvidence = 5

// Denied is a reference a contexts map denies: the columns of Table never
// reference References (any table when References is zero).
type Denied struct {
	Table      schema.TableName
	Columns    []string
	References schema.TableName
}

// Options tune Infer.
type Options struct {
	// Sources are the evidence sources used; nil means all of them.
	Sources []string
	// MinScore drops weaker candidates; 0 means MinScore.
	MinScore float64
	// Deny are references never to infer.
	Deny []Denied
}

// Infer returns the references of s that no foreign key declares, with a
// score of at least opt.MinScore, in canonical order.
func Infer(s *schema.Snapshot, opt Options) []schema.InferredReference {
	use := map[string]bool{}
	srcs := opt.Sources
	if srcs == nil {
		srcs = Sources
	}
	for _, src := range srcs {
		use[src] = true
	}
	minScore := cmp.Or(opt.MinScore, MinScore)
	m := newModel(s)
	var l *learner
	if use[srcLearned] || use[srcName] {
		l = m.learn()
	}
	var cands []cand
	resolved := map[*column]bool{}
	for _, t := range m.tables {
		for _, c := range t.cols {
			if c.declared || c.fam == famNone {
				continue
			}
			if use[srcName] {
				for _, cd := range m.nameCandidates(c) {
					cd.score *= l.reliability(cd.rule)
					cands = append(cands, cd)
					resolved[c] = true
				}
			}
			if use[srcLearned] && !(c.pkAlone && c.generated) {
				lc := l.candidates(c)
				cands = append(cands, lc...)
				if len(lc) > 0 {
					resolved[c] = true
				}
			}
		}
	}
	if use[srcName] {
		for _, t := range m.tables {
			cands = append(cands, m.junction(t, resolved)...)
		}
		cands = append(cands, m.compositeCandidates(resolved)...)
	}
	pairs := m.polyPairs()
	if use[srcPolymorphic] {
		cands = append(cands, m.polyCandidates(pairs)...)
	}
	if use[srcView] || use[srcTrigger] || use[srcUsage] {
		cands = append(cands, m.joinCandidates(m.sqlObjects(use))...)
	}
	return m.combine(cands, pairs, minScore, opt.Deny)
}

// agg gathers the evidence of one reference.
type agg struct {
	child, parent []*column
	poly          *polyInfo
	ev            []cand
}

func (a *agg) score() float64 {
	fam := map[string]float64{}
	joins := map[string]int{}
	for _, e := range a.ev {
		switch e.source {
		case srcView, srcTrigger, srcUsage:
			joins[e.source]++
		default:
			fam[e.source] = math.Max(fam[e.source], e.score)
		}
	}
	for src, n := range joins {
		fam[src] = 1 - math.Pow(0.4, float64(n))
	}
	miss := 1.0
	for _, s := range fam {
		miss *= 1 - s
	}
	return 1 - miss
}

// aggKey identifies a reference: its first columns, and the rest spelled
// out for a composite one.
type aggKey struct {
	child, parent *column
	more          string
}

func keyOf(cd cand) aggKey {
	k := aggKey{child: cd.child[0], parent: cd.parent[0]}
	if len(cd.child) > 1 {
		k.more = colsKey(cd.child) + ">" + colsKey(cd.parent)
	}
	return k
}

func colsKey(cs []*column) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(c.tbl.n.String())
		b.WriteByte('.')
		b.WriteString(c.name)
		b.WriteByte(',')
	}
	return b.String()
}

// combine merges the candidates into references, keeps each column's best
// target, and drops what is denied, implied by a composite reference or
// too weak.
func (m *model) combine(cands []cand, pairs map[*column]*column, minScore float64, deny []Denied) []schema.InferredReference {
	// Polymorphic targets per id column.
	polyTargets := map[*column]map[*table]bool{}
	for _, cd := range cands {
		if cd.poly != nil {
			if polyTargets[cd.child[0]] == nil {
				polyTargets[cd.child[0]] = map[*table]bool{}
			}
			polyTargets[cd.child[0]][cd.parent[0].tbl] = true
		}
	}
	aggs := map[aggKey]*agg{}
	var order []aggKey
	for _, cd := range cands {
		if len(cd.child) == 1 {
			if typ := pairs[cd.child[0]]; typ != nil && cd.poly == nil {
				switch {
				case cd.source == srcView || cd.source == srcTrigger || cd.source == srcUsage:
					cd.poly = &polyInfo{typeCol: typ}
				case len(polyTargets[cd.child[0]]) > 0:
					if !polyTargets[cd.child[0]][cd.parent[0].tbl] {
						continue
					}
					cd.poly = &polyInfo{typeCol: typ}
				default:
					cd.score *= 0.7 // a name, but the pair says the target varies
				}
			}
		}
		k := keyOf(cd)
		a := aggs[k]
		if a == nil {
			a = &agg{child: cd.child, parent: cd.parent}
			aggs[k] = a
			order = append(order, k)
		}
		if cd.poly != nil && (a.poly == nil || a.poly.value == "") {
			a.poly = cd.poly
		}
		a.ev = append(a.ev, cd)
	}
	// Each single column keeps its best non-polymorphic target.
	type scored struct {
		a *agg
		s float64
	}
	best := map[*column]scored{}
	var all []scored
	for _, k := range order {
		a := aggs[k]
		sc := scored{a, a.score()}
		all = append(all, sc)
		if len(a.child) != 1 || a.poly != nil {
			continue
		}
		c := a.child[0]
		if b, ok := best[c]; !ok || sc.s > b.s || (sc.s == b.s && a.parent[0].tbl.n.Less(b.a.parent[0].tbl.n)) {
			best[c] = sc
		}
	}
	// refs maps a column to the tables it is believed to reference.
	refs := map[*column]map[*table]bool{}
	addRef := func(c *column, p *table) {
		if refs[c] == nil {
			refs[c] = map[*table]bool{}
		}
		refs[c][p] = true
	}
	for _, t := range m.tables {
		for _, fk := range t.t.ForeignKeys {
			if p := m.byName[m.lk.Root(fk.References)]; p != nil {
				for i, cn := range fk.Columns {
					if c := t.column(cn); c != nil && i < len(fk.RefColumns) {
						addRef(c, p)
					}
				}
			}
		}
	}
	var keep []scored
	for _, sc := range all {
		a := sc.a
		if sc.s < minScore {
			continue
		}
		if len(a.child) == 1 && a.poly == nil && best[a.child[0]].a != a {
			continue
		}
		keep = append(keep, sc)
		if len(a.child) == 1 {
			addRef(a.child[0], a.parent[0].tbl)
		}
	}
	// Composite references: their columns' own references are implied
	// through the referenced table (refund.order_id -> customer_order through
	// refund(order_id, line_no) -> order_line).
	implied := map[*column]map[*table]bool{}
	markImplied := func(child, parent []*column) {
		for i, c := range child {
			for p := range refs[parent[i]] {
				if implied[c] == nil {
					implied[c] = map[*table]bool{}
				}
				implied[c][p] = true
			}
		}
	}
	for _, sc := range keep {
		if len(sc.a.child) > 1 {
			markImplied(sc.a.child, sc.a.parent)
		}
	}
	for _, t := range m.tables {
		for _, fk := range t.t.ForeignKeys {
			p := m.byName[m.lk.Root(fk.References)]
			if len(fk.Columns) < 2 || p == nil {
				continue
			}
			var child, parent []*column
			for i, cn := range fk.Columns {
				c, pc := t.column(cn), p.column(fk.RefColumns[i])
				if c == nil || pc == nil {
					child = nil
					break
				}
				child, parent = append(child, c), append(parent, pc)
			}
			if child != nil {
				markImplied(child, parent)
			}
		}
	}
	var out []schema.InferredReference // nil when none: the snapshot then has no inferred list
	for _, sc := range keep {
		a := sc.a
		if len(a.child) == 1 && implied[a.child[0]][a.parent[0].tbl] {
			continue
		}
		r := schema.InferredReference{
			Table: a.child[0].tbl.n, References: a.parent[0].tbl.n,
			Score: math.Round(sc.s*1000) / 1000, Evidence: evidence(a.ev),
		}
		for i := range a.child {
			r.Columns = append(r.Columns, a.child[i].name)
			r.RefColumns = append(r.RefColumns, a.parent[i].name)
		}
		if a.poly != nil {
			r.Polymorphic = true
			r.Discriminator = &schema.Discriminator{Column: a.poly.typeCol.name, Value: a.poly.value}
		}
		if denied(r, deny) {
			continue
		}
		out = append(out, r)
	}
	schema.NormalizeInferred(out)
	return out
}

// evidence lists the evidence, strongest first, at most maxEvidence per
// source (with a last line counting the rest).
func evidence(ev []cand) []schema.Evidence {
	slices.SortStableFunc(ev, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.score, a.score), strings.Compare(a.source, b.source), strings.Compare(a.detail, b.detail))
	})
	per := map[string]int{}
	var out []schema.Evidence
	for _, e := range ev {
		per[e.source]++
		if n := per[e.source]; n > maxEvidence {
			continue
		}
		out = append(out, schema.Evidence{Source: e.source, Detail: e.detail, Score: math.Round(e.score*1000) / 1000})
	}
	for _, src := range Sources {
		if n := per[src]; n > maxEvidence {
			out = append(out, schema.Evidence{Source: src, Detail: "and " + strconv.Itoa(n-maxEvidence) + " more"})
		}
	}
	return out
}

// denied reports whether a deny entry matches r.
func denied(r schema.InferredReference, deny []Denied) bool {
	for _, d := range deny {
		if d.Table == r.Table && slices.Equal(d.Columns, r.Columns) && (d.References == schema.TableName{} || d.References == r.References) {
			return true
		}
	}
	return false
}

// Refresh infers the references of s again, after its usage changed (seams
// usage adds the joins of the statements it read), keeping the data checks
// of the references that are still inferred.
func Refresh(s *schema.Snapshot) {
	checked := map[string]*schema.Verification{}
	for _, r := range s.Inferred {
		if r.Verified != nil {
			checked[discriminated(r)] = r.Verified
		}
	}
	s.Inferred = Infer(s, Options{})
	for i := range s.Inferred {
		s.Inferred[i].Verified = checked[discriminated(s.Inferred[i])]
	}
}

// discriminated is a reference's key with its type value.
func discriminated(r schema.InferredReference) string {
	if r.Discriminator != nil {
		return r.Key() + "=" + r.Discriminator.Value
	}
	return r.Key()
}
