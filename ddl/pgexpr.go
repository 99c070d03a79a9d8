package ddl

import (
	"strings"
	"sync"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// PostgreSQL prints a stored expression (pg_get_expr, pg_get_constraintdef,
// pg_get_indexdef) in one of two forms. pg_dump asks for the plain form,
// which puts every operator, boolean and cast argument in parentheses:
// CHECK ((price >= (0)::numeric)). The live introspector asks for the
// pretty form, which keeps only the parentheses the precedence of the
// operators needs: price >= 0::numeric. pgPretty turns the first into the
// second by removing parentheses, following ruleutils.c's isSimpleNode, so
// that a dump gives the text the server gives; it does the same to
// expressions written by hand. It never changes the expression: the result
// is parsed again and compared with the input, and the input is returned
// when they differ or when the expression holds something it does not
// handle.

// exprKind classifies a node of a raw expression tree for the pretty rules.
type exprKind int

const (
	kSimple      exprKind = iota // a name, a constant, a function call: never needs parentheses
	kOpArith                     // binary + - * / %
	kOp                          // any other operator (and LIKE, IN, BETWEEN written by hand)
	kOpUnary                     // prefix operator
	kScalarArr                   // x op ANY/ALL (array)
	kDistinct                    // IS [NOT] DISTINCT FROM
	kAnd                         // AND
	kOr                          // OR
	kNot                         // NOT
	kNullTest                    // IS [NOT] NULL, IS TRUE...
	kCast                        // x::type
	kCollate                     // x COLLATE name
	kNegConst                    // a negative number
	kFuncLike                    // CASE, COALESCE, ARRAY[...], ROW(...), NULLIF(...): children need no parentheses
	kSQLSyntax                   // (x AT TIME ZONE z), (x IS NORMALIZED): printed in parentheses of its own
	kUnsupported                 // anything pgPretty does not handle
)

// exprNode is a node of the expression tree with what the rules need.
type exprNode struct {
	kind     exprKind
	op       string // the operator of kOp/kOpArith
	min, max int    // the smallest and largest token location in its subtree
	parent   *exprNode
	first    bool // the first argument of its parent
	// parenSlot: the parent prints this child through
	// get_rule_expr_paren, which adds parentheses unless isSimpleNode.
	parenSlot bool
	children  []*exprNode
	// ops are the locations of the node's own operator or key word
	// (the = of a = b, the IS of x IS NULL, the :: of a cast).
	ops []int
}

// pgPretty returns expr with the parentheses PostgreSQL's pretty printer
// would not print removed, or expr (trimmed) when it cannot.
func pgPretty(expr string) string { return pgPrettyWith(expr, false, nil) }

// pretty is pgPrettyWith with the reader as namer, cached: a file repeats
// the same defaults and checks many times, and the result depends only on
// the text, the cast, the search path and the functions created so far.
func (r *pgReader) pretty(expr string, cast bool) string {
	key := prettyKey{expr: expr, cast: cast, path: strings.Join(r.path, "\x00"), funcs: len(r.funcs)}
	if out, ok := r.prettyCache[key]; ok {
		return out
	}
	out := pgPrettyWith(expr, cast, r)
	r.prettyCache[key] = out
	return out
}

// prettyKey is what pgReader.pretty's result depends on.
type prettyKey struct {
	expr  string
	cast  bool
	path  string
	funcs int
}

// exprNamer spells the names an expression refers to as the server
// prints them back.
type exprNamer interface {
	// function returns the name of a called function (its parts as
	// written, folded): schema-qualified unless it is in pg_catalog.
	function(parts []string) string
	// typeName spells the type of a cast as format_type does.
	typeName(tn *pg_query.TypeName) string
}

// rename is a name of the expression to spell as the server does.
type rename struct {
	loc   int
	kind  byte // 'c' column, 'f' function, 't' type
	parts []string
	tn    *pg_query.TypeName
}

// pgPrettyWith is pgPretty, which also spells names as ruleutils.c does:
// columns folded and quoted by quote_ident, functions qualified by the
// namer (nil: as written), types of casts by format_type, key words in
// capitals, != as <>. With cast, the expression is printed as the argument
// of an implicit cast, as the server stores the default or the generation
// expression of a column whose type has a modifier (numeric(12,2),
// varchar(20)): a length coercion it does not show, under which an
// operator keeps its parentheses.
func pgPrettyWith(expr string, cast bool, namer exprNamer) string {
	expr = strings.TrimSpace(expr)
	sql, tree, val := parseExpr(expr)
	if val == nil {
		return expr
	}
	root := &exprNode{kind: kFuncLike, min: -1, max: -1}
	if cast {
		root.kind = kCast
	}
	var renames []rename
	if !buildExpr(root, val, false, true, &renames) {
		return expr
	}
	// Under a cast, an expression that is not simple is printed in
	// parentheses, whether the file wrote them or not.
	wrap := func(s string) string {
		if cast && !root.children[0].simple() {
			return "(" + s + ")"
		}
		return s
	}
	toks := pgTokens(sql)
	edits, missing := parensToDrop(sql, toks, root)
	if !addParens(sql, toks, root, missing, edits) {
		return expr
	}
	spellNames(sql, toks, renames, namer, edits)
	out := rebuild(sql, toks, edits)
	if out == sql {
		return wrap(expr)
	}
	if !sameExpr(tree, out) {
		return expr
	}
	out = strings.TrimRight(out[len(exprPrefix):], " \t\r\n")
	// The pretty form starts a CASE on a new line: keep that one.
	if trimmed := strings.TrimLeft(out, " \t\r\n"); !strings.HasPrefix(out, "\nCASE") {
		out = trimmed
	}
	return wrap(out)
}

// piece is a token of an expression as rebuild writes it.
type piece struct {
	text string
	tok  token
	gap  string // the whitespace before it in the file, comments dropped
}

// rebuild writes sql with the edits applied. Without a CASE (whose
// layout on several lines the pretty printer makes and a dump keeps), the
// spacing is the pretty printer's: one space around operators and between
// words, none inside parentheses and brackets, none before a call's
// parenthesis; comments go.
func rebuild(sql string, toks []token, edits map[int32]edit) string {
	var pieces []piece
	last := 0
	hasCase := false
	gap := ""
	for _, t := range toks {
		if int(t.start) < last {
			continue
		}
		g := sql[last:t.start]
		if strings.Contains(g, "--") || strings.Contains(g, "/*") {
			g = " "
			if strings.Contains(sql[last:t.start], "\n") {
				g = "\n"
			}
		}
		gap += g
		text := t.text(sql)
		if e, ok := edits[t.start]; ok {
			text, last = e.text, e.end
		} else {
			last = int(t.end)
		}
		if t.is(sql, "case") {
			hasCase = true
		}
		if text != "" {
			pieces = append(pieces, piece{text, t, gap})
			gap = ""
		}
	}
	var b strings.Builder
	if hasCase {
		// Keep the file's layout, without its comments.
		for i, p := range pieces {
			if i > 0 {
				b.WriteString(p.gap)
			}
			b.WriteString(p.text)
		}
		return b.String()
	}
	for i, p := range pieces {
		if i > 0 && spaceBetween(sql, pieces[i-1].tok, pieces[i-1].text, p.tok, p.text) && !signOfNumber(pieces, i) {
			b.WriteByte(' ')
		}
		b.WriteString(p.text)
	}
	return b.String()
}

// signOfNumber reports whether piece i is a number whose sign is the piece
// before it (-1 in a list, not a - 1 after a value).
func signOfNumber(pieces []piece, i int) bool {
	if pieces[i].tok.kind != tNumber || i == 0 || pieces[i-1].tok.kind != tOp || (pieces[i-1].text != "-" && pieces[i-1].text != "+") {
		return false
	}
	if i == 1 {
		return true
	}
	switch before := pieces[i-2]; before.tok.kind {
	case tWord:
		return upperWords[strings.ToLower(before.text)]
	case tPunct:
		return before.text == "(" || before.text == "," || before.text == "["
	case tOp:
		return true
	}
	return false
}

// spacedBeforeParen are the key words a parenthesis follows after a space:
// x = ANY (...), NOT (...), IN (...).
var spacedBeforeParen = map[string]bool{
	"any": true, "all": true, "some": true, "in": true, "and": true, "or": true, "not": true, "is": true,
	"when": true, "then": true, "else": true, "case": true, "between": true, "like": true, "ilike": true,
	"similar": true, "escape": true, "from": true, "zone": true, "overlaps": true, "select": true, "exists": true,
}

// spaceBetween tells whether the pretty printer puts a space between two
// pieces.
func spaceBetween(sql string, prev token, ptext string, cur token, ctext string) bool {
	pc, cc := byte(0), byte(0)
	if prev.kind == tPunct {
		pc = ptext[0]
	}
	if cur.kind == tPunct {
		cc = ctext[0]
	}
	switch {
	case cc == ')' || cc == ']' || cc == ',' || cc == '.' || cc == '[':
		return false
	case pc == '(' || pc == '[' || pc == '.':
		return false
	case prev.kind == tOp && ptext == "::" || cur.kind == tOp && ctext == "::":
		return false
	case cc == '(':
		switch {
		case prev.kind == tOp:
			return true
		case prev.kind == tWord:
			return spacedBeforeParen[strings.ToLower(ptext)]
		case prev.kind == tQIdent:
			return false
		}
		return pc == ','
	}
	return true
}

// edit replaces the source from a token's start to end with text.
type edit struct {
	end  int
	text string
}

// upperWords are the key words ruleutils.c prints in capitals.
var upperWords = map[string]bool{
	"and": true, "or": true, "not": true, "is": true, "null": true, "case": true, "when": true, "then": true, "else": true,
	"end": true, "in": true, "any": true, "all": true, "some": true, "array": true, "distinct": true, "from": true,
	"between": true, "like": true, "ilike": true, "similar": true, "escape": true, "collate": true, "at": true, "time": true,
	"zone": true, "coalesce": true, "greatest": true, "least": true, "nullif": true, "row": true, "symmetric": true,
	"current_date": true, "current_time": true, "current_timestamp": true, "localtime": true, "localtimestamp": true,
	"current_role": true, "current_user": true, "user": true, "session_user": true, "current_catalog": true,
	"current_schema": true, "unknown": true, "overlaps": true, "normalized": true,
}

// spellNames adds to edits the names of the expression spelled as the
// server prints them, and its key words in the server's case.
func spellNames(sql string, toks []token, renames []rename, namer exprNamer, edits map[int32]edit) {
	at := make(map[int]int, len(toks))
	for i, t := range toks {
		at[int(t.start)] = i
	}
	claimed := map[int]bool{}
	span := func(first, last int, text string) {
		if first > last {
			return
		}
		for i := first; i <= last; i++ {
			claimed[i] = true
		}
		if toks[first].text(sql) == text && first == last {
			return
		}
		edits[toks[first].start] = edit{end: int(toks[last].end), text: text}
	}
	for _, rn := range renames {
		i, ok := at[rn.loc]
		if !ok {
			continue
		}
		switch rn.kind {
		case 's':
			if toks[i].kind == tString {
				span(i, i, pgLiteral(rn.parts[0]))
			}
		case 'c':
			for k, f := range rn.parts {
				j := i + 2*k
				if j >= len(toks) || (k > 0 && !toks[j-1].punct(sql, '.')) {
					break
				}
				if toks[j].kind == tWord {
					span(j, j, pgQuoteIdent(f))
				} else {
					claimed[j] = true
				}
			}
		case 'f':
			last := i + 2*(len(rn.parts)-1)
			if last+1 >= len(toks) || !toks[last+1].punct(sql, '(') {
				continue
			}
			name := ""
			if namer != nil {
				name = namer.function(rn.parts)
			} else {
				quoted := make([]string, len(rn.parts))
				for k, p := range rn.parts {
					quoted[k] = pgQuoteIdent(p)
				}
				name = strings.Join(quoted, ".")
			}
			if name != "" {
				span(i, last, name)
			}
		case 't':
			last := typeEnd(sql, toks, i)
			if last < i {
				continue
			}
			name := ""
			if namer != nil {
				name = namer.typeName(rn.tn)
			} else if names := stringList(rn.tn.GetNames()); len(names) == 1 || names[0] == "pg_catalog" {
				if n := names[len(names)-1]; pgCatalogTypes[n] && len(rn.tn.GetArrayBounds()) == 0 && len(rn.tn.GetTypmods()) == 0 {
					_, name = builtinType(n, nil)
				}
			}
			if name != "" {
				span(i, last, name)
			} else {
				for k := i; k <= last; k++ {
					claimed[k] = true
				}
			}
		}
	}
	for i, t := range toks {
		if claimed[i] || i == 0 {
			continue
		}
		switch {
		case t.kind == tWord:
			w := strings.ToLower(t.text(sql))
			switch {
			case upperWords[w]:
				if up := strings.ToUpper(w); up != t.text(sql) {
					edits[t.start] = edit{end: int(t.end), text: up}
				}
			case w == "true" || w == "false":
				// IS [NOT] TRUE is a test, in capitals; the constants are
				// lower case.
				if prev := toks[i-1]; prev.is(sql, "is") || prev.is(sql, "not") && i >= 2 && toks[i-2].is(sql, "is") {
					if up := strings.ToUpper(w); up != t.text(sql) {
						edits[t.start] = edit{end: int(t.end), text: up}
					}
				} else if w != t.text(sql) {
					edits[t.start] = edit{end: int(t.end), text: w}
				}
			}
		case t.kind == tOp && t.text(sql) == "!=":
			edits[t.start] = edit{end: int(t.end), text: "<>"}
		}
	}
}

// typeWords are the words a type name of several words is made of.
var typeWords = map[string]bool{
	"character": true, "varying": true, "double": true, "precision": true, "with": true, "without": true, "time": true,
	"zone": true, "timestamp": true, "interval": true, "bit": true, "national": true, "char": true, "varchar": true,
	"year": true, "month": true, "day": true, "hour": true, "minute": true, "second": true, "to": true,
}

// typeEnd returns the last token of the type name starting at token i:
// a possibly qualified name, or words of a multi-word type, then its
// modifiers and array brackets.
func typeEnd(sql string, toks []token, i int) int {
	j := i
	if toks[j].kind != tWord && toks[j].kind != tQIdent {
		return -1
	}
	for j+2 < len(toks) && toks[j+1].punct(sql, '.') && (toks[j+2].kind == tWord || toks[j+2].kind == tQIdent) {
		j += 2
	}
	if j == i && typeWords[strings.ToLower(toks[j].text(sql))] {
		for j+1 < len(toks) && toks[j+1].kind == tWord && typeWords[strings.ToLower(toks[j+1].text(sql))] {
			j++
		}
	}
	for j+1 < len(toks) && (toks[j+1].punct(sql, '(') || toks[j+1].punct(sql, '[')) {
		k, depth := j+1, 0
		for ; k < len(toks); k++ {
			if toks[k].punct(sql, '(') || toks[k].punct(sql, '[') {
				depth++
			} else if toks[k].punct(sql, ')') || toks[k].punct(sql, ']') {
				depth--
				if depth == 0 {
					break
				}
			}
		}
		if k == len(toks) {
			return -1
		}
		j = k
	}
	return j
}

// exprPrefix makes an expression a statement the parser reads.
const exprPrefix = "SELECT "

// parseExpr parses an expression as SELECT <expr>: the statement, its tree
// and the expression's node (nil when expr is not one expression).
func parseExpr(expr string) (sql string, tree *pg_query.ParseResult, val *pg_query.Node) {
	sql = exprPrefix + expr
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return sql, nil, nil
	}
	return sql, tree, selectTarget(tree)
}

// selectTarget returns the one expression of SELECT <expr>, or nil.
func selectTarget(tree *pg_query.ParseResult) *pg_query.Node {
	if len(tree.GetStmts()) != 1 {
		return nil
	}
	sel := tree.GetStmts()[0].GetStmt().GetSelectStmt()
	if sel == nil || len(sel.GetTargetList()) != 1 || len(sel.GetFromClause()) > 0 || sel.GetWhereClause() != nil {
		return nil
	}
	rt := sel.GetTargetList()[0].GetResTarget()
	if rt == nil || rt.GetName() != "" {
		return nil
	}
	return rt.GetVal()
}

// buildExpr adds n as a child of parent and reports whether every node of
// the subtree is one pgPretty handles.
func buildExpr(parent *exprNode, n *pg_query.Node, parenSlot, first bool, renames *[]rename) bool {
	e := &exprNode{parent: parent, parenSlot: parenSlot, first: first, min: -1, max: -1}
	parent.children = append(parent.children, e)
	ok := true
	child := func(c *pg_query.Node, slot, first bool) {
		if c != nil && ok {
			ok = buildExpr(e, c, slot, first, renames)
		}
	}
	list := func(cs []*pg_query.Node, slot bool) {
		for i, c := range cs {
			child(c, slot, i == 0)
		}
	}
	switch x := n.GetNode().(type) {
	case *pg_query.Node_ColumnRef:
		e.kind = kSimple
		e.at(x.ColumnRef.GetLocation())
		var parts []string
		for _, f := range x.ColumnRef.GetFields() {
			if s := f.GetString_(); s != nil {
				parts = append(parts, s.GetSval())
			}
		}
		*renames = append(*renames, rename{loc: int(x.ColumnRef.GetLocation()), kind: 'c', parts: parts})
	case *pg_query.Node_ParamRef:
		e.kind = kSimple
		e.at(x.ParamRef.GetLocation())
	case *pg_query.Node_SqlvalueFunction:
		e.kind = kSimple
		e.at(x.SqlvalueFunction.GetLocation())
	case *pg_query.Node_AConst:
		c := x.AConst
		e.kind = kSimple
		switch v := c.GetVal().(type) {
		case *pg_query.A_Const_Ival:
			if v.Ival.GetIval() < 0 {
				e.kind = kNegConst
			}
		case *pg_query.A_Const_Fval:
			if strings.HasPrefix(v.Fval.GetFval(), "-") {
				e.kind = kNegConst
			}
		case *pg_query.A_Const_Sval:
			*renames = append(*renames, rename{loc: int(c.GetLocation()), kind: 's', parts: []string{v.Sval.GetSval()}})
		}
		e.at(c.GetLocation())
	case *pg_query.Node_FuncCall:
		f := x.FuncCall
		if f.GetOver() != nil || f.GetAggFilter() != nil || len(f.GetAggOrder()) > 0 {
			return false
		}
		e.kind = kSimple
		if f.GetFuncformat() == pg_query.CoercionForm_COERCE_SQL_SYNTAX {
			switch opName(f.GetFuncname()) {
			case "timezone", "is_normalized":
				e.kind = kSQLSyntax
			}
		}
		e.at(f.GetLocation())
		if f.GetFuncformat() == pg_query.CoercionForm_COERCE_EXPLICIT_CALL {
			*renames = append(*renames, rename{loc: int(f.GetLocation()), kind: 'f', parts: stringList(f.GetFuncname())})
		}
		list(f.GetArgs(), e.kind == kSQLSyntax)
	case *pg_query.Node_TypeCast:
		e.kind = kCast
		e.at(x.TypeCast.GetLocation())
		e.ops = append(e.ops, int(x.TypeCast.GetLocation()))
		e.at(x.TypeCast.GetTypeName().GetLocation())
		*renames = append(*renames, rename{loc: int(x.TypeCast.GetTypeName().GetLocation()), kind: 't', tn: x.TypeCast.GetTypeName()})
		child(x.TypeCast.GetArg(), true, true)
	case *pg_query.Node_CollateClause:
		e.kind = kCollate
		e.at(x.CollateClause.GetLocation())
		e.ops = append(e.ops, int(x.CollateClause.GetLocation()))
		child(x.CollateClause.GetArg(), true, true)
	case *pg_query.Node_NullTest:
		e.kind = kNullTest
		e.at(x.NullTest.GetLocation())
		e.ops = append(e.ops, int(x.NullTest.GetLocation()))
		child(x.NullTest.GetArg(), true, true)
	case *pg_query.Node_BooleanTest:
		e.kind = kNullTest
		e.at(x.BooleanTest.GetLocation())
		e.ops = append(e.ops, int(x.BooleanTest.GetLocation()))
		child(x.BooleanTest.GetArg(), true, true)
	case *pg_query.Node_BoolExpr:
		b := x.BoolExpr
		switch b.GetBoolop() {
		case pg_query.BoolExprType_AND_EXPR:
			e.kind = kAnd
		case pg_query.BoolExprType_OR_EXPR:
			e.kind = kOr
		default:
			e.kind = kNot
		}
		e.at(b.GetLocation())
		e.ops = append(e.ops, int(b.GetLocation()))
		list(b.GetArgs(), true)
	case *pg_query.Node_AExpr:
		a := x.AExpr
		e.at(a.GetLocation())
		e.ops = append(e.ops, int(a.GetLocation()))
		switch a.GetKind() {
		case pg_query.A_Expr_Kind_AEXPR_OP:
			e.op = opName(a.GetName())
			switch {
			case a.GetLexpr() == nil:
				e.kind = kOpUnary
			case len(e.op) == 1 && strings.Contains("+-*/%", e.op):
				e.kind = kOpArith
			default:
				e.kind = kOp
			}
			child(a.GetLexpr(), true, true)
			child(a.GetRexpr(), true, a.GetLexpr() == nil)
		case pg_query.A_Expr_Kind_AEXPR_OP_ANY, pg_query.A_Expr_Kind_AEXPR_OP_ALL:
			e.kind = kScalarArr
			child(a.GetLexpr(), true, true)
			child(a.GetRexpr(), true, false)
		case pg_query.A_Expr_Kind_AEXPR_DISTINCT, pg_query.A_Expr_Kind_AEXPR_NOT_DISTINCT:
			e.kind = kDistinct
			child(a.GetLexpr(), true, true)
			child(a.GetRexpr(), true, false)
		case pg_query.A_Expr_Kind_AEXPR_NULLIF:
			e.kind = kFuncLike
			child(a.GetLexpr(), false, true)
			child(a.GetRexpr(), false, false)
		case pg_query.A_Expr_Kind_AEXPR_IN, pg_query.A_Expr_Kind_AEXPR_LIKE, pg_query.A_Expr_Kind_AEXPR_ILIKE,
			pg_query.A_Expr_Kind_AEXPR_SIMILAR, pg_query.A_Expr_Kind_AEXPR_BETWEEN, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN,
			pg_query.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg_query.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
			// Written by hand only: the server prints these as operators.
			e.kind = kOp
			child(a.GetLexpr(), true, true)
			if l := a.GetRexpr().GetList(); l != nil {
				list(l.GetItems(), false)
			} else {
				child(a.GetRexpr(), true, false)
			}
		default:
			return false
		}
	case *pg_query.Node_CaseExpr:
		c := x.CaseExpr
		e.kind = kFuncLike
		e.at(c.GetLocation())
		child(c.GetArg(), false, true)
		for _, w := range c.GetArgs() {
			cw := w.GetCaseWhen()
			if cw == nil {
				return false
			}
			child(cw.GetExpr(), false, false)
			child(cw.GetResult(), false, false)
		}
		child(c.GetDefresult(), false, false)
	case *pg_query.Node_CoalesceExpr:
		e.kind = kFuncLike
		e.at(x.CoalesceExpr.GetLocation())
		list(x.CoalesceExpr.GetArgs(), false)
	case *pg_query.Node_MinMaxExpr:
		e.kind = kFuncLike
		e.at(x.MinMaxExpr.GetLocation())
		list(x.MinMaxExpr.GetArgs(), false)
	case *pg_query.Node_AArrayExpr:
		e.kind = kFuncLike
		e.at(x.AArrayExpr.GetLocation())
		list(x.AArrayExpr.GetElements(), false)
	case *pg_query.Node_RowExpr:
		e.kind = kFuncLike
		e.at(x.RowExpr.GetLocation())
		list(x.RowExpr.GetArgs(), false)
	default:
		return false
	}
	if !ok {
		return false
	}
	for _, c := range e.children {
		e.at(int32(c.min))
		e.at(int32(c.max))
	}
	return e.min >= 0
}

// at widens the node's span to a location (-1 is none).
func (e *exprNode) at(loc int32) {
	if loc < 0 {
		return
	}
	l := int(loc)
	if e.min < 0 || l < e.min {
		e.min = l
	}
	if l > e.max {
		e.max = l
	}
}

// opName returns the operator of an A_Expr (its last name part).
func opName(name []*pg_query.Node) string {
	if len(name) == 0 {
		return ""
	}
	return name[len(name)-1].GetString_().GetSval()
}

// simple is ruleutils.c's isSimpleNode: whether e needs no parentheses as
// a child of its parent.
func (e *exprNode) simple() bool {
	p := e.parent
	switch e.kind {
	case kSimple, kFuncLike, kCast, kSQLSyntax:
		// A cast is taken for a function call: whether it is one (int to
		// numeric) or a relabelling (varchar to text), which isSimpleNode
		// treats as simple only when its argument is, the text does not
		// say; the two differ only for a cast of an operator expression.
		return true
	case kNegConst:
		return false
	case kOpArith, kOp, kOpUnary:
		if p.kind == kOpArith || p.kind == kOp || p.kind == kOpUnary {
			if e.kind != kOpArith || p.kind != kOpArith {
				return false
			}
			lo, plo := strings.Contains("+-", e.op), strings.Contains("+-", p.op)
			switch {
			case !lo && plo:
				return true // binds tighter than its parent
			case lo && !plo:
				return false
			}
			return e.first // (a - b) - c, not a - (b - c)
		}
		return simpleUnder(p)
	case kScalarArr:
		// Not in isSimpleNode's list: in parentheses wherever a parent
		// may add them (under AND, too).
		return false
	case kDistinct, kNullTest:
		return simpleUnder(p)
	case kAnd, kOr, kNot:
		switch p.kind {
		case kAnd, kOr, kNot:
			switch e.kind {
			case kNot, kAnd:
				return p.kind == kAnd || p.kind == kOr
			default:
				return p.kind == kOr
			}
		}
		return simpleUnder(p)
	}
	return false
}

// simpleUnder is the parent switch isSimpleNode shares for operators, null
// tests and the like: no parentheses under a boolean operator or inside a
// construct with its own separators.
func simpleUnder(p *exprNode) bool {
	switch p.kind {
	case kAnd, kOr, kNot, kFuncLike:
		return true
	}
	return false
}

// parensToDrop returns the start offsets of the parenthesis tokens to
// remove: for each grouping pair around a node, all but the one the pretty
// form keeps.
func parensToDrop(sql string, toks []token, root *exprNode) (map[int32]edit, []*exprNode) {
	type pair struct{ open, close int }
	var pairs []pair
	var stack []int
	for i, t := range toks {
		switch {
		case t.punct(sql, '('):
			stack = append(stack, i)
		case t.punct(sql, ')') && len(stack) > 0:
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if groupingParen(sql, toks, o, i) {
				pairs = append(pairs, pair{o, i})
			}
		}
	}
	// Pairs around the same node, outermost first.
	type group struct {
		node  *exprNode
		pairs []pair
	}
	byNode := map[*exprNode]*group{}
	var order []*group
	for i := len(pairs) - 1; i >= 0; i-- {
		p := pairs[i]
		n := wrapped(root, int(toks[p.open].start), int(toks[p.close].start))
		if n == nil {
			continue
		}
		g := byNode[n]
		if g == nil {
			g = &group{node: n}
			byNode[n] = g
			order = append(order, g)
		}
		g.pairs = append(g.pairs, p)
	}
	drop := map[int32]edit{}
	for _, g := range order {
		keep := 0
		if g.node.parenSlot && !g.node.simple() || g.node.kind == kSQLSyntax {
			keep = 1
		}
		for _, p := range g.pairs[min(keep, len(g.pairs)):] {
			drop[toks[p.open].start] = edit{end: int(toks[p.open].end)}
			drop[toks[p.close].start] = edit{end: int(toks[p.close].end)}
		}
	}
	// The nodes the pretty form parenthesises that the file does not.
	var missing []*exprNode
	var walk func(n *exprNode)
	walk = func(n *exprNode) {
		for _, c := range n.children {
			if c.parenSlot && !c.simple() && byNode[c] == nil {
				missing = append(missing, c)
			}
			walk(c)
		}
	}
	walk(root)
	return drop, missing
}

// addParens adds to edits the parentheses around the nodes that need them:
// from the node's first token to its last, found as the token before the
// next one, at the node's depth, that belongs to an enclosing node (its
// operator, AND, OR, a comma, a closing parenthesis).
func addParens(sql string, toks []token, root *exprNode, missing []*exprNode, edits map[int32]edit) bool {
	if len(missing) == 0 {
		return true
	}
	at := make(map[int]int, len(toks))
	for i, t := range toks {
		at[int(t.start)] = i
	}
	opAt := map[int]bool{}
	var collect func(n *exprNode)
	collect = func(n *exprNode) {
		for _, l := range n.ops {
			opAt[l] = true
		}
		for _, c := range n.children {
			collect(c)
		}
	}
	collect(root)
	for _, n := range missing {
		first, ok := at[n.min]
		if !ok {
			return false
		}
		last, ok := at[n.max]
		if !ok {
			return false
		}
		own := map[int]bool{}
		var mine func(m *exprNode)
		mine = func(m *exprNode) {
			for _, l := range m.ops {
				own[l] = true
			}
			for _, c := range m.children {
				mine(c)
			}
		}
		mine(n)
		depth := 0
		for i := first; i <= last; i++ {
			switch {
			case toks[i].punct(sql, '(') || toks[i].punct(sql, '['):
				depth++
			case toks[i].punct(sql, ')') || toks[i].punct(sql, ']'):
				depth--
			}
		}
		for i := last + 1; i < len(toks); i++ {
			t := toks[i]
			if depth == 0 {
				start := int(t.start)
				if t.punct(sql, ',') || t.punct(sql, ')') || t.punct(sql, ']') || t.punct(sql, ';') ||
					opAt[start] && !own[start] || t.is(sql, "and") || t.is(sql, "or") {
					break
				}
			}
			switch {
			case t.punct(sql, '(') || t.punct(sql, '['):
				depth++
			case t.punct(sql, ')') || t.punct(sql, ']'):
				depth--
			}
			last = i
		}
		for _, k := range []int{first, last} {
			if _, taken := edits[toks[k].start]; taken {
				return false
			}
		}
		if first == last {
			edits[toks[first].start] = edit{end: int(toks[first].end), text: "(" + toks[first].text(sql) + ")"}
			continue
		}
		edits[toks[first].start] = edit{end: int(toks[first].end), text: "(" + toks[first].text(sql)}
		edits[toks[last].start] = edit{end: int(toks[last].end), text: toks[last].text(sql) + ")"}
	}
	return true
}

// groupingOpeners are the words after which a parenthesis groups an
// expression rather than belonging to the syntax of a call or a list.
var groupingOpeners = map[string]bool{
	"select": true, "and": true, "or": true, "not": true, "when": true, "then": true, "else": true,
	"case": true, "between": true, "like": true, "ilike": true, "similar": true, "escape": true,
	"from": true, "zone": true, "is": true, "symmetric": true,
}

// groupingParen reports whether the parentheses at tokens o and c group an
// expression: they follow an operator, another parenthesis, a comma or a
// keyword that takes an expression, and hold neither a query nor a list.
func groupingParen(sql string, toks []token, o, c int) bool {
	if o == 0 {
		return false
	}
	prev := toks[o-1]
	switch prev.kind {
	case tOp:
	case tPunct:
		if ch := sql[prev.start]; ch != '(' && ch != ',' && ch != '[' {
			return false
		}
	case tWord:
		if !groupingOpeners[strings.ToLower(prev.text(sql))] {
			return false
		}
	default:
		return false
	}
	if o+1 < c {
		if next := toks[o+1]; next.is(sql, "select") || next.is(sql, "with") || next.is(sql, "values") {
			return false
		}
	}
	depth := 0
	for i := o + 1; i < c; i++ {
		t := toks[i]
		switch {
		case t.punct(sql, '(') || t.punct(sql, '['):
			depth++
		case t.punct(sql, ')') || t.punct(sql, ']'):
			depth--
		case depth == 0 && t.punct(sql, ','):
			return false // a row: (a, b)
		}
	}
	return true
}

// wrapped returns the outermost node whose whole span lies strictly
// between the offsets open and close, or nil.
func wrapped(n *exprNode, open, close int) *exprNode {
	for _, c := range n.children {
		if c.min > open && c.max < close {
			return c
		}
		if c.min < close && c.max > open {
			if w := wrapped(c, open, close); w != nil {
				return w
			}
		}
	}
	return nil
}

// sameExpr reports whether SELECT-prefixed sql parses to the tree orig,
// locations aside.
func sameExpr(orig *pg_query.ParseResult, sql string) bool {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return false
	}
	a, b := proto.Clone(orig).(*pg_query.ParseResult), tree
	clearLocations(a.ProtoReflect())
	clearLocations(b.ProtoReflect())
	unqualify(a.ProtoReflect())
	unqualify(b.ProtoReflect())
	return proto.Equal(a, b)
}

// clearLocations zeroes every location and statement length of a tree.
func clearLocations(m protoreflect.Message) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.Kind() == protoreflect.Int32Kind && (fd.Name() == "location" || fd.Name() == "stmt_len" || fd.Name() == "stmt_location"):
			m.Clear(fd)
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				clearLocations(l.Get(i).Message())
			}
		case fd.Kind() == protoreflect.MessageKind && !fd.IsMap():
			clearLocations(v.Message())
		}
		return true
	})
}

// unqualify drops what spelling a name as the server does may add: the
// schema of a function, pg_catalog before a type; and it flattens nested
// ANDs and ORs, which the pretty printer writes without parentheses:
// a AND (b AND c) is a AND b AND c.
func unqualify(m protoreflect.Message) {
	switch x := m.Interface().(type) {
	case *pg_query.BoolExpr:
		if x.Boolop == pg_query.BoolExprType_AND_EXPR || x.Boolop == pg_query.BoolExprType_OR_EXPR {
			var args []*pg_query.Node
			var flat func(ns []*pg_query.Node)
			flat = func(ns []*pg_query.Node) {
				for _, n := range ns {
					if b := n.GetBoolExpr(); b != nil && b.Boolop == x.Boolop {
						flat(b.Args)
					} else {
						args = append(args, n)
					}
				}
			}
			flat(x.Args)
			x.Args = args
		}
	case *pg_query.FuncCall:
		if n := len(x.Funcname); n > 1 {
			x.Funcname = x.Funcname[n-1:]
		}
	case *pg_query.TypeName:
		if len(x.Names) > 1 && x.Names[0].GetString_().GetSval() == "pg_catalog" {
			x.Names = x.Names[1:]
		}
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				unqualify(l.Get(i).Message())
			}
		case fd.Kind() == protoreflect.MessageKind && !fd.IsMap():
			unqualify(v.Message())
		}
		return true
	})
}

// minLocation returns the smallest location in the subtree of n, or -1.
func minLocation(n proto.Message) int {
	best := -1
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.Kind() == protoreflect.Int32Kind && fd.Name() == "location":
				if l := int(v.Int()); l >= 0 && (best < 0 || l < best) {
					best = l
				}
			case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					walk(l.Get(i).Message())
				}
			case fd.Kind() == protoreflect.MessageKind && !fd.IsMap():
				walk(v.Message())
			}
			return true
		})
	}
	walk(n.ProtoReflect())
	return best
}

// deparseExpr prints an expression node with libpg_query's deparser: the
// fallback when its text cannot be cut out of the file.
func deparseExpr(n *pg_query.Node) string {
	tree := &pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: &pg_query.Node{Node: &pg_query.Node_SelectStmt{SelectStmt: &pg_query.SelectStmt{
		TargetList: []*pg_query.Node{{Node: &pg_query.Node_ResTarget{ResTarget: &pg_query.ResTarget{Val: n}}}},
	}}}}}}
	out, err := pg_query.Deparse(tree)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(strings.TrimPrefix(out, "SELECT "))
}

// keywordKinds caches the keyword category of names for pgQuoteIdent.
var keywordKinds sync.Map // string -> pg_query.KeywordKind

// pgQuoteIdent quotes a name as PostgreSQL's quote_ident does: bare when it
// is lower-case letters, digits and underscores, starts with a letter or an
// underscore and is not a keyword other than an unreserved one.
func pgQuoteIdent(name string) string {
	safe := name != "" && (name[0] >= 'a' && name[0] <= 'z' || name[0] == '_')
	for i := 0; safe && i < len(name); i++ {
		c := name[i]
		safe = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_'
	}
	if safe {
		kind, ok := keywordKinds.Load(name)
		if !ok {
			k := pg_query.KeywordKind_NO_KEYWORD
			if res, err := pg_query.Scan(name); err == nil && len(res.GetTokens()) == 1 {
				k = res.GetTokens()[0].GetKeywordKind()
			}
			keywordKinds.Store(name, k)
			kind = k
		}
		if k := kind.(pg_query.KeywordKind); k == pg_query.KeywordKind_NO_KEYWORD || k == pg_query.KeywordKind_UNRESERVED_KEYWORD {
			return name
		}
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
