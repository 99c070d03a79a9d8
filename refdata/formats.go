package refdata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"go/format"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
)

// Each exported format function checks its table, then calls the
// unexported one that writes the file (jsonFile, csvFile...), which
// assumes every row has one value per column. Files checks each table
// once and calls the unexported ones.

// JSON returns the rows as an array of objects, one per row, one row per
// line, keys in column order; NULL is null. It fails when a row does not
// have one value per column.
func JSON(t Table) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return jsonFile(t), nil
}

func jsonFile(t Table) []byte {
	var b bytes.Buffer
	b.WriteString("[")
	for i, r := range t.Rows {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		writeMembers(&b, t.Columns, r)
		b.WriteString("}")
	}
	if len(t.Rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	return b.Bytes()
}

// writeMembers writes a row as the members of a JSON object (or JavaScript
// object literal), without the braces: "column": "value", ... in column
// order, NULL as null.
func writeMembers(b *bytes.Buffer, columns []string, row []*string) {
	for j, v := range row {
		if j > 0 {
			b.WriteString(", ")
		}
		b.WriteString(jsonString(columns[j]))
		b.WriteString(": ")
		if v == nil {
			b.WriteString("null")
		} else {
			b.WriteString(jsonString(*v))
		}
	}
}

// jsonString quotes s as a JSON string (U+2028 and U+2029 escaped, so the
// text is a JavaScript string literal too).
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// CSV returns the rows as RFC 4180 CSV with a header row of the column
// names, records ending with CRLF. Values are kept byte for byte: a line
// break or carriage return inside a value is written as it is, inside
// quotes (encoding/csv's UseCRLF would rewrite LF to CRLF and drop a lone
// CR). NULL is an empty field. It fails when a row does not have one value
// per column.
func CSV(t Table) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return csvFile(t)
}

func csvFile(t Table) ([]byte, error) {
	var b, rec bytes.Buffer
	w := csv.NewWriter(&rec)
	write := func(fields []string) error {
		rec.Reset()
		if err := w.Write(fields); err != nil {
			return err
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return err
		}
		// The record ends with the writer's "\n" terminator: every LF
		// inside a value is quoted, so the last byte is the terminator.
		b.Write(rec.Bytes()[:rec.Len()-1])
		b.WriteString("\r\n")
		return nil
	}
	if err := write(t.Columns); err != nil {
		return nil, fmt.Errorf("refdata: %s.csv: %w", t.Name, err)
	}
	fields := make([]string, len(t.Columns))
	for _, r := range t.Rows {
		for j, v := range r {
			fields[j] = ""
			if v != nil {
				fields[j] = *v
			}
		}
		if err := write(fields); err != nil {
			return nil, fmt.Errorf("refdata: %s.csv: %w", t.Name, err)
		}
	}
	return b.Bytes(), nil
}

// nullable reports, per column, whether any row holds NULL there.
func nullable(t Table) []bool {
	out := make([]bool, len(t.Columns))
	for _, r := range t.Rows {
		for j, v := range r {
			if v == nil {
				out[j] = true
			}
		}
	}
	return out
}

// identifier returns words(s) joined by join, or prefix+index when s has
// no ASCII letter or digit, with prefix added when it starts with a digit.
func identifier(s string, join func([]string) string, prefix string, index int) string {
	id := join(words(s))
	switch {
	case id == "":
		return fmt.Sprintf("%s%d", prefix, index+1)
	case isDigit(id[0]):
		return prefix + id
	}
	return id
}

var goKeywords = set("break", "case", "chan", "const", "continue", "default", "defer", "else", "fallthrough",
	"for", "func", "go", "goto", "if", "import", "interface", "map", "package", "range", "return", "select",
	"struct", "switch", "type", "var", "main")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// GoNames returns the package, type and field names of the Go file of a
// table whose file stem is stem.
func GoNames(t Table, stem string) (pkg, typ string, fields []string) {
	pkg = strings.ToLower(strings.Join(words(stem), ""))
	if pkg == "" || isDigit(pkg[0]) {
		pkg = "t" + pkg
	}
	if goKeywords[pkg] {
		pkg += "data"
	}
	typ = identifier(stem, pascal, "T", 0)
	if typ == "Rows" {
		typ = "Row"
	}
	fields = make([]string, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = identifier(c, pascal, "C", i)
	}
	return pkg, typ, uniqueNames(fields, nil)
}

// Go returns a Go source file declaring package GoNames' pkg, a struct
// type with one string field per column (*string for a column holding a
// NULL) and the variable Rows holding every row, in order, formatted by
// gofmt's rules. It fails when a row does not have one value per column.
func Go(t Table, stem string) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return goFile(t, stem)
}

func goFile(t Table, stem string) ([]byte, error) {
	pkg, typ, fields := GoNames(t, stem)
	null := nullable(t)
	name := strconv.Quote(t.Name.String())
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by seams from the table %s; DO NOT EDIT.\n\n", name)
	fmt.Fprintf(&b, "// Package %s holds the rows of the table %s, exported by seams as\n// static reference data.\npackage %s\n\n", pkg, name, pkg)
	fmt.Fprintf(&b, "// %s is one row of the table %s.\ntype %s struct {\n", typ, name, typ)
	for i, f := range fields {
		kind := "string"
		if null[i] {
			kind = "*string"
		}
		fmt.Fprintf(&b, "\t%s %s // column %s\n", f, kind, strconv.Quote(t.Columns[i]))
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(&b, "// Rows are the rows of the table %s, in primary key order.\nvar Rows = []%s{\n", name, typ)
	anyNull := false
	for _, r := range t.Rows {
		b.WriteString("\t{")
		for j, v := range r {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(fields[j])
			b.WriteString(": ")
			switch {
			case v == nil:
				b.WriteString("nil")
				anyNull = true
			case null[j]:
				b.WriteString("ptr(" + strconv.Quote(*v) + ")")
				anyNull = true
			default:
				b.WriteString(strconv.Quote(*v))
			}
		}
		b.WriteString("},\n")
	}
	b.WriteString("}\n")
	if anyNull {
		b.WriteString("\nfunc ptr(s string) *string { return &s }\n")
	}
	src, err := format.Source(b.Bytes())
	if err != nil {
		return nil, fmt.Errorf("refdata: %s.go: %w", stem, err)
	}
	return src, nil
}

var javaKeywords = set("abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class",
	"const", "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
	"for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
	"package", "private", "protected", "public", "return", "short", "static", "strictfp", "super", "switch",
	"synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while", "true",
	"false", "null", "var", "yield", "record", "sealed", "permits", "non", "when", "exports", "module",
	"open", "opens", "provides", "requires", "to", "transitive", "uses", "with", "_",
	// A record component may not be named like a method of Object.
	"clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait", "equals")

// javaTaken are the class names the Java file uses itself.
var javaTaken = set("String", "List", "ArrayList", "Object", "Override", "Record", "ROWS")

// JavaNames returns the record (and file) name and the component names of
// the Java file of a table whose file stem is stem.
func JavaNames(t Table, stem string) (class string, components []string) {
	class = identifier(stem, pascal, "T", 0)
	if javaTaken[class] {
		class += "Row"
	}
	components = make([]string, len(t.Columns))
	for i, c := range t.Columns {
		n := identifier(c, camel, "c", i)
		if javaKeywords[n] {
			n += "_"
		}
		components[i] = n
	}
	return class, uniqueNames(components, set("ROWS", "rows", "part"))
}

// javaString quotes s as a Java string literal. Everything outside
// printable ASCII is a \uXXXX escape (UTF-16), so the source is ASCII and
// no line terminator or unicode escape can end the literal early.
func javaString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		case r > 0xffff:
			r1, r2 := utf16.EncodeRune(r)
			fmt.Fprintf(&b, `\u%04x\u%04x`, r1, r2)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// commentSafe makes quoted text safe inside a /* */ comment.
func commentSafe(s string) string { return strings.ReplaceAll(s, "*/", "* /") }

// javaChunk is the number of rows per helper method, which keeps each
// method well under the JVM's 64 KB limit on a method's code.
const javaChunk = 500

// Java returns the name of the Java file (the record's) and its text: a
// record with one component per column, typed by the column's SQL type
// (see javaColumns), and the constant ROWS, an
// unmodifiable List of every row in order. It fails when a row does not
// have one value per column.
func Java(t Table, stem string) (file string, src []byte, err error) {
	if err := t.check(); err != nil {
		return "", nil, err
	}
	file, src = javaFile(t, stem)
	return file, src, nil
}

func javaFile(t Table, stem string) (file string, src []byte) {
	class, comps := JavaNames(t, stem)
	name := commentSafe(javaString(t.Name.String()))
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Generated by seams from the table %s. Do not edit.\n\n", name)
	b.WriteString("import java.util.ArrayList;\nimport java.util.List;\n\n")
	fmt.Fprintf(&b, "/** One row of the table %s, exported by seams as static reference data. */\n", name)
	fmt.Fprintf(&b, "public record %s(", class)
	jc := javaColumns(t)
	for i, c := range comps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(jc[i].typ + " " + c)
	}
	b.WriteString(") {\n")
	fmt.Fprintf(&b, "    /** The rows of the table, in primary key order. */\n    public static final List<%s> ROWS = rows();\n\n", class)
	parts := (len(t.Rows) + javaChunk - 1) / javaChunk
	fmt.Fprintf(&b, "    private static List<%s> rows() {\n        List<%s> all = new ArrayList<>(%d);\n", class, class, len(t.Rows))
	for p := 0; p < parts; p++ {
		fmt.Fprintf(&b, "        all.addAll(part%d());\n", p)
	}
	b.WriteString("        return List.copyOf(all);\n    }\n")
	for p := 0; p < parts; p++ {
		fmt.Fprintf(&b, "\n    private static List<%s> part%d() {\n        return List.of(", class, p)
		rows := t.Rows[p*javaChunk : min((p+1)*javaChunk, len(t.Rows))]
		for i, r := range rows {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "\n            new %s(", class)
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				if v == nil {
					b.WriteString("null")
				} else {
					b.WriteString(jc[j].literal(*v))
				}
			}
			b.WriteString(")")
		}
		b.WriteString(");\n    }\n")
	}
	b.WriteString("}\n")
	return class + ".java", b.Bytes()
}

// javaColumn is how one column is written in Java: its type and how a
// value (never NULL, which is null) is written.
type javaColumn struct {
	typ     string
	literal func(string) string
}

// javaColumns types each column of t by its SQL type: Integer for 16 and
// 32-bit integers, Long for 64-bit ones (and unsigned 32-bit ones),
// java.math.BigInteger for unsigned 64-bit ones, java.math.BigDecimal for
// numeric and decimal, Float and Double for floating point, Boolean,
// java.time.LocalDate for dates, String for everything else. A column one
// of whose values the type cannot hold (a numeric NaN, an infinite date,
// MySQL's zero date) stays String, so the file always compiles and holds
// every value.
func javaColumns(t Table) []javaColumn {
	str := javaColumn{"String", javaString}
	out := make([]javaColumn, len(t.Columns))
	for i := range t.Columns {
		typ := ""
		if i < len(t.Types) {
			typ = strings.ToLower(strings.TrimSpace(t.Types[i]))
		}
		c, ok := javaTypes[typ]
		for _, r := range t.Rows {
			if ok && r[i] != nil && !c.valid(*r[i]) {
				ok = false
			}
		}
		if !ok {
			out[i] = str
			continue
		}
		out[i] = c.javaColumn
	}
	return out
}

// javaType is a Java type for SQL values that valid accepts.
type javaType struct {
	javaColumn
	valid func(string) bool
}

var (
	javaInt = javaType{javaColumn{"Integer", func(v string) string { return v }},
		func(v string) bool { return canonicalInt(v, 32) }}
	javaLong = javaType{javaColumn{"Long", func(v string) string { return v + "L" }},
		func(v string) bool { return canonicalInt(v, 64) }}
	javaBigInt = javaType{javaColumn{"java.math.BigInteger", func(v string) string { return "new java.math.BigInteger(" + javaString(v) + ")" }},
		func(v string) bool { _, ok := new(big.Int).SetString(v, 10); return ok }}
	javaDecimal = javaType{javaColumn{"java.math.BigDecimal", func(v string) string { return "new java.math.BigDecimal(" + javaString(v) + ")" }},
		isDecimal}
	javaFloat = javaType{javaColumn{"Float", func(v string) string { return "Float.valueOf(" + javaString(v) + ")" }},
		isJavaFloat}
	javaDouble = javaType{javaColumn{"Double", func(v string) string { return "Double.valueOf(" + javaString(v) + ")" }},
		isJavaFloat}
	javaBool = javaType{javaColumn{"Boolean", func(v string) string { return strconv.FormatBool(v == "t" || v == "true") }},
		func(v string) bool { return v == "t" || v == "f" || v == "true" || v == "false" }}
	javaDate = javaType{javaColumn{"java.time.LocalDate", func(v string) string { return "java.time.LocalDate.parse(" + javaString(v) + ")" }},
		func(v string) bool { _, err := time.Parse("2006-01-02", v); return err == nil }}
)

// javaTypes maps SQL type names, lower-case, to Java types.
var javaTypes = map[string]javaType{
	"int2": javaInt, "int4": javaInt, "smallint": javaInt, "integer": javaInt, "int": javaInt, "tinyint": javaInt, "mediumint": javaInt,
	"year": javaInt, "unsigned tinyint": javaInt, "unsigned smallint": javaInt, "unsigned mediumint": javaInt,
	"int8": javaLong, "bigint": javaLong, "unsigned int": javaLong,
	"unsigned bigint": javaBigInt,
	"numeric":         javaDecimal, "decimal": javaDecimal,
	"float4": javaFloat, "real": javaFloat, "float": javaFloat,
	"float8": javaDouble, "double precision": javaDouble, "double": javaDouble,
	"bool": javaBool, "boolean": javaBool,
	"date": javaDate,
}

// canonicalInt reports whether v is an integer of that many bits written
// as Java reads it: no leading zeros (a ZEROFILL column's 0042 would be an
// octal literal), no plus sign.
func canonicalInt(v string, bits int) bool {
	n, err := strconv.ParseInt(v, 10, bits)
	return err == nil && strconv.FormatInt(n, 10) == v
}

// isDecimal reports whether v is a plain decimal number, which
// java.math.BigDecimal reads (no NaN or infinity).
func isDecimal(v string) bool {
	d := strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
	ip, fp, _ := strings.Cut(d, ".")
	if ip == "" && fp == "" {
		return false
	}
	return strings.Trim(ip, "0123456789") == "" && strings.Trim(fp, "0123456789") == ""
}

// isJavaFloat reports whether Float.valueOf and Double.valueOf read v:
// a decimal number with an optional exponent, NaN or [-]Infinity.
func isJavaFloat(v string) bool {
	switch v {
	case "NaN", "Infinity", "-Infinity":
		return true
	}
	if strings.ContainsAny(v, "xXpP_") || strings.EqualFold(strings.TrimLeft(v, "+-"), "inf") {
		return false
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil || errors.Is(err, strconv.ErrRange)
}

var jsReserved = set("break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete",
	"do", "else", "enum", "export", "extends", "false", "finally", "for", "function", "if", "import", "in",
	"instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try", "typeof", "var",
	"void", "while", "with", "yield", "let", "static", "implements", "interface", "package", "private",
	"protected", "public", "await", "arguments", "eval", "undefined", "any", "boolean", "number", "string",
	"symbol", "never", "unknown", "object", "type", "declare", "namespace", "module", "as", "of", "readonly")

// TypeScriptNames returns the constant and type names of the TypeScript
// file of a table whose file stem is stem.
func TypeScriptNames(stem string) (constant, typ string) {
	constant = identifier(stem, camel, "t", 0)
	if jsReserved[constant] {
		constant += "Rows"
	}
	// Distinct from the constant: types are PascalCase, constants camelCase.
	typ = identifier(stem, pascal, "T", 0)
	return constant, typ
}

// TypeScript returns a TypeScript module exporting the rows as an
// `as const` array of objects (keys are the column names, quoted; NULL is
// null) and the type of one row. It fails when a row does not have one
// value per column.
func TypeScript(t Table, stem string) ([]byte, error) {
	if err := t.check(); err != nil {
		return nil, err
	}
	return tsFile(t, stem), nil
}

func tsFile(t Table, stem string) []byte {
	constant, typ := TypeScriptNames(stem)
	name := commentSafe(jsonString(t.Name.String()))
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Generated by seams from the table %s. Do not edit.\n\n", name)
	fmt.Fprintf(&b, "/** The rows of the table %s, in primary key order. */\n", name)
	fmt.Fprintf(&b, "export const %s = [", constant)
	for _, r := range t.Rows {
		b.WriteString("\n  { ")
		writeMembers(&b, t.Columns, r)
		b.WriteString(" },")
	}
	if len(t.Rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("] as const;\n\n")
	fmt.Fprintf(&b, "/** One row of the table %s. */\nexport type %s = (typeof %s)[number];\n", name, typ, constant)
	return b.Bytes()
}
