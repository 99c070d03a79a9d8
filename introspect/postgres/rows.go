package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/refdata"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
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
	if cfg.DSN.Dialect != schema.DialectPostgres {
		return nil, &introspect.UsageError{Msg: fmt.Sprintf("read rows %s: not a PostgreSQL DSN", cfg.DSN.Masked())}
	}
	if limit <= 0 {
		limit = refdata.DefaultLimit
	}
	var out []refdata.Table
	err := readOnly(ctx, cfg, "read rows", func(ctx context.Context, r *reader) error {
		out = make([]refdata.Table, 0, len(tables))
		for _, t := range tables {
			r.cfg.Step("rows of " + t.String())
			rt, err := r.readTableRows(ctx, t, limit)
			if err != nil {
				return err
			}
			out = append(out, rt)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readTableRows reads the rows of one table, at most limit.
func (r *reader) readTableRows(ctx context.Context, t schema.TableName, limit int) (refdata.Table, error) {
	qualified := sqlident.PostgresTable(t.Schema, t.Name)
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
		order[i] = sqlident.Postgres(k)
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
		typ := "" // a type pgx does not know (an enum, a domain): unknown
		if pt, ok := r.conn.TypeMap().TypeForOID(f.DataTypeOID); ok {
			typ = pt.Name
		}
		out.Types = append(out.Types, typ)
	}
	for rows.Next() {
		if len(out.Rows) == limit {
			return out, &refdata.TooManyRows{Table: t, Limit: limit}
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
