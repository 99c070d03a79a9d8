//go:build integration

package mysql

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
)

// TestServerStopsAnswering points seams at a relay that passes the
// connection's handshake to the server and then forwards nothing: the
// client's deadlines, per reply and per run, must end the run with a
// message that says so, whatever the server-side timeouts.
func TestServerStopsAnswering(t *testing.T) {
	dsn := testdb.MySQL(t)
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
			c, err := mysql.ParseDSN(dsn)
			if err != nil {
				t.Fatal(err)
			}
			c.Addr = testdb.StallingRelay(t, c.Addr, "SELECT VERSION()")
			c.TLSConfig = "false"
			cfg := config(t, c.FormatDSN())
			tt.set(cfg)
			// The test's own bound: reaching it means seams hung.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_, err = Introspect(ctx, cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to say %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "introspect ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("err = %q, want one line naming the DSN", err)
			}
		})
	}
}

// TestStatementTimeoutUnderAMicrosecond: MariaDB counts max_statement_time
// in microseconds and MySQL max_execution_time in milliseconds, where 0
// means no limit: a shorter timeout must round up, not switch it off.
func TestStatementTimeoutUnderAMicrosecond(t *testing.T) {
	dsn, _ := catalogDBs(t)
	cfg := config(t, dsn)
	cfg.StatementTimeout = 400 * time.Nanosecond
	_, err := Introspect(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "longer than the statement timeout of 400ns") {
		t.Errorf("err = %v, want the statement timeout named", err)
	}
}

// TestDriverDoesNotLog: the driver's own log lines ("[mysql] packets.go:58
// unexpected EOF") must not reach stderr when the server goes away; the
// error seams returns says what happened. The driver logs to the stderr
// of the process, so the test runs itself as a child process.
func TestDriverDoesNotLog(t *testing.T) {
	if addr := os.Getenv("SEAMS_TEST_CUT_DSN"); addr != "" {
		_, err := Introspect(context.Background(), config(t, addr))
		fmt.Println(err)
		return
	}
	c, err := mysql.ParseDSN(testdb.MySQL(t))
	if err != nil {
		t.Fatal(err)
	}
	c.Addr = testdb.CuttingRelay(t, c.Addr, "SELECT VERSION()")
	c.TLSConfig = "false"
	cmd := exec.Command(os.Args[0], "-test.run=^TestDriverDoesNotLog$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SEAMS_TEST_CUT_DSN="+c.FormatDSN())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	if !strings.Contains(stdout.String(), "server version: the connection to the server broke") {
		t.Errorf("the child said %q, want that the connection broke", stdout.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr: %q, want nothing", stderr.String())
	}
}
