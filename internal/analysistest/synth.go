package analysistest

import (
	"os"
	"testing"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/schema"
)

// BenchSizes are the table counts benchmarks run at: 2,000, and 10,000 too
// when SEAMS_BENCH_LARGE is set.
func BenchSizes() []int {
	if os.Getenv("SEAMS_BENCH_LARGE") != "" {
		return []int{2000, 10000}
	}
	return []int{2000}
}

// Synth analyses a synthetic schema of n tables in 20 contexts (package
// fixtures/synth) under its contexts map, after change (nil: none) has
// been applied to its snapshot.
func Synth(tb testing.TB, n int, change func(*schema.Snapshot)) *analysis.Analysis {
	tb.Helper()
	s, err := synth.Generate(synth.Options{Tables: n, Contexts: 20, Seed: 1})
	if err != nil {
		tb.Fatal(err)
	}
	snap, err := s.Snapshot("postgres")
	if err != nil {
		tb.Fatal(err)
	}
	if change != nil {
		change(snap)
		snap.Normalize()
	}
	return Run(tb, snap, "contexts.yaml", s.ContextsYAML())
}
