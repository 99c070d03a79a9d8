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
	// BEGIN ATOMIC bodies came with PostgreSQL 14: before, a syntax error.
	atomic := "42P13"
	if testdb.PostgresVersionNum(t) < 140000 {
		atomic = "42601"
	}
	tests := []struct{ name, sql, code string }{
		{"quoted body", "CREATE FUNCTION f() RETURNS trigger LANGUAGE sql AS $$ INSERT INTO t VALUES (1) $$", "42P13"},
		{"BEGIN ATOMIC body", "CREATE FUNCTION f() RETURNS trigger LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END", atomic},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := conn.Exec(ctx, tc.sql)
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != tc.code {
				t.Errorf("CREATE FUNCTION ... RETURNS trigger LANGUAGE sql: err = %v, want %s (42P13: SQL functions cannot return type trigger)", err, tc.code)
			}
		})
	}
}
