package sqlrefs

import (
	"fmt"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/schema"
)

// Column is one side of an equality between columns, as far as the text
// alone resolves it: a table alias is replaced by the table it names, an
// unqualified column keeps the tables it could belong to.
type Column struct {
	// Name is the column's name, as the parser resolves it (see the
	// package documentation for case and quotes).
	Name string
	// Table is the table the column's qualifier names (its alias
	// resolved); Schema is "" when the statement does not qualify it.
	// Zero for an unqualified column or a record field.
	Table schema.TableName
	// InScope are, for an unqualified column, the tables of the query
	// levels it can see, innermost first: the column belongs to a table of
	// the first level that has a column of that name.
	InScope [][]schema.TableName
	// Record is "new" or "old" for a field of a trigger's row (NEW.x,
	// OLD.x): a column of the table the trigger is on.
	Record string
}

// Equality is a predicate col = col between two columns, found in a join
// condition (ON, USING), a WHERE or HAVING clause, or an IN (subquery)
// whose subquery selects one column. Orientation carries no meaning.
type Equality struct {
	Left, Right Column
}

// PostgresEqualities returns the equalities between columns in one or more
// PostgreSQL statements, in every query level (subqueries, CTEs, set
// operations, UPDATE ... FROM, DELETE ... USING, MERGE ... ON). A side that
// is a column of a subquery in FROM or of a CTE is not a table's column and
// the equality is left out. The result is in the order found.
func PostgresEqualities(sql string) (eqs []Equality, err error) {
	defer guard("postgres", sql, &err)
	var e eqCollector
	err = e.postgres(sql)
	return e.eqs, err
}

// PLpgSQLEqualities returns the equalities between columns in the SQL of a
// PL/pgSQL function body (prosrc), as PostgresEqualities does for each
// embedded statement and expression. NEW.x and OLD.x are record fields.
func PLpgSQLEqualities(functionSource string) (eqs []Equality, err error) {
	defer guard("plpgsql", functionSource, &err)
	funcs, err := parsePLpgSQL(functionSource)
	if err != nil {
		return nil, fmt.Errorf("plpgsql: cannot parse %q: %s", excerpt(functionSource), oneLine(err.Error()))
	}
	var e eqCollector
	var c collector
	p := plWalker{c: &c, parse: e.postgres}
	p.walk(funcs, false)
	return e.eqs, p.err
}

// eqCollector gathers equalities.
type eqCollector struct {
	eqs []Equality
}

func (e *eqCollector) postgres(sql string) error {
	out, err := pg_query.ParseToJSON(sql)
	if err != nil {
		return fmt.Errorf("postgres: cannot parse %q: %s", excerpt(sql), oneLine(err.Error()))
	}
	root, err := parseJSON(out)
	if err != nil {
		return fmt.Errorf("postgres: reading the parse tree of %q: %v", excerpt(sql), err)
	}
	w := pgEqWalker{e: e}
	for _, raw := range list(asObj(root).get("stmts")) {
		w.walk(asObj(raw).get("stmt"), nil)
	}
	return nil
}

// scopeItem is one item of a FROM list: a table (table non-nil) or a
// subquery or CTE (table nil), with the name the statement knows it by.
type scopeItem struct {
	name  string
	table *schema.TableName
}

// scope is one query level's FROM items.
type scope []scopeItem

// scopes are the query levels visible at a point, innermost first.
type scopes []scope

// column resolves a column reference of parts (qualifier parts, then the
// column) against ss, fold folding names as the dialect compares them.
func (ss scopes) column(parts []string, fold func(string) string) (Column, bool) {
	switch len(parts) {
	case 1:
		col := Column{Name: parts[0]}
		for _, s := range ss {
			var level []schema.TableName
			for _, it := range s {
				if it.table != nil {
					level = append(level, *it.table)
				}
			}
			if len(level) > 0 {
				col.InScope = append(col.InScope, level)
			}
		}
		return col, len(col.InScope) > 0
	case 2, 3:
		q := parts[len(parts)-2]
		qs := ""
		if len(parts) == 3 {
			qs = parts[0]
		}
		for _, s := range ss {
			for _, it := range s {
				if fold(it.name) != fold(q) {
					continue
				}
				if qs != "" && (it.table == nil || fold(it.table.Schema) != fold(qs)) {
					continue
				}
				if it.table == nil {
					return Column{}, false
				}
				return Column{Name: parts[len(parts)-1], Table: *it.table}, true
			}
		}
		if len(parts) == 2 {
			if r := strings.ToLower(q); r == "new" || r == "old" {
				return Column{Name: parts[1], Record: r}, true
			}
		}
	}
	return Column{}, false
}

// add records a = b when both resolve.
func (e *eqCollector) add(a, b Column, okA, okB bool) {
	if okA && okB {
		e.eqs = append(e.eqs, Equality{Left: a, Right: b})
	}
}

// tablesOf returns the tables of a scope.
func tablesOf(s scope) []schema.TableName {
	var out []schema.TableName
	for _, it := range s {
		if it.table != nil {
			out = append(out, *it.table)
		}
	}
	return out
}

// usingColumn is a USING column seen from one side of a join.
func usingColumn(name string, side scope) (Column, bool) {
	ts := tablesOf(side)
	switch {
	case len(ts) == 0:
		return Column{}, false
	case len(ts) == 1 && len(side) == 1:
		return Column{Name: name, Table: ts[0]}, true
	}
	return Column{Name: name, InScope: [][]schema.TableName{ts}}, true
}

// pgEqWalker walks a PostgreSQL parse tree (JSON form) for equalities.
type pgEqWalker struct {
	e    *eqCollector
	ctes []string
}

func pgFold(s string) string { return s }

func (w *pgEqWalker) isCTE(name string) bool { return slices.Contains(w.ctes, name) }

// walk visits any value of the tree with the query levels ss visible.
func (w *pgEqWalker) walk(v any, ss scopes) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			w.walk(e, ss)
		}
	case jobj:
		if typ, f, ok := node(x); ok {
			w.node(typ, f, ss)
			return
		}
		for _, kv := range x {
			switch kv.v.(type) {
			case []any, jobj:
				w.walk(kv.v, ss)
			}
		}
	}
}

func (w *pgEqWalker) node(typ string, f jobj, ss scopes) {
	if f == nil {
		return
	}
	switch typ {
	case "SelectStmt":
		w.selectStmt(f, ss)
	case "UpdateStmt", "DeleteStmt", "MergeStmt", "InsertStmt":
		depth := w.with(f.get("withClause"), ss)
		var s scope
		w.rangeVar(asObj(f.get("relation")), &s)
		for _, k := range []string{"fromClause", "usingClause", "sourceRelation"} {
			w.from(f.get(k), &s, ss)
		}
		inner := append(scopes{s}, ss...)
		for _, kv := range f {
			switch kv.k {
			case "withClause", "relation", "fromClause", "usingClause", "sourceRelation":
			case "selectStmt":
				w.walk(kv.v, ss)
			default:
				w.walk(kv.v, inner)
			}
		}
		w.ctes = w.ctes[:depth]
	case "A_Expr":
		if str(f, "kind") == "AEXPR_OP" && opName(f) == "=" {
			a, okA := w.columnRef(f.get("lexpr"), ss)
			b, okB := w.columnRef(f.get("rexpr"), ss)
			w.e.add(a, b, okA, okB)
		}
		w.walk(f.get("lexpr"), ss)
		w.walk(f.get("rexpr"), ss)
	case "SubLink":
		if str(f, "subLinkType") == "ANY_SUBLINK" && (len(list(f.get("operName"))) == 0 || opNameList(f.get("operName")) == "=") {
			a, okA := w.columnRef(f.get("testexpr"), ss)
			if sel := fieldsOf(f.get("subselect")); okA && sel != nil {
				w.subselectColumn(a, sel, ss)
			}
		}
		w.walk(f.get("testexpr"), ss)
		w.walk(f.get("subselect"), ss)
	case "ColumnRef", "A_Const", "ParamRef", "TypeName", "String", "Integer", "Float", "Boolean":
	default:
		w.walk(f, ss)
	}
}

// subselectColumn records a IN (SELECT x FROM ...) as a = x.
func (w *pgEqWalker) subselectColumn(a Column, sel jobj, ss scopes) {
	targets := list(sel.get("targetList"))
	if len(targets) != 1 || sel.get("larg") != nil {
		return
	}
	depth := w.with(sel.get("withClause"), ss)
	defer func() { w.ctes = w.ctes[:depth] }()
	var s scope
	w.from(sel.get("fromClause"), &s, ss)
	b, ok := w.columnRef(fieldsOf(targets[0]).get("val"), append(scopes{s}, ss...))
	w.e.add(a, b, true, ok)
}

func opName(f jobj) string { return opNameList(f.get("name")) }

func opNameList(v any) string {
	names := list(v)
	if len(names) == 0 {
		return ""
	}
	return str(fieldsOf(names[len(names)-1]), "sval")
}

// columnRef resolves a ColumnRef (under any casts) to a column.
func (w *pgEqWalker) columnRef(v any, ss scopes) (Column, bool) {
	typ, f, ok := node(v)
	for ok && typ == "TypeCast" {
		typ, f, ok = node(f.get("arg"))
	}
	if !ok || typ != "ColumnRef" {
		return Column{}, false
	}
	var parts []string
	for _, fl := range list(f.get("fields")) {
		t, ff, _ := node(fl)
		if t != "String" {
			return Column{}, false // A_Star
		}
		parts = append(parts, str(ff, "sval"))
	}
	return ss.column(parts, pgFold)
}

// with brings a WITH clause's names into scope and walks its queries; it
// returns the CTE depth to restore.
func (w *pgEqWalker) with(wc any, ss scopes) int {
	depth := len(w.ctes)
	for _, n := range list(asObj(wc).get("ctes")) {
		cte := fieldsOf(n)
		w.ctes = append(w.ctes, str(cte, "ctename"))
		w.walk(cte.get("ctequery"), ss)
	}
	return depth
}

func (w *pgEqWalker) selectStmt(f jobj, ss scopes) {
	depth := w.with(f.get("withClause"), ss)
	defer func() { w.ctes = w.ctes[:depth] }()
	if l := asObj(f.get("larg")); l != nil {
		w.selectStmt(l, ss)
	}
	if r := asObj(f.get("rarg")); r != nil {
		w.selectStmt(r, ss)
	}
	var s scope
	w.from(f.get("fromClause"), &s, ss)
	inner := append(scopes{s}, ss...)
	for _, kv := range f {
		switch kv.k {
		case "withClause", "larg", "rarg", "fromClause", "intoClause", "lockingClause":
		default:
			w.walk(kv.v, inner)
		}
	}
}

// rangeVar adds a table to s.
func (w *pgEqWalker) rangeVar(rv jobj, s *scope) {
	if rv == nil {
		return
	}
	rel := str(rv, "relname")
	name := rel
	if a := asObj(rv.get("alias")); a != nil {
		name = str(a, "aliasname")
	}
	if str(rv, "schemaname") == "" && w.isCTE(rel) {
		*s = append(*s, scopeItem{name: name})
		return
	}
	t := schema.TableName{Schema: str(rv, "schemaname"), Name: rel}
	*s = append(*s, scopeItem{name: name, table: &t})
}

// from adds the items of a FROM list (or one item) to s, walking join
// conditions and subqueries; outer are the enclosing levels (for LATERAL
// and correlated references).
func (w *pgEqWalker) from(v any, s *scope, outer scopes) {
	switch x := v.(type) {
	case []any:
		for _, it := range x {
			w.from(it, s, outer)
		}
		return
	}
	typ, f, ok := node(v)
	if !ok {
		return
	}
	switch typ {
	case "RangeVar":
		w.rangeVar(f, s)
	case "RangeSubselect":
		w.walk(f.get("subquery"), append(scopes{*s}, outer...))
		*s = append(*s, scopeItem{name: str(asObj(f.get("alias")), "aliasname")})
	case "JoinExpr":
		var left, right scope
		w.from(f.get("larg"), &left, outer)
		w.from(f.get("rarg"), &right, outer)
		for _, u := range list(f.get("usingClause")) {
			name := str(fieldsOf(u), "sval")
			a, okA := usingColumn(name, left)
			b, okB := usingColumn(name, right)
			w.e.add(a, b, okA, okB)
		}
		*s = append(*s, left...)
		*s = append(*s, right...)
		w.walk(f.get("quals"), append(scopes{*s}, outer...))
		if a := asObj(f.get("alias")); a != nil {
			*s = append(*s, scopeItem{name: str(a, "aliasname")})
		}
	default:
		// RangeFunction and the like: no table, but walk for subqueries.
		w.walk(f, append(scopes{*s}, outer...))
		if a := asObj(f.get("alias")); a != nil {
			*s = append(*s, scopeItem{name: str(a, "aliasname")})
		}
	}
}
