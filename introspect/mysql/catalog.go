package mysql

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// Every query below reads one information_schema table (or two, joined on
// their keys on MySQL 8, where information_schema is a set of views over
// the data dictionary), filtered in SQL by the connection's database. The
// result rows are grouped by table in Go, so the number of queries does not
// grow with the number of tables.

// Parts of the snapshot that can be unreadable, as named in
// Snapshot.Unreadable.
const (
	partTriggers = "triggers"
	partViews    = "view definitions"
	partStats    = "stats"
)

func (r *reader) unreadable(part, reason string) {
	r.snap.Unreadable = append(r.snap.Unreadable, schema.Unreadable{Part: part, Reason: reason})
}

// readSchema reads the one schema: the DSN's database.
func (r *reader) readSchema(ctx context.Context) error {
	r.setStep("schema")
	comment := "''"
	if r.server.engine == schema.MariaDB && r.server.atLeast(10, 5, 0) {
		comment = "SCHEMA_COMMENT"
	}
	rows, err := r.query(ctx, "schemata", "SELECT SCHEMA_NAME, "+comment+" FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = DATABASE()")
	if err != nil {
		return err
	}
	defer rows.Close()
	found := false
	for rows.Next() {
		var s schema.Schema
		var c sql.NullString
		if err := rows.Scan(&s.Name, &c); err != nil {
			return err
		}
		s.Comment = c.String
		r.db = s.Name
		r.snap.Schemas = append(r.snap.Schemas, s)
		found = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !found {
		// Connected to the database but cannot see it: it was dropped
		// meanwhile, or the user holds no privilege on it at all.
		return &mysql.MySQLError{Number: 1049, Message: fmt.Sprintf("Unknown database '%s'", r.db)}
	}
	r.snap.Source.Database = r.db
	return nil
}

// readTables reads the tables and views. Partitioned tables are marked by
// CREATE_OPTIONS; their partitions are not tables on MySQL and are not
// listed.
func (r *reader) readTables(ctx context.Context) error {
	r.setStep("tables")
	rows, err := r.query(ctx, "tables", `SELECT TABLE_NAME, TABLE_TYPE, CREATE_OPTIONS, TABLE_COMMENT, TABLE_ROWS, DATA_LENGTH + INDEX_LENGTH
 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name, typ string
		var opts, comment sql.NullString
		var nrows, size sql.NullInt64
		if err := rows.Scan(&name, &typ, &opts, &comment, &nrows, &size); err != nil {
			return err
		}
		n := schema.TableName{Schema: r.db, Name: name}
		if r.cfg.Excluded(n) {
			continue
		}
		switch typ {
		case "VIEW":
			r.views[name] = len(r.snap.Views)
			r.snap.Views = append(r.snap.Views, schema.View{Schema: r.db, Name: name})
		case "BASE TABLE", "SYSTEM VERSIONED":
			t := schema.Table{Schema: r.db, Name: name, Kind: schema.KindTable, Comment: comment.String}
			if hasOption(opts.String, "partitioned") {
				t.Kind = schema.KindPartitioned
			}
			if nrows.Valid {
				t.RowEstimate = schema.Int64(nrows.Int64)
			}
			if size.Valid {
				t.SizeBytes = schema.Int64(size.Int64)
			}
			r.tables[name] = len(r.snap.Tables)
			r.snap.Tables = append(r.snap.Tables, t)
		}
		// Anything else (a MariaDB SEQUENCE, a temporary table) is
		// neither a table nor a view in the model.
	}
	return rows.Err()
}

// hasOption reports whether a CREATE_OPTIONS string holds the option word.
func hasOption(opts, word string) bool {
	for _, f := range strings.Fields(opts) {
		if strings.EqualFold(f, word) {
			return true
		}
	}
	return false
}

// table returns the table with the given name, or nil when it is not in the
// snapshot (excluded, or not a table).
func (r *reader) table(name string) *schema.Table {
	if i, ok := r.tables[name]; ok {
		return &r.snap.Tables[i]
	}
	return nil
}

func (r *reader) view(name string) *schema.View {
	if i, ok := r.views[name]; ok {
		return &r.snap.Views[i]
	}
	return nil
}

// readColumns reads the columns of every table and view.
func (r *reader) readColumns(ctx context.Context) error {
	r.setStep("columns")
	rows, err := r.query(ctx, "columns", `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_TYPE, DATA_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT
 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()`)
	if err != nil {
		return err
	}
	defer rows.Close()
	type pos struct {
		cols []schema.Column
		ord  []int64
	}
	byTable := make(map[string]*pos, len(r.tables)+len(r.views))
	for rows.Next() {
		var tname, cname, ctype, dtype, nullable string
		var ord int64
		var def, extra, genExpr, comment sql.NullString
		if err := rows.Scan(&tname, &cname, &ord, &ctype, &dtype, &nullable, &def, &extra, &genExpr, &comment); err != nil {
			return err
		}
		if _, ok := r.tables[tname]; !ok {
			if _, ok := r.views[tname]; !ok {
				continue
			}
		}
		c := schema.Column{Name: cname, Type: ctype, Nullable: nullable == "YES", Comment: comment.String}
		ex := strings.ToUpper(extra.String)
		switch {
		case strings.Contains(ex, "VIRTUAL GENERATED"):
			c.Generated = "virtual"
		case strings.Contains(ex, "STORED GENERATED"), strings.Contains(ex, "PERSISTENT GENERATED"):
			c.Generated = "stored"
		}
		if c.Generated != "" {
			c.Expression = StripParens(genExpr.String)
		} else {
			c.Default = normalizeDefault(r.server.engine, def, dtype, ex)
		}
		if strings.Contains(ex, "AUTO_INCREMENT") {
			c.Identity = "auto_increment"
		}
		p := byTable[tname]
		if p == nil {
			p = &pos{}
			byTable[tname] = p
		}
		p.cols = append(p.cols, c)
		p.ord = append(p.ord, ord)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for name, p := range byTable {
		idx := make([]int, len(p.cols))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(p.ord[a], p.ord[b]) })
		cols := make([]schema.Column, len(idx))
		for i, j := range idx {
			cols[i] = p.cols[j]
		}
		if t := r.table(name); t != nil {
			t.Columns = cols
		} else if v := r.view(name); v != nil {
			// A view has no defaults of its own: what the server shows
			// is inherited, and differs between MySQL and MariaDB.
			for i := range cols {
				cols[i].Default = nil
			}
			v.Columns = cols
		}
	}
	return nil
}

// numericTypes are the data types whose MySQL 8 defaults are written bare.
var numericTypes = map[string]bool{
	"tinyint": true, "smallint": true, "mediumint": true, "int": true, "integer": true, "bigint": true,
	"decimal": true, "numeric": true, "float": true, "double": true, "real": true, "year": true,
}

// StripParens removes parentheses that enclose a whole expression, which
// MySQL 8 adds around check clauses and MariaDB does not, so that both
// engines give the same text.
func StripParens(expr string) string {
	for {
		e := strings.TrimSpace(expr)
		if len(e) < 2 || e[0] != '(' || e[len(e)-1] != ')' || enclosingEnd(e) != len(e)-1 {
			return e
		}
		expr = e[1 : len(e)-1]
	}
}

// enclosingEnd returns the index of the parenthesis that closes the one at
// e[0], skipping quoted strings and names, or -1.
func enclosingEnd(e string) int {
	depth := 0
	var quote byte
	for i := 0; i < len(e); i++ {
		c := e[i]
		switch {
		case quote != 0:
			if c == '\\' && quote != '`' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// binaryTypes are the data types whose MySQL 8 defaults are printed as bit
// or hex literals.
var binaryTypes = map[string]bool{"bit": true, "binary": true, "varbinary": true, "blob": true, "tinyblob": true, "mediumblob": true, "longblob": true}

// normalizeDefault returns a column default as an SQL expression, spelled
// the same on MySQL and MariaDB where they agree: string and temporal
// literals quoted (with quotes doubled), numbers bare, CURRENT_TIMESTAMP in upper case,
// other expressions as the server prints them, and nil for no default or
// DEFAULT NULL.
//
// MySQL 8 gives literals unquoted and marks expression defaults with
// DEFAULT_GENERATED in EXTRA; MariaDB quotes literals itself and returns the
// string NULL for DEFAULT NULL.
func normalizeDefault(engine schema.Engine, def sql.NullString, dataType, extra string) *string {
	if !def.Valid {
		return nil
	}
	v := def.String
	if engine == schema.MariaDB {
		if v == "NULL" {
			return nil
		}
		if strings.HasPrefix(v, "'") {
			return &v
		}
	} else if !strings.Contains(extra, "DEFAULT_GENERATED") {
		switch {
		case numericTypes[strings.ToLower(dataType)]:
		case binaryTypes[strings.ToLower(dataType)] && (strings.HasPrefix(v, "b'") || strings.HasPrefix(v, "0x")):
			// MySQL prints bit and binary defaults as b'...' or 0x...
		default:
			v = "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(v) + "'"
		}
		return &v
	}
	// An expression: CURRENT_TIMESTAMP is spelled current_timestamp() by
	// MariaDB and CURRENT_TIMESTAMP by MySQL.
	if l := strings.ToLower(v); strings.HasPrefix(l, "current_timestamp") {
		rest := v[len("current_timestamp"):]
		if rest == "()" {
			rest = ""
		}
		v = "CURRENT_TIMESTAMP" + rest
	}
	return &v
}

// readIndexes reads every index, and from them the primary key and the
// unique constraints (on MySQL a unique constraint is a unique index).
func (r *reader) readIndexes(ctx context.Context) error {
	r.setStep("indexes")
	expr := "NULL"
	if r.server.engine == schema.MySQL && r.server.atLeast(8, 0, 13) {
		expr = "EXPRESSION"
	}
	rows, err := r.query(ctx, "statistics", `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, `+expr+`, INDEX_TYPE
 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()`)
	if err != nil {
		return err
	}
	defer rows.Close()
	type part struct {
		seq int64
		col string
	}
	type key struct{ table, index string }
	type idx struct {
		schema.Index
		parts []part
	}
	all := make(map[key]*idx)
	var order []key
	for rows.Next() {
		var tname, iname, itype string
		var nonUnique, seq int64
		var col, ex sql.NullString
		if err := rows.Scan(&tname, &iname, &nonUnique, &seq, &col, &ex, &itype); err != nil {
			return err
		}
		if r.table(tname) == nil {
			continue
		}
		k := key{tname, iname}
		ix := all[k]
		if ix == nil {
			ix = &idx{Index: schema.Index{Name: iname, Unique: nonUnique == 0, Primary: iname == "PRIMARY", Method: indexMethod(itype)}}
			all[k] = ix
			order = append(order, k)
		}
		c := col.String
		if !col.Valid {
			c = ex.String
		}
		ix.parts = append(ix.parts, part{seq, c})
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range order {
		ix := all[k]
		slices.SortFunc(ix.parts, func(a, b part) int { return cmp.Compare(a.seq, b.seq) })
		ix.Columns = make([]string, len(ix.parts))
		for i, p := range ix.parts {
			ix.Columns[i] = p.col
		}
		t := r.table(k.table)
		t.Indexes = append(t.Indexes, ix.Index)
		switch {
		case ix.Primary:
			t.PrimaryKey = &schema.Key{Name: ix.Name, Columns: slices.Clone(ix.Columns)}
		case ix.Unique:
			t.Uniques = append(t.Uniques, schema.Key{Name: ix.Name, Columns: slices.Clone(ix.Columns)})
		}
	}
	return nil
}

// indexMethod spells an INDEX_TYPE: btree and hash in lower case as on
// PostgreSQL, FULLTEXT and SPATIAL as MySQL does.
func indexMethod(t string) string {
	switch u := strings.ToUpper(t); u {
	case "BTREE", "HASH":
		return strings.ToLower(u)
	default:
		return u
	}
}

// readForeignKeys reads the foreign keys: their ordered columns from
// KEY_COLUMN_USAGE and their actions from REFERENTIAL_CONSTRAINTS. Two plain
// queries joined in Go: MariaDB materialises each information_schema table
// and would join them row by row.
//
// MariaDB shows a user who holds nothing but SELECT on a table its keys in
// KEY_COLUMN_USAGE but not their REFERENTIAL_CONSTRAINTS rows (any other
// table privilege, SHOW VIEW say, shows them). The actions of such keys
// are read from SHOW CREATE TABLE, one statement per table that has them:
// the only place left that says them to that user.
func (r *reader) readForeignKeys(ctx context.Context) error {
	r.setStep("foreign keys")
	rows, err := r.query(ctx, "key column usage", `SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME, ORDINAL_POSITION, REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
 FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL`)
	if err != nil {
		return err
	}
	type key struct{ table, name string }
	type part struct {
		pos      int64
		col, ref string
	}
	type fk struct {
		schema.ForeignKey
		parts []part
		ruled bool
	}
	all := make(map[key]*fk)
	var order []key
	for rows.Next() {
		var tname, cname, col, refSchema, refTable, refCol string
		var pos int64
		if err := rows.Scan(&tname, &cname, &col, &pos, &refSchema, &refTable, &refCol); err != nil {
			rows.Close()
			return err
		}
		if r.table(tname) == nil {
			continue
		}
		k := key{tname, cname}
		f := all[k]
		if f == nil {
			f = &fk{ForeignKey: schema.ForeignKey{Name: cname, Enforced: true, Valid: true}}
			all[k] = f
			order = append(order, k)
		}
		f.References = schema.TableName{Schema: refSchema, Name: refTable}
		f.parts = append(f.parts, part{pos, col, refCol})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	rows, err = r.query(ctx, "referential constraints", `SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
 FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var tname, cname, upd, del string
		if err := rows.Scan(&tname, &cname, &upd, &del); err != nil {
			return err
		}
		if f := all[key{tname, cname}]; f != nil {
			f.OnUpdate, f.OnDelete, f.ruled = action(upd), action(del), true
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()

	var hidden []string // tables with keys whose actions were not shown
	for _, k := range order {
		if !all[k].ruled && !slices.Contains(hidden, k.table) {
			hidden = append(hidden, k.table)
		}
	}
	for _, tname := range hidden {
		ddl, err := r.showCreateTable(ctx, tname)
		if err != nil {
			return err
		}
		rules := foreignKeyRules(ddl, r.defaultRule())
		for _, k := range order {
			if f := all[k]; k.table == tname && !f.ruled {
				rule, ok := rules[k.name]
				if !ok {
					return fmt.Errorf("foreign key %s of table %s: its actions are neither in REFERENTIAL_CONSTRAINTS nor in SHOW CREATE TABLE", sqlident.MySQL(k.name), sqlident.MySQL(tname))
				}
				f.OnDelete, f.OnUpdate, f.ruled = rule.onDelete, rule.onUpdate, true
			}
		}
	}

	for _, k := range order {
		f := all[k]
		slices.SortFunc(f.parts, func(a, b part) int { return cmp.Compare(a.pos, b.pos) })
		f.Columns = make([]string, len(f.parts))
		f.RefColumns = make([]string, len(f.parts))
		for i, p := range f.parts {
			f.Columns[i], f.RefColumns[i] = p.col, p.ref
		}
		t := r.table(k.table)
		t.ForeignKeys = append(t.ForeignKeys, f.ForeignKey)
	}
	return nil
}

// showCreateTable returns the CREATE TABLE statement of a table of the
// database.
func (r *reader) showCreateTable(ctx context.Context, table string) (string, error) {
	rows, err := r.query(ctx, "show create table", "SHOW CREATE TABLE "+sqlident.MySQLTable(r.db, table))
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var name, ddl string
	if rows.Next() {
		if err := rows.Scan(&name, &ddl); err != nil {
			return "", err
		}
	}
	return ddl, rows.Err()
}

// defaultRule is the action SHOW CREATE TABLE leaves out and
// REFERENTIAL_CONSTRAINTS reports for a key declared without one.
func (r *reader) defaultRule() schema.Action {
	if r.server.engine == schema.MariaDB {
		return schema.Restrict
	}
	return schema.NoAction
}

// action maps an UPDATE_RULE or DELETE_RULE to a schema.Action.
func action(rule string) schema.Action {
	switch a := schema.Action(strings.ToUpper(rule)); a {
	case schema.Cascade, schema.SetNull, schema.SetDefault, schema.Restrict:
		return a
	default:
		return schema.NoAction
	}
}

// readChecks reads the check constraints. MariaDB's CHECK_CONSTRAINTS has a
// TABLE_NAME (its constraint names are unique per table only); MySQL 8.0.16+
// names the table in TABLE_CONSTRAINTS.
func (r *reader) readChecks(ctx context.Context) error {
	r.setStep("check constraints")
	var q string
	switch {
	case r.server.engine == schema.MariaDB:
		q = `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`
	case r.server.atLeast(8, 0, 16):
		q = `SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
 FROM information_schema.CHECK_CONSTRAINTS cc
 JOIN information_schema.TABLE_CONSTRAINTS tc
   ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME AND tc.CONSTRAINT_TYPE = 'CHECK'
 WHERE cc.CONSTRAINT_SCHEMA = DATABASE() AND tc.TABLE_SCHEMA = DATABASE()`
	default:
		return nil // no check constraints before MySQL 8.0.16
	}
	rows, err := r.query(ctx, "check constraints", q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var tname, cname, clause string
		if err := rows.Scan(&tname, &cname, &clause); err != nil {
			return err
		}
		if t := r.table(tname); t != nil {
			t.Checks = append(t.Checks, schema.Check{Name: cname, Expression: StripParens(clause)})
		}
	}
	return rows.Err()
}

// readViews reads the view definitions and what each view reads: from
// VIEW_TABLE_USAGE on MySQL 8.0.13+, by parsing the definition otherwise.
func (r *reader) readViews(ctx context.Context) error {
	r.setStep("views")
	// ALGORITHM is MariaDB's alone.
	algorithm := "''"
	if r.server.engine == schema.MariaDB {
		algorithm = "ALGORITHM"
	}
	rows, err := r.query(ctx, "views", `SELECT TABLE_NAME, VIEW_DEFINITION, SECURITY_TYPE, CHECK_OPTION, `+algorithm+`, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DEFINER
 FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE()`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var hidden []string
	for rows.Next() {
		var name string
		var def, security, check, algo, cs, coll, definer sql.NullString
		if err := rows.Scan(&name, &def, &security, &check, &algo, &cs, &coll, &definer); err != nil {
			return err
		}
		v := r.view(name)
		if v == nil {
			continue
		}
		v.Definition = def.String
		v.Security, v.CheckOption, v.Algorithm, v.Definer = security.String, check.String, algo.String, definer.String
		v.CreatedWith = createdWith(nil, cs, coll)
		if v.Definition == "" {
			hidden = append(hidden, name)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	showView := r.grantTo("SHOW VIEW", r.onDB())
	if len(hidden) > 0 {
		slices.Sort(hidden)
		r.unreadable(partViews, fmt.Sprintf("the user may not read the definition of %d view(s) (%s): %s", len(hidden), listNames(hidden, 5), showView))
	}

	useVTU := r.server.engine == schema.MySQL && r.server.atLeast(8, 0, 13)
	if useVTU {
		if err := r.readViewTableUsage(ctx); err != nil {
			return err
		}
	}
	for i := range r.snap.Views {
		v := &r.snap.Views[i]
		switch {
		case v.Definition == "":
			v.Unresolved = "definition not readable: " + showView
		case useVTU:
			// Reads came from VIEW_TABLE_USAGE.
		default:
			reads, why := ViewReads(v.Definition)
			v.Reads = r.resolve(reads)
			v.Unresolved = why
		}
		if v.Reads == nil {
			v.Reads = []schema.TableName{}
		}
	}
	return nil
}

// readViewTableUsage reads what each view reads on MySQL 8.0.13+.
func (r *reader) readViewTableUsage(ctx context.Context) error {
	rows, err := r.query(ctx, "view table usage", `SELECT VIEW_NAME, TABLE_SCHEMA, TABLE_NAME FROM information_schema.VIEW_TABLE_USAGE WHERE VIEW_SCHEMA = DATABASE()`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var view, s, t string
		if err := rows.Scan(&view, &s, &t); err != nil {
			return err
		}
		if v := r.view(view); v != nil {
			v.Reads = append(v.Reads, schema.TableName{Schema: s, Name: t})
		}
	}
	return rows.Err()
}

// readRoutines reads the stored functions and procedures of the database
// and what their bodies read and write. A table a body names without a
// database is the routine's database's: ByPath lists those (moving such a
// table breaks the routine).
func (r *reader) readRoutines(ctx context.Context) error {
	r.setStep("routines")
	rows, err := r.query(ctx, "routines", `SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION FROM information_schema.ROUTINES
 WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_TYPE IN ('FUNCTION', 'PROCEDURE')`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name, kind string
		var body sql.NullString
		if err := rows.Scan(&name, &kind, &body); err != nil {
			return err
		}
		rt := schema.Routine{Schema: r.db, Name: name, Kind: strings.ToLower(kind), Language: "sql", Reads: []schema.TableName{}, Writes: []schema.TableName{}}
		if !body.Valid || body.String == "" {
			// ROUTINE_DEFINITION is NULL for a user who neither owns the
			// routine nor holds the privileges to see its body.
			rt.Unresolved = "body not readable"
			r.snap.Routines = append(r.snap.Routines, rt)
			continue
		}
		writes, reads, unresolved := TriggerRefs(body.String)
		rt.Reads, rt.Writes, rt.Unresolved = r.resolve(reads), r.resolve(writes), unresolved
		rt.Dynamic = strings.Contains(unresolved, dynamicNote)
		for _, n := range append(slices.Clone(reads), writes...) {
			if n.Schema == "" {
				rt.ByPath = append(rt.ByPath, schema.TableName{Schema: r.db, Name: n.Name})
			}
		}
		r.snap.Routines = append(r.snap.Routines, rt)
	}
	return rows.Err()
}

// createdWith returns the session settings a view or trigger keeps, nil
// when the catalog gives none. mode is nil for a view.
func createdWith(mode *sql.NullString, cs, coll sql.NullString) *schema.CreatedWith {
	var cw schema.CreatedWith
	if mode != nil && mode.Valid {
		m := mode.String
		cw.SQLMode = &m
	}
	cw.CharacterSetClient, cw.CollationConnection = cs.String, coll.String
	if cw == (schema.CreatedWith{}) {
		return nil
	}
	return &cw
}

// resolve qualifies unqualified names with the database.
func (r *reader) resolve(ns []schema.TableName) []schema.TableName {
	out := make([]schema.TableName, len(ns))
	for i, n := range ns {
		if n.Schema == "" {
			n.Schema = r.db
		}
		out[i] = n
	}
	return out
}

// listNames lists up to max names, then says how many more there are.
func listNames(names []string, max int) string {
	if len(names) <= max {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:max], ", "), len(names)-max)
}

// readTriggers reads the triggers and what their bodies write and read.
// The filter is on EVENT_OBJECT_SCHEMA: on TRIGGER_SCHEMA, MariaDB would
// scan every database on the server.
func (r *reader) readTriggers(ctx context.Context) error {
	r.setStep("triggers")
	rows, err := r.query(ctx, "triggers", `SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_SCHEMA, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_ORIENTATION, ACTION_STATEMENT,
 SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DEFINER
 FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE()`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var name, event, tschema, table, timing, level string
		var body, mode, cs, coll, definer sql.NullString
		if err := rows.Scan(&name, &event, &tschema, &table, &timing, &level, &body, &mode, &cs, &coll, &definer); err != nil {
			return err
		}
		if r.cfg.Excluded(schema.TableName{Schema: tschema, Name: table}) {
			continue
		}
		tr := schema.Trigger{
			Schema: r.db, Name: name,
			Table:  schema.TableName{Schema: tschema, Name: table},
			Timing: strings.ToUpper(timing), Events: []string{strings.ToUpper(event)},
			Level: strings.ToUpper(level), Body: body.String, Definer: definer.String,
		}
		tr.CreatedWith = createdWith(&mode, cs, coll)
		if tr.Body == "" {
			tr.Unresolved = "body not readable: " + r.grantTo("TRIGGER", r.onDB())
		} else {
			writes, reads, why := TriggerRefs(tr.Body)
			tr.Writes, tr.Reads, tr.Unresolved = r.resolve(writes), r.resolve(reads), why
		}
		r.snap.Triggers = append(r.snap.Triggers, tr)
	}
	return rows.Err()
}
