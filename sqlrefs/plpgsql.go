package sqlrefs

import (
	"fmt"
	"regexp"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/sqlident"
)

// PLpgSQL returns the tables that the body (prosrc) of a PL/pgSQL function
// reads and writes: every embedded SQL statement, the queries of FOR loops,
// cursors, PERFORM and RETURN QUERY, and the subqueries inside expressions
// (IF conditions, assignments, RETURN). NEW and OLD are records, not tables.
//
// EXECUTE of a constant string literal is parsed like any statement; EXECUTE
// of a string built at run time (format(), concatenation, a variable) cannot
// be resolved and is listed in Dynamic as written (on one line), e.g.
// "EXECUTE format('DELETE FROM %I', TG_TABLE_NAME)". So are FOR ... IN
// EXECUTE, OPEN ... FOR EXECUTE and RETURN QUERY EXECUTE. CALL of a procedure
// is listed in Dynamic as written.
//
// The body of a LANGUAGE sql function is plain SQL: give it to Postgres.
func PLpgSQL(functionSource string) (refs Refs, err error) {
	defer guard("plpgsql", functionSource, &err)
	var c collector
	funcs, err := parsePLpgSQL(functionSource)
	if err != nil {
		return Refs{}, fmt.Errorf("plpgsql: cannot parse %q: %s", excerpt(functionSource), oneLine(err.Error()))
	}
	p := plWalker{c: &c}
	p.walk(funcs, false)
	return c.refs(), p.err
}

// unknownVariable matches the PL/pgSQL compiler's complaint about an
// assignment to a name it does not know: a function parameter, which prosrc
// does not declare.
var unknownVariable = regexp.MustCompile(`^"([^"]+)" is not a known variable`)

// parsePLpgSQL compiles a function body with the PL/pgSQL parser and returns
// its JSON tree, decoded.
//
// The body is wrapped in a CREATE FUNCTION that returns SETOF trigger: the
// compiler then declares NEW and OLD and accepts RETURN NEXT/QUERY as well as
// RETURN NEW. Parameters are not in prosrc; when the compiler reports an
// assignment to an unknown name, the name is declared as a parameter of a
// composite type and the body compiled again.
func parsePLpgSQL(body string) (any, error) {
	tag := dollarTag(body)
	var params []string
	for attempt := 0; ; attempt++ {
		src := "CREATE FUNCTION seams_f(" + strings.Join(params, ", ") + ") RETURNS SETOF trigger LANGUAGE plpgsql AS " +
			tag + body + tag
		out, err := pg_query.ParsePlPgSqlToJSON(src)
		if err != nil {
			m := unknownVariable.FindStringSubmatch(err.Error())
			if m == nil || attempt >= 20 {
				return nil, err
			}
			name := m[1]
			if i := strings.IndexByte(name, '.'); i >= 0 {
				name = name[:i]
			}
			// A named composite type lets both "x := ..." and "x.f := ..."
			// compile; no catalog is consulted.
			params = append(params, sqlident.Postgres(name)+" seams.unknown_type")
			continue
		}
		return parseJSON(out)
	}
}

// dollarTag returns a dollar-quote tag that does not occur in body.
func dollarTag(body string) string {
	tag := "$seams$"
	for i := 0; strings.Contains(body, tag); i++ {
		tag = fmt.Sprintf("$seams%d$", i)
	}
	return tag
}

// plWalker walks the JSON tree of a compiled PL/pgSQL function.
type plWalker struct {
	c   *collector
	err error
	// parse, when set, is given each embedded SQL text instead of adding
	// its tables to c.
	parse func(sql string) error
}

// sql analyses one embedded SQL text.
func (p *plWalker) sql(sql string) error {
	if p.parse != nil {
		return p.parse(sql)
	}
	return postgresInto(p.c, sql)
}

// PL/pgSQL expression parse modes (RawParseMode in PostgreSQL).
const (
	parseDefault   = 0 // a whole SQL statement
	parseTypeName  = 1
	parseExpr      = 2 // an expression: SELECT <expr>
	parseAssign1   = 3 // target := expr, with the target a name
	parseAssign2   = 4 // target a.b
	parseAssign3   = 5 // target a.b.c
	parseModeUnset = -1
)

// walk visits the JSON tree. dynamic is true below a dynamic EXECUTE, where
// the expression is the text of the statement to run.
func (p *plWalker) walk(v any, dynamic bool) {
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			p.walk(e, dynamic)
		}
	case jobj:
		for _, kv := range x {
			switch k, e := kv.k, kv.v; k {
			case "PLpgSQL_expr":
				p.expr(e, dynamic)
			case "PLpgSQL_stmt_dynexecute", "PLpgSQL_stmt_dynfors":
				// query is the statement text; params and the rest are plain.
				for _, kv2 := range asObj(e) {
					p.walk(kv2.v, kv2.k == "query")
				}
			case "dynquery":
				// OPEN ... FOR EXECUTE, RETURN QUERY EXECUTE.
				p.walk(e, true)
			default:
				p.walk(e, dynamic)
			}
		}
	}
}

// expr handles one PLpgSQL_expr.
func (p *plWalker) expr(v any, dynamic bool) {
	m := asObj(v)
	query, _ := m.get("query").(string)
	if strings.TrimSpace(query) == "" {
		return
	}
	mode := parseDefault
	if f, ok := m.get("parseMode").(float64); ok {
		mode = int(f)
	}
	if dynamic {
		p.dynamic(query)
		return
	}
	var sql string
	switch mode {
	case parseDefault:
		sql = query
	case parseExpr:
		sql = "SELECT " + query
	case parseAssign1, parseAssign2, parseAssign3:
		rhs, ok := assignmentValue(query)
		if !ok {
			p.fail(fmt.Errorf("plpgsql: cannot split assignment %q", excerpt(query)))
			return
		}
		sql = "SELECT " + rhs
	default:
		return
	}
	if err := p.sql(sql); err != nil {
		p.fail(err)
	}
}

// dynamic handles the expression of EXECUTE: a constant string is parsed as
// SQL, anything else is recorded as dynamic.
func (p *plWalker) dynamic(expr string) {
	tree, err := pg_query.Parse("SELECT " + expr)
	if err == nil && len(tree.Stmts) == 1 {
		if sel := tree.Stmts[0].Stmt.GetSelectStmt(); sel != nil && len(sel.TargetList) == 1 && sel.FromClause == nil {
			if c := sel.TargetList[0].GetResTarget().GetVal().GetAConst(); c != nil && c.GetSval() != nil {
				if err := p.sql(c.GetSval().Sval); err != nil {
					p.fail(err)
				}
				return
			}
		}
	}
	p.c.dynamic = append(p.c.dynamic, "EXECUTE "+oneLine(expr))
}

func (p *plWalker) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// assignmentValue returns the expression of a PL/pgSQL assignment
// "target := expr" (or "target = expr"), found with the SQL scanner so that
// operators inside the target's subscripts or strings do not confuse it.
func assignmentValue(query string) (string, bool) {
	scan, err := pg_query.Scan(query)
	if err != nil {
		return "", false
	}
	depth := 0
	for _, t := range scan.Tokens {
		switch t.Token {
		case pg_query.Token_ASCII_40, pg_query.Token_ASCII_91: // ( [
			depth++
		case pg_query.Token_ASCII_41, pg_query.Token_ASCII_93: // ) ]
			depth--
		case pg_query.Token_COLON_EQUALS, pg_query.Token_ASCII_61: // := =
			if depth == 0 {
				return query[t.End:], true
			}
		}
	}
	return "", false
}

// PLpgSQLStatements returns the SQL statements a PL/pgSQL block (a DO
// body) runs on its main path, in order, as written: the plain statements
// of its BEGIN ... END and of the blocks nested in it, not those of
// exception handlers, of IF, CASE or loop branches, nor dynamic ones. A
// schema file that wraps DDL in DO $$ BEGIN ... EXCEPTION ... END $$ (to
// run twice without failing) runs these.
func PLpgSQLStatements(body string) (stmts []string, err error) {
	defer guard("plpgsql", body, &err)
	tree, err := parsePLpgSQL(body)
	if err != nil {
		return nil, fmt.Errorf("plpgsql: cannot parse %q: %s", excerpt(body), oneLine(err.Error()))
	}
	var block func(v any)
	block = func(v any) {
		for _, st := range list(asObj(v).get("body")) {
			for _, kv := range asObj(st) {
				switch kv.k {
				case "PLpgSQL_stmt_execsql":
					q := asObj(asObj(asObj(kv.v).get("sqlstmt")).get("PLpgSQL_expr")).get("query")
					if s, ok := q.(string); ok && strings.TrimSpace(s) != "" {
						stmts = append(stmts, s)
					}
				case "PLpgSQL_stmt_block":
					block(kv.v)
				}
			}
		}
	}
	for _, f := range list(tree) {
		action := asObj(asObj(asObj(f).get("PLpgSQL_function")).get("action"))
		block(action.get("PLpgSQL_stmt_block"))
	}
	return stmts, nil
}
