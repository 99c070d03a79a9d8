package plan

import (
	"regexp"
	"slices"
	"strings"

	"github.com/seamsdev/seams/plan/dialect"
	"github.com/seamsdev/seams/schema"
)

// checkChanges returns, for each check constraint of t whose expression
// mentions one of the columns, a change that drops it (Up) and adds it
// back (Down). Dropping a column drops the checks on it, and the dialect's
// DropColumns does not restore them; placed before DropColumns in a step,
// these Downs run after the columns are back.
//
// The statements are built from the dialect's quoting (Table, Ident); the
// check's expression is the catalog's own text. This belongs in package
// dialect (DropColumns' Down) and should move there.
func checkChanges(d dialect.Dialect, t *schema.Table, columns []string) []dialect.Change {
	var out []dialect.Change
	for _, c := range t.Checks {
		if !mentionsAny(c.Expression, columns) {
			continue
		}
		table := d.Table(t.TableName())
		ch := dialect.Change{
			Up:   []string{"ALTER TABLE " + table + " DROP CONSTRAINT " + d.Ident(c.Name)},
			Down: []string{"ALTER TABLE " + table + " ADD CONSTRAINT " + d.Ident(c.Name) + " CHECK (" + c.Expression + ")"},
		}
		if d.Name() == "mysql" && slices.Contains(columns, c.Name) {
			// MariaDB names a column's own CHECK after the column; it cannot
			// be dropped by name and goes with the column.
			ch.Up = nil
		}
		out = append(out, ch)
	}
	return out
}

// mentionsAny reports whether expr names one of the columns as a whole
// word, bare or quoted.
func mentionsAny(expr string, columns []string) bool {
	for _, col := range columns {
		if strings.Contains(expr, `"`+col+`"`) || strings.Contains(expr, "`"+col+"`") {
			return true
		}
		if regexp.MustCompile(`(^|[^\pL\pN_$])` + regexp.QuoteMeta(col) + `($|[^\pL\pN_$])`).MatchString(expr) {
			return true
		}
	}
	return false
}
