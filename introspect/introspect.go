// Package introspect holds what the engine introspectors share: the parsed
// data source name, the options of a run, and table exclusion.
//
// The engines live in the sub-packages postgres and mysql; each reads a live
// catalog in one read-only transaction with a small, fixed number of queries
// into a schema.Snapshot.
package introspect

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/schema"
)

// Defaults for Config.
const (
	DefaultStatementTimeout = 60 * time.Second
	DefaultConnectTimeout   = 10 * time.Second
	// ApplicationName is what seams calls itself to the server
	// (application_name on PostgreSQL, program_name on MySQL).
	ApplicationName = "seams"
)

// Config is what one introspection run needs.
type Config struct {
	// DSN is the parsed data source name.
	DSN *DSN
	// Schemas limits a PostgreSQL run to these schemas; empty means every
	// non-system schema. Ignored on MySQL, where the DSN names the database.
	Schemas []string
	// Exclude holds table patterns (path.Match syntax) matched against the
	// table name and against schema.table; matching tables are left out.
	Exclude []string
	// StatementTimeout bounds each catalog query; ConnectTimeout bounds the
	// connection. Zero means the default.
	StatementTimeout time.Duration
	ConnectTimeout   time.Duration
	// RunTimeout bounds the whole run (DefaultRunTimeout when zero); each
	// wait for the server is bounded by ReplyTimeout.
	RunTimeout time.Duration
	// Progress, when set, is told about each step as it starts.
	Progress func(step string)
	// OnQuery, when set, is called once for every statement sent to the
	// server (benchmarks count catalog queries with it).
	OnQuery func(name string)
	// VerifyData checks every inferred reference of at least InferThreshold
	// (zero: infer.DefaultThreshold) against the data with one bounded
	// anti-join each, in the same read-only transaction and under the
	// statement timeout. Off by default: it reads table rows.
	VerifyData     bool
	InferThreshold float64
	// SeamsVersion is recorded in the snapshot's source.
	SeamsVersion string
	// Now returns the capture time; nil means time.Now.
	Now func() time.Time
}

// StatementTimeoutOrDefault returns the statement timeout to use.
func (c *Config) StatementTimeoutOrDefault() time.Duration {
	if c.StatementTimeout > 0 {
		return c.StatementTimeout
	}
	return DefaultStatementTimeout
}

// ConnectTimeoutOrDefault returns the connect timeout to use.
func (c *Config) ConnectTimeoutOrDefault() time.Duration {
	if c.ConnectTimeout > 0 {
		return c.ConnectTimeout
	}
	return DefaultConnectTimeout
}

// Step reports a progress step, if anyone listens.
func (c *Config) Step(step string) {
	if c.Progress != nil {
		c.Progress(step)
	}
}

// Query records that a statement is about to be sent.
func (c *Config) Query(name string) {
	if c.OnQuery != nil {
		c.OnQuery(name)
	}
}

// CapturedAt returns the capture time, in UTC, to the second.
func (c *Config) CapturedAt() time.Time {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	return now().UTC().Truncate(time.Second)
}

// Excluded reports whether a table matches one of the Exclude patterns.
func (c *Config) Excluded(n schema.TableName) bool {
	for _, p := range c.Exclude {
		if ok, _ := path.Match(p, n.Name); ok {
			return true
		}
		if ok, _ := path.Match(p, n.String()); ok {
			return true
		}
	}
	return false
}

// ValidatePatterns checks that every Exclude pattern is well formed.
func (c *Config) ValidatePatterns() error {
	for _, p := range c.Exclude {
		if _, err := path.Match(p, ""); err != nil {
			return &UsageError{Msg: fmt.Sprintf("--exclude %q: malformed pattern", p)}
		}
	}
	return nil
}

// UsageError is a mistake in what the user asked for (a malformed DSN, an
// unsupported scheme); the CLI exits with status 2 for it.
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// OneLine folds a message onto one line: every run of white space,
// newlines included, becomes one space, and the ends are trimmed. Error
// messages of the introspectors and of usage pass through it.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// IsUsage reports whether err is or wraps a UsageError.
func IsUsage(err error) bool {
	var u *UsageError
	return errors.As(err, &u)
}

// DSN is a parsed data source name.
type DSN struct {
	// Dialect is the SQL dialect of the server the DSN names (a MySQL DSN
	// may name MariaDB: the engine is known once connected).
	Dialect  schema.Dialect
	Host     string // host or host:port, or a socket path
	User     string
	Database string
	// raw is the DSN as given; url is it parsed, for the URL forms.
	raw string
	url *url.URL
	// secrets are the password and the values of secret parameters, as
	// given and decoded: what Redact removes.
	secrets []string
	// mysqlConfig is the parsed go-sql-driver configuration.
	mysqlConfig *mysql.Config
}
