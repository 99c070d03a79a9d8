package site

import (
	"fmt"
	"testing"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/schema"
)

// BenchmarkUsageSections measures what usage adds to a site build: indexing
// the usage once and building the usage section of every table and context
// page, for the 2,000-table synthetic schema with 20,000 statements (each
// reading two tables and writing a third, one in ten across contexts). The
// site itself (BenchmarkSite) takes about 15 ms per page.
func BenchmarkUsageSections(b *testing.B) {
	snap, a, err := diagramtest.SynthSnapshot(synth.Options{Tables: 2000, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range a.Contexts {
		a.Info[c].Roles = []string{c} // each context's code connects as a role named like it
	}
	snap.Usage = synthUsage(snap, a.ContextsOf, 20000)
	an := diagramtest.Analyse(b, snap, a)
	bl, err := newBuilder(b.TempDir(), Input{Analysis: an}, nil)
	if err != nil {
		b.Fatal(err)
	}
	tables, groups := bl.m.Tables(), bl.m.Groups()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bl.usage = newUsageIndex(attribution.Attribute(snap.Usage, an.Ownership))
		rows := 0
		for _, n := range tables {
			rows += len(bl.tableUsage(n, "../").Statements)
		}
		for _, c := range groups {
			rows += len(bl.contextUsage(c, "../").Statements)
		}
		if rows == 0 {
			b.Fatal("no statements shown")
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(tables)+len(groups))/1e3, "µs/page")
}

// synthUsage returns n statements over the tables of snap, each run by the
// role of the context of the first table it reads.
func synthUsage(snap *schema.Snapshot, contextsOf func(schema.TableName) []string, n int) *schema.Usage {
	u := &schema.Usage{Sources: []schema.UsageSource{{Kind: schema.SourcePgStatStatements, Available: true, Statements: n, Kept: n}}}
	nt := len(snap.Tables)
	for i := range n {
		r1, r2, w := snap.Tables[i%nt].TableName(), snap.Tables[(i+1)%nt].TableName(), snap.Tables[(i+2)%nt].TableName()
		if i%10 == 0 {
			r2 = snap.Tables[(i+nt/2)%nt].TableName()
		}
		ctx := ""
		if cs := contextsOf(r1); len(cs) > 0 {
			ctx = cs[0]
		}
		st := schema.Statement{ID: fmt.Sprintf("pg_stat_statements/%016x", i), Source: schema.SourcePgStatStatements, Calls: int64(i%97 + 1),
			Text:  fmt.Sprintf("UPDATE %s SET c = 1 WHERE id IN (SELECT a.id FROM %s a JOIN %s b ON b.id = a.id)", w, r1, r2),
			Reads: []schema.TableName{r1, r2}, Writes: []schema.TableName{w}}
		st.Callers = []schema.Caller{{User: ctx, Calls: st.Calls}}
		if ctx != "" {
			st.Users = []string{ctx}
		}
		u.Statements = append(u.Statements, st)
	}
	u.Normalize()
	return u
}
