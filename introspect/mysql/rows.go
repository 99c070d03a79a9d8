package mysql

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/refdata"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// ReadRows reads every row of the given tables (static reference data to
// export) in one read-only transaction WITH CONSISTENT SNAPSHOT under the
// statement timeout of Introspect, so that the tables are read as of one
// moment. A table with an empty Schema is read from the DSN's database.
// Values are the server's text form of each value (nil for NULL), rows are
// in primary key order (every column in order for a table without one). A
// table with more than limit rows (refdata.DefaultLimit when limit is 0 or
// less) is refused with an error naming it: such a table is not reference
// data to ship as a file. Errors are one line and name the DSN with its
// password masked.
func ReadRows(ctx context.Context, cfg *introspect.Config, tables []schema.TableName, limit int) ([]refdata.Table, error) {
	if cfg == nil || cfg.DSN == nil || cfg.DSN.MySQLConfig() == nil {
		return nil, &introspect.UsageError{Msg: "read rows: no MySQL DSN given"}
	}
	if limit <= 0 {
		limit = refdata.DefaultLimit
	}
	var out []refdata.Table
	err := readOnly(ctx, cfg, "read rows", func(ctx context.Context, r *reader) error {
		out = make([]refdata.Table, 0, len(tables))
		for _, t := range tables {
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
	r.setStep("rows of " + t.String())
	out := refdata.Table{Name: t}
	q := t
	if q.Schema == "" {
		q.Schema = r.db
	}
	from := "SELECT * FROM " + sqlident.MySQLTable(q.Schema, q.Name)

	rows, err := r.query(ctx, "primary key", `SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY'
ORDER BY ORDINAL_POSITION`, q.Schema, q.Name)
	if err != nil {
		return out, err
	}
	var order []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return out, err
		}
		order = append(order, sqlident.MySQL(c))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return out, err
	}
	if len(order) == 0 {
		// No primary key: order by every column, in the table's order,
		// which needs the column count first.
		rows, err := r.query(ctx, "columns", from+" LIMIT 0")
		if err != nil {
			return out, err
		}
		cols, err := rows.Columns()
		rows.Close()
		if err != nil {
			return out, err
		}
		for i := range cols {
			order = append(order, fmt.Sprint(i+1))
		}
	}
	// Without arguments the query goes over the text protocol: every value
	// comes back in its text form.
	rows, err = r.query(ctx, "rows", fmt.Sprintf("%s ORDER BY %s LIMIT %d", from, strings.Join(order, ", "), limit+1))
	if err != nil {
		return out, err
	}
	defer rows.Close()
	out.Columns, err = rows.Columns()
	if err != nil {
		return out, err
	}
	cts, err := rows.ColumnTypes()
	if err != nil {
		return out, err
	}
	for _, ct := range cts {
		out.Types = append(out.Types, ct.DatabaseTypeName())
	}
	raw := make([]sql.RawBytes, len(out.Columns))
	dest := make([]any, len(raw))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rows.Next() {
		if len(out.Rows) == limit {
			return out, &refdata.TooManyRows{Table: t, Limit: limit}
		}
		if err := rows.Scan(dest...); err != nil {
			return out, err
		}
		row := make([]*string, len(raw))
		for i, v := range raw {
			if v != nil {
				s := string(v)
				row[i] = &s
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out, rows.Err()
}
