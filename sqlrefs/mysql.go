package sqlrefs

import (
	"fmt"
	"strings"

	"vitess.io/vitess/go/vt/sqlparser"
)

// mysqlParser is the Vitess parser, set to accept MySQL 8.4 syntax. It is
// safe for concurrent use.
var mysqlParser = func() *sqlparser.Parser {
	p, err := sqlparser.New(sqlparser.Options{MySQLServerVersion: "8.4.0", TruncateErrLen: 0})
	if err != nil {
		panic(err) // a constant version string: cannot fail
	}
	return p
}()

// MySQL returns the tables that one or more MySQL or MariaDB statements read
// and write: SELECT (also with UNION, EXCEPT, INTERSECT), INSERT, UPDATE,
// DELETE, REPLACE (also multi-table UPDATE and DELETE, and MariaDB's
// RETURNING), TRUNCATE, LOAD DATA, CREATE TABLE ... SELECT, CREATE/ALTER
// VIEW ... AS SELECT, and SET with subqueries. View definitions as MariaDB's
// information_schema.VIEWS.VIEW_DEFINITION gives them (backquoted,
// database-qualified, CTE references unqualified) are plain SELECTs and are
// read as such, and so are performance_schema digest texts, whose "(...)"
// value lists are accepted.
//
// In a multi-table UPDATE the written tables are those whose columns are
// assigned; an unqualified assigned column is attributed to the first table
// of the statement. PREPARE of a string literal is analysed; PREPARE from a
// variable, EXECUTE and CALL are listed in Dynamic. Other statements (DDL,
// SHOW, transaction control...) contribute nothing.
func MySQL(sql string) (refs Refs, err error) {
	defer guard("mysql", sql, &err)
	var c collector
	err = mysqlInto(&c, sql)
	return c.refs(), err
}

// mysqlInto parses sql, which may hold several statements separated by
// semicolons, and adds the references to c.
func mysqlInto(c *collector, sql string) error {
	pieces := []string{sql}
	if strings.IndexByte(sql, ';') >= 0 {
		var err error
		pieces, err = mysqlParser.SplitStatementToPieces(sql)
		if err != nil {
			return fmt.Errorf("mysql: cannot split %q: %s", excerpt(sql), oneLine(err.Error()))
		}
	}
	var first error
	for _, piece := range pieces {
		if err := mysqlStatement(c, piece); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// mysqlStatement parses one statement and adds its references to c.
func mysqlStatement(c *collector, sql string) error {
	stmt, err := mysqlParse(sql)
	if err != nil || stmt == nil {
		return err
	}
	w := myWalker{c: c, src: sql}
	w.statement(stmt)
	return w.err
}

// mysqlParse parses one statement (nil for an empty one).
func mysqlParse(sql string) (sqlparser.Statement, error) {
	stmt, err := mysqlParser.Parse(DigestLists(sql))
	if err != nil {
		if err == sqlparser.ErrEmpty {
			return nil, nil
		}
		// The Vitess grammar lacks some syntax that changes nothing about
		// the tables: retry without it.
		if retry, ok := mysqlSimplified(sql); ok {
			if s2, err2 := mysqlParser.Parse(DigestLists(retry)); err2 == nil {
				stmt, err = s2, nil
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("mysql: cannot parse %q: %s", excerpt(sql), oneLine(err.Error()))
	}
	return stmt, nil
}

// myWalker walks a Vitess syntax tree.
type myWalker struct {
	c *collector
	// src is the statement's text, for Dynamic.
	src string
	// targets are the table expressions of the statement being walked that
	// it writes (UPDATE, DELETE).
	targets map[*sqlparser.AliasedTableExpr]bool
	err     error
}

// statement walks one top-level statement if it can read or write data.
func (w *myWalker) statement(stmt sqlparser.Statement) {
	switch s := stmt.(type) {
	case *sqlparser.Select, *sqlparser.Union, *sqlparser.ValuesStatement,
		*sqlparser.Insert, *sqlparser.Update, *sqlparser.Delete, *sqlparser.Set,
		*sqlparser.CreateView, *sqlparser.AlterView:
		w.walk(stmt)
	case *sqlparser.TruncateTable:
		w.table(s.Table, true)
	case *sqlparser.Load:
		if schemaName, name, ok := loadDataTable(w.src); ok {
			w.c.write(schemaName, name)
		}
	case *sqlparser.CreateTable:
		if s.Select != nil {
			w.table(s.Table, true)
			w.walk(s.Select)
		}
	case *sqlparser.PrepareStmt:
		if lit, ok := s.Statement.(*sqlparser.Literal); ok && lit.Type == sqlparser.StrVal {
			if err := mysqlInto(w.c, lit.Val); err != nil {
				w.fail(err)
			}
			return
		}
		w.c.dynamic = append(w.c.dynamic, oneLine(w.src))
	case *sqlparser.ExecuteStmt, *sqlparser.CallProc:
		w.c.dynamic = append(w.c.dynamic, oneLine(w.src))
	}
}

func (w *myWalker) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

// table records a table name; "dual" is no table.
func (w *myWalker) table(t sqlparser.TableName, write bool) {
	name := t.Name.String()
	schemaName := t.Qualifier.String()
	if name == "" || (schemaName == "" && strings.EqualFold(name, "dual")) {
		return
	}
	if write {
		w.c.write(schemaName, name)
	} else {
		w.c.read(schemaName, name)
	}
}

func (w *myWalker) walk(node sqlparser.SQLNode) {
	if node == nil {
		return
	}
	_ = sqlparser.Walk(w.visit, node)
}

// with brings the CTE names into scope, walking each CTE's query, and
// returns the depth to restore.
func (w *myWalker) with(with *sqlparser.With) int {
	depth := len(w.c.ctes)
	if with == nil {
		return depth
	}
	if with.Recursive {
		for _, cte := range with.CTEs {
			w.c.ctes = append(w.c.ctes, cte.ID.String())
		}
	}
	for _, cte := range with.CTEs {
		w.walk(cte.Subquery)
		if !with.Recursive {
			w.c.ctes = append(w.c.ctes, cte.ID.String())
		}
	}
	return depth
}

func (w *myWalker) endWith(depth int) { w.c.ctes = w.c.ctes[:depth] }

// scoped walks n, whose WITH clause is *with, with the clause's common table
// expressions in scope; the clause itself is walked by with, not again as
// part of n.
func (w *myWalker) scoped(with **sqlparser.With, n sqlparser.SQLNode) {
	saved := *with
	d := w.with(saved)
	*with = nil
	w.walk(n)
	*with = saved
	w.endWith(d)
}

// visit is the sqlparser.Walk callback. Nodes that need scoping or a
// write/read decision are handled here and their children walked by hand.
func (w *myWalker) visit(node sqlparser.SQLNode) (bool, error) {
	switch n := node.(type) {
	case *sqlparser.AliasedTableExpr:
		if t, ok := n.Expr.(sqlparser.TableName); ok {
			w.table(t, w.targets[n])
			return false, nil
		}
	case *sqlparser.Select:
		if n.With != nil {
			w.scoped(&n.With, n)
			return false, nil
		}
	case *sqlparser.Union:
		if n.With != nil {
			w.scoped(&n.With, n)
			return false, nil
		}
	case *sqlparser.ValuesStatement:
		if n.With != nil {
			w.scoped(&n.With, n)
			return false, nil
		}
	case *sqlparser.Insert:
		if n.Table != nil {
			if t, ok := n.Table.Expr.(sqlparser.TableName); ok {
				w.table(t, true)
			}
		}
		w.walk(n.Rows)
		for _, e := range n.OnDup {
			w.walk(e.Expr)
		}
		return false, nil
	case *sqlparser.Update:
		d := w.with(n.With)
		saved := w.targets
		w.targets = updateTargets(n)
		for _, te := range n.TableExprs {
			w.walk(te)
		}
		w.targets = saved
		for _, e := range n.Exprs {
			w.walk(e.Expr)
		}
		w.walk(n.Where)
		w.walk(n.OrderBy)
		w.walk(n.Limit)
		w.endWith(d)
		return false, nil
	case *sqlparser.Delete:
		d := w.with(n.With)
		saved := w.targets
		w.targets = deleteTargets(n)
		for _, te := range n.TableExprs {
			w.walk(te)
		}
		w.targets = saved
		w.walk(n.Where)
		w.walk(n.OrderBy)
		w.walk(n.Limit)
		w.endWith(d)
		return false, nil
	case *sqlparser.DerivedTable, *sqlparser.Subquery:
		// A nested query has its own tables: none of them is a target.
		saved := w.targets
		w.targets = nil
		switch s := n.(type) {
		case *sqlparser.DerivedTable:
			w.walk(s.Select)
		case *sqlparser.Subquery:
			w.walk(s.Select)
		}
		w.targets = saved
		return false, nil
	}
	return true, nil
}

// leafTables returns the plain tables of a FROM list with the name each is
// known by in the statement (its alias, else its name), not descending into
// derived tables.
func leafTables(exprs []sqlparser.TableExpr) []*sqlparser.AliasedTableExpr {
	var out []*sqlparser.AliasedTableExpr
	eachAliased(exprs, func(t *sqlparser.AliasedTableExpr) {
		if _, ok := t.Expr.(sqlparser.TableName); ok {
			out = append(out, t)
		}
	})
	return out
}

// eachAliased calls fn for each aliased table expression of a FROM list,
// in order, through joins and parentheses but not into derived tables.
func eachAliased(exprs []sqlparser.TableExpr, fn func(*sqlparser.AliasedTableExpr)) {
	var visit func(te sqlparser.TableExpr)
	visit = func(te sqlparser.TableExpr) {
		switch t := te.(type) {
		case *sqlparser.AliasedTableExpr:
			fn(t)
		case *sqlparser.JoinTableExpr:
			visit(t.LeftExpr)
			visit(t.RightExpr)
		case *sqlparser.ParenTableExpr:
			for _, e := range t.Exprs {
				visit(e)
			}
		}
	}
	for _, te := range exprs {
		visit(te)
	}
}

// refersTo reports whether the name q (a column qualifier or a DELETE
// target) names the table expression t: by alias, or by name when it has no
// alias.
func refersTo(t *sqlparser.AliasedTableExpr, q sqlparser.TableName) bool {
	tn := t.Expr.(sqlparser.TableName)
	if !t.As.IsEmpty() {
		return q.Qualifier.IsEmpty() && t.As.String() == q.Name.String()
	}
	if tn.Name.String() != q.Name.String() {
		return false
	}
	return q.Qualifier.IsEmpty() || tn.Qualifier.IsEmpty() || q.Qualifier.String() == tn.Qualifier.String()
}

// updateTargets returns the tables an UPDATE assigns columns of.
func updateTargets(u *sqlparser.Update) map[*sqlparser.AliasedTableExpr]bool {
	leaves := leafTables(u.TableExprs)
	targets := make(map[*sqlparser.AliasedTableExpr]bool)
	if len(leaves) == 1 {
		targets[leaves[0]] = true
		return targets
	}
	for _, e := range u.Exprs {
		if e.Name == nil {
			continue
		}
		q := e.Name.Qualifier
		found := false
		if !q.IsEmpty() {
			for _, l := range leaves {
				if refersTo(l, q) {
					targets[l] = true
					found = true
				}
			}
		}
		if !found && len(leaves) > 0 {
			targets[leaves[0]] = true
		}
	}
	return targets
}

// deleteTargets returns the tables a DELETE deletes from.
func deleteTargets(d *sqlparser.Delete) map[*sqlparser.AliasedTableExpr]bool {
	leaves := leafTables(d.TableExprs)
	targets := make(map[*sqlparser.AliasedTableExpr]bool)
	if len(d.Targets) == 0 {
		if len(leaves) > 0 {
			targets[leaves[0]] = true
		}
		return targets
	}
	for _, q := range d.Targets {
		for _, l := range leaves {
			if refersTo(l, q) {
				targets[l] = true
			}
		}
	}
	return targets
}

// DigestLists rewrites the "(...)" that performance_schema digests put for a
// value list (IN (...), VALUES (...)) into "(?)", which parses; it leaves
// strings and quoted names alone.
func DigestLists(sql string) string {
	if !strings.Contains(sql, "(...)") {
		return sql
	}
	var b strings.Builder
	var quote byte
	for i := 0; i < len(sql); i++ {
		ch := sql[i]
		switch {
		case quote != 0:
			if ch == '\\' && quote != '`' && i+1 < len(sql) {
				b.WriteByte(ch)
				i++
				ch = sql[i]
			} else if ch == quote {
				quote = 0
			}
		case ch == '\'' || ch == '"' || ch == '`':
			quote = ch
		case strings.HasPrefix(sql[i:], "(...)"):
			b.WriteString("(?)")
			i += 4
			continue
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// mysqlSimplified rewrites what the Vitess grammar does not know but
// MySQL 8 or MariaDB accept, where the rewrite keeps the tables read and
// written, and reports whether it changed anything:
//   - EXCEPT and INTERSECT (MySQL 8.0.31+, MariaDB 10.3+) become UNION:
//     every branch of a set operation is read whichever the operator;
//   - MariaDB's RETURNING clause of INSERT, REPLACE and DELETE is cut, with
//     everything after it (it names columns of the target).
//
// Words inside strings, quoted names and comments are left alone.
func mysqlSimplified(sql string) (string, bool) {
	var b strings.Builder
	last, depth, changed := 0, 0, false
	toks := mysqlTokens(sql)
	dml := len(toks) > 0 && toks[0].kind == tokWord &&
		(toks[0].word == "INSERT" || toks[0].word == "REPLACE" || toks[0].word == "DELETE")
	for _, t := range toks {
		switch {
		case t.kind == tokPunct && sql[t.start] == '(':
			depth++
		case t.kind == tokPunct && sql[t.start] == ')':
			depth--
		case t.kind == tokWord && (t.word == "EXCEPT" || t.word == "INTERSECT"):
			b.WriteString(sql[last:t.start])
			b.WriteString("UNION")
			last, changed = t.end, true
		case t.kind == tokWord && t.word == "RETURNING" && dml && depth == 0:
			b.WriteString(sql[last:t.start])
			return b.String(), true
		}
	}
	if !changed {
		return sql, false
	}
	b.WriteString(sql[last:])
	return b.String(), true
}

// loadDataTable returns the table of LOAD DATA ... INTO TABLE name, which
// the Vitess syntax tree does not keep.
func loadDataTable(sql string) (schemaName, name string, ok bool) {
	toks := mysqlTokens(sql)
	for i := 0; i+2 < len(toks); i++ {
		if wordIs(toks[i], "INTO") && wordIs(toks[i+1], "TABLE") {
			parts := []string{identText(sql, toks[i+2])}
			if i+4 < len(toks) && toks[i+3].kind == tokPunct && sql[toks[i+3].start] == '.' {
				parts = append(parts, identText(sql, toks[i+4]))
			}
			if len(parts) == 2 {
				return parts[0], parts[1], true
			}
			return "", parts[0], true
		}
	}
	return "", "", false
}

// identText returns the name a word or `quoted` token spells.
func identText(sql string, t token) string {
	text := sql[t.start:t.end]
	if t.kind == tokQuoted && len(text) >= 2 {
		return strings.ReplaceAll(text[1:len(text)-1], "``", "`")
	}
	return text
}
