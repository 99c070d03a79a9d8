package introspect

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/schema"
)

// TestDSNNeverShowsPassword checks the DSNs of a hostile review: a
// password with an unescaped # ? / @ or %, a user name with them, a
// password in the query, the go-sql-driver form, a keyword=value string.
// No part of the password (S3cr, Tpw9) may show in an error, in the masked
// DSN or in the parts stored in a snapshot.
func TestDSNNeverShowsPassword(t *testing.T) {
	tests := []struct {
		dsn string
		// ok is whether the DSN parses; masked is its masked form then.
		ok     bool
		masked string
	}{
		{"postgres://app:S3cr#Tpw9@127.0.0.1:1/shop", false, ""},
		{"postgres://app:S3cr?Tpw9@127.0.0.1/shop", false, ""},
		{"postgres://app:S3cr/Tpw9@127.0.0.1/shop", false, ""},
		{"postgres://app:5432/Tpw9@127.0.0.1/shop", false, ""},
		{"postgres://a?p:S3crTpw9@127.0.0.1/shop", false, ""},
		{"postgres://a#p:S3crTpw9@127.0.0.1/shop", false, ""},
		{"postgres://a/p:S3crTpw9@127.0.0.1/shop", false, ""},
		{"postgres://app:S3cr%Tpw9@127.0.0.1/shop", false, ""},
		{"postgres://app:S3cr@Tpw9@127.0.0.1/shop", false, ""},
		{"postgres://app:S3cr@Tpw9@127.0.0.1/shop?x", false, ""},
		{"postgres://app:S3cr%40Tpw9@127.0.0.1/shop", true, "postgres://app:***@127.0.0.1/shop"},
		{"postgres://app:S3cr%23Tpw9@127.0.0.1/shop", true, "postgres://app:***@127.0.0.1/shop"},
		{"postgres://app@127.0.0.1/shop?password=S3crTpw9", true, "postgres://app@127.0.0.1/shop?password=***"},
		{"postgres://app@127.0.0.1/shop?password=S3cr%Tpw9", false, ""},
		{"postgres://app@127.0.0.1/shop?sslmode=disable&sslpassword=S3cr%2FTpw9", true, "postgres://app@127.0.0.1/shop?sslmode=disable&sslpassword=***"},
		{"postgres://app@127.0.0.1/shop?PASSWORD=S3crTpw9", true, "postgres://app@127.0.0.1/shop?PASSWORD=***"},
		{"postgres://app@127.0.0.1/shop?password=S3cr&Tpw9", false, ""},
		{"postgres://app@127.0.0.1/shop?password=S3cr&host=Tpw9", false, ""},
		{"postgres://app@127.0.0.1/shop?password=S3cr#Tpw9", false, ""},
		{"postgres://app@127.0.0.1/shop?password=S3cr%26Tpw9", true, "postgres://app@127.0.0.1/shop?password=***"},
		{"mysql://app:S3cr#Tpw9@127.0.0.1/shop", false, ""},
		{"mysql://app:S3cr%40Tpw9@127.0.0.1/shop?tls=false", true, "mysql://app:***@127.0.0.1/shop?tls=false"},
		{"mysql://app:S3crTpw9@127.0.0.1/shop?sql_mode=x", false, ""},
		{"oracle://app:S3cr#Tpw9@db/orcl", false, ""},
		{"app:S3cr/Tpw9@tcp(127.0.0.1:3306)", false, ""},
		{"app:S3cr/Tpw9@tcp(127.0.0.1:3306)/shop", true, "app:***@tcp(127.0.0.1:3306)/shop"},
		{"app:S3cr(Tpw9@tcp(127.0.0.1:3306)/shop", true, "app:***@tcp(127.0.0.1:3306)/shop"},
		{"app:S3cr@Tpw9@tcp(127.0.0.1:3306)/shop?parseTime=true", true, "app:***@tcp(127.0.0.1:3306)/shop?parseTime=true"},
		{"app:S3crTpw9@tcp(127.0.0.1:3306)/shop?autocommit=0", false, ""},
		{"app:S3crTpw9@tcp(127.0.0.1:3306/shop", false, ""},
		{"app:S3crTpw9@/shop?password=S3crTpw9", false, ""},
		{"host=db user=app password=S3cr@Tpw9 dbname=shop", false, ""},
		{"user=app password='S3cr(Tpw9' host=db", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.dsn, func(t *testing.T) {
			d, err := ParseDSN(tt.dsn)
			if err != nil {
				shown(t, "error", err.Error(), "S3cr", "Tpw9")
				if !IsUsage(err) {
					t.Errorf("error %v is not a usage error", err)
				}
				if tt.ok {
					t.Fatalf("ParseDSN: %v", err)
				}
				return
			}
			if !tt.ok {
				t.Fatalf("ParseDSN accepted it as %s", d.Masked())
			}
			if got := d.Masked(); got != tt.masked {
				t.Errorf("Masked() = %q, want %q", got, tt.masked)
			}
			exposed(t, d, "S3cr", "Tpw9")
		})
	}
}

// shown fails the test when s holds one of the markers.
func shown(t *testing.T, what, s string, markers ...string) {
	t.Helper()
	for _, m := range markers {
		if strings.Contains(s, m) {
			t.Errorf("%s shows the password (%s): %q", what, m, s)
		}
	}
}

// exposed checks everything a parsed DSN shows or stores.
func exposed(t *testing.T, d *DSN, markers ...string) {
	t.Helper()
	shown(t, "Masked()", d.Masked(), markers...)
	shown(t, "fmt", fmt.Sprintf("%v %+v %#v %s", d, d, d, d), markers...)
	// The snapshot stores the host (source.host), the usage source the
	// masked DSN (location).
	shown(t, "Host", d.Host, markers...)
	shown(t, "User", d.User, markers...)
	shown(t, "Database", d.Database, markers...)
	// The drivers' own messages pass through Reason.
	switch d.Dialect {
	case schema.DialectPostgres:
		if _, err := pgx.ParseConfig(d.URL()); err != nil {
			shown(t, "pgx error", d.Reason(err), markers...)
		}
	case schema.DialectMySQL:
		if _, err := mysql.NewConnector(d.MySQLConfig()); err != nil {
			shown(t, "driver error", d.Reason(err), markers...)
		}
	}
}

// Markers make up the fuzzed password around fuzzed text; a leak of any
// piece of it shows one.
const (
	marker1 = "Qx7mLp"
	marker2 = "Wz4kVr"
)

// FuzzDSNNeverShowsPassword builds DSNs of every form around a password
// made of fuzzed text and two markers, and checks that no marker appears in
// ParseDSN's error, the masked DSN, the parts a snapshot stores, or a
// driver message passed through Redact.
func FuzzDSNNeverShowsPassword(f *testing.F) {
	for form := range byte(8) {
		f.Add(form, "app", "", "", "", "db.example:5432", "shop", "sslmode=disable")
	}
	f.Add(byte(0), "app", "S3cr", "#", "?/", "127.0.0.1:1", "shop", "")
	f.Add(byte(0), "a?p", "", "/", "@", "h", "db", "")
	f.Add(byte(2), "app", "%", "%t", "", "h", "db", "x=1")
	f.Add(byte(4), "app", "(", ")@tcp(", "/", "h:3306", "db", "tls=false")
	f.Add(byte(5), "app", "@", "'", " ", "h", "db", "")
	f.Fuzz(func(t *testing.T, form byte, user, a, b, c, host, db, extra string) {
		for _, part := range []string{user, host, db, extra} {
			if strings.Contains(part, marker1) || strings.Contains(part, marker2) {
				t.Skip("a marker outside the password")
			}
		}
		pw := a + marker1 + b + marker2 + c
		var dsn string
		switch form % 8 {
		case 0:
			dsn = "postgres://" + user + ":" + pw + "@" + host + "/" + db + "?" + extra
		case 1:
			dsn = "postgres://" + url.UserPassword(user, pw).String() + "@" + host + "/" + db + "?" + extra
		case 2:
			dsn = "postgres://" + user + "@" + host + "/" + db + "?password=" + pw + "&" + extra
		case 3:
			dsn = "postgresql://" + user + "@" + host + "/" + db + "?" + extra + "&password=" + url.QueryEscape(pw)
		case 4:
			dsn = user + ":" + pw + "@tcp(" + host + ")/" + db + "?" + extra
		case 5:
			dsn = "host=" + host + " user=" + user + " password=" + pw + " dbname=" + db
		case 6:
			dsn = "mysql://" + user + ":" + pw + "@" + host + "/" + db + "?" + extra
		case 7:
			dsn = "mysql://" + url.UserPassword(user, pw).String() + "@" + host + "/" + db + "?" + extra
		}
		d, err := ParseDSN(dsn)
		if err != nil {
			shown(t, "error", err.Error(), marker1, marker2)
			return
		}
		exposed(t, d, marker1, marker2)
	})
}
