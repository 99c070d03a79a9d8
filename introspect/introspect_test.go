package introspect

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

func TestParseDSN(t *testing.T) {
	tests := []struct {
		in                   string
		dialect              schema.Dialect
		host, user, database string
		masked               string
	}{
		{"postgres://app:s3cret@db.example:5432/shop?sslmode=disable", schema.DialectPostgres, "db.example:5432", "app", "shop", "postgres://app:***@db.example:5432/shop?sslmode=disable"},
		{"postgresql://app@localhost/shop", schema.DialectPostgres, "localhost", "app", "shop", "postgresql://app@localhost/shop"},
		{"postgres:///shop?host=/var/run/postgresql", schema.DialectPostgres, "/var/run/postgresql", "", "shop", "postgres:///shop?host=/var/run/postgresql"},
		{"postgres://app@localhost/shop?password=hunter2", schema.DialectPostgres, "localhost", "app", "shop", "postgres://app@localhost/shop?password=***"},
		{"mysql://app:p%40ss@db:3306/shop", schema.DialectMySQL, "db:3306", "app", "shop", "mysql://app:***@db:3306/shop"},
		{"mysql://root@127.0.0.1/shop?tls=false", schema.DialectMySQL, "127.0.0.1:3306", "root", "shop", "mysql://root@127.0.0.1/shop?tls=false"},
		{"app:secret@tcp(db:3306)/shop", schema.DialectMySQL, "db:3306", "app", "shop", "app:***@tcp(db:3306)/shop"},
		{"root@tcp(127.0.0.1:3306)/shop?parseTime=true", schema.DialectMySQL, "127.0.0.1:3306", "root", "shop", "root@tcp(127.0.0.1:3306)/shop?parseTime=true"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := ParseDSN(tt.in)
			if err != nil {
				t.Fatalf("ParseDSN: %v", err)
			}
			if d.Dialect != tt.dialect || d.Host != tt.host || d.User != tt.user || d.Database != tt.database {
				t.Errorf("got family=%s host=%q user=%q db=%q, want %s %q %q %q", d.Dialect, d.Host, d.User, d.Database, tt.dialect, tt.host, tt.user, tt.database)
			}
			if got := d.Masked(); got != tt.masked {
				t.Errorf("Masked() = %q, want %q", got, tt.masked)
			}
			if got := d.String(); got != tt.masked {
				t.Errorf("String() = %q, want the masked form", got)
			}
		})
	}
}

func TestParseDSNErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", "no database given: pass --dsn or set SEAMS_DSN"},
		{"sqlserver://sa:Secret1@db:1433/shop", `unsupported DSN scheme "sqlserver://" (host db:1433): use postgres://, postgresql:// or mysql://`},
		{"postgres://app:secret@db:5432", "malformed PostgreSQL DSN postgres://app:***@db:5432: no database name (add /DBNAME after the host)"},
		{"mysql://app:secret@db:3306/", "malformed MySQL DSN mysql://app:***@db:3306/: no database name (add /DBNAME after the host)"},
		{"postgres://app:secret@db:99999999999/shop", "malformed PostgreSQL DSN postgres://app:***@db:99999999999/shop: port 99999999999 is not a number from 1 to 65535"},
		{"app:secret@tcp(db:3306/shop", "malformed MySQL DSN: invalid DSN: network address not terminated (missing closing brace)"},
		{"postgres://app:secret@127.0.0.1:5432/shop?sslmode=bogus", "malformed PostgreSQL DSN postgres://app:***@127.0.0.1:5432/shop?sslmode=bogus: failed to configure TLS (sslmode is invalid)"},
		{"shop", `malformed DSN: want postgres://user@host:5432/db, mysql://user@host:3306/db or user:pw@tcp(host:3306)/db`},
		{"host=db user=app password=secret dbname=shop", "malformed DSN: keyword=value strings are not supported: want postgres://"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := ParseDSN(tt.in)
			if err == nil {
				t.Fatal("ParseDSN succeeded, want an error")
			}
			if !IsUsage(err) {
				t.Errorf("error %v is not a usage error", err)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error = %q, want prefix %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "Secret1") {
				t.Errorf("error shows the password: %q", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	d, err := ParseDSN("postgres://app:pa%20ss@db/shop")
	if err != nil {
		t.Fatal(err)
	}
	got := d.Redact(`failed to connect to user=app password=pa ss database=shop`)
	if strings.Contains(got, "pa ss") {
		t.Errorf("Redact left the password in: %q", got)
	}
}

func TestExcluded(t *testing.T) {
	c := &Config{Exclude: []string{"tmp_*", "audit.*", "public.schema_migrations"}}
	if err := c.ValidatePatterns(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		schema, name string
		want         bool
	}{
		{"public", "tmp_orders", true},
		{"billing", "tmp_x", true},
		{"audit", "log", true},
		{"public", "schema_migrations", true},
		{"other", "schema_migrations", false},
		{"public", "orders", false},
	}
	for _, tt := range tests {
		if got := c.Excluded(schema.TableName{Schema: tt.schema, Name: tt.name}); got != tt.want {
			t.Errorf("Excluded(%s.%s) = %v, want %v", tt.schema, tt.name, got, tt.want)
		}
	}
	bad := &Config{Exclude: []string{"[a-"}}
	if err := bad.ValidatePatterns(); err == nil || !IsUsage(err) {
		t.Errorf("ValidatePatterns([a-) = %v, want a usage error", err)
	}
}
