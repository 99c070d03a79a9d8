package ddl

import (
	"strings"

	"github.com/seamsdev/seams/schema"
	"vitess.io/vitess/go/vt/sqlparser"
)

// myPrint prints an expression written by hand as MariaDB prints it back
// (CHECK_CLAUSE, GENERATION_EXPRESSION, a default): names in backquotes,
// key words and function names in lower case, no spaces in value lists,
// parentheses only where precedence needs them (Vitess's rule, which is
// MariaDB's for the operators a schema uses).
func myPrint(e sqlparser.Expr) string {
	buf := sqlparser.NewTrackedBuffer(myFormat)
	buf.Myprintf("%v", e)
	// Vitess spells not-equal !=; MariaDB <>.
	out := buf.String()
	_, toks, _ := mySplit(out, schema.MariaDB)
	var b strings.Builder
	last := 0
	for _, t := range toks {
		if t.kind == tOp && t.text(out) == "!=" {
			b.WriteString(out[last:t.start])
			b.WriteString("<>")
			last = int(t.end)
		}
	}
	b.WriteString(out[last:])
	return b.String()
}

// myFormat is the node formatter behind myPrint.
func myFormat(buf *sqlparser.TrackedBuffer, node sqlparser.SQLNode) {
	switch n := node.(type) {
	case *sqlparser.ColName:
		if !n.Qualifier.IsEmpty() {
			if q := n.Qualifier.Qualifier.String(); q != "" {
				buf.WriteString(quoteMy(q) + ".")
			}
			buf.WriteString(quoteMy(n.Qualifier.Name.String()) + ".")
		}
		buf.WriteString(quoteMy(n.Name.String()))
	case sqlparser.ValTuple:
		buf.WriteByte('(')
		for i, v := range n {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.Myprintf("%v", v)
		}
		buf.WriteByte(')')
	case *sqlparser.Literal:
		if n.Type == sqlparser.StrVal {
			buf.WriteString(myQuote(n.Val))
			return
		}
		n.Format(buf)
	case *sqlparser.FuncExpr:
		name := strings.ToLower(n.Name.String())
		if !n.Qualifier.IsEmpty() {
			buf.WriteString(quoteMy(n.Qualifier.String()) + ".")
		}
		buf.WriteString(name + "(")
		for i, a := range n.Exprs {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.Myprintf("%v", a)
		}
		buf.WriteByte(')')
	default:
		node.Format(buf)
	}
}
