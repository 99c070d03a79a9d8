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
}

// pgPretty returns expr with the parentheses PostgreSQL's pretty printer
// would not print removed, or expr (trimmed) when it cannot.
func pgPretty(expr string) string { return pgPrettyAs(expr, false) }

// pgPrettyAs is pgPretty; with cast, the expression is printed as the
// argument of an implicit cast, as the server stores the default or the
// generation expression of a column whose type has a modifier (numeric(12,2),
// varchar(20)): a length coercion it does not show, under which an
// operator keeps its parentheses.
func pgPrettyAs(expr string, cast bool) string {
	expr = strings.TrimSpace(expr)
	if strings.IndexByte(expr, '(') < 0 && !cast {
		return expr
	}
	const prefix = "SELECT "
	sql := prefix + expr
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return expr
	}
	val := selectTarget(tree)
	if val == nil {
		return expr
	}
	root := &exprNode{kind: kFuncLike, min: -1, max: -1}
	if cast {
		root.kind = kCast
	}
	if !buildExpr(root, val, false, true) {
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
	drop := parensToDrop(sql, toks, root)
	if len(drop) == 0 {
		return wrap(expr)
	}
	var b strings.Builder
	last := 0
	for _, t := range toks {
		if drop[t.start] {
			b.WriteString(sql[last:t.start])
			last = int(t.end)
		}
	}
	b.WriteString(sql[last:])
	out := b.String()
	if !sameExpr(tree, out) {
		return expr
	}
	out = strings.TrimRight(out[len(prefix):], " \t\r\n")
	// The pretty form starts a CASE on a new line: keep that one.
	if trimmed := strings.TrimLeft(out, " \t\r\n"); !strings.HasPrefix(out, "\nCASE") {
		out = trimmed
	}
	return wrap(out)
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
func buildExpr(parent *exprNode, n *pg_query.Node, parenSlot, first bool) bool {
	e := &exprNode{parent: parent, parenSlot: parenSlot, first: first, min: -1, max: -1}
	parent.children = append(parent.children, e)
	ok := true
	child := func(c *pg_query.Node, slot, first bool) {
		if c != nil && ok {
			ok = buildExpr(e, c, slot, first)
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
		list(f.GetArgs(), e.kind == kSQLSyntax)
	case *pg_query.Node_TypeCast:
		e.kind = kCast
		e.at(x.TypeCast.GetLocation())
		e.at(x.TypeCast.GetTypeName().GetLocation())
		child(x.TypeCast.GetArg(), true, true)
	case *pg_query.Node_CollateClause:
		e.kind = kCollate
		e.at(x.CollateClause.GetLocation())
		child(x.CollateClause.GetArg(), true, true)
	case *pg_query.Node_NullTest:
		e.kind = kNullTest
		e.at(x.NullTest.GetLocation())
		child(x.NullTest.GetArg(), true, true)
	case *pg_query.Node_BooleanTest:
		e.kind = kNullTest
		e.at(x.BooleanTest.GetLocation())
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
		list(b.GetArgs(), true)
	case *pg_query.Node_AExpr:
		a := x.AExpr
		e.at(a.GetLocation())
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
	case kDistinct, kNullTest, kScalarArr:
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
func parensToDrop(sql string, toks []token, root *exprNode) map[int32]bool {
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
	drop := map[int32]bool{}
	for _, g := range order {
		keep := 0
		if g.node.parenSlot && !g.node.simple() || g.node.kind == kSQLSyntax {
			keep = 1
		}
		for _, p := range g.pairs[min(keep, len(g.pairs)):] {
			drop[toks[p.open].start] = true
			drop[toks[p.close].start] = true
		}
	}
	return drop
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
