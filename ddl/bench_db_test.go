//go:build integration

package ddl

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/schema"
)

// BenchmarkReadStructureSQL reads a Rails-style structure.sql of 1,500
// tables: the synthetic schema of fixtures/synth (realistic columns, 1-3
// foreign keys per table, indexes, checks, comments, views and triggers)
// loaded into PostgreSQL and dumped with pg_dump --schema-only, about 3 MB.
// It also reads the hand-written DDL the generator prints, and the
// mysqldump --no-data of the same schema loaded into MySQL/MariaDB.
//
// Target: the structure.sql to a snapshot in under 2 s.
func BenchmarkReadStructureSQL(b *testing.B) {
	const n = 1500
	s, err := synth.Generate(synth.Options{Tables: n, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	files := []struct {
		name   string
		engine schema.Engine
		src    func(b *testing.B) string
	}{
		{"pg_dump", schema.Postgres, func(b *testing.B) string {
			dsn := testdb.Postgres(b)
			if err := s.Load(ctx, "postgres", dsn); err != nil {
				b.Fatal(err)
			}
			return pgDump(b, dsn)
		}},
		{"hand-written postgres", schema.Postgres, func(b *testing.B) string {
			sql, err := s.SQL("postgres")
			if err != nil {
				b.Fatal(err)
			}
			return sql
		}},
		{"mysqldump", schema.MariaDB, func(b *testing.B) string {
			dsn := testdb.MySQL(b)
			if err := s.Load(ctx, "mysql", dsn); err != nil {
				b.Fatal(err)
			}
			return myDump(b, dsn)
		}},
	}
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			src := []byte(f.src(b))
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			runs := 0
			cpu0 := cpuTime()
			for b.Loop() {
				res, err := Read("structure.sql", src, Options{Engine: f.engine, Database: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				if got := res.Snapshot.Counts().Tables; got != n {
					b.Fatalf("%d tables, want %d", got, n)
				}
				if len(res.Unparsed)+len(res.NotApplied) > 0 {
					b.Fatalf("passed over: %v %v", res.Unparsed, res.NotApplied)
				}
				runs++
			}
			cpu := (cpuTime() - cpu0) / time.Duration(runs)
			// CPU time too: on a shared machine the wall time says more
			// about the neighbours than about the reader.
			b.ReportMetric(cpu.Seconds(), "cpu-s/op")
			b.Logf("%s: %.1f MB in %s/op (%s of CPU)", f.name, float64(len(src))/(1<<20), (b.Elapsed() / time.Duration(runs)).Round(time.Millisecond), cpu.Round(time.Millisecond))
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
