package suggest_test

import (
	"strconv"
	"testing"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/suggest"
)

// BenchmarkSuggest suggests contexts for synthetic schemas of 2,000 and
// 10,000 tables (20 contexts; 1-3 foreign keys a table, views, triggers)
// with no map, as seams suggest does: the graph, the clustering, the map
// written and read back, its outline plan and the measures. The target is
// 10,000 tables under 2 s.
func BenchmarkSuggest(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		sch, err := synth.Generate(synth.Options{Tables: n, Contexts: 20, Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		snap, err := sch.Snapshot("postgres")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				r, err := suggest.Suggest(ownership.New(snap, nil, ownership.Options{}), suggest.Options{Outline: true})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(len(r.Contexts)), "contexts")
			}
		})
	}
}
