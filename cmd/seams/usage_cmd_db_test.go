//go:build integration

package main

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/testdb"
)

// TestUsageCommandNoExtension: on a live database without
// pg_stat_statements the command warns how to enable it and still reports
// the code scan.
func TestUsageCommandNoExtension(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL)
	code, stdout, stderr := seams(t, "usage", "--dsn", dsn, "--contexts", mcContexts, "--code-root", mcApp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "seams: warning: pg_stat_statements unavailable: pg_stat_statements is") || !strings.Contains(stderr, "CREATE EXTENSION pg_stat_statements") ||
		!strings.Contains(stdout, "pg_stat_statements postgres://") || !strings.Contains(stdout, "UNAVAILABLE") ||
		!strings.Contains(stdout, "finance         public.customer ") {
		t.Errorf("stderr %q\nstdout %s", stderr, stdout)
	}
}
