// Package dialect writes the SQL of the refactoring plan's steps for
// PostgreSQL and for MySQL/MariaDB: every step as a Change, the statements
// that apply it and the statements that roll it back.
//
// Every identifier is quoted for the dialect (Ident, Table) and every string
// is written as a literal that means the same under every server setting
// (Literal), so that hostile names (quotes, backquotes, spaces, semicolons,
// comment markers, backslashes, dots, non-ASCII, reserved words) give
// statements that run and do exactly what they say. Text copied from the
// catalog (types, defaults, generation and index expressions, index
// predicates, trigger bodies, view definitions) is written as the catalog
// gives it. MySQL and MariaDB print string literals in such text with
// backslash escapes, so a MySQL change holding one runs with
// NO_BACKSLASH_ESCAPES off and restores the session's sql_mode after.
// PostgreSQL prints them for the standard_conforming_strings of the
// session that read the catalog (on, by default).
//
// The statements carry no trailing semicolon and are not wrapped in
// transactions: the migration tool that applies them decides that.
// PostgreSQL runs DDL inside a transaction; MySQL and MariaDB commit
// implicitly before and after every DDL statement, so a MySQL Change with
// several statements is never atomic (its Notes say so). A statement may
// hold semicolons (a trigger body): apply each statement whole. Apply the
// statements of a Change on one session: a MySQL change may set the
// session's sql_mode for its statements and restore it at its end.
//
// The traps handled, each documented on its method:
//   - MySQL RENAME TABLE across databases fails for a table with triggers
//     (error 1435): MoveTableWithTriggers drops and re-creates them.
//   - MySQL views name their tables by database and break when a table
//     moves: MoveTableWithDependents re-creates them (PostgreSQL views and
//     triggers follow the table by OID).
//   - MySQL has no DROP DATABASE RESTRICT: CreateNamespace's Down refuses
//     to drop a database that holds anything.
//   - MySQL's non-strict modes turn NULLs into zeros when a column becomes
//     NOT NULL: DropColumns' Down checks first.
//   - MySQL narrows an index that loses a column: DropColumns drops and
//     re-creates such indexes whole.
//   - Identifier limits (63 bytes on PostgreSQL, which truncates silently;
//     64 characters on MySQL): generated names go through ObjectName.
//   - Foreign key names are per schema (PostgreSQL) or per database
//     (MySQL): callers pass the names as they are when the step runs.
package dialect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// Change is one step of a migration in one dialect.
type Change struct {
	// Up applies the step; Down rolls it back. Statements carry no
	// trailing semicolon and are applied in order.
	Up, Down []string
	// Notes are what a reader must know before applying the change:
	// non-atomic DDL, what the statements cannot carry over, what the
	// caller must check.
	Notes []string
	// Err is set when the inputs cannot give a correct change (a column
	// the table does not have, an empty column list); Up and Down are
	// then empty. Callers check it before using the statements.
	Err error
}

// Dialect writes the SQL of one dialect family.
type Dialect interface {
	// Name is the dialect it writes.
	Name() schema.Dialect
	// Ident quotes an identifier: "a""b" on PostgreSQL, `a``b` on MySQL.
	Ident(name string) string
	// Table quotes a schema-qualified name; a name with an empty schema
	// is left unqualified.
	Table(t schema.TableName) string
	// Literal quotes a string as an SQL expression whose value is s under
	// every server setting (standard_conforming_strings on PostgreSQL,
	// NO_BACKSLASH_ESCAPES on MySQL).
	Literal(s string) string
	// ObjectName joins parts with "_" into a name for a generated object
	// (constraint, table, schema) that fits the engine's identifier limit
	// (63 bytes on PostgreSQL, 64 characters on MySQL); a longer name is
	// cut and ends with a hash of the whole name, so distinct long names
	// stay distinct and the same parts always give the same name.
	ObjectName(parts ...string) string

	// CreateNamespace creates a PostgreSQL schema or a MySQL database.
	// Down drops it only if it is empty.
	CreateNamespace(name string) Change
	// MoveTable moves a table into another namespace, keeping its name.
	// On MySQL the table must have no triggers (see MoveTableWithTriggers).
	MoveTable(t schema.TableName, toNamespace string) Change
	// MoveTableWithTriggers moves a table with its triggers. On MySQL the
	// triggers are dropped and re-created around the move; on PostgreSQL
	// triggers follow the table and this is MoveTable.
	MoveTableWithTriggers(t schema.TableName, toNamespace string, triggers []schema.Trigger) Change
	// MoveTableWithDependents moves a table with its triggers and re-points
	// the views that read it. On MySQL the views are re-created reading the
	// table at its new place (their definitions as they are before this
	// move); on PostgreSQL views follow the table and this is MoveTable.
	MoveTableWithDependents(t schema.TableName, toNamespace string, triggers []schema.Trigger, views []schema.View) Change
	// DropForeignKey drops a foreign key of child; Down re-adds it with the
	// same columns, actions, deferrability and validity.
	DropForeignKey(child schema.TableName, fk schema.ForeignKey) Change
	// DropForeignKeyOf is DropForeignKey for a key of table t, named as it
	// is when the step runs, with its indexes as the snapshot has them:
	// on MySQL its Down also restores the name of the index that supports
	// the key (see the MySQL method).
	DropForeignKeyOf(t *schema.Table, fk schema.ForeignKey) Change
	// SetSearchPath sets the search_path of routine r to path; Down sets
	// it back to prev, or resets it when prev is nil (the routine then runs
	// with its caller's again). byName names the routine without its
	// arguments, for a name no other routine of its schema has: the
	// argument types may name a table's row type, which moves with the
	// table. PostgreSQL only: MySQL routines resolve names in their own
	// database (Err).
	SetSearchPath(r schema.Routine, byName bool, path, prev []string) Change
	// AddForeignKeyOf is DropForeignKeyOf's Down and Up swapped.
	AddForeignKeyOf(t *schema.Table, fk schema.ForeignKey) Change
	// AddForeignKey adds a foreign key to child (DropForeignKey's Down
	// and Up swapped).
	AddForeignKey(child schema.TableName, fk schema.ForeignKey) Change
	// OrphanCount is a query returning one row with one column: the
	// number of child rows whose key (all columns non-null) has no parent
	// row.
	OrphanCount(child schema.TableName, fk schema.ForeignKey) string
	// CreateTableAs creates newTable with the given columns of from and
	// primary key pk, and fills it from from. Down drops it.
	CreateTableAs(newTable schema.TableName, from *schema.Table, columns []string, pk []string) Change
	// DropColumns drops columns of t (the contract step after their data
	// moved to refillFrom). Down re-adds them and refills them from
	// refillFrom, joined on the key columns, which have the same names in
	// both tables, as have the refilled columns. The check constraints
	// whose expression mentions a dropped column (t.Checks) are dropped
	// first and added back at the end of Down.
	DropColumns(t *schema.Table, columns []string, refillFrom schema.TableName, key []string) Change
}

// For returns the dialect of an engine: schema.Postgres gives the
// PostgreSQL dialect, schema.MySQL and schema.MariaDB the MySQL dialect. It
// returns nil for an engine seams does not know.
func For(e schema.Engine) Dialect {
	d, _ := e.Dialect()
	switch d {
	case schema.DialectPostgres:
		return Postgres
	case schema.DialectMySQL:
		return MySQL
	}
	return nil
}

// The dialects. MariaDB speaks the MySQL dialect.
var (
	Postgres Dialect = postgres{}
	MySQL    Dialect = mysql{}
)

// quote wraps s in q, doubling every q inside it: string literals.
// Identifiers are quoted by package sqlident.
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

// hashLen is the number of hex digits of the hash that ends a shortened name.
const hashLen = 8

// shorten returns name when it fits in max (bytes when inBytes, otherwise
// characters); otherwise it returns as much of name as fits in front of
// "_" and the first hashLen hex digits of the SHA-256 of name, cut on a
// character boundary.
func shorten(name string, max int, inBytes bool) string {
	size := utf8.RuneCountInString(name)
	if inBytes {
		size = len(name)
	}
	if size <= max {
		return name
	}
	sum := sha256.Sum256([]byte(name))
	suffix := "_" + hex.EncodeToString(sum[:])[:hashLen]
	room := max - len(suffix)
	var b strings.Builder
	n := 0
	for _, r := range name {
		w := 1
		if inBytes {
			w = utf8.RuneLen(r)
			if w < 0 {
				w = len(string(utf8.RuneError))
			}
		}
		if n+w > room {
			break
		}
		b.WriteRune(r)
		n += w
	}
	return b.String() + suffix
}

// joinName joins parts with "_".
func joinName(parts []string) string { return strings.Join(parts, "_") }

// hidden reports whether a rune would not show as itself in SQL shown to
// people: a control character (line breaks and tabs aside), a format
// character (direction overrides, zero-width characters) or a line or
// paragraph separator. Literals spell such runes with escapes.
func hidden(r rune) bool {
	return r != '\n' && r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029')
}

// list applies f to every name and joins the results with ", ".
func list(names []string, f func(string) string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = f(n)
	}
	return strings.Join(q, ", ")
}

// columnsOf returns the columns of t with the given names, in the order
// given, or an error naming the first one t does not have.
func columnsOf(t *schema.Table, names []string) ([]schema.Column, error) {
	if len(names) == 0 {
		return nil, errorf("%s: no columns given", t.TableName())
	}
	seen := make(map[string]bool, len(names))
	cols := make([]schema.Column, 0, len(names))
	for _, n := range names {
		c := t.Column(n)
		if c == nil {
			return nil, errorf("table %s has no column %q", t.TableName(), n)
		}
		if seen[n] {
			return nil, errorf("%s: column %q given twice", t.TableName(), n)
		}
		seen[n] = true
		cols = append(cols, *c)
	}
	if err := checkColumns(t, cols); err != nil {
		return nil, err
	}
	return cols, nil
}

// failed returns a Change that carries only err.
func failed(err error) Change { return Change{Err: err} }

// noteNonAtomic is the note every MySQL change of several statements carries.
const noteNonAtomic = "MySQL/MariaDB commit DDL implicitly: the statements of this change are not one transaction; if one fails, the ones before it stay applied and must be undone by hand from Down"

// errorf formats an error of this package.
func errorf(format string, args ...any) error {
	return fmt.Errorf("dialect: "+format, args...)
}

// checkFK checks that a foreign key can be written.
func checkFK(child schema.TableName, fk schema.ForeignKey) error {
	if fk.Name == "" {
		return errorf("foreign key on %s has no name", child)
	}
	if len(fk.Columns) == 0 || len(fk.Columns) != len(fk.RefColumns) {
		return errorf("foreign key %s on %s: %d columns reference %d columns", fk.Name, child, len(fk.Columns), len(fk.RefColumns))
	}
	for _, a := range []schema.Action{fk.OnDelete, fk.OnUpdate} {
		switch a {
		case "", schema.NoAction, schema.Restrict, schema.Cascade, schema.SetNull, schema.SetDefault:
		default:
			return errorf("foreign key %s on %s: unknown referential action %q", fk.Name, child, a)
		}
	}
	return nil
}

// checkColumns checks the fields of columns that are written into
// statements as keywords.
func checkColumns(t *schema.Table, cols []schema.Column) error {
	for _, c := range cols {
		switch c.Generated {
		case "", "stored", "virtual":
		default:
			return errorf("%s: column %q: unknown generation %q", t.TableName(), c.Name, c.Generated)
		}
		switch c.Identity {
		case "", "always", "by default", "auto_increment":
		default:
			return errorf("%s: column %q: unknown identity %q", t.TableName(), c.Name, c.Identity)
		}
		if c.Generated != "" && c.Expression == "" {
			return errorf("%s: generated column %q has no expression", t.TableName(), c.Name)
		}
	}
	return nil
}

// checkPK checks that pk is a non-empty subset of columns.
func checkPK(t *schema.Table, columns, pk []string) error {
	if len(pk) == 0 {
		return errorf("%s: no primary key columns given", t.TableName())
	}
	for _, k := range pk {
		found := false
		for _, c := range columns {
			found = found || c == k
		}
		if !found {
			return errorf("%s: primary key column %q is not among the columns copied", t.TableName(), k)
		}
	}
	return nil
}

// orphanCount writes the orphan query for any dialect: NOT EXISTS over all
// the key's columns, counting only rows whose key columns are all non-null
// (a key with a null column references nothing under MATCH SIMPLE).
func orphanCount(d Dialect, child schema.TableName, fk schema.ForeignKey) string {
	var notNull, match []string
	for i, col := range fk.Columns {
		notNull = append(notNull, "c."+d.Ident(col)+" IS NOT NULL")
		ref := ""
		if i < len(fk.RefColumns) {
			ref = fk.RefColumns[i]
		}
		match = append(match, "p."+d.Ident(ref)+" = c."+d.Ident(col))
	}
	return "SELECT count(*) FROM " + d.Table(child) + " AS c\nWHERE " + strings.Join(notNull, " AND ") +
		"\n  AND NOT EXISTS (SELECT 1 FROM " + d.Table(fk.References) + " AS p WHERE " + strings.Join(match, " AND ") + ")"
}

// indexPlan is an index or unique constraint that DropColumns drops with
// the columns and re-creates in Down.
type indexPlan struct {
	index schema.Index
	// constraint is set for a PostgreSQL unique constraint (dropped and
	// added with ALTER TABLE rather than DROP/CREATE INDEX).
	constraint bool
}

// affectedIndexes returns the indexes of t that use one of the dropped
// columns (by name or, for an expression part, by mentioning it), in the
// table's order, and an error if the primary key is one of them.
// constraints reports whether unique constraints are distinct from unique
// indexes (PostgreSQL).
func affectedIndexes(t *schema.Table, dropped map[string]bool, constraints bool) ([]indexPlan, error) {
	uses := func(parts []string) bool {
		for _, p := range parts {
			if dropped[p] {
				return true
			}
			if t.Column(p) == nil {
				for col := range dropped {
					if mentions(p, col) {
						return true
					}
				}
			}
		}
		return false
	}
	if t.PrimaryKey != nil && uses(t.PrimaryKey.Columns) {
		return nil, errorf("%s: the primary key %s uses a dropped column", t.TableName(), t.PrimaryKey.Name)
	}
	isConstraint := make(map[string]bool, len(t.Uniques))
	for _, u := range t.Uniques {
		isConstraint[u.Name] = constraints
	}
	var out []indexPlan
	seen := make(map[string]bool)
	for _, ix := range t.Indexes {
		if ix.Primary || (t.PrimaryKey != nil && ix.Name == t.PrimaryKey.Name) || !uses(ix.Columns) {
			continue
		}
		seen[ix.Name] = true
		out = append(out, indexPlan{index: ix, constraint: isConstraint[ix.Name]})
	}
	// Unique constraints whose index the snapshot does not list.
	for _, u := range t.Uniques {
		if !seen[u.Name] && uses(u.Columns) {
			out = append(out, indexPlan{index: schema.Index{Name: u.Name, Columns: u.Columns, Unique: true}, constraint: constraints})
		}
	}
	return out, nil
}

// ChecksOn returns the check constraints of t that DropColumns drops with
// the columns (and adds back in Down): those whose expression mentions one
// of them, in the table's order.
func ChecksOn(t *schema.Table, columns []string) []schema.Check {
	dropped := make(map[string]bool, len(columns))
	for _, c := range columns {
		dropped[c] = true
	}
	return affectedChecks(t, dropped)
}

// affectedChecks returns the check constraints of t whose expression
// mentions a dropped column, in the table's order.
func affectedChecks(t *schema.Table, dropped map[string]bool) []schema.Check {
	var out []schema.Check
	for _, c := range t.Checks {
		for col := range dropped {
			if mentions(c.Expression, col) {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// mentions reports whether an expression names col as a whole word, bare
// or quoted with either dialect's quotes.
func mentions(expr, col string) bool {
	if strings.Contains(expr, sqlident.Postgres(col)) || strings.Contains(expr, sqlident.MySQL(col)) {
		return true
	}
	for i := 0; ; {
		j := strings.Index(expr[i:], col)
		if j < 0 {
			return false
		}
		j += i
		before, _ := utf8.DecodeLastRuneInString(expr[:j])
		after, _ := utf8.DecodeRuneInString(expr[j+len(col):])
		if !isWordRune(before) && !isWordRune(after) {
			return true
		}
		i = j + 1
	}
}

// isWordRune reports whether r can be part of a bare identifier.
func isWordRune(r rune) bool {
	return r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// indexParts quotes the parts of an index: a column of t is quoted, any
// other part is an expression and goes in parentheses.
func indexParts(d Dialect, t *schema.Table, parts []string) string {
	return list(parts, func(p string) string {
		if t.Column(p) != nil {
			return d.Ident(p)
		}
		return "(" + p + ")"
	})
}
