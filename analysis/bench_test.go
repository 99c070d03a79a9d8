package analysis_test

import (
	"bytes"
	"io"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/text"
	"github.com/seamsdev/seams/schema"
)

// BenchmarkPlanText is `seams plan` on a 10,000-table, 20-context snapshot
// file, from the file to the terminal plan: read and decode the snapshot,
// resolve the contexts map, analyse, write the summary. It reports the CPU
// time per run (the 1 s target is about it: on a shared machine wall time
// also counts other processes' turns) and the peak of the Go heap in use,
// sampled every 5 ms. The plan is built as `seams plan` builds it for the
// text format, without its steps' SQL (plan.Options.Outline). The seams
// process adds its code and Graphviz's WebAssembly to that:
// BenchmarkPlanProcess in cmd/seams measures the process.
//
//	go test ./analysis -run XXX -bench PlanText -benchtime 5x
func BenchmarkPlanText(b *testing.B) {
	snapPath, mapPath, err := synth.WriteFiles(b.TempDir(), synth.Options{Tables: 10000, Contexts: 20, Seed: 1}, "postgres")
	if err != nil {
		b.Fatal(err)
	}
	var lines int
	run := func() {
		snap, err := schema.ReadFile(snapPath)
		if err != nil {
			b.Fatal(err)
		}
		m, err := contexts.Load(mapPath)
		if err != nil {
			b.Fatal(err)
		}
		a, err := contexts.Resolve(m, snap)
		if err != nil {
			b.Fatal(err)
		}
		an, err := analysis.Run(snap, a, analysis.Options{Plan: plan.Options{Outline: true}})
		if err != nil {
			b.Fatal(err)
		}
		var out bytes.Buffer
		if err := text.Write(&out, an.Plan); err != nil {
			b.Fatal(err)
		}
		lines = bytes.Count(out.Bytes(), []byte("\n"))
		io.Discard.Write(out.Bytes())
	}
	runtime.GC()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		n++
		run()
		runtime.GC()
	}
	cpu := cpuTime() - cpu0
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(cpu.Milliseconds())/float64(n), "cpu-ms/op")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(lines), "lines")
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
