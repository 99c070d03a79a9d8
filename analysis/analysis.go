// Package analysis runs what every command of seams needs once it has a
// snapshot and a resolved contexts map: the ownership model (who owns each
// table), the usage attributed to the map's contexts, and the plan. The
// renderers read the Analysis it returns; none of them decides anything
// of its own.
package analysis

import (
	"fmt"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// Options tune the analysis.
type Options struct {
	// Ownership tunes the ownership rules (the static data threshold).
	Ownership ownership.Options
	// Plan tunes the plan (the inferred references' threshold).
	Plan plan.Options
}

// Analysis is a snapshot analysed under one contexts map.
type Analysis struct {
	Snapshot   *schema.Snapshot
	Assignment *contexts.Assignment
	// Ownership decides the home of every table and what crosses contexts.
	Ownership *ownership.Model
	// Usage is the snapshot's usage attributed to the map's contexts; nil
	// when the snapshot holds no usage.
	Usage *attribution.Usage
	Plan  *plan.Plan
}

// Run analyses snapshot s under the map a (nil: no map).
func Run(s *schema.Snapshot, a *contexts.Assignment, opts Options) (*Analysis, error) {
	if s == nil {
		return nil, fmt.Errorf("analysis: no snapshot")
	}
	m := ownership.New(s, a, opts.Ownership)
	u := attribution.Attribute(s.Usage, m)
	p, err := plan.Build(m, u, opts.Plan)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	return &Analysis{Snapshot: s, Assignment: m.Assignment(), Ownership: m, Usage: u, Plan: p}, nil
}
