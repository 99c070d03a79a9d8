// Package postgres reads a PostgreSQL (13 or later) catalog into a
// schema.Snapshot.
//
// Introspect connects once, opens one REPEATABLE READ READ ONLY transaction
// with a statement and a lock timeout, and reads the whole catalog with a
// small, fixed number of batched queries on pg_catalog, whatever the number of
// tables. It creates nothing in the database. A role with nothing but CONNECT
// on the database can run it: the catalog, view definitions, function bodies
// and activity counters are readable by every role unless an administrator
// has revoked them, in which case the snapshot lists the part as unreadable
// and leaves its facts absent.
//
// Table sizes are the planner's page counts (pg_class.relpages of the table,
// its TOAST table and indexes) as of the last VACUUM, ANALYZE or CREATE
// INDEX, not pg_total_relation_size, which would open and lock every table
// and index; tables never vacuumed or analysed have no size or row estimate.
package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// cleanupTimeout bounds the rollback and the goodbye to the server after a
// failure, when the caller's context may be done already.
const cleanupTimeout = 2 * time.Second

// lockTimeout bounds the wait for a lock behind concurrent DDL (half the
// statement timeout when that is shorter, so that the message says why):
// pg_get_viewdef, and pg_get_expr for check constraints and generated
// columns, take ACCESS SHARE locks on the tables they deparse.
const lockTimeout = 5 * time.Second

// Introspect reads the catalog of the PostgreSQL database named by cfg.DSN
// and returns it as a normalized snapshot. Errors are one line, name the DSN
// with its password masked and, for missing privileges, the grant to add.
// A --schema that does not exist is an introspect.UsageError.
func Introspect(ctx context.Context, cfg *introspect.Config) (*schema.Snapshot, error) {
	if cfg == nil || cfg.DSN == nil {
		return nil, &introspect.UsageError{Msg: "introspect: no database given"}
	}
	if cfg.DSN.Dialect != schema.DialectPostgres {
		return nil, &introspect.UsageError{Msg: fmt.Sprintf("introspect %s: not a PostgreSQL DSN", cfg.DSN.Masked())}
	}
	if err := cfg.ValidatePatterns(); err != nil {
		return nil, err
	}
	var done *reader
	err := readOnly(ctx, cfg, "introspect", func(ctx context.Context, r *reader) error {
		done = r
		if err := r.read(ctx); err != nil {
			return err
		}
		if !cfg.VerifyData {
			return nil
		}
		// The checks need the finished snapshot and the transaction.
		r.finish()
		return r.verify(ctx)
	})
	if err != nil {
		return nil, err
	}
	if !cfg.VerifyData {
		done.finish()
	}
	return done.snap, nil
}

// verify checks the inferred references against the data, each in a
// savepoint so that a timeout or a refused table leaves the transaction
// usable.
func (r *reader) verify(ctx context.Context) error {
	r.cfg.Step("verify inferred references")
	return introspect.Verify(r.snap, cmp.Or(r.cfg.InferThreshold, infer.DefaultThreshold), func(q string, args []any) (bool, error, error) {
		if err := r.exec(ctx, "savepoint", "SAVEPOINT seams_verify"); err != nil {
			return false, nil, err
		}
		found := false
		err := r.query(ctx, "verify", q, func(pgx.Rows) error { found = true; return nil }, args...)
		if err == nil {
			return found, nil, r.exec(ctx, "release savepoint", "RELEASE SAVEPOINT seams_verify")
		}
		var pe *pgconn.PgError
		if ctx.Err() != nil || !errors.As(err, &pe) {
			return false, nil, err
		}
		if rerr := r.exec(ctx, "rollback to savepoint", "ROLLBACK TO SAVEPOINT seams_verify"); rerr != nil {
			return false, nil, rerr
		}
		return false, errors.New(reason(pe, r.user, r.database)), nil
	})
}

// Session is what ReadOnly hands its function besides the connection.
type Session struct {
	// User is the role connected as, Database the database connected to,
	// as the DSN names them.
	User, Database string
}

// ReadOnly runs fn on its own connection to cfg's database, inside the one
// REPEATABLE READ READ ONLY transaction that Introspect reads the catalog
// in: connect timeout and application_name on the connection, statement
// and lock timeouts and search_path = pg_catalog (qualify other names) in
// the transaction. conn is for queries only: fn must not end the
// transaction; ReadOnly commits when fn returns nil and rolls back when it
// fails. Errors that are not an introspect.UsageError are an *Error of one
// line that starts with op ("usage") and the DSN with its password masked,
// and explain a refused connection, a missing privilege or a timeout.
func ReadOnly(ctx context.Context, cfg *introspect.Config, op string, fn func(ctx context.Context, conn *pgx.Conn, s Session) error) error {
	if cfg == nil || cfg.DSN == nil {
		return &introspect.UsageError{Msg: op + ": no database given"}
	}
	if cfg.DSN.Dialect != schema.DialectPostgres {
		return &introspect.UsageError{Msg: fmt.Sprintf("%s %s: not a PostgreSQL DSN", op, cfg.DSN.Masked())}
	}
	return readOnly(ctx, cfg, op, func(ctx context.Context, r *reader) error {
		return fn(ctx, r.conn, Session{User: r.user, Database: r.database})
	})
}

// readOnly connects to cfg's database (with the connect timeout and
// application_name), opens one REPEATABLE READ READ ONLY transaction with
// the statement and lock timeouts, runs fn in it with a reader on the
// connection, and commits. The transaction is rolled back when fn fails.
// Errors other than usage errors are an *Error whose message starts with
// op ("introspect", "read rows") and the DSN, password masked.
func readOnly(ctx context.Context, cfg *introspect.Config, op string, fn func(context.Context, *reader) error) error {
	pcfg, err := pgx.ParseConfig(cfg.DSN.URL())
	if err != nil {
		return &introspect.UsageError{Msg: fmt.Sprintf("malformed PostgreSQL DSN %s: %s", cfg.DSN.Masked(), cfg.DSN.Reason(err))}
	}
	pcfg.ConnectTimeout = cfg.ConnectTimeoutOrDefault()
	if pcfg.RuntimeParams == nil {
		pcfg.RuntimeParams = map[string]string{}
	}
	pcfg.RuntimeParams["application_name"] = introspect.ApplicationName
	guard := cfg.NewReplyGuard()
	pcfg.DialFunc = guard.Dial(pcfg.DialFunc)
	ctx, cancel := cfg.RunContext(ctx)
	defer cancel()
	fail := func(err error) error {
		if msg := introspect.Interrupted(ctx, guard, err); msg != "" {
			return &Error{msg: fmt.Sprintf("%s %s: %s", op, cfg.DSN.Masked(), msg), err: err}
		}
		return describe(cfg, pcfg, op, err)
	}

	cfg.Step("connect")
	conn, err := pgx.ConnectConfig(ctx, pcfg)
	if err != nil {
		return fail(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		conn.Close(ctx)
	}()

	r := &reader{cfg: cfg, conn: conn, user: pcfg.User, database: pcfg.Database}
	if err := r.inTransaction(ctx, fn); err != nil {
		var u *introspect.UsageError
		if errors.As(err, &u) {
			return err
		}
		return fail(err)
	}
	return nil
}

// inTransaction runs fn in the read-only transaction and commits.
func (r *reader) inTransaction(ctx context.Context, fn func(context.Context, *reader) error) error {
	if err := r.exec(ctx, "begin", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			// Best effort: the connection is closed right after anyway.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
			defer cancel()
			r.cfg.Query("rollback")
			_, _ = r.conn.Exec(ctx, "ROLLBACK")
		}
	}()
	// set_config(..., true) is SET LOCAL. search_path = pg_catalog makes
	// format_type, pg_get_expr and pg_get_viewdef qualify every user object,
	// so the text does not depend on the connecting role's search path, and
	// no function of the user's schemas can shadow a built-in one. JIT
	// compilation costs more than it saves on catalog queries (half a
	// second on a 2,000-table schema).
	err := r.exec(ctx, "settings",
		"SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true), set_config('search_path', 'pg_catalog', true), set_config('jit', 'off', true)",
		millis(r.cfg.StatementTimeoutOrDefault()), millis(min(lockTimeout, r.cfg.StatementTimeoutOrDefault()/2)))
	if err != nil {
		return err
	}
	if err := fn(ctx, r); err != nil {
		return err
	}
	if err := r.exec(ctx, "commit", "COMMIT"); err != nil {
		return err
	}
	committed = true
	return nil
}

// reader holds the state of one run.
type reader struct {
	cfg      *introspect.Config
	conn     *pgx.Conn
	user     string
	database string

	info    serverInfo
	schemas []string // the schemas read, sorted

	snap     *schema.Snapshot
	tables   map[uint32]int // table oid -> index in snap.Tables
	viewCols viewColumns    // view columns, from the columns query to the views query
	attnames attnames       // column names by attribute number, for keys and indexes
	pending  []TriggerSource
	routines []RoutineSource
}

// unreadable records a part of the catalog the role could not read.
func (r *reader) unreadable(part, reason string) {
	r.snap.Unreadable = append(r.snap.Unreadable, schema.Unreadable{Part: part, Reason: reason})
}

// optional runs fn, which reads an optional part, inside a savepoint: when
// the server refuses (a revoked privilege, a lock or statement timeout) the
// transaction is rolled back to the savepoint and the part is recorded as
// unreadable instead of failing the run. ok reports whether fn succeeded.
func (r *reader) optional(ctx context.Context, part string, fn func() error) (ok bool, err error) {
	if err := r.exec(ctx, "savepoint", "SAVEPOINT seams_optional"); err != nil {
		return false, err
	}
	err = fn()
	if err == nil {
		return true, nil
	}
	var pe *pgconn.PgError
	if ctx.Err() != nil || !errors.As(err, &pe) {
		return false, err
	}
	if rerr := r.exec(ctx, "rollback to savepoint", "ROLLBACK TO SAVEPOINT seams_optional"); rerr != nil {
		return false, rerr
	}
	r.unreadable(part, reason(pe, r.user, r.database))
	return false, nil
}

// exec runs a statement that returns no rows.
func (r *reader) exec(ctx context.Context, name, sql string, args ...any) error {
	r.cfg.Query(name)
	if _, err := r.conn.Exec(ctx, sql, args...); err != nil {
		return &stepError{step: name, err: err}
	}
	return nil
}

// query runs a catalog query and calls scan for every row.
func (r *reader) query(ctx context.Context, name, sql string, scan func(pgx.Rows) error, args ...any) error {
	r.cfg.Query(name)
	rows, err := r.conn.Query(ctx, sql, args...)
	if err != nil {
		return &stepError{step: name, err: err}
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return &stepError{step: name, err: err}
		}
	}
	if err := rows.Err(); err != nil {
		return &stepError{step: name, err: err}
	}
	return nil
}

// read reads the catalog into r.snap, inside the transaction.
func (r *reader) read(ctx context.Context) error {
	r.cfg.Step("server and schemas")
	if err := r.readInfo(ctx); err != nil {
		return err
	}
	if err := r.pickSchemas(); err != nil {
		return err
	}
	r.attnames = attnames{}
	r.snap = &schema.Snapshot{
		Format: schema.FormatVersion,
		Source: schema.Source{
			Engine:        schema.Postgres,
			ServerVersion: r.info.version,
			Database:      r.info.database,
			Host:          r.cfg.DSN.Host,
			CapturedAt:    r.cfg.CapturedAt(),
			SeamsVersion:  r.cfg.SeamsVersion,
		},
	}
	for _, s := range r.info.schemas {
		if slices.Contains(r.schemas, s.Name) {
			r.snap.Schemas = append(r.snap.Schemas, s)
		}
	}

	steps := []struct {
		step string
		fn   func(context.Context) error
	}{
		{"tables", r.readTables},
		{"columns", r.readColumns},
		{"constraints", r.readConstraints},
		{"indexes", r.readIndexes},
		{"views", r.readViews},
		{"triggers", r.readTriggers},
		{"routines", r.readRoutines},
		{"statistics", r.readStats},
	}
	for _, s := range steps {
		r.cfg.Step(s.step)
		if err := s.fn(ctx); err != nil {
			return err
		}
	}
	return nil
}

// finish completes the snapshot once the transaction is over: nothing in
// it talks to the server.
func (r *reader) finish() {
	r.sumPartitionSizes()
	r.snap.SearchPath = searchPath(r.info.dbConfig)
	r.cfg.Step("trigger bodies")
	r.analyseRoutines()
	r.analyseTriggers()
	r.dropExcludedReferences()
	r.cfg.Step("infer references")
	r.snap.Inferred = infer.Infer(r.snap, infer.Options{})
	r.snap.Normalize()
}

// millis renders a duration as a PostgreSQL setting in milliseconds.
func millis(d time.Duration) string {
	return fmt.Sprintf("%dms", max(d.Milliseconds(), 1))
}
