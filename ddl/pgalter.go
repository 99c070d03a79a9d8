package ddl

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/schema"
)

// alterTable applies ALTER TABLE (and ALTER INDEX ... ATTACH PARTITION).
func (r *pgReader) alterTable(a *pg_query.AlterTableStmt) {
	if a.GetObjtype() == pg_query.ObjectType_OBJECT_INDEX {
		for _, c := range a.GetCmds() {
			cmd := c.GetAlterTableCmd()
			if cmd.GetSubtype() == pg_query.AlterTableType_AT_AttachPartition {
				r.attachIndex(cmd.GetDef().GetPartitionCmd().GetName())
			}
		}
		return
	}
	if a.GetObjtype() != pg_query.ObjectType_OBJECT_TABLE {
		return // ALTER SEQUENCE, VIEW... OWNER TO and the like
	}
	if a.GetRelation().GetSchemaname() == "" && r.temp[a.GetRelation().GetRelname()] {
		return
	}
	n, found := r.lookup(a.GetRelation())
	t := r.tables[n]
	if !found || t == nil {
		if !a.GetMissingOk() && r.changesSchema(a) {
			r.notAppliedAt(r.stmtOff, "ALTER TABLE: table %s is not created before this statement", n)
		}
		return
	}
	var cons []*pg_query.Constraint
	for _, c := range a.GetCmds() {
		cmd := c.GetAlterTableCmd()
		switch cmd.GetSubtype() {
		case pg_query.AlterTableType_AT_AddConstraint:
			if con := cmd.GetDef().GetConstraint(); con != nil {
				cons = append(cons, con)
			}
		case pg_query.AlterTableType_AT_AddColumn:
			if cd := cmd.GetDef().GetColumnDef(); cd != nil {
				if t.Column(cd.GetColname()) != nil {
					if !cmd.GetMissingOk() {
						r.notAppliedAt(r.stmtOff, "ADD COLUMN: %s.%s already exists", n, cd.GetColname())
					}
					continue
				}
				cs := r.columnDef(t, cd)
				r.addConstraints(t, cs, nil, false)
				r.addColumnToChildren(t, cd.GetColname(), a.GetRelation().GetInh())
			}
		case pg_query.AlterTableType_AT_ColumnDefault:
			col := t.Column(cmd.GetName())
			if col == nil {
				r.notAppliedAt(r.stmtOff, "ALTER COLUMN %s SET DEFAULT: %s has no such column", cmd.GetName(), n)
				continue
			}
			if cmd.GetDef() == nil {
				col.Default = nil
				continue
			}
			col.Default = r.defaultText(cmd.GetDef(), typeOf(col.Type), true)
		case pg_query.AlterTableType_AT_SetNotNull, pg_query.AlterTableType_AT_DropNotNull:
			if col := t.Column(cmd.GetName()); col != nil {
				col.Nullable = cmd.GetSubtype() == pg_query.AlterTableType_AT_DropNotNull
			}
		case pg_query.AlterTableType_AT_AddIdentity:
			if col := t.Column(cmd.GetName()); col != nil {
				con := cmd.GetDef().GetConstraint()
				col.Identity = identity(con.GetGeneratedWhen())
				col.Nullable = false
				r.identitySequence(t, col.Name, con.GetOptions())
			}
		case pg_query.AlterTableType_AT_DropIdentity:
			if col := t.Column(cmd.GetName()); col != nil {
				col.Identity = ""
			}
		case pg_query.AlterTableType_AT_AlterColumnType:
			if col := t.Column(cmd.GetName()); col != nil {
				if tn := cmd.GetDef().GetColumnDef().GetTypeName(); tn != nil {
					col.Type = r.resolveType(tn).format
				}
			}
		case pg_query.AlterTableType_AT_DropColumn:
			r.dropColumn(t, cmd.GetName())
		case pg_query.AlterTableType_AT_DropConstraint:
			r.dropConstraint(t, cmd.GetName())
		case pg_query.AlterTableType_AT_ValidateConstraint:
			for i := range t.ForeignKeys {
				if t.ForeignKeys[i].Name == cmd.GetName() {
					t.ForeignKeys[i].Valid = true
				}
			}
		case pg_query.AlterTableType_AT_AttachPartition:
			r.attachPartition(t, cmd.GetDef().GetPartitionCmd().GetName())
		case pg_query.AlterTableType_AT_DetachPartition:
			if p := r.table(cmd.GetDef().GetPartitionCmd().GetName(), "DETACH PARTITION"); p != nil {
				p.PartitionOf = nil
			}
		case pg_query.AlterTableType_AT_AddInherit:
			if p := r.table(cmd.GetDef().GetRangeVar(), "INHERIT"); p != nil {
				t.inherits = append(t.inherits, p.TableName())
			}
		}
	}
	if len(cons) > 0 {
		r.addConstraints(t, cons, nil, false)
	}
}

// changesSchema reports whether an ALTER TABLE does more than what seams
// passes over anyway (OWNER TO, ENABLE TRIGGER, SET options...), so that a
// missing table is worth a note.
func (r *pgReader) changesSchema(a *pg_query.AlterTableStmt) bool {
	for _, c := range a.GetCmds() {
		switch c.GetAlterTableCmd().GetSubtype() {
		case pg_query.AlterTableType_AT_AddConstraint, pg_query.AlterTableType_AT_AddColumn, pg_query.AlterTableType_AT_ColumnDefault,
			pg_query.AlterTableType_AT_AttachPartition, pg_query.AlterTableType_AT_AddIdentity, pg_query.AlterTableType_AT_AlterColumnType,
			pg_query.AlterTableType_AT_SetNotNull, pg_query.AlterTableType_AT_DropNotNull:
			return true
		}
	}
	return false
}

// addColumnToChildren gives a column added to a partitioned or inherited
// table (without ONLY) to its partitions and children, as PostgreSQL does.
func (r *pgReader) addColumnToChildren(t *pgTable, col string, inh bool) {
	c := t.Column(col)
	if c == nil {
		return
	}
	for _, o := range r.tableOrder {
		if o == t || o.Column(col) != nil {
			continue
		}
		child := o.PartitionOf != nil && *o.PartitionOf == t.TableName() || inh && slices.Contains(o.inherits, t.TableName())
		if child {
			cc := *c
			cc.Identity, cc.Comment = "", ""
			o.Columns = append(o.Columns, cc)
			r.addColumnToChildren(o, col, inh)
		}
	}
}

// attachPartition applies ATTACH PARTITION: the table becomes a partition,
// and the check constraints it shares with its parent become inherited
// ones, which the catalog does not show on the partition.
func (r *pgReader) attachPartition(parent *pgTable, rv *pg_query.RangeVar) {
	p := r.table(rv, "ATTACH PARTITION")
	if p == nil {
		return
	}
	pn := parent.TableName()
	p.PartitionOf = &pn
	// The checks it inherits come from every ancestor.
	inherited := map[string]bool{}
	for a := parent; a != nil; {
		for _, c := range a.Checks {
			inherited[c.Name] = true
		}
		if a.PartitionOf == nil {
			break
		}
		a = r.tables[*a.PartitionOf]
	}
	p.Checks = slices.DeleteFunc(p.Checks, func(c schema.Check) bool { return inherited[c.Name] })
	// The primary key, unique constraints and foreign keys a partition
	// gets from its parent are copies the catalog leaves out; a dump
	// declares them on the partition before attaching it only when they
	// are the partition's own, so they stay.
}

// attachIndex applies ALTER INDEX parent ATTACH PARTITION child: the
// child index (and the key constraint it backs) becomes a copy of the
// parent's, which the catalog leaves out.
func (r *pgReader) attachIndex(rv *pg_query.RangeVar) {
	n, ok := r.lookup(rv)
	if !ok {
		return
	}
	tn := r.indexes[n]
	t := r.tables[tn]
	if t == nil {
		return
	}
	delete(r.indexes, n)
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool { return ix.Name == n.Name })
	if t.PrimaryKey != nil && t.PrimaryKey.Name == n.Name {
		t.PrimaryKey = nil
	}
	t.Uniques = slices.DeleteFunc(t.Uniques, func(k schema.Key) bool { return k.Name == n.Name })
}

// dropColumn removes a column and the keys, indexes and checks on it.
func (r *pgReader) dropColumn(t *pgTable, name string) {
	t.Columns = slices.DeleteFunc(t.Columns, func(c schema.Column) bool { return c.Name == name })
	has := func(cols []string) bool { return slices.Contains(cols, name) }
	if t.PrimaryKey != nil && has(t.PrimaryKey.Columns) {
		t.PrimaryKey = nil
	}
	t.Uniques = slices.DeleteFunc(t.Uniques, func(k schema.Key) bool { return has(k.Columns) })
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool { return has(ix.Columns) })
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return has(fk.Columns) })
}

// dropConstraint removes a constraint by name.
func (r *pgReader) dropConstraint(t *pgTable, name string) {
	t.Checks = slices.DeleteFunc(t.Checks, func(c schema.Check) bool { return c.Name == name })
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == name })
	if t.PrimaryKey != nil && t.PrimaryKey.Name == name || slices.ContainsFunc(t.Uniques, func(k schema.Key) bool { return k.Name == name }) {
		r.dropIndex(schema.TableName{Schema: t.Schema, Name: name})
	}
	delete(r.conNames[t.Schema], name)
}

// abs turns a location of the statement's parse into a file offset.
func (r *pgReader) abs(loc int32) int32 {
	if loc < 0 {
		return loc
	}
	return int32(r.base) + loc
}

// parenAfter returns the text inside the parentheses that follow the
// keyword kw at or after the location loc (a CHECK or GENERATED ... AS
// constraint), or the deparsed expr when the file does not show them.
func (r *pgReader) parenAfter(loc int32, kw string, expr *pg_query.Node) string {
	if loc >= 0 {
		i := r.tokenIndex(int(r.abs(loc)))
		for ; i < len(r.toks) && !r.toks[i].is(r.src, kw); i++ {
			if r.toks[i].punct(r.src, ';') {
				i = len(r.toks)
			}
		}
		for ; i < len(r.toks) && !r.toks[i].punct(r.src, '('); i++ {
		}
		depth := 0
		for j := i; j < len(r.toks); j++ {
			switch {
			case r.toks[j].punct(r.src, '('):
				depth++
			case r.toks[j].punct(r.src, ')'):
				depth--
				if depth == 0 && j > i+1 {
					return r.src[r.toks[i+1].start:r.toks[j-1].end]
				}
			}
		}
	}
	return deparseExpr(expr)
}

// defaultStops are the words that end a column's DEFAULT expression in
// CREATE TABLE (the next column constraint).
var defaultStops = map[string]bool{
	"not": true, "null": true, "constraint": true, "check": true, "unique": true, "primary": true,
	"references": true, "generated": true, "default": true, "collate": true, "deferrable": true, "initially": true,
}

// exprAfterDefault cuts the text of a DEFAULT expression out of the file:
// from the DEFAULT before it to the comma, the closing parenthesis or, in
// a column definition, the next constraint.
func (r *pgReader) exprAfterDefault(expr *pg_query.Node, inColumn bool) string {
	loc := minLocation(expr)
	if loc < 0 {
		return ""
	}
	i := r.tokenIndex(int(r.abs(int32(loc))))
	for i > 0 && !r.toks[i-1].is(r.src, "default") {
		i--
		if r.toks[i].punct(r.src, ';') {
			return ""
		}
	}
	if i == 0 {
		return ""
	}
	depth, end := 0, i
	for j := i; j < len(r.toks); j++ {
		t := r.toks[j]
		switch {
		case t.punct(r.src, '(') || t.punct(r.src, '['):
			depth++
		case t.punct(r.src, ')') || t.punct(r.src, ']'):
			if depth == 0 {
				goto done
			}
			depth--
		case depth == 0 && (t.punct(r.src, ',') || t.punct(r.src, ';')):
			goto done
		case depth == 0 && inColumn && j > i && t.kind == tWord && defaultStops[strings.ToLower(t.text(r.src))]:
			goto done
		}
		end = j
	}
done:
	return r.src[r.toks[i].start:r.toks[end].end]
}
