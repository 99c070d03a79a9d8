//go:build integration

package mysql

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// TestReadOnly: ReadOnly's function runs in a read-only transaction with
// the statement timeout and program_name set and learns the server; its
// failures come back as one-line *Errors that start with the operation and
// the masked DSN, with no step of this package in them.
func TestReadOnly(t *testing.T) {
	dsn := testdb.MySQL(t)
	testdb.ExecMySQL(t, dsn, "CREATE TABLE t (id int)")
	db := dbName(t, dsn)
	cfg := config(t, dsn)

	var sess Session
	var timeout float64
	var program sql.NullString
	err := ReadOnly(context.Background(), cfg, "usage", func(ctx context.Context, conn *sql.Conn, s Session) error {
		sess = s
		q := "SELECT @@max_execution_time / 1000"
		if s.Engine == schema.MariaDB {
			q = "SELECT @@max_statement_time"
		}
		if err := conn.QueryRowContext(ctx, q).Scan(&timeout); err != nil {
			return err
		}
		if s.PerformanceSchema {
			return conn.QueryRowContext(ctx, `SELECT ATTR_VALUE FROM performance_schema.session_connect_attrs
 WHERE PROCESSLIST_ID = CONNECTION_ID() AND ATTR_NAME = 'program_name'`).Scan(&program)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if timeout != introspect.DefaultStatementTimeout.Seconds() {
		t.Errorf("statement timeout %vs, want %v", timeout, introspect.DefaultStatementTimeout)
	}
	if sess.Database != db || sess.Version == "" || !strings.Contains(sess.User, "@") ||
		(sess.Engine == schema.MariaDB) != strings.Contains(strings.ToLower(sess.Version), "mariadb") {
		t.Errorf("session %+v, want database %s and the engine of the version", sess, db)
	}
	if sess.PerformanceSchema && program.String != introspect.ApplicationName {
		t.Errorf("program_name %q, want %s", program.String, introspect.ApplicationName)
	}

	prefix := "usage " + cfg.DSN.Masked() + ": "
	for _, tt := range []struct {
		name string
		fn   func(ctx context.Context, conn *sql.Conn, s Session) error
		want func(msg string) bool
	}{
		{"write refused", func(ctx context.Context, conn *sql.Conn, _ Session) error {
			_, err := conn.ExecContext(ctx, "INSERT INTO t VALUES (1)")
			return err
		}, func(msg string) bool {
			return strings.HasPrefix(msg, "Error 1792") && strings.Contains(msg, "READ ONLY transaction")
		}},
		{"own error", func(context.Context, *sql.Conn, Session) error {
			return errors.New("two\nlines")
		}, func(msg string) bool { return msg == "two lines" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadOnly(context.Background(), cfg, "usage", tt.fn)
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), prefix) || !tt.want(strings.TrimPrefix(err.Error(), prefix)) {
				t.Errorf("err = %v", err)
			}
		})
	}
	var n int
	conn, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.QueryRow("SELECT COUNT(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Errorf("rows in t: %d, %v; want 0", n, err)
	}

	if err := ReadOnly(context.Background(), config(t, "postgres://postgres@127.0.0.1:5432/x"), "usage", nil); !introspect.IsUsage(err) {
		t.Errorf("PostgreSQL DSN: err = %v, want a usage error", err)
	}
}
