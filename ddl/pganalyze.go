package ddl

import (
	"sort"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// When the server stores a check or an index predicate it has analysed it:
// it resolved each operator for the types of its arguments and inserted
// the casts that needs, and turned IN lists into = ANY (ARRAY[...]) and
// BETWEEN into two comparisons. A dump shows the result; a file written by
// hand does not. pgAnalyze redoes that analysis for the comparisons a
// schema most often writes — a column of the table against constants —
// where the outcome depends only on the column's type:
//
//	price >= 0                  price >= 0::numeric        (numeric)
//	name <> ''                  name::text <> ''::text     (varchar)
//	status IN ('a', 'b')        status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])
//	kind IN (1, 2)              kind = ANY (ARRAY[1, 2])   (integer)
//	rate BETWEEN 0 AND 100      rate >= 0::numeric AND rate <= 100::numeric
//
// Anything else (two columns, functions, other types) is left as written:
// guessing the server's choice of operator would be worse than keeping
// the file's text.

// colTypes gives the type of a column of the table being read.
type colTypes func(name string) (pgType, bool)

// funcParams gives the types (pg_catalog names) of the parameters and of
// the result of a function called by name, when they are known.
type funcParams func(parts []string) (params []string, returns string, ok bool)

// textFuncs are built-in functions of text whose argument a character
// varying column is cast for (lower(name::text)).
var textFuncs = map[string]bool{
	"lower": true, "upper": true, "initcap": true, "btrim": true, "ltrim": true, "rtrim": true,
	"length": true, "char_length": true, "character_length": true, "md5": true, "reverse": true,
}

// comparisonOps are the operators analysed.
var comparisonOps = map[string]bool{"=": true, "<>": true, "!=": true, "<": true, ">": true, "<=": true, ">=": true}

// analysis rewrites one expression: replacements of byte ranges.
type analysis struct {
	src   string
	cols  colTypes
	funcs funcParams
	enum  func(bare string) bool
	edits []textEdit
	toks  []token
	at    map[int]int // token index by start offset
}

type textEdit struct {
	from, to int
	text     string
}

// pgAnalyze returns expr with the casts and rewrites the server would
// store for the comparisons of columns with constants it holds.
func pgAnalyze(expr string, cols colTypes, funcs funcParams, enum func(bare string) bool) string {
	sql, _, val := parseExpr(strings.TrimSpace(expr))
	if val == nil {
		return expr
	}
	a := &analysis{src: sql, cols: cols, funcs: funcs, enum: enum, toks: pgTokens(sql), at: map[int]int{}}
	for i, t := range a.toks {
		a.at[int(t.start)] = i
	}
	a.walk(val)
	if len(a.edits) == 0 {
		return expr
	}
	sort.Slice(a.edits, func(i, j int) bool { return a.edits[i].from < a.edits[j].from })
	var b strings.Builder
	last := 0
	for _, e := range a.edits {
		if e.from < last {
			return expr // overlapping rewrites: keep the file's text
		}
		b.WriteString(sql[last:e.from])
		b.WriteString(e.text)
		last = e.to
	}
	b.WriteString(sql[last:])
	return strings.TrimSpace(b.String()[len(exprPrefix):])
}

// walk looks for comparisons under AND, OR and NOT, and for function
// calls.
func (a *analysis) walk(n *pg_query.Node) {
	switch x := n.GetNode().(type) {
	case *pg_query.Node_BoolExpr:
		for _, c := range x.BoolExpr.GetArgs() {
			a.walk(c)
		}
	case *pg_query.Node_AExpr:
		a.aexpr(x.AExpr)
	case *pg_query.Node_FuncCall:
		a.call(x.FuncCall)
	case *pg_query.Node_SubLink:
		// A query has tables of its own: its columns are not the table's.
	default:
		for _, c := range childNodes(n) {
			a.walk(c)
		}
	}
}

// signature returns the parameter and result types of a called function
// when they are known: a function of the file, or a built-in one of text.
func (a *analysis) signature(f *pg_query.FuncCall) (params []string, returns string, ok bool) {
	parts := stringList(f.GetFuncname())
	if params, returns, ok := a.funcs(parts); ok {
		return params, returns, true
	}
	if len(parts) == 1 && textFuncs[parts[0]] && len(f.GetArgs()) == 1 {
		returns := "text"
		if strings.Contains(parts[0], "length") {
			returns = "int4"
		}
		return []string{"text"}, returns, true
	}
	return nil, "", false
}

// call casts the character varying columns passed for text parameters of
// a function whose parameters are known, as the server does.
func (a *analysis) call(f *pg_query.FuncCall) {
	params, _, ok := a.signature(f)
	if !ok || len(params) != len(f.GetArgs()) {
		for _, arg := range f.GetArgs() {
			a.walk(arg)
		}
		return
	}
	for i, arg := range f.GetArgs() {
		if c, typ, ok := a.column(arg); ok && params[i] == "text" && (typ.base == "varchar" || typ.base == "bpchar") {
			a.replaceNode(arg, pgQuoteIdent(c.GetFields()[0].GetString_().GetSval())+"::text")
			continue
		}
		a.walk(arg)
	}
}

func (a *analysis) aexpr(e *pg_query.A_Expr) {
	switch e.GetKind() {
	case pg_query.A_Expr_Kind_AEXPR_OP:
		op := opName(e.GetName())
		if regexOps[op] || jsonOps[op] != "" {
			a.textOperator(e, op)
			return
		}
		if !comparisonOps[op] {
			if e.GetLexpr() != nil {
				a.walk(e.GetLexpr())
			}
			a.walk(e.GetRexpr())
			return
		}
		col, typ, ok := a.column(e.GetLexpr())
		if !ok {
			// A function of text compared with a string: the string is text.
			if f := e.GetLexpr().GetFuncCall(); f != nil {
				if _, returns, known := a.signature(f); known && returns == "text" {
					if c := e.GetRexpr().GetAConst(); c != nil && c.GetSval() != nil {
						a.replaceNode(e.GetRexpr(), pgLiteral(c.GetSval().GetSval())+"::text")
					}
				}
			}
			a.walk(e.GetLexpr())
			a.walk(e.GetRexpr())
			return
		}
		if col2, typ2, ok2 := a.column(e.GetRexpr()); ok2 {
			// Two columns of character varying (or one and text) are
			// compared as text.
			vc := func(t pgType) bool { return t.base == "varchar" || t.base == "text" }
			if vc(typ) && vc(typ2) && (typ.base == "varchar" || typ2.base == "varchar") {
				for _, side := range []struct {
					c *pg_query.ColumnRef
					t pgType
					n *pg_query.Node
				}{{col, typ, e.GetLexpr()}, {col2, typ2, e.GetRexpr()}} {
					if side.t.base == "varchar" {
						a.replaceNode(side.n, pgQuoteIdent(side.c.GetFields()[0].GetString_().GetSval())+"::text")
					}
				}
			}
			return
		}
		c := e.GetRexpr().GetAConst()
		if c == nil {
			a.walk(e.GetRexpr())
			return
		}
		left, right, ok := a.compare(col, typ, c)
		if ok {
			a.replaceNode(e.GetLexpr(), left)
			a.replaceNode(e.GetRexpr(), right)
		}
	case pg_query.A_Expr_Kind_AEXPR_IN:
		a.in(e)
	case pg_query.A_Expr_Kind_AEXPR_BETWEEN:
		a.between(e)
	}
}

// regexOps match a string against a pattern, typed text.
var regexOps = map[string]bool{"~": true, "~*": true, "!~": true, "!~*": true}

// jsonOps take a key (text), an index (integer) or a path (text[]).
var jsonOps = map[string]string{"->": "text", "->>": "text", "#>": "text[]", "#>>": "text[]"}

// textOperator types the constant of col ~ 'pattern' (text; a character
// varying column is cast to text) and of json_col ->> 'key' (text) or
// #>> '{a,b}' (text[]).
func (a *analysis) textOperator(e *pg_query.A_Expr, op string) {
	col, typ, ok := a.column(e.GetLexpr())
	c := e.GetRexpr().GetAConst()
	if !ok || c == nil || c.GetSval() == nil {
		if e.GetLexpr() != nil {
			a.walk(e.GetLexpr())
		}
		a.walk(e.GetRexpr())
		return
	}
	lit := pgLiteral(c.GetSval().GetSval())
	switch {
	case regexOps[op] && (typ.base == "text" || typ.base == "varchar" || typ.base == "bpchar"):
		if typ.base == "varchar" {
			a.replaceNode(e.GetLexpr(), pgQuoteIdent(col.GetFields()[0].GetString_().GetSval())+"::text")
		}
		a.replaceNode(e.GetRexpr(), lit+"::text")
	case jsonOps[op] != "" && (typ.base == "json" || typ.base == "jsonb"):
		a.replaceNode(e.GetRexpr(), lit+"::"+jsonOps[op])
	}
}

// column returns the column a node names and its type.
func (a *analysis) column(n *pg_query.Node) (*pg_query.ColumnRef, pgType, bool) {
	cr := n.GetColumnRef()
	if cr == nil || len(cr.GetFields()) != 1 || cr.GetFields()[0].GetString_() == nil {
		return nil, pgType{}, false
	}
	t, ok := a.cols(cr.GetFields()[0].GetString_().GetSval())
	return cr, t, ok
}

// constant is a constant as the server stores it compared with a column.
type constant struct {
	text string // its text, typed
	ok   bool
}

// compare returns the column's and the constant's text once the server
// resolved the operator between them.
func (a *analysis) compare(col *pg_query.ColumnRef, typ pgType, c *pg_query.A_Const) (left, right string, ok bool) {
	name := pgQuoteIdent(col.GetFields()[0].GetString_().GetSval())
	switch typ.base {
	case "int2", "int4", "int8":
		if k := intLiteral(c); k != "" {
			return name, k, true
		}
	case "numeric":
		if k := intLiteral(c); k != "" {
			return name, k + "::numeric", true
		}
		if f := c.GetFval(); f != nil && !strings.HasPrefix(f.GetFval(), "-") {
			return name, f.GetFval(), true
		}
	case "float8", "float4":
		if k := intLiteral(c); k != "" {
			return name, k + "::" + typ.bare, true
		}
	case "text":
		if s := c.GetSval(); s != nil {
			return name, pgLiteral(s.GetSval()) + "::text", true
		}
	case "varchar":
		if s := c.GetSval(); s != nil {
			return name + "::text", pgLiteral(s.GetSval()) + "::text", true
		}
	case "bool":
		if b := c.GetBoolval(); b != nil {
			return name, strconv.FormatBool(b.GetBoolval()), true
		}
	case "bpchar", "char", "date", "uuid":
		if s := c.GetSval(); s != nil && (typ.base != "date" || isISODate(s.GetSval())) && (typ.base != "uuid" || s.GetSval() == strings.ToLower(s.GetSval())) {
			return name, pgLiteral(s.GetSval()) + "::" + typ.bare, true
		}
	case "":
		if s := c.GetSval(); s != nil && a.enum(typ.bare) {
			return name, pgLiteral(s.GetSval()) + "::" + typ.bare, true
		}
	}
	return "", "", false
}

// intLiteral prints an integer constant as an int4 Const: bare, or quoted
// and typed when negative; "" when c is no int4.
func intLiteral(c *pg_query.A_Const) string {
	iv := c.GetIval()
	if iv == nil {
		return ""
	}
	return intConst(int64(iv.GetIval()))
}

// isISODate reports whether s is a date as the server prints it.
func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, c := range s {
		if i != 4 && i != 7 && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// in rewrites col [NOT] IN (constants) as the server stores it.
func (a *analysis) in(e *pg_query.A_Expr) {
	col, typ, ok := a.column(e.GetLexpr())
	items := e.GetRexpr().GetList().GetItems()
	if !ok || len(items) == 0 {
		return
	}
	not := opName(e.GetName()) == "<>"
	var consts []*pg_query.A_Const
	for _, it := range items {
		c := it.GetAConst()
		if c == nil {
			return
		}
		consts = append(consts, c)
	}
	name := pgQuoteIdent(col.GetFields()[0].GetString_().GetSval())
	var text string
	if len(consts) == 1 {
		// One value is a plain comparison.
		left, right, ok := a.compare(col, typ, consts[0])
		if !ok {
			return
		}
		op := "="
		if not {
			op = "<>"
		}
		text = left + " " + op + " " + right
	} else {
		elems := make([]string, len(consts))
		for i, c := range consts {
			switch typ.base {
			case "int2", "int4":
				elems[i] = intLiteral(c)
			case "text", "varchar", "bpchar", "char", "":
				if s := c.GetSval(); s != nil && (typ.base != "" || a.enum(typ.bare)) {
					elems[i] = pgLiteral(s.GetSval()) + "::" + typ.bare
				}
			}
			if elems[i] == "" {
				return
			}
		}
		op, quant := "=", "ANY"
		if not {
			op, quant = "<>", "ALL"
		}
		array := "ARRAY[" + strings.Join(elems, ", ") + "]"
		if typ.base == "varchar" {
			name += "::text"
			array += "::text[]"
		}
		text = name + " " + op + " " + quant + " (" + array + ")"
	}
	from, to, ok := a.extent(e.GetLexpr(), e.GetRexpr())
	if ok {
		a.edits = append(a.edits, textEdit{from, to, text})
	}
}

// between rewrites col BETWEEN x AND y as col >= x AND col <= y.
func (a *analysis) between(e *pg_query.A_Expr) {
	col, typ, ok := a.column(e.GetLexpr())
	bounds := e.GetRexpr().GetList().GetItems()
	if !ok || len(bounds) != 2 || bounds[0].GetAConst() == nil || bounds[1].GetAConst() == nil {
		return
	}
	l1, r1, ok1 := a.compare(col, typ, bounds[0].GetAConst())
	l2, r2, ok2 := a.compare(col, typ, bounds[1].GetAConst())
	if !ok1 || !ok2 {
		return
	}
	from, to, ok := a.extent(e.GetLexpr(), e.GetRexpr())
	if ok {
		a.edits = append(a.edits, textEdit{from, to, l1 + " >= " + r1 + " AND " + l2 + " <= " + r2})
	}
}

// replaceNode replaces the token of a column or constant.
func (a *analysis) replaceNode(n *pg_query.Node, text string) {
	loc := minLocation(n)
	i, ok := a.at[loc]
	if !ok {
		return
	}
	last := i
	// A negative constant is two tokens.
	if a.toks[i].kind == tOp && i+1 < len(a.toks) && a.toks[i+1].kind == tNumber {
		last = i + 1
	}
	a.edits = append(a.edits, textEdit{int(a.toks[i].start), int(a.toks[last].end), text})
}

// extent returns the byte range from the first token of first to the end
// of last (a list in parentheses, or its last item).
func (a *analysis) extent(first, last *pg_query.Node) (int, int, bool) {
	i, ok := a.at[minLocation(first)]
	if !ok {
		return 0, 0, false
	}
	// The end: the closing parenthesis of an IN list, or the last token of
	// the last bound of BETWEEN.
	items := last.GetList().GetItems()
	if len(items) == 0 {
		return 0, 0, false
	}
	j, ok := a.at[minLocation(items[len(items)-1])]
	if !ok {
		return 0, 0, false
	}
	if a.toks[j].kind == tOp && j+1 < len(a.toks) && a.toks[j+1].kind == tNumber {
		j++
	}
	if j+1 < len(a.toks) && a.toks[j+1].punct(a.src, ')') && a.isInList(i, j+1) {
		j++
	}
	return int(a.toks[i].start), int(a.toks[j].end), true
}

// isInList reports whether the parenthesis at token close ends the list
// of the IN that starts after token first.
func (a *analysis) isInList(first, close int) bool {
	depth := 0
	for k := close; k > first; k-- {
		switch {
		case a.toks[k].punct(a.src, ')'):
			depth++
		case a.toks[k].punct(a.src, '('):
			depth--
			if depth == 0 {
				return k > 0 && a.toks[k-1].is(a.src, "in")
			}
		}
	}
	return false
}

// columnTypes returns the types of a table's columns for pgAnalyze.
func (t *pgTable) columnTypes() colTypes {
	return func(name string) (pgType, bool) {
		c := t.Column(name)
		if c == nil {
			return pgType{}, false
		}
		return typeOf(c.Type), true
	}
}

// typeOf is the type a format_type spelling stands for.
func typeOf(format string) pgType {
	return pgType{format: format, bare: bareType(format), base: baseOf(format)}
}

// isEnum reports whether a type, as format_type spells it, is an enum the
// file creates.
func (r *pgReader) isEnum(bare string) bool {
	for n := range r.enums {
		if pgQuoteIdent(n.Schema)+"."+pgQuoteIdent(n.Name) == bare {
			return true
		}
	}
	return false
}

// baseOf returns the pg_catalog name of a type as format_type spells it
// ("other" for the built-in types not named here), "" for a user's type.
func baseOf(format string) string {
	if strings.HasSuffix(format, "[]") {
		return "array"
	}
	switch b := bareType(format); b {
	case "smallint":
		return "int2"
	case "integer":
		return "int4"
	case "bigint":
		return "int8"
	case "numeric":
		return "numeric"
	case "double precision":
		return "float8"
	case "real":
		return "float4"
	case "text":
		return "text"
	case "character varying":
		return "varchar"
	case "bpchar":
		return "bpchar"
	case `"char"`:
		return "char"
	case "date":
		return "date"
	case "uuid":
		return "uuid"
	case "boolean":
		return "bool"
	case "name", "json", "jsonb", "xml":
		return b
	default:
		if strings.Contains(b, ".") {
			return ""
		}
		return "other"
	}
}
