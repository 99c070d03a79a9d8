// Package mysql reads a MySQL 8 or MariaDB 10.6+ database catalog into a
// schema.Snapshot.
//
// It uses one connection and one read-only transaction with a consistent
// snapshot and a statement timeout, and sends a small, fixed number of
// batched information_schema queries whatever the number of tables: it never
// queries per table and creates nothing in the database.
//
// A user with SELECT on the database reads tables, columns, keys, indexes,
// checks and foreign keys. The other parts need more, and the snapshot's
// Unreadable list says which grant is missing:
//
//	view definitions (and so what views read)  GRANT SHOW VIEW ON db.* TO u
//	triggers and their bodies                  GRANT TRIGGER ON db.* TO u
//	activity counters, performance_schema      GRANT SELECT ON performance_schema.table_io_waits_summary_by_table TO u
//	                                           GRANT SELECT ON performance_schema.setup_instruments TO u
//	                                           GRANT SELECT ON performance_schema.setup_consumers TO u
//	                                           (with performance_schema=ON)
//	activity counters, MariaDB                 userstat=ON (TABLE_STATISTICS)
//
// performance_schema's counters of a table start when the server first
// opens it after startup (creating a table opens it). A table it holds a
// row for gets its counts, zeros included (watched, no I/O seen); a table
// it holds no row for gets none (nil: not watched, activity unknown). When
// the table I/O instrument or the global_instrumentation consumer is off,
// the counts are not kept, so none are recorded and the reason says which
// setting to turn on. Threads that setup_actors leaves out are not counted.
package mysql

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// Introspect reads the database named by cfg.DSN (a MySQL-family DSN) into a
// snapshot. Errors are one line, name the DSN with its password masked, and
// say what to do where that is known (the missing grant, the wrong password).
func Introspect(ctx context.Context, cfg *introspect.Config) (*schema.Snapshot, error) {
	if cfg == nil || cfg.DSN == nil || cfg.DSN.MySQLConfig() == nil {
		return nil, &introspect.UsageError{Msg: "introspect mysql: no MySQL DSN given"}
	}
	if err := cfg.ValidatePatterns(); err != nil {
		return nil, err
	}
	var snap *schema.Snapshot
	err := readOnly(ctx, cfg, "introspect", func(ctx context.Context, r *reader) error {
		var err error
		snap, err = r.read(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return snap, nil
}

// reader holds the state of one run.
type reader struct {
	cfg  *introspect.Config
	op   string // the operation, for error messages: "introspect", "read rows"
	conn *sql.Conn
	db   string // the database, as the server spells it once known
	// run is the run's context, bounded by its deadline; guard bounds
	// each wait for the server.
	run   context.Context
	guard *introspect.ReplyGuard

	server server
	snap   *schema.Snapshot
	// tables and views index the snapshot's slices by name.
	tables map[string]int
	views  map[string]int
	// step is what the run was doing, for error messages.
	step string
}

// server is what the first query learns about the server.
type server struct {
	version     string
	engine      schema.Engine
	major       int
	minor       int
	patch       int
	perfSchema  bool
	currentUser string // user@host as the server authenticated it
}

// atLeast reports whether the server's version is at least major.minor.patch.
func (s server) atLeast(major, minor, patch int) bool {
	if s.major != major {
		return s.major > major
	}
	if s.minor != minor {
		return s.minor > minor
	}
	return s.patch >= patch
}

// Session is what ReadOnly hands its function besides the connection:
// what the first query learned about the server.
type Session struct {
	// Engine is schema.MySQL or schema.MariaDB; Version is VERSION().
	Engine  schema.Engine
	Version string
	// Database is the database connected to, as the server spells it.
	Database string
	// User is CURRENT_USER(): user@host as the server authenticated it.
	User string
	// PerformanceSchema reports whether performance_schema is ON.
	PerformanceSchema bool
}

// Grantee is User as GRANT statements spell an account: 'user'@'host'.
func (s Session) Grantee() string {
	user, host := s.User, ""
	if i := strings.LastIndex(user, "@"); i >= 0 {
		user, host = user[:i], user[i+1:]
	}
	esc := strings.NewReplacer("'", "''")
	return "'" + esc.Replace(user) + "'@'" + esc.Replace(host) + "'"
}

// ReadOnly runs fn on its own connection to cfg's database, inside the one
// read-only transaction WITH CONSISTENT SNAPSHOT that Introspect reads the
// catalog in: connect timeout and the program_name attribute on the
// connection, the statement timeout (max_statement_time on MariaDB,
// max_execution_time on MySQL) on the session, values read as text. conn is
// for queries only: fn must not end the transaction; ReadOnly commits when
// fn returns nil and rolls back when it fails. Errors that are not an
// introspect.UsageError are an *Error of one line that starts with op
// ("usage") and the DSN with its password masked, and explains a refused
// connection, a wrong password or a missing grant.
func ReadOnly(ctx context.Context, cfg *introspect.Config, op string, fn func(ctx context.Context, conn *sql.Conn, s Session) error) error {
	if cfg == nil || cfg.DSN == nil || cfg.DSN.MySQLConfig() == nil {
		return &introspect.UsageError{Msg: op + ": no MySQL DSN given"}
	}
	return readOnly(ctx, cfg, op, func(ctx context.Context, r *reader) error {
		// fn's errors are its own: they name no step of this package.
		r.step = ""
		return fn(ctx, r.conn, r.session())
	})
}

// session returns what is known of the server as a Session.
func (r *reader) session() Session {
	return Session{Engine: r.server.engine, Version: r.server.version, Database: r.db, User: r.server.currentUser, PerformanceSchema: r.server.perfSchema}
}

// readOnly connects to cfg's database (with the connect timeout and the
// program_name attribute), learns the server, sets the statement timeout,
// starts one read-only transaction WITH CONSISTENT SNAPSHOT, runs fn in it
// with a reader on the connection, and commits. The transaction is rolled
// back when fn fails. Errors other than usage errors are an *Error whose
// message starts with op ("introspect", "read rows") and the DSN, password
// masked.
func readOnly(ctx context.Context, cfg *introspect.Config, op string, fn func(context.Context, *reader) error) error {
	ctx, cancel := cfg.RunContext(ctx)
	defer cancel()
	r := &reader{cfg: cfg, db: cfg.DSN.Database, op: op, run: ctx, guard: cfg.NewReplyGuard()}
	if err := r.inTransaction(ctx, fn); err != nil {
		return r.wrap(err)
	}
	return nil
}

// inTransaction connects and runs fn in the read-only transaction.
func (r *reader) inTransaction(ctx context.Context, fn func(context.Context, *reader) error) error {
	mc := driverConfig(r.cfg)
	mc.DialFunc = r.guard.Dial(nil)
	connector, err := mysql.NewConnector(mc)
	if err != nil {
		return &introspect.UsageError{Msg: fmt.Sprintf("%s %s: %v", r.op, r.cfg.DSN.Masked(), r.cfg.DSN.Redact(err.Error()))}
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	db.SetMaxOpenConns(1)

	r.setStep("connect")
	cctx, cancel := context.WithTimeout(ctx, r.cfg.ConnectTimeoutOrDefault())
	conn, err := db.Conn(cctx)
	if err == nil {
		err = conn.PingContext(cctx)
	}
	cancel()
	if err != nil {
		if conn != nil {
			conn.Close()
		}
		return err
	}
	defer conn.Close()
	r.conn = conn

	if err := r.readServer(ctx); err != nil {
		return err
	}
	if err := r.begin(ctx); err != nil {
		return err
	}
	// The transaction only reads; end it whatever happens. A failed
	// rollback leaves nothing behind: the connection is closed next.
	committed := false
	defer func() {
		if !committed {
			r.cfg.Query("rollback")
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			r.conn.ExecContext(ctx, "ROLLBACK")
			cancel()
		}
	}()
	if err := fn(ctx, r); err != nil {
		return err
	}
	r.setStep("finish")
	if err := r.exec(ctx, "commit", "COMMIT"); err != nil {
		return err
	}
	committed = true
	return nil
}

// read reads the catalog, inside the transaction.
func (r *reader) read(ctx context.Context) (*schema.Snapshot, error) {
	r.snap = &schema.Snapshot{
		Format: schema.FormatVersion,
		Source: schema.Source{
			Engine:        r.server.engine,
			ServerVersion: r.server.version,
			Database:      r.db,
			Host:          r.cfg.DSN.Host,
			CapturedAt:    r.cfg.CapturedAt(),
			SeamsVersion:  r.cfg.SeamsVersion,
		},
	}
	r.tables = make(map[string]int)
	r.views = make(map[string]int)

	for _, part := range []func(context.Context) error{
		r.readPrivileges,
		r.readSchema,
		r.readTables,
		r.readColumns,
		r.readIndexes,
		r.readForeignKeys,
		r.readChecks,
		r.readViews,
		r.readTriggers,
		r.readRoutines,
		r.readStats,
	} {
		if err := part(ctx); err != nil {
			return nil, err
		}
	}
	r.snap.Normalize()
	r.setStep("infer references")
	r.snap.Inferred = infer.Infer(r.snap, infer.Options{})
	if r.cfg.VerifyData {
		if err := r.verify(ctx); err != nil {
			return nil, err
		}
	}
	r.snap.Normalize()
	return r.snap, nil
}

// verify checks the inferred references against the data, in the
// read-only transaction and under the session's statement timeout. A
// statement that times out or is refused is recorded on its reference and
// leaves the transaction usable.
func (r *reader) verify(ctx context.Context) error {
	r.setStep("verify inferred references")
	return introspect.Verify(r.snap, cmp.Or(r.cfg.InferThreshold, infer.DefaultThreshold), func(q string, args []any) (bool, error, error) {
		rows, err := r.query(ctx, "verify", q, args...)
		if err == nil {
			found := rows.Next()
			err = rows.Err()
			rows.Close()
			if err == nil {
				return found, nil, nil
			}
		}
		var me *mysql.MySQLError
		if ctx.Err() != nil || !errors.As(err, &me) {
			return false, nil, err
		}
		return false, errors.New(introspect.OneLine(me.Message)), nil
	})
}

// driverConfig returns the driver configuration of a run: the DSN's, with
// the connect timeout and the program_name connection attribute set.
func driverConfig(cfg *introspect.Config) *mysql.Config {
	mc := cfg.DSN.MySQLConfig()
	mc.Timeout = cfg.ConnectTimeoutOrDefault()
	attr := "program_name:" + introspect.ApplicationName
	if mc.ConnectionAttributes != "" {
		attr = mc.ConnectionAttributes + "," + attr
	}
	mc.ConnectionAttributes = attr
	// Catalog values are read as text.
	mc.ParseTime = false
	// Several statements in one string are never needed: refuse them.
	mc.MultiStatements = false
	// The driver logs broken connections on stderr ("[mysql]
	// packets.go:58 unexpected EOF"); the error seams reports says it.
	mc.Logger = &mysql.NopLogger{}
	return mc
}

// setStep records and reports the step the run is in.
func (r *reader) setStep(step string) {
	r.step = step
	r.cfg.Step(step)
}

// query sends one catalog statement, counted through cfg.Query.
func (r *reader) query(ctx context.Context, name, q string, args ...any) (*sql.Rows, error) {
	r.cfg.Query(name)
	return r.conn.QueryContext(ctx, q, args...)
}

// exec sends one statement without results, counted through cfg.Query.
func (r *reader) exec(ctx context.Context, name, q string) error {
	r.cfg.Query(name)
	_, err := r.conn.ExecContext(ctx, q)
	return err
}

// readServer learns the server's version and what it offers.
func (r *reader) readServer(ctx context.Context) error {
	r.setStep("server version")
	rows, err := r.query(ctx, "server", "SELECT VERSION(), @@performance_schema, CURRENT_USER(), DATABASE()")
	if err != nil {
		return err
	}
	defer rows.Close()
	var ps sql.NullString
	var db sql.NullString
	if rows.Next() {
		if err := rows.Scan(&r.server.version, &ps, &r.server.currentUser, &db); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	r.server.perfSchema = ps.String == "1" || strings.EqualFold(ps.String, "ON")
	if db.Valid && db.String != "" {
		r.db = db.String
	}
	if strings.Contains(strings.ToLower(r.server.version), "mariadb") {
		r.server.engine = schema.MariaDB
	} else {
		r.server.engine = schema.MySQL
	}
	r.server.major, r.server.minor, r.server.patch = parseVersion(r.server.version)
	return nil
}

// parseVersion reads the leading major.minor.patch of a version string.
func parseVersion(v string) (major, minor, patch int) {
	// Old MariaDB servers prefix their version with 5.5.5- for old clients.
	if rest, ok := strings.CutPrefix(v, "5.5.5-"); ok && strings.Contains(rest, "MariaDB") {
		v = rest
	}
	var parts [3]int
	i := 0
	for _, c := range v {
		switch {
		case c >= '0' && c <= '9':
			parts[i] = parts[i]*10 + int(c-'0')
		case c == '.' && i < 2:
			i++
		default:
			return parts[0], parts[1], parts[2]
		}
	}
	return parts[0], parts[1], parts[2]
}

// begin sets the statement timeout and starts the read-only transaction.
func (r *reader) begin(ctx context.Context) error {
	r.setStep("begin read-only transaction")
	if err := r.exec(ctx, "statement timeout", statementTimeout(r.server.engine, r.cfg.StatementTimeoutOrDefault())); err != nil {
		return err
	}
	return r.exec(ctx, "begin", "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
}

// statementTimeout is the statement that sets the session's statement
// timeout: max_statement_time in seconds on MariaDB, max_execution_time in
// milliseconds on MySQL, rounded up to the engine's unit, since 0 means no
// limit.
func statementTimeout(engine schema.Engine, timeout time.Duration) string {
	if engine == schema.MariaDB {
		us := (timeout + time.Microsecond - 1) / time.Microsecond
		return fmt.Sprintf("SET SESSION max_statement_time = %d.%06d", us/1e6, us%1e6)
	}
	ms := (timeout + time.Millisecond - 1) / time.Millisecond
	return fmt.Sprintf("SET SESSION max_execution_time = %d", ms)
}
