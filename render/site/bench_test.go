package site_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/site"
)

// BenchmarkSite builds the site of a synthetic schema of n tables and reports
// the wall time and the process's peak resident memory. Run one size per
// process for a meaningful peak:
//
//	go test ./render/site -run XXX -bench 'Site/2000' -benchtime 1x
//	SEAMS_BENCH_LARGE=1 go test ./render/site -run XXX -bench 'Site/10000' -benchtime 1x -timeout 30m
func BenchmarkSite(b *testing.B) {
	for _, n := range []int{2000, 10000} {
		b.Run(itoa(n), func(b *testing.B) {
			if n > 2000 && os.Getenv("SEAMS_BENCH_LARGE") == "" {
				b.Skip("set SEAMS_BENCH_LARGE=1 for the 10,000-table site")
			}
			// fixtures/synth's schema (10 contexts: 200 tables each at 2,000,
			// compact diagrams; 1,000 each at 10,000, over the budget).
			snap, a, err := diagramtest.SynthSnapshot(synth.Options{Tables: n, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			an := diagramtest.Analyse(b, snap, a)
			in := site.Input{Analysis: an, Workers: 2}
			last := time.Now()
			in.Progress = func(done, total int) {
				if time.Since(last) > 10*time.Second || done == total {
					last = time.Now()
					b.Logf("%d/%d pages", done, total)
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				dir := filepath.Join(b.TempDir(), "site")
				start := time.Now()
				if err := site.Write(context.Background(), dir, in); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(time.Since(start).Seconds(), "s/site")
			}
			var ru syscall.Rusage
			if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
				b.ReportMetric(float64(ru.Maxrss)/1024, "MiB-peak-rss")
			}
		})
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// BenchmarkSiteMusicCorp builds the site of the MusicCorp fixture (read
// from a live PostgreSQL database), the README's example.
func BenchmarkSiteMusicCorp(b *testing.B) {
	f := diagramtest.LoadMusicCorp(b)
	in := site.Input{Analysis: f.Analysis}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := site.Write(context.Background(), filepath.Join(b.TempDir(), "site"), in); err != nil {
			b.Fatal(err)
		}
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "MiB-peak-rss")
	}
}
