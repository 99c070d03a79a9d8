//go:build integration

package postgres

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
)

// TestServerStopsAnswering points seams at a relay that passes the
// connection's handshake to the server and then forwards nothing: the
// client's deadlines, per reply and per run, must end the run with a
// message that says so, whatever the server-side timeouts.
func TestServerStopsAnswering(t *testing.T) {
	dsn := testdb.Postgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		set  func(*introspect.Config)
		want string
	}{
		{"no reply", func(c *introspect.Config) { c.StatementTimeout = time.Second },
			"the server stopped answering: no reply within 2s"},
		{"run deadline", func(c *introspect.Config) { c.StatementTimeout, c.RunTimeout = time.Hour, time.Second },
			"the run took longer than 1s (--timeout)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := *u
			r.Host = testdb.StallingRelay(t, u.Host, "BEGIN ISOLATION LEVEL")
			cfg := config(t, r.String(), tt.set)
			// The test's own bound: reaching it means seams hung.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, err := Introspect(ctx, cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "introspect postgres://") || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q, want one line naming the DSN", err)
			}
		})
	}
}
