package ddl

import (
	"slices"
	"strconv"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// apply replays one statement. Statements that change nothing seams reads
// (GRANT, OWNER TO, SET other than search_path, extensions, COPY, INSERT,
// policies, publications...) are passed over.
func (r *pgReader) apply(n *pg_query.Node) {
	switch s := n.GetNode().(type) {
	case *pg_query.Node_CreateSchemaStmt:
		r.createSchema(s.CreateSchemaStmt)
	case *pg_query.Node_VariableSetStmt:
		r.setVariable(s.VariableSetStmt)
	case *pg_query.Node_SelectStmt:
		r.selectSetConfig(s.SelectStmt)
	case *pg_query.Node_CreateStmt:
		r.createTable(s.CreateStmt)
	case *pg_query.Node_AlterTableStmt:
		r.alterTable(s.AlterTableStmt)
	case *pg_query.Node_IndexStmt:
		r.createIndex(s.IndexStmt)
	case *pg_query.Node_ViewStmt:
		r.createView(s.ViewStmt)
	case *pg_query.Node_CreateTableAsStmt:
		r.createTableAs(s.CreateTableAsStmt)
	case *pg_query.Node_CreateFunctionStmt:
		r.createFunction(s.CreateFunctionStmt)
	case *pg_query.Node_CreateTrigStmt:
		r.createTrigger(s.CreateTrigStmt)
	case *pg_query.Node_CommentStmt:
		r.comment(s.CommentStmt)
	case *pg_query.Node_CreateSeqStmt:
		if n, err := r.newName(s.CreateSeqStmt.GetSequence()); err == nil {
			r.addRel(n, relSequence)
		}
	case *pg_query.Node_CreateEnumStmt:
		r.addType(s.CreateEnumStmt.GetTypeName(), true)
	case *pg_query.Node_CreateDomainStmt:
		r.addType(s.CreateDomainStmt.GetDomainname(), false)
	case *pg_query.Node_CreateRangeStmt:
		r.addType(s.CreateRangeStmt.GetTypeName(), false)
	case *pg_query.Node_CompositeTypeStmt:
		if n, err := r.newName(s.CompositeTypeStmt.GetTypevar()); err == nil {
			r.types[n] = true
			r.addRel(n, relType)
		}
	case *pg_query.Node_DefineStmt:
		if s.DefineStmt.GetKind() == pg_query.ObjectType_OBJECT_TYPE {
			r.addType(s.DefineStmt.GetDefnames(), false)
		}
	case *pg_query.Node_CreateForeignTableStmt:
		if n, err := r.newName(s.CreateForeignTableStmt.GetBaseStmt().GetRelation()); err == nil {
			r.addRel(n, relForeign)
			r.types[n] = true
		}
	case *pg_query.Node_CreateExtensionStmt:
		sc := r.creationSchema()
		for _, o := range s.CreateExtensionStmt.GetOptions() {
			if d := o.GetDefElem(); d.GetDefname() == "schema" {
				sc = d.GetArg().GetString_().GetSval()
			}
		}
		if !r.extSeen {
			r.extSchema, r.extSeen = sc, true
		} else if r.extSchema != sc {
			r.extSchema = ""
		}
	case *pg_query.Node_DoStmt:
		r.doBlock(s.DoStmt)
	case *pg_query.Node_DropStmt:
		r.drop(s.DropStmt)
	case *pg_query.Node_RenameStmt:
		r.rename(s.RenameStmt)
	}
}

// doBlock applies the statements a DO block of PL/pgSQL runs on its main
// path (files wrap DDL in DO $$ BEGIN ... EXCEPTION ... END $$ to run
// twice without failing), each found in the file so that its locations and
// texts are the file's.
func (r *pgReader) doBlock(d *pg_query.DoStmt) {
	body, lang := "", "plpgsql"
	for _, a := range d.GetArgs() {
		switch e := a.GetDefElem(); e.GetDefname() {
		case "as":
			body = e.GetArg().GetString_().GetSval()
		case "language":
			lang = strings.ToLower(e.GetArg().GetString_().GetSval())
		}
	}
	if lang != "plpgsql" || body == "" {
		return
	}
	stmts, err := sqlrefs.PLpgSQLStatements(body)
	if err != nil {
		r.notAppliedAt(r.stmtOff, "DO block: %v", err)
		return
	}
	// The body in the file: the string after DO.
	i := r.tokenIndex(r.stmtOff)
	for ; i < len(r.toks) && r.toks[i].kind != tDollar && r.toks[i].kind != tString; i++ {
	}
	if i == len(r.toks) {
		return
	}
	from, to := int(r.toks[i].start), int(r.toks[i].end)
	savedBase, savedOff := r.base, r.stmtOff
	defer func() { r.base, r.stmtOff = savedBase, savedOff }()
	for _, st := range stmts {
		k := strings.Index(r.src[from:to], st)
		if k < 0 {
			r.notAppliedAt(savedOff, "DO block: statement %q not found as written in the file", excerpt(st))
			continue
		}
		off := from + k
		from = off + len(st)
		tree, err := pg_query.Parse(st)
		if err != nil {
			off, msg := parseErrorAt(err, off, st)
			r.unparsedAt(off, msg)
			continue
		}
		for _, raw := range tree.GetStmts() {
			r.base = off
			r.stmtOff = r.firstTokenAt(off + int(raw.GetStmtLocation()))
			r.apply(raw.GetStmt())
		}
	}
}

// createSchema applies CREATE SCHEMA and the objects created inside it.
func (r *pgReader) createSchema(c *pg_query.CreateSchemaStmt) {
	name := c.GetSchemaname()
	if name == "" && c.GetAuthrole() != nil {
		name = c.GetAuthrole().GetRolename()
	}
	if name == "" {
		return
	}
	if !r.schemaExists(name) {
		r.schemas = append(r.schemas, schema.Schema{Name: name})
	} else if !c.GetIfNotExists() {
		r.notAppliedAt(r.stmtOff, "CREATE SCHEMA: %s already exists", name)
		return
	}
	if len(c.GetSchemaElts()) > 0 {
		saved := r.path
		r.path = []string{name}
		for _, el := range c.GetSchemaElts() {
			r.apply(el)
		}
		r.path = saved
	}
}

// setVariable follows SET search_path.
func (r *pgReader) setVariable(v *pg_query.VariableSetStmt) {
	if !strings.EqualFold(v.GetName(), "search_path") {
		return
	}
	switch v.GetKind() {
	case pg_query.VariableSetKind_VAR_SET_VALUE:
		var path []string
		for _, a := range v.GetArgs() {
			if c := a.GetAConst(); c != nil && c.GetSval() != nil {
				path = append(path, c.GetSval().GetSval())
			}
		}
		r.setPath(path)
	case pg_query.VariableSetKind_VAR_SET_DEFAULT, pg_query.VariableSetKind_VAR_RESET, pg_query.VariableSetKind_VAR_RESET_ALL:
		r.setPath([]string{"$user", "public"})
	}
}

// selectSetConfig follows SELECT pg_catalog.set_config('search_path', ...),
// which pg_dump writes.
func (r *pgReader) selectSetConfig(s *pg_query.SelectStmt) {
	for _, t := range s.GetTargetList() {
		f := t.GetResTarget().GetVal().GetFuncCall()
		if f == nil || opName(f.GetFuncname()) != "set_config" || len(f.GetArgs()) < 2 {
			continue
		}
		name := f.GetArgs()[0].GetAConst().GetSval().GetSval()
		val := f.GetArgs()[1].GetAConst().GetSval()
		if strings.EqualFold(name, "search_path") && val != nil {
			r.setPath(postgres.SearchPath(val.GetSval()))
		}
	}
}

// setPath sets the search path, leaving out $user and pg_temp (no such
// schemas in a dump).
func (r *pgReader) setPath(path []string) {
	r.path = slices.DeleteFunc(path, func(s string) bool { return s == "$user" || s == "pg_temp" || s == "" })
}

// addType records a type the file creates (its name is a list).
func (r *pgReader) addType(names []*pg_query.Node, enum bool) {
	ns := stringList(names)
	if len(ns) == 0 {
		return
	}
	n := schema.TableName{Schema: r.creationSchema(), Name: ns[len(ns)-1]}
	if len(ns) > 1 {
		n.Schema = ns[len(ns)-2]
	}
	r.types[n] = true
	if enum {
		r.enums[n] = true
	}
}

// comment applies COMMENT ON SCHEMA, TABLE, VIEW, MATERIALIZED VIEW and
// COLUMN; other comments are not in the snapshot.
func (r *pgReader) comment(c *pg_query.CommentStmt) {
	switch c.GetObjtype() {
	case pg_query.ObjectType_OBJECT_SCHEMA:
		name := c.GetObject().GetString_().GetSval()
		for i := range r.schemas {
			if r.schemas[i].Name == name {
				r.schemas[i].Comment = c.GetComment()
			}
		}
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		n, _ := r.lookupList(stringList(c.GetObject().GetList().GetItems()))
		if t := r.tables[n]; t != nil {
			t.Comment = c.GetComment()
		} else if v := r.views[n]; v != nil {
			v.Comment = c.GetComment()
		}
	case pg_query.ObjectType_OBJECT_COLUMN:
		items := stringList(c.GetObject().GetList().GetItems())
		if len(items) < 2 {
			return
		}
		n, _ := r.lookupList(items[:len(items)-1])
		col := items[len(items)-1]
		if t := r.tables[n]; t != nil {
			if cc := t.Column(col); cc != nil {
				cc.Comment = c.GetComment()
			}
		}
	}
}

// lookupList resolves a [schema.]name list by the search path.
func (r *pgReader) lookupList(items []string) (schema.TableName, bool) {
	switch len(items) {
	case 0:
		return schema.TableName{}, false
	case 1:
		return r.lookupName(items[0])
	}
	n := schema.TableName{Schema: items[len(items)-2], Name: items[len(items)-1]}
	_, ok := r.rels[n]
	return n, ok
}

// drop applies DROP TABLE, VIEW, INDEX, SCHEMA and TRIGGER.
func (r *pgReader) drop(d *pg_query.DropStmt) {
	for _, o := range d.GetObjects() {
		var items []string
		if l := o.GetList(); l != nil {
			items = stringList(l.GetItems())
		} else if s := o.GetString_(); s != nil {
			items = []string{s.GetSval()}
		}
		switch d.GetRemoveType() {
		case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW,
			pg_query.ObjectType_OBJECT_FOREIGN_TABLE, pg_query.ObjectType_OBJECT_SEQUENCE:
			if n, ok := r.lookupList(items); ok {
				r.dropRelation(n)
			}
		case pg_query.ObjectType_OBJECT_INDEX:
			if n, ok := r.lookupList(items); ok {
				r.dropIndex(n)
			}
		case pg_query.ObjectType_OBJECT_SCHEMA:
			if len(items) == 1 {
				r.schemas = slices.DeleteFunc(r.schemas, func(s schema.Schema) bool { return s.Name == items[0] })
			}
		case pg_query.ObjectType_OBJECT_TRIGGER:
			if len(items) >= 2 {
				tn, _ := r.lookupList(items[:len(items)-1])
				name := items[len(items)-1]
				r.triggers = slices.DeleteFunc(r.triggers, func(t postgres.TriggerSource) bool { return t.Table == tn && t.Name == name })
			}
		}
	}
}

// dropRelation removes a table or view and what hangs on it.
func (r *pgReader) dropRelation(n schema.TableName) {
	delete(r.rels, n)
	delete(r.types, n)
	if t := r.tables[n]; t != nil {
		delete(r.tables, n)
		r.tableOrder = slices.DeleteFunc(r.tableOrder, func(x *pgTable) bool { return x == t })
		for _, ix := range t.Indexes {
			in := schema.TableName{Schema: n.Schema, Name: ix.Name}
			delete(r.rels, in)
			delete(r.indexes, in)
		}
		r.fks = slices.DeleteFunc(r.fks, func(p *pgFK) bool { return p.table == t })
	}
	if v := r.views[n]; v != nil {
		delete(r.views, n)
		r.viewOrder = slices.DeleteFunc(r.viewOrder, func(x *pgView) bool { return x == v })
	}
	r.triggers = slices.DeleteFunc(r.triggers, func(t postgres.TriggerSource) bool { return t.Table == n })
}

// dropIndex removes an index (and the constraint it backs).
func (r *pgReader) dropIndex(n schema.TableName) {
	tn, ok := r.indexes[n]
	if !ok {
		return
	}
	delete(r.indexes, n)
	delete(r.rels, n)
	if t := r.tables[tn]; t != nil {
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool { return ix.Name == n.Name })
		if t.PrimaryKey != nil && t.PrimaryKey.Name == n.Name {
			t.PrimaryKey = nil
		}
		t.Uniques = slices.DeleteFunc(t.Uniques, func(k schema.Key) bool { return k.Name == n.Name })
	}
}

// rename applies ALTER ... RENAME of tables, views, columns, constraints,
// indexes and schemas.
func (r *pgReader) rename(s *pg_query.RenameStmt) {
	switch s.GetRenameType() {
	case pg_query.ObjectType_OBJECT_TABLE, pg_query.ObjectType_OBJECT_VIEW, pg_query.ObjectType_OBJECT_MATVIEW:
		n, ok := r.lookup(s.GetRelation())
		if !ok {
			return
		}
		nn := schema.TableName{Schema: n.Schema, Name: s.GetNewname()}
		kind := r.rels[n]
		delete(r.rels, n)
		r.addRel(nn, kind)
		if t := r.tables[n]; t != nil {
			delete(r.tables, n)
			t.Name = nn.Name
			r.tables[nn] = t
		}
		if v := r.views[n]; v != nil {
			delete(r.views, n)
			v.Name = nn.Name
			r.views[nn] = v
		}
		r.renameReferences(n, nn)
	case pg_query.ObjectType_OBJECT_COLUMN:
		t := r.table(s.GetRelation(), "RENAME COLUMN")
		if t == nil {
			return
		}
		renameColumn(&t.Table, s.GetSubname(), s.GetNewname(), func(a, b string) bool { return a == b })
		rename := func(cols []string) {
			for i := range cols {
				if cols[i] == s.GetSubname() {
					cols[i] = s.GetNewname()
				}
			}
		}
		for _, o := range r.tables {
			for i := range o.ForeignKeys {
				if fk := &o.ForeignKeys[i]; fk.References == t.TableName() {
					rename(fk.RefColumns)
				}
			}
		}
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		t := r.table(s.GetRelation(), "RENAME CONSTRAINT")
		if t == nil {
			return
		}
		old, nw := s.GetSubname(), s.GetNewname()
		r.useConstraintName(t.Schema, nw)
		for i := range t.Checks {
			if t.Checks[i].Name == old {
				t.Checks[i].Name = nw
			}
		}
		for i := range t.ForeignKeys {
			if t.ForeignKeys[i].Name == old {
				t.ForeignKeys[i].Name = nw
				for _, p := range r.fks {
					if p.table == t && p.name == old {
						p.name = nw
					}
				}
			}
		}
		if t.PrimaryKey != nil && t.PrimaryKey.Name == old || slices.ContainsFunc(t.Uniques, func(k schema.Key) bool { return k.Name == old }) {
			r.renameIndex(schema.TableName{Schema: t.Schema, Name: old}, nw)
		}
	case pg_query.ObjectType_OBJECT_INDEX:
		if n, ok := r.lookup(s.GetRelation()); ok {
			r.renameIndex(n, s.GetNewname())
		}
	case pg_query.ObjectType_OBJECT_SCHEMA:
		for i := range r.schemas {
			if r.schemas[i].Name == s.GetSubname() {
				r.notAppliedAt(r.stmtOff, "ALTER SCHEMA %s RENAME: renaming a schema is not followed", s.GetSubname())
			}
		}
	}
}

// renameIndex renames an index and the key constraint it backs.
func (r *pgReader) renameIndex(n schema.TableName, newName string) {
	tn, ok := r.indexes[n]
	if !ok {
		return
	}
	nn := schema.TableName{Schema: n.Schema, Name: newName}
	delete(r.indexes, n)
	delete(r.rels, n)
	r.indexes[nn] = tn
	r.addRel(nn, relIndex)
	t := r.tables[tn]
	if t == nil {
		return
	}
	for i := range t.Indexes {
		if t.Indexes[i].Name == n.Name {
			t.Indexes[i].Name = newName
		}
	}
	if t.PrimaryKey != nil && t.PrimaryKey.Name == n.Name {
		t.PrimaryKey.Name = newName
		r.useConstraintName(t.Schema, newName)
	}
	for i := range t.Uniques {
		if t.Uniques[i].Name == n.Name {
			t.Uniques[i].Name = newName
			r.useConstraintName(t.Schema, newName)
		}
	}
}

// renameReferences follows a renamed table or view where the catalog
// refers to it by oid: partitions, foreign keys, views and triggers.
func (r *pgReader) renameReferences(old, nw schema.TableName) {
	for _, t := range r.tableOrder {
		if t.PartitionOf != nil && *t.PartitionOf == old {
			*t.PartitionOf = nw
		}
		for i := range t.ForeignKeys {
			if t.ForeignKeys[i].References == old {
				t.ForeignKeys[i].References = nw
			}
		}
	}
	for _, v := range r.viewOrder {
		for i := range v.Reads {
			if v.Reads[i] == old {
				v.Reads[i] = nw
			}
		}
	}
	for i := range r.triggers {
		if r.triggers[i].Table == old {
			r.triggers[i].Table = nw
		}
	}
}

// createView applies CREATE VIEW.
func (r *pgReader) createView(v *pg_query.ViewStmt) {
	r.addView(v.GetView(), v.GetQuery(), false, v.GetReplace())
}

// createTableAs applies CREATE MATERIALIZED VIEW; CREATE TABLE AS makes a
// table whose columns the file does not give.
func (r *pgReader) createTableAs(c *pg_query.CreateTableAsStmt) {
	into := c.GetInto()
	if c.GetObjtype() == pg_query.ObjectType_OBJECT_MATVIEW {
		r.addView(into.GetRel(), c.GetQuery(), true, false)
		return
	}
	r.notAppliedAt(r.stmtOff, "CREATE TABLE %s AS: the columns of a table made from a query are not known from the file", into.GetRel().GetRelname())
}

// addView adds a view or materialized view with the tables it reads,
// resolved by the search path.
func (r *pgReader) addView(rv *pg_query.RangeVar, query *pg_query.Node, materialized, replace bool) {
	n, err := r.newName(rv)
	if err != nil {
		r.notAppliedAt(r.stmtOff, "CREATE VIEW: %v", err)
		return
	}
	if r.views[n] != nil && replace {
		r.dropRelation(n)
	}
	if _, ok := r.rels[n]; ok {
		r.notAppliedAt(r.stmtOff, "CREATE VIEW: %s already exists", n)
		return
	}
	def := r.viewQueryText(query)
	v := &pgView{View: schema.View{Schema: n.Schema, Name: n.Name, Materialized: materialized, Definition: def, Reads: []schema.TableName{}, Location: r.loc(r.stmtOff)}}
	refs, perr := sqlrefs.Postgres(def)
	var notes []string
	if perr != nil {
		notes = append(notes, "definition not fully parsed: "+strings.Join(strings.Fields(perr.Error()), " "))
	}
	for _, t := range append(refs.Reads, refs.Writes...) {
		rn, found := r.resolveRead(t)
		if !found {
			notes = append(notes, "table "+strconv.Quote(t.String())+" not created before the view")
			continue
		}
		v.Reads = append(v.Reads, rn)
	}
	v.Unresolved = strings.Join(notes, "; ")
	kind := byte(relView)
	if materialized {
		kind = relMatView
	}
	r.addRel(n, kind)
	r.types[n] = true
	r.views[n] = v
	r.viewOrder = append(r.viewOrder, v)
}

// resolveRead resolves a table a query names by the search path; names of
// PostgreSQL's own catalogs resolve to pg_catalog.
func (r *pgReader) resolveRead(t schema.TableName) (schema.TableName, bool) {
	if t.Schema != "" {
		_, ok := r.rels[t]
		return t, ok || t.Schema == "pg_catalog" || t.Schema == "information_schema"
	}
	if n, ok := r.lookupName(t.Name); ok {
		return n, true
	}
	if strings.HasPrefix(t.Name, "pg_") {
		return schema.TableName{Schema: "pg_catalog", Name: t.Name}, true
	}
	return t, false
}

// viewQueryText cuts the query of the CREATE VIEW being applied out of the
// file: from the AS before it to the end of the statement, without WITH
// [CASCADED | LOCAL] CHECK OPTION or WITH [NO] DATA.
func (r *pgReader) viewQueryText(query *pg_query.Node) string {
	i := r.tokenIndex(int(r.abs(int32(minLocation(query)))))
	for i > 0 && !r.toks[i-1].is(r.src, "as") && !r.toks[i-1].punct(r.src, ';') {
		i--
	}
	if i == 0 || !r.toks[i-1].is(r.src, "as") {
		return deparseQuery(query)
	}
	end := i
	for end < len(r.toks) && !r.toks[end].punct(r.src, ';') {
		end++
	}
	last := end - 1
	// WITH ... CHECK OPTION, WITH [NO] DATA.
	if last-1 > i && r.toks[last].is(r.src, "option") && r.toks[last-1].is(r.src, "check") {
		last -= 2
		if r.toks[last].is(r.src, "cascaded") || r.toks[last].is(r.src, "local") {
			last--
		}
		if r.toks[last].is(r.src, "with") {
			last--
		}
	} else if last-1 > i && r.toks[last].is(r.src, "data") {
		last--
		if r.toks[last].is(r.src, "no") {
			last--
		}
		if r.toks[last].is(r.src, "with") {
			last--
		}
	}
	if last < i {
		return deparseQuery(query)
	}
	return strings.TrimSpace(r.src[r.toks[i].start:r.toks[last].end])
}

// deparseQuery prints a query with libpg_query's deparser.
func deparseQuery(q *pg_query.Node) string {
	out, err := pg_query.Deparse(&pg_query.ParseResult{Stmts: []*pg_query.RawStmt{{Stmt: q}}})
	if err != nil {
		return ""
	}
	return out
}

// createFunction records a function's language, body and SET search_path.
func (r *pgReader) createFunction(f *pg_query.CreateFunctionStmt) {
	names := stringList(f.GetFuncname())
	n := schema.TableName{Schema: r.creationSchema(), Name: names[len(names)-1]}
	if len(names) > 1 {
		n.Schema = names[len(names)-2]
	}
	fn := &pgFunc{name: n, language: "sql", procedure: f.GetIsProcedure()}
	if rt := f.GetReturnType(); rt != nil {
		fn.returns = r.resolveType(rt).base
	}
	var args []string
	for _, p := range f.GetParameters() {
		fp := p.GetFunctionParameter()
		switch fp.GetMode() {
		case pg_query.FunctionParameterMode_FUNC_PARAM_OUT, pg_query.FunctionParameterMode_FUNC_PARAM_TABLE:
			continue
		}
		t := r.resolveType(fp.GetArgType())
		fn.params = append(fn.params, t.base)
		args = append(args, t.bare)
	}
	fn.args = strings.Join(args, ", ")
	for _, o := range f.GetOptions() {
		d := o.GetDefElem()
		switch d.GetDefname() {
		case "language":
			fn.language = strings.ToLower(d.GetArg().GetString_().GetSval())
		case "as":
			if items := d.GetArg().GetList().GetItems(); len(items) > 0 {
				fn.body = items[0].GetString_().GetSval()
				fn.bodyKnown = true
			}
		case "set":
			v := d.GetArg().GetVariableSetStmt()
			if strings.EqualFold(v.GetName(), "search_path") && v.GetKind() == pg_query.VariableSetKind_VAR_SET_VALUE {
				var path []string
				for _, a := range v.GetArgs() {
					if s := a.GetAConst().GetSval(); s != nil {
						path = append(path, s.GetSval())
					}
				}
				fn.searchPath = slices.DeleteFunc(path, func(s string) bool { return s == "$user" || s == "pg_temp" || s == "" })
			}
		}
	}
	r.funcs[n] = fn
	key := routineKey{n, fn.args}
	if i, ok := r.routineAt[key]; ok {
		r.routines[i] = fn // CREATE OR REPLACE
	} else {
		r.routineAt[key] = len(r.routines)
		r.routines = append(r.routines, fn)
	}
}

// createTrigger records a trigger with its function's body.
func (r *pgReader) createTrigger(c *pg_query.CreateTrigStmt) {
	rv := c.GetRelation()
	tn, found := r.lookup(rv)
	if !found {
		r.notAppliedAt(r.stmtOff, "CREATE TRIGGER %s: table %s is not created before this statement", c.GetTrigname(), tn)
		return
	}
	timing, events, level := decodeTrigger(c)
	tr := postgres.TriggerSource{Trigger: schema.Trigger{
		Schema: tn.Schema, Name: c.GetTrigname(), Table: tn,
		Timing: timing, Events: events, Level: level, Location: r.loc(r.stmtOff),
	}}
	names := stringList(c.GetFuncname())
	fname := names[len(names)-1]
	fn := schema.TableName{Schema: "pg_catalog", Name: fname}
	var f *pgFunc
	if len(names) > 1 {
		fn.Schema = names[len(names)-2]
		f = r.funcs[fn]
	} else {
		for _, s := range r.path {
			if x := r.funcs[schema.TableName{Schema: s, Name: fname}]; x != nil {
				fn.Schema, f = s, x
				break
			}
		}
	}
	tr.Function = pgQuoteIdent(fn.Schema) + "." + pgQuoteIdent(fn.Name)
	switch {
	case f != nil:
		tr.Language, tr.Body, tr.BodyKnown, tr.SearchPath = f.language, f.body, f.bodyKnown, f.searchPath
	case fn.Schema == "pg_catalog":
		// A built-in trigger function (suppress_redundant_updates_trigger,
		// tsvector_update_trigger): internal, its source the C function.
		tr.Language, tr.Body, tr.BodyKnown = "internal", fn.Name, true
		if src, ok := builtinTriggerSources[fn.Name]; ok {
			tr.Body = src
		}
	default:
		tr.Language = "unknown: the function is not created in the file"
	}
	if c.GetReplace() {
		r.triggers = slices.DeleteFunc(r.triggers, func(t postgres.TriggerSource) bool { return t.Table == tn && t.Name == tr.Name })
	}
	r.triggers = append(r.triggers, tr)
}

// builtinTriggerSources are the built-in trigger functions whose C
// function (pg_proc.prosrc) is not their name; for the others it is.
var builtinTriggerSources = map[string]string{
	"tsvector_update_trigger":        "tsvector_update_trigger_byid",
	"tsvector_update_trigger_column": "tsvector_update_trigger_bycolumn",
}

// decodeTrigger spells a trigger's timing, events and level as the
// introspector does: CreateTrigStmt's timing and events are pg_trigger's
// tgtype bits, its row flag the first of them.
func decodeTrigger(c *pg_query.CreateTrigStmt) (timing string, events []string, level string) {
	tgtype := int(c.GetTiming() | c.GetEvents())
	if c.GetRow() {
		tgtype |= 1
	}
	return postgres.DecodeTgtype(tgtype)
}

// childNodes returns the nodes directly below n, however deep in its own
// message they sit.
func childNodes(n *pg_query.Node) []*pg_query.Node {
	var out []*pg_query.Node
	var walk func(m protoreflect.Message)
	walk = func(m protoreflect.Message) {
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			if fd.Kind() != protoreflect.MessageKind || fd.IsMap() {
				return true
			}
			visit := func(mm protoreflect.Message) {
				if node, ok := mm.Interface().(*pg_query.Node); ok {
					out = append(out, node)
				} else {
					walk(mm)
				}
			}
			if fd.IsList() {
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					visit(l.Get(i).Message())
				}
			} else {
				visit(v.Message())
			}
			return true
		})
	}
	// n itself is a Node holding one oneof message: walk that message.
	n.ProtoReflect().Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		if fd.Kind() == protoreflect.MessageKind {
			walk(v.Message())
		}
		return true
	})
	return out
}

// pgString makes a String node.
func pgString(s string) *pg_query.Node {
	return &pg_query.Node{Node: &pg_query.Node_String_{String_: &pg_query.String{Sval: s}}}
}

// pgLiteral quotes a string constant as ruleutils.c does (standard
// conforming strings: only quotes are doubled).
func pgLiteral(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
