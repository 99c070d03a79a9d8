package dialect

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/schema"
)

// server is one real database server under test, reached through one
// session (so that session settings such as sql_mode hold for every
// statement).
type server struct {
	t   *testing.T
	d   Dialect
	pg  *pgx.Conn
	my  *sql.Conn
	ctx context.Context
	// namespaces are the MySQL databases that state describes; on
	// PostgreSQL every non-system schema of the test database is described.
	namespaces []string
}

// exec runs one statement.
func (s *server) exec(stmt string) error {
	if s.pg != nil {
		_, err := s.pg.Exec(s.ctx, stmt)
		return err
	}
	rows, err := s.my.QueryContext(s.ctx, stmt)
	if err != nil {
		return err
	}
	for rows.Next() {
	}
	rows.Close()
	return rows.Err()
}

// mustExec runs statements and fails the test on the first error.
func (s *server) mustExec(stmts ...string) {
	s.t.Helper()
	for _, st := range stmts {
		if err := s.exec(st); err != nil {
			s.t.Fatalf("%v\nstatement:\n%s", err, st)
		}
	}
}

// apply runs the statements of a change in order, failing the test on the
// first error.
func (s *server) apply(what string, stmts []string) {
	s.t.Helper()
	for i, st := range stmts {
		if err := s.exec(st); err != nil {
			s.t.Fatalf("%s statement %d: %v\n%s", what, i+1, err, st)
		}
	}
}

// query returns every row of q as strings (NULL as "<null>").
func (s *server) query(q string, args ...any) [][]string {
	s.t.Helper()
	var out [][]string
	if s.pg != nil {
		rows, err := s.pg.Query(s.ctx, q, args...)
		if err != nil {
			s.t.Fatalf("%v\nquery: %s", err, q)
		}
		defer rows.Close()
		for rows.Next() {
			vals, err := rows.Values()
			if err != nil {
				s.t.Fatal(err)
			}
			row := make([]string, len(vals))
			for i, v := range vals {
				if v == nil {
					row[i] = "<null>"
				} else {
					row[i] = fmt.Sprint(v)
				}
			}
			out = append(out, row)
		}
		if err := rows.Err(); err != nil {
			s.t.Fatalf("%v\nquery: %s", err, q)
		}
		return out
	}
	rows, err := s.my.QueryContext(s.ctx, q, args...)
	if err != nil {
		s.t.Fatalf("%v\nquery: %s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			s.t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			if v.Valid {
				row[i] = v.String
			} else {
				row[i] = "<null>"
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		s.t.Fatalf("%v\nquery: %s", err, q)
	}
	return out
}

// one returns the single value of a one-row, one-column query.
func (s *server) one(q string, args ...any) string {
	s.t.Helper()
	rows := s.query(q, args...)
	if len(rows) != 1 || len(rows[0]) != 1 {
		s.t.Fatalf("query %s: want one value, got %q", q, rows)
	}
	return rows[0][0]
}

// state describes everything a change may touch, from the catalog and the
// data: namespaces, tables, columns, constraints, indexes, triggers, views
// and every row. Two equal states are the same database for the plan.
func (s *server) state() string {
	s.t.Helper()
	var b strings.Builder
	section := func(title string, rows [][]string) {
		b.WriteString("## " + title + "\n")
		for _, r := range rows {
			b.WriteString(strings.Join(r, " | ") + "\n")
		}
	}
	if s.pg != nil {
		const userNS = `n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'`
		section("schemas", s.query(`SELECT nspname FROM pg_namespace n WHERE `+userNS+` ORDER BY 1`))
		section("relations", s.query(`SELECT n.nspname, c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE `+userNS+` AND c.relkind IN ('r','p','v','m','S','i') ORDER BY 1, 2`))
		// Columns by name: PostgreSQL cannot put a re-added column back in
		// its place, and nothing in a plan depends on the order.
		section("columns", s.query(`SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
			coalesce(pg_get_expr(d.adbin, d.adrelid), '<none>'), a.attidentity::text, a.attgenerated::text, coalesce(col_description(c.oid, a.attnum), '')
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE `+userNS+` AND c.relkind IN ('r','p','v') AND a.attnum > 0 AND NOT a.attisdropped ORDER BY 1, 2, 3`))
		section("constraints", s.query(`SELECT n.nspname, c.relname, k.conname, k.contype::text, pg_get_constraintdef(k.oid), k.condeferrable, k.condeferred, k.convalidated
			FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE `+userNS+` ORDER BY 1, 2, 3`))
		section("indexes", s.query(`SELECT schemaname, tablename, indexname, indexdef FROM pg_indexes
			WHERE schemaname !~ '^pg_' AND schemaname <> 'information_schema' ORDER BY 1, 2, 3`))
		section("triggers", s.query(`SELECT n.nspname, c.relname, g.tgname, pg_get_triggerdef(g.oid) FROM pg_trigger g
			JOIN pg_class c ON c.oid = g.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE NOT g.tgisinternal ORDER BY 1, 2, 3`))
		section("views", s.query(`SELECT schemaname, viewname, definition FROM pg_views
			WHERE schemaname !~ '^pg_' AND schemaname <> 'information_schema' ORDER BY 1, 2`))
		for _, r := range s.query(`SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE ` + userNS + ` AND c.relkind IN ('r','p') ORDER BY 1, 2`) {
			name := pgx.Identifier{r[0], r[1]}.Sanitize()
			section("rows of "+name, s.query(`SELECT to_jsonb(x)::text FROM `+name+` x ORDER BY 1`))
		}
		return b.String()
	}
	// One database at a time: information_schema scans every database
	// for an IN list, and would wait on the metadata locks of other tests'
	// tables; for an equality it reads that database only.
	ns := append([]string(nil), s.namespaces...)
	sort.Strings(ns)
	for _, db := range ns {
		b.WriteString("# database " + db + "\n")
		section("database", s.query(`SELECT SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`, db))
		section("tables", s.query(`SELECT TABLE_NAME, TABLE_TYPE, coalesce(ENGINE, ''), coalesce(TABLE_COMMENT, '') FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY 1`, db))
		section("columns", s.query(`SELECT TABLE_NAME, ORDINAL_POSITION, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT, COLLATION_NAME
			FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY 1, 2`, db))
		section("foreign keys", s.query(`SELECT TABLE_NAME, CONSTRAINT_NAME, UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE
			FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY 1, 2`, db))
		section("key columns", s.query(`SELECT TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION, COLUMN_NAME, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
			FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = ? ORDER BY 1, 2, 3`, db))
		section("checks", s.query(`SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE
			FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? ORDER BY 1, 2`, db))
		section("indexes", s.query(`SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, INDEX_TYPE
			FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY 1, 2, 3`, db))
		// With the session each was created in, which it keeps.
		section("triggers", s.query(`SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, ACTION_ORDER, ACTION_TIMING, ACTION_STATEMENT,
			SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION
			FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = ? ORDER BY 1`, db))
		section("views", s.query(`SELECT TABLE_NAME, VIEW_DEFINITION, SECURITY_TYPE, CHECK_OPTION, CHARACTER_SET_CLIENT, COLLATION_CONNECTION
			FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY 1`, db))
		for _, r := range s.query(`SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA = ? ORDER BY 1`, db) {
			name := s.d.Table(schema.TableName{Schema: db, Name: r[0]})
			section("rows of "+name, s.rowsByName("SELECT * FROM "+name))
		}
	}
	return b.String()
}

// rowsByName returns the rows of a MySQL query, each as its columns sorted
// by name (name=value), the rows sorted.
func (s *server) rowsByName(q string) [][]string {
	s.t.Helper()
	rows, err := s.my.QueryContext(s.ctx, q)
	if err != nil {
		s.t.Fatalf("%v\nquery: %s", err, q)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			s.t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			val := "<null>"
			if v.Valid {
				val = fmt.Sprintf("%q", v.String)
			}
			row[i] = fmt.Sprintf("%q=%s", cols[i], val)
		}
		sort.Strings(row)
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool { return strings.Join(out[i], ",") < strings.Join(out[j], ",") })
	return out
}

// loadTable reads a table's columns and primary key from the catalog, in
// the conventions of the introspectors: types as the engine spells them,
// defaults as SQL expressions (nil for none or NULL).
func (s *server) loadTable(n schema.TableName) *schema.Table {
	s.t.Helper()
	t := &schema.Table{Schema: n.Schema, Name: n.Name, Kind: schema.KindTable}
	if s.pg != nil {
		for _, r := range s.query(`SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull::text, coalesce(pg_get_expr(d.adbin, d.adrelid, true), '<none>'),
			a.attgenerated::text, a.attidentity::text, coalesce(col_description(c.oid, a.attnum), '')
			FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
			LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
			WHERE ns.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, n.Schema, n.Name) {
			c := schema.Column{Name: r[0], Type: r[1], Nullable: r[2] == "false", Comment: r[6]}
			def := r[3]
			switch {
			case r[4] == "s":
				c.Generated, c.Expression = "stored", def
			case def != "<none>":
				c.Default = &def
			}
			switch r[5] {
			case "a":
				c.Identity = "always"
			case "d":
				c.Identity = "by default"
			}
			t.Columns = append(t.Columns, c)
		}
	} else {
		for _, r := range s.query(`SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT
			FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`, n.Schema, n.Name) {
			c := schema.Column{Name: r[0], Type: r[1], Nullable: r[2] == "YES", Comment: r[6]}
			extra := strings.ToUpper(r[4])
			switch {
			case strings.Contains(extra, "VIRTUAL GENERATED"):
				c.Generated, c.Expression = "virtual", r[5]
			case strings.Contains(extra, "STORED GENERATED"), strings.Contains(extra, "PERSISTENT GENERATED"):
				c.Generated, c.Expression = "stored", r[5]
			case r[3] != "<null>" && r[3] != "NULL":
				def := r[3]
				c.Default = &def
			}
			if strings.Contains(extra, "AUTO_INCREMENT") {
				c.Identity = "auto_increment"
			}
			t.Columns = append(t.Columns, c)
		}
	}
	if len(t.Columns) == 0 {
		s.t.Fatalf("table %s not found", n)
	}
	s.loadIndexes(t)
	return t
}

// loadIndexes reads a table's indexes, primary key and unique constraints
// as the introspectors do: parts are column names or, for expressions, the
// deparsed expression.
func (s *server) loadIndexes(t *schema.Table) {
	s.t.Helper()
	var order []string
	byName := map[string]*schema.Index{}
	add := func(name string, unique, primary bool, method, pred, part string) {
		ix := byName[name]
		if ix == nil {
			ix = &schema.Index{Name: name, Unique: unique, Primary: primary, Method: method, Predicate: pred}
			byName[name] = ix
			order = append(order, name)
		}
		ix.Columns = append(ix.Columns, part)
	}
	if s.pg != nil {
		for _, r := range s.query(`SELECT ic.relname, i.indisunique::text, i.indisprimary::text, am.amname, coalesce(pg_get_expr(i.indpred, i.indrelid, true), ''),
			CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) ELSE a.attname END,
			coalesce((SELECT 'y' FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.contype = 'u'), '')
			FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid
			JOIN pg_namespace ns ON ns.oid = c.relnamespace JOIN pg_am am ON am.oid = ic.relam
			CROSS JOIN generate_series(1, i.indnkeyatts) k
			LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[k - 1]
			WHERE ns.nspname = $1 AND c.relname = $2 ORDER BY ic.relname, k`, t.Schema, t.Name) {
			add(r[0], r[1] == "true", r[2] == "true", r[3], r[4], r[5])
			if r[6] == "y" && len(byName[r[0]].Columns) == 1 {
				t.Uniques = append(t.Uniques, schema.Key{Name: r[0]})
			}
		}
	} else {
		for _, r := range s.query(`SELECT INDEX_NAME, NON_UNIQUE, INDEX_TYPE, COLUMN_NAME FROM information_schema.STATISTICS
			WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`, t.Schema, t.Name) {
			method := strings.ToLower(r[2])
			if method != "btree" && method != "hash" {
				method = r[2]
			}
			add(r[0], r[1] == "0", r[0] == "PRIMARY", method, "", r[3])
			if r[1] == "0" && r[0] != "PRIMARY" && len(byName[r[0]].Columns) == 1 {
				t.Uniques = append(t.Uniques, schema.Key{Name: r[0]})
			}
		}
	}
	for _, name := range order {
		ix := byName[name]
		t.Indexes = append(t.Indexes, *ix)
		if ix.Primary {
			t.PrimaryKey = &schema.Key{Name: name, Columns: ix.Columns}
		}
	}
	for i := range t.Uniques {
		t.Uniques[i].Columns = byName[t.Uniques[i].Name].Columns
	}
}

// diff returns the lines only in a (-) and only in b (+).
func diff(a, b string) string {
	in := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, l := range strings.Split(s, "\n") {
			m[l] = true
		}
		return m
	}
	ma, mb := in(a), in(b)
	var out []string
	for _, l := range strings.Split(a, "\n") {
		if !mb[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(b, "\n") {
		if !ma[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
