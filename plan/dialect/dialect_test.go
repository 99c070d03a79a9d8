package dialect

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/seamsdev/seams/schema"
)

// Hostile names: quotes of both dialects, spaces, semicolons, comment
// markers, backslashes, dots, non-ASCII, reserved words.
const (
	nsSource = "src \"q\" ;`b` -- /* é.x\\y 表"
	nsTarget = "dst ; DROP DATABASE x; -- '\\'"
	parentT  = "select"
	childT   = "order \"item\"; --"
	fkName   = "fk \"x\"; -- /*é`"
	colA     = "a b"
	colB     = "c\"d"
	colC     = "e`f"
	colD     = "g\\h"
	colE     = "é名"
	colF     = "x.y"
	colG     = "/*c*/ --"
	colKey   = "key"
	comment  = "it's a \\ comment; -- /* é"
)

// typeOf spells a portable type per engine.
func typeOf(s *server, pgType, myType string) string {
	if s.pg != nil {
		return pgType
	}
	return myType
}

func TestFor(t *testing.T) {
	tests := []struct {
		engine schema.Engine
		want   schema.Dialect
	}{
		{schema.Postgres, schema.DialectPostgres},
		{schema.MySQL, schema.DialectMySQL},
		{schema.MariaDB, schema.DialectMySQL},
	}
	for _, tt := range tests {
		if got := For(tt.engine).Name(); got != tt.want {
			t.Errorf("For(%s).Name() = %s, want %s", tt.engine, got, tt.want)
		}
	}
	if For("oracle") != nil {
		t.Errorf("For(oracle) is not nil")
	}
}

func TestQuoting(t *testing.T) {
	tests := []struct {
		d                Dialect
		in, ident, table string
	}{
		{Postgres, `a"b`, `"a""b"`, `"s"."a""b"`},
		{Postgres, "a`b", "\"a`b\"", "\"s\".\"a`b\""},
		{MySQL, "a`b", "`a``b`", "`s`.`a``b`"},
		{MySQL, `a"b\`, "`a\"b\\`", "`s`.`a\"b\\`"},
		{MySQL, "x.y", "`x.y`", "`s`.`x.y`"},
	}
	for _, tt := range tests {
		if got := tt.d.Ident(tt.in); got != tt.ident {
			t.Errorf("%s Ident(%q) = %s, want %s", tt.d.Name(), tt.in, got, tt.ident)
		}
		if got := tt.d.Table(schema.TableName{Schema: "s", Name: tt.in}); got != tt.table {
			t.Errorf("%s Table(s.%q) = %s, want %s", tt.d.Name(), tt.in, got, tt.table)
		}
	}
	if got := Postgres.Table(schema.TableName{Name: "t"}); got != `"t"` {
		t.Errorf("unqualified table = %s", got)
	}
}

<<<<<<< HEAD
=======
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

>>>>>>> 298f173 (Control and direction characters from names never reach Markdown or the site raw: shown escaped (termsafe.Lines); PostgreSQL identifiers holding them are U&"..." escapes and literals E'\u...' (MySQL literals hex), so plan SQL names them exactly in printable text; MySQL identifiers, which SQL cannot escape, are shown escaped in Markdown with a note pointing at --sql-dir)
func TestObjectName(t *testing.T) {
	long := strings.Repeat("é", 40) // 80 bytes, 40 characters
	tests := []struct {
		d        Dialect
		parts    []string
		maxBytes int
		maxRunes int
	}{
		{Postgres, []string{"t", "pkey"}, 63, 63},
		{Postgres, []string{long, "pkey"}, 63, 63},
		{Postgres, []string{strings.Repeat("a", 100), "pkey"}, 63, 63},
		{MySQL, []string{long, long}, 1000, 64},
		{MySQL, []string{strings.Repeat("a", 64)}, 64, 64},
	}
	for _, tt := range tests {
		got := tt.d.ObjectName(tt.parts...)
		joined := strings.Join(tt.parts, "_")
		if !utf8.ValidString(got) || len(got) > tt.maxBytes || utf8.RuneCountInString(got) > tt.maxRunes {
			t.Errorf("%s ObjectName(%q) = %q: too long or invalid", tt.d.Name(), tt.parts, got)
		}
		fits := len(joined) <= tt.maxBytes && utf8.RuneCountInString(joined) <= tt.maxRunes
		if fits != (got == joined) {
			t.Errorf("%s ObjectName(%q) = %q: fits %v", tt.d.Name(), tt.parts, got, fits)
		}
		if again := tt.d.ObjectName(tt.parts...); again != got {
			t.Errorf("not deterministic: %q then %q", got, again)
		}
	}
	a := Postgres.ObjectName(strings.Repeat("a", 70) + "1")
	b := Postgres.ObjectName(strings.Repeat("a", 70) + "2")
	if a == b {
		t.Errorf("distinct long names collide: %q", a)
	}
}
