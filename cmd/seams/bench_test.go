package main

import (
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"syscall"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/synth"
)

// BenchmarkPlanProcess runs `seams plan` as a user does, as a process, on a
// 10,000-table, 20-context snapshot file, the text plan going to a pipe.
// It reports what the targets of the plan at scale are about: the peak
// resident set of the process (the most of any run: code, runtime and
// heap; 150 MB at most) and its CPU time per run (1 s at most). The binary
// is the one the tests build; a binary the linker has just written is
// mapped in larger pages than one read back from disk, so this is the
// higher of the two peaks a user can see (see the README).
//
//	go test ./cmd/seams -run XXX -bench PlanProcess -benchtime 5x
func BenchmarkPlanProcess(b *testing.B) {
	bin := seamsBinary(b)
	snapPath, mapPath, err := synth.WriteFiles(b.TempDir(), synth.Options{Tables: 10000, Contexts: 20, Seed: 1}, "postgres")
	if err != nil {
		b.Fatal(err)
	}
	// Linux counts in a child's peak the peak of the process it was
	// started from (they share their memory until the child runs seams):
	// give the generator's memory back, and reset this process's peak
	// before each run.
	debug.FreeOSMemory()
	var peak int64
	var cpu time.Duration
	n := 0
	for b.Loop() {
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			b.Skipf("cannot reset this process's peak memory, which its children's peak would count: %v", err)
		}
		cmd := exec.Command(bin, "plan", "--snapshot", snapPath, "--contexts", mapPath)
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peak = max(peak, ru.Maxrss) // kilobytes on Linux
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
		n++
	}
	b.ReportMetric(float64(peak)/1024, "peak-rss-MB")
	b.ReportMetric(float64(cpu.Milliseconds())/float64(n), "cpu-ms/op")
}
