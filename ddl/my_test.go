package ddl

import (
	"testing"

	"github.com/seamsdev/seams/schema"
)

// TestMySQLSpellings: the same file spelled as each engine's catalog
// spells it. MariaDB's spellings are checked against the server by the
// equivalence tests; MySQL 8's (8.0.19 and later) follow its manual:
// integer display widths only for TINYINT(1) and ZEROFILL, YEAR and JSON
// as such, unnamed checks named table_chk_N, referential actions left out
// NO ACTION.
func TestMySQLSpellings(t *testing.T) {
	src := []byte("CREATE TABLE p (id int PRIMARY KEY);\n" +
		"CREATE TABLE t (a int(11), b int unsigned, c tinyint(1), d bool, e int zerofill, f bigint, y year, j json, " +
		"g decimal, h float(30), p_id int, CHECK (a > 0), FOREIGN KEY (p_id) REFERENCES p (id));\n")
	cases := []struct {
		engine  schema.Engine
		types   []string
		check   string
		action  schema.Action
		jsonChk bool
	}{
		{schema.MySQL, []string{"int", "int unsigned", "tinyint(1)", "tinyint(1)", "int(10) unsigned zerofill", "bigint", "year", "json", "decimal(10,0)", "double", "int"}, "t_chk_1", schema.NoAction, false},
		{schema.MariaDB, []string{"int(11)", "int(10) unsigned", "tinyint(1)", "tinyint(1)", "int(10) unsigned zerofill", "bigint(20)", "year(4)", "longtext", "decimal(10,0)", "double", "int(11)"}, "CONSTRAINT_1", schema.Restrict, true},
	}
	for _, c := range cases {
		t.Run(string(c.engine), func(t *testing.T) {
			res, err := Read("f.sql", src, Options{Engine: c.engine, Database: "db"})
			if err != nil {
				t.Fatal(err)
			}
			var tb *schema.Table
			for i := range res.Snapshot.Tables {
				if res.Snapshot.Tables[i].Name == "t" {
					tb = &res.Snapshot.Tables[i]
				}
			}
			if tb == nil {
				t.Fatal("no table t")
			}
			for i, want := range c.types {
				if got := tb.Columns[i].Type; got != want {
					t.Errorf("column %s: type %q, want %q", tb.Columns[i].Name, got, want)
				}
			}
			names := map[string]bool{}
			for _, ch := range tb.Checks {
				names[ch.Name] = true
			}
			if !names[c.check] || names["j"] != c.jsonChk {
				t.Errorf("checks %v, want %s (and json's: %v)", tb.Checks, c.check, c.jsonChk)
			}
			if fk := tb.ForeignKeys; len(fk) != 1 || fk[0].Name != "t_ibfk_1" || fk[0].OnDelete != c.action || fk[0].OnUpdate != c.action {
				t.Errorf("foreign keys %+v", fk)
			}
		})
	}
}

// TestMySQLSession: the views and triggers of a MySQL file are recorded
// with the session its SET statements set before them, as the server
// records them, and with none when the file leaves some of it to the
// loading client.
func TestMySQLSession(t *testing.T) {
	src := []byte("CREATE TABLE t (id int);\n" +
		"CREATE VIEW v0 AS SELECT id FROM t;\n" +
		"CREATE TRIGGER t0 BEFORE INSERT ON t FOR EACH ROW SET NEW.id = 0;\n" +
		"SET NAMES latin1 COLLATE latin1_bin, @x = 1;\n" +
		"CREATE VIEW v1 AS SELECT id FROM t;\n" +
		"SET @@session.sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE', GLOBAL sql_mode = 'ANSI';\n" +
		"/*!50003 SET character_set_client = utf8mb4 */;\n" +
		"CREATE TRIGGER t1 BEFORE UPDATE ON t FOR EACH ROW SET NEW.id = 1;\n" +
		"SET SESSION sql_mode = '';\n" +
		"CREATE TRIGGER t2 BEFORE DELETE ON t FOR EACH ROW SET @d = 1;\n" +
		"SET sql_mode = @saved_sql_mode;\n" +
		"CREATE TRIGGER t3 AFTER INSERT ON t FOR EACH ROW SET @i = 1;\n" +
		"SET sql_mode = 'ANSI', NAMES utf8mb4 COLLATE utf8mb4_bin;\n" +
		"CREATE DEFINER = CURRENT_ROLE TRIGGER t4 AFTER UPDATE ON t FOR EACH ROW SET @u = 1;\n" +
		"SET CHARACTER SET latin1;\n" +
		"CREATE TRIGGER t5 AFTER DELETE ON t FOR EACH ROW SET @e = 1;\n")
	res, err := Read("f.sql", src, Options{Engine: schema.MariaDB, Database: "db"})
	if err != nil {
		t.Fatal(err)
	}
	describe := func(c *schema.CreatedWith) string {
		if c == nil {
			return "unknown"
		}
		mode := "-"
		if c.SQLMode != nil {
			mode = "'" + *c.SQLMode + "'"
		}
		return mode + " " + c.CharacterSetClient + " " + c.CollationConnection
	}
	got := map[string]string{}
	for _, v := range res.Snapshot.Views {
		got[v.Name] = describe(v.CreatedWith)
	}
	for _, tr := range res.Snapshot.Triggers {
		got[tr.Name] = describe(tr.CreatedWith)
	}
	want := map[string]string{
		"v0": "unknown", "t0": "unknown",
		"v1": "- latin1 latin1_bin",
		"t1": "'STRICT_ALL_TABLES,NO_ZERO_DATE' utf8mb4 latin1_bin",
		"t2": "'' utf8mb4 latin1_bin",
		"t3": "unknown",
		"t4": "'ANSI' utf8mb4 utf8mb4_bin",
		"t5": "unknown",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: created with %s, want %s", k, got[k], w)
		}
	}
	for _, tr := range res.Snapshot.Triggers {
		if tr.Definer != "" {
			t.Errorf("%s: definer %q, want none (CURRENT_USER, CURRENT_ROLE or no clause)", tr.Name, tr.Definer)
		}
	}
}
