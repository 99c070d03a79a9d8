package check_test

import (
	"fmt"
	"testing"

	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/internal/analysistest"
)

// BenchmarkCheck checks a synthetic schema against a baseline of all its
// findings but one: the matching, the coupling counts for the budgets and
// the locations, after the analysis (see plan's BenchmarkBuild).
func BenchmarkCheck(b *testing.B) {
	for _, n := range analysistest.BenchSizes() {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			an := analysistest.Synth(b, n, nil)
			base := check.Run(an, nil, "").Updated(true)
			base.Findings = base.Findings[1:]
			b.ReportAllocs()
			var r *check.Result
			for b.Loop() {
				r = check.Run(an, base, "b.json")
			}
			if len(r.New) != 1 {
				b.Fatalf("%d new", len(r.New))
			}
			b.ReportMetric(float64(len(r.Known)), "findings")
		})
	}
}
