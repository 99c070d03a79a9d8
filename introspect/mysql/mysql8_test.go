package mysql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// MySQL 8 cannot be installed where the tests run (MariaDB 10.11 does):
// these tests feed the reader what MySQL 8.0's information_schema returns
// for a small schema, through a database/sql driver that answers each
// catalog query with canned rows, and check what the reader makes of them.
// The queries themselves run against MariaDB in the integration tests; the
// branches only MySQL 8 takes (VIEW_TABLE_USAGE, functional index
// EXPRESSION, CHECK_CONSTRAINTS joined with TABLE_CONSTRAINTS, views
// without ALGORITHM, defaults marked DEFAULT_GENERATED, check clauses in
// extra parentheses) are covered here.

// cannedRows answers a query whose text holds match.
type cannedRows struct {
	match string
	cols  []string
	rows  [][]driver.Value
}

// cannedDriver is a database/sql driver whose one connection answers
// queries from rules, in order; a query no rule matches is an error.
type cannedDriver struct {
	mu      sync.Mutex
	rules   []cannedRows
	queries []string
}

func (d *cannedDriver) Open(string) (driver.Conn, error) { return &cannedConn{d: d}, nil }

type cannedConn struct{ d *cannedDriver }

func (c *cannedConn) Prepare(string) (driver.Stmt, error) {
	return nil, fmt.Errorf("canned: prepared statements are not supported")
}
func (c *cannedConn) Close() error              { return nil }
func (c *cannedConn) Begin() (driver.Tx, error) { return c, nil }
func (c *cannedConn) Commit() error             { return nil }
func (c *cannedConn) Rollback() error           { return nil }

func (c *cannedConn) QueryContext(_ context.Context, q string, _ []driver.NamedValue) (driver.Rows, error) {
	c.d.mu.Lock()
	defer c.d.mu.Unlock()
	c.d.queries = append(c.d.queries, q)
	for _, r := range c.d.rules {
		if strings.Contains(q, r.match) {
			return &cannedResult{cols: r.cols, rows: r.rows}, nil
		}
	}
	return nil, fmt.Errorf("canned: no answer for %q", q)
}

func (c *cannedConn) ExecContext(context.Context, string, []driver.NamedValue) (driver.Result, error) {
	return driver.RowsAffected(0), nil
}

type cannedResult struct {
	cols []string
	rows [][]driver.Value
	i    int
}

func (r *cannedResult) Columns() []string { return r.cols }
func (r *cannedResult) Close() error      { return nil }
func (r *cannedResult) Next(dest []driver.Value) error {
	if r.i >= len(r.rows) {
		return io.EOF
	}
	copy(dest, r.rows[r.i])
	r.i++
	return nil
}

// mysql8Rules are MySQL 8.0.36's answers for database shop: a table with a
// DEFAULT_GENERATED timestamp and an expression default, a functional
// index, a check constraint, a foreign key, a view that
// VIEW_TABLE_USAGE describes, a trigger, and performance_schema counters.
var mysql8Rules = []cannedRows{
	{"SELECT VERSION()", []string{"v", "ps", "u", "db"}, [][]driver.Value{{"8.0.36", "1", "app@%", "shop"}}},
	{"SHOW GRANTS", []string{"g"}, [][]driver.Value{{"GRANT SELECT, SHOW VIEW, TRIGGER ON `shop`.* TO `app`@`%`"}}},
	{"information_schema.SCHEMATA", []string{"n", "c"}, [][]driver.Value{{"shop", ""}}},
	{"information_schema.TABLES", []string{"n", "t", "o", "c", "r", "s"}, [][]driver.Value{
		{"album", "BASE TABLE", "", "albums", int64(3), int64(32768)},
		{"track", "BASE TABLE", "", "", int64(10), int64(16384)},
		{"album_titles", "VIEW", nil, "VIEW", nil, nil},
	}},
	{"information_schema.COLUMNS", []string{"t", "c", "p", "ct", "dt", "n", "d", "e", "g", "cm"}, [][]driver.Value{
		{"album", "id", int64(1), "int", "int", "NO", nil, "auto_increment", "", ""},
		{"album", "title", int64(2), "varchar(200)", "varchar", "NO", "untitled", "", "", ""},
		{"album", "price", int64(3), "decimal(8,2)", "decimal", "YES", nil, "", "", ""},
		{"album", "created_at", int64(4), "timestamp", "timestamp", "NO", "CURRENT_TIMESTAMP", "DEFAULT_GENERATED on update CURRENT_TIMESTAMP", "", ""},
		{"album", "ref", int64(5), "char(36)", "char", "YES", "uuid()", "DEFAULT_GENERATED", "", ""},
		{"album", "slug", int64(6), "varchar(200)", "varchar", "YES", nil, "VIRTUAL GENERATED", "lower(`title`)", ""},
		{"track", "id", int64(1), "int", "int", "NO", nil, "", "", ""},
		{"track", "album_id", int64(2), "int", "int", "YES", nil, "", "", ""},
		{"album_titles", "title", int64(1), "varchar(200)", "varchar", "NO", "untitled", "", "", ""},
	}},
	{"information_schema.STATISTICS", []string{"t", "i", "nu", "s", "c", "e", "ty"}, [][]driver.Value{
		{"album", "PRIMARY", int64(0), int64(1), "id", nil, "BTREE"},
		{"album", "album_title_lower", int64(1), int64(1), nil, "lower(`title`)", "BTREE"},
		{"track", "PRIMARY", int64(0), int64(1), "id", nil, "BTREE"},
		{"track", "album_id", int64(1), int64(1), "album_id", nil, "BTREE"},
	}},
	{"information_schema.REFERENTIAL_CONSTRAINTS", []string{"t", "n", "u", "d"}, [][]driver.Value{{"track", "track_ibfk_1", "RESTRICT", "CASCADE"}}},
	{"information_schema.KEY_COLUMN_USAGE", []string{"t", "n", "c", "p", "rs", "rt", "rc"}, [][]driver.Value{{"track", "track_ibfk_1", "album_id", int64(1), "shop", "album", "id"}}},
	{"JOIN information_schema.TABLE_CONSTRAINTS", []string{"t", "n", "c"}, [][]driver.Value{{"album", "album_chk_1", "(`price` > 0)"}}},
	{"information_schema.VIEW_TABLE_USAGE", []string{"v", "s", "t"}, [][]driver.Value{{"album_titles", "shop", "album"}}},
	{"information_schema.VIEWS", []string{"n", "d", "s", "c", "a", "cs", "co", "de"}, [][]driver.Value{
		{"album_titles", "select `shop`.`album`.`title` AS `title` from `shop`.`album`", "INVOKER", "NONE", "", "utf8mb4", "utf8mb4_0900_ai_ci", "app@%"},
	}},
	{"information_schema.TRIGGERS", []string{"n", "e", "s", "t", "ti", "o", "b", "m", "cs", "co", "de"}, [][]driver.Value{
		{"track_ins", "INSERT", "shop", "track", "AFTER", "ROW", "UPDATE album SET price = price WHERE id = NEW.album_id",
			"ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION", "utf8mb4", "utf8mb4_0900_ai_ci", "root@localhost"},
	}},
	{"information_schema.ROUTINES", []string{"n", "t", "d"}, [][]driver.Value{
		{"album_price", "FUNCTION", "RETURN (SELECT price FROM album WHERE id = a)"},
		{"hidden", "PROCEDURE", nil},
	}},
	{"performance_schema.table_io_waits_summary_by_table", []string{"i", "c", "n", "r", "in", "u", "d"}, [][]driver.Value{
		{"YES", "YES", "album", int64(12), int64(3), int64(0), int64(0)},
	}},
}

// readCanned runs the reader over a canned connection and returns the
// snapshot and the queries sent.
func readCanned(t *testing.T, rules []cannedRows) (*schema.Snapshot, []string) {
	t.Helper()
	d := &cannedDriver{rules: rules}
	name := fmt.Sprintf("seams-canned-%p", d)
	sql.Register(name, d)
	db, err := sql.Open(name, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	dsn, err := introspect.ParseDSN("mysql://app@db:3306/shop")
	if err != nil {
		t.Fatal(err)
	}
	r := &reader{cfg: &introspect.Config{DSN: dsn, SeamsVersion: "test", Now: func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }},
		op: "introspect", conn: conn, db: "shop"}
	if err := r.readServer(ctx); err != nil {
		t.Fatal(err)
	}
	snap, err := r.read(ctx)
	if err != nil {
		t.Fatalf("read: %v (queries %q)", err, d.queries)
	}
	return snap, d.queries
}

func TestMySQL8Catalog(t *testing.T) {
	snap, queries := readCanned(t, mysql8Rules)
	if snap.Source.Engine != schema.MySQL || snap.Source.ServerVersion != "8.0.36" {
		t.Errorf("source %+v", snap.Source)
	}
	// The MySQL 8 branches were taken.
	for _, want := range []string{", EXPRESSION, INDEX_TYPE", "JOIN information_schema.TABLE_CONSTRAINTS", "VIEW_TABLE_USAGE", "SECURITY_TYPE, CHECK_OPTION, '',"} {
		if !strings.Contains(strings.Join(queries, "\n"), want) {
			t.Errorf("no query holds %q", want)
		}
	}
	album := snap.Tables[0]
	if album.Name != "album" || album.Comment != "albums" {
		t.Fatalf("tables %+v", snap.Tables)
	}
	col := func(name string) schema.Column {
		for _, c := range album.Columns {
			if c.Name == name {
				return c
			}
		}
		t.Fatalf("album has no column %s", name)
		return schema.Column{}
	}
	for _, tt := range []struct {
		col, def, gen, expr string
	}{
		{"title", "'untitled'", "", ""}, // MySQL 8 gives string defaults unquoted
		{"created_at", "CURRENT_TIMESTAMP", "", ""},
		{"ref", "uuid()", "", ""}, // an expression default, DEFAULT_GENERATED
		{"slug", "", "virtual", "lower(`title`)"},
	} {
		c := col(tt.col)
		def := ""
		if c.Default != nil {
			def = *c.Default
		}
		if def != tt.def || c.Generated != tt.gen || c.Expression != tt.expr {
			t.Errorf("column %s: default %q generated %q expression %q, want %q %q %q", tt.col, def, c.Generated, c.Expression, tt.def, tt.gen, tt.expr)
		}
	}
	if c := col("id"); c.Identity != "auto_increment" {
		t.Errorf("id identity %q", c.Identity)
	}
	wantIdx := []schema.Index{{Name: "PRIMARY", Columns: []string{"id"}, Unique: true, Primary: true, Method: "btree"},
		{Name: "album_title_lower", Columns: []string{"lower(`title`)"}, Method: "btree"}}
	if !reflect.DeepEqual(album.Indexes, wantIdx) {
		t.Errorf("indexes with a functional part: %+v, want %+v", album.Indexes, wantIdx)
	}
	if !reflect.DeepEqual(album.Checks, []schema.Check{{Name: "album_chk_1", Expression: "`price` > 0"}}) {
		t.Errorf("checks %+v (MySQL 8 wraps the clause in parentheses)", album.Checks)
	}
	if album.Stats == nil || album.Stats.RowsRead == nil || *album.Stats.RowsRead != 12 {
		t.Errorf("stats %+v", album.Stats)
	}
	track := snap.Tables[1]
	if len(track.ForeignKeys) != 1 || track.ForeignKeys[0].OnDelete != schema.Cascade || track.ForeignKeys[0].References != (schema.TableName{Schema: "shop", Name: "album"}) {
		t.Errorf("track keys %+v", track.ForeignKeys)
	}
	if len(snap.Views) != 1 {
		t.Fatalf("views %+v", snap.Views)
	}
	v := snap.Views[0]
	if !reflect.DeepEqual(v.Reads, []schema.TableName{{Schema: "shop", Name: "album"}}) || v.Security != "INVOKER" || v.Algorithm != "" || v.Definer != "app@%" ||
		v.CreatedWith == nil || v.CreatedWith.CollationConnection != "utf8mb4_0900_ai_ci" {
		t.Errorf("view %+v", v)
	}
	if len(snap.Triggers) != 1 {
		t.Fatalf("triggers %+v", snap.Triggers)
	}
	tr := snap.Triggers[0]
	if !reflect.DeepEqual(tr.Writes, []schema.TableName{{Schema: "shop", Name: "album"}}) || tr.Definer != "root@localhost" || tr.CreatedWith == nil || tr.CreatedWith.SQLMode == nil ||
		!strings.HasPrefix(*tr.CreatedWith.SQLMode, "ONLY_FULL_GROUP_BY") {
		t.Errorf("trigger %+v", tr)
	}
	if len(snap.Unreadable) != 0 {
		t.Errorf("unreadable %+v", snap.Unreadable)
	}
	// A routine names album without its database: a move breaks it.
	album0 := []schema.TableName{{Schema: "shop", Name: "album"}}
	want := []schema.Routine{
		{Schema: "shop", Name: "album_price", Kind: "function", Language: "sql", Reads: album0, Writes: []schema.TableName{}, ByPath: album0},
		{Schema: "shop", Name: "hidden", Kind: "procedure", Language: "sql", Reads: []schema.TableName{}, Writes: []schema.TableName{}, Unresolved: "body not readable"},
	}
	if !reflect.DeepEqual(snap.Routines, want) {
		t.Errorf("routines\n got %+v\nwant %+v", snap.Routines, want)
	}
}

// TestMySQL8BeforeChecks: MySQL before 8.0.16 has no check constraints and
// before 8.0.13 no VIEW_TABLE_USAGE: the reader asks for neither and
// parses the view's definition instead.
func TestMySQL8BeforeChecks(t *testing.T) {
	rules := append([]cannedRows{{"SELECT VERSION()", []string{"v", "ps", "u", "db"}, [][]driver.Value{{"8.0.12", "0", "app@%", "shop"}}},
		{"table statistics", []string{"u", "n", "r", "c"}, nil}}, mysql8Rules[1:]...)
	snap, queries := readCanned(t, rules)
	all := strings.Join(queries, "\n")
	for _, not := range []string{"CHECK_CONSTRAINTS", "VIEW_TABLE_USAGE", ", EXPRESSION, INDEX_TYPE"} {
		if strings.Contains(all, not) {
			t.Errorf("MySQL 8.0.12 was asked about %s", not)
		}
	}
	if len(snap.Tables[0].Checks) != 0 {
		t.Errorf("checks %+v", snap.Tables[0].Checks)
	}
	if v := snap.Views[0]; !reflect.DeepEqual(v.Reads, []schema.TableName{{Schema: "shop", Name: "album"}}) {
		t.Errorf("view reads %+v, want them parsed from the definition", v.Reads)
	}
}
