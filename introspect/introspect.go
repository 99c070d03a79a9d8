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
	"net"
	"net/url"
	"path"
	"strconv"
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
	// Progress, when set, is told about each step as it starts.
	Progress func(step string)
	// OnQuery, when set, is called once for every statement sent to the
	// server (benchmarks count catalog queries with it).
	OnQuery func(name string)
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
	// raw is the DSN as given; password is its password, if any.
	raw      string
	password string
	// mysqlConfig is the parsed go-sql-driver configuration.
	mysqlConfig *mysql.Config
}

// ParseDSN parses a data source name:
//
//	postgres://user:pw@host:5432/db?sslmode=disable  (also postgresql://)
//	mysql://user:pw@host:3306/db?tls=true
//	user:pw@tcp(host:3306)/db                        (go-sql-driver form)
//
// Errors are UsageErrors and never contain the password.
func ParseDSN(s string) (*DSN, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, &UsageError{Msg: "no database given: pass --dsn or set SEAMS_DSN (e.g. postgres://user@localhost:5432/shop)"}
	}
	if i := strings.Index(s, "://"); i > 0 && !strings.ContainsAny(s[:i], "@/(") {
		scheme := strings.ToLower(s[:i])
		switch scheme {
		case "postgres", "postgresql":
			return parsePostgresURL(s)
		case "mysql", "mariadb":
			return parseMySQLURL(s)
		default:
			return nil, &UsageError{Msg: fmt.Sprintf("unsupported DSN scheme %q in %s: use postgres://, postgresql:// or mysql://", scheme+"://", maskURLString(s))}
		}
	}
	if strings.Contains(s, "@") || strings.Contains(s, "(") || strings.HasPrefix(s, "/") {
		cfg, err := mysql.ParseDSN(s)
		if err != nil {
			return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN %s: %v", maskNative(s), scrub(err.Error(), s))}
		}
		return fromMySQLConfig(s, cfg), nil
	}
	// The input is not echoed: it is neither form seams can mask (a libpq
	// "host=... password=..." string, say), so it may hold a password.
	return nil, &UsageError{Msg: "malformed DSN: want postgres://user@host:5432/db, mysql://user@host:3306/db or user:pw@tcp(host:3306)/db"}
}

func parsePostgresURL(s string) (*DSN, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("malformed PostgreSQL DSN %s: %v", maskURLString(s), scrubURLErr(err))}
	}
	d := &DSN{Dialect: schema.DialectPostgres, raw: s, Host: u.Host, Database: strings.TrimPrefix(u.Path, "/")}
	if u.User != nil {
		d.User = u.User.Username()
		d.password, _ = u.User.Password()
	}
	if port := u.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return nil, &UsageError{Msg: fmt.Sprintf("malformed PostgreSQL DSN %s: port %s is not a number from 1 to 65535", d.Masked(), port)}
		}
	}
	if d.Host == "" {
		d.Host = u.Query().Get("host")
	}
	if d.Database == "" {
		d.Database = u.Query().Get("dbname")
	}
	if d.Database == "" {
		return nil, &UsageError{Msg: fmt.Sprintf("malformed PostgreSQL DSN %s: no database name (add /DBNAME after the host)", d.Masked())}
	}
	return d, nil
}

func parseMySQLURL(s string) (*DSN, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN %s: %v", maskURLString(s), scrubURLErr(err))}
	}
	cfg := mysql.NewConfig()
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.Net = "tcp"
	host := u.Host
	if host == "" {
		host = "localhost"
	}
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(strings.Trim(host, "[]"), "3306")
	}
	cfg.Addr = host
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	if cfg.DBName == "" {
		return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN %s: no database name (add /DBNAME after the host)", maskURLString(s))}
	}
	// Pass the remaining query parameters through the driver's own parser,
	// so that tls=, charset= and the like mean what they mean there.
	if q := u.RawQuery; q != "" {
		parsed, err := mysql.ParseDSN("/?" + q)
		if err != nil {
			return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN %s: %v", maskURLString(s), err)}
		}
		parsed.User, parsed.Passwd, parsed.Net, parsed.Addr, parsed.DBName = cfg.User, cfg.Passwd, cfg.Net, cfg.Addr, cfg.DBName
		cfg = parsed
	}
	d := fromMySQLConfig(s, cfg)
	return d, nil
}

func fromMySQLConfig(raw string, cfg *mysql.Config) *DSN {
	return &DSN{
		Dialect:     schema.DialectMySQL,
		Host:        cfg.Addr,
		User:        cfg.User,
		Database:    cfg.DBName,
		raw:         raw,
		password:    cfg.Passwd,
		mysqlConfig: cfg,
	}
}

// String returns the masked DSN, so that a DSN printed by accident never
// shows its password.
func (d *DSN) String() string { return d.Masked() }

// Masked returns the DSN with its password replaced by ***.
func (d *DSN) Masked() string {
	if d.Dialect == schema.DialectMySQL && !strings.Contains(d.raw, "://") {
		return maskNative(d.raw)
	}
	return maskURLString(d.raw)
}

// Redact removes the DSN's password from a message (driver errors sometimes
// quote the connection string).
func (d *DSN) Redact(msg string) string {
	if d.password == "" {
		return msg
	}
	msg = strings.ReplaceAll(msg, d.password, "***")
	if esc := url.QueryEscape(d.password); esc != d.password {
		msg = strings.ReplaceAll(msg, esc, "***")
	}
	return msg
}

// URL returns the DSN as given, password included, for the driver only.
func (d *DSN) URL() string { return d.raw }

// MySQLConfig returns a copy of the go-sql-driver configuration of a MySQL DSN.
func (d *DSN) MySQLConfig() *mysql.Config {
	if d.mysqlConfig == nil {
		return nil
	}
	return d.mysqlConfig.Clone()
}

func maskURLString(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		// Mask by hand: scheme://user:PASSWORD@...
		i := strings.Index(s, "://")
		at := strings.LastIndex(s, "@")
		if i < 0 || at < i {
			return s
		}
		cred := s[i+3 : at]
		if c := strings.Index(cred, ":"); c >= 0 {
			return s[:i+3] + cred[:c] + ":***" + s[at:]
		}
		return s
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
			return strings.Replace(u.String(), ":xxxxx@", ":***@", 1)
		}
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
		return strings.Replace(u.String(), "password=xxxxx", "password=***", 1)
	}
	return u.String()
}

// maskNative masks the password of a go-sql-driver DSN: user:pw@tcp(...)/db.
func maskNative(s string) string {
	at := strings.LastIndex(s, "@")
	if at < 0 {
		return s
	}
	cred := s[:at]
	if c := strings.Index(cred, ":"); c >= 0 {
		return cred[:c] + ":***" + s[at:]
	}
	return s
}

// scrub removes anything of the raw DSN's credentials from a parser message.
func scrub(msg, raw string) string {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return msg
	}
	cred := raw[:at]
	if c := strings.Index(cred, ":"); c >= 0 && c+1 < len(cred) {
		msg = strings.ReplaceAll(msg, cred[c+1:], "***")
	}
	return msg
}

func scrubURLErr(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}
