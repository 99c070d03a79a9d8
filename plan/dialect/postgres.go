package dialect

import (
	"fmt"
	"strings"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// pgMaxIdent is PostgreSQL's identifier limit in bytes (NAMEDATALEN-1);
// longer names are silently truncated by the server.
const pgMaxIdent = 63

// postgres is the PostgreSQL dialect.
type postgres struct{}

// Name returns schema.DialectPostgres.
func (postgres) Name() schema.Dialect { return schema.DialectPostgres }

// Ident quotes name with double quotes, doubling the ones inside.
// PostgreSQL gives no other character a meaning inside quotes.
func (postgres) Ident(name string) string { return sqlident.Postgres(name) }

// Table quotes schema.name.
func (postgres) Table(t schema.TableName) string { return sqlident.PostgresTable(t.Schema, t.Name) }

// Literal quotes s. A string with a backslash is written as an escape
// string (E'...') with the backslashes doubled: it then means s whether
// standard_conforming_strings is on or off. So is a string with a control
// or direction character, written as \uXXXX, so that the SQL is printable
// text that names s exactly. PostgreSQL text cannot hold a NUL byte, so s
// must not contain one.
func (postgres) Literal(s string) string {
	if strings.IndexByte(s, '\\') < 0 && !strings.ContainsFunc(s, hidden) {
		return quote(s, '\'')
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case hidden(r) && r > 0xffff:
			fmt.Fprintf(&b, `\U%08X`, r)
		case hidden(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	return "E" + quote(b.String(), '\'')
}

// ObjectName joins parts and shortens the result to 63 bytes.
func (postgres) ObjectName(parts ...string) string {
	return shorten(joinName(parts), pgMaxIdent, true)
}

// CreateNamespace creates a schema. Down is DROP SCHEMA ... RESTRICT, which
// fails rather than drop anything the schema still holds.
func (d postgres) CreateNamespace(name string) Change {
	return Change{
		Up:   []string{"CREATE SCHEMA " + d.Ident(name)},
		Down: []string{"DROP SCHEMA " + d.Ident(name) + " RESTRICT"},
	}
}

// MoveTable moves a table with ALTER TABLE ... SET SCHEMA. Its indexes,
// constraints, triggers, row type and owned sequences (serial and identity)
// move with it; views, foreign keys and triggers refer to it by OID and keep
// working. Trigger functions stay in their schema. The partitions of a
// partitioned table do not move with it: move each one with its own step.
// The target schema must not hold a table, index or sequence of the same
// name, or the statement fails (and changes nothing).
func (d postgres) MoveTable(t schema.TableName, toNamespace string) Change {
	if t.Schema == "" || toNamespace == "" {
		return failed(errorf("move %s to %q: both schemas must be named", t, toNamespace))
	}
	moved := schema.TableName{Schema: toNamespace, Name: t.Name}
	return Change{
		Up:   []string{"ALTER TABLE " + d.Table(t) + " SET SCHEMA " + d.Ident(toNamespace)},
		Down: []string{"ALTER TABLE " + d.Table(moved) + " SET SCHEMA " + d.Ident(t.Schema)},
	}
}

// MoveTableWithTriggers is MoveTable: PostgreSQL triggers follow their
// table.
func (d postgres) MoveTableWithTriggers(t schema.TableName, toNamespace string, _ []schema.Trigger) Change {
	return d.MoveTable(t, toNamespace)
}

// MoveTableWithDependents is MoveTable: PostgreSQL views and triggers
// refer to the table by OID and follow it.
func (d postgres) MoveTableWithDependents(t schema.TableName, toNamespace string, _ []schema.Trigger, _ []schema.View) Change {
	return d.MoveTable(t, toNamespace)
}

// DropForeignKey drops the constraint; Down re-adds it (see AddForeignKey).
func (d postgres) DropForeignKey(child schema.TableName, fk schema.ForeignKey) Change {
	c := d.AddForeignKey(child, fk)
	c.Up, c.Down = c.Down, c.Up
	return c
}

// SetSearchPath writes ALTER FUNCTION (or PROCEDURE) ... SET search_path,
// naming the routine by its identity arguments unless byName. A routine
// with a SET
// clause is no longer inlined into the queries that call it (SQL
// functions): the Notes say so.
func (d postgres) SetSearchPath(r schema.Routine, byName bool, path, prev []string) Change {
	if r.Schema == "" || r.Name == "" || len(path) == 0 {
		return failed(errorf("set the search path of %s.%s to %q: routine and path must be named", r.Schema, r.Name, path))
	}
	kind := "FUNCTION"
	if r.Kind == "procedure" {
		kind = "PROCEDURE"
	}
	head := "ALTER " + kind + " " + d.Table(schema.TableName{Schema: r.Schema, Name: r.Name})
	if !byName {
		head += "(" + r.Arguments + ")"
	}
	set := func(p []string) string { return head + " SET search_path = " + list(p, d.Ident) }
	c := Change{Up: []string{set(path)}, Down: []string{head + " RESET search_path"}}
	if prev != nil {
		c.Down = []string{set(prev)}
	}
	if r.Language == "sql" && prev == nil {
		c.Notes = append(c.Notes, "function "+r.Schema+"."+r.Name+" gets a SET search_path: PostgreSQL no longer inlines it into the queries that call it")
	}
	return c
}

// DropForeignKeyOf is DropForeignKey: PostgreSQL keys own no index.
func (d postgres) DropForeignKeyOf(t *schema.Table, fk schema.ForeignKey) Change {
	return d.DropForeignKey(t.TableName(), fk)
}

// AddForeignKeyOf is AddForeignKey.
func (d postgres) AddForeignKeyOf(t *schema.Table, fk schema.ForeignKey) Change {
	return d.AddForeignKey(t.TableName(), fk)
}

// AddForeignKey adds the constraint with its actions, DEFERRABLE and
// INITIALLY DEFERRED, and NOT VALID when fk is not valid. A valid key is
// checked against every existing row when it is added: the statement fails
// if orphans exist (count them with OrphanCount). MATCH FULL is not in the
// snapshot and is not carried over (keys are re-added MATCH SIMPLE).
func (d postgres) AddForeignKey(child schema.TableName, fk schema.ForeignKey) Change {
	if err := checkFK(child, fk); err != nil {
		return failed(err)
	}
	var b strings.Builder
	b.WriteString("ALTER TABLE " + d.Table(child) + " ADD CONSTRAINT " + d.Ident(fk.Name))
	b.WriteString(" FOREIGN KEY (" + list(fk.Columns, d.Ident) + ")")
	b.WriteString(" REFERENCES " + d.Table(fk.References) + " (" + list(fk.RefColumns, d.Ident) + ")")
	if fk.OnDelete != "" {
		b.WriteString(" ON DELETE " + string(fk.OnDelete))
	}
	if fk.OnUpdate != "" {
		b.WriteString(" ON UPDATE " + string(fk.OnUpdate))
	}
	if fk.Deferrable {
		b.WriteString(" DEFERRABLE")
		if fk.InitiallyDeferred {
			b.WriteString(" INITIALLY DEFERRED")
		}
	}
	if !fk.Valid {
		b.WriteString(" NOT VALID")
	}
	return Change{
		Up:   []string{b.String()},
		Down: []string{"ALTER TABLE " + d.Table(child) + " DROP CONSTRAINT " + d.Ident(fk.Name)},
	}
}

// OrphanCount counts the child rows whose key has no parent row.
func (d postgres) OrphanCount(child schema.TableName, fk schema.ForeignKey) string {
	return orphanCount(d, child, fk)
}

// CreateTableAs creates newTable and fills it with INSERT ... SELECT.
//
// Columns keep their type (as format_type spells it), NOT NULL and comment.
// Defaults are copied except those that call nextval: a sequence belongs to
// the source table and must not be shared. Identity and generated columns
// become plain columns holding the copied values (the new table shares the
// keys of the source, which keeps generating them). Collations, check
// constraints, indexes other than the primary key and privileges are not
// copied. The primary key is named newTable_pkey, shortened to 63 bytes.
// The rows of pk must be unique and non-null in from, or the INSERT fails.
func (d postgres) CreateTableAs(newTable schema.TableName, from *schema.Table, columns []string, pk []string) Change {
	cols, err := columnsOf(from, columns)
	if err != nil {
		return failed(err)
	}
	if err := checkPK(from, columns, pk); err != nil {
		return failed(err)
	}
	var c Change
	var defs []string
	for _, col := range cols {
		def := d.Ident(col.Name) + " " + col.Type
		if !col.Nullable {
			def += " NOT NULL"
		}
		if col.Default != nil && col.Generated == "" && col.Identity == "" {
			if usesSequence(*col.Default) {
				c.Notes = append(c.Notes, "column "+col.Name+": default "+*col.Default+" is not copied (it uses the source table's sequence)")
			} else {
				def += " DEFAULT " + *col.Default
			}
		}
		if col.Generated != "" || col.Identity != "" {
			c.Notes = append(c.Notes, "column "+col.Name+": copied as a plain column (it is generated or an identity in the source)")
		}
		defs = append(defs, def)
	}
	defs = append(defs, "CONSTRAINT "+d.Ident(d.ObjectName(newTable.Name, "pkey"))+" PRIMARY KEY ("+list(pk, d.Ident)+")")
	c.Up = append(c.Up,
		"CREATE TABLE "+d.Table(newTable)+" (\n  "+strings.Join(defs, ",\n  ")+"\n)",
		"INSERT INTO "+d.Table(newTable)+" ("+list(columns, d.Ident)+")\nSELECT "+list(columns, d.Ident)+" FROM "+d.Table(from.TableName()),
	)
	for _, col := range cols {
		if col.Comment != "" {
			c.Up = append(c.Up, "COMMENT ON COLUMN "+d.Table(newTable)+"."+d.Ident(col.Name)+" IS "+d.Literal(col.Comment))
		}
	}
	c.Down = []string{"DROP TABLE " + d.Table(newTable)}
	return c
}

// DropColumns drops the columns in one ALTER TABLE, without CASCADE: it
// fails if a view or a foreign key of another table depends on them. The
// indexes and unique constraints that use a dropped column (t.Indexes,
// t.Uniques) are dropped first, explicitly, and re-created at the end of
// Down, with their method, uniqueness and predicate (sort order, operator
// classes and INCLUDE columns are not in the snapshot and are not carried
// over). The check constraints that mention a dropped column (t.Checks) are
// dropped in the same statement, before the columns, and added back at the
// very end of Down, when the columns are refilled; foreign keys on the
// dropped columns must be dropped before (DropForeignKey), and the primary
// key cannot lose a column (Err).
//
// Down adds the columns back (at the end of the table: PostgreSQL cannot
// place them), nullable and without default, refills them with UPDATE ...
// FROM refillFrom joined on key, then sets their defaults and NOT NULL (which
// fails if a row found nothing to refill it), and restores their comments.
// Generated columns are re-added as generated and not refilled; identity
// columns get their identity back, restarted after the largest value.
// A default that calls nextval is not restored: a serial column's sequence
// is owned by the column and dropped with it.
func (d postgres) DropColumns(t *schema.Table, columns []string, refillFrom schema.TableName, key []string) Change {
	cols, err := columnsOf(t, columns)
	if err != nil {
		return failed(err)
	}
	if _, err := columnsOf(t, key); err != nil {
		return failed(err)
	}
	for _, k := range key {
		for _, c := range columns {
			if k == c {
				return failed(errorf("%s: key column %q is also dropped", t.TableName(), k))
			}
		}
	}
	dropped := make(map[string]bool, len(columns))
	for _, n := range columns {
		dropped[n] = true
	}
	indexes, err := affectedIndexes(t, dropped, true)
	if err != nil {
		return failed(err)
	}
	table := d.Table(t.TableName())
	var c Change
	var dropIndexes, drops, adds, refill, after, recreate []string
	var serials []string
	for _, ip := range indexes {
		ix := ip.index
		if ip.constraint {
			drops = append(drops, "DROP CONSTRAINT "+d.Ident(ix.Name))
			recreate = append(recreate, "ALTER TABLE "+table+" ADD CONSTRAINT "+d.Ident(ix.Name)+" UNIQUE ("+list(ix.Columns, d.Ident)+")")
			continue
		}
		dropIndexes = append(dropIndexes, "DROP INDEX "+d.Table(schema.TableName{Schema: t.Schema, Name: ix.Name}))
		create := "CREATE "
		if ix.Unique {
			create += "UNIQUE "
		}
		create += "INDEX " + d.Ident(ix.Name) + " ON " + table
		if ix.Method != "" {
			create += " USING " + d.Ident(ix.Method)
		}
		create += " (" + indexParts(d, t, ix.Columns) + ")"
		if ix.Predicate != "" {
			create += " WHERE " + ix.Predicate
		}
		recreate = append(recreate, create)
	}
	for _, ck := range affectedChecks(t, dropped) {
		drops = append(drops, "DROP CONSTRAINT "+d.Ident(ck.Name))
		recreate = append(recreate, "ALTER TABLE "+table+" ADD CONSTRAINT "+d.Ident(ck.Name)+" CHECK ("+ck.Expression+")")
	}
	for _, col := range cols {
		drops = append(drops, "DROP COLUMN "+d.Ident(col.Name))
	}
	// Re-add in table order, so that a generated column comes after the
	// columns it reads.
	for _, col := range t.Columns {
		if !dropped[col.Name] {
			continue
		}
		add := "ADD COLUMN " + d.Ident(col.Name) + " " + col.Type
		if col.Generated != "" {
			add += " GENERATED ALWAYS AS (" + col.Expression + ") " + strings.ToUpper(col.Generated)
			adds = append(adds, add)
			continue
		}
		adds = append(adds, add)
		refill = append(refill, d.Ident(col.Name)+" = src."+d.Ident(col.Name))
		if col.Default != nil && col.Identity == "" {
			if usesSequence(*col.Default) {
				c.Notes = append(c.Notes, "column "+col.Name+": default "+*col.Default+" is not restored (a serial column's sequence is dropped with it; set the default again by hand if the sequence still exists)")
			} else {
				after = append(after, "ALTER COLUMN "+d.Ident(col.Name)+" SET DEFAULT "+*col.Default)
			}
		}
		if !col.Nullable || col.Identity != "" {
			after = append(after, "ALTER COLUMN "+d.Ident(col.Name)+" SET NOT NULL")
		}
		if col.Identity != "" {
			after = append(after, "ALTER COLUMN "+d.Ident(col.Name)+" ADD GENERATED "+strings.ToUpper(col.Identity)+" AS IDENTITY")
			serials = append(serials, col.Name)
		}
	}
	c.Up = append(dropIndexes, "ALTER TABLE "+table+" "+strings.Join(drops, ", "))
	c.Down = []string{"ALTER TABLE " + table + " " + strings.Join(adds, ", ")}
	if len(refill) > 0 {
		var on []string
		for _, k := range key {
			on = append(on, "dst."+d.Ident(k)+" = src."+d.Ident(k))
		}
		c.Down = append(c.Down, "UPDATE "+table+" AS dst SET "+strings.Join(refill, ", ")+
			"\nFROM "+d.Table(refillFrom)+" AS src\nWHERE "+strings.Join(on, " AND "))
	}
	if len(after) > 0 {
		c.Down = append(c.Down, "ALTER TABLE "+table+" "+strings.Join(after, ", "))
	}
	for _, s := range serials {
		c.Down = append(c.Down, "SELECT setval(pg_get_serial_sequence("+d.Literal(table)+", "+d.Literal(s)+"), coalesce(max("+d.Ident(s)+"), 0) + 1, false) FROM "+table)
	}
	for _, col := range cols {
		if col.Comment != "" {
			c.Down = append(c.Down, "COMMENT ON COLUMN "+table+"."+d.Ident(col.Name)+" IS "+d.Literal(col.Comment))
		}
	}
	c.Down = append(c.Down, recreate...)
	return c
}

// usesSequence reports whether a PostgreSQL default expression calls nextval.
func usesSequence(expr string) bool {
	return strings.Contains(strings.ToLower(expr), "nextval(")
}
