//go:build integration

package dialect

import (
	"strings"
	"testing"
	"unicode"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/schema"
)

// fixture builds parent and child in ns with a composite foreign key
// (ON UPDATE SET NULL ON DELETE CASCADE) and rows, and returns their names
// and the key as the snapshot describes it.
func fixture(s *server, parentNS, childNS string) (parent, child schema.TableName, fk schema.ForeignKey) {
	d := s.d
	parent = schema.TableName{Schema: parentNS, Name: parentT}
	child = schema.TableName{Schema: childNS, Name: childT}
	s.mustExec(
		"CREATE TABLE "+d.Table(parent)+" ("+d.Ident("id")+" integer NOT NULL, "+d.Ident(colKey)+" varchar(20) NOT NULL, "+
			d.Ident(colE)+" varchar(40), PRIMARY KEY ("+d.Ident("id")+", "+d.Ident(colKey)+"))",
		"CREATE TABLE "+d.Table(child)+" ("+d.Ident("id")+" integer NOT NULL PRIMARY KEY, "+d.Ident(colA)+" integer, "+
			d.Ident(colB)+" varchar(20), "+d.Ident(colD)+" varchar(40), "+
			"CONSTRAINT "+d.Ident(fkName)+" FOREIGN KEY ("+d.Ident(colA)+", "+d.Ident(colB)+") REFERENCES "+d.Table(parent)+
			" ("+d.Ident("id")+", "+d.Ident(colKey)+") ON UPDATE SET NULL ON DELETE CASCADE)",
		"INSERT INTO "+d.Table(parent)+" VALUES (1, 'k1', 'one'), (2, 'k2', 'two')",
		"INSERT INTO "+d.Table(child)+" VALUES (10, 1, 'k1', 'x'), (11, 2, 'k2', 'y'), (12, NULL, 'k9', 'z'), (13, NULL, NULL, NULL)",
	)
	fk = schema.ForeignKey{
		Name: fkName, Columns: []string{colA, colB}, References: parent, RefColumns: []string{"id", colKey},
		OnUpdate: schema.SetNull, OnDelete: schema.Cascade, Enforced: true, Valid: true,
	}
	return parent, child, fk
}

// hostileStrings are strings whose literals must read back unchanged.
var hostileStrings = []string{"", "plain", "it's", `a\b`, `\'`, `'\`, `\\'' --`, "/* x */", "é表", "line\nbreak\ttab", `"ansi"`, "`bq`", `\`,
	controlName, "zwj\u200d\U0001F600\u2028"}

// controlName holds a carriage return, an escape sequence, a bell and a
// right-to-left override: raw in SQL shown on a page, it would be copied
// back as something else (a carriage return comes back as a line feed).
const controlName = "cr\rx\x1b[31m\a\u202egnp"

// printable fails the test when SQL text holds a raw control or direction
// character.
func printable(t *testing.T, what, sql string) {
	t.Helper()
	if strings.ContainsFunc(sql, func(r rune) bool {
		return r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029')
	}) {
		t.Errorf("%s %q holds a raw control or direction character", what, sql)
	}
}

// TestLiteral reads every literal back from the server under every setting
// that changes how strings are read.
func TestLiteral(t *testing.T) {
	modes := map[string][]string{
		"postgres": {"SET standard_conforming_strings = on", "SET standard_conforming_strings = off"},
		"mysql":    {"SET SESSION sql_mode = DEFAULT", "SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES'", "SET SESSION sql_mode = 'ANSI'", "SET SESSION sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES'"},
	}
	for _, engine := range servers() {
		t.Run(engine, func(t *testing.T) {
			s := connect(t, engine)
			strs := hostileStrings
			if s.my != nil {
				strs = append(strs, "nul\x00byte")
			}
			for _, mode := range modes[engine] {
				s.mustExec(mode)
				for _, str := range strs {
					if !strings.Contains(str, "\x00") {
						printable(t, "literal", s.d.Literal(str))
					}
					if got := s.one("SELECT " + s.d.Literal(str)); got != str {
						t.Errorf("%s: SELECT %s = %q, want %q", mode, s.d.Literal(str), got, str)
					}
				}
			}
		})
	}
}

// TestIdent creates a table and a column named by every hostile name and
// finds them in the catalog under exactly that name.
func TestIdent(t *testing.T) {
	names := []string{parentT, childT, fkName, colA, colB, colC, colD, colE, colF, colG, nsTarget, "ALL", "user", controlName}
	for _, engine := range servers() {
		t.Run(engine, func(t *testing.T) {
			s := connect(t, engine)
			ns := s.newNamespace(nsSource)
			for _, n := range names {
				tn := schema.TableName{Schema: ns, Name: n}
				if engine == "postgres" {
					printable(t, "identifier", s.d.Ident(n))
				}
				s.mustExec("CREATE TABLE " + s.d.Table(tn) + " (" + s.d.Ident(n) + " integer)")
				if !s.tableExists(tn) {
					t.Errorf("table %q not found", n)
				}
				if cols := s.loadTable(tn).Columns; len(cols) != 1 || cols[0].Name != n {
					t.Errorf("table %q: columns %+v", n, cols)
				}
			}
		})
	}
}

func TestCreateNamespace(t *testing.T) {
	for _, engine := range servers() {
		t.Run(engine, func(t *testing.T) {
			s := connect(t, engine)
			name := nsTarget
			if s.my != nil {
				name += testdb.Name("")
				s.dropAtEnd(name)
			}
			c := s.d.CreateNamespace(name)
			s.roundTrip(c, func() {
				if !s.namespaceExists(name) {
					t.Errorf("up: namespace %q not created", name)
				}
			})
			if s.namespaceExists(name) {
				t.Errorf("down: namespace %q still there", name)
			}
			// Down never drops data: with a table inside, it fails.
			s.apply("up", c.Up)
			tn := schema.TableName{Schema: name, Name: childT}
			s.mustExec("CREATE TABLE "+s.d.Table(tn)+" (id integer)", "INSERT INTO "+s.d.Table(tn)+" VALUES (1)")
			if err := s.applyErr(c.Down); err == nil {
				t.Fatalf("down dropped a namespace holding a table")
			}
			if got := s.one("SELECT count(*) FROM " + s.d.Table(tn)); got != "1" {
				t.Errorf("after the refused down: %s rows, want 1", got)
			}
		})
	}
}
