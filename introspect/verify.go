package introspect

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

// Verify checks each inferred reference of s whose score is at least
// threshold with run, which executes one AntiJoin query and reports whether
// it returned a row, and records the result on the reference. A failed
// check (a timeout, a missing privilege) is recorded with its reason and
// does not stop the others; run returns a non-nil fatal error to stop (a
// lost connection, a cancelled context).
func Verify(s *schema.Snapshot, threshold float64, run func(query string, args []any) (orphans bool, err, fatal error)) error {
	dialect, _ := s.Source.Engine.Dialect()
	for i := range s.Inferred {
		r := &s.Inferred[i]
		if r.Score < threshold {
			continue
		}
		q, args := AntiJoin(dialect, r)
		orphans, err, fatal := run(q, args)
		if fatal != nil {
			return fatal
		}
		v := &schema.Verification{Checked: err == nil, Orphans: orphans}
		if err != nil {
			v.Error = OneLine(err.Error())
		}
		r.Verified = v
	}
	return nil
}
