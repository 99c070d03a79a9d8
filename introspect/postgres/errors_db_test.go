//go:build integration

package postgres

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/sqlident"
)

func TestConnectErrors(t *testing.T) {
	dsn := testdb.Postgres(t)
	db := dbName(t, dsn)
	nologin := role(t, dsn, "seams_nologin", "NOLOGIN")
	noconnect := role(t, dsn, "seams_noconnect", "LOGIN")
	testdb.ExecPostgres(t, testdb.PostgresAdminDSN(), "REVOKE CONNECT ON DATABASE "+sqlident.PostgresMinimal(db)+" FROM PUBLIC")

	host := testdb.PostgresHost()
	tests := []struct {
		name    string
		dsn     string
		opts    []func(*introspect.Config)
		want    string // the whole message
		prefix  string // or its start
		usage   bool
		contain string
	}{
		{
			name: "connection refused",
			dsn:  "postgres://app:" + secret + "@127.0.0.1:1/shop?sslmode=disable",
			want: "introspect postgres://app:***@127.0.0.1:1/shop?sslmode=disable: cannot reach 127.0.0.1:1: connection refused (is PostgreSQL running and listening there?)",
		},
		{
			name:    "no such host",
			dsn:     "postgres://app:" + secret + "@no-such-host.invalid:5432/shop?sslmode=disable",
			prefix:  "introspect postgres://app:***@no-such-host.invalid:5432/shop?sslmode=disable: cannot reach no-such-host.invalid:5432: ",
			contain: "no-such-host.invalid",
		},
		{
			name: "unknown database",
			dsn:  "postgres://postgres:" + secret + "@" + host + "/seams_no_such_db?sslmode=disable",
			want: "introspect postgres://postgres:***@" + host + `/seams_no_such_db?sslmode=disable: database "seams_no_such_db" does not exist`,
		},
		{
			name: "role may not log in",
			dsn:  "postgres://" + nologin + ":" + secret + "@" + host + "/" + db + "?sslmode=disable",
			want: "introspect postgres://" + nologin + ":***@" + host + "/" + db + "?sslmode=disable: role \"" + nologin + "\" is not permitted to log in (ALTER ROLE " + nologin + " LOGIN)",
		},
		{
			name: "no CONNECT privilege",
			dsn:  "postgres://" + noconnect + ":" + secret + "@" + host + "/" + db + "?sslmode=disable",
			want: "introspect postgres://" + noconnect + ":***@" + host + "/" + db + "?sslmode=disable: permission denied for database \"" + db + "\"" +
				": GRANT CONNECT ON DATABASE " + db + " TO " + noconnect,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := introspectErr(t, tt.dsn, tt.opts...)
			msg := err.Error()
			t.Log(msg)
			if tt.want != "" && msg != tt.want {
				t.Errorf("error\n got %s\nwant %s", msg, tt.want)
			}
			if tt.prefix != "" && !strings.HasPrefix(msg, tt.prefix) {
				t.Errorf("error\n got %s\nwant prefix %s", msg, tt.prefix)
			}
			if !strings.Contains(msg, tt.contain) {
				t.Errorf("error %s lacks %q", msg, tt.contain)
			}
			if introspect.IsUsage(err) != tt.usage {
				t.Errorf("IsUsage = %v, want %v", introspect.IsUsage(err), tt.usage)
			}
		})
	}
}
