package suggest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/coupling"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/tablegraph"
)

// measure fills in the measures of the suggested map and, when the given
// map has contexts, the comparison with it. The couplings inside and
// crossing are package coupling's (the measure seams check and seams diff
// hold), on the analysis of each map.
func (r *run) measure(res *Result) error {
	m2 := res.analysis.Ownership
	counts := coupling.Measure(res.analysis)
	res.Suggested = r.measureMap(res.analysis, counts)
	index := map[string]int{}
	for k, c := range res.Contexts {
		index[c.Name] = k
	}
	for _, c := range counts.Contexts {
		if k, ok := index[c.Name]; ok {
			res.Contexts[k].Inside, res.Contexts[k].Crossing = c.Inside, c.Crossing
		}
	}
	for _, pr := range counts.Pairs {
		for _, x := range [][2]string{{pr.A, pr.B}, {pr.B, pr.A}} {
			if k, ok := index[x[0]]; ok {
				res.Contexts[k].Neighbours = append(res.Contexts[k].Neighbours, Neighbour{Context: x[1], Couplings: pr.Crossing()})
			}
		}
	}
	place := make([]string, len(r.g.Tables))
	for i, n := range r.g.Tables {
		place[i] = contextPlace(m2, n)
	}
	inside, boundary := make([]float64, len(res.Contexts)), make([]float64, len(res.Contexts))
	for i := range r.g.Tables {
		k, ok := index[place[i]]
		if !ok {
			continue
		}
		for _, e := range r.strong.adj[i] {
			switch o := place[e.To]; {
			case o == place[i]:
				inside[k] += e.Weight / 2
			case o != "":
				boundary[k] += e.Weight
			}
		}
	}
	for k := range res.Contexts {
		c := &res.Contexts[k]
		if t := inside[k] + boundary[k]; t > 0 {
			c.Cohesion = round(inside[k] / t)
		}
		slices.SortFunc(c.Neighbours, func(a, b Neighbour) int {
			return cmp.Or(cmp.Compare(b.Couplings, a.Couplings), strings.Compare(a.Context, b.Context))
		})
	}
	if len(r.m.Contexts()) == 0 {
		return nil
	}
	// The given map's analysis is only measured: its steps' SQL is never shown.
	given, err := analysis.Run(r.m.Snapshot(), r.m.Assignment(), r.analysisOptions(true))
	if err != nil {
		return err
	}
	res.Given = r.compare(res, given)
	return nil
}

// analysisOptions are the options of the analyses of the maps: the
// ownership options of the model suggested for, the threshold of inferred
// references of the graph, and an outline plan when outline is true.
func (r *run) analysisOptions(outline bool) analysis.Options {
	return analysis.Options{Ownership: r.m.Options(), Plan: plan.Options{InferThreshold: r.opts.Graph.InferThreshold, Outline: outline}}
}

// contextPlace returns the context a table is placed in under m's map,
// "" for static data, tables in no context and ignored ones.
func contextPlace(m *ownership.Model, n schema.TableName) string {
	switch p := m.Place(n); p {
	case ownership.Static, ownership.Unassigned:
		return ""
	default:
		return p
	}
}

// measureMap measures the map of an: its modularity on the graph and its
// couplings inside and crossing (counts, package coupling's measure of an).
func (r *run) measureMap(an *analysis.Analysis, counts *coupling.Counts) Measure {
	m := an.Ownership
	out := Measure{Contexts: len(m.Contexts())}
	out.Modularity = round(r.strong.modularity(func(i int) string { return contextPlace(m, r.g.Tables[i]) }))
	crossing := map[string]bool{}
	for _, c := range counts.Contexts {
		out.Inside += c.Inside
		for _, k := range c.Keys {
			crossing[k] = true
		}
	}
	out.Crossing = len(crossing)
	return out
}

// compare compares the given map with the suggestion.
func (r *run) compare(res *Result, given *analysis.Analysis) *Comparison {
	m, m2, g := r.m, res.analysis.Ownership, r.g
	out := &Comparison{Measure: r.measureMap(given, coupling.Measure(given)), Unassigned: []Proposal{}, Misplaced: []Misplaced{}}
	var a, b []string
	for _, n := range g.Tables {
		x, y := contextPlace(m, n), contextPlace(m2, n)
		if x != "" && y != "" {
			a, b = append(a, x), append(b, y)
		}
	}
	out.Agreement = round(AdjustedRand(a, b))
	for i, n := range g.Tables {
		switch {
		case m.Place(n) == ownership.Unassigned:
			p := Proposal{Table: n, Suggested: m2.Place(n)}
			if ties := g.Home(m, n); len(ties) > 0 {
				p.Context, p.Weight, p.Couplings = ties[0].Group, round(ties[0].Weight), ties[0].Couplings()
			}
			out.Unassigned = append(out.Unassigned, p)
		case len(m.Claims(n)) == 1 && !m.IsStatic(n):
			if mp, ok := r.misplaced(i, m); ok {
				out.Misplaced = append(out.Misplaced, mp)
			}
		}
	}
	return out
}

// misplaced reports whether table i, which one context of m's map owns,
// has most of its coupling to contexts (hints left out) going to one
// other context, through two or more couplings.
func (r *run) misplaced(i int, m *ownership.Model) (Misplaced, bool) {
	n := r.g.Tables[i]
	own := m.Home(n)
	if len(own) != 1 {
		return Misplaced{}, false
	}
	ties := r.strongTies(i, func(j int) []string { return m.Home(r.g.Tables[j]) })
	var total, mine float64
	for _, t := range ties {
		total += t.Weight
		if t.Group == own[0] {
			mine = t.Weight
		}
	}
	for _, t := range ties {
		if t.Group == own[0] || t.Weight <= mine || t.Weight <= MisplacedShare*total || strongCount(t) < 2 {
			continue
		}
		for _, k := range tablegraph.Kinds {
			if k.Hint() {
				t.Counts[k] = 0
			}
		}
		return Misplaced{Table: n, Context: own[0], Goes: t.Group, Share: round(t.Weight / total), Couplings: t.Couplings()}, true
	}
	return Misplaced{}, false
}

// AdjustedRand returns the adjusted Rand index of two labellings of the
// same items (Hubert and Arabie, 1985): 1 when they divide the items the
// same way, about 0 when they agree no more than chance would, negative
// when less. Two labellings that put every item in one group, or every
// item alone, agree fully (1) when they are the same partition.
func AdjustedRand(a, b []string) float64 {
	if len(a) != len(b) {
		panic("suggest: AdjustedRand of labellings of different lengths")
	}
	pairs := func(n int) float64 { return float64(n) * float64(n-1) / 2 }
	type cell struct{ x, y string }
	nij, ai, bj := map[cell]int{}, map[string]int{}, map[string]int{}
	for k := range a {
		nij[cell{a[k], b[k]}]++
		ai[a[k]]++
		bj[b[k]]++
	}
	var index, sa, sb float64
	for _, n := range nij {
		index += pairs(n)
	}
	for _, n := range ai {
		sa += pairs(n)
	}
	for _, n := range bj {
		sb += pairs(n)
	}
	total := pairs(len(a))
	if total == 0 {
		return 1
	}
	expected := sa * sb / total
	most := (sa + sb) / 2
	if most == expected {
		if index == most {
			return 1
		}
		return 0
	}
	return (index - expected) / (most - expected)
}
