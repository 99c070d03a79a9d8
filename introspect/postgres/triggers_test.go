//go:build integration

package postgres

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/seamsdev/seams/internal/testdb"
)

// TestNoSQLTriggerFunctions pins down why analyseTriggers has no branch for
// LANGUAGE sql: PostgreSQL refuses a trigger function written in SQL, in
// either form of body ("SQL functions cannot return type trigger"), so the
// catalog never holds one. Should a version accept them, this fails, and
// their bodies are then to be analysed with sqlrefs.Postgres.
func TestNoSQLTriggerFunctions(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, "CREATE TABLE t (a int)")
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tests := []struct{ name, sql string }{
		{"quoted body", "CREATE FUNCTION f() RETURNS trigger LANGUAGE sql AS $$ INSERT INTO t VALUES (1) $$"},
		{"BEGIN ATOMIC body", "CREATE FUNCTION f() RETURNS trigger LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := conn.Exec(ctx, tc.sql)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "42P13" {
				t.Errorf("CREATE FUNCTION ... RETURNS trigger LANGUAGE sql: err = %v, want 42P13 (SQL functions cannot return type trigger)", err)
			}
		})
	}
}
