//go:build integration

package postgres

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
)

// BenchmarkIntrospect introspects synthetic schemas (fixtures/synth: tables
// with realistic columns, 1-3 foreign keys each, indexes, views and
// triggers) of 1,000 and 2,000 tables, and of 10,000 when SEAMS_BENCH_LARGE=1
// (building it takes a few minutes). It reports the statements sent per run
// and the peak Go heap during a run.
//
// SEAMS_BENCH_PG_DSN_<N> (e.g. SEAMS_BENCH_PG_DSN_10000) names a database
// already loaded with `go run ./fixtures/synth/cmd/synth -n N -load DSN`
// (then ANALYZE): the benchmark introspects it instead of building one,
// which also measures a database whose catalog has settled after the load.
//
// Targets: 2,000 tables under 0.7 s, 10,000 under 3 s, under 300 MB, at most
// 20 statements.
func BenchmarkIntrospect(b *testing.B) {
	sizes := []int{1000, 2000}
	if os.Getenv("SEAMS_BENCH_LARGE") == "1" {
		sizes = append(sizes, 10000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			ctx := context.Background()
			dsn := os.Getenv(fmt.Sprintf("SEAMS_BENCH_PG_DSN_%d", n))
			if dsn == "" {
				dsn = testdb.Postgres(b)
				start := time.Now()
				if err := synth.Load(ctx, "postgres", dsn, synth.Options{Tables: n, Seed: 1}); err != nil {
					b.Fatal(err)
				}
				testdb.ExecPostgres(b, dsn, "ANALYZE")
				b.Logf("built %d tables in %s", n, time.Since(start).Round(time.Second))
			}

			var queries atomic.Int64
			cfg := config(b, dsn, func(c *introspect.Config) { c.OnQuery = func(string) { queries.Add(1) } })
			peak := &heapPeak{}
			runs := 0
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				b.StopTimer()
				runtime.GC() // so that the heap peak is this run's
				b.StartTimer()
				peak.start()
				snap, err := Introspect(ctx, cfg)
				peak.stop()
				if err != nil {
					b.Fatal(err)
				}
				if got := snap.Counts().Tables; got != n {
					b.Fatalf("%d tables, want %d", got, n)
				}
				runs++
			}
			qpo := float64(queries.Load()) / float64(runs)
			mb := float64(peak.max.Load()) / (1 << 20)
			b.ReportMetric(qpo, "queries/op")
			b.ReportMetric(mb, "peak-heap-MB")
			// Also in the log: a failing cleanup (dropping a 10,000-table
			// database can outlast testdb's timeout on a busy server) hides
			// the result line.
			b.Logf("%d tables: %s/op, %.0f queries/op, peak heap %.1f MB", n, (b.Elapsed() / time.Duration(runs)).Round(time.Millisecond), qpo, mb)
		})
	}
}

func (h *heapPeak) start() {
	h.done = make(chan struct{})
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			h.sample()
			select {
			case <-h.done:
				return
			case <-t.C:
			}
		}
	}()
}

func (h *heapPeak) stop() {
	h.sample()
	close(h.done)
	h.wg.Wait()
}
