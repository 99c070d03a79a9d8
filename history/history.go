// Package history follows a database's split over time: given its
// snapshots in the order they were taken, each analysed under one contexts
// map, it counts every context's crossing couplings at each snapshot and
// says what changed between consecutive ones (package snapdiff). The site
// draws it as a chart (seams render --history).
//
// A History is built one snapshot at a time and keeps only the previous
// one, so that a long history of a large schema is never all in memory.
package history

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/coupling"
	"github.com/seamsdev/seams/snapdiff"
)

// History is the snapshots of one database, oldest first.
type History struct {
	Points []Point
	prev   *analysis.Analysis
}

// Point is one snapshot.
type Point struct {
	// Name names the snapshot (its file).
	Name string
	// Captured is when it was taken.
	Captured time.Time
	// Counts are its contexts' couplings.
	Counts *coupling.Counts
	// Changes are what changed since the previous snapshot; nil for the
	// first.
	Changes *snapdiff.Diff
}

// Add adds the analysis of the next snapshot, named name.
func (h *History) Add(name string, an *analysis.Analysis) {
	p := Point{Name: name, Captured: an.Snapshot.Source.CapturedAt, Counts: coupling.Measure(an)}
	if h.prev != nil {
		p.Changes = snapdiff.Schemas(h.prev.Snapshot, an.Snapshot)
		p.Changes.Coupling = snapdiff.CompareCoupling(h.prev, an)
	}
	h.Points = append(h.Points, p)
	h.prev = an
}

// Contexts returns every context of the history: those of the latest
// snapshot in its plan's order, then the others in the order they were
// last seen.
func (h *History) Contexts() []string {
	var out []string
	for i := len(h.Points) - 1; i >= 0; i-- {
		for _, c := range h.Points[i].Counts.Contexts {
			if !slices.Contains(out, c.Name) {
				out = append(out, c.Name)
			}
		}
	}
	return out
}

// Crossing returns the crossing couplings of context c at each snapshot,
// and for each whether c was a context then.
func (h *History) Crossing(c string) (counts []int, present []bool) {
	for _, p := range h.Points {
		x, ok := p.Counts.Context(c)
		counts = append(counts, x.Crossing)
		present = append(present, ok)
	}
	return counts, present
}

// Entry is a snapshot file to put in order.
type Entry struct {
	Name     string
	Captured time.Time
}

// Order sorts snapshot entries by the time they were taken, then by name.
func Order(es []Entry) {
	slices.SortStableFunc(es, func(a, b Entry) int {
		return cmp.Or(a.Captured.Compare(b.Captured), strings.Compare(a.Name, b.Name))
	})
}
