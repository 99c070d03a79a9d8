// Package sqlrefs finds the tables a piece of SQL reads and writes.
//
// It parses PostgreSQL with the PostgreSQL parser itself (libpg_query,
// through github.com/pganalyze/pg_query_go) and MySQL/MariaDB with the Vitess
// MySQL parser, and walks the syntax trees; it never guesses with patterns.
// Compound MySQL trigger bodies, which no parser library reads, are cut into
// statements and expressions by a small string- and comment-aware splitter
// and each piece is parsed (see MySQLTriggerBody).
//
// The rules, for both dialects:
//
//   - Writes are the target tables of INSERT, UPDATE, DELETE, MERGE, REPLACE,
//     TRUNCATE, COPY ... FROM, SELECT ... INTO and CREATE TABLE ... AS. In a
//     MySQL multi-table UPDATE they are the tables whose columns are
//     assigned; in a multi-table DELETE the tables named before FROM (or
//     after DELETE FROM ... USING).
//   - Reads are every other table referenced: FROM and JOIN items, subqueries
//     anywhere, the inner tables of common table expressions, USING, the
//     source of INSERT ... SELECT, UPDATE ... FROM, the source of MERGE and
//     COPY ... TO, the query of CREATE VIEW.
//   - The target of a write is not also a read merely because its columns
//     are used (UPDATE t SET x = x + 1 writes t and reads nothing). It is a
//     read too when the statement names it again in a FROM clause, a join or
//     a subquery (UPDATE t SET x = (SELECT max(x) FROM t) writes and reads t;
//     INSERT INTO t SELECT * FROM t too).
//   - CTE names (within their scope), NEW and OLD, functions (also in FROM,
//     and sequences used through nextval), PL/pgSQL variables, and the view
//     created by CREATE VIEW are not tables. Other DDL (CREATE/ALTER/DROP,
//     CREATE INDEX, LOCK, GRANT...) contributes nothing.
//   - Dynamic lists what cannot be resolved from the text: EXECUTE of a
//     string built at run time, PREPARE from a variable, EXECUTE of a
//     prepared statement, CALL of a procedure.
//   - Names are as the parser resolves them: PostgreSQL folds unquoted names
//     to lower case and keeps quoted ones as written; MySQL keeps names as
//     written. Quotes are removed. Unqualified names have Schema "" (the
//     caller resolves them against search_path or the current database). A
//     PostgreSQL catalog (database) qualifier is dropped.
//
// Every function returns its Refs sorted and without duplicates. A Refs
// returned together with an error holds what could be resolved; the one-line
// error names (by its first 60 characters) the first statement that could
// not be. The functions are safe for concurrent use.
package sqlrefs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// Parser finds the tables one statement (or several, separated by
// semicolons) reads and writes in one dialect.
type Parser func(sql string) (Refs, error)

// For returns the parser of a dialect; an unknown dialect is an error.
func For(d schema.Dialect) (Parser, error) {
	switch d {
	case schema.DialectPostgres:
		return Postgres, nil
	case schema.DialectMySQL:
		return MySQL, nil
	}
	return nil, fmt.Errorf("no SQL parser for dialect %q", d)
}

// Refs are the tables a piece of SQL reads and writes. Unqualified names have Schema "".
type Refs struct {
	// Reads are the tables read, sorted by schema then name, without duplicates.
	Reads []schema.TableName
	// Writes are the tables written, sorted by schema then name, without duplicates.
	Writes []schema.TableName
	// Dynamic lists statements that could not be resolved statically (e.g.
	// PL/pgSQL EXECUTE of a built string, PREPARE), sorted, without duplicates.
	Dynamic []string
	// Calls are the functions and procedures called by name (PostgreSQL),
	// "name" or "schema.name" as written (unquoted, folded as the parser
	// folds), sorted, without duplicates: built-in ones too. Whoever knows
	// the database's routines follows them (a trigger's function that
	// PERFORMs another writes what that one writes).
	Calls []string
}

// collector accumulates references while a tree is walked.
type collector struct {
	reads, writes []schema.TableName
	dynamic       []string
	calls         []string
	// ctes is the stack of common table expression names in scope.
	ctes []string
}

func (c *collector) read(schemaName, name string) {
	if schemaName == "" && c.isCTE(name) {
		return
	}
	c.reads = append(c.reads, schema.TableName{Schema: schemaName, Name: name})
}

// call records a call of function name (in schemaName, when qualified).
func (c *collector) call(schemaName, name string) {
	if schemaName != "" {
		name = schemaName + "." + name
	}
	c.calls = append(c.calls, name)
}

func (c *collector) write(schemaName, name string) {
	if schemaName == "" && c.isCTE(name) {
		return
	}
	c.writes = append(c.writes, schema.TableName{Schema: schemaName, Name: name})
}

func (c *collector) isCTE(name string) bool {
	for i := len(c.ctes) - 1; i >= 0; i-- {
		if c.ctes[i] == name {
			return true
		}
	}
	return false
}

// merge adds r's references to c.
func (c *collector) merge(r Refs) {
	c.reads = append(c.reads, r.Reads...)
	c.writes = append(c.writes, r.Writes...)
	c.dynamic = append(c.dynamic, r.Dynamic...)
}

// refs returns the collected references, sorted and without duplicates.
func (c *collector) refs() Refs {
	return Refs{Reads: sortNames(c.reads), Writes: sortNames(c.writes), Dynamic: dedupStrings(c.dynamic), Calls: dedupStrings(c.calls)}
}

func sortNames(ns []schema.TableName) []schema.TableName {
	if len(ns) == 0 {
		return nil
	}
	slices.SortFunc(ns, schema.TableName.Compare)
	return slices.Compact(ns)
}

// dedupStrings sorts ss and removes repeated entries.
func dedupStrings(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	slices.Sort(ss)
	return slices.Compact(ss)
}

// excerpt returns the first 60 characters of a statement on one line, for
// error messages.
func excerpt(sql string) string {
	s := strings.Join(strings.Fields(sql), " ")
	r := []rune(s)
	if len(r) > 60 {
		return strings.TrimRight(string(r[:60]), " ") + "…"
	}
	return s
}

// oneLine collapses a parser message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// guard turns a panic in a parser library into an error, so that hostile
// input never crashes the caller. Use as defer guard(what, input, &err).
func guard(what, input string, err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: internal parser failure on %q: %v", what, excerpt(input), r)
	}
}
