package ddl

import (
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
)

// pgFK is a foreign key whose referenced table did not exist when it was
// declared (a hand-written file may create it later): it is resolved once
// the whole file is read, by the search path of its declaration.
type pgFK struct {
	table   *pgTable
	name    string
	ref     *pg_query.RangeVar
	path    []string
	pending bool // RefColumns come from the referenced table's primary key
}

// createTable applies CREATE TABLE.
func (r *pgReader) createTable(c *pg_query.CreateStmt) {
	rv := c.GetRelation()
	if rv.GetRelpersistence() == "t" {
		r.temp[rv.GetRelname()] = true
		return
	}
	if c.GetOfTypename() != nil {
		r.notAppliedAt(r.stmtOff, "CREATE TABLE %s OF a type: typed tables are not read", rv.GetRelname())
		return
	}
	n, err := r.newName(rv)
	if err != nil {
		r.notAppliedAt(r.stmtOff, "CREATE TABLE: %v", err)
		return
	}
	if _, ok := r.rels[n]; ok {
		if !c.GetIfNotExists() {
			r.notAppliedAt(r.stmtOff, "CREATE TABLE: %s already exists", n)
		}
		return
	}
	t := &pgTable{Table: schema.Table{Schema: n.Schema, Name: n.Name, Kind: schema.KindTable, Columns: []schema.Column{}, Location: r.loc(r.stmtOff)}}
	kind := byte(relTable)
	if c.GetPartspec() != nil {
		t.Kind, kind = schema.KindPartitioned, relPartitioned
	}
	// Parents first: their columns come before the table's own.
	if c.GetPartbound() != nil && len(c.GetInhRelations()) == 1 {
		parent := r.table(c.GetInhRelations()[0].GetRangeVar(), "CREATE TABLE "+n.String()+" PARTITION OF")
		if parent == nil {
			return
		}
		pn := parent.TableName()
		t.PartitionOf = &pn
		for _, col := range parent.Columns {
			col.Identity = "" // PostgreSQL 15 does not give partitions the identity
			col.Comment = ""
			t.Columns = append(t.Columns, col)
		}
	} else {
		for _, in := range c.GetInhRelations() {
			parent := r.table(in.GetRangeVar(), "CREATE TABLE "+n.String()+" INHERITS")
			if parent == nil {
				continue
			}
			t.inherits = append(t.inherits, parent.TableName())
			for _, col := range parent.Columns {
				if t.Column(col.Name) == nil {
					col.Identity, col.Comment = "", ""
					t.Columns = append(t.Columns, col)
				}
			}
		}
	}
	r.tables[n] = t
	r.tableOrder = append(r.tableOrder, t)
	r.addRel(n, kind)
	r.types[n] = true

	var cons []*pg_query.Constraint
	var conCols []string // the column of a column constraint, "" for a table constraint
	for _, el := range c.GetTableElts() {
		switch e := el.GetNode().(type) {
		case *pg_query.Node_ColumnDef:
			cs := r.columnDef(t, e.ColumnDef)
			cons = append(cons, cs...)
			for range cs {
				conCols = append(conCols, e.ColumnDef.GetColname())
			}
		case *pg_query.Node_Constraint:
			cons = append(cons, e.Constraint)
			conCols = append(conCols, "")
		case *pg_query.Node_TableLikeClause:
			r.likeTable(t, e.TableLikeClause)
		}
	}
	r.addConstraints(t, cons, conCols, true)
}

// columnDef adds a column (or, in a partition, changes an inherited one)
// and returns its key, check and reference constraints, with the column as
// their key, for addConstraints.
func (r *pgReader) columnDef(t *pgTable, cd *pg_query.ColumnDef) []*pg_query.Constraint {
	name := cd.GetColname()
	col := t.Column(name)
	var typ pgType
	if cd.GetTypeName() != nil {
		typ = r.resolveType(cd.GetTypeName())
		if col == nil {
			t.Columns = append(t.Columns, schema.Column{Name: name, Nullable: true})
			col = &t.Columns[len(t.Columns)-1]
		}
		col.Type = typ.format
	} else if col == nil {
		r.notAppliedAt(r.stmtOff, "column %s of %s has no type", name, t.TableName())
		return nil
	} else {
		typ = typeOf(col.Type)
	}
	if typ.serial {
		seq := r.chooseRelationName(t.Schema, t.Name, name, "seq", false)
		r.addRel(schema.TableName{Schema: t.Schema, Name: seq}, relSequence)
		def := "nextval(" + pgLiteral(pgQuoteIdent(t.Schema)+"."+pgQuoteIdent(seq)) + "::regclass)"
		col.Default = &def
		col.Nullable = false
	}
	var out []*pg_query.Constraint
	for _, cn := range cd.GetConstraints() {
		c := cn.GetConstraint()
		if c == nil {
			continue
		}
		switch c.GetContype() {
		case pg_query.ConstrType_CONSTR_NOTNULL:
			col.Nullable = false
		case pg_query.ConstrType_CONSTR_NULL:
			col.Nullable = true
		case pg_query.ConstrType_CONSTR_DEFAULT:
			col.Default = r.defaultText(c.GetRawExpr(), typ, false)
		case pg_query.ConstrType_CONSTR_IDENTITY:
			col.Identity = identity(c.GetGeneratedWhen())
			col.Nullable = false
			r.identitySequence(t, name, c.GetOptions())
		case pg_query.ConstrType_CONSTR_GENERATED:
			col.Generated = "stored"
			col.Expression = r.pretty(r.parenAfter(c.GetLocation(), "generated", c.GetRawExpr()), strings.Contains(col.Type, "("))
			col.Default = nil
		default:
			c.Keys = []*pg_query.Node{pgString(name)}
			if c.GetContype() == pg_query.ConstrType_CONSTR_FOREIGN {
				c.FkAttrs = []*pg_query.Node{pgString(name)}
			}
			out = append(out, c)
		}
	}
	return out
}

// identity spells ColumnDef's generated_when.
func identity(when string) string {
	if when == "a" {
		return "always"
	}
	return "by default"
}

// identitySequence records the sequence of an identity column in the
// relation namespace: SEQUENCE NAME, else table_column_seq.
func (r *pgReader) identitySequence(t *pgTable, col string, opts []*pg_query.Node) {
	for _, o := range opts {
		if d := o.GetDefElem(); d != nil && d.GetDefname() == "sequence_name" {
			names := stringList(d.GetArg().GetList().GetItems())
			n := schema.TableName{Schema: t.Schema, Name: names[len(names)-1]}
			if len(names) > 1 {
				n.Schema = names[len(names)-2]
			}
			r.addRel(n, relSequence)
			return
		}
	}
	seq := r.chooseRelationName(t.Schema, t.Name, col, "seq", false)
	r.addRel(schema.TableName{Schema: t.Schema, Name: seq}, relSequence)
}

// bareType strips the modifier of a format_type spelling, for the cast of
// a constant: character varying(20) is character varying, character(3) is
// bpchar.
func bareType(format string) string {
	array := strings.HasSuffix(format, "[]")
	f := strings.TrimSuffix(format, "[]")
	if i := strings.IndexByte(f, '('); i >= 0 {
		j := strings.IndexByte(f[i:], ')')
		if j >= 0 {
			f = strings.TrimSpace(f[:i] + f[i+j+1:])
		}
	}
	if f == "character" {
		f = "bpchar"
	}
	if array {
		f += "[]"
	}
	return f
}

// likeTable copies the columns of LIKE other: names, types and NOT NULL,
// and defaults, generated expressions, identities, check constraints and
// comments when INCLUDING says so (src/include/nodes/parsenodes.h
// TableLikeOption). Copied indexes are not read.
func (r *pgReader) likeTable(t *pgTable, like *pg_query.TableLikeClause) {
	src := r.table(like.GetRelation(), "LIKE")
	if src == nil {
		return
	}
	const (
		likeComments    = 1 << 0
		likeConstraints = 1 << 2
		likeDefaults    = 1 << 3
		likeGenerated   = 1 << 4
		likeIdentity    = 1 << 5
		likeIndexes     = 1 << 6
	)
	opts := like.GetOptions()
	for _, col := range src.Columns {
		if t.Column(col.Name) != nil {
			continue
		}
		if opts&likeComments == 0 {
			col.Comment = ""
		}
		if opts&likeDefaults == 0 || col.Default != nil && strings.HasPrefix(*col.Default, "nextval(") {
			col.Default = nil
		}
		if opts&likeGenerated == 0 {
			col.Generated, col.Expression = "", ""
		}
		if opts&likeIdentity == 0 {
			col.Identity = ""
		}
		t.Columns = append(t.Columns, col)
	}
	if opts&likeConstraints != 0 {
		for _, c := range src.Checks {
			r.useConstraintName(t.Schema, c.Name)
			t.Checks = append(t.Checks, c)
		}
	}
	if opts&likeIndexes != 0 {
		r.notAppliedAt(r.stmtOff, "LIKE %s INCLUDING INDEXES: the copied indexes are not read", src.TableName())
	}
}

// addConstraints applies the constraints of CREATE TABLE (create) or of an
// ALTER TABLE ... ADD, in the order PostgreSQL names them: checks, then
// the primary key, then unique and exclusion constraints (a duplicate of
// an earlier one merged into it), then foreign keys. cols names the
// column of each column constraint.
func (r *pgReader) addConstraints(t *pgTable, cons []*pg_query.Constraint, cols []string, create bool) {
	// Constraint attributes (DEFERRABLE, INITIALLY DEFERRED) written after
	// a column constraint apply to it.
	var kept []*pg_query.Constraint
	for _, c := range cons {
		switch c.GetContype() {
		case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE, pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
			pg_query.ConstrType_CONSTR_ATTR_DEFERRED, pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
			if len(kept) > 0 {
				prev := kept[len(kept)-1]
				switch c.GetContype() {
				case pg_query.ConstrType_CONSTR_ATTR_DEFERRABLE:
					prev.Deferrable = true
				case pg_query.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE:
					prev.Deferrable = false
				case pg_query.ConstrType_CONSTR_ATTR_DEFERRED:
					prev.Initdeferred, prev.Deferrable = true, true
				case pg_query.ConstrType_CONSTR_ATTR_IMMEDIATE:
					prev.Initdeferred = false
				}
			}
			continue
		}
		kept = append(kept, c)
	}
	for _, c := range kept {
		if c.GetContype() == pg_query.ConstrType_CONSTR_CHECK {
			r.addCheck(t, c)
		}
	}
	var keys []*pg_query.Constraint
	for _, c := range kept {
		if c.GetContype() == pg_query.ConstrType_CONSTR_PRIMARY {
			keys = append(keys, c)
		}
	}
	for _, c := range kept {
		switch c.GetContype() {
		case pg_query.ConstrType_CONSTR_UNIQUE, pg_query.ConstrType_CONSTR_EXCLUSION:
			dup := false
			for _, k := range keys {
				if slices.Equal(stringList(k.GetKeys()), stringList(c.GetKeys())) && c.GetContype() == pg_query.ConstrType_CONSTR_UNIQUE &&
					len(c.GetIncluding()) == 0 && len(k.GetIncluding()) == 0 && k.GetAccessMethod() == c.GetAccessMethod() {
					if k.GetConname() == "" && c.GetConname() != "" && k.GetContype() != pg_query.ConstrType_CONSTR_PRIMARY {
						k.Conname = c.GetConname()
					}
					dup = create
					break
				}
			}
			if !dup {
				keys = append(keys, c)
			}
		}
	}
	for _, c := range keys {
		r.addKey(t, c)
	}
	for _, c := range kept {
		if c.GetContype() == pg_query.ConstrType_CONSTR_FOREIGN {
			r.addForeignKey(t, c, create)
		}
	}
}

// addCheck adds a check constraint, named as PostgreSQL names it:
// table_column_check when it mentions one column, else table_check.
func (r *pgReader) addCheck(t *pgTable, c *pg_query.Constraint) {
	name := c.GetConname()
	if name == "" {
		cols := columnRefs(c.GetRawExpr())
		col := ""
		if len(cols) == 1 {
			col = cols[0]
		}
		name = r.chooseConstraintName(t.Schema, t.Name, col, "check")
	}
	r.useConstraintName(t.Schema, name)
	text := pgAnalyze(r.parenAfter(c.GetLocation(), "check", c.GetRawExpr()), t.columnTypes(), r.funcParams, r.isEnum)
	t.Checks = append(t.Checks, schema.Check{Name: name, Expression: r.pretty(text, false)})
}

// addKey adds a primary key, unique or exclusion constraint and the index
// behind it.
func (r *pgReader) addKey(t *pgTable, c *pg_query.Constraint) {
	primary := c.GetContype() == pg_query.ConstrType_CONSTR_PRIMARY
	var cols []string
	if c.GetContype() == pg_query.ConstrType_CONSTR_EXCLUSION {
		for _, ex := range c.GetExclusions() {
			items := ex.GetList().GetItems()
			if len(items) == 0 {
				continue
			}
			if ie := items[0].GetIndexElem(); ie != nil {
				if ie.GetName() != "" {
					cols = append(cols, ie.GetName())
				} else {
					cols = append(cols, r.pretty(deparseExpr(ie.GetExpr()), false))
				}
			}
		}
	} else {
		cols = stringList(c.GetKeys())
	}
	if c.GetIndexname() != "" {
		// ADD CONSTRAINT ... USING INDEX: the index becomes the
		// constraint's, under the constraint's name.
		r.useIndexForConstraint(t, c, primary)
		return
	}
	name := c.GetConname()
	if name == "" {
		label := "key"
		switch {
		case primary:
			label = "pkey"
		case c.GetContype() == pg_query.ConstrType_CONSTR_EXCLUSION:
			label = "excl"
		}
		names := cols
		if primary {
			names = nil
		} else {
			names = append(slices.Clone(cols), stringList(c.GetIncluding())...)
		}
		name = r.chooseRelationName(t.Schema, t.Name, indexNameAddition(names), label, true)
	}
	r.useConstraintName(t.Schema, name)
	r.addRel(schema.TableName{Schema: t.Schema, Name: name}, relIndex)
	r.indexes[schema.TableName{Schema: t.Schema, Name: name}] = t.TableName()
	method := c.GetAccessMethod()
	if method == "" {
		method = "btree"
	}
	ix := schema.Index{Name: name, Columns: cols, Unique: c.GetContype() != pg_query.ConstrType_CONSTR_EXCLUSION, Primary: primary, Method: method}
	if c.GetWhereClause() != nil {
		ix.Predicate = r.pretty(deparseExpr(c.GetWhereClause()), false)
	}
	t.Indexes = append(t.Indexes, ix)
	switch c.GetContype() {
	case pg_query.ConstrType_CONSTR_PRIMARY:
		t.PrimaryKey = &schema.Key{Name: name, Columns: slices.Clone(cols)}
		for _, col := range cols {
			if cc := t.Column(col); cc != nil {
				cc.Nullable = false
			}
		}
	case pg_query.ConstrType_CONSTR_UNIQUE:
		t.Uniques = append(t.Uniques, schema.Key{Name: name, Columns: slices.Clone(cols)})
	}
}

// useIndexForConstraint applies ADD CONSTRAINT name PRIMARY KEY / UNIQUE
// USING INDEX idx: the index is renamed to the constraint.
func (r *pgReader) useIndexForConstraint(t *pgTable, c *pg_query.Constraint, primary bool) {
	old := schema.TableName{Schema: t.Schema, Name: c.GetIndexname()}
	i := slices.IndexFunc(t.Indexes, func(ix schema.Index) bool { return ix.Name == old.Name })
	if i < 0 {
		r.notAppliedAt(r.stmtOff, "USING INDEX %s: no such index on %s", old.Name, t.TableName())
		return
	}
	name := c.GetConname()
	if name == "" {
		name = old.Name
	}
	ix := &t.Indexes[i]
	delete(r.rels, old)
	delete(r.indexes, old)
	ix.Name, ix.Primary, ix.Unique = name, primary, true
	r.addRel(schema.TableName{Schema: t.Schema, Name: name}, relIndex)
	r.indexes[schema.TableName{Schema: t.Schema, Name: name}] = t.TableName()
	r.useConstraintName(t.Schema, name)
	if primary {
		t.PrimaryKey = &schema.Key{Name: name, Columns: slices.Clone(ix.Columns)}
		for _, col := range ix.Columns {
			if cc := t.Column(col); cc != nil {
				cc.Nullable = false
			}
		}
	} else {
		t.Uniques = append(t.Uniques, schema.Key{Name: name, Columns: slices.Clone(ix.Columns)})
	}
}

// addForeignKey adds a foreign key; its referenced table is resolved in
// finishForeignKeys.
func (r *pgReader) addForeignKey(t *pgTable, c *pg_query.Constraint, create bool) {
	cols := stringList(c.GetFkAttrs())
	name := c.GetConname()
	if name == "" {
		name = r.chooseConstraintName(t.Schema, t.Name, indexNameAddition(cols), "fkey")
	}
	r.useConstraintName(t.Schema, name)
	fk := schema.ForeignKey{
		Name:              name,
		Columns:           cols,
		RefColumns:        stringList(c.GetPkAttrs()),
		OnDelete:          postgres.Action(c.GetFkDelAction()),
		OnUpdate:          postgres.Action(c.GetFkUpdAction()),
		Deferrable:        c.GetDeferrable(),
		InitiallyDeferred: c.GetInitdeferred(),
		Enforced:          true,
		Valid:             create || !c.GetSkipValidation(),
		Location:          r.nodeLoc(r.abs(c.GetLocation())),
	}
	ref, found := r.lookup(c.GetPktable())
	fk.References = ref
	if target := r.tables[ref]; found && target != nil {
		if len(fk.RefColumns) == 0 && target.PrimaryKey != nil {
			fk.RefColumns = slices.Clone(target.PrimaryKey.Columns)
		}
	} else {
		r.fks = append(r.fks, &pgFK{table: t, name: name, ref: c.GetPktable(), path: slices.Clone(r.path), pending: len(fk.RefColumns) == 0})
	}
	t.ForeignKeys = append(t.ForeignKeys, fk)
}

// finishForeignKeys resolves the referenced tables by the search path each
// key was declared under, and takes the referenced columns of keys that
// name none from the referenced table's primary key.
func (r *pgReader) finishForeignKeys() {
	for _, p := range r.fks {
		saved := r.path
		r.path = p.path
		ref, found := r.lookup(p.ref)
		r.path = saved
		i := slices.IndexFunc(p.table.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == p.name })
		if i < 0 {
			continue // dropped since
		}
		fk := &p.table.ForeignKeys[i]
		fk.References = ref
		target := r.tables[ref]
		if !found || target == nil {
			line := 0
			if fk.Location != nil {
				line = fk.Location.Line
			}
			r.notApplied = append(r.notApplied, Problem{Line: line, Col: 1, Msg: "foreign key " + p.name + " of " + p.table.TableName().String() + " references " + ref.String() + ", which the file does not create"})
			continue
		}
		if p.pending {
			if target.PrimaryKey != nil {
				fk.RefColumns = slices.Clone(target.PrimaryKey.Columns)
			}
		}
	}
}

// createIndex applies CREATE INDEX.
func (r *pgReader) createIndex(ix *pg_query.IndexStmt) {
	if n, ok := r.lookup(ix.GetRelation()); ok && r.rels[n] == relMatView {
		return // the snapshot keeps the indexes of tables only
	}
	t := r.table(ix.GetRelation(), "CREATE INDEX")
	if t == nil {
		return
	}
	elems, pred := r.indexTexts()
	var cols, names []string
	for i, p := range ix.GetIndexParams() {
		ie := p.GetIndexElem()
		if ie == nil {
			continue
		}
		if ie.GetName() != "" {
			cols = append(cols, ie.GetName())
			names = append(names, ie.GetName())
			continue
		}
		text := ""
		if i < len(elems) {
			text = elems[i]
		}
		cols = append(cols, r.indexExpr(text, ie.GetExpr(), t))
		names = append(names, "expr")
	}
	for _, p := range ix.GetIndexIncludingParams() {
		if ie := p.GetIndexElem(); ie != nil {
			names = append(names, ie.GetName())
		}
	}
	name := ix.GetIdxname()
	if name == "" {
		name = r.chooseRelationName(t.Schema, t.Name, indexNameAddition(uniqueColNames(names)), "idx", false)
	}
	n := schema.TableName{Schema: t.Schema, Name: name}
	if _, ok := r.rels[n]; ok {
		if !ix.GetIfNotExists() {
			r.notAppliedAt(r.stmtOff, "CREATE INDEX: %s already exists", n)
		}
		return
	}
	r.addRel(n, relIndex)
	r.indexes[n] = t.TableName()
	out := schema.Index{Name: name, Columns: cols, Unique: ix.GetUnique(), Method: ix.GetAccessMethod()}
	if out.Method == "" {
		out.Method = "btree"
	}
	if ix.GetWhereClause() != nil {
		if pred == "" {
			pred = deparseExpr(ix.GetWhereClause())
		}
		out.Predicate = r.pretty(pgAnalyze(pred, t.columnTypes(), r.funcParams, r.isEnum), false)
	}
	t.Indexes = append(t.Indexes, out)
}

// uniqueColNames makes index column names unique as ChooseIndexColumnNames
// does: expr, expr1, expr2...
func uniqueColNames(names []string) []string {
	out := make([]string, 0, len(names))
	seen := map[string]bool{}
	for _, n := range names {
		cur := n
		for i := 1; seen[cur]; i++ {
			cur = n + itoa(i)
		}
		seen[cur] = true
		out = append(out, cur)
	}
	return out
}

// indexExpr spells an expression column of an index as
// pg_get_indexdef(index, column, true) does: pretty, and in parentheses
// unless it is a function call.
func (r *pgReader) indexExpr(text string, expr *pg_query.Node, t *pgTable) string {
	if text == "" {
		text = deparseExpr(expr)
	}
	text = strings.TrimSpace(text)
	// An element is "(expr)" or "func(...)": drop the element's own
	// parentheses before making the expression pretty.
	if strings.HasPrefix(text, "(") && enclosed(text) {
		text = text[1 : len(text)-1]
	}
	p := r.pretty(pgAnalyze(text, t.columnTypes(), r.funcParams, r.isEnum), false)
	switch expr.GetNode().(type) {
	case *pg_query.Node_FuncCall, *pg_query.Node_CoalesceExpr, *pg_query.Node_MinMaxExpr, *pg_query.Node_SqlvalueFunction, *pg_query.Node_XmlExpr:
		if f := expr.GetFuncCall(); f == nil || f.GetFuncformat() != pg_query.CoercionForm_COERCE_SQL_SYNTAX {
			return p
		}
	}
	return "(" + p + ")"
}

// enclosed reports whether the parenthesis opening s closes at its end.
func enclosed(s string) bool {
	toks := pgTokens(s)
	depth := 0
	for i, t := range toks {
		switch {
		case t.punct(s, '('):
			depth++
		case t.punct(s, ')'):
			depth--
			if depth == 0 {
				return i == len(toks)-1
			}
		}
	}
	return false
}

// indexTexts cuts the element list and the WHERE clause of the CREATE
// INDEX being applied out of the file: the text of each element and of the
// predicate.
func (r *pgReader) indexTexts() (elems []string, pred string) {
	i := r.tokenIndex(r.stmtOff)
	// The element list is the first parenthesis after ON.
	for ; i < len(r.toks) && !r.toks[i].is(r.src, "on"); i++ {
	}
	for ; i < len(r.toks) && !r.toks[i].punct(r.src, '('); i++ {
		if r.toks[i].punct(r.src, ';') {
			return nil, ""
		}
	}
	depth, start := 0, i+1
	for ; i < len(r.toks); i++ {
		t := r.toks[i]
		switch {
		case t.punct(r.src, '(') || t.punct(r.src, '['):
			depth++
		case t.punct(r.src, ')') || t.punct(r.src, ']'):
			depth--
			if depth == 0 {
				elems = append(elems, r.src[r.toks[start].start:r.toks[i-1].end])
				goto where
			}
		case depth == 1 && t.punct(r.src, ','):
			elems = append(elems, r.src[r.toks[start].start:r.toks[i-1].end])
			start = i + 1
		case t.punct(r.src, ';'):
			return elems, ""
		}
	}
	return elems, ""
where:
	depth = 0
	for i++; i < len(r.toks); i++ {
		t := r.toks[i]
		switch {
		case t.punct(r.src, '('):
			depth++
		case t.punct(r.src, ')'):
			depth--
		case t.punct(r.src, ';'):
			return elems, ""
		case depth == 0 && t.is(r.src, "where"):
			end := i + 1
			for end < len(r.toks) && !r.toks[end].punct(r.src, ';') {
				end++
			}
			if end > i+1 {
				pred = r.src[r.toks[i+1].start:r.toks[end-1].end]
			}
			return elems, pred
		}
	}
	return elems, ""
}

// columnRefs returns the distinct column names an expression refers to.
func columnRefs(n *pg_query.Node) []string {
	var out []string
	var walk func(m *pg_query.Node)
	seen := map[string]bool{}
	walk = func(m *pg_query.Node) {
		if m == nil {
			return
		}
		if cr := m.GetColumnRef(); cr != nil {
			f := cr.GetFields()
			if len(f) > 0 {
				if s := f[len(f)-1].GetString_(); s != nil && !seen[s.GetSval()] {
					seen[s.GetSval()] = true
					out = append(out, s.GetSval())
				}
			}
			return
		}
		for _, c := range childNodes(m) {
			walk(c)
		}
	}
	walk(n)
	return out
}
