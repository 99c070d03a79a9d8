package ddl

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/seamsdev/seams/introspect/mysql"
	"github.com/seamsdev/seams/schema"
	"vitess.io/vitess/go/vt/sqlparser"
)

// myParser is Vitess's parser, set to accept MySQL 8.4 syntax.
var myParser = func() *sqlparser.Parser {
	p, err := sqlparser.New(sqlparser.Options{MySQLServerVersion: "8.4.0", TruncateErrLen: 0})
	if err != nil {
		panic(err) // a constant version string: cannot fail
	}
	return p
}()

// myReader replays a MySQL/MariaDB file into a catalog.
type myReader struct {
	file   string
	orig   string
	clean  string // executable comment markers blanked
	toks   []token
	engine schema.Engine
	opts   Options
	problems

	// dump is set for a mysqldump file: its expressions are spelled as the
	// server prints them and are kept as they are.
	dump bool
	// db is the database the file is about: the first it creates or
	// uses, or its dump header's; name is what the snapshot calls it
	// (Options.Database, else db, else the file's name).
	db            string
	name          string
	current       string // the database USE names
	serverVersion string

	tables    map[string]*myTable
	order     []*myTable
	views     map[string]*schema.View
	viewOrder []*schema.View
	triggers  []schema.Trigger
	temp      map[string]bool

	stmt    span      // the statement being applied
	session mySession // what SET statements have set
}

// myTable is a table being built.
type myTable struct {
	schema.Table
	memory bool
	// fkSeq and checkSeq number unnamed foreign keys (table_ibfk_N) and
	// checks (CONSTRAINT_N, table_chk_N).
	fkSeq, checkSeq int
	// fkIndexes are the indexes the server made for foreign keys, which
	// it drops when another index starts with the same columns.
	fkIndexes map[string]bool
	// prefixed are the indexes on a prefix of a column (name(10)), which
	// cannot serve a foreign key.
	prefixed map[string]bool
}

var (
	myDumpHeader  = regexp.MustCompile(`(?m)^-- (MySQL|MariaDB) dump`)
	myHeaderDB    = regexp.MustCompile(`(?m)^-- Host: \S+\s+Database: (\S+)`)
	myHeaderVer   = regexp.MustCompile(`(?m)^-- Server version\s+(\S+)`)
	myUnsupported = map[string]string{
		// Spellings Vitess does not read, and what the server makes of them.
		"double precision": "double", "long varbinary": "mediumblob", "long varchar": "mediumtext",
		"national char": "char", "national varchar": "varchar", "nchar varchar": "varchar", "nchar": "char", "nvarchar": "varchar",
		"persistent": "stored", "int1": "tinyint", "int2": "smallint", "int3": "mediumint", "int4": "int", "int8": "bigint",
		"middleint": "mediumint", "float4": "float", "float8": "double",
	}
)

// readMySQL reads a MySQL or MariaDB file.
func readMySQL(file, src string, engine schema.Engine, opts Options) (*Result, error) {
	clean, toks, stmts := mySplit(src, engine)
	r := &myReader{
		file: file, orig: src, clean: clean, toks: toks, engine: engine, opts: opts,
		tables: map[string]*myTable{}, views: map[string]*schema.View{}, temp: map[string]bool{},
	}
	r.lines = newLineIndex(src)
	head := src[:min(len(src), 4096)]
	r.dump = myDumpHeader.MatchString(head)
	if m := myHeaderDB.FindStringSubmatch(head); m != nil {
		r.db = m[1]
	}
	if m := myHeaderVer.FindStringSubmatch(head); m != nil {
		r.serverVersion = m[1]
	}
	parsed := 0
	var first *Problem
	for _, s := range stmts {
		r.stmt = s
		ok, msg, off := r.apply()
		if ok {
			parsed++
			continue
		}
		r.unparsedAt(off, msg)
		if first == nil {
			p := r.unparsed[len(r.unparsed)-1]
			first = &p
		}
	}
	if err := r.nothingRead(file, "MySQL", parsed, len(r.tables), first); err != nil {
		return nil, err
	}
	snap := r.snapshot()
	if err := filter(snap, file, Options{Exclude: opts.Exclude}); err != nil {
		return nil, err
	}
	return &Result{Snapshot: snap, Unparsed: r.unparsed, NotApplied: r.notApplied}, nil
}

// database is the schema of the tables: Options.Database, else the
// database the file names, else the file's name.
func (r *myReader) database() string {
	return firstNonEmpty(r.opts.Database, r.db, fileStem(r.file))
}

// text returns the statement's source, markers blanked.
func (r *myReader) text() string {
	return r.clean[r.toks[r.stmt.first].start:r.toks[r.stmt.last].end]
}

func (r *myReader) stmtOff() int { return int(r.toks[r.stmt.first].start) }

// word returns the i-th token of the statement in lower case, "" past its
// end.
func (r *myReader) word(i int) string {
	if r.stmt.first+i > r.stmt.last {
		return ""
	}
	t := r.toks[r.stmt.first+i]
	if t.kind != tWord {
		return ""
	}
	return strings.ToLower(t.text(r.orig))
}

// apply replays one statement; it reports false, with a message and its
// offset, for a statement it cannot parse.
func (r *myReader) apply() (bool, string, int) {
	// Only these statements change a schema; data, grants, settings,
	// locks and transactions are passed over unparsed. Settings of the
	// session that views and triggers keep are followed.
	if r.word(0) == "set" {
		r.set()
		return true, "", 0
	}
	switch r.word(0) {
	case "create", "alter", "drop", "rename", "use":
	default:
		return true, "", 0
	}
	switch r.word(1) {
	case "user", "role", "server", "tablespace", "logfile", "sequence", "resource", "package", "synonym", "instance", "undo":
		return true, "", 0
	}
	// Compound statements no parser library reads: triggers are read here,
	// routines and events passed over.
	for i := 1; i < 12; i++ {
		switch r.word(i) {
		case "trigger":
			if r.word(0) == "create" {
				return r.createTrigger()
			}
		case "procedure", "function", "event":
			if r.word(0) == "create" || r.word(0) == "drop" {
				return true, "", 0
			}
		}
	}
	sql := r.forVitess()
	stmts, err := myParser.ParseMultiple(sql)
	if err != nil || len(stmts) != 1 {
		msg := "cannot parse"
		off := r.stmtOff()
		if err != nil {
			msg = strings.Join(strings.Fields(err.Error()), " ")
			if p := vitessPosition(msg); p > 0 && p <= len(sql) {
				// Vitess counts to the end of the token it stopped at.
				off = r.stmtOff() + min(p-1, len(r.text()))
			}
			msg = strings.TrimPrefix(msg, "syntax error at position ")
			if i := strings.IndexByte(msg, ' '); i >= 0 && vitessPosition("syntax error at position "+msg) > 0 {
				msg = "syntax error " + msg[i+1:]
			}
		}
		return false, msg + ": " + excerpt(r.text()), off
	}
	switch s := stmts[0].(type) {
	case *sqlparser.CreateTable:
		r.createTable(s)
	case *sqlparser.AlterTable:
		r.alterTable(s)
	case *sqlparser.CreateView:
		r.createView(s.ViewName, s.Select, s.IsReplace)
	case *sqlparser.AlterView:
		r.createView(s.ViewName, s.Select, true)
	case *sqlparser.DropTable:
		for _, n := range s.FromTables {
			if r.inDB(n) {
				r.dropTable(n.Name.String())
			}
		}
	case *sqlparser.DropView:
		for _, n := range s.FromTables {
			if r.inDB(n) {
				r.dropView(n.Name.String())
			}
		}
	case *sqlparser.RenameTable:
		for _, p := range s.TablePairs {
			if r.inDB(p.FromTable) {
				r.renameTable(p.FromTable.Name.String(), p.ToTable.Name.String())
			}
		}
	case *sqlparser.Use:
		r.use(s.DBName.String())
	case *sqlparser.CreateDatabase:
		if r.db == "" {
			r.db = s.DBName.String()
		}
	}
	return true, "", 0
}

var vitessPos = regexp.MustCompile(`at position (\d+)`)

func vitessPosition(msg string) int {
	if m := vitessPos.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// use follows USE db: the first database a file uses is the one read
// (unless Options.Database names one); statements for others are passed
// over with a note.
func (r *myReader) use(db string) {
	if r.db == "" {
		r.db = db
	}
	r.current = db
}

// inDB reports whether a table name is in the database read (the file's
// first, whatever Options.Database calls it).
func (r *myReader) inDB(n sqlparser.TableName) bool {
	q := n.Qualifier.String()
	if q == "" {
		q = r.current
	}
	return q == "" || q == r.db || r.db == "" && q == r.database()
}

// forVitess returns the statement with the spellings Vitess does not read
// replaced by what the server makes of them.
func (r *myReader) forVitess() string {
	text := r.text()
	base := int(r.toks[r.stmt.first].start)
	var b strings.Builder
	last := 0
	for i := r.stmt.first; i <= r.stmt.last; i++ {
		t := r.toks[i]
		if t.kind != tWord {
			continue
		}
		w := strings.ToLower(t.text(r.orig))
		two := ""
		if i < r.stmt.last && r.toks[i+1].kind == tWord {
			two = w + " " + strings.ToLower(r.toks[i+1].text(r.orig))
		}
		repl, n := "", 0
		if w == "default" && i+2 <= r.stmt.last && r.toks[i+1].kind == tWord && r.toks[i+2].punct(r.orig, '(') && !timestampFunc[strings.ToLower(r.toks[i+1].text(r.orig))] {
			// DEFAULT uuid(), as SHOW CREATE TABLE prints an expression
			// default: Vitess wants it in parentheses.
			end := r.matchParen(i + 2)
			if end > 0 {
				b.WriteString(text[last : int(r.toks[i+1].start)-base])
				b.WriteString("(" + text[int(r.toks[i+1].start)-base:int(r.toks[end].end)-base] + ")")
				last = int(r.toks[end].end) - base
				i = end
				continue
			}
		}
		switch {
		case two != "" && myUnsupported[two] != "":
			repl, n = myUnsupported[two], 2
		case myUnsupported[w] != "" && r.isTypePosition(i):
			repl, n = myUnsupported[w], 1
		case w == "persistent":
			repl, n = "stored", 1
		case w == "serial" && r.isTypePosition(i):
			repl, n = "bigint unsigned not null auto_increment unique", 1
		default:
			continue
		}
		end := int(r.toks[i+n-1].end) - base
		b.WriteString(text[last : int(t.start)-base])
		b.WriteString(repl)
		last = end
		i += n - 1
	}
	if last == 0 {
		return text
	}
	b.WriteString(text[last:])
	return b.String()
}

// timestampFunc are the CURRENT_TIMESTAMP synonyms a default may call
// without parentheses around it.
var timestampFunc = map[string]bool{"current_timestamp": true, "now": true, "localtime": true, "localtimestamp": true}

// matchParen returns the token closing the parenthesis at token i, or -1.
func (r *myReader) matchParen(i int) int {
	depth := 0
	for j := i; j <= r.stmt.last; j++ {
		switch {
		case r.toks[j].punct(r.orig, '('):
			depth++
		case r.toks[j].punct(r.orig, ')'):
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// isTypePosition reports whether token i follows a column name in a
// column definition (so that int4 or serial there is a type).
func (r *myReader) isTypePosition(i int) bool {
	if i == r.stmt.first {
		return false
	}
	p := r.toks[i-1]
	if p.kind != tWord && p.kind != tQIdent {
		return false
	}
	if i-2 < r.stmt.first {
		return true
	}
	pp := r.toks[i-2]
	return pp.punct(r.orig, '(') || pp.punct(r.orig, ',') || pp.is(r.orig, "column") || pp.is(r.orig, "add") || pp.is(r.orig, "modify")
}

// item is one element of a CREATE TABLE's list.
type item struct {
	first, last int // tokens
	column      string
	isColumn    bool
}

// items splits the parenthesized list of the CREATE TABLE being applied.
func (r *myReader) items() []item {
	i := r.stmt.first
	for i <= r.stmt.last && !r.toks[i].punct(r.orig, '(') {
		i++
	}
	var out []item
	depth, start := 0, i+1
	for ; i <= r.stmt.last; i++ {
		t := r.toks[i]
		switch {
		case t.punct(r.orig, '('):
			depth++
		case t.punct(r.orig, ')'):
			depth--
			if depth == 0 {
				return append(out, r.item(start, i-1))
			}
		case depth == 1 && t.punct(r.orig, ','):
			out = append(out, r.item(start, i-1))
			start = i + 1
		}
	}
	return out
}

func (r *myReader) item(first, last int) item {
	it := item{first: first, last: last}
	if first > last {
		return it
	}
	t := r.toks[first]
	switch {
	case t.kind == tQIdent:
		it.isColumn, it.column = true, unquoteMy(t.text(r.orig))
	case t.kind == tWord:
		switch strings.ToLower(t.text(r.orig)) {
		case "constraint", "primary", "unique", "key", "index", "fulltext", "spatial", "foreign", "check", "period", "system":
		default:
			it.isColumn, it.column = true, t.text(r.orig)
		}
	}
	return it
}

// exprAfter returns the text inside the parentheses after the keyword kw
// (CHECK, AS) in tokens [first, last], or "".
func (r *myReader) exprAfter(first, last int, kw string) string {
	for i := first; i <= last; i++ {
		if !r.toks[i].is(r.orig, kw) || i+1 > last || !r.toks[i+1].punct(r.orig, '(') {
			continue
		}
		if j := r.matchParen(i + 1); j > i+2 && j <= last {
			return r.clean[r.toks[i+2].start:r.toks[j-1].end]
		}
		return ""
	}
	return ""
}

// unquoteMy removes backquotes from a name.
func unquoteMy(s string) string {
	if len(s) >= 2 && s[0] == '`' && s[len(s)-1] == '`' {
		return strings.ReplaceAll(s[1:len(s)-1], "``", "`")
	}
	return s
}

// createTable applies CREATE TABLE.
func (r *myReader) createTable(c *sqlparser.CreateTable) {
	if !r.inDB(c.Table) {
		r.notAppliedAt(r.stmtOff(), "CREATE TABLE %s: another database than %s", sqlparser.String(c.Table), r.database())
		return
	}
	name := c.Table.Name.String()
	if c.Temp {
		r.temp[name] = true
		return
	}
	if r.tables[name] != nil || r.views[name] != nil {
		if !c.IfNotExists {
			r.notAppliedAt(r.stmtOff(), "CREATE TABLE: %s already exists", name)
		}
		return
	}
	t := &myTable{Table: schema.Table{Schema: r.database(), Name: name, Kind: schema.KindTable, Columns: []schema.Column{}, Location: r.loc(r.stmtOff())}, fkIndexes: map[string]bool{}, prefixed: map[string]bool{}}
	if c.OptLike != nil {
		src := r.tables[c.OptLike.LikeTable.Name.String()]
		if src == nil {
			r.notAppliedAt(r.stmtOff(), "CREATE TABLE %s LIKE: table %s is not created before this statement", name, sqlparser.String(c.OptLike.LikeTable))
			return
		}
		t.Columns = slices.Clone(src.Columns)
		t.PrimaryKey = cloneKey(src.PrimaryKey)
		t.Uniques = slices.Clone(src.Uniques)
		t.Indexes = slices.Clone(src.Indexes)
		t.Checks = slices.Clone(src.Checks)
		t.Kind = src.Kind
		r.register(t)
		return
	}
	spec := c.TableSpec
	if spec == nil {
		r.notAppliedAt(r.stmtOff(), "CREATE TABLE %s: no column list (CREATE TABLE ... SELECT is not read)", name)
		return
	}
	for _, o := range spec.Options {
		switch strings.ToLower(o.Name) {
		case "comment":
			if o.Value != nil {
				t.Comment = o.Value.Val
			}
		case "engine":
			t.memory = strings.EqualFold(o.String, "memory") || strings.EqualFold(o.String, "heap")
		}
	}
	if spec.PartitionOption != nil {
		t.Kind = schema.KindPartitioned
	}
	r.register(t)
	items := r.items()
	colItem := map[string]item{}
	for _, it := range items {
		if it.isColumn {
			colItem[it.column] = it
		}
	}
	// Column-level checks come first among the unnamed ones Vitess lists,
	// in column order; name them after their column (MariaDB).
	var colChecks []string
	for _, it := range items {
		if it.isColumn && r.exprAfter(it.first, it.last, "check") != "" {
			colChecks = append(colChecks, it.column)
		}
	}
	for _, cd := range spec.Columns {
		r.addColumn(t, cd, colItem[cd.Name.String()])
	}
	for _, ix := range spec.Indexes {
		r.addIndex(t, ix)
	}
	// Inline keys of columns (PRIMARY KEY, UNIQUE) and references.
	for _, cd := range spec.Columns {
		r.columnKeys(t, cd, colItem[cd.Name.String()])
	}
	checkItems := r.constraintItems(items, "check")
	fkItems := r.constraintItems(items, "foreign")
	ci, fi := 0, 0
	for _, con := range spec.Constraints {
		switch d := con.Details.(type) {
		case *sqlparser.CheckConstraintDefinition:
			var it *item
			colName := ""
			if con.Name.String() == "" && len(colChecks) > 0 && r.isColumnCheck(items, colChecks[0]) {
				colName = colChecks[0]
				colChecks = colChecks[1:]
				x := colItem[colName]
				it = &x
			} else if ci < len(checkItems) {
				it = &checkItems[ci]
				ci++
			}
			r.addCheck(t, con.Name.String(), colName, d, it)
		case *sqlparser.ForeignKeyDefinition:
			var it *item
			if fi < len(fkItems) {
				it = &fkItems[fi]
				fi++
			}
			r.addForeignKey(t, con.Name.String(), d, it)
		}
	}
	r.dropRedundantFKIndexes(t)
}

// isColumnCheck reports whether a column's definition holds a check.
func (r *myReader) isColumnCheck(items []item, col string) bool {
	for _, it := range items {
		if it.isColumn && it.column == col {
			return r.exprAfter(it.first, it.last, "check") != ""
		}
	}
	return false
}

// constraintItems returns the table-level items holding a CHECK or a
// FOREIGN KEY, in order.
func (r *myReader) constraintItems(items []item, kw string) []item {
	var out []item
	for _, it := range items {
		if it.isColumn {
			continue
		}
		for i := it.first; i <= it.last; i++ {
			if r.toks[i].is(r.orig, kw) {
				out = append(out, it)
				break
			}
			if r.toks[i].punct(r.orig, '(') {
				break
			}
		}
	}
	return out
}

func (r *myReader) register(t *myTable) {
	r.tables[t.Name] = t
	r.order = append(r.order, t)
}

func cloneKey(k *schema.Key) *schema.Key {
	if k == nil {
		return nil
	}
	return &schema.Key{Name: k.Name, Columns: slices.Clone(k.Columns)}
}

// loc returns the location of an offset.
func (r *myReader) loc(off int) *schema.Location {
	return &schema.Location{File: r.file, Line: r.lines.line(off)}
}

// itemLoc returns the location of an item, else of the statement.
func (r *myReader) itemLoc(it *item) *schema.Location {
	if it == nil || it.first > it.last {
		return r.loc(r.stmtOff())
	}
	return r.loc(int(r.toks[it.first].start))
}

// addColumn adds a column definition.
func (r *myReader) addColumn(t *myTable, cd *sqlparser.ColumnDefinition, it item) {
	col := r.column(cd, it)
	if t.Column(col.Name) != nil {
		r.notAppliedAt(r.stmtOff(), "column %s.%s defined twice", t.Name, col.Name)
		return
	}
	t.Columns = append(t.Columns, col)
	if r.engine == schema.MariaDB && strings.EqualFold(cd.Type.Type, "json") {
		// MariaDB's JSON is LONGTEXT with a check named after the column.
		t.Checks = append(t.Checks, schema.Check{Name: col.Name, Expression: "json_valid(" + quoteMy(col.Name) + ")"})
	}
}

// column builds a column from its definition.
func (r *myReader) column(cd *sqlparser.ColumnDefinition, it item) schema.Column {
	ct := cd.Type
	o := ct.Options
	if o == nil {
		o = &sqlparser.ColumnTypeOptions{}
	}
	col := schema.Column{Name: cd.Name.String(), Type: r.columnType(ct), Nullable: true}
	if o.Null != nil {
		col.Nullable = *o.Null
	}
	if o.KeyOpt == sqlparser.ColKeyPrimary {
		col.Nullable = false
	}
	if o.Autoincrement {
		col.Identity = "auto_increment"
	}
	if o.Comment != nil {
		col.Comment = o.Comment.Val
	}
	if o.As != nil {
		col.Generated = "virtual"
		if o.Storage == sqlparser.StoredStorage {
			col.Generated = "stored"
		}
		text := ""
		if r.dump && it.isColumn {
			text = r.exprAfter(it.first, it.last, "as")
		}
		if text == "" {
			text = myPrint(o.As)
		}
		col.Expression = mysql.StripParens(text)
		return col
	}
	if o.Default != nil {
		col.Default = r.defaultValue(o.Default, ct)
	}
	return col
}

// columnKeys applies a column's own PRIMARY KEY, UNIQUE and REFERENCES.
func (r *myReader) columnKeys(t *myTable, cd *sqlparser.ColumnDefinition, it item) {
	o := cd.Type.Options
	if o == nil {
		return
	}
	name := cd.Name.String()
	switch o.KeyOpt {
	case sqlparser.ColKeyPrimary:
		r.addKey(t, "PRIMARY", []string{name}, true, true, "btree")
	case sqlparser.ColKeyUnique, sqlparser.ColKeyUniqueKey:
		r.addKey(t, r.keyName(t, name), []string{name}, true, false, "btree")
	case sqlparser.ColKey:
		r.addKey(t, r.keyName(t, name), []string{name}, false, false, "btree")
	}
	if o.Reference != nil {
		x := it
		r.addForeignKey(t, "", &sqlparser.ForeignKeyDefinition{Source: sqlparser.Columns{cd.Name}, ReferenceDefinition: o.Reference}, &x)
	}
}

// keyName is the name the server gives an unnamed index: its first
// column, then column_2, column_3...
func (r *myReader) keyName(t *myTable, col string) string {
	taken := func(n string) bool {
		return strings.EqualFold(n, "PRIMARY") || slices.ContainsFunc(t.Indexes, func(ix schema.Index) bool { return strings.EqualFold(ix.Name, n) })
	}
	if !taken(col) {
		return col
	}
	for i := 2; ; i++ {
		if n := col + "_" + strconv.Itoa(i); !taken(n) {
			return n
		}
	}
}

// addIndex adds an index definition (PRIMARY KEY, UNIQUE, KEY, FULLTEXT,
// SPATIAL).
func (r *myReader) addIndex(t *myTable, ix *sqlparser.IndexDefinition) {
	var cols []string
	prefixed := false
	for _, c := range ix.Columns {
		if c.Expression != nil {
			cols = append(cols, myPrint(c.Expression))
			prefixed = true
		} else {
			cols = append(cols, c.Column.String())
			prefixed = prefixed || c.Length != nil
		}
	}
	if len(cols) == 0 {
		return
	}
	defer func() {
		if prefixed {
			t.prefixed[t.Indexes[len(t.Indexes)-1].Name] = true
		}
	}()
	method := "btree"
	if t.memory {
		method = "hash"
	}
	for _, o := range ix.Options {
		if strings.EqualFold(o.Name, "using") {
			if u := strings.ToLower(o.String); t.memory && (u == "btree" || u == "hash") {
				method = u
			}
		}
	}
	switch ix.Info.Type {
	case sqlparser.IndexTypePrimary:
		r.addKey(t, "PRIMARY", cols, true, true, method)
		return
	case sqlparser.IndexTypeFullText:
		method = "FULLTEXT"
	case sqlparser.IndexTypeSpatial:
		method = "SPATIAL"
	}
	name := ix.Info.Name.String()
	if name == "" {
		name = ix.Info.ConstraintName.String()
	}
	if name == "" {
		name = r.keyName(t, cols[0])
	}
	r.addKey(t, name, cols, ix.Info.Type == sqlparser.IndexTypeUnique, false, method)
}

// addKey adds an index, and the primary key or unique constraint it is.
func (r *myReader) addKey(t *myTable, name string, cols []string, unique, primary bool, method string) {
	if slices.ContainsFunc(t.Indexes, func(ix schema.Index) bool { return strings.EqualFold(ix.Name, name) }) {
		r.notAppliedAt(r.stmtOff(), "index %s of %s defined twice", name, t.Name)
		return
	}
	t.Indexes = append(t.Indexes, schema.Index{Name: name, Columns: cols, Unique: unique, Primary: primary, Method: method})
	switch {
	case primary:
		t.PrimaryKey = &schema.Key{Name: name, Columns: slices.Clone(cols)}
		for _, c := range cols {
			if col := t.Column(c); col != nil {
				col.Nullable = false
			}
		}
	case unique:
		t.Uniques = append(t.Uniques, schema.Key{Name: name, Columns: slices.Clone(cols)})
	}
}

// addCheck adds a check constraint. Unnamed ones are named as the server
// does: after their column (MariaDB, a column's check), CONSTRAINT_N
// (MariaDB), table_chk_N (MySQL).
func (r *myReader) addCheck(t *myTable, name, col string, d *sqlparser.CheckConstraintDefinition, it *item) {
	if name == "" {
		switch {
		case col != "" && r.engine == schema.MariaDB:
			name = col
		case r.engine == schema.MariaDB:
			t.checkSeq++
			name = "CONSTRAINT_" + strconv.Itoa(t.checkSeq)
		default:
			t.checkSeq++
			name = t.Name + "_chk_" + strconv.Itoa(t.checkSeq)
		}
	}
	text := ""
	if r.dump && it != nil {
		text = r.exprAfter(it.first, it.last, "check")
	}
	if text == "" {
		text = myPrint(d.Expr)
	}
	t.Checks = append(t.Checks, schema.Check{Name: name, Expression: mysql.StripParens(text)})
}

// addForeignKey adds a foreign key, and the index the server makes for it
// when none starts with its columns.
func (r *myReader) addForeignKey(t *myTable, name string, d *sqlparser.ForeignKeyDefinition, it *item) {
	ref := d.ReferenceDefinition
	named := name != ""
	if name == "" {
		t.fkSeq++
		name = t.Name + "_ibfk_" + strconv.Itoa(t.fkSeq)
		for slices.ContainsFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == name }) {
			t.fkSeq++
			name = t.Name + "_ibfk_" + strconv.Itoa(t.fkSeq)
		}
	}
	var cols, refCols []string
	for _, c := range d.Source {
		cols = append(cols, c.String())
	}
	for _, c := range ref.ReferencedColumns {
		refCols = append(refCols, c.String())
	}
	refDB := ref.ReferencedTable.Qualifier.String()
	if refDB == "" || refDB == r.db {
		refDB = r.database()
	}
	fk := schema.ForeignKey{
		Name: name, Columns: cols,
		References: schema.TableName{Schema: refDB, Name: ref.ReferencedTable.Name.String()},
		RefColumns: refCols,
		OnDelete:   r.action(ref.OnDelete), OnUpdate: r.action(ref.OnUpdate),
		Enforced: true, Valid: true,
		Location: r.itemLoc(it),
	}
	t.ForeignKeys = append(t.ForeignKeys, fk)
	serves := func(ix schema.Index) bool {
		return len(ix.Columns) >= len(cols) && slices.Equal(ix.Columns[:len(cols)], cols) && ix.Method != "FULLTEXT" && ix.Method != "SPATIAL" && !t.prefixed[ix.Name]
	}
	// A named key added later takes the place of an index the server made
	// for an earlier key on the same columns.
	if named {
		t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool {
			if t.fkIndexes[ix.Name] && slices.Equal(ix.Columns, cols) && !slices.ContainsFunc(t.Indexes, func(o schema.Index) bool { return o.Name != ix.Name && !t.fkIndexes[o.Name] && serves(o) }) {
				delete(t.fkIndexes, ix.Name)
				return true
			}
			return false
		})
	}
	covered := slices.ContainsFunc(t.Indexes, serves)
	if !covered {
		ixName := d.IndexName.String()
		if ixName == "" {
			ixName = name
			if !named {
				ixName = r.keyName(t, cols[0])
			}
		}
		r.addKey(t, ixName, cols, false, false, "btree")
		t.fkIndexes[ixName] = true
	}
}

// dropRedundantFKIndexes removes an index made for a foreign key when
// another index starts with its columns, as the server does once the whole
// table is defined.
func (r *myReader) dropRedundantFKIndexes(t *myTable) {
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool {
		if !t.fkIndexes[ix.Name] {
			return false
		}
		return slices.ContainsFunc(t.Indexes, func(o schema.Index) bool {
			if o.Name == ix.Name || t.prefixed[o.Name] || o.Method == "FULLTEXT" || o.Method == "SPATIAL" {
				return false
			}
			return len(o.Columns) > len(ix.Columns) && slices.Equal(o.Columns[:len(ix.Columns)], ix.Columns) ||
				!t.fkIndexes[o.Name] && slices.Equal(o.Columns, ix.Columns)
		})
	})
}

// action spells a referential action; an action left out is RESTRICT on
// MariaDB and NO ACTION on MySQL, as their catalogs say.
func (r *myReader) action(a sqlparser.ReferenceAction) schema.Action {
	switch a {
	case sqlparser.Restrict:
		return schema.Restrict
	case sqlparser.Cascade:
		return schema.Cascade
	case sqlparser.SetNull:
		return schema.SetNull
	case sqlparser.SetDefault:
		return schema.SetDefault
	case sqlparser.NoAction:
		return schema.NoAction
	}
	if r.engine == schema.MariaDB {
		return schema.Restrict
	}
	return schema.NoAction
}

// alterTable applies ALTER TABLE (and CREATE INDEX, which Vitess reads as
// one).
func (r *myReader) alterTable(a *sqlparser.AlterTable) {
	if !r.inDB(a.Table) {
		return
	}
	name := a.Table.Name.String()
	if r.temp[name] {
		return
	}
	t := r.tables[name]
	if t == nil {
		r.notAppliedAt(r.stmtOff(), "ALTER TABLE: table %s is not created before this statement", name)
		return
	}
	for _, o := range a.AlterOptions {
		switch x := o.(type) {
		case *sqlparser.AddColumns:
			for _, cd := range x.Columns {
				r.addColumn(t, cd, item{})
				r.columnKeys(t, cd, item{})
			}
		case *sqlparser.AddIndexDefinition:
			r.addIndex(t, x.IndexDefinition)
		case *sqlparser.AddConstraintDefinition:
			switch d := x.ConstraintDefinition.Details.(type) {
			case *sqlparser.CheckConstraintDefinition:
				r.addCheck(t, x.ConstraintDefinition.Name.String(), "", d, nil)
			case *sqlparser.ForeignKeyDefinition:
				r.addForeignKey(t, x.ConstraintDefinition.Name.String(), d, &item{first: r.stmt.first, last: r.stmt.first})
			}
		case *sqlparser.ModifyColumn:
			r.replaceColumn(t, x.NewColDefinition.Name.String(), x.NewColDefinition)
		case *sqlparser.ChangeColumn:
			r.replaceColumn(t, x.OldColumn.Name.String(), x.NewColDefinition)
		case *sqlparser.RenameColumn:
			r.renameColumn(t, x.OldName.Name.String(), x.NewName.Name.String())
		case *sqlparser.AlterColumn:
			if c := t.Column(x.Column.Name.String()); c != nil {
				switch {
				case x.DropDefault:
					c.Default = nil
				case x.DefaultVal != nil:
					c.Default = r.defaultValue(x.DefaultVal, r.typeOf(c))
				}
			}
		case *sqlparser.DropColumn:
			r.dropColumn(t, x.Name.Name.String())
		case *sqlparser.DropKey:
			r.dropKey(t, x)
		case *sqlparser.RenameIndex:
			r.renameIndex(t, x.OldName.String(), x.NewName.String())
		case *sqlparser.RenameTableName:
			r.renameTable(name, x.Table.Name.String())
		case sqlparser.TableOptions:
			for _, opt := range x {
				if strings.EqualFold(opt.Name, "comment") && opt.Value != nil {
					t.Comment = opt.Value.Val
				}
			}
		}
	}
	if a.PartitionOption != nil {
		t.Kind = schema.KindPartitioned
	}
	r.dropRedundantFKIndexes(t)
}

// typeOf re-reads a column's type for its default.
func (r *myReader) typeOf(c *schema.Column) *sqlparser.ColumnType {
	stmts, err := myParser.ParseMultiple("CREATE TABLE t (c " + c.Type + ")")
	if err == nil && len(stmts) == 1 {
		if ct, ok := stmts[0].(*sqlparser.CreateTable); ok && ct.TableSpec != nil && len(ct.TableSpec.Columns) == 1 {
			return ct.TableSpec.Columns[0].Type
		}
	}
	return &sqlparser.ColumnType{Type: c.Type}
}

// replaceColumn applies MODIFY and CHANGE COLUMN.
func (r *myReader) replaceColumn(t *myTable, old string, cd *sqlparser.ColumnDefinition) {
	i := slices.IndexFunc(t.Columns, func(c schema.Column) bool { return strings.EqualFold(c.Name, old) })
	if i < 0 {
		r.notAppliedAt(r.stmtOff(), "MODIFY/CHANGE COLUMN: %s has no column %s", t.Name, old)
		return
	}
	col := r.column(cd, item{})
	if col.Comment == "" && cd.Type.Options != nil && cd.Type.Options.Comment == nil {
		col.Comment = ""
	}
	inKey := t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, t.Columns[i].Name)
	t.Columns[i] = col
	if inKey {
		t.Columns[i].Nullable = false
	}
	if old != col.Name {
		r.renameColumn(t, old, col.Name)
		t.Columns[i].Name = col.Name
	}
	r.columnKeys(t, cd, item{})
}

// renameColumn renames a column in the table's keys too (MySQL names
// ignore case).
func (r *myReader) renameColumn(t *myTable, old, nw string) {
	renameColumn(&t.Table, old, nw, strings.EqualFold)
}

// dropColumn removes a column; indexes lose it, and go when empty.
func (r *myReader) dropColumn(t *myTable, name string) {
	t.Columns = slices.DeleteFunc(t.Columns, func(c schema.Column) bool { return strings.EqualFold(c.Name, name) })
	without := func(cols []string) []string {
		return slices.DeleteFunc(cols, func(c string) bool { return strings.EqualFold(c, name) })
	}
	for i := range t.Indexes {
		t.Indexes[i].Columns = without(t.Indexes[i].Columns)
	}
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool { return len(ix.Columns) == 0 })
	if t.PrimaryKey != nil {
		if t.PrimaryKey.Columns = without(t.PrimaryKey.Columns); len(t.PrimaryKey.Columns) == 0 {
			t.PrimaryKey = nil
		}
	}
	for i := range t.Uniques {
		t.Uniques[i].Columns = without(t.Uniques[i].Columns)
	}
	t.Uniques = slices.DeleteFunc(t.Uniques, func(k schema.Key) bool { return len(k.Columns) == 0 })
}

// dropKey applies DROP PRIMARY KEY, DROP INDEX, DROP FOREIGN KEY and DROP
// CHECK.
func (r *myReader) dropKey(t *myTable, d *sqlparser.DropKey) {
	name := d.Name.String()
	switch d.Type {
	case sqlparser.PrimaryKeyType:
		name = "PRIMARY"
		t.PrimaryKey = nil
	case sqlparser.ForeignKeyType:
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == name })
		return
	case sqlparser.CheckKeyType:
		t.Checks = slices.DeleteFunc(t.Checks, func(c schema.Check) bool { return c.Name == name })
		return
	case sqlparser.ConstraintType:
		// DROP CONSTRAINT: a check or a foreign key (a unique key is
		// dropped as an index).
		n := len(t.Checks) + len(t.ForeignKeys)
		t.Checks = slices.DeleteFunc(t.Checks, func(c schema.Check) bool { return c.Name == name })
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.Name == name })
		if len(t.Checks)+len(t.ForeignKeys) < n {
			return
		}
	}
	t.Indexes = slices.DeleteFunc(t.Indexes, func(ix schema.Index) bool { return strings.EqualFold(ix.Name, name) })
	t.Uniques = slices.DeleteFunc(t.Uniques, func(k schema.Key) bool { return strings.EqualFold(k.Name, name) })
}

func (r *myReader) renameIndex(t *myTable, old, nw string) {
	for i := range t.Indexes {
		if strings.EqualFold(t.Indexes[i].Name, old) {
			t.Indexes[i].Name = nw
		}
	}
	for i := range t.Uniques {
		if strings.EqualFold(t.Uniques[i].Name, old) {
			t.Uniques[i].Name = nw
		}
	}
}

func (r *myReader) dropTable(name string) {
	if t := r.tables[name]; t != nil {
		delete(r.tables, name)
		r.order = slices.DeleteFunc(r.order, func(x *myTable) bool { return x == t })
		r.triggers = slices.DeleteFunc(r.triggers, func(tr schema.Trigger) bool { return tr.Table.Name == name })
	}
	delete(r.temp, name)
}

func (r *myReader) dropView(name string) {
	if v := r.views[name]; v != nil {
		delete(r.views, name)
		r.viewOrder = slices.DeleteFunc(r.viewOrder, func(x *schema.View) bool { return x == v })
	}
}

// renameTable renames a table or view, and what refers to it.
func (r *myReader) renameTable(old, nw string) {
	if t := r.tables[old]; t != nil {
		delete(r.tables, old)
		t.Name = nw
		r.tables[nw] = t
	} else if v := r.views[old]; v != nil {
		delete(r.views, old)
		v.Name = nw
		r.views[nw] = v
	} else {
		return
	}
	db := r.database()
	on, nn := schema.TableName{Schema: db, Name: old}, schema.TableName{Schema: db, Name: nw}
	for _, t := range r.order {
		for i := range t.ForeignKeys {
			if t.ForeignKeys[i].References == on {
				t.ForeignKeys[i].References = nn
			}
		}
	}
	for i := range r.triggers {
		if r.triggers[i].Table == on {
			r.triggers[i].Table = nn
		}
	}
}

// createView applies CREATE [OR REPLACE] VIEW (mysqldump first creates a
// stand-in, then replaces it).
func (r *myReader) createView(n sqlparser.TableName, sel sqlparser.TableStatement, replace bool) {
	if !r.inDB(n) {
		return
	}
	name := n.Name.String()
	if r.views[name] != nil {
		if !replace {
			r.notAppliedAt(r.stmtOff(), "CREATE VIEW: %s already exists", name)
			return
		}
		r.dropView(name)
	}
	if r.tables[name] != nil {
		// A dump's stand-in table for the view, dropped just before.
		r.dropTable(name)
	}
	def := r.viewText()
	if def == "" {
		def = sqlparser.String(sel)
	}
	v := &schema.View{Schema: r.database(), Name: name, Definition: def, Location: r.loc(r.stmtOff())}
	v.Algorithm, v.Definer, v.Security = r.createOptions("view")
	v.CheckOption, _ = r.checkOption()
	v.CreatedWith = r.session.createdWith(true)
	// What the server records for a clause the statement leaves out
	// (ALGORITHM: MariaDB's alone); the DEFINER it leaves out is whoever
	// runs the file, unknown here.
	if v.Security == "" {
		v.Security = "DEFINER"
	}
	if v.Algorithm == "" && r.engine == schema.MariaDB {
		v.Algorithm = "UNDEFINED"
	}
	reads, why := mysql.ViewReads(def)
	v.Reads = r.resolve(reads)
	v.Unresolved = why
	r.views[name] = v
	r.viewOrder = append(r.viewOrder, v)
}

// createOptions reads the options of a CREATE [OR REPLACE] VIEW or CREATE
// TRIGGER statement before its keyword kw ("view", "trigger"): ALGORITHM =
// a, DEFINER = account and SQL SECURITY s, the account as user@host the
// way the server writes it ("" for CURRENT_USER or CURRENT_ROLE: whoever
// applies the file).
func (r *myReader) createOptions(kw string) (algorithm, definer, security string) {
	last := r.stmt.last
	for i := r.stmt.first; i <= last && !r.toks[i].is(r.orig, kw); i++ {
		t := r.toks[i]
		eq := i+2 <= last && r.toks[i+1].text(r.orig) == "="
		switch {
		case t.is(r.orig, "algorithm") && eq:
			i += 2
			algorithm = strings.ToUpper(r.toks[i].text(r.orig))
		case t.is(r.orig, "definer") && eq:
			i += 2
			if r.toks[i].is(r.orig, "current_user") || r.toks[i].is(r.orig, "current_role") {
				definer = ""
				if i+2 <= last && r.toks[i+1].punct(r.orig, '(') && r.toks[i+2].punct(r.orig, ')') {
					i += 2
				}
				continue
			}
			definer = unquoteAccount(r.toks[i].text(r.orig))
			if i+2 <= last && r.toks[i+1].punct(r.orig, '@') {
				definer += "@" + unquoteAccount(r.toks[i+2].text(r.orig))
				i += 2
			}
		case t.is(r.orig, "security") && i+1 <= last:
			i++
			security = strings.ToUpper(r.toks[i].text(r.orig))
		}
	}
	return algorithm, definer, security
}

// unquoteAccount reads a user or host name as a statement writes it:
// bare, in backquotes or in quotes.
func unquoteAccount(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') {
		return unquoteString(s)
	}
	return unquoteMy(s)
}

// checkOption reads the WITH [CASCADED | LOCAL] CHECK OPTION that ends the
// CREATE VIEW being read: the option (CASCADED when it names neither, NONE
// without one) and the index of the clause's first token (past the
// statement's last token without one).
func (r *myReader) checkOption() (string, int) {
	last := r.stmt.last
	if last-2 < r.stmt.first || !r.toks[last].is(r.orig, "option") || !r.toks[last-1].is(r.orig, "check") {
		return "NONE", last + 1
	}
	i, option := last-2, "CASCADED"
	if t := r.toks[i]; t.is(r.orig, "local") || t.is(r.orig, "cascaded") {
		option = strings.ToUpper(t.text(r.orig))
		i--
	}
	if i >= r.stmt.first && r.toks[i].is(r.orig, "with") {
		i--
	}
	return option, i + 1
}

// viewText cuts the query of the view being created out of the file: what
// follows the AS after the view's name, without WITH ... CHECK OPTION.
func (r *myReader) viewText() string {
	i := r.stmt.first
	for ; i <= r.stmt.last && !r.toks[i].is(r.orig, "view"); i++ {
	}
	for ; i <= r.stmt.last && !r.toks[i].is(r.orig, "as"); i++ {
	}
	if i >= r.stmt.last {
		return ""
	}
	last := r.stmt.last
	if _, clause := r.checkOption(); clause-1 > i {
		last = clause - 1
	}
	return strings.TrimSpace(r.clean[r.toks[i+1].start:r.toks[last].end])
}

// resolve qualifies unqualified names with the database.
func (r *myReader) resolve(ns []schema.TableName) []schema.TableName {
	out := make([]schema.TableName, 0, len(ns))
	for _, n := range ns {
		if n.Schema == "" || n.Schema == r.db {
			n.Schema = r.database()
		}
		out = append(out, n)
	}
	return out
}

// createTrigger reads CREATE [DEFINER = user] TRIGGER [IF NOT EXISTS] name
// {BEFORE|AFTER} {INSERT|UPDATE|DELETE} ON table FOR EACH ROW
// [{FOLLOWS|PRECEDES} other] body.
func (r *myReader) createTrigger() (bool, string, int) {
	i := r.stmt.first
	for ; i <= r.stmt.last && !r.toks[i].is(r.orig, "trigger"); i++ {
	}
	next := func() token {
		i++
		if i > r.stmt.last {
			return token{kind: tPunct, start: r.toks[r.stmt.last].end, end: r.toks[r.stmt.last].end}
		}
		return r.toks[i]
	}
	bad := func(what string) (bool, string, int) {
		off := r.stmtOff()
		if i <= r.stmt.last {
			off = int(r.toks[i].start)
		}
		return false, "CREATE TRIGGER: expected " + what + ": " + excerpt(r.text()), off
	}
	name := next()
	if name.is(r.orig, "if") {
		next()
		next()
		name = next()
	}
	tname, qual := r.qualifiedName(&i, name)
	timing := strings.ToUpper(next().text(r.orig))
	if timing != "BEFORE" && timing != "AFTER" {
		return bad("BEFORE or AFTER")
	}
	event := strings.ToUpper(next().text(r.orig))
	if event != "INSERT" && event != "UPDATE" && event != "DELETE" {
		return bad("INSERT, UPDATE or DELETE")
	}
	if !next().is(r.orig, "on") {
		return bad("ON")
	}
	table, tqual := r.qualifiedName(&i, next())
	if !next().is(r.orig, "for") || !next().is(r.orig, "each") || !next().is(r.orig, "row") {
		return bad("FOR EACH ROW")
	}
	if t := next(); t.is(r.orig, "follows") || t.is(r.orig, "precedes") {
		r.qualifiedName(&i, next())
	} else {
		i--
	}
	if i+1 > r.stmt.last {
		return bad("a trigger body")
	}
	body := strings.TrimSpace(r.clean[r.toks[i+1].start:r.toks[r.stmt.last].end])
	db := r.database()
	other := func(q string) bool { return q != "" && q != r.db && q != db }
	if other(qual) || other(tqual) || qual == "" && tqual == "" && other(r.current) {
		return true, "", 0
	}
	if r.tables[table] == nil {
		r.notAppliedAt(r.stmtOff(), "CREATE TRIGGER %s: table %s is not created before this statement", tname, table)
		return true, "", 0
	}
	tr := schema.Trigger{
		Schema: db, Name: tname, Table: schema.TableName{Schema: db, Name: table},
		Timing: timing, Events: []string{event}, Level: "ROW", Body: body,
		Location: r.loc(r.stmtOff()),
	}
	_, tr.Definer, _ = r.createOptions("trigger")
	tr.CreatedWith = r.session.createdWith(false)
	writes, reads, why := mysql.TriggerRefs(body)
	tr.Writes, tr.Reads, tr.Unresolved = r.resolve(writes), r.resolve(reads), why
	r.triggers = append(r.triggers, tr)
	return true, "", 0
}

// qualifiedName reads name or db.name starting at token t (index *i).
func (r *myReader) qualifiedName(i *int, t token) (name, qualifier string) {
	name = unquoteMy(t.text(r.orig))
	if *i+2 <= r.stmt.last && r.toks[*i+1].punct(r.orig, '.') {
		qualifier = name
		*i += 2
		name = unquoteMy(r.toks[*i].text(r.orig))
	}
	return name, qualifier
}

// snapshot builds the snapshot.
func (r *myReader) snapshot() *schema.Snapshot {
	db := r.database()
	s := &schema.Snapshot{
		Source:  schema.Source{Engine: r.engine, ServerVersion: r.serverVersion, Database: db},
		Schemas: []schema.Schema{{Name: db}},
	}
	for _, t := range r.order {
		s.Tables = append(s.Tables, t.Table)
	}
	for _, v := range r.viewOrder {
		if v.Reads == nil {
			v.Reads = []schema.TableName{}
		}
		s.Views = append(s.Views, *v)
	}
	s.Triggers = r.triggers
	return s
}

// quoteMy quotes a name with backquotes.
func quoteMy(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }
