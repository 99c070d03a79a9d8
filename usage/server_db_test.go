//go:build integration

package usage

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/fixtures/musiccorp/app/workload"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	intromysql "github.com/seamsdev/seams/introspect/mysql"
	intropg "github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
)

// roleNames returns a unique role name per context, for a server shared
// with other tests.
func roleNames() map[string]string {
	var b [4]byte
	rand.Read(b[:])
	prefix := "seams_u" + hex.EncodeToString(b[:])
	out := map[string]string{}
	for _, c := range workloadContexts {
		out[c] = prefix + "_" + c[:min(len(c), 5)]
	}
	return out
}

// withRoles returns the MusicCorp map resolved against s with each
// context's roles: set to its workload role.
func withRoles(t *testing.T, s *schema.Snapshot, roles map[string]string) *contexts.Assignment {
	t.Helper()
	a := musiccorpMap(t, s)
	for c, r := range roles {
		a.Info[c].Roles = []string{r}
	}
	return a
}

// checkWorkload checks the matrix and the plan built from a workload's usage.
//
// unusedKnown is false when the server's table counters (which count the
// fixture's loading) keep tables from counting as unused.
func checkWorkload(t *testing.T, s *schema.Snapshot, a *contexts.Assignment, raw *schema.Usage, unusedKnown bool) {
	t.Helper()
	u := attribute(t, s, a, raw)
	for _, want := range expectedCells {
		c := cell(u, want.ctx, want.table)
		if c.Reads != want.reads || c.Writes != want.writes {
			t.Errorf("matrix %q × %s: reads %d writes %d, want %d and %d (evidence %v)", want.ctx, want.table, c.Reads, c.Writes, want.reads, want.writes, c.Evidence)
		}
	}
	for _, c := range u.Matrix {
		if c.Table.Name == "country" && c.Writes > 0 {
			t.Errorf("country written by %q: %+v", c.Context, c)
		}
	}
	s.Usage = raw
	an, err := analysis.Run(s, a, analysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := an.Plan
	byID := map[string]plan.Finding{}
	for _, f := range p.Findings {
		byID[f.ID] = f
	}
	sch := s.Tables[0].Schema
	for _, want := range []struct {
		id       string
		kind     plan.Kind
		evidence string
	}{
		{"shared-data/" + sch + "/customer", plan.KindSharedMutable, "observed: finance writes it (4 calls"},
		{"shared-data/" + sch + "/customer_order", plan.KindSharedMutable, "observed: warehouse writes it (2 calls"},
		{"shared-data/" + sch + "/payment", plan.KindSharedMutable, "observed: warehouse writes it (1 call"},
		{"shared-data/" + sch + "/picking", plan.KindSharedMutable, "observed: finance writes it (2 calls"},
		{"shared-table/" + sch + "/line_item", plan.KindSharedTable, "observed: catalog writes it (3 calls"},
		{"static/" + sch + "/country", plan.KindStaticData, "usage confirms it: no writes observed"},
		{"implied/" + sch + "/refund/" + sch + "/stock_movement", plan.KindImpliedCoupling, "4 calls"},
		{"unused/" + sch + "/feature_flag", plan.KindUnused, "no statement"},
		{"unused/" + sch + "/audit_log", plan.KindUnused, "no statement"},
	} {
		if strings.HasPrefix(want.id, "unused/") && !unusedKnown {
			continue
		}
		f, ok := byID[want.id]
		if !ok {
			t.Errorf("no finding %s", want.id)
			continue
		}
		if f.Kind != want.kind || !slices.ContainsFunc(f.Evidence, func(e string) bool { return strings.Contains(e, want.evidence) }) {
			t.Errorf("finding %s: kind %s, evidence %q; want %s with %q", want.id, f.Kind, f.Evidence, want.kind, want.evidence)
		}
	}
	for _, notWant := range []string{"unused/" + sch + "/customer", "unused/" + sch + "/country", "shared-data/" + sch + "/country", "unused/" + sch + "/stock_movement"} {
		if _, ok := byID[notWant]; ok {
			t.Errorf("unexpected finding %s", notWant)
		}
	}
	// Cross-context queries: the order lines with their items (finance ×
	// catalog/warehouse), the returns with their refunds, the similar
	// albums (recommendation × catalog), the sales report.
	var cross [][]string
	for _, f := range p.Findings {
		if f.Kind != plan.KindCrossQuery {
			continue
		}
		var names []string
		for _, o := range f.Objects {
			names = append(names, o.Name)
		}
		cross = append(cross, names)
	}
	for _, want := range [][]string{{"line_item", "order_line"}, {"refund", "stock_movement"}, {"album", "reco_similar_album"}, {"album", "artist", "ledger", "line_item"}} {
		if !slices.ContainsFunc(cross, func(got []string) bool { return slices.Equal(got, want) }) {
			t.Errorf("no cross-context query on %v; got %v", want, cross)
		}
	}
	for _, notWant := range [][]string{{"album", "artist", "genre"}, {"shipment", "supplier", "warehouse"}} {
		if slices.ContainsFunc(cross, func(got []string) bool { return slices.Equal(got, notWant) }) {
			t.Errorf("cross-context query reported on %v, all in one context", notWant)
		}
	}
}

func TestPostgresStatStatements(t *testing.T) {
	roles := roleNames()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// Registered before the database: runs after it is dropped, when the
	// roles own nothing any more.
	t.Cleanup(func() {
		admin, err := pgx.Connect(context.Background(), testdb.PostgresAdminDSN())
		if err != nil {
			t.Errorf("drop roles: %v", err)
			return
		}
		defer admin.Close(context.Background())
		for _, r := range roles {
			if _, err := admin.Exec(context.Background(), "DROP ROLE IF EXISTS "+pgx.Identifier{r}.Sanitize()); err != nil {
				t.Errorf("drop role %s: %v", r, err)
			}
		}
	})
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL)
	var grants strings.Builder
	grants.WriteString("CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n")
	for _, r := range roles {
		id := pgx.Identifier{r}.Sanitize()
		fmt.Fprintf(&grants, "CREATE ROLE %s LOGIN PASSWORD 'seams-test';\nGRANT USAGE ON SCHEMA public TO %s;\n", id, id)
		fmt.Fprintf(&grants, "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %s;\nGRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO %s;\n", id, id)
	}
	// Forget the fixture's loading: this database's statements and table
	// counters only.
	grants.WriteString("SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0);\nSELECT pg_stat_reset();\n")
	testdb.ExecPostgres(t, dsn, grants.String())

	conns := map[string]*pgx.Conn{}
	for c, r := range roles {
		u, _ := url.Parse(dsn)
		u.User = url.UserPassword(r, "seams-test")
		conn, err := pgx.Connect(ctx, u.String())
		if err != nil {
			t.Fatalf("connect as %s: %v", r, err)
		}
		defer conn.Close(context.Background())
		conns[c] = conn
	}
	for _, st := range workload.Steps {
		for range st.Calls {
			if _, err := conns[st.Context].Exec(ctx, st.SQL); err != nil {
				t.Fatalf("%s: %s: %v", st.Context, st.SQL, err)
			}
		}
	}

	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &introspect.Config{DSN: d}
	s, err := intropg.Introspect(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := withRoles(t, s, roles)
	b := newBuilder(t, s)
	if err := ReadPostgres(ctx, cfg, b); err != nil {
		t.Fatal(err)
	}
	u := b.Build()
	if len(u.Sources) != 1 || !u.Sources[0].Available {
		t.Fatalf("sources: %+v", u.Sources)
	}
	// pg_stat_statements_info, which says when the window started, came
	// with PostgreSQL 14.
	withSince := testdb.PostgresVersionNum(t) >= 140000
	if src := u.Sources[0]; src.Rejected != 0 || attribute(t, s, a, u).Unattributed[src.Kind] != 0 || (src.Since != "") != withSince {
		t.Errorf("source: %+v; want nothing rejected or unattributed, and the window's start (from PostgreSQL 14)", src)
	}
	// The statistics cover seconds: no table is called unused, and the
	// plan says why.
	checkWorkload(t, s, a, u, false)
	if src := u.Sources[0]; src.Until == "" {
		t.Errorf("source %+v: no end of the window", src)
	}
	s.Usage = u
	if an, err := analysis.Run(s, a, analysis.Options{}); err != nil {
		t.Fatal(err)
	} else if w := strings.Join(an.Plan.Warnings, "\n"); !strings.Contains(w, "no table is reported unused") {
		t.Errorf("plan warnings %q: nothing says why no table is unused", w)
	}

	// A role without pg_read_all_stats sees only its own statements; the
	// others are counted and the note says which grant shows them. Its
	// password is a parameter, which the usage source must not store.
	ru, _ := url.Parse(dsn)
	ru.User = url.User(roles["catalog"])
	q := ru.Query()
	q.Del("password")
	ru.RawQuery = q.Encode()
	if ru.RawQuery != "" {
		ru.RawQuery += "&"
	}
	ru.RawQuery += "password=seams-test"
	rd, err := introspect.ParseDSN(ru.String())
	if err != nil {
		t.Fatal(err)
	}
	rb := newBuilder(t, s)
	if err := ReadPostgres(ctx, &introspect.Config{DSN: rd}, rb); err != nil {
		t.Fatal(err)
	}
	ru2 := rb.Build()
	src := ru2.Sources[0]
	if !src.Available || len(src.Notes) != 2 || !strings.Contains(src.Notes[0], `GRANT pg_read_all_stats TO "`+roles["catalog"]+`"`) ||
		!strings.Contains(src.Notes[1], "statements of other roles were hidden") {
		t.Errorf("source read by %s: %+v", roles["catalog"], src)
	}
	if js, _ := json.Marshal(ru2); strings.Contains(string(js), "seams-test") {
		t.Errorf("the usage stores the password: location %q", src.Location)
	}
	ra := attribute(t, s, a, ru2)
	for _, st := range ru2.Statements {
		if cs := ra.Contexts(st.ID); !slices.Equal(cs, []string{"catalog"}) {
			t.Errorf("%s sees statement %q of %v", roles["catalog"], st.Text, cs)
		}
	}
	var buf strings.Builder
	WriteText(&buf, attribute(t, s, a, u))
	t.Logf("usage from pg_stat_statements:\n%s", buf.String())
}

// TestConnectErrorsMasked: a failed connection names the DSN with its
// password masked, on one line.
func TestConnectErrorsMasked(t *testing.T) {
	s := musiccorpSnapshot(t)
	pgDSN, _ := url.Parse(testdb.PostgresAdminDSN())
	pgDSN.User = url.UserPassword("seams_no_such_role", "s3cret-pw")
	dsns := []string{pgDSN.String()}
	if my := testdb.MySQLAdminDSN(); my != testdb.MySQLOff {
		myCfg, err := mysql.ParseDSN(my)
		if err != nil {
			t.Fatal(err)
		}
		myCfg.User, myCfg.Passwd, myCfg.DBName = "seams_no_such_user", "s3cret-pw", "x"
		dsns = append(dsns, myCfg.FormatDSN())
	}
	for _, dsn := range dsns {
		d, err := introspect.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg := &introspect.Config{DSN: d, ConnectTimeout: 5 * time.Second}
		if d.Dialect == schema.DialectPostgres {
			err = ReadPostgres(context.Background(), cfg, newBuilder(t, s))
		} else {
			err = ReadMySQL(context.Background(), cfg, newBuilder(t, s))
		}
		if err == nil || strings.Contains(err.Error(), "s3cret-pw") || !strings.Contains(err.Error(), "***") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: err = %v", d.Masked(), err)
		}
	}
}

// TestPostgresNoExtension shows the source unavailable, with how to enable
// it, in a database without the extension.
func TestPostgresNoExtension(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, "CREATE TABLE t (id int)")
	d, _ := introspect.ParseDSN(dsn)
	ctx := context.Background()
	s, err := intropg.Introspect(ctx, &introspect.Config{DSN: d})
	if err != nil {
		t.Fatal(err)
	}
	b := newBuilder(t, s)
	if err := ReadPostgres(ctx, &introspect.Config{DSN: d}, b); err != nil {
		t.Fatal(err)
	}
	u := b.Build()
	if len(u.Sources) != 1 || u.Sources[0].Available || len(u.Sources[0].Notes) != 1 ||
		!strings.Contains(u.Sources[0].Notes[0], "CREATE EXTENSION pg_stat_statements") {
		t.Errorf("sources: %+v", u.Sources)
	}
}

func TestMySQLPerformanceSchema(t *testing.T) {
	users := roleNames()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dsn := testdb.MySQL(t)
	testdb.ExecMySQL(t, dsn, musiccorp.MySQLSQL)
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	var consumers int
	if err := admin.QueryRowContext(ctx, `SELECT COUNT(*) FROM performance_schema.setup_consumers
 WHERE ENABLED = 'YES' AND NAME IN ('statements_digest', 'events_statements_current', 'events_statements_history_long')`).Scan(&consumers); err != nil || consumers != 3 {
		t.Fatalf("performance_schema with the statement digest and history consumers is needed (bash .ci/run enables them): %d of 3 enabled, %v", consumers, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			t.Errorf("drop users: %v", err)
			return
		}
		defer admin.Close()
		for _, u := range users {
			if _, err := admin.Exec("DROP USER IF EXISTS '" + u + "'@'%'"); err != nil {
				t.Errorf("drop user %s: %v", u, err)
			}
		}
	})
	for _, u := range users {
		for _, q := range []string{
			"CREATE USER '" + u + "'@'%' IDENTIFIED BY 'seams-test'",
			"GRANT SELECT, INSERT, UPDATE, DELETE ON `" + cfg.DBName + "`.* TO '" + u + "'@'%'",
		} {
			if _, err := admin.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The digest table is server-wide and bounded (performance_schema_digests_size);
	// on a server shared with other tests it fills up with their statements,
	// and new digests are then lost. Start a new window.
	if _, err := admin.ExecContext(ctx, "TRUNCATE TABLE performance_schema.events_statements_summary_by_digest"); err != nil {
		t.Fatal(err)
	}
	conns := map[string]*sql.Conn{}
	for c, u := range users {
		uc := cfg.Clone()
		uc.User, uc.Passwd = u, "seams-test"
		db, err := sql.Open("mysql", uc.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatalf("connect as %s: %v", u, err)
		}
		defer conn.Close()
		conns[c] = conn
	}
	for _, st := range workload.Steps {
		for range st.Calls {
			if _, err := conns[st.Context].ExecContext(ctx, st.SQL); err != nil {
				t.Fatalf("%s: %s: %v", st.Context, st.SQL, err)
			}
		}
	}

	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	icfg := &introspect.Config{DSN: d}
	s, err := intromysql.Introspect(ctx, icfg)
	if err != nil {
		t.Fatal(err)
	}
	a := withRoles(t, s, users)
	b := newBuilder(t, s)
	// Read while the workload's connections are open: the history that
	// attributes digests to users is joined with the live threads.
	if err := ReadMySQL(ctx, icfg, b); err != nil {
		t.Fatal(err)
	}
	u := b.Build()
	if len(u.Sources) != 1 || !u.Sources[0].Available {
		t.Fatalf("sources: %+v", u.Sources)
	}
	src := u.Sources[0]
	if src.Rejected != 0 {
		t.Errorf("%d digests rejected", src.Rejected)
	}
	if len(u.TableIO) == 0 {
		t.Errorf("no per-table I/O read")
	}
	au := attribute(t, s, a, u)
	var buf strings.Builder
	WriteText(&buf, au)
	t.Logf("usage from performance_schema:\n%s", buf.String())
	unattributed := au.Unattributed[src.Kind]
	if unattributed > 0 {
		// The history is a ring of the server's last statements; on a busy
		// shared server some may be gone. Never misattributed, though.
		t.Logf("%d digests unattributed (history overwritten by other clients)", unattributed)
	}
	for _, st := range u.Statements {
		for _, c := range au.Contexts(st.ID) {
			ok := slices.ContainsFunc(workload.Steps, func(w workload.Step) bool {
				return w.Context == c && sameTables(st, w.SQL)
			})
			if !ok {
				t.Errorf("digest %q attributed to %s, which does not run it", st.Text, c)
			}
		}
	}
	if unattributed == 0 {
		checkWorkload(t, s, a, u, false)
	}
}

// sameTables reports whether sql reads and writes the tables st does.
func sameTables(st schema.Statement, sql string) bool {
	r, err := sqlrefs.MySQL(sql)
	if err != nil {
		return false
	}
	names := func(ns []schema.TableName) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.Name)
		}
		return out
	}
	return slices.Equal(names(r.Reads), names(st.Reads)) && slices.Equal(names(r.Writes), names(st.Writes))
}
