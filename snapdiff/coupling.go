package snapdiff

import (
	"cmp"
	"slices"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/coupling"
	"github.com/seamsdev/seams/plan"
)

// Coupling compares the coupling between contexts of two snapshots
// analysed under one contexts map.
type Coupling struct {
	// Appeared are the findings of the new snapshot that the old one did
	// not have, as `seams check` would report them with a baseline of the
	// old snapshot's findings; Disappeared those it no longer has. Findings
	// whose tables only moved to other schemas are neither.
	Appeared    []Finding `json:"appeared"`
	Disappeared []Finding `json:"disappeared"`
	// Pairs are the pairs of contexts whose crossing couplings changed,
	// in the new plan's order.
	Pairs []PairChange `json:"pairs"`
	// Contexts are every context of either plan, the new plan's first.
	Contexts []ContextChange `json:"contexts"`
}

// Finding is a finding that appeared or disappeared.
type Finding struct {
	Key      string        `json:"key"`
	Kind     plan.Kind     `json:"kind"`
	Severity plan.Severity `json:"severity,omitempty"`
	Title    string        `json:"title"`
	Contexts []string      `json:"contexts"`
}

// PairChange is the crossing couplings between two contexts before and
// after, with the keys that appeared and disappeared (the old keys of
// couplings whose tables moved are written as their new ones).
type PairChange struct {
	A           string   `json:"a"`
	B           string   `json:"b"`
	Before      int      `json:"before"`
	After       int      `json:"after"`
	Appeared    []string `json:"appeared"`
	Disappeared []string `json:"disappeared"`
}

// ContextChange is a context's couplings before and after.
type ContextChange struct {
	Name   string   `json:"name"`
	Before *Measure `json:"before"`
	After  *Measure `json:"after"`
}

// Measure is a context's couplings in one snapshot (see package
// coupling): Score is the share that stays inside, absent when the
// context has none.
type Measure struct {
	Inside   int      `json:"inside"`
	Crossing int      `json:"crossing"`
	Score    *float64 `json:"score,omitempty"`
}

func measureOf(c coupling.Context, ok bool) *Measure {
	if !ok {
		return nil
	}
	m := &Measure{Inside: c.Inside, Crossing: c.Crossing}
	if s, ok := c.Score(); ok {
		m.Score = &s
	}
	return m
}

// CompareCoupling compares the coupling of two analyses under one
// contexts map: old before, new after.
func CompareCoupling(old, new *analysis.Analysis) *Coupling {
	r := check.Run(new, check.Run(old, nil, "").Updated(true), "")
	out := &Coupling{Appeared: []Finding{}, Disappeared: []Finding{}, Pairs: []PairChange{}, Contexts: []ContextChange{}}
	for _, it := range r.New {
		out.Appeared = append(out.Appeared, Finding{Key: it.Key, Kind: it.Kind, Severity: it.Severity, Title: it.Title, Contexts: it.Contexts})
	}
	for _, e := range r.Fixed {
		out.Disappeared = append(out.Disappeared, Finding{Key: e.Key, Kind: e.Kind, Title: e.Title, Contexts: e.Contexts})
	}
	// Old keys of moved couplings read as their new keys.
	renamed := map[string]string{}
	for _, m := range r.Moved {
		renamed[m.From] = m.Key
	}
	before, after := coupling.Measure(old), coupling.Measure(new)
	type pairKey [2]string
	var order []pairKey
	seen := map[pairKey]bool{}
	addPair := func(a, b string) {
		k := pairKey{a, b}
		if !seen[k] && !seen[pairKey{b, a}] {
			seen[k] = true
			order = append(order, k)
		}
	}
	for _, p := range after.Pairs {
		addPair(p.A, p.B)
	}
	for _, p := range before.Pairs {
		addPair(p.A, p.B)
	}
	for _, k := range order {
		pb, pa := before.Pair(k[0], k[1]), after.Pair(k[0], k[1])
		was := make([]string, len(pb.Keys))
		for i, key := range pb.Keys {
			was[i] = cmp.Or(renamed[key], key)
		}
		pc := PairChange{A: k[0], B: k[1], Before: len(pb.Keys), After: len(pa.Keys), Appeared: minus(pa.Keys, was), Disappeared: minus(was, pa.Keys)}
		if len(pc.Appeared) > 0 || len(pc.Disappeared) > 0 {
			out.Pairs = append(out.Pairs, pc)
		}
	}
	var names []string
	for _, c := range after.Contexts {
		names = append(names, c.Name)
	}
	for _, c := range before.Contexts {
		if !slices.Contains(names, c.Name) {
			names = append(names, c.Name)
		}
	}
	for _, n := range names {
		out.Contexts = append(out.Contexts, ContextChange{Name: n, Before: measureOf(before.Context(n)), After: measureOf(after.Context(n))})
	}
	return out
}

// minus returns the keys of a not in b, sorted.
func minus(a, b []string) []string {
	out := []string{}
	for _, k := range a {
		if !slices.Contains(b, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
