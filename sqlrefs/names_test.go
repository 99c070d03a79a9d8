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
			read, err := ReaderFor(tt.dialect)
			if err != nil {
				t.Fatal(err)
			}
			refs, n, ok, err := read(tt.sql)
			if err != nil || !ok {
				t.Fatalf("does not parse: %v", err)
			}
			if got := describe(n); got != tt.want {
				t.Errorf("names %q\nwant      %q", got, tt.want)
			}
			// The references are those the dialect's Parser finds.
			parse, _ := For(tt.dialect)
			want, err := parse(tt.sql)
			if err != nil || fmt.Sprint(refs) != fmt.Sprint(want) {
				t.Errorf("refs %+v, the parser's %+v (%v)", refs, want, err)
			}
		})
	}
	for _, bad := range []string{"SELECT FROM WHERE", "not sql at all"} {
		for _, read := range []Reader{PostgresReader, MySQLReader} {
			if _, _, ok, err := read(bad); ok || err == nil {
				t.Errorf("%q reads: names %v, error %v", bad, ok, err)
			}
		}
	}
	if _, err := ReaderFor("oracle"); err == nil {
		t.Error("ReaderFor(oracle): no error")
	}
}

// TestReaderAgrees checks that a Reader finds the references its dialect's
// Parser finds, on every case of the parsers' tests, and that it reads
// names wherever the text parses as one piece.
func TestReaderAgrees(t *testing.T) {
	for _, d := range []struct {
		read  Reader
		parse Parser
		cases []refCase
	}{{PostgresReader, Postgres, pgCases}, {MySQLReader, MySQL, myCases}} {
		for _, tc := range d.cases {
			want, wantErr := d.parse(tc.sql)
			got, _, _, err := d.read(tc.sql)
			if fmt.Sprint(got) != fmt.Sprint(want) || (err == nil) != (wantErr == nil) {
				t.Errorf("%s: reader %+v (%v), parser %+v (%v)", tc.name, got, err, want, wantErr)
			}
		}
	}
}
