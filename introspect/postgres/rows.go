package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/plan/dialect"
	"github.com/seamsdev/seams/refdata"
	"github.com/seamsdev/seams/schema"
)

// ReadRows reads every row of the given tables (static reference data to
// export) in one REPEATABLE READ READ ONLY transaction with the statement
// and lock timeouts of Introspect, so that the tables are read as of one
// moment. Values are PostgreSQL's text form of each value (nil for NULL),
// rows are in primary key order (every column in order for a table without
// one). A table with more than limit rows (refdata.DefaultLimit when limit
// is 0 or less) is refused with an error naming it: such a table is not
// reference data to ship as a file. Errors are one line and name the DSN
// with its password masked.
func ReadRows(ctx context.Context, cfg *introspect.Config, tables []schema.TableName, limit int) ([]refdata.Table, error) {
	if cfg == nil || cfg.DSN == nil {
		return nil, &introspect.UsageError{Msg: "read rows: no database given"}
	}
	if cfg.DSN.Family != introspect.FamilyPostgres {
		return nil, &introspect.UsageError{Msg: fmt.Sprintf("read rows %s: not a PostgreSQL DSN", cfg.DSN.Masked())}
	}
	if limit <= 0 {
		limit = refdata.DefaultLimit
	}
	pcfg, err := pgx.ParseConfig(cfg.DSN.URL())
	if err != nil {
		msg := parsePrefix.ReplaceAllString(err.Error(), "")
		return nil, &introspect.UsageError{Msg: fmt.Sprintf("malformed PostgreSQL DSN %s: %s", cfg.DSN.Masked(), oneLine(cfg.DSN.Redact(msg)))}
	}
	pcfg.ConnectTimeout = cfg.ConnectTimeoutOrDefault()
	if pcfg.RuntimeParams == nil {
		pcfg.RuntimeParams = map[string]string{}
	}
	pcfg.RuntimeParams["application_name"] = introspect.ApplicationName

	cfg.Step("connect")
	conn, err := pgx.ConnectConfig(ctx, pcfg)
	if err != nil {
		return nil, describeRows(cfg, pcfg, err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		conn.Close(ctx)
	}()
	r := &reader{cfg: cfg, conn: conn, user: pcfg.User, database: pcfg.Database}
	out, err := r.readRows(ctx, tables, limit)
	if err != nil {
		return nil, describeRows(cfg, pcfg, err)
	}
	return out, nil
}

// describeRows is describe for ReadRows: an *Error whose one-line message
// says "read rows" and names the DSN with its password masked.
func describeRows(cfg *introspect.Config, pcfg *pgx.ConnConfig, err error) error {
	var msg string
	var te *tooManyRows
	if errors.As(err, &te) {
		msg = te.Error()
	} else {
		target := fmt.Sprintf("%s:%d", pcfg.Host, pcfg.Port)
		msg = explain(err, pcfg.User, pcfg.Database, target, cfg.ConnectTimeoutOrDefault().String())
	}
	return &Error{msg: fmt.Sprintf("read rows %s: %s", cfg.DSN.Masked(), oneLine(cfg.DSN.Redact(msg))), err: err}
}

// tooManyRows is a table over the row limit.
type tooManyRows struct {
	table schema.TableName
	limit int
}

func (e *tooManyRows) Error() string {
	return fmt.Sprintf("table %s has more than %d rows: too many to export as reference data", e.table, e.limit)
}

func (r *reader) readRows(ctx context.Context, tables []schema.TableName, limit int) ([]refdata.Table, error) {
	if err := r.exec(ctx, "begin", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); err != nil {
		return nil, err
	}
	committed := false
	defer func() {
		if !committed {
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
			defer cancel()
			r.cfg.Query("rollback")
			_, _ = r.conn.Exec(ctx, "ROLLBACK")
		}
	}()
	// search_path = pg_catalog: every name below is schema-qualified, and
	// no function of the user's schemas can shadow a built-in one.
	err := r.exec(ctx, "settings",
		"SELECT set_config('statement_timeout', $1, true), set_config('lock_timeout', $2, true), set_config('search_path', 'pg_catalog', true)",
		millis(r.cfg.StatementTimeoutOrDefault()), millis(min(lockTimeout, r.cfg.StatementTimeoutOrDefault()/2)))
	if err != nil {
		return nil, err
	}
	out := make([]refdata.Table, 0, len(tables))
	for _, t := range tables {
		r.cfg.Step("rows of " + t.String())
		rt, err := r.readTableRows(ctx, t, limit)
		if err != nil {
			return nil, err
		}
		out = append(out, rt)
	}
	if err := r.exec(ctx, "commit", "COMMIT"); err != nil {
		return nil, err
	}
	committed = true
	return out, nil
}

// readTableRows reads the rows of one table, at most limit.
func (r *reader) readTableRows(ctx context.Context, t schema.TableName, limit int) (refdata.Table, error) {
	d := dialect.Postgres
	qualified := d.Table(t)
	step := "rows of " + t.String()
	// The primary key's columns, in key order.
	var key []string
	err := r.query(ctx, step, `SELECT a.attname
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
WHERE i.indrelid = $1::regclass AND i.indisprimary
ORDER BY array_position(i.indkey::int2[], a.attnum)`, func(rows pgx.Rows) error {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		key = append(key, name)
		return nil
	}, qualified)
	if err != nil {
		return refdata.Table{}, err
	}
	order := make([]string, len(key))
	for i, k := range key {
		order[i] = d.Ident(k)
	}
	var sql strings.Builder
	fmt.Fprintf(&sql, "SELECT * FROM %s", qualified)
	// The simple protocol returns every value in its text form.
	out := refdata.Table{Name: t}
	r.cfg.Query(step)
	if len(order) == 0 {
		// No primary key: order by every column, in the table's order,
		// which needs the column count first.
		rows, err := r.conn.Query(ctx, sql.String()+" LIMIT 0", pgx.QueryExecModeSimpleProtocol)
		if err != nil {
			return out, &stepError{step: step, err: err}
		}
		n := len(rows.FieldDescriptions())
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, &stepError{step: step, err: err}
		}
		for i := range n {
			order = append(order, fmt.Sprint(i+1))
		}
	}
	if len(order) > 0 {
		fmt.Fprintf(&sql, " ORDER BY %s", strings.Join(order, ", "))
	}
	fmt.Fprintf(&sql, " LIMIT %d", limit+1)
	rows, err := r.conn.Query(ctx, sql.String(), pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return out, &stepError{step: step, err: err}
	}
	defer rows.Close()
	for _, f := range rows.FieldDescriptions() {
		out.Columns = append(out.Columns, f.Name)
	}
	for rows.Next() {
		if len(out.Rows) == limit {
			return out, &tooManyRows{table: t, limit: limit}
		}
		raw := rows.RawValues()
		row := make([]*string, len(raw))
		for i, v := range raw {
			if v != nil {
				s := string(v)
				row[i] = &s
			}
		}
		out.Rows = append(out.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return out, &stepError{step: step, err: err}
	}
	return out, nil
}
