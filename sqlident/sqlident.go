// Package sqlident quotes SQL identifiers for PostgreSQL and MySQL/MariaDB.
//
// Identifiers read from a database are hostile input: every place that
// writes one into SQL text, or into a message that shows SQL to run, quotes
// it here, so that a name holding quotes, backquotes, spaces or semicolons
// stays one identifier.
package sqlident

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Postgres quotes name with double quotes, doubling the ones inside.
// PostgreSQL gives no other character a meaning inside quotes. A name that
// holds a control or direction character (a carriage return, an escape,
// U+202E) is written as a Unicode escape identifier, U&"...", with those
// characters as \XXXX and backslashes doubled: the SQL then names it
// exactly in printable text, which survives copying from a page or a
// terminal (a raw carriage return would come back as a line feed).
func Postgres(name string) string {
	if !strings.ContainsFunc(name, hidden) {
		return quote(name, '"')
	}
	var b strings.Builder
	b.WriteString(`U&"`)
	for _, r := range name {
		switch {
		case r == '"':
			b.WriteString(`""`)
		case r == '\\':
			b.WriteString(`\\`)
		case hidden(r) && r > 0xffff:
			fmt.Fprintf(&b, `\+%06X`, r)
		case hidden(r):
			fmt.Fprintf(&b, `\%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// hidden reports whether a rune would not show as itself: a control or
// format character (direction overrides, zero-width characters) or a line
// or paragraph separator.
func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// MySQL quotes name with backquotes, doubling the ones inside. Backslashes
// mean nothing inside backquotes, under any sql_mode, and backquotes still
// quote identifiers under ANSI_QUOTES.
func MySQL(name string) string { return quote(name, '`') }

// PostgresTable quotes schema.name; a name with an empty schema is quoted
// alone.
func PostgresTable(schema, name string) string {
	if schema == "" {
		return Postgres(name)
	}
	return Postgres(schema) + "." + Postgres(name)
}

// MySQLTable quotes db.name; a name with an empty database is quoted alone.
func MySQLTable(db, name string) string {
	if db == "" {
		return MySQL(name)
	}
	return MySQL(db) + "." + MySQL(name)
}

var simplePostgres = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// PostgresMinimal quotes name as Postgres does unless it needs no quotes: a
// lower-case name of letters, digits and underscores that is not one of the
// reserved key words most likely to be a role, database or schema name. It
// is for SQL shown to people (a GRANT to run), where the usual name reads
// better bare.
func PostgresMinimal(name string) string {
	if simplePostgres.MatchString(name) && !reserved[name] {
		return name
	}
	return Postgres(name)
}

// reserved holds the reserved key words most likely to be role, database
// or schema names.
var reserved = map[string]bool{
	"user": true, "all": true, "analyse": true, "analyze": true, "and": true, "any": true, "array": true, "as": true,
	"asc": true, "both": true, "case": true, "cast": true, "check": true, "collate": true, "column": true,
	"constraint": true, "create": true, "current_user": true, "default": true, "desc": true, "distinct": true,
	"do": true, "else": true, "end": true, "except": true, "false": true, "for": true, "foreign": true, "from": true,
	"grant": true, "group": true, "having": true, "in": true, "into": true, "limit": true, "not": true, "null": true,
	"offset": true, "on": true, "only": true, "or": true, "order": true, "primary": true, "references": true,
	"select": true, "session_user": true, "table": true, "then": true, "to": true, "true": true, "union": true,
	"unique": true, "using": true, "when": true, "where": true, "with": true,
}

// quote wraps s in q, doubling every q inside it.
func quote(s string, q byte) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte(q)
	for i := 0; i < len(s); i++ {
		if s[i] == q {
			b.WriteByte(q)
		}
		b.WriteByte(s[i])
	}
	b.WriteByte(q)
	return b.String()
}
