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
