//go:build integration

package mysql

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	golden_ "github.com/seamsdev/seams/internal/golden"

	"github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// dbName returns the database of a go-sql-driver DSN.
func dbName(t testing.TB, dsn string) string {
	t.Helper()
	c, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return c.DBName
}

// withUser returns dsn with another user and password.
func withUser(t testing.TB, dsn, user, password string) string {
	t.Helper()
	c, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	c.User, c.Passwd = user, password
	return c.FormatDSN()
}

// createUser creates a uniquely named user with a password and the given
// grants (each "PRIV ON what"), and drops it when the test ends.
func createUser(t testing.TB, adminDSN, password string, grants ...string) string {
	t.Helper()
	user := testdb.Name("seams_u")
	if len(user) > 32 { // MariaDB allows 80, MySQL 32
		user = user[:32]
	}
	account := fmt.Sprintf("'%s'@'%%'", user)
	script := fmt.Sprintf("CREATE USER %s IDENTIFIED BY '%s';", account, password)
	for _, g := range grants {
		script += fmt.Sprintf("GRANT %s TO %s;", g, account)
	}
	testdb.ExecMySQL(t, adminDSN, script)
	t.Cleanup(func() {
		db, err := sql.Open("mysql", adminDSN)
		if err != nil {
			t.Errorf("drop user: %v", err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP USER IF EXISTS " + account); err != nil {
			t.Errorf("drop user %s: %v", user, err)
		}
	})
	return user
}

// perfSchemaCounts reports whether the server keeps performance_schema's
// table I/O counts: performance_schema ON, with the table I/O instrument and
// the global_instrumentation consumer enabled. The tests expect the counters
// from there when it does, and their absence, with the reason, when not.
func perfSchemaCounts(t testing.TB, adminDSN string) bool {
	t.Helper()
	db, err := sql.Open("mysql", adminDSN)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var on string
	if err := db.QueryRow("SELECT @@performance_schema").Scan(&on); err != nil {
		t.Fatal(err)
	}
	if on != "1" {
		return false
	}
	var instrument, consumer sql.NullString
	err = db.QueryRow(`SELECT (SELECT ENABLED FROM performance_schema.setup_instruments WHERE NAME = 'wait/io/table/sql/handler'),
 (SELECT ENABLED FROM performance_schema.setup_consumers WHERE NAME = 'global_instrumentation')`).Scan(&instrument, &consumer)
	if err != nil {
		t.Fatal(err)
	}
	return perfSchemaOff(instrument, consumer) == ""
}

// perfSchemaGrants are the grants that let a user read the counters.
var perfSchemaGrants = []string{
	"SELECT ON performance_schema.table_io_waits_summary_by_table",
	"SELECT ON performance_schema.setup_instruments",
	"SELECT ON performance_schema.setup_consumers",
}

// statsOff is the reason recorded for stats when performance_schema is off
// and userstat too.
const statsOff = "performance_schema is OFF (set performance_schema=ON in my.cnf and restart the server); userstat is OFF (SET GLOBAL userstat=ON, or userstat=ON in my.cnf)"

// catalogScript builds the main fixture; other is the second database.
func catalogScript(other string) string {
	o := sqlident.MySQL(other)
	return `
CREATE TABLE customer (
  id BIGINT AUTO_INCREMENT PRIMARY KEY COMMENT 'surrogate key',
  email VARCHAR(200) NOT NULL,
  country CHAR(2) NOT NULL DEFAULT 'GB',
  nickname VARCHAR(40) DEFAULT NULL,
  note VARCHAR(40) DEFAULT 'it''s NULL',
  literal_null VARCHAR(10) DEFAULT 'NULL',
  created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  balance DECIMAL(10,2) NOT NULL DEFAULT 0.00,
  flags BIT(3) DEFAULT b'101',
  email_domain VARCHAR(200) AS (SUBSTRING_INDEX(email, '@', -1)) VIRTUAL,
  email_lower VARCHAR(200) AS (LOWER(email)) STORED,
  UNIQUE KEY customer_email (email),
  KEY customer_domain (email_domain),
  KEY customer_email_prefix (email(10)),
  FULLTEXT KEY customer_note_ft (note),
  CONSTRAINT customer_country_fk FOREIGN KEY (country) REFERENCES ` + o + `.country (code) ON UPDATE CASCADE,
  CONSTRAINT customer_balance_ck CHECK (balance >= 0)
) COMMENT='people who buy';

CREATE TABLE ` + "`order`" + ` (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  customer_id BIGINT NOT NULL,
  total DECIMAL(10,2) NOT NULL CHECK (total >= 0),
  CONSTRAINT order_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (id) ON DELETE CASCADE
);

CREATE TABLE order_line (
  z_order BIGINT NOT NULL,
  a_line INT NOT NULL,
  qty INT NOT NULL,
  PRIMARY KEY (z_order, a_line),
  UNIQUE KEY order_line_qty (a_line, qty, z_order),
  CONSTRAINT order_line_order_fk FOREIGN KEY (z_order) REFERENCES ` + "`order`" + ` (id) ON DELETE CASCADE ON UPDATE RESTRICT,
  CONSTRAINT order_line_qty_ck CHECK (qty > 0)
);

CREATE TABLE shipment_line (
  id INT PRIMARY KEY,
  z_order BIGINT,
  a_line INT,
  CONSTRAINT shipment_line_fk FOREIGN KEY (z_order, a_line) REFERENCES order_line (z_order, a_line) ON DELETE SET NULL ON UPDATE NO ACTION
);

CREATE TABLE employee (
  id INT PRIMARY KEY,
  manager_id INT,
  CONSTRAINT employee_manager_fk FOREIGN KEY (manager_id) REFERENCES employee (id) ON DELETE SET NULL
);

CREATE TABLE event_log (
  id BIGINT NOT NULL,
  happened DATE NOT NULL,
  PRIMARY KEY (id, happened)
) PARTITION BY RANGE (YEAR(happened)) (
  PARTITION p2024 VALUES LESS THAN (2025),
  PARTITION p2025 VALUES LESS THAN (2026),
  PARTITION pmax VALUES LESS THAN MAXVALUE
);

CREATE TABLE audit_log (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  what VARCHAR(100) NOT NULL
);

CREATE VIEW v_customer AS SELECT id, email, country FROM customer;
CREATE VIEW v_customer_orders AS SELECT c.id, c.email, o.total FROM v_customer c JOIN ` + "`order`" + ` o ON o.customer_id = c.id;
CREATE VIEW v_countries AS SELECT code FROM ` + o + `.country;

CREATE TRIGGER order_audit AFTER INSERT ON ` + "`order`" + ` FOR EACH ROW
  INSERT INTO audit_log (what) VALUES (CONCAT('order ', NEW.id));
CREATE TRIGGER order_line_check BEFORE UPDATE ON order_line FOR EACH ROW
  SET NEW.qty = (SELECT COUNT(*) FROM customer WHERE id = NEW.z_order);

CREATE PROCEDURE note_it() BEGIN END;
CREATE TRIGGER customer_sync AFTER UPDATE ON customer FOR EACH ROW
BEGIN
  DECLARE n INT DEFAULT 0;
  IF NEW.email <> OLD.email THEN
    UPDATE ` + "`order`" + ` SET total = total + 0 WHERE customer_id = NEW.id;
    DELETE FROM audit_log WHERE what = OLD.email;
  END IF;
  CALL note_it();
END;

INSERT INTO ` + o + `.country (code) VALUES ('GB'), ('FR');
INSERT INTO customer (email) VALUES ('a@example.com'), ('b@example.org');
`
}

// catalogDBs creates the main fixture database and the second database it
// references, and returns their DSNs.
func catalogDBs(t testing.TB) (main, other string) {
	t.Helper()
	other = testdb.MySQL(t)
	testdb.ExecMySQL(t, other, "CREATE TABLE country (code CHAR(2) PRIMARY KEY, name VARCHAR(60))")
	main = testdb.MySQL(t)
	testdb.ExecMySQL(t, main, catalogScript(dbName(t, other)))
	return main, other
}

func TestCatalog(t *testing.T) {
	mainDSN, otherDSN := catalogDBs(t)
	db, other := dbName(t, mainDSN), dbName(t, otherDSN)
	snap := run(t, config(t, mainDSN))
	ix := schema.NewLookup(snap)
	tn := func(name string) schema.TableName { return schema.TableName{Schema: db, Name: name} }
	table := func(t *testing.T, name string) *schema.Table {
		t.Helper()
		tb := ix.Table(tn(name))
		if tb == nil {
			t.Fatalf("table %s missing", name)
		}
		return tb
	}
	fk := func(t *testing.T, table *schema.Table, name string) schema.ForeignKey {
		t.Helper()
		for _, f := range table.ForeignKeys {
			if f.Name == name {
				return f
			}
		}
		t.Fatalf("foreign key %s.%s missing", table.Name, name)
		return schema.ForeignKey{}
	}
	str := func(s string) *string { return &s }
	trigger := func(t *testing.T, name string) schema.Trigger {
		t.Helper()
		for _, tr := range snap.Triggers {
			if tr.Name == name {
				return tr
			}
		}
		t.Fatalf("trigger %s missing", name)
		return schema.Trigger{}
	}

	tests := []struct {
		name  string
		check func(t *testing.T) (got, want any)
	}{
		{"source", func(t *testing.T) (any, any) {
			s := snap.Source
			s.ServerVersion = "" // varies
			return s, schema.Source{Engine: schema.MariaDB, Database: db, Host: "127.0.0.1:3306", CapturedAt: fixedNow, SeamsVersion: "test"}
		}},
		{"one schema", func(t *testing.T) (any, any) { return snap.Schemas, []schema.Schema{{Name: db}} }},
		{"tables", func(t *testing.T) (any, any) {
			var names []string
			for _, t := range snap.Tables {
				names = append(names, t.Name)
			}
			return names, []string{"audit_log", "customer", "employee", "event_log", "order", "order_line", "shipment_line"}
		}},
		{"table comment", func(t *testing.T) (any, any) { return table(t, "customer").Comment, "people who buy" }},
		{"size and rows known", func(t *testing.T) (any, any) {
			c := table(t, "customer")
			return c.SizeBytes != nil && *c.SizeBytes > 0 && c.RowEstimate != nil, true
		}},
		{"partitioned table, no partition tables", func(t *testing.T) (any, any) {
			e := table(t, "event_log")
			return []any{e.Kind, e.PartitionOf, snap.Counts().Partitions}, []any{schema.KindPartitioned, (*schema.TableName)(nil), 0}
		}},
		{"columns in order", func(t *testing.T) (any, any) {
			var names []string
			for _, c := range table(t, "customer").Columns {
				names = append(names, c.Name)
			}
			return names, []string{"id", "email", "country", "nickname", "note", "literal_null", "created", "balance", "flags", "email_domain", "email_lower"}
		}},
		{"auto_increment and column comment", func(t *testing.T) (any, any) {
			return *table(t, "customer").Column("id"), schema.Column{Name: "id", Type: "bigint(20)", Identity: "auto_increment", Comment: "surrogate key"}
		}},
		{"defaults", func(t *testing.T) (any, any) {
			c := table(t, "customer")
			var got []*string
			for _, n := range []string{"email", "country", "nickname", "note", "literal_null", "created", "balance", "flags"} {
				got = append(got, c.Column(n).Default)
			}
			return got, []*string{nil, str("'GB'"), nil, str("'it''s NULL'"), str("'NULL'"), str("CURRENT_TIMESTAMP"), str("0.00"), str("b'101'")}
		}},
		{"nullable", func(t *testing.T) (any, any) {
			c := table(t, "customer")
			return []bool{c.Column("email").Nullable, c.Column("nickname").Nullable}, []bool{false, true}
		}},
		{"virtual generated column", func(t *testing.T) (any, any) {
			c := *table(t, "customer").Column("email_domain")
			return []string{c.Generated, c.Expression}, []string{"virtual", "substring_index(`email`,'@',-1)"}
		}},
		{"stored generated column", func(t *testing.T) (any, any) {
			c := *table(t, "customer").Column("email_lower")
			return []string{c.Generated, c.Expression}, []string{"stored", "lcase(`email`)"}
		}},
		{"primary key", func(t *testing.T) (any, any) {
			return table(t, "customer").PrimaryKey, &schema.Key{Name: "PRIMARY", Columns: []string{"id"}}
		}},
		{"composite primary key in declared order", func(t *testing.T) (any, any) {
			return table(t, "order_line").PrimaryKey.Columns, []string{"z_order", "a_line"}
		}},
		{"unique constraints", func(t *testing.T) (any, any) {
			return table(t, "order_line").Uniques, []schema.Key{{Name: "order_line_qty", Columns: []string{"a_line", "qty", "z_order"}}}
		}},
		{"indexes", func(t *testing.T) (any, any) {
			return table(t, "customer").Indexes, []schema.Index{
				{Name: "PRIMARY", Columns: []string{"id"}, Unique: true, Primary: true, Method: "btree"},
				{Name: "customer_country_fk", Columns: []string{"country"}, Method: "btree"},
				{Name: "customer_domain", Columns: []string{"email_domain"}, Method: "btree"},
				{Name: "customer_email", Columns: []string{"email"}, Unique: true, Method: "btree"},
				{Name: "customer_email_prefix", Columns: []string{"email"}, Method: "btree"},
				{Name: "customer_note_ft", Columns: []string{"note"}, Method: "FULLTEXT"},
			}
		}},
		{"check constraints, table and column level", func(t *testing.T) (any, any) {
			return []any{table(t, "customer").Checks, table(t, "order").Checks}, []any{
				[]schema.Check{{Name: "customer_balance_ck", Expression: "`balance` >= 0"}},
				[]schema.Check{{Name: "total", Expression: "`total` >= 0"}},
			}
		}},
		{"cross-database foreign key", func(t *testing.T) (any, any) {
			return fk(t, table(t, "customer"), "customer_country_fk"), schema.ForeignKey{
				Name: "customer_country_fk", Columns: []string{"country"}, References: schema.TableName{Schema: other, Name: "country"},
				RefColumns: []string{"code"}, OnDelete: schema.Restrict, OnUpdate: schema.Cascade, Enforced: true, Valid: true,
			}
		}},
		{"composite foreign key in declared order", func(t *testing.T) (any, any) {
			return fk(t, table(t, "shipment_line"), "shipment_line_fk"), schema.ForeignKey{
				Name: "shipment_line_fk", Columns: []string{"z_order", "a_line"}, References: tn("order_line"),
				RefColumns: []string{"z_order", "a_line"}, OnDelete: schema.SetNull, OnUpdate: schema.NoAction, Enforced: true, Valid: true,
			}
		}},
		{"self reference", func(t *testing.T) (any, any) {
			f := fk(t, table(t, "employee"), "employee_manager_fk")
			return []any{f.References, f.Columns, f.RefColumns, f.OnDelete}, []any{tn("employee"), []string{"manager_id"}, []string{"id"}, schema.SetNull}
		}},
		{"actions", func(t *testing.T) (any, any) {
			f := fk(t, table(t, "order_line"), "order_line_order_fk")
			g := fk(t, table(t, "order"), "order_customer_fk")
			return []schema.Action{f.OnDelete, f.OnUpdate, g.OnDelete}, []schema.Action{schema.Cascade, schema.Restrict, schema.Cascade}
		}},
		{"views", func(t *testing.T) (any, any) {
			var names []string
			for _, v := range snap.Views {
				names = append(names, v.Name)
				if v.Definition == "" || len(v.Columns) == 0 {
					t.Errorf("view %s: no definition or columns", v.Name)
				}
			}
			return names, []string{"v_countries", "v_customer", "v_customer_orders"}
		}},
		{"views and triggers: their definer, the account that created them", func(t *testing.T) (any, any) {
			conn, err := sql.Open("mysql", mainDSN)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			var me string
			if err := conn.QueryRow("SELECT CURRENT_USER()").Scan(&me); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range snap.Views {
				got = append(got, v.Definer)
			}
			for _, tr := range snap.Triggers {
				got = append(got, tr.Definer)
			}
			want := make([]string, len(snap.Views)+len(snap.Triggers))
			for i := range want {
				want[i] = me
			}
			return got, want
		}},
		{"view on a view reads the view", func(t *testing.T) (any, any) {
			v := ix.View(tn("v_customer_orders"))
			return v.Reads, []schema.TableName{tn("order"), tn("v_customer")}
		}},
		{"view reading another database", func(t *testing.T) (any, any) {
			v := ix.View(tn("v_countries"))
			return v.Reads, []schema.TableName{{Schema: other, Name: "country"}}
		}},
		{"triggers", func(t *testing.T) (any, any) {
			var got []string
			for _, tr := range snap.Triggers {
				got = append(got, fmt.Sprintf("%s on %s: %s %v %s", tr.Name, tr.Table.Name, tr.Timing, tr.Events, tr.Level))
			}
			return got, []string{"customer_sync on customer: AFTER [UPDATE] ROW", "order_audit on order: AFTER [INSERT] ROW", "order_line_check on order_line: BEFORE [UPDATE] ROW"}
		}},
		{"trigger body writing another table", func(t *testing.T) (any, any) {
			tr := trigger(t, "order_audit")
			if !strings.Contains(tr.Body, "INSERT INTO audit_log") {
				t.Errorf("body = %q", tr.Body)
			}
			return []any{tr.Writes, tr.Reads, tr.Unresolved}, []any{[]schema.TableName{tn("audit_log")}, []schema.TableName{}, ""}
		}},
		{"trigger body reading another table", func(t *testing.T) (any, any) {
			tr := trigger(t, "order_line_check")
			return []any{tr.Writes, tr.Reads, tr.Unresolved}, []any{[]schema.TableName{}, []schema.TableName{tn("customer")}, ""}
		}},
		{"compound trigger body with a CALL", func(t *testing.T) (any, any) {
			tr := trigger(t, "customer_sync")
			if !strings.Contains(tr.Unresolved, "not followed") || !strings.Contains(tr.Unresolved, "note_it") {
				t.Errorf("unresolved = %q, want the CALL named", tr.Unresolved)
			}
			return tr.Writes, []schema.TableName{tn("audit_log"), tn("order")}
		}},
		{"stats: counted by performance_schema, or absent with the reason", func(t *testing.T) (any, any) {
			var reasons []string
			for _, u := range snap.Unreadable {
				if u.Part == partStats {
					reasons = append(reasons, u.Reason)
				}
			}
			if !perfSchemaCounts(t, mainDSN) {
				for _, tb := range snap.Tables {
					if tb.Stats != nil {
						t.Errorf("%s: stats %+v, want nil (absent, not zero)", tb.Name, tb.Stats)
					}
				}
				return reasons, []string{statsOff}
			}
			// Every table was opened since it was created: each has a
			// row, its four counters known (zero where nothing happened).
			for _, tb := range snap.Tables {
				s := tb.Stats
				if s == nil || s.Source != "performance_schema" || s.RowsRead == nil || s.Inserted == nil || s.Updated == nil || s.Deleted == nil || s.Changed != nil {
					t.Errorf("%s: stats %+v, want the four performance_schema counters", tb.Name, s)
				}
			}
			c := table(t, "customer").Stats
			a := table(t, "audit_log").Stats
			return []any{reasons, deref(c.Inserted), deref(c.Updated), deref(c.Deleted), deref(a.Inserted), deref(a.RowsRead)},
				[]any{[]string(nil), int64(2), int64(0), int64(0), int64(0), int64(0)}
		}},
		{"valid snapshot", func(t *testing.T) (any, any) { return snap.Validate(), error(nil) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, want := tc.check(t)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %#v\nwant %#v", got, want)
			}
		})
	}

	t.Run("golden", func(t *testing.T) {
		// Row estimates and sizes are the server's estimates: leave them
		// out of the golden file.
		// So are the activity counters, and whether they can be read
		// depends on the server's settings: the test above checks them.
		masked := *snap
		masked.Tables = slices.Clone(snap.Tables)
		for i := range masked.Tables {
			masked.Tables[i].RowEstimate, masked.Tables[i].SizeBytes, masked.Tables[i].Stats = nil, nil, nil
		}
		// So is the definer: the account the test connects as (checked
		// above).
		masked.Views, masked.Triggers = slices.Clone(snap.Views), slices.Clone(snap.Triggers)
		for i := range masked.Views {
			masked.Views[i].Definer = "USER"
		}
		for i := range masked.Triggers {
			masked.Triggers[i].Definer = "USER"
		}
		masked.Unreadable = slices.DeleteFunc(slices.Clone(snap.Unreadable), func(u schema.Unreadable) bool { return u.Part == partStats })
		var buf bytes.Buffer
		if err := masked.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		got := strings.NewReplacer(db, "DB", other, "OTHER", snap.Source.ServerVersion, "VERSION").Replace(buf.String())
		golden(t, "catalog.golden.json", got)
	})
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	golden_.Assert(t, filepath.Join("testdata", name), []byte(got))
}

func TestEmptyDatabase(t *testing.T) {
	dsn := testdb.MySQL(t)
	snap := run(t, config(t, dsn))
	c := snap.Counts()
	if c != (schema.Counts{Schemas: 1}) {
		t.Errorf("counts = %+v, want one schema and nothing else", c)
	}
	var buf bytes.Buffer
	if err := snap.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"tables": []`, `"views": []`, `"triggers": []`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("encoded empty snapshot lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestIdentifiers(t *testing.T) {
	names := []struct{ desc, name string }{
		{"mixed case", "MixedCase"},
		{"same name, other case", "mixedcase"},
		{"space", "with space"},
		{"backquote", "back`quote"},
		{"single quote", "it's"},
		{"double quote", `say "hi"`},
		{"dot", "dot.ted"},
		{"non-ASCII", "naïve_Straße"},
		{"CJK", "顧客"},
		{"reserved word", "select"},
		{"reserved word 2", "order"},
	}
	dsn := testdb.MySQL(t)
	var script strings.Builder
	for i, n := range names {
		q := sqlident.MySQL(n.name)
		// A table, a column, an index and a self-referencing foreign key,
		// all named n, and a view reading the table.
		fmt.Fprintf(&script, "CREATE TABLE %s (id INT PRIMARY KEY, %s INT, KEY %s (%s), CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (id)) COMMENT = '%s';\n",
			q, q, q, q, sqlident.MySQL(fmt.Sprintf("fk%d %s", i, n.name)), q, q, strings.ReplaceAll(n.name, "'", "''"))
		fmt.Fprintf(&script, "CREATE VIEW %s AS SELECT %s FROM %s;\n", sqlident.MySQL("v "+n.name), q, q)
	}
	testdb.ExecMySQL(t, dsn, script.String())
	db := dbName(t, dsn)
	snap := run(t, config(t, dsn))
	ix := schema.NewLookup(snap)
	for i, n := range names {
		t.Run(n.desc, func(t *testing.T) {
			tn := schema.TableName{Schema: db, Name: n.name}
			tb := ix.Table(tn)
			if tb == nil {
				t.Fatalf("table %q missing", n.name)
			}
			if tb.Comment != n.name {
				t.Errorf("comment = %q, want %q", tb.Comment, n.name)
			}
			if tb.Column(n.name) == nil {
				t.Errorf("column %q missing: %+v", n.name, tb.Columns)
			}
			if !slices.ContainsFunc(tb.Indexes, func(x schema.Index) bool { return x.Name == n.name && slices.Equal(x.Columns, []string{n.name}) }) {
				t.Errorf("index %q missing: %+v", n.name, tb.Indexes)
			}
			want := schema.ForeignKey{Name: fmt.Sprintf("fk%d %s", i, n.name), Columns: []string{n.name}, References: tn, RefColumns: []string{"id"},
				OnDelete: schema.Restrict, OnUpdate: schema.Restrict, Enforced: true, Valid: true}
			if len(tb.ForeignKeys) != 1 || !reflect.DeepEqual(tb.ForeignKeys[0], want) {
				t.Errorf("foreign keys = %+v, want %+v", tb.ForeignKeys, want)
			}
			v := ix.View(schema.TableName{Schema: db, Name: "v " + n.name})
			if v == nil {
				t.Fatalf("view %q missing", "v "+n.name)
			}
			if v.Unresolved != "" || !reflect.DeepEqual(v.Reads, []schema.TableName{tn}) {
				t.Errorf("view reads %v (unresolved %q), want %v", v.Reads, v.Unresolved, tn)
			}
		})
	}
}

func TestExclude(t *testing.T) {
	mainDSN, _ := catalogDBs(t)
	tests := []struct {
		patterns     []string
		wantTables   int
		wantViews    int
		wantTriggers int
	}{
		{nil, 7, 3, 3},
		{[]string{"audit_*"}, 6, 3, 3},
		{[]string{"order"}, 6, 3, 2},                          // its trigger goes with it
		{[]string{"v_*", "*_line"}, 5, 0, 2},                  // views too
		{[]string{dbName(t, mainDSN) + ".employee"}, 6, 3, 3}, // schema.table
		{[]string{"*"}, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.patterns, ","), func(t *testing.T) {
			cfg := config(t, mainDSN)
			cfg.Exclude = tc.patterns
			snap := run(t, cfg)
			if len(snap.Tables) != tc.wantTables || len(snap.Views) != tc.wantViews || len(snap.Triggers) != tc.wantTriggers {
				t.Errorf("got %d tables, %d views, %d triggers; want %d, %d, %d",
					len(snap.Tables), len(snap.Views), len(snap.Triggers), tc.wantTables, tc.wantViews, tc.wantTriggers)
			}
			for _, tb := range snap.Tables {
				if cfg.Excluded(tb.TableName()) {
					t.Errorf("excluded table %s present", tb.Name)
				}
			}
		})
	}
	t.Run("malformed pattern", func(t *testing.T) {
		cfg := config(t, mainDSN)
		cfg.Exclude = []string{"[a-"}
		_, err := Introspect(context.Background(), cfg)
		if !introspect.IsUsage(err) {
			t.Errorf("err = %v, want a usage error", err)
		}
	})
}

func TestLeastPrivilege(t *testing.T) {
	mainDSN, _ := catalogDBs(t)
	db := sqlident.MySQL(dbName(t, mainDSN))
	counts := perfSchemaCounts(t, mainDSN)
	// statsReason is the reason expected for stats ("" when readable):
	// user is the account, pfs whether it holds perfSchemaGrants.
	statsReason := func(user string, pfs bool) string {
		switch {
		case !counts:
			return statsOff
		case pfs:
			return ""
		}
		var grants []string
		for _, g := range perfSchemaGrants {
			grants = append(grants, "GRANT "+g+" TO '"+user+"'@'%'")
		}
		return "performance_schema is not readable: " + strings.Join(grants, ", ") + "; userstat is OFF (SET GLOBAL userstat=ON, or userstat=ON in my.cnf)"
	}
	tests := []struct {
		name   string
		grants []string
		// wantUnreadable are the parts reported unreadable, with a
		// fragment of the grant named in the reason; stats is checked
		// in full against statsReason.
		wantUnreadable map[string]string
		pfs            bool
		wantTriggers   int
		wantViewBodies bool
	}{
		{
			name:   "SELECT only",
			grants: []string{"SELECT ON " + db + ".*"},
			wantUnreadable: map[string]string{
				partTriggers: "GRANT TRIGGER ON " + db + ".* TO ",
				partViews:    "GRANT SHOW VIEW ON " + db + ".* TO ",
			},
			wantTriggers: 0,
		},
		{
			name:           "SELECT, SHOW VIEW, TRIGGER",
			grants:         []string{"SELECT, SHOW VIEW, TRIGGER ON " + db + ".*"},
			wantTriggers:   3,
			wantViewBodies: true,
		},
		{
			name:           "SELECT, SHOW VIEW, TRIGGER and the performance_schema grants",
			grants:         append([]string{"SELECT, SHOW VIEW, TRIGGER ON " + db + ".*"}, perfSchemaGrants...),
			pfs:            true,
			wantTriggers:   3,
			wantViewBodies: true,
		},
	}
	// Every grant reads the foreign keys as they are: MariaDB hides
	// REFERENTIAL_CONSTRAINTS from a user with SELECT only.
	full := run(t, config(t, mainDSN))
	wantFKs := map[string][]schema.ForeignKey{}
	for _, tb := range full.Tables {
		wantFKs[tb.Name] = tb.ForeignKeys
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			user := createUser(t, mainDSN, "s3cret pw", tc.grants...)
			snap := run(t, config(t, withUser(t, mainDSN, user, "s3cret pw")))
			if len(snap.Tables) != 7 || len(snap.Views) != 3 {
				t.Errorf("got %d tables and %d views, want 7 and 3", len(snap.Tables), len(snap.Views))
			}
			nfk := 0
			for _, tb := range snap.Tables {
				nfk += len(tb.ForeignKeys)
				if !reflect.DeepEqual(tb.ForeignKeys, wantFKs[tb.Name]) {
					t.Errorf("%s: foreign keys\n got  %+v\n want %+v", tb.Name, tb.ForeignKeys, wantFKs[tb.Name])
				}
			}
			if nfk < 5 {
				t.Errorf("%d foreign keys read, want the fixture's 5", nfk)
			}
			if n := len(snap.Tables[1].ForeignKeys) + len(snap.Tables[1].Indexes); n == 0 {
				t.Errorf("customer: no keys or indexes read")
			}
			if len(snap.Triggers) != tc.wantTriggers {
				t.Errorf("got %d triggers, want %d", len(snap.Triggers), tc.wantTriggers)
			}
			got := map[string]string{}
			for _, u := range snap.Unreadable {
				got[u.Part] = u.Reason
			}
			if want := statsReason(user, tc.pfs); got[partStats] != want {
				t.Errorf("unreadable stats\n got  %q\n want %q", got[partStats], want)
			}
			delete(got, partStats)
			for part, frag := range tc.wantUnreadable {
				if !strings.Contains(got[part], frag) {
					t.Errorf("unreadable %q = %q, want it to mention %q", part, got[part], frag)
				}
			}
			for part, reason := range got {
				if _, ok := tc.wantUnreadable[part]; !ok {
					t.Errorf("unexpected unreadable %q: %s", part, reason)
				}
			}
			for _, tb := range snap.Tables {
				if readable := statsReason(user, tc.pfs) == ""; readable != (tb.Stats != nil) {
					t.Errorf("%s: stats %+v with stats readable %v", tb.Name, tb.Stats, readable)
				}
			}
			for _, v := range snap.Views {
				if tc.wantViewBodies != (v.Definition != "") {
					t.Errorf("view %s: definition %q", v.Name, v.Definition)
				}
				if !tc.wantViewBodies && !strings.Contains(v.Unresolved, "GRANT SHOW VIEW") {
					t.Errorf("view %s: unresolved = %q, want the missing grant", v.Name, v.Unresolved)
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	dsn := testdb.MySQL(t)
	db := dbName(t, dsn)
	const password = "hunter2-secret"
	user := createUser(t, dsn, password, "SELECT ON "+sqlident.MySQL(db)+".*")
	outsider := createUser(t, dsn, password) // no grants at all
	c, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	url := func(user, pw, host, db string) string {
		return fmt.Sprintf("mysql://%s:%s@%s/%s", user, pw, host, db)
	}
	tests := []struct {
		name string
		dsn  string
		want string
	}{
		{"unreachable host", url(user, password, "127.0.0.1:1", db),
			fmt.Sprintf("introspect mysql://%s:***@127.0.0.1:1/%s: cannot reach 127.0.0.1:1: connection refused", user, db)},
		{"unresolvable host", url(user, password, "no-such-host.invalid:3306", db),
			fmt.Sprintf(`introspect mysql://%s:***@no-such-host.invalid:3306/%s: cannot resolve host "no-such-host.invalid"`, user, db)},
		{"wrong password", url(user, "wrong-"+password, c.Addr, db),
			fmt.Sprintf(`introspect mysql://%s:***@%s/%s: access denied for user "%s" (wrong password?)`, user, c.Addr, db, user)},
		{"wrong password, native DSN", withUser(t, dsn, user, "wrong-"+password),
			fmt.Sprintf(`introspect %s:***@tcp(%s)/%s: access denied for user "%s" (wrong password?)`, user, c.Addr, db, user)},
		{"unknown database", url(user, password, c.Addr, db+"_nope"),
			fmt.Sprintf(`introspect mysql://%s:***@%s/%s_nope: `, user, c.Addr, db)},
		{"no privilege on the database", url(outsider, password, c.Addr, db),
			fmt.Sprintf(`introspect mysql://%s:***@%s/%s: user "%s" may not use database "%s" (or it does not exist): GRANT SELECT ON `+"`%s`"+`.* TO '%s'@'%%'`, outsider, c.Addr, db, outsider, db, db, outsider)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config(t, tc.dsn)
			cfg.ConnectTimeout = 3 * time.Second
			_, err := Introspect(context.Background(), cfg)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			t.Log(msg)
			if !strings.HasPrefix(msg, tc.want) {
				t.Errorf("error\n got  %s\n want %s...", msg, tc.want)
			}
			if strings.Contains(msg, password) || strings.Contains(msg, "\n") {
				t.Errorf("error leaks the password or spans lines: %q", msg)
			}
			if introspect.IsUsage(err) {
				t.Errorf("a runtime failure reported as a usage error: %v", err)
			}
		})
	}
}

// TestUnknownDatabase checks the message in full: the user can see that
// the database does not exist (MariaDB answers 1049 to a user with global
// privileges, 1044 to one without).
func TestUnknownDatabase(t *testing.T) {
	dsn := testdb.MySQL(t)
	c, _ := mysql.ParseDSN(dsn)
	c.DBName += "_nope"
	_, err := Introspect(context.Background(), config(t, c.FormatDSN()))
	want := fmt.Sprintf(`introspect %s@tcp(%s)/%s: unknown database %q`, c.User, c.Addr, c.DBName, c.DBName)
	if err == nil || err.Error() != want {
		t.Errorf("error\n got  %v\n want %s", err, want)
	}
}

// countQueries introspects and returns the statements sent, by name.
func countQueries(t testing.TB, dsn string) []string {
	t.Helper()
	cfg := config(t, dsn)
	var names []string
	cfg.OnQuery = func(name string) { names = append(names, name) }
	run(t, cfg)
	return names
}

// loadSynth creates a synthetic schema (fixtures/synth) in the database.
func loadSynth(t testing.TB, dsn string, opts synth.Options) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	if err := synth.Load(ctx, "mysql", dsn, opts); err != nil {
		t.Fatalf("load synthetic schema: %v", err)
	}
}

func TestQueryCountConstant(t *testing.T) {
	var counts []int
	var first []string
	for _, n := range []int{0, 10, 200} {
		dsn := testdb.MySQL(t)
		if n > 0 {
			loadSynth(t, dsn, synth.Options{Tables: n, Views: n / 5, Triggers: n / 10, Seed: 1})
		}
		names := countQueries(t, dsn)
		if first == nil {
			first = names
		} else if !slices.Equal(names, first) {
			t.Errorf("%d tables: queries %v, want %v", n, names, first)
		}
		counts = append(counts, len(names))
		snap := run(t, config(t, dsn))
		if got := len(snap.Tables); got != n {
			t.Errorf("%d tables: snapshot has %d", n, got)
		}
	}
	t.Logf("statements for 0, 10, 200 tables: %v: %v", counts, first)
	if counts[0] > 20 {
		t.Errorf("%d statements, want at most 20", counts[0])
	}
}

func TestRoundTripAndDeterminism(t *testing.T) {
	mainDSN, _ := catalogDBs(t)
	encode := func(s *schema.Snapshot) []byte {
		var buf bytes.Buffer
		if err := s.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	first := run(t, config(t, mainDSN))
	firstBytes := encode(first)
	t.Run("determinism", func(t *testing.T) {
		for i := range 3 {
			again := encode(run(t, config(t, mainDSN)))
			if !bytes.Equal(again, firstBytes) {
				t.Fatalf("run %d gave different bytes", i+2)
			}
		}
	})
	t.Run("round trip", func(t *testing.T) {
		back, err := schema.Decode(bytes.NewReader(firstBytes))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, first) {
			t.Errorf("decoded snapshot differs from the introspected one")
		}
		if !bytes.Equal(encode(back), firstBytes) {
			t.Errorf("re-encoded snapshot differs")
		}
	})
}

func TestUserstat(t *testing.T) {
	admin := testdb.MySQL(t)
	db, err := sql.Open("mysql", admin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var was string
	if err := db.QueryRow("SELECT @@global.userstat").Scan(&was); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("SET GLOBAL userstat = ON"); err != nil {
		t.Fatalf("cannot turn userstat on: %v", err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("SET GLOBAL userstat = " + was); err != nil {
			t.Errorf("restore userstat: %v", err)
		}
	})
	testdb.ExecMySQL(t, admin, `CREATE TABLE busy (id INT PRIMARY KEY, v INT); CREATE TABLE idle (id INT PRIMARY KEY);
INSERT INTO busy VALUES (1, 1), (2, 2), (3, 3); UPDATE busy SET v = v + 1 WHERE id = 1; DELETE FROM busy WHERE id = 3;`)
	if _, err := db.Exec("SELECT COUNT(*) FROM busy"); err != nil {
		t.Fatal(err)
	}
	d := dbName(t, admin)
	lookup := func(snap *schema.Snapshot, name string) *schema.Table {
		t.Helper()
		tb := schema.NewLookup(snap).Table(schema.TableName{Schema: d, Name: name})
		if tb == nil {
			t.Fatalf("table %s missing", name)
		}
		return tb
	}
	// checkTableStatistics checks the counters of TABLE_STATISTICS: the
	// rows busy changed, and none for idle, which it holds no row for.
	checkTableStatistics := func(t *testing.T, snap *schema.Snapshot) {
		s := lookup(snap, "busy").Stats
		if s == nil || s.Source != "table_statistics" || s.RowsRead == nil || s.Changed == nil || *s.Changed != 5 || s.Inserted != nil {
			t.Errorf("busy stats = %+v, want table_statistics with 5 rows changed", s)
		}
		if w, ok := s.Writes(); !ok || w != 5 {
			t.Errorf("Writes() = %d, %v; want 5, true", w, ok)
		}
		if s := lookup(snap, "idle").Stats; s != nil {
			t.Errorf("idle stats = %+v, want nil (absent, not zero)", s)
		}
		for _, u := range snap.Unreadable {
			if u.Part == partStats {
				t.Errorf("stats reported unreadable: %s", u.Reason)
			}
		}
	}

	// performance_schema, where it counts, comes first; otherwise
	// TABLE_STATISTICS.
	t.Run("admin", func(t *testing.T) {
		snap := run(t, config(t, admin))
		if !perfSchemaCounts(t, admin) {
			checkTableStatistics(t, snap)
			return
		}
		s := lookup(snap, "busy").Stats
		got := []any{s.Source, s.RowsRead != nil, deref(s.Inserted), deref(s.Updated), deref(s.Deleted), deref(s.Changed)}
		want := []any{"performance_schema", true, int64(3), int64(1), int64(1), nil}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("busy stats = %v, want %v", got, want)
		}
		if w, ok := s.Writes(); !ok || w != 5 {
			t.Errorf("Writes() = %d, %v; want 5, true", w, ok)
		}
		// idle was opened (created) and never written: measured zeros.
		zero := schema.Int64(0)
		if s := lookup(snap, "idle").Stats; !reflect.DeepEqual(s, &schema.TableStats{Source: "performance_schema", RowsRead: zero, Inserted: zero, Updated: zero, Deleted: zero}) {
			t.Errorf("idle stats = %+v, want performance_schema's zeros", s)
		}
	})

	// A user with SELECT only may not read performance_schema: it reads
	// the counters of its tables from TABLE_STATISTICS.
	t.Run("SELECT only", func(t *testing.T) {
		user := createUser(t, admin, "pw", "SELECT ON "+sqlident.MySQL(d)+".*")
		checkTableStatistics(t, run(t, config(t, withUser(t, admin, user, "pw"))))
	})
}

func deref(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestProgress checks that each step is reported and that the query names
// say what was read.
func TestProgress(t *testing.T) {
	dsn := testdb.MySQL(t)
	cfg := config(t, dsn)
	var steps []string
	cfg.Progress = func(s string) { steps = append(steps, s) }
	run(t, cfg)
	want := []string{"connect", "server version", "begin read-only transaction", "privileges", "schema", "tables", "columns", "indexes", "foreign keys", "check constraints", "views", "triggers", "routines", "table statistics", "infer references", "finish"}
	if !slices.Equal(steps, want) {
		t.Errorf("steps = %q\nwant %q", steps, want)
	}
}

// TestMariaDBSpecifics covers objects only MariaDB has: system-versioned
// tables are tables, sequences are neither tables nor views, and a view
// whose definition the parser cannot read is marked unresolved, not
// guessed at.
func TestMariaDBSpecifics(t *testing.T) {
	dsn := testdb.MySQL(t)
	testdb.ExecMySQL(t, dsn, `
CREATE TABLE price (id INT PRIMARY KEY, amount INT) WITH SYSTEM VERSIONING;
CREATE SEQUENCE invoice_no;
CREATE VIEW price_history AS SELECT id, amount FROM price FOR SYSTEM_TIME ALL;
CREATE VIEW price_now AS SELECT id, amount FROM price;`)
	db := dbName(t, dsn)
	snap := run(t, config(t, dsn))
	if len(snap.Tables) != 1 || snap.Tables[0].Name != "price" || snap.Tables[0].Kind != schema.KindTable {
		t.Errorf("tables = %+v, want the system-versioned table only", snap.Tables)
	}
	ix := schema.NewLookup(snap)
	hist := ix.View(schema.TableName{Schema: db, Name: "price_history"})
	now := ix.View(schema.TableName{Schema: db, Name: "price_now"})
	if hist == nil || now == nil {
		t.Fatalf("views = %+v", snap.Views)
	}
	price := []schema.TableName{{Schema: db, Name: "price"}}
	if !reflect.DeepEqual(now.Reads, price) || now.Unresolved != "" {
		t.Errorf("price_now reads %v (unresolved %q), want %v", now.Reads, now.Unresolved, price)
	}
	switch {
	case hist.Unresolved == "" && reflect.DeepEqual(hist.Reads, price):
		// The parser read it after all: fine.
	case hist.Unresolved == "":
		t.Errorf("price_history reads %v with nothing unresolved", hist.Reads)
	case !strings.Contains(hist.Unresolved, "not fully parsed"):
		t.Errorf("price_history unresolved = %q", hist.Unresolved)
	}
	t.Logf("price_history: reads %v, unresolved %q", hist.Reads, hist.Unresolved)
}

// TestRoleGrants checks that TRIGGER held through a default MariaDB role
// counts: the triggers are listed and not reported unreadable.
func TestRoleGrants(t *testing.T) {
	mainDSN, _ := catalogDBs(t)
	db := sqlident.MySQL(dbName(t, mainDSN))
	user := createUser(t, mainDSN, "pw", "SELECT ON "+db+".*")
	role := testdb.Name("seams_r")
	testdb.ExecMySQL(t, mainDSN, fmt.Sprintf("CREATE ROLE %s; GRANT SHOW VIEW, TRIGGER ON %s.* TO %s; GRANT %s TO '%s'@'%%'; SET DEFAULT ROLE %s FOR '%s'@'%%';",
		sqlident.MySQL(role), db, sqlident.MySQL(role), sqlident.MySQL(role), user, sqlident.MySQL(role), user))
	t.Cleanup(func() { testdb.ExecMySQL(t, mainDSN, "DROP ROLE IF EXISTS "+sqlident.MySQL(role)) })
	snap := run(t, config(t, withUser(t, mainDSN, user, "pw")))
	if len(snap.Triggers) != 3 {
		t.Errorf("got %d triggers, want 3", len(snap.Triggers))
	}
	for _, u := range snap.Unreadable {
		if u.Part != partStats {
			t.Errorf("unexpected unreadable %s: %s", u.Part, u.Reason)
		}
	}
}

// TestStatementTimeout checks that the statement timeout is set on the
// session and that hitting it gives a one-line error that says so.
func TestStatementTimeout(t *testing.T) {
	dsn, _ := catalogDBs(t)
	cfg := config(t, dsn)
	cfg.StatementTimeout = time.Microsecond
	_, err := Introspect(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "longer than the statement timeout of 1µs (raise it with --statement-timeout)") {
		t.Errorf("err = %v, want the statement timeout named", err)
	}
}

func TestCanceled(t *testing.T) {
	dsn := testdb.MySQL(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Introspect(ctx, config(t, dsn))
	t.Log(err)
	if err == nil || !strings.Contains(err.Error(), "canceled") || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v, want a one-line cancellation error", err)
	}
}
