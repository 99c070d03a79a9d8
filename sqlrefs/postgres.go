package sqlrefs

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// Postgres returns the tables that one or more PostgreSQL statements read and
// write. Statements that are neither queries nor data changes (DDL, SET,
// LOCK...) contribute nothing, except the query inside CREATE VIEW, CREATE
// TABLE AS, EXPLAIN, PREPARE and DECLARE CURSOR, which is walked. EXECUTE of
// a prepared statement is listed in Dynamic. The body of a DO block in
// PL/pgSQL is analysed as PLpgSQL does.
func Postgres(sql string) (refs Refs, err error) {
	defer guard("postgres", sql, &err)
	var c collector
	err = postgresInto(&c, sql)
	return c.refs(), err
}

// postgresInto parses sql and adds its references to c.
func postgresInto(c *collector, sql string) error {
	if postgresFast(c, sql) {
		return nil
	}
	return postgresTree(c, sql)
}

// normalizedSavepoint reports whether sql is a savepoint statement whose
// name pg_stat_statements replaced with a placeholder ("SAVEPOINT $1",
// "RELEASE $1", "ROLLBACK TO $1": PostgreSQL 18 normalizes savepoint names
// this way), which the parser rejects and which names no table.
func normalizedSavepoint(sql string) bool {
	f := strings.Fields(strings.ToUpper(strings.TrimSuffix(strings.TrimSpace(sql), ";")))
	if len(f) < 2 {
		return false
	}
	last := f[len(f)-1]
	if len(last) < 2 || last[0] != '$' || strings.Trim(last[1:], "0123456789") != "" {
		return false
	}
	words := strings.Join(f[:len(f)-1], " ")
	switch words {
	case "SAVEPOINT", "RELEASE", "RELEASE SAVEPOINT", "ROLLBACK TO", "ROLLBACK TO SAVEPOINT",
		"ROLLBACK WORK TO", "ROLLBACK WORK TO SAVEPOINT", "ROLLBACK TRANSACTION TO", "ROLLBACK TRANSACTION TO SAVEPOINT":
		return true
	}
	return false
}

// fastStatements are the statement types whose summary postgresFast trusts.
var fastStatements = map[string]bool{"SelectStmt": true, "InsertStmt": true, "UpdateStmt": true, "DeleteStmt": true}

// postgresFast handles the common case, plain SELECT, INSERT, UPDATE and
// DELETE without WITH, through libpg_query's summary: it parses and walks
// the tree in C and returns only the tables, each with the context it is
// used in, which is several times faster than bringing the whole tree into
// Go. It reports
// false, having added nothing, for anything else (CTEs, whose scoping the
// summary does not model; SELECT INTO; MERGE, COPY, utility statements;
// parse errors), which postgresTree then handles. TestPostgresFastPathAgrees
// checks that both paths agree wherever the fast one answers.
func postgresFast(c *collector, sql string) bool {
	if len(c.ctes) > 0 || hasWord(sql, "with") {
		return false // spare the summary a statement it would give up on
	}
	sum, err := pg_query.Summary(sql, -1)
	if err != nil || len(sum.CteNames) > 0 {
		return false
	}
	for _, st := range sum.StatementTypes {
		if !fastStatements[st] {
			return false
		}
	}
	for _, t := range sum.Tables {
		switch t.Context {
		case pg_query.SummaryResult_Select, pg_query.SummaryResult_DML:
		default:
			return false // SELECT INTO and the like
		}
	}
	for _, t := range sum.Tables {
		if t.Context == pg_query.SummaryResult_DML {
			c.write(t.SchemaName, t.TableName)
		} else {
			c.read(t.SchemaName, t.TableName)
		}
	}
	for _, f := range sum.Functions {
		c.call(f.SchemaName, f.FunctionName)
	}
	return true
}

// hasWord reports whether sql holds word (lower case ASCII) as a whole word,
// in any case. Strings and comments count too: a false positive only costs
// the fast path.
func hasWord(sql, word string) bool {
	n := len(word)
	for i := 0; i+n <= len(sql); i++ {
		if sql[i]|0x20 != word[0] || (i > 0 && isIdentByte(sql[i-1])) {
			continue
		}
		j := 1
		for j < n && sql[i+j]|0x20 == word[j] {
			j++
		}
		if j == n && (i+n == len(sql) || !isIdentByte(sql[i+n])) {
			return true
		}
	}
	return false
}

func isIdentByte(b byte) bool {
	return b == '_' || b == '$' || b >= '0' && b <= '9' || b|0x20 >= 'a' && b|0x20 <= 'z' || b >= 0x80
}

// postgresTree parses sql into a syntax tree and walks it.
//
// The tree comes as libpg_query's JSON rather than its protobuf form
// (pg_query.Parse): building and packing the protobuf in C, then unpacking
// it in Go, costs several times what writing and reading the JSON does. In
// the JSON a node is an object with one key, its type ({"RangeVar": {...}});
// a field of a fixed node type holds the fields directly ("relation":
// {"relname": ...}).
func postgresTree(c *collector, sql string) error {
	out, err := pg_query.ParseToJSON(sql)
	if err != nil {
		if normalizedSavepoint(sql) {
			return nil
		}
		return postgresEach(c, sql, err)
	}
	root, err := parseJSON(out)
	if err != nil {
		return fmt.Errorf("postgres: reading the parse tree of %q: %v", excerpt(sql), err)
	}
	return postgresWalk(c, sql, root)
}

// postgresWalk adds to c the references of the parse tree root of sql.
func postgresWalk(c *collector, sql string, root any) error {
	w := pgWalker{c: c}
	for _, raw := range list(asObj(root).get("stmts")) {
		r := asObj(raw)
		loc, _ := r.get("stmt_location").(float64)
		n, _ := r.get("stmt_len").(float64)
		w.src = stmtText(sql, int(loc), int(n))
		w.statement(r.get("stmt"))
	}
	return w.err
}

// stmtText returns the text of one statement of sql, for Dynamic.
func stmtText(sql string, start, length int) string {
	end := len(sql)
	if length > 0 {
		end = start + length
	}
	if start < 0 || start > end || end > len(sql) {
		return oneLine(sql)
	}
	return oneLine(sql[start:end])
}

// postgresEach is the slow path for a text that does not parse as a whole:
// it parses each statement alone, so that the error names the statement
// that fails and the others still count.
func postgresEach(c *collector, sql string, whole error) error {
	stmts, err := pg_query.SplitWithScanner(sql, true)
	if err != nil || len(stmts) < 2 {
		return fmt.Errorf("postgres: cannot parse %q: %s", excerpt(sql), oneLine(whole.Error()))
	}
	var first error
	for _, stmt := range stmts {
		if err := postgresInto(c, stmt); err != nil && first == nil {
			first = err
		}
	}
	if first == nil {
		// Each statement parses alone: report the error of the whole.
		first = fmt.Errorf("postgres: cannot parse %q: %s", excerpt(sql), oneLine(whole.Error()))
	}
	return first
}

// pgWalker walks a PostgreSQL raw parse tree in its JSON form.
type pgWalker struct {
	c *collector
	// src is the text of the statement being walked, for Dynamic.
	src string
	// err is the first error met in an embedded body (DO blocks).
	err error
}

// node splits a JSON node {"Type": {fields}} into its type and fields; ok
// is false for anything else.
func node(v any) (typ string, fields jobj, ok bool) {
	o, isObj := v.(jobj)
	if !isObj || len(o) != 1 {
		return "", nil, false
	}
	k := o[0].k
	if k == "" || k[0] < 'A' || k[0] > 'Z' {
		return "", nil, false
	}
	fields, _ = o[0].v.(jobj)
	return k, fields, true
}

// fieldsOf returns the fields of a node field ({"Type": {fields}}).
func fieldsOf(v any) jobj {
	_, f, _ := node(v)
	return f
}

func str(m jobj, key string) string {
	s, _ := m.get(key).(string)
	return s
}

// statement walks one top-level statement if it can read or write data.
func (w *pgWalker) statement(n any) {
	typ, f, ok := node(n)
	if !ok {
		return
	}
	switch typ {
	case "SelectStmt", "InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt", "CopyStmt",
		"TruncateStmt", "CreateTableAsStmt":
		w.walkNode(typ, f)
	case "ExecuteStmt":
		// A prepared statement: its text is elsewhere.
		w.c.dynamic = append(w.c.dynamic, w.src)
	case "CallStmt":
		// The procedure's tables are not visible in the call: dynamic,
		// and a call whoever knows the procedure can follow.
		w.c.dynamic = append(w.c.dynamic, w.src)
		w.walkNode("FuncCall", asObj(f.get("funccall")))
	case "ViewStmt":
		w.walk(f.get("query"))
	case "ExplainStmt", "PrepareStmt", "DeclareCursorStmt":
		w.statementAny(f.get("query"))
	case "RuleStmt":
		// CREATE RULE ... DO ALSO INSERT ...: the actions are statements.
		for _, a := range list(f.get("actions")) {
			w.statementAny(a)
		}
	case "DoStmt":
		w.do(f)
	}
}

func (w *pgWalker) statementAny(v any) { w.statement(v) }

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

// do analyses the body of a DO block written in PL/pgSQL.
func (w *pgWalker) do(f jobj) {
	var body, lang string
	for _, a := range list(f.get("args")) {
		d := fieldsOf(a)
		switch str(d, "defname") {
		case "as":
			body = str(fieldsOf(d.get("arg")), "sval")
		case "language":
			lang = str(fieldsOf(d.get("arg")), "sval")
		}
	}
	if lang != "" && lang != "plpgsql" {
		w.c.dynamic = append(w.c.dynamic, "DO block in language "+lang)
		return
	}
	r, err := PLpgSQL(body)
	w.c.merge(r)
	if err != nil && w.err == nil {
		w.err = fmt.Errorf("postgres: DO block: %w", err)
	}
}

// rangeVar records the table of a RangeVar's fields.
func (w *pgWalker) rangeVar(rv jobj, write bool) {
	if rv == nil {
		return
	}
	if write {
		w.c.write(str(rv, "schemaname"), str(rv, "relname"))
	} else {
		w.c.read(str(rv, "schemaname"), str(rv, "relname"))
	}
}

// with brings the names of a WITH clause (its fields) into scope, walking
// each CTE's query with the names visible to it, and returns the scope
// depth to restore.
func (w *pgWalker) with(wc any) int {
	depth := len(w.c.ctes)
	f := asObj(wc)
	if f == nil {
		return depth
	}
	recursive, _ := f.get("recursive").(bool)
	ctes := list(f.get("ctes"))
	if recursive {
		for _, n := range ctes {
			w.c.ctes = append(w.c.ctes, str(fieldsOf(n), "ctename"))
		}
	}
	for _, n := range ctes {
		cte := fieldsOf(n)
		w.walk(cte.get("ctequery"))
		if !recursive {
			// A non-recursive CTE sees the CTEs before it, not itself.
			w.c.ctes = append(w.c.ctes, str(cte, "ctename"))
		}
	}
	return depth
}

func (w *pgWalker) endWith(depth int) { w.c.ctes = w.c.ctes[:depth] }

// walk visits any JSON value of the tree: a node, a list, or the fields of
// a node of a fixed type.
func (w *pgWalker) walk(v any) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			w.walk(e)
		}
	case jobj:
		if typ, f, ok := node(x); ok {
			w.walkNode(typ, f)
			return
		}
		w.fields(x)
	}
}

// fields walks every value of a node's fields.
func (w *pgWalker) fields(f jobj) {
	for _, kv := range f {
		switch v := kv.v; v.(type) {
		case []any, jobj:
			w.walk(v)
		}
	}
}

// walkNode visits a node of the given type, recording the tables it references.
func (w *pgWalker) walkNode(typ string, f jobj) {
	if f == nil {
		return
	}
	switch typ {
	case "RangeVar":
		w.rangeVar(f, false)
	case "SelectStmt":
		w.selectStmt(f)
	case "InsertStmt":
		d := w.with(f.get("withClause"))
		w.rangeVar(asObj(f.get("relation")), true)
		w.walk(f.get("selectStmt"))
		w.walk(f.get("onConflictClause"))
		w.walk(f.get("returningList"))
		w.endWith(d)
	case "UpdateStmt":
		d := w.with(f.get("withClause"))
		w.rangeVar(asObj(f.get("relation")), true)
		w.walk(f.get("targetList"))
		w.walk(f.get("fromClause"))
		w.walk(f.get("whereClause"))
		w.walk(f.get("returningList"))
		w.endWith(d)
	case "DeleteStmt":
		d := w.with(f.get("withClause"))
		w.rangeVar(asObj(f.get("relation")), true)
		w.walk(f.get("usingClause"))
		w.walk(f.get("whereClause"))
		w.walk(f.get("returningList"))
		w.endWith(d)
	case "MergeStmt":
		d := w.with(f.get("withClause"))
		w.rangeVar(asObj(f.get("relation")), true)
		w.walk(f.get("sourceRelation"))
		w.walk(f.get("joinCondition"))
		w.walk(f.get("mergeWhenClauses"))
		w.walk(f.get("returningList"))
		w.endWith(d)
	case "CopyStmt":
		isFrom, _ := f.get("is_from").(bool)
		w.rangeVar(asObj(f.get("relation")), isFrom)
		w.statementAny(f.get("query"))
		w.walk(f.get("whereClause"))
	case "TruncateStmt":
		for _, n := range list(f.get("relations")) {
			if typ, rv, ok := node(n); ok && typ == "RangeVar" {
				w.rangeVar(rv, true)
			}
		}
	case "CreateTableAsStmt":
		// CREATE MATERIALIZED VIEW reads like a view; CREATE TABLE AS and
		// SELECT INTO fill a table.
		if str(f, "objtype") == "OBJECT_TABLE" {
			w.rangeVar(asObj(asObj(f.get("into")).get("rel")), true)
		}
		w.statementAny(f.get("query"))
	case "FuncCall":
		var parts []string
		for _, n := range list(f.get("funcname")) {
			if typ, sv, ok := node(n); ok && typ == "String" {
				parts = append(parts, str(sv, "sval"))
			}
		}
		switch len(parts) {
		case 1:
			w.c.call("", parts[0])
		case 0:
		default:
			w.c.call(parts[len(parts)-2], parts[len(parts)-1])
		}
		w.fields(f)
	case "LockingClause":
		// FOR UPDATE OF a names aliases, not tables.
	case "A_Const", "ColumnRef", "ParamRef", "String", "Integer", "Float", "Boolean", "A_Star", "TypeName":
		// Leaves: nothing below can name a table.
	default:
		w.fields(f)
	}
}

// selectStmt walks the fields of a SELECT (also a set operation's branch,
// which the JSON gives as bare fields).
func (w *pgWalker) selectStmt(f jobj) {
	d := w.with(f.get("withClause"))
	if into := asObj(f.get("intoClause")); into != nil {
		w.rangeVar(asObj(into.get("rel")), true)
	}
	if l := asObj(f.get("larg")); l != nil {
		w.selectStmt(l)
	}
	if r := asObj(f.get("rarg")); r != nil {
		w.selectStmt(r)
	}
	for _, kv := range f {
		switch k, v := kv.k, kv.v; k {
		case "withClause", "intoClause", "larg", "rarg", "lockingClause":
		default:
			switch v.(type) {
			case []any, jobj:
				w.walk(v)
			}
		}
	}
	w.endWith(d)
}

func asObj(v any) jobj {
	o, _ := v.(jobj)
	return o
}
