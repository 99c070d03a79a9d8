//go:build integration

package postgres

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// run introspects dsn and fails the test on error.
func run(t testing.TB, dsn string, opts ...func(*introspect.Config)) *schema.Snapshot {
	t.Helper()
	snap, err := Introspect(context.Background(), config(t, dsn, opts...))
	if err != nil {
		t.Fatalf("Introspect: %v", err)
	}
	return snap
}

func (l *queryLog) record(name string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.names = append(l.names, name)
}

// asUser returns dsn with its user replaced.
func asUser(t testing.TB, dsn, user string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(user)
	return u.String()
}

// dbName returns the database name of dsn.
func dbName(t testing.TB, dsn string) string {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path[1:]
}

// role creates a cluster-wide role with a unique name and drops it (with
// what it owns in the test database) when the test ends. attrs are role
// attributes such as "LOGIN".
func role(t testing.TB, dsn, prefix, attrs string) string {
	t.Helper()
	name := testdb.Name(prefix)
	admin := testdb.PostgresAdminDSN()
	testdb.ExecPostgres(t, admin, "CREATE ROLE "+sqlident.PostgresMinimal(name)+" "+attrs)
	t.Cleanup(func() {
		// The test database is dropped by testdb's cleanup, which runs
		// after this one (cleanups run last in, first out): drop what the
		// role owns there first, then the role.
		testdb.ExecPostgres(t, dsn, "DROP OWNED BY "+sqlident.PostgresMinimal(name)+" CASCADE")
		testdb.ExecPostgres(t, admin, "DROP ROLE "+sqlident.PostgresMinimal(name))
	})
	return name
}

// table returns the table n of snap, failing the test if it is missing.
func table(t testing.TB, snap *schema.Snapshot, n schema.TableName) *schema.Table {
	t.Helper()
	for i := range snap.Tables {
		if snap.Tables[i].TableName() == n {
			return &snap.Tables[i]
		}
	}
	t.Fatalf("table %s missing; have %v", n, tableNames(snap))
	return nil
}

// view returns the view n of snap, failing the test if it is missing.
func view(t testing.TB, snap *schema.Snapshot, n schema.TableName) *schema.View {
	t.Helper()
	for i := range snap.Views {
		if snap.Views[i].TableName() == n {
			return &snap.Views[i]
		}
	}
	t.Fatalf("view %s missing", n)
	return nil
}

func tn(s, n string) schema.TableName { return schema.TableName{Schema: s, Name: n} }

// waitForStats waits, up to 20 s, until the statistics collector of a
// server before PostgreSQL 15 shows inserts into the table.
func waitForStats(t testing.TB, dsn, schemaName, table string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT coalesce((SELECT n_tup_ins FROM pg_stat_user_tables WHERE schemaname = $1 AND relname = $2), 0)", schemaName, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		if _, err := conn.Exec(ctx, "SELECT pg_stat_clear_snapshot()"); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("no statistics for %s.%s after 20 s", schemaName, table)
}
