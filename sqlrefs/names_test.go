package sqlrefs

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// describe writes names as "tables | columns": a table as schema.name
// (alias), a column as its qualifiers and name, + for a write, >table for
// the table an INSERT writes it into.
func describe(n Names) string {
	var ts, cs []string
	for _, t := range n.Tables {
		s := t.Table.String()
		if t.Alias != "" {
			s += "(" + t.Alias + ")"
		}
		ts = append(ts, s)
	}
	for _, c := range n.Columns {
		s := strings.Trim(strings.Join([]string{c.Schema, c.Table, c.Column}, "."), ".")
		if c.Write {
			s = "+" + s
		}
		if c.Into != nil {
			s += ">" + c.Into.String()
		}
		cs = append(cs, s)
	}
	slices.Sort(cs)
	return strings.Join(ts, " ") + " | " + strings.Join(cs, " ")
}

func TestNames(t *testing.T) {
	tests := []struct {
		dialect schema.Dialect
		sql     string
		want    string
	}{
		{schema.DialectPostgres, "SELECT a, o.b, s.o.c FROM s.o JOIN p AS x ON x.id = o.pid WHERE x.d = $1",
			"s.o p(x) | a o.b o.pid s.o.c x.d x.id"},
		{schema.DialectPostgres, "INSERT INTO s.t (a, b) SELECT c, d FROM u WHERE e > 0",
			"s.t u | +a>s.t +b>s.t c d e"},
		{schema.DialectPostgres, "UPDATE t SET a = b + 1, c = $1 WHERE id = $2",
			"t | +a>t +c>t b id"},
		{schema.DialectPostgres, "DELETE FROM t USING u WHERE t.id = u.tid AND u.flag",
			"t u | t.id u.flag u.tid"},
		{schema.DialectPostgres, "SELECT * FROM t", "t | "},
		{schema.DialectPostgres, `SELECT "Weird ""col""" FROM "My Table"`, `My Table | Weird "col"`},
		{schema.DialectMySQL, "SELECT a, o.b FROM shop.o JOIN p x ON x.id = o.pid WHERE x.d IN (...)",
			"shop.o p(x) | a o.b o.pid x.d x.id"},
		{schema.DialectMySQL, "INSERT INTO t (a, b) VALUES (?, ?)", "t | +a>t +b>t"},
		{schema.DialectMySQL, "UPDATE t SET t.a = b + ? WHERE id = ?", "t | +t.a b id"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.dialect, tt.sql), func(t *testing.T) {
			parse, err := NamesFor(tt.dialect)
			if err != nil {
				t.Fatal(err)
			}
			n, ok := parse(tt.sql)
			if !ok {
				t.Fatal("does not parse")
			}
			if got := describe(n); got != tt.want {
				t.Errorf("names %q\nwant      %q", got, tt.want)
			}
		})
	}
	for _, bad := range []string{"SELECT FROM WHERE", "not sql at all"} {
		if _, ok := PostgresNames(bad); ok {
			t.Errorf("PostgresNames(%q) parses", bad)
		}
		if _, ok := MySQLNames(bad); ok {
			t.Errorf("MySQLNames(%q) parses", bad)
		}
	}
	if _, err := NamesFor("oracle"); err == nil {
		t.Error("NamesFor(oracle): no error")
	}
}
