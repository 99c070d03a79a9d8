//go:build integration

package postgres

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
)

// TestReadOnly: ReadOnly's function runs in a read-only REPEATABLE READ
// transaction with the timeouts and application_name set, learns the
// database, and its failures come back as one-line *Errors that start with
// the operation and the masked DSN.
func TestReadOnly(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, "CREATE TABLE t (id int)")
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db := strings.TrimPrefix(u.Path, "/")

	var got [6]string
	var sess Session
	err = ReadOnly(context.Background(), config(t, dsn), "usage", func(ctx context.Context, conn *pgx.Conn, s Session) error {
		sess = s
		return conn.QueryRow(ctx, `SELECT current_setting('transaction_read_only'), current_setting('transaction_isolation'),
  current_setting('statement_timeout'), current_setting('lock_timeout'), current_setting('application_name'), current_database()`).
			Scan(&got[0], &got[1], &got[2], &got[3], &got[4], &got[5])
	})
	if err != nil {
		t.Fatal(err)
	}
	want := [6]string{"on", "repeatable read", "1min", "5s", introspect.ApplicationName, db}
	if got != want || sess.Database != db {
		t.Errorf("settings %q, session %+v; want %q and database %s", got, sess, want, db)
	}

	for _, tt := range []struct {
		name string
		fn   func(ctx context.Context, conn *pgx.Conn, s Session) error
		want string
	}{
		{"write refused", func(ctx context.Context, conn *pgx.Conn, _ Session) error {
			_, err := conn.Exec(ctx, "INSERT INTO public.t VALUES (1)")
			return err
		}, "cannot execute INSERT in a read-only transaction (SQLSTATE 25006)"},
		{"own error", func(context.Context, *pgx.Conn, Session) error {
			return errors.New("two\nlines")
		}, "two lines"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ReadOnly(context.Background(), config(t, dsn), "usage", tt.fn)
			var e *Error
			prefix := "usage " + config(t, dsn).DSN.Masked() + ": "
			if !errors.As(err, &e) || err.Error() != prefix+tt.want {
				t.Errorf("err = %v, want %s%s", err, prefix, tt.want)
			}
		})
	}
	var n int
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM t").Scan(&n); err != nil || n != 0 {
		t.Errorf("rows in t: %d, %v; want 0", n, err)
	}

	if err := ReadOnly(context.Background(), config(t, "mysql://root@127.0.0.1:3306/x"), "usage", nil); !introspect.IsUsage(err) {
		t.Errorf("MySQL DSN: err = %v, want a usage error", err)
	}
}
