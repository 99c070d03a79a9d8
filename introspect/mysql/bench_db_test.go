//go:build integration

package mysql

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/internal/testdb"
)

// BenchmarkIntrospect introspects a synthetic schema (fixtures/synth) of
// 1,000 tables, and of 10,000 with SEAMS_BENCH_LARGE=1: realistic columns,
// one to three foreign keys per table (some composite, some self
// references), indexes, checks, comments, a view per 20 tables and a
// trigger per 50. It reports the statements sent per run, the peak Go heap
// while introspecting and the process's peak RSS; with -v it logs how long
// each statement of the last run took.
func BenchmarkIntrospect(b *testing.B) {
	sizes := []int{1000}
	if os.Getenv("SEAMS_BENCH_LARGE") == "1" {
		sizes = append(sizes, 10000)
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			dsn := testdb.MySQL(b)
			loadSynth(b, dsn, synth.Options{Tables: n, Seed: 1})
			cfg := config(b, dsn)
			queries := 0
			var steps []string
			last, prev := time.Now(), ""
			cfg.OnQuery = func(name string) {
				queries++
				if prev != "" {
					steps = append(steps, fmt.Sprintf("%s %v", prev, time.Since(last).Round(time.Millisecond)))
				}
				last, prev = time.Now(), name
				if name == "server" {
					steps = steps[:0]
				}
			}
			peak := newHeapPeak()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				snap, err := Introspect(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				if len(snap.Tables) != n {
					b.Fatalf("%d tables, want %d", len(snap.Tables), n)
				}
			}
			b.StopTimer()
			b.Logf("last run: %s", strings.Join(steps, ", "))
			b.ReportMetric(float64(queries)/float64(b.N), "queries/op")
			b.ReportMetric(float64(peak.stop())/(1<<20), "peak-heap-MB")
			var ru syscall.Rusage
			if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "maxrss-MB")
			}
		})
	}
}

func newHeapPeak() *heapPeak {
	runtime.GC()
	p := &heapPeak{done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			p.max = max(p.max, ms.HeapInuse)
			select {
			case <-p.done:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

func (p *heapPeak) stop() uint64 {
	close(p.done)
	p.wg.Wait()
	return p.max
}
