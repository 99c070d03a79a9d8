// Package coupling counts the couplings of each bounded context of an
// analysis: those that stay inside it and those that cross to another
// context, for each context and for each pair of contexts. It is the one
// measure that `seams check` holds budgets against, that `seams diff`
// compares and that the site's history chart draws.
//
// A crossing coupling is a finding of the plan that couples two or more
// contexts (see Crossing), counted once for each of its contexts and once
// for each pair of them, by its key. A coupling inside a context is a
// foreign key, a view or a trigger whose tables (static reference data
// left out) that context owns all of, and that the plan does not report.
package coupling

import (
	"cmp"
	"slices"
	"strings"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// Counts are the couplings of every context of one analysis.
type Counts struct {
	// Contexts are the contexts of the plan, in its order.
	Contexts []Context `json:"contexts"`
	// Pairs are the pairs of contexts with crossing couplings between
	// them, A before B in the plan's order; sorted in that order.
	Pairs []Pair `json:"pairs"`
}

// Context is the couplings of one context.
type Context struct {
	Name string `json:"name"`
	// Inside counts the foreign keys, views and triggers that stay inside
	// the context.
	Inside int `json:"inside"`
	// Crossing counts the crossing couplings the context takes part in.
	Crossing int `json:"crossing"`
	// Keys are the plan keys of the crossing couplings, sorted.
	Keys []string `json:"keys"`
}

// Score is the share of the context's couplings that stay inside it, from
// 0 to 1, and false when it has none.
func (c Context) Score() (float64, bool) {
	if c.Inside+c.Crossing == 0 {
		return 0, false
	}
	return float64(c.Inside) / float64(c.Inside+c.Crossing), true
}

// Pair is the crossing couplings between two contexts.
type Pair struct {
	A, B string
	// Keys are the plan keys of the couplings, sorted.
	Keys []string `json:"keys"`
}

// Crossing counts the couplings between the pair.
func (p Pair) Crossing() int { return len(p.Keys) }

// Context returns the counts of context name, and false when the plan has
// no such context.
func (c *Counts) Context(name string) (Context, bool) {
	i := slices.IndexFunc(c.Contexts, func(x Context) bool { return x.Name == name })
	if i < 0 {
		return Context{Name: name, Keys: []string{}}, false
	}
	return c.Contexts[i], true
}

// Pair returns the crossing couplings between a and b, in either order.
func (c *Counts) Pair(a, b string) Pair {
	for _, p := range c.Pairs {
		if p.A == a && p.B == b || p.A == b && p.B == a {
			return p
		}
	}
	return Pair{A: a, B: b, Keys: []string{}}
}

// Crossing reports whether findings of kind k are couplings across a
// boundary that Measure counts: foreign keys (a cascade is a fact of its
// key's finding), references no foreign key declares, views, triggers,
// shared tables and, from usage, statements, units of work and implied
// couplings. Cycles count as the couplings they are made of; static
// data, unassigned and unused tables are not couplings.
func Crossing(k plan.Kind) bool {
	switch k {
	case plan.KindForeignKey, plan.KindInferred, plan.KindView, plan.KindTrigger, plan.KindSharedTable, plan.KindSharedMutable,
		plan.KindCrossQuery, plan.KindCrossTransaction, plan.KindImpliedCoupling:
		return true
	}
	return false
}

// Measure counts the couplings of the analysis an. A crossing finding
// couples its contexts and those of the dependency edges it lies on (the
// context a shared table is given to) with each other; a table that is
// both shared and written by several contexts counts once.
func Measure(an *analysis.Analysis) *Counts {
	p := an.Plan
	rank := map[string]int{}
	for i, c := range p.Contexts {
		rank[c.Name] = i
	}
	onEdges := map[string][]string{}
	for _, d := range p.Dependencies {
		for _, id := range d.FindingIDs {
			onEdges[id] = append(onEdges[id], d.From, d.To)
		}
	}
	written := map[string]bool{} // tables several contexts write
	for _, f := range p.Findings {
		if f.Kind == plan.KindSharedMutable && len(f.Objects) > 0 {
			written[f.Objects[0].Schema+"\x00"+f.Objects[0].Name] = true
		}
	}
	byCtx := map[string]map[string]bool{}
	byPair := map[[2]string]map[string]bool{}
	addTo := func(set map[string]bool, key string) map[string]bool {
		if set == nil {
			set = map[string]bool{}
		}
		set[key] = true
		return set
	}
	for _, f := range p.Findings {
		if !Crossing(f.Kind) {
			continue
		}
		if f.Kind == plan.KindSharedTable && len(f.Objects) > 0 && written[f.Objects[0].Schema+"\x00"+f.Objects[0].Name] {
			continue // counted as the table written by several, on the edges to its new owner
		}
		cs := append(slices.Clone(f.Contexts), onEdges[f.ID]...)
		slices.SortFunc(cs, func(x, y string) int {
			return cmp.Or(cmp.Compare(rankOf(rank, x), rankOf(rank, y)), strings.Compare(x, y))
		})
		cs = slices.Compact(cs)
		if len(cs) < 2 {
			continue
		}
		for i, x := range cs {
			byCtx[x] = addTo(byCtx[x], f.Key)
			for _, y := range cs[i+1:] {
				byPair[[2]string{x, y}] = addTo(byPair[[2]string{x, y}], f.Key)
			}
		}
	}
	inside := insideCounts(an)
	out := &Counts{Contexts: make([]Context, 0, len(p.Contexts)), Pairs: make([]Pair, 0, len(byPair))}
	for _, c := range p.Contexts {
		keys := sortedKeys(byCtx[c.Name])
		out.Contexts = append(out.Contexts, Context{Name: c.Name, Inside: inside[c.Name], Crossing: len(keys), Keys: keys})
	}
	for k, set := range byPair {
		out.Pairs = append(out.Pairs, Pair{A: k[0], B: k[1], Keys: sortedKeys(set)})
	}
	slices.SortFunc(out.Pairs, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(rankOf(rank, x.A), rankOf(rank, y.A)), strings.Compare(x.A, y.A),
			cmp.Compare(rankOf(rank, x.B), rankOf(rank, y.B)), strings.Compare(x.B, y.B))
	})
	return out
}

// rankOf is a context's place in the plan's order; contexts the plan does
// not list come last.
func rankOf(rank map[string]int, c string) int {
	if r, ok := rank[c]; ok {
		return r
	}
	return len(rank)
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// insideCounts counts, by context, the foreign keys, views and triggers
// that stay inside it.
func insideCounts(an *analysis.Analysis) map[string]int {
	m, s := an.Ownership, an.Snapshot
	type object struct{ typ, schema, name, table string }
	reported := map[object]bool{}
	for _, f := range an.Plan.Findings {
		for _, o := range f.Objects {
			if o.Type == "foreign_key" || o.Type == "view" || o.Type == "trigger" {
				reported[object{o.Type, o.Schema, o.Name, o.Table}] = true
			}
		}
	}
	counts := map[string]int{}
	count := func(cs []string) {
		for _, c := range cs {
			counts[c]++
		}
	}
	for _, r := range m.ForeignKeys() {
		mem := r.Members()[0]
		if reported[object{"foreign_key", mem.Child.Schema, mem.Key.Name, mem.Child.Name}] {
			continue
		}
		if m.IsStatic(r.Key.References) {
			continue
		}
		count(m.Within([]schema.TableName{r.Root, r.Key.References}))
	}
	lk := m.Lookup()
	for i := range s.Views {
		v := &s.Views[i]
		if reported[object{"view", v.Schema, v.Name, ""}] {
			continue
		}
		var ns []schema.TableName
		for _, r := range v.Reads {
			if lk.Table(r) != nil {
				ns = append(ns, r)
			}
		}
		count(m.Within(ns))
	}
	for i := range s.Triggers {
		tr := &s.Triggers[i]
		if reported[object{"trigger", tr.Table.Schema, tr.Name, tr.Table.Name}] {
			continue
		}
		if lk.Table(tr.Table) == nil {
			continue // a trigger on a view
		}
		ns := []schema.TableName{tr.Table}
		for _, n := range append(slices.Clone(tr.Reads), tr.Writes...) {
			if lk.Table(n) != nil {
				ns = append(ns, n)
			}
		}
		count(m.Within(ns))
	}
	return counts
}
