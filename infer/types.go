package infer

import "strings"

// family is a type family: columns of one family can reference each other
// (integer ↔ bigint), columns of two families cannot (text ↔ integer).
type family string

// The families. A user-defined type is its own family, named by the type.
const (
	famNone    family = ""    // not a key type: booleans, times, floats, JSON, arrays...
	famInteger family = "int" // every integer width, and numeric/decimal
	famText    family = "text"
	famUUID    family = "uuid"
	famBinary  family = "binary"
)

// modifiers are the MySQL integer modifiers, which change no family.
var modifiers = strings.NewReplacer(" unsigned", "", " zerofill", "", " signed", "")

// typeFamily classifies a type as the catalog spells it (format_type on
// PostgreSQL, COLUMN_TYPE on MySQL).
func typeFamily(typ string) family {
	t := strings.ToLower(strings.TrimSpace(typ))
	if strings.HasSuffix(t, "[]") || strings.HasPrefix(t, "set(") {
		return famNone
	}
	if strings.HasPrefix(t, "enum(") {
		return famText
	}
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i]) + " " + strings.TrimSpace(t[strings.LastIndexByte(t, ')')+1:])
	}
	t = strings.TrimSpace(modifiers.Replace(t))
	if i := strings.LastIndexByte(t, '.'); i >= 0 && !strings.Contains(t, " ") {
		t = t[i+1:] // schema-qualified type name
	}
	t = strings.Trim(t, `"`)
	switch t {
	case "smallint", "integer", "int", "bigint", "int2", "int4", "int8", "tinyint", "mediumint",
		"serial", "bigserial", "smallserial", "numeric", "decimal":
		return famInteger
	case "text", "character varying", "varchar", "character", "char", "bpchar", "citext", "name",
		"nvarchar", "nchar", "tinytext", "mediumtext", "longtext":
		return famText
	case "uuid":
		return famUUID
	case "bytea", "binary", "varbinary":
		return famBinary
	case "boolean", "bool", "bit", "real", "double precision", "double", "float", "float4", "float8",
		"date", "time", "timestamp", "timestamptz", "datetime", "year", "interval", "json", "jsonb",
		"xml", "money", "blob", "tinyblob", "mediumblob", "longblob", "point", "geometry", "inet", "cidr",
		"macaddr", "tsvector", "tsquery", "bit varying", "varbit", "oid", "regclass":
		return famNone
	}
	if strings.HasPrefix(t, "timestamp") || strings.HasPrefix(t, "time ") || strings.HasPrefix(t, "interval") {
		return famNone
	}
	return family("user:" + t)
}

// compatible reports whether a column of family a can reference a key of
// family b.
func compatible(a, b family) bool {
	return a != famNone && a == b
}
