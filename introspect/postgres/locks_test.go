//go:build integration

package postgres

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
)

// TestLockTimeout: a concurrent schema change holding an ACCESS EXCLUSIVE
// lock makes seams wait no longer than its lock timeout (bounded by the
// statement timeout) and fail with a clear message. While it waits, the
// server shows it as application_name seams, in its catalog query.
func TestLockTimeout(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, `CREATE TABLE busy (n int CHECK (n > 0));`)
	ctx := context.Background()
	locker, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer locker.Close(ctx)
	if _, err := locker.Exec(ctx, "BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	defer locker.Exec(ctx, "ROLLBACK")

	type seen struct {
		app     string
		inQuery bool
		err     error
	}
	watch := make(chan seen, 1)
	go func() {
		// Look, from another session, at the seams backend while it waits.
		c, err := pgx.Connect(ctx, dsn)
		if err != nil {
			watch <- seen{err: err}
			return
		}
		defer c.Close(ctx)
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			var s seen
			err := c.QueryRow(ctx, `SELECT application_name, query ILIKE '%pg_constraint%' FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&s.app, &s.inQuery)
			if err == nil {
				watch <- s
				return
			}
		}
		watch <- seen{}
	}()

	start := time.Now()
	_, err = Introspect(ctx, config(t, dsn, func(c *introspect.Config) { c.StatementTimeout = 500 * time.Millisecond }))
	waited := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), ": reading constraints: canceling statement due to lock timeout (a concurrent schema change holds a lock; try again when it is done)") {
		t.Errorf("err = %v", err)
	}
	t.Logf("waited %s", waited)
	if waited > 3*time.Second {
		t.Errorf("waited %s for the lock, want about the 500ms statement timeout", waited)
	}
	s := <-watch
	if s.err != nil || s.app != "seams" || !s.inQuery {
		t.Errorf("waiting backend: %+v, want application_name seams waiting in the constraints query", s)
	}
}
