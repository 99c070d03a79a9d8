package ddl

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/schema"
)

// pgCatalogTypes are the base, range, multirange, pseudo and enum types of
// pg_catalog in PostgreSQL 15 (array types left out): SELECT typname FROM
// pg_type WHERE typnamespace = 'pg_catalog'::regnamespace AND typtype IN
// ('b','r','m','p','e','d') AND typname !~ '^_'. PostgreSQL searches
// pg_catalog before the search path, so these names never resolve to a
// user's type.
var pgCatalogTypes = map[string]bool{}

func init() {
	for _, n := range strings.Fields(`aclitem any anyarray anycompatible anycompatiblearray anycompatiblemultirange
anycompatiblenonarray anycompatiblerange anyelement anyenum anymultirange anynonarray anyrange bit bool box bpchar
bytea char cid cidr circle cstring date datemultirange daterange event_trigger fdw_handler float4 float8 gtsvector
index_am_handler inet int2 int2vector int4 int4multirange int4range int8 int8multirange int8range internal interval
json jsonb jsonpath language_handler line lseg macaddr macaddr8 money name numeric nummultirange numrange oid
oidvector path pg_brin_bloom_summary pg_brin_minmax_multi_summary pg_ddl_command pg_dependencies pg_lsn pg_mcv_list
pg_ndistinct pg_node_tree pg_snapshot point polygon record refcursor regclass regcollation regconfig regdictionary
regnamespace regoper regoperator regproc regprocedure regrole regtype table_am_handler text tid time timestamp
timestamptz timetz trigger tsm_handler tsmultirange tsquery tsrange tstzmultirange tstzrange tsvector txid_snapshot
unknown uuid varbit varchar void xid xid8 xml`) {
		pgCatalogTypes[n] = true
	}
}

// pgSerials are the serial pseudo-types and the integer types they stand
// for.
var pgSerials = map[string]string{
	"smallserial": "smallint", "serial2": "smallint",
	"serial": "integer", "serial4": "integer",
	"bigserial": "bigint", "serial8": "bigint",
}

// interval typmod field masks (src/include/utils/datetime.h).
const (
	ivMonth  = 1 << 1
	ivYear   = 1 << 2
	ivDay    = 1 << 3
	ivHour   = 1 << 10
	ivMinute = 1 << 11
	ivSecond = 1 << 12
	ivFull   = 0x7FFF
)

// intervalFields spells interval field masks as format_type does.
var intervalFields = map[int]string{
	ivYear: " year", ivMonth: " month", ivDay: " day", ivHour: " hour", ivMinute: " minute", ivSecond: " second",
	ivYear | ivMonth: " year to month", ivDay | ivHour: " day to hour", ivDay | ivHour | ivMinute: " day to minute",
	ivDay | ivHour | ivMinute | ivSecond: " day to second", ivHour | ivMinute: " hour to minute",
	ivHour | ivMinute | ivSecond: " hour to second", ivMinute | ivSecond: " minute to second",
}

// pgType is a column type resolved from a TypeName.
type pgType struct {
	// format is the type as format_type prints it with its modifier:
	// character varying(20), numeric(10,2), public.mood, integer[].
	format string
	// bare is the type without its modifier, as a constant's cast is
	// printed: character varying, bpchar, numeric.
	bare string
	// base is the pg_catalog name of a built-in type (varchar, int4), ""
	// for a user's type.
	base string
	// serial is set for a serial pseudo-type: the column gets a sequence.
	serial bool
}

// resolveType spells a type name as format_type does. Built-in types are
// found in pg_catalog first, as PostgreSQL does; other unqualified names
// resolve against the search path among the types (and tables, whose row
// type they are) the file defines, else to the first schema of the path.
func (r *pgReader) resolveType(tn *pg_query.TypeName) pgType {
	names := stringList(tn.GetNames())
	var typmods []int
	for _, m := range tn.GetTypmods() {
		if c := m.GetAConst(); c != nil {
			if iv := c.GetIval(); iv != nil {
				typmods = append(typmods, int(iv.GetIval()))
				continue
			}
		}
		typmods = append(typmods, -1)
	}
	array := len(tn.GetArrayBounds()) > 0
	var t pgType
	name := names[len(names)-1]
	schemaName := ""
	if len(names) > 1 {
		schemaName = names[len(names)-2]
	}
	switch {
	case schemaName == "" && !array && pgSerials[name] != "":
		t.format, t.bare, t.serial = pgSerials[name], pgSerials[name], true
		t.base = map[string]string{"smallint": "int2", "integer": "int4", "bigint": "int8"}[t.format]
	case schemaName == "pg_catalog" || schemaName == "" && pgCatalogTypes[name] && !r.userTypeFirst(name):
		t.base = name
		t.bare, t.format = builtinType(name, typmods)
	default:
		n := r.resolveTypeName(schemaName, name)
		t.format = pgQuoteIdent(n.Schema) + "." + pgQuoteIdent(n.Name)
		if len(typmods) > 0 {
			parts := make([]string, len(typmods))
			for i, m := range typmods {
				parts[i] = fmt.Sprint(m)
			}
			t.format += "(" + strings.Join(parts, ",") + ")"
		}
		t.bare = pgQuoteIdent(n.Schema) + "." + pgQuoteIdent(n.Name)
	}
	if array {
		t.format += "[]"
		t.bare += "[]"
	}
	return t
}

// userTypeFirst reports whether the search path puts pg_catalog after a
// schema holding a user type of this name (SET search_path = app,
// pg_catalog), which then wins.
func (r *pgReader) userTypeFirst(name string) bool {
	for _, s := range r.path {
		if s == "pg_catalog" {
			return false
		}
		if r.types[schema.TableName{Schema: s, Name: name}] {
			return r.pathHasCatalog()
		}
	}
	return false
}

func (r *pgReader) pathHasCatalog() bool {
	for _, s := range r.path {
		if s == "pg_catalog" {
			return true
		}
	}
	return false
}

// resolveTypeName finds a user type by the search path.
func (r *pgReader) resolveTypeName(schemaName, name string) schema.TableName {
	if schemaName != "" {
		return schema.TableName{Schema: schemaName, Name: name}
	}
	for _, s := range r.path {
		n := schema.TableName{Schema: s, Name: name}
		if r.types[n] {
			return n
		}
	}
	// A type the file does not define: an extension's (citext, cube), in
	// the schema the file creates its extensions in, else in the first
	// schema of the path that exists.
	if r.extSchema != "" {
		return schema.TableName{Schema: r.extSchema, Name: name}
	}
	return schema.TableName{Schema: r.creationSchema(), Name: name}
}

// builtinType spells a pg_catalog type with its modifiers, as format_type
// does, with and without them.
func builtinType(name string, typmods []int) (bare, format string) {
	mod := func(s string) string {
		if len(typmods) == 0 || typmods[0] < 0 {
			return s
		}
		return fmt.Sprintf("%s(%d)", s, typmods[0])
	}
	switch name {
	case "int2":
		return "smallint", "smallint"
	case "int4":
		return "integer", "integer"
	case "int8":
		return "bigint", "bigint"
	case "float4":
		return "real", "real"
	case "float8":
		return "double precision", "double precision"
	case "bool":
		return "boolean", "boolean"
	case "varchar":
		return "character varying", mod("character varying")
	case "bpchar":
		if len(typmods) == 0 {
			return "bpchar", "bpchar"
		}
		return "bpchar", mod("character")
	case "bit":
		return "bit", mod("bit")
	case "varbit":
		return "bit varying", mod("bit varying")
	case "numeric":
		switch {
		case len(typmods) >= 2:
			return "numeric", fmt.Sprintf("numeric(%d,%d)", typmods[0], typmods[1])
		case len(typmods) == 1:
			return "numeric", fmt.Sprintf("numeric(%d,0)", typmods[0])
		}
		return "numeric", "numeric"
	case "timestamp", "timestamptz", "time", "timetz":
		base := map[string]string{"timestamp": "timestamp", "timestamptz": "timestamp", "time": "time", "timetz": "time"}[name]
		zone := map[string]string{"timestamp": " without time zone", "timestamptz": " with time zone", "time": " without time zone", "timetz": " with time zone"}[name]
		return base + zone, mod(base) + zone
	case "interval":
		if len(typmods) == 0 {
			return "interval", "interval"
		}
		s := "interval" + intervalFields[typmods[0]&ivFull]
		if len(typmods) > 1 && typmods[1] >= 0 {
			s += fmt.Sprintf("(%d)", typmods[1])
		}
		return "interval", s
	case "char":
		return `"char"`, `"char"`
	}
	// A built-in type is printed bare, key word or not (json is one for
	// PostgreSQL 16's parser).
	return name, name
}

// stringList returns the values of a list of String nodes.
func stringList(ns []*pg_query.Node) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

// function spells a called function as ruleutils.c does with the
// introspector's search_path (pg_catalog alone): a function the file
// creates with its schema, resolved by the search path; a built-in one
// bare.
func (r *pgReader) function(parts []string) string {
	quoted := func(ns ...string) string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = pgQuoteIdent(n)
		}
		return strings.Join(out, ".")
	}
	if len(parts) > 1 {
		if parts[len(parts)-2] == "pg_catalog" {
			return quoted(parts[len(parts)-1])
		}
		return quoted(parts...)
	}
	for _, s := range r.path {
		if r.funcs[schema.TableName{Schema: s, Name: parts[0]}] != nil {
			return quoted(s, parts[0])
		}
	}
	return quoted(parts[0])
}

// typeName spells the type of a cast as format_type does.
func (r *pgReader) typeName(tn *pg_query.TypeName) string { return r.resolveType(tn).format }

// funcParams returns the parameter types of a function the file creates,
// found as the call names it.
func (r *pgReader) funcParams(parts []string) ([]string, string, bool) {
	if len(parts) > 1 {
		f := r.funcs[schema.TableName{Schema: parts[len(parts)-2], Name: parts[len(parts)-1]}]
		if f == nil {
			return nil, "", false
		}
		return f.params, f.returns, true
	}
	for _, s := range r.path {
		if f := r.funcs[schema.TableName{Schema: s, Name: parts[0]}]; f != nil {
			return f.params, f.returns, true
		}
	}
	return nil, "", false
}
