//go:build integration

package sqlrefs

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/seamsdev/seams/internal/testdb"
)

// These tests create the objects of the table-driven cases on the real
// servers and analyse what the catalogs give back, so the inputs are exactly
// what the introspectors will pass.

// openMySQL opens a go-sql-driver DSN.
func openMySQL(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func dbName(t *testing.T, dsn string) string {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.DBName
}

// isMariaDB reports whether the server is MariaDB (the captured texts are
// MariaDB's; MySQL prints views differently and lacks some syntax).
func isMariaDB(t *testing.T, conn *sql.DB) bool {
	t.Helper()
	var version string
	if err := conn.QueryRow("SELECT VERSION()").Scan(&version); err != nil {
		t.Fatal(err)
	}
	return strings.Contains(version, "MariaDB")
}

// mariaSetup creates the tables of the MariaDB cases in two fresh databases
// and returns the DSN of the first and the names of both.
func mariaSetup(t *testing.T) (dsn, db, other string) {
	dsn = testdb.MySQL(t)
	other = dbName(t, testdb.MySQL(t))
	db = dbName(t, dsn)
	testdb.ExecMySQL(t, dsn, mariaTables)
	testdb.ExecMySQL(t, dsn, strings.ReplaceAll(mariaTriggerTables, "OTHERDB", "`"+other+"`"))
	return dsn, db, other
}

func TestMariaDBViewsFromServer(t *testing.T) {
	dsn, db, other := mariaSetup(t)
	conn := openMySQL(t, dsn)
	mariadb := isMariaDB(t, conn)
	for _, v := range mariaViews {
		// The captures were made with the mariadb client, whose connection
		// character set (utf8mb3) MariaDB writes into CAST(... AS CHAR).
		create := "SET NAMES utf8mb3; CREATE VIEW `" + v.name + "` AS " + strings.ReplaceAll(v.create, "OTHERDB", "`"+other+"`")
		testdb.ExecMySQL(t, dsn, create)
	}
	for _, v := range mariaViews {
		t.Run(v.name, func(t *testing.T) {
			var def string
			err := conn.QueryRow("SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
				db, v.name).Scan(&def)
			if err != nil {
				t.Fatal(err)
			}
			if mariadb {
				// The captured definitions are what this server prints.
				want := strings.ReplaceAll(v.def, "seams_scratch_sqlrefs_other", other)
				want = strings.ReplaceAll(want, "seams_scratch_sqlrefs", db)
				if def != want {
					t.Errorf("VIEW_DEFINITION = %q\nwant (captured)  %q", def, want)
				}
			}
			got, err := MySQL(def)
			if err != nil {
				t.Fatalf("MySQL(%q): %v", def, err)
			}
			checkRefs(t, refCase{name: v.name, reads: inDatabases(v.reads, db, other)}, got)
		})
	}
}

func TestMariaDBTriggersFromServer(t *testing.T) {
	dsn, db, other := mariaSetup(t)
	conn := openMySQL(t, dsn)
	mariadb := isMariaDB(t, conn)
	for _, tr := range mariaTriggers {
		if tr.mariadbOnly && !mariadb {
			continue
		}
		body := strings.ReplaceAll(tr.body, "OTHERDB", other)
		testdb.ExecMySQL(t, dsn, "CREATE TRIGGER `"+tr.name+"` "+tr.on+" FOR EACH ROW "+body)
	}
	for _, tr := range mariaTriggers {
		t.Run(tr.name, func(t *testing.T) {
			if tr.mariadbOnly && !mariadb {
				t.Skip("MariaDB syntax; the server is MySQL")
			}
			var body string
			err := conn.QueryRow("SELECT ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?",
				db, tr.name).Scan(&body)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.ReplaceAll(tr.body, "OTHERDB", other); mariadb && body != want {
				t.Errorf("ACTION_STATEMENT = %q\nwant (captured)   %q", body, want)
			}
			got, err := MySQLTriggerBody(body)
			if err != nil {
				t.Fatalf("MySQLTriggerBody: %v", err)
			}
			var dyn []string
			for _, d := range tr.dynamic {
				dyn = append(dyn, strings.ReplaceAll(d, "OTHERDB", other))
			}
			checkRefs(t, refCase{name: tr.name,
				reads:   inDatabases(tr.reads, "", other),
				writes:  inDatabases(tr.writes, "", other),
				dynamic: dyn}, got)
		})
	}
}

func TestPLpgSQLFromServer(t *testing.T) {
	dsn := testdb.Postgres(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for i, c := range plpgsqlCases {
		name := pgx.Identifier{"f_" + strings.ReplaceAll(c.name, " ", "_")}.Sanitize()
		returns := "trigger"
		if strings.Contains(c.sql, "RETURN QUERY") {
			returns = "SETOF record"
		}
		tag := dollarTag(c.sql)
		create := "CREATE FUNCTION " + name + "() RETURNS " + returns + " LANGUAGE plpgsql AS " + tag + c.sql + tag
		if _, err := conn.Exec(ctx, create); err != nil {
			t.Fatalf("case %d %s: %v", i, c.name, err)
		}
	}
	for _, c := range plpgsqlCases {
		t.Run(c.name, func(t *testing.T) {
			var src string
			err := conn.QueryRow(ctx, "SELECT prosrc FROM pg_proc WHERE proname = $1",
				"f_"+strings.ReplaceAll(c.name, " ", "_")).Scan(&src)
			if err != nil {
				t.Fatal(err)
			}
			if src != c.sql {
				t.Errorf("prosrc = %q, want %q", src, c.sql)
			}
			got, err := PLpgSQL(src)
			if err != nil {
				t.Fatalf("PLpgSQL: %v", err)
			}
			checkRefs(t, c, got)
		})
	}
}
