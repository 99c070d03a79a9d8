package snapdiff_test

import (
	"fmt"
	"testing"

	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/snapdiff"
)

// BenchmarkDiff compares a synthetic schema with itself after every tenth
// table lost its foreign keys and every seventh a column changed type:
// the schema's diff and the coupling's, after both analyses.
func BenchmarkDiff(b *testing.B) {
	for _, n := range analysistest.BenchSizes() {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			old := analysistest.Synth(b, n, nil)
			new := analysistest.Synth(b, n, func(s *schema.Snapshot) {
				for i := range s.Tables {
					if i%10 == 0 {
						s.Tables[i].ForeignKeys = nil
					}
					if i%7 == 0 && len(s.Tables[i].Columns) > 1 {
						s.Tables[i].Columns[1].Type = "text"
					}
				}
			})
			b.ReportAllocs()
			var d *snapdiff.Diff
			for b.Loop() {
				d = snapdiff.Schemas(old.Snapshot, new.Snapshot)
				d.Coupling = snapdiff.CompareCoupling(old, new)
			}
			if len(d.Tables) == 0 || len(d.Coupling.Disappeared) == 0 {
				b.Fatalf("%d tables changed, %d couplings disappeared", len(d.Tables), len(d.Coupling.Disappeared))
			}
			b.ReportMetric(float64(len(d.Tables)), "tables-changed")
		})
	}
}
