package ddl

import (
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
)

// defaultText returns a column default as the live introspector reads it
// (pg_get_expr, pretty): the expression cut out of the file, with what the
// server itself adds when it stores a default written by hand — the type
// of a quoted constant ('ok'::character varying), the quotes and type of a
// negative number ('-1'::integer), the schema of nextval's sequence
// (nextval('public.t_id_seq'::regclass)) and CURRENT_TIMESTAMP and the like
// in capitals. A dump already spells them so.
//
// A NULL default is no default: the server stores none.
func (r *pgReader) defaultText(expr *pg_query.Node, typ pgType, alter bool) *string {
	if isNull(expr) {
		// Coerced to a type with a modifier, NULL is a length coercion
		// of a null, which the server stores: NULL::character varying.
		if !strings.Contains(typ.format, "(") {
			return nil
		}
		bare := typ.bare
		if tc := expr.GetTypeCast(); tc != nil {
			bare = r.resolveType(tc.GetTypeName()).bare
		}
		s := "NULL::" + bare
		return &s
	}
	s := r.defaultSpelling(expr, typ, alter)
	return &s
}

// isNull reports whether an expression is NULL, possibly cast.
func isNull(n *pg_query.Node) bool {
	if tc := n.GetTypeCast(); tc != nil {
		n = tc.GetArg()
	}
	c := n.GetAConst()
	return c != nil && c.GetIsnull()
}

func (r *pgReader) defaultSpelling(expr *pg_query.Node, typ pgType, alter bool) string {
	text := r.exprAfterDefault(expr, !alter)
	if text == "" {
		text = deparseExpr(expr)
	}
	switch x := expr.GetNode().(type) {
	case *pg_query.Node_AConst:
		if s := constText(x.AConst, typ, r.isEnum); s != "" {
			return s
		}
	case *pg_query.Node_TypeCast:
		if c := x.TypeCast.GetArg().GetAConst(); c != nil && c.GetSval() != nil && len(x.TypeCast.GetTypeName().GetTypmods()) == 0 {
			return pgLiteral(c.GetSval().GetSval()) + "::" + r.resolveType(x.TypeCast.GetTypeName()).bare
		}
	case *pg_query.Node_FuncCall:
		if s := r.nextval(x.FuncCall); s != "" {
			return s
		}
	case *pg_query.Node_SqlvalueFunction:
		return sqlValueFunction(x.SqlvalueFunction)
	}
	return r.pretty(text, strings.Contains(typ.format, "("))
}

// constText spells a constant default as the server prints it, or "" to
// keep the file's text.
func constText(c *pg_query.A_Const, typ pgType, isEnum func(string) bool) string {
	switch v := c.GetVal().(type) {
	case *pg_query.A_Const_Sval:
		s := v.Sval.GetSval()
		switch typ.base {
		case "text", "varchar", "bpchar", "char", "name", "json", "xml":
			return pgLiteral(s) + "::" + typ.bare
		case "date":
			if isISODate(s) {
				return pgLiteral(s) + "::date"
			}
		case "uuid":
			if s == strings.ToLower(s) && len(s) == 36 {
				return pgLiteral(s) + "::uuid"
			}
		case "bool":
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "t", "tr", "tru", "true", "y", "ye", "yes", "on", "1":
				return "true"
			case "f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0":
				return "false"
			}
		case "int4":
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32); err == nil {
				return intConst(n)
			}
		case "":
			// An enum type of the file: the label, typed.
			if isEnum(typ.bare) {
				return pgLiteral(s) + "::" + typ.bare
			}
		}
	case *pg_query.A_Const_Ival:
		return intConst(int64(v.Ival.GetIval()))
	case *pg_query.A_Const_Fval:
		f := v.Fval.GetFval()
		if strings.HasPrefix(f, "-") {
			switch {
			case strings.ContainsAny(f, ".eE"):
				return pgLiteral(f) + "::numeric"
			default:
				if _, err := strconv.ParseInt(f, 10, 64); err == nil {
					return pgLiteral(f) + "::bigint"
				}
				return pgLiteral(f) + "::numeric"
			}
		}
		if !strings.ContainsAny(f, ".eE") {
			if _, err := strconv.ParseInt(f, 10, 64); err == nil {
				return pgLiteral(f) + "::bigint" // an int8 constant is printed typed
			}
		}
		return f
	case *pg_query.A_Const_Boolval:
		if v.Boolval.GetBoolval() {
			return "true"
		}
		return "false"
	}
	return ""
}

// intConst prints an integer constant: bare, or quoted and typed when
// negative, as ruleutils.c prints an int4 Const.
func intConst(n int64) string {
	if n < 0 {
		return pgLiteral(strconv.FormatInt(n, 10)) + "::integer"
	}
	return strconv.FormatInt(n, 10)
}

// nextval spells nextval('seq') as the server stores it:
// nextval('schema.seq'::regclass), the sequence resolved by the search
// path; "" for any other call.
func (r *pgReader) nextval(f *pg_query.FuncCall) string {
	if opName(f.GetFuncname()) != "nextval" || len(f.GetArgs()) != 1 {
		return ""
	}
	arg := f.GetArgs()[0]
	if tc := arg.GetTypeCast(); tc != nil {
		if names := stringList(tc.GetTypeName().GetNames()); names[len(names)-1] != "regclass" {
			return ""
		}
		arg = tc.GetArg()
	}
	c := arg.GetAConst().GetSval()
	if c == nil {
		return ""
	}
	parts := postgres.SplitIdentifiers(c.GetSval(), '.')
	var n schema.TableName
	switch len(parts) {
	case 1:
		n, _ = r.lookupName(parts[0])
	case 2:
		n = schema.TableName{Schema: parts[0], Name: parts[1]}
	default:
		return ""
	}
	return "nextval(" + pgLiteral(pgQuoteIdent(n.Schema)+"."+pgQuoteIdent(n.Name)) + "::regclass)"
}

// sqlValueFunction spells CURRENT_TIMESTAMP and the like as ruleutils.c.
func sqlValueFunction(f *pg_query.SQLValueFunction) string {
	p := func(s string) string {
		if f.GetTypmod() >= 0 {
			return s + "(" + strconv.Itoa(int(f.GetTypmod())) + ")"
		}
		return s
	}
	switch f.GetOp() {
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return "CURRENT_DATE"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return p("CURRENT_TIME")
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return p("CURRENT_TIMESTAMP")
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return p("LOCALTIME")
	case pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg_query.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return p("LOCALTIMESTAMP")
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return "CURRENT_ROLE"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_USER:
		return "CURRENT_USER"
	case pg_query.SQLValueFunctionOp_SVFOP_USER:
		return "USER"
	case pg_query.SQLValueFunctionOp_SVFOP_SESSION_USER:
		return "SESSION_USER"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return "CURRENT_CATALOG"
	case pg_query.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		return "CURRENT_SCHEMA"
	}
	return ""
}
