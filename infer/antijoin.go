package infer

import (
	"strings"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// AntiJoin returns the one bounded query that checks an inferred reference
// against the data (seams introspect --verify-data): it selects at most one
// referencing row whose columns are all set and that no referenced row
// matches; for a polymorphic reference, only among the rows whose type
// column holds the target's value. A row back means orphans. Every
// identifier is quoted for the dialect, the type value is a
// parameter ($1 or ?).
func AntiJoin(dialect schema.Dialect, r *schema.InferredReference) (query string, args []any) {
	quote, table, param := sqlident.Postgres, sqlident.PostgresTable, "$1"
	if dialect == schema.DialectMySQL {
		quote, table, param = sqlident.MySQL, sqlident.MySQLTable, "?"
	}
	var set, match []string
	for i, c := range r.Columns {
		set = append(set, "c."+quote(c)+" IS NOT NULL")
		match = append(match, "p."+quote(r.RefColumns[i])+" = c."+quote(c))
	}
	if d := r.Discriminator; d != nil && d.Value != "" {
		set = append(set, "c."+quote(d.Column)+" = "+param)
		args = append(args, d.Value)
	}
	query = "SELECT 1 FROM " + table(r.Table.Schema, r.Table.Name) + " c WHERE " + strings.Join(set, " AND ") +
		" AND NOT EXISTS (SELECT 1 FROM " + table(r.References.Schema, r.References.Name) + " p WHERE " +
		strings.Join(match, " AND ") + ") LIMIT 1"
	return query, args
}

// AntiJoinText is AntiJoin with the type value written into the text as a
// string literal, for a check a person runs (the plan's orphan check).
func AntiJoinText(dialect schema.Dialect, r *schema.InferredReference) string {
	q, args := AntiJoin(dialect, r)
	if len(args) == 0 {
		return q
	}
	v := strings.ReplaceAll(args[0].(string), "'", "''")
	param := "$1"
	if dialect == schema.DialectMySQL {
		v, param = strings.ReplaceAll(v, `\`, `\\`), "?"
	}
	return strings.Replace(q, param, "'"+v+"'", 1)
}
