//go:build integration

package plan_test

import (
	"context"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/introspect/mysql"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
)

// introspectDSN reads the snapshot of a live database.
func introspectDSN(t testing.TB, engine, dsn string) *schema.Snapshot {
	t.Helper()
	if engine == "mysql" {
		dsn = testdb.MySQLURL(dsn)
	}
	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("ParseDSN: %v", err)
	}
	cfg := &introspect.Config{DSN: d, SeamsVersion: "test", Now: func() time.Time { return fixedNow }}
	var s *schema.Snapshot
	if engine == "mysql" {
		s, err = mysql.Introspect(context.Background(), cfg)
	} else {
		s, err = postgres.Introspect(context.Background(), cfg)
	}
	if err != nil {
		t.Fatalf("introspect %s: %v", engine, err)
	}
	return s
}

// loadMusicCorp loads the MusicCorp fixture into a fresh database of the
// engine ("postgres" or "mysql") and returns its DSN and snapshot.
func loadMusicCorp(t testing.TB, engine string) (string, *schema.Snapshot) {
	t.Helper()
	var dsn string
	if engine == "mysql" {
		dsn = testdb.MySQL(t)
		testdb.ExecMySQL(t, dsn, musiccorp.MySQLSQL)
	} else {
		dsn = testdb.Postgres(t)
		testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL)
	}
	return dsn, introspectDSN(t, engine, dsn)
}
