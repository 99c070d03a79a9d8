package infer

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/schema"
)

// synthNoKeys is a synthetic schema of n tables (12 columns each on average,
// named like an application's: <table>_id keys, references, codes) with
// every declared foreign key removed, so that inference has to find them.
func synthNoKeys(b testing.TB, n int) *schema.Snapshot {
	g, err := synth.Generate(synth.Options{Tables: n, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	s, err := g.Snapshot("postgres")
	if err != nil {
		b.Fatal(err)
	}
	cols := 0
	for i := range s.Tables {
		s.Tables[i].ForeignKeys = nil
		cols += len(s.Tables[i].Columns)
	}
	// Pad to 12 columns a table on average (120,000 for 10,000 tables).
	for i := 0; cols < 12*n; i = (i + 1) % len(s.Tables) {
		t := &s.Tables[i]
		t.Columns = append(t.Columns, schema.Column{Name: fmt.Sprintf("note_%d", len(t.Columns)), Type: "text", Nullable: true})
		cols++
	}
	return s
}

// BenchmarkInfer is inference on 2,000 and 10,000 tables with no declared
// foreign keys; the target is under 1 s for 10,000 tables and 120,000
// columns, and the time per table must stay flat from 2,000 to 10,000
// (nothing quadratic).
func BenchmarkInfer(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		b.Run(fmt.Sprintf("tables=%d", n), func(b *testing.B) {
			s := synthNoKeys(b, n)
			b.ResetTimer()
			var found int
			cpu0 := cpuTime()
			for i := 0; i < b.N; i++ {
				found = len(Infer(s, Options{}))
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(found), "refs")
		})
	}
}

// cpuTime is the CPU time (user and system) this process has used: the
// machine is shared, so wall time alone overstates the cost.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
