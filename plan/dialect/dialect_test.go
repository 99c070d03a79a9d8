package dialect

import (
	"strings"
	"testing"
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
