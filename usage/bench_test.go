package usage

import (
	"fmt"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// benchSchema is a snapshot of 200 tables of 10 columns in 10 contexts of 20
// tables each (one table in ten claimed by a second context too), with one
// database role per context.
func benchSchema(engine schema.Engine) (*schema.Snapshot, *contexts.Assignment) {
	s := &schema.Snapshot{Format: schema.FormatVersion, Source: schema.Source{Engine: engine, Database: "shop"}}
	a := &contexts.Assignment{Claims: map[schema.TableName][]contexts.Claim{}, Info: map[string]*contexts.Context{}}
	sch := "public"
	if engine != schema.Postgres {
		sch = "shop"
	}
	for c := range 10 {
		name := fmt.Sprintf("ctx%d", c)
		a.Contexts = append(a.Contexts, name)
		a.Info[name] = &contexts.Context{Name: name, Roles: []string{fmt.Sprintf("role%d", c)}}
	}
	for i := range 200 {
		t := schema.Table{Schema: sch, Name: fmt.Sprintf("t%d", i), Kind: schema.KindTable}
		for j := range 10 {
			t.Columns = append(t.Columns, schema.Column{Name: fmt.Sprintf("c%d", j), Type: "integer"})
		}
		s.Tables = append(s.Tables, t)
		a.Claims[t.TableName()] = []contexts.Claim{{Context: fmt.Sprintf("ctx%d", i/20)}}
		if i%10 == 0 {
			// One table in ten is shared: its statements' columns are
			// worked out too.
			a.Claims[t.TableName()] = append(a.Claims[t.TableName()], contexts.Claim{Context: fmt.Sprintf("ctx%d", (i/20+1)%10)})
		}
	}
	return s, a
}

// oltp returns n distinct typical OLTP statements in a dialect, as the
// server's statistics record them (placeholders for the values).
func oltp(n int, dialect schema.Dialect) []string {
	p := func(k int) string {
		if dialect == schema.DialectMySQL {
			return "?"
		}
		return fmt.Sprintf("$%d", k)
	}
	out := make([]string, n)
	for i := range n {
		x, y := i%200, (i*7+13)%200
		a, b, c := i%10, (i/10)%10, (i/100)%10
		switch i % 6 {
		case 0:
			out[i] = fmt.Sprintf("SELECT c%d, c%d AS v%d FROM t%d WHERE c%d = %s AND c%d > %s", a, b, i, x, c, p(1), (c+1)%10, p(2))
		case 1:
			out[i] = fmt.Sprintf("SELECT x.c%d, y.c%d AS v%d FROM t%d x JOIN t%d y ON y.c0 = x.c%d WHERE x.c%d = %s ORDER BY x.c1 LIMIT %s", a, b, i, x, y, c, a, p(1), p(2))
		case 2:
			out[i] = fmt.Sprintf("INSERT INTO t%d (c%d, c%d, c9) VALUES (%s, %s, %d)", x, a, (a+1)%9, p(1), p(2), i)
		case 3:
			out[i] = fmt.Sprintf("UPDATE t%d SET c%d = c%d + %s, c9 = %d WHERE c%d = %s", x, a, a, p(1), i, b, p(2))
		case 4:
			out[i] = fmt.Sprintf("DELETE FROM t%d WHERE c%d < %s AND c9 <> %d", x, a, p(1), i)
		case 5:
			out[i] = fmt.Sprintf("SELECT count(*) AS n%d FROM t%d WHERE c%d IN (SELECT c0 FROM t%d WHERE c%d = %s)", i, x, a, y, b, p(1))
		}
	}
	return out
}

// benchmarkDigestTable measures Build on a 100,000-statement digest table
// held in memory (issue 5: under 10 s), parsing included, on all cores,
// and the attribution of what it finds to a contexts map.
func benchmarkDigestTable(b *testing.B, engine schema.Engine) {
	s, a := benchSchema(engine)
	d, _ := engine.Dialect()
	stmts := oltp(100_000, d)
	src := schema.SourcePgStatStatements
	if engine != schema.Postgres {
		src = schema.SourcePerformanceSchema
	}
	b.ReportAllocs()
	for b.Loop() {
		bl := newBuilder(b, s)
		bl.AddSource(schema.UsageSource{Kind: src, Available: true})
		for i, st := range stmts {
			bl.Add(Raw{Source: src, Text: st, Calls: int64(i%50 + 1), User: fmt.Sprintf("role%d", i%10)})
		}
		u := bl.Build()
		if got := u.Sources[0]; got.Kept != len(stmts) || got.Rejected != 0 {
			b.Fatalf("kept %d, rejected %d of %d", got.Kept, got.Rejected, len(stmts))
		}
		if au := attribute(b, s, a, u); au.Unattributed[src] != 0 {
			b.Fatalf("%d statements unattributed", au.Unattributed[src])
		}
	}
	b.ReportMetric(float64(len(stmts)*b.N)/b.Elapsed().Seconds(), "stmts/s")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/table")
}

func BenchmarkDigestTablePostgres(b *testing.B) { benchmarkDigestTable(b, schema.Postgres) }
func BenchmarkDigestTableMySQL(b *testing.B)    { benchmarkDigestTable(b, schema.MariaDB) }

// BenchmarkCodeScan measures the scan of the MusicCorp application.
func BenchmarkCodeScan(b *testing.B) {
	s := musiccorpSnapshot(b)
	a := musiccorpMap(b, s)
	for b.Loop() {
		bl := newBuilder(b, s)
		if err := ScanCode(appRoot, bl); err != nil {
			b.Fatal(err)
		}
		attribute(b, s, a, bl.Build())
	}
}
