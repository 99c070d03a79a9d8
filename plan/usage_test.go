package plan_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/usage"
)

// usageSnap is a small schema with usage: contexts A (a1, a2; a2 -> a1) and
// B (b1, b2; b2 -> a1), static s, and table u that nothing uses.
func usageSnap(u *schema.Usage) (*schema.Snapshot, string) {
	s := snap(
		table("a1", "id", "x"),
		fk(table("a2", "id", "a1_id"), "a2_a1_fkey", []string{"a1_id"}, "a1", []string{"id"}, schema.NoAction),
		table("b1", "id", "a1_ref"),
		fk(table("b2", "id", "a1_id"), "b2_a1_fkey", []string{"a1_id"}, "a1", []string{"id"}, schema.NoAction),
		table("s", "code"),
		table("u", "id"),
	)
	s.Usage = u
	return s, "A: a1, a2; B: b1, b2; static: s"
}

// stmt makes a usage statement that the roles ctxs ran (assign gives each
// context a role named like it), or that no role ran.
func stmt(id string, calls int64, reads, writes []string, ctxs ...string) schema.Statement {
	st := schema.Statement{ID: id, Source: schema.SourcePgStatStatements, Text: "-- " + id, Calls: calls, Users: ctxs,
		Locations: []schema.Location{{File: "src/" + id + ".go", Line: 7}}}
	for _, c := range ctxs {
		st.Callers = append(st.Callers, schema.Caller{User: c, Calls: calls / int64(len(ctxs))})
	}
	if len(ctxs) == 0 {
		st.Callers = []schema.Caller{{Calls: calls}}
	}
	for _, r := range reads {
		st.Reads = append(st.Reads, name(r))
	}
	for _, w := range writes {
		st.Writes = append(st.Writes, name(w))
	}
	return st
}

// usageOf makes the usage of statements and units of work.
func usageOf(stmts []schema.Statement, units ...schema.Unit) *schema.Usage {
	// Thirty days of statistics: long enough to call a table unused.
	u := &schema.Usage{Sources: []schema.UsageSource{{Kind: schema.SourcePgStatStatements, Location: "src", Available: true,
		Since: "2026-01-01T00:00:00Z", Until: "2026-01-31T00:00:00Z"}}, Statements: stmts, Units: units}
	u.Normalize()
	return u
}

func TestUsageFindings(t *testing.T) {
	u := usageOf([]schema.Statement{
		stmt("q1", 40, []string{"a1", "b1"}, nil, "A"),     // cross query, no FK: implied coupling
		stmt("q2", 9, []string{"a1", "a2"}, nil, "A"),      // one context
		stmt("q3", 5, []string{"b2", "a1"}, nil, "B"),      // cross query, FK: no implied coupling
		stmt("w1", 3, nil, []string{"b1"}, "A"),            // A writes B's table
		stmt("w2", 2, nil, []string{"b1"}, "B"),            // the owner too
		stmt("w3", 1, nil, []string{"a1"}, "A"),            // the owner alone
		stmt("w4", 6, []string{"a2"}, []string{"b2"}, "B"), // writes B, reads A: cross query with a write
		stmt("r1", 8, []string{"s"}, nil, "A"),             // static data read
		stmt("r2", 8, []string{"s", "a1"}, nil, "B"),       // static tables never make a query cross
		stmt("q4", 2, []string{"a1", "b1", "a2"}, nil),     // unattributed; a1-b1 implied again
	}, schema.Unit{Location: schema.Location{File: "src/place.go", Line: 12, Function: "Place"}, Writes: []schema.TableName{name("a1"), name("b1")},
		Statements: []string{"w1", "w3"}, Evidence: "heuristic"},
		schema.Unit{Location: schema.Location{File: "src/own.go", Line: 3, Function: "Own"}, Writes: []schema.TableName{name("a1"), name("a2")},
			Statements: []string{"w3"}, Evidence: "heuristic"},
	)
	s, spec := usageSnap(u)
	p, err := planOf(s, assign(s, spec))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]plan.Finding{}
	for _, f := range p.Findings {
		got[f.ID] = f
	}
	for _, want := range []struct {
		id       string
		kind     plan.Kind
		severity plan.Severity
		contexts []string
		evidence string
	}{
		{"shared-data/app/b1", plan.KindSharedMutable, plan.High, []string{"A", "B"}, "observed: A writes it (3 calls, 1 statement)"},
		{"query/q1", plan.KindCrossQuery, plan.Medium, []string{"A", "B"}, "q1 (40 calls): -- q1 at src/q1.go:7"},
		{"query/q3", plan.KindCrossQuery, plan.Medium, []string{"A", "B"}, "run by B"},
		{"query/w4", plan.KindCrossQuery, plan.High, []string{"A", "B"}, "w4 (6 calls)"},
		{"query/q4", plan.KindCrossQuery, plan.Medium, []string{"A", "B"}, "q4 (2 calls)"},
		{"transaction/src/place.go:12", plan.KindCrossTransaction, plan.High, []string{"A", "B"}, "heuristic"},
		{"implied/app/a1/app/b1", plan.KindImpliedCoupling, plan.Medium, []string{"A", "B"}, "2 statements (42 calls)"},
		{"unused/app/u", plan.KindUnused, plan.Info, []string{}, "no statement, code or ORM declaration"},
		{"static/app/s", plan.KindStaticData, plan.Low, []string{}, "usage confirms it: no writes observed (pg_stat_statements src since 2026-01-01T00:00:00Z); read by A, B"},
	} {
		f, ok := got[want.id]
		if !ok {
			t.Errorf("no finding %s", want.id)
			continue
		}
		if f.Kind != want.kind || f.Severity != want.severity || (len(want.contexts) > 0 && !slices.Equal(f.Contexts, want.contexts)) ||
			!slices.ContainsFunc(f.Evidence, func(e string) bool { return strings.Contains(e, want.evidence) }) {
			t.Errorf("finding %s: %s %s %v %q\nwant %s %s %v with %q", want.id, f.Kind, f.Severity, f.Contexts, f.Evidence, want.kind, want.severity, want.contexts, want.evidence)
		}
	}
	for _, id := range []string{"query/q2", "query/r1", "query/r2", "query/w1", "transaction/src/own.go:3", "implied/app/a1/app/a2", "implied/app/a1/app/b2",
		"shared-data/app/a1", "unused/app/a1", "unused/app/s", "unused/app/b2"} {
		if _, ok := got[id]; ok {
			t.Errorf("unexpected finding %s", id)
		}
	}
}

// TestUsageStaticContradicted: writes to static data are reported against it.
func TestUsageStaticContradicted(t *testing.T) {
	s, spec := usageSnap(usageOf([]schema.Statement{stmt("w", 4, nil, []string{"s"}, "B")}))
	p, err := planOf(s, assign(s, spec))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range p.Findings {
		if f.ID == "static/app/s" {
			if !slices.ContainsFunc(f.Evidence, func(e string) bool { return strings.Contains(e, "usage contradicts it: 4 writes observed (by B)") }) {
				t.Errorf("evidence: %q", f.Evidence)
			}
			return
		}
	}
	t.Error("no static finding")
}

// TestUsageUnavailable: without an available source there are no usage
// findings, and a warning says why; without usage the plan is unchanged.
func TestUsageUnavailable(t *testing.T) {
	s, spec := usageSnap(nil)
	base, err := planOf(s, assign(s, spec))
	if err != nil {
		t.Fatal(err)
	}
	s.Usage = &schema.Usage{Sources: []schema.UsageSource{{Kind: schema.SourcePgStatStatements, Notes: []string{"not installed"}}}}
	p, err := planOf(s, assign(s, spec))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Findings) != len(base.Findings) || !slices.Contains(p.Warnings, "usage: no usage source was available; no usage findings") {
		t.Errorf("findings %d (want %d), warnings %q", len(p.Findings), len(base.Findings), p.Warnings)
	}
}

// TestMusicCorpUnitsOfWork plans the MusicCorp fixture with the usage found
// in its application's code. The warehouse's dispatch writes customer,
// which finance and warehouse both write (so the plan gives it to a
// proposed customer context), next to picking and line_item: a unit of
// work across contexts, reported high.
func TestMusicCorpUnitsOfWork(t *testing.T) {
	s := musicCorpSnapshot(t, "postgres")
	b, err := usage.NewBuilder(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := usage.ScanCode("../fixtures/musiccorp/app/src", b); err != nil {
		t.Fatal(err)
	}
	s.Usage = b.Build()
	m, err := contexts.Load("../fixtures/musiccorp/contexts-usage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planOf(s, a)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(p.Findings, func(f plan.Finding) bool {
		return f.ID == "transaction/warehouse/src/main/java/com/musiccorp/warehouse/DispatchService.java:30"
	})
	if i < 0 {
		t.Fatal("the dispatch unit of work is not reported")
	}
	if f := p.Findings[i]; f.Kind != plan.KindCrossTransaction || f.Severity != plan.High || !slices.Contains(f.Contexts, "customer") {
		t.Errorf("dispatch finding: %s %s %v", f.Kind, f.Severity, f.Contexts)
	}
}

// TestUsageUnusedRule: a table nothing uses is reported unused only when
// the statistics cover long enough, and never while a used table's foreign
// key references it.
func TestUsageUnusedRule(t *testing.T) {
	tables := func() *schema.Snapshot {
		return snap(
			table("orders", "id", "status_id"),
			fk(table("order_line", "id", "order_id", "status_id"), "line_status", []string{"status_id"}, "status", []string{"id"}, schema.NoAction),
			table("status", "id"), // referenced by a used table: used
			fk(table("old_note", "id", "old_kind"), "note_kind", []string{"old_kind"}, "old_kind", []string{"id"}, schema.NoAction),
			table("old_kind", "id"), // referenced only by an unused table
		)
	}
	server := func(since, until string) schema.UsageSource {
		return schema.UsageSource{Kind: schema.SourcePgStatStatements, Location: "db", Available: true, Since: since, Until: until}
	}
	tests := []struct {
		name       string
		sources    []schema.UsageSource
		wantUnused []string
		wantWarn   string
	}{
		{"code: no window needed", []schema.UsageSource{{Kind: schema.SourceCode, Location: "src", Available: true}},
			[]string{"unused/app/old_kind", "unused/app/old_note"}, ""},
		{"two minutes of statistics", []schema.UsageSource{server("2026-01-01T10:00:00Z", "2026-01-01T10:02:00Z")},
			nil, "pg_stat_statements covers only 2 minutes (since 2026-01-01T10:00:00Z until 2026-01-01T10:02:00Z); seams needs at least 7 days"},
		{"a window of unknown start", []schema.UsageSource{server("", "2026-01-01T10:02:00Z")},
			nil, "the window pg_stat_statements observed is unknown (pg_stat_statements says when it was reset from PostgreSQL 14 on)"},
		{"eight days", []schema.UsageSource{server("2026-01-01T10:00:00Z", "2026-01-09T12:00:00Z")},
			[]string{"unused/app/old_kind", "unused/app/old_note"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tables()
			u := usageOf([]schema.Statement{stmt("q", 5, []string{"orders"}, []string{"order_line"}, "sales")})
			u.Sources = tt.sources
			s.Usage = u
			p := build(t, s, "sales: orders, order_line, status, old_note, old_kind")
			got := ids(p, plan.KindUnused)
			if !slices.Equal(got, tt.wantUnused) {
				t.Errorf("unused %v, want %v", got, tt.wantUnused)
			}
			warn := strings.Join(p.Warnings, "\n")
			if tt.wantWarn != "" && !strings.Contains(warn, tt.wantWarn) {
				t.Errorf("warnings %q, want %q", warn, tt.wantWarn)
			}
			if len(tt.wantUnused) > 0 {
				f := finding(t, p, "unused/app/old_kind")
				if !strings.Contains(f.Recommendation.Description, "Drop app.old_note first") {
					t.Errorf("old_kind: %q", f.Recommendation.Description)
				}
				if tt.sources[0].Kind != schema.SourceCode && !strings.Contains(strings.Join(f.Evidence, "\n"), "observed for pg_stat_statements: 8 days 2 hours") {
					t.Errorf("evidence %q does not say how long the statistics cover", f.Evidence)
				}
			}
		})
	}
}
