package ddl

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/seamsdev/seams/schema"
	"vitess.io/vitess/go/vt/sqlparser"
)

// intWidths are the display widths MariaDB (and MySQL before 8.0.19)
// shows for integer types declared without one: signed, unsigned.
var intWidths = map[string][2]int{
	"tinyint": {4, 3}, "smallint": {6, 5}, "mediumint": {9, 8}, "int": {11, 10}, "bigint": {20, 20},
}

// columnType spells a column type as information_schema.COLUMNS.COLUMN_TYPE
// does: lower case, aliases resolved (integer is int, bool tinyint(1), real
// and double precision double, numeric decimal), the defaults the server
// fills in (decimal(10,0), char(1), bit(1); integer display widths and
// year(4) on MariaDB), unsigned and zerofill after. MariaDB's JSON is
// longtext.
func (r *myReader) columnType(ct *sqlparser.ColumnType) string {
	typ := strings.ToLower(ct.Type)
	length := func() (int, bool) {
		if ct.Length != nil {
			return *ct.Length, true
		}
		return 0, false
	}
	maria := r.engine == schema.MariaDB
	var s string
	switch typ {
	case "bool", "boolean":
		s = "tinyint(1)"
	case "tinyint", "smallint", "mediumint", "int", "integer", "bigint":
		if typ == "integer" {
			typ = "int"
		}
		n, ok := length()
		switch {
		case maria && !ok:
			w := intWidths[typ]
			n = w[0]
			if ct.Unsigned || ct.Zerofill {
				n = w[1]
			}
			s = fmt.Sprintf("%s(%d)", typ, n)
		case ct.Zerofill && !ok:
			// MySQL 8 shows a width with ZEROFILL only: the default one.
			s = fmt.Sprintf("%s(%d)", typ, intWidths[typ][1])
		case maria || ct.Zerofill || typ == "tinyint" && n == 1:
			s = fmt.Sprintf("%s(%d)", typ, n)
		default:
			s = typ
		}
	case "decimal", "numeric", "dec", "fixed":
		m, d := 10, 0
		if ct.Length != nil {
			m = *ct.Length
		}
		if ct.Scale != nil {
			d = *ct.Scale
		}
		s = fmt.Sprintf("decimal(%d,%d)", m, d)
	case "float", "double", "real":
		if typ == "real" {
			typ = "double"
		}
		switch {
		case ct.Length != nil && ct.Scale != nil:
			s = fmt.Sprintf("%s(%d,%d)", typ, *ct.Length, *ct.Scale)
		case ct.Length != nil && typ == "float" && *ct.Length > 24:
			s = "double"
		default:
			s = typ
		}
	case "bit", "char", "binary":
		n, ok := length()
		if !ok {
			n = 1
		}
		s = fmt.Sprintf("%s(%d)", typ, n)
	case "year":
		s = "year"
		if maria {
			s = "year(4)"
		}
	case "json":
		s = "json"
		if maria {
			s = "longtext"
		}
	case "enum", "set":
		vals := make([]string, len(ct.EnumValues))
		for i, v := range ct.EnumValues {
			vals[i] = "'" + strings.ReplaceAll(unquoteString(v), "'", "''") + "'"
		}
		s = typ + "(" + strings.Join(vals, ",") + ")"
	default:
		s = typ
		if n, ok := length(); ok {
			if ct.Scale != nil {
				s = fmt.Sprintf("%s(%d,%d)", typ, n, *ct.Scale)
			} else {
				s = fmt.Sprintf("%s(%d)", typ, n)
			}
		}
	}
	if ct.Unsigned || ct.Zerofill {
		switch typ {
		case "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "numeric", "dec", "fixed", "float", "double", "real":
			s += " unsigned"
		}
	}
	if ct.Zerofill {
		s += " zerofill"
	}
	return s
}

// unquoteString decodes a MySQL string literal, in single quotes (as
// Vitess prints them) or double quotes: a character after a backslash, or
// a quote doubled, stands for itself. Anything else is returned as it is.
func unquoteString(v string) string {
	if len(v) < 2 || (v[0] != '\'' && v[0] != '"') || v[len(v)-1] != v[0] {
		return v
	}
	q := v[0]
	v = v[1 : len(v)-1]
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
		} else if v[i] == q && i+1 < len(v) && v[i+1] == q {
			i++
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// baseType returns the data type of a column type (information_schema's
// DATA_TYPE): decimal for decimal(10,2), int for int(11) unsigned.
func baseType(columnType string) string {
	t := columnType
	if i := strings.IndexAny(t, "( "); i >= 0 {
		t = t[:i]
	}
	return t
}

// defaultValue spells a column default as the introspector reads it: the
// server stores the value in the column's type and prints it back, so a
// number gets the column's scale ('1.5' in decimal(6,3) is 1.500, TRUE is
// 1), a date or time its full form, a string its quotes (doubled quotes
// and backslashes); CURRENT_TIMESTAMP and its synonyms are CURRENT_TIMESTAMP,
// other expressions are printed as MariaDB does; NULL is no default.
func (r *myReader) defaultValue(e sqlparser.Expr, ct *sqlparser.ColumnType) *string {
	colType := r.columnType(ct)
	base := baseType(colType)
	str := func(s string) *string { return &s }
	switch x := e.(type) {
	case *sqlparser.NullVal:
		return nil
	case *sqlparser.CurTimeFuncExpr:
		return str(currentTimestamp(x.Fsp))
	case *sqlparser.FuncExpr:
		switch strings.ToLower(x.Name.String()) {
		case "now", "current_timestamp", "localtime", "localtimestamp":
			fsp := 0
			if len(x.Exprs) == 1 {
				if l, ok := x.Exprs[0].(*sqlparser.Literal); ok {
					fsp, _ = strconv.Atoi(l.Val)
				}
			}
			return str(currentTimestamp(fsp))
		}
	case sqlparser.BoolVal:
		if x {
			return r.literalFor("1", false, base, colType)
		}
		return r.literalFor("0", false, base, colType)
	case *sqlparser.UnaryExpr:
		if l, ok := x.Expr.(*sqlparser.Literal); ok && x.Operator == sqlparser.UMinusOp && l.Type != sqlparser.StrVal {
			return r.literalFor("-"+l.Val, false, base, colType)
		}
	case *sqlparser.Literal:
		switch x.Type {
		case sqlparser.StrVal:
			return r.literalFor(x.Val, true, base, colType)
		case sqlparser.IntVal, sqlparser.DecimalVal, sqlparser.FloatVal:
			return r.literalFor(x.Val, false, base, colType)
		case sqlparser.HexNum, sqlparser.HexVal, sqlparser.BitNum:
			if base == "bit" {
				if n, ok := bitsValue(x); ok {
					return str("b'" + n.Text(2) + "'")
				}
			}
		}
	}
	return str(myPrint(e))
}

// currentTimestamp spells CURRENT_TIMESTAMP with its precision.
func currentTimestamp(fsp int) string {
	if fsp > 0 {
		return fmt.Sprintf("CURRENT_TIMESTAMP(%d)", fsp)
	}
	return "CURRENT_TIMESTAMP"
}

// literalFor spells a constant default in a column's type.
func (r *myReader) literalFor(v string, quoted bool, base, colType string) *string {
	str := func(s string) *string { return &s }
	switch base {
	case "tinyint", "smallint", "mediumint", "int", "bigint":
		if f, ok := parseNumber(v); ok {
			return str(f.Text('f', 0))
		}
	case "decimal":
		if f, ok := parseNumber(v); ok {
			return str(f.Text('f', scaleOf(colType)))
		}
	case "float", "double":
		if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			bits := 64
			if base == "float" && !strings.Contains(colType, ",") {
				bits = 32
			}
			return str(strconv.FormatFloat(f, 'g', -1, bits))
		}
	case "year":
		if f, ok := parseNumber(v); ok {
			return str(f.Text('f', 0))
		}
	case "bit":
		if f, ok := parseNumber(v); ok && !quoted {
			n, _ := f.Int(nil)
			return str("b'" + n.Text(2) + "'")
		}
	case "date", "datetime", "timestamp", "time":
		if t, ok := temporal(v, base, scaleOf(colType)); ok {
			return str(myQuote(t))
		}
	}
	return str(myQuote(v))
}

// parseNumber reads a decimal number, as the server reads a constant for a
// numeric column.
func parseNumber(v string) (*big.Float, bool) {
	f, ok := new(big.Float).SetPrec(200).SetString(strings.TrimSpace(v))
	return f, ok
}

// scaleOf returns the scale of decimal(10,2) or the precision of
// datetime(3).
func scaleOf(colType string) int {
	i := strings.IndexByte(colType, '(')
	if i < 0 {
		return 0
	}
	in := colType[i+1:]
	if j := strings.IndexByte(in, ')'); j >= 0 {
		in = in[:j]
	}
	parts := strings.Split(in, ",")
	n, _ := strconv.Atoi(strings.TrimSpace(parts[len(parts)-1]))
	if len(parts) == 1 && !strings.HasPrefix(colType, "datetime") && !strings.HasPrefix(colType, "timestamp") && !strings.HasPrefix(colType, "time") {
		return 0
	}
	return n
}

// temporal spells a date, time or datetime constant in full:
// 2020-01-01 in a datetime(3) is 2020-01-01 00:00:00.000.
func temporal(v, base string, fsp int) (string, bool) {
	v = strings.TrimSpace(v)
	date, clock := v, ""
	if i := strings.IndexAny(v, " T"); i >= 0 {
		date, clock = v[:i], v[i+1:]
	}
	if base == "time" {
		date, clock = "", v
	}
	frac := ""
	if i := strings.IndexByte(clock, '.'); i >= 0 {
		clock, frac = clock[:i], clock[i+1:]
	}
	if clock == "" {
		clock = "00:00:00"
	}
	if base != "time" {
		p := strings.Split(date, "-")
		if len(p) != 3 {
			return "", false
		}
		for _, x := range p {
			if _, err := strconv.Atoi(x); err != nil {
				return "", false
			}
		}
		date = fmt.Sprintf("%04s-%02s-%02s", p[0], p[1], p[2])
		if base == "date" {
			return date, true
		}
	}
	c := strings.Split(clock, ":")
	for len(c) < 3 {
		c = append(c, "00")
	}
	clock = fmt.Sprintf("%02s:%02s:%02s", c[0], c[1], c[2])
	if fsp > 0 {
		frac = (frac + strings.Repeat("0", fsp))[:fsp]
		clock += "." + frac
	}
	if base == "time" {
		return clock, true
	}
	return date + " " + clock, true
}

// bitsValue reads 0x1F, x'1F' and b'101'.
func bitsValue(l *sqlparser.Literal) (*big.Int, bool) {
	v := l.Val
	switch l.Type {
	case sqlparser.HexNum:
		return new(big.Int).SetString(strings.TrimPrefix(strings.TrimPrefix(v, "0x"), "0X"), 16)
	case sqlparser.HexVal:
		return new(big.Int).SetString(v, 16)
	case sqlparser.BitNum:
		return new(big.Int).SetString(strings.TrimPrefix(strings.TrimPrefix(v, "0b"), "0B"), 2)
	}
	return nil, false
}

// myQuote quotes a string as MariaDB prints a default: quotes doubled,
// backslashes doubled.
func myQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}
