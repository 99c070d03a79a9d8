package sqlrefs

import (
	"fmt"
	"strings"

	"github.com/seamsdev/seams/schema"
	"vitess.io/vitess/go/vt/sqlparser"
)

// MySQLEqualities returns the equalities between columns in one or more
// MySQL or MariaDB statements, as PostgresEqualities does for PostgreSQL.
// Names are compared without case, as MySQL compares column names and
// aliases.
func MySQLEqualities(sql string) (eqs []Equality, err error) {
	defer guard("mysql", sql, &err)
	var e eqCollector
	err = e.mysql(sql)
	return e.eqs, err
}

// MySQLTriggerBodyEqualities returns the equalities between columns in a
// MySQL/MariaDB trigger or routine body, cut into statements and
// expressions as MySQLTriggerBody does. NEW.x and OLD.x are record fields.
func MySQLTriggerBodyEqualities(body string) (eqs []Equality, err error) {
	defer guard("mysql trigger body", body, &err)
	var e eqCollector
	s := bodySplitter{src: body, toks: mysqlTokens(body)}
	s.run()
	var first error
	for _, p := range s.pieces {
		var perr error
		switch p.kind {
		case pieceStatement:
			perr = e.mysql(p.text)
		case pieceExpr:
			perr = e.mysql("SELECT " + p.text)
		}
		if perr != nil && first == nil {
			first = perr
		}
	}
	return e.eqs, first
}

func (e *eqCollector) mysql(sql string) error {
	pieces := []string{sql}
	if strings.IndexByte(sql, ';') >= 0 {
		var err error
		if pieces, err = mysqlParser.SplitStatementToPieces(sql); err != nil {
			return fmt.Errorf("mysql: cannot split %q: %s", excerpt(sql), oneLine(err.Error()))
		}
	}
	var first error
	for _, piece := range pieces {
		stmt, err := mysqlParser.Parse(DigestLists(piece))
		if err != nil {
			if err == sqlparser.ErrEmpty {
				continue
			}
			if retry, ok := mysqlSimplified(piece); ok {
				if s2, err2 := mysqlParser.Parse(DigestLists(retry)); err2 == nil {
					stmt, err = s2, nil
				}
			}
		}
		if err != nil {
			if first == nil {
				first = fmt.Errorf("mysql: cannot parse %q: %s", excerpt(piece), oneLine(err.Error()))
			}
			continue
		}
		w := myEqWalker{e: e}
		w.walk(stmt, nil)
	}
	return first
}

// myEqWalker walks a Vitess syntax tree for equalities.
type myEqWalker struct {
	e    *eqCollector
	ctes []string
}

func myFold(s string) string { return strings.ToLower(s) }

func (w *myEqWalker) isCTE(name string) bool {
	for _, c := range w.ctes {
		if strings.EqualFold(c, name) {
			return true
		}
	}
	return false
}

func (w *myEqWalker) with(with *sqlparser.With, ss scopes) int {
	depth := len(w.ctes)
	if with == nil {
		return depth
	}
	for _, cte := range with.CTEs {
		w.ctes = append(w.ctes, cte.ID.String())
		w.walk(cte.Subquery, ss)
	}
	return depth
}

// walk visits n with the query levels ss visible.
func (w *myEqWalker) walk(n sqlparser.SQLNode, ss scopes) {
	if n == nil {
		return
	}
	_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		switch x := node.(type) {
		case *sqlparser.Select:
			w.selectStmt(x, ss)
			return false, nil
		case *sqlparser.Union:
			d := w.with(x.With, ss)
			w.walk(x.Left, ss)
			w.walk(x.Right, ss)
			w.ctes = w.ctes[:d]
			return false, nil
		case *sqlparser.Update:
			d := w.with(x.With, ss)
			inner := append(scopes{w.from(x.TableExprs, ss)}, ss...)
			for _, e := range x.Exprs {
				w.walk(e.Expr, inner)
			}
			w.walk(x.Where, inner)
			w.ctes = w.ctes[:d]
			return false, nil
		case *sqlparser.Delete:
			d := w.with(x.With, ss)
			inner := append(scopes{w.from(x.TableExprs, ss)}, ss...)
			w.walk(x.Where, inner)
			w.ctes = w.ctes[:d]
			return false, nil
		case *sqlparser.ComparisonExpr:
			switch x.Operator {
			case sqlparser.EqualOp, sqlparser.NullSafeEqualOp:
				a, okA := w.column(x.Left, ss)
				b, okB := w.column(x.Right, ss)
				w.e.add(a, b, okA, okB)
			case sqlparser.InOp:
				if sub, ok := x.Right.(*sqlparser.Subquery); ok {
					if a, okA := w.column(x.Left, ss); okA {
						w.subselectColumn(a, sub.Select, ss)
					}
				}
			}
		}
		return true, nil
	}, n)
}

// subselectColumn records a IN (SELECT x FROM ...) as a = x.
func (w *myEqWalker) subselectColumn(a Column, st sqlparser.TableStatement, ss scopes) {
	sel, ok := st.(*sqlparser.Select)
	if !ok || sel.SelectExprs == nil || len(sel.SelectExprs.Exprs) != 1 {
		return
	}
	ae, ok := sel.SelectExprs.Exprs[0].(*sqlparser.AliasedExpr)
	if !ok {
		return
	}
	d := w.with(sel.With, ss)
	defer func() { w.ctes = w.ctes[:d] }()
	s := w.fromTables(sel.From)
	b, okB := w.column(ae.Expr, append(scopes{s}, ss...))
	w.e.add(a, b, true, okB)
}

func (w *myEqWalker) selectStmt(x *sqlparser.Select, ss scopes) {
	d := w.with(x.With, ss)
	defer func() { w.ctes = w.ctes[:d] }()
	inner := append(scopes{w.from(x.From, ss)}, ss...)
	if x.SelectExprs != nil {
		w.walk(x.SelectExprs, inner)
	}
	w.walk(x.Where, inner)
	w.walk(x.GroupBy, inner)
	w.walk(x.Having, inner)
	w.walk(x.OrderBy, inner)
}

// column resolves a column expression to a column.
func (w *myEqWalker) column(e sqlparser.Expr, ss scopes) (Column, bool) {
	for {
		switch c := e.(type) {
		case *sqlparser.ConvertExpr:
			e = c.Expr
			continue
		case *sqlparser.CastExpr:
			e = c.Expr
			continue
		}
		break
	}
	c, ok := e.(*sqlparser.ColName)
	if !ok {
		return Column{}, false
	}
	var parts []string
	if q := c.Qualifier.Qualifier.String(); q != "" {
		parts = append(parts, q)
	}
	if q := c.Qualifier.Name.String(); q != "" {
		parts = append(parts, q)
	}
	parts = append(parts, c.Name.String())
	return ss.column(parts, myFold)
}

// fromTables returns the scope of a FROM list without walking anything.
func (w *myEqWalker) fromTables(exprs []sqlparser.TableExpr) scope {
	var s scope
	eachAliased(exprs, func(t *sqlparser.AliasedTableExpr) { s = append(s, w.item(t)) })
	return s
}

// item is the scope item of one table expression.
func (w *myEqWalker) item(t *sqlparser.AliasedTableExpr) scopeItem {
	tn, ok := t.Expr.(sqlparser.TableName)
	name := t.As.String()
	if !ok {
		return scopeItem{name: name}
	}
	if name == "" {
		name = tn.Name.String()
	}
	if tn.Qualifier.IsEmpty() && w.isCTE(tn.Name.String()) {
		return scopeItem{name: name}
	}
	n := schema.TableName{Schema: tn.Qualifier.String(), Name: tn.Name.String()}
	return scopeItem{name: name, table: &n}
}

// from builds the scope of a FROM list, walking derived tables and join
// conditions (with the whole list in scope).
func (w *myEqWalker) from(exprs []sqlparser.TableExpr, outer scopes) scope {
	s := w.fromTables(exprs)
	inner := append(scopes{s}, outer...)
	var visit func(te sqlparser.TableExpr)
	visit = func(te sqlparser.TableExpr) {
		switch t := te.(type) {
		case *sqlparser.AliasedTableExpr:
			if dt, ok := t.Expr.(*sqlparser.DerivedTable); ok {
				w.walk(dt.Select, outer)
			}
		case *sqlparser.JoinTableExpr:
			visit(t.LeftExpr)
			visit(t.RightExpr)
			if t.Condition != nil {
				left := w.fromTables([]sqlparser.TableExpr{t.LeftExpr})
				right := w.fromTables([]sqlparser.TableExpr{t.RightExpr})
				for _, u := range t.Condition.Using {
					a, okA := usingColumn(u.String(), left)
					b, okB := usingColumn(u.String(), right)
					w.e.add(a, b, okA, okB)
				}
				w.walk(t.Condition.On, inner)
			}
		case *sqlparser.ParenTableExpr:
			for _, e := range t.Exprs {
				visit(e)
			}
		}
	}
	for _, te := range exprs {
		visit(te)
	}
	return s
}
