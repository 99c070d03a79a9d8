package postgres

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/seamsdev/seams/introspect"
)

const secret = "s3cret-pw"

// introspectErr runs Introspect on dsn and returns its error, failing the
// test when there is none or when it leaks the password or spans lines.
func introspectErr(t *testing.T, dsn string, opts ...func(*introspect.Config)) error {
	t.Helper()
	_, err := Introspect(context.Background(), config(t, dsn, opts...))
	if err == nil {
		t.Fatal("Introspect succeeded, want an error")
	}
	if msg := err.Error(); strings.Contains(msg, secret) || strings.Contains(msg, "\n") {
		t.Errorf("error leaks the password or spans lines: %q", msg)
	}
	return err
}

// TestConnectTimeout points seams at a server that accepts the connection
// and never answers.
func TestConnectTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	addr := ln.Addr().String()
	err = introspectErr(t, "postgres://app:"+secret+"@"+addr+"/shop?sslmode=disable", func(c *introspect.Config) {
		c.ConnectTimeout = 200 * time.Millisecond
	})
	want := "introspect postgres://app:***@" + addr + "/shop?sslmode=disable: cannot reach " + addr + ": no answer within 200ms (connect timeout)"
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
}

// TestWrongPassword: the local server trusts every connection from
// 127.0.0.1 (pg_hba trust), so it never asks for a password. This test
// stands up a listener that speaks the PostgreSQL protocol, asks for a
// clear-text password and answers as a real server does to a wrong one
// (FATAL 28P01), to check what the user sees end to end through pgx.
func TestWrongPassword(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	gotPassword := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		be := pgproto3.NewBackend(c, c)
		if _, err := be.ReceiveStartupMessage(); err != nil {
			return
		}
		be.Send(&pgproto3.AuthenticationCleartextPassword{})
		if err := be.Flush(); err != nil {
			return
		}
		if err := be.SetAuthType(pgproto3.AuthTypeCleartextPassword); err != nil {
			return
		}
		msg, err := be.Receive()
		if err != nil {
			return
		}
		if pw, ok := msg.(*pgproto3.PasswordMessage); ok {
			gotPassword <- pw.Password
		}
		be.Send(&pgproto3.ErrorResponse{Severity: "FATAL", Code: "28P01", Message: `password authentication failed for user "app"`})
		_ = be.Flush()
	}()
	addr := ln.Addr().String()
	err = introspectErr(t, "postgres://app:"+secret+"@"+addr+"/shop?sslmode=disable")
	want := "introspect postgres://app:***@" + addr + `/shop?sslmode=disable: password authentication failed for user "app"`
	if err.Error() != want {
		t.Errorf("error\n got %s\nwant %s", err, want)
	}
	select {
	case pw := <-gotPassword:
		if pw != secret {
			t.Errorf("server got password %q", pw)
		}
	default:
		t.Error("the stand-in server was never sent a password")
	}
}

// TestReason checks the wording for every server error seams explains,
// including those the local server cannot be made to send.
func TestReason(t *testing.T) {
	tests := []struct {
		code, msg string
		want      string
	}{
		{"28P01", `password authentication failed for user "app"`, `password authentication failed for user "app"`},
		{"28000", `role "app" is not permitted to log in`, `role "app" is not permitted to log in (ALTER ROLE app LOGIN)`},
		{"28000", `no pg_hba.conf entry for host "10.0.0.1", user "app", database "shop", no encryption`, `no pg_hba.conf entry for host "10.0.0.1", user "app", database "shop", no encryption`},
		{"3D000", `database "shop" does not exist`, `database "shop" does not exist`},
		{"42501", `permission denied for database shop`, `permission denied for database shop: GRANT CONNECT ON DATABASE shop TO app`},
		{"42501", `permission denied for schema Sales`, `permission denied for schema Sales: GRANT USAGE ON SCHEMA "Sales" TO app`},
		{"42501", `permission denied for view pg_stat_user_tables`, `permission denied for view pg_stat_user_tables: GRANT SELECT ON pg_catalog.pg_stat_user_tables TO app`},
		{"42501", `permission denied for table pg_proc`, `permission denied for table pg_proc: GRANT SELECT ON pg_catalog.pg_proc TO app`},
		{"42501", `permission denied for function pg_total_relation_size`, `permission denied for function pg_total_relation_size: GRANT EXECUTE ON FUNCTION pg_catalog.pg_total_relation_size TO app`},
		{"42501", `must be superuser`, `must be superuser (insufficient privilege)`},
		{"57014", `canceling statement due to statement timeout`, `canceling statement due to statement timeout (raise --statement-timeout)`},
		{"55P03", `canceling statement due to lock timeout`, `canceling statement due to lock timeout (a concurrent schema change holds a lock; try again when it is done)`},
		{"53300", `sorry, too many clients already`, `sorry, too many clients already (SQLSTATE 53300)`},
	}
	for _, tt := range tests {
		t.Run(tt.code+" "+tt.msg, func(t *testing.T) {
			got := reason(&pgconn.PgError{Code: tt.code, Message: tt.msg}, "app", "shop")
			if got != tt.want {
				t.Errorf("\n got %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestConfigErrors: mistakes in what was asked for are usage errors and
// reach no server.
func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  func() *introspect.Config
		want string
	}{
		{"no config", func() *introspect.Config { return nil }, "introspect: no database given"},
		{"MySQL DSN", func() *introspect.Config {
			return config(t, "mysql://app:"+secret+"@127.0.0.1:3306/shop")
		}, "introspect mysql://app:***@127.0.0.1:3306/shop: not a PostgreSQL DSN"},
		{"bad pattern", func() *introspect.Config {
			return config(t, "postgres://app@127.0.0.1:1/shop", func(c *introspect.Config) { c.Exclude = []string{"ok_*", "[bad"} })
		}, `--exclude "[bad": malformed pattern`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Introspect(context.Background(), tt.cfg())
			if err == nil || err.Error() != tt.want || !introspect.IsUsage(err) {
				t.Errorf("err = %v, want usage error %q", err, tt.want)
			}
		})
	}
}
