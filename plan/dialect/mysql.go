package dialect

import (
	"encoding/hex"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// myMaxIdent is the MySQL/MariaDB identifier limit in characters.
const myMaxIdent = 64

// mysql is the MySQL/MariaDB dialect.
type mysql struct{}

// Name returns schema.DialectMySQL.
func (mysql) Name() schema.Dialect { return schema.DialectMySQL }

// Ident quotes name with backquotes, doubling the ones inside. Backslashes
// mean nothing inside backquotes, under any sql_mode, and backquotes still
// quote identifiers under ANSI_QUOTES.
func (mysql) Ident(name string) string { return sqlident.MySQL(name) }

// Table quotes db.name.
func (mysql) Table(t schema.TableName) string { return sqlident.MySQLTable(t.Schema, t.Name) }

// Literal quotes s. A string holding a backslash or a NUL byte is written
// as a hexadecimal literal with a character set introducer
// (_utf8mb4 X'...'): a backslash inside quotes means one thing by default
// and another under NO_BACKSLASH_ESCAPES, a hex literal means the same
// under both. Other strings are quoted with single quotes doubled, which
// both modes read alike (double quotes are avoided: under ANSI_QUOTES they
// quote identifiers). The hex form is an expression: where the grammar wants
// a plain string token (COMMENT '...') it cannot be used.
func (mysql) Literal(s string) string {
	if p, ok := plainLiteral(s); ok {
		return p
	}
	return "_utf8mb4 X'" + hex.EncodeToString([]byte(s)) + "'"
}

// plainLiteral quotes s with single quotes when that means s under every
// sql_mode, that is when s holds no backslash and no NUL byte, and when it
// shows as itself: it holds no control or direction character.
func plainLiteral(s string) (string, bool) {
	if strings.ContainsAny(s, "\\\x00") || strings.ContainsFunc(s, hidden) {
		return "", false
	}
	return quote(s, '\''), true
}

// ObjectName joins parts and shortens the result to 64 characters.
func (mysql) ObjectName(parts ...string) string {
	return shorten(joinName(parts), myMaxIdent, false)
}

// CreateNamespace creates a database with the utf8mb4 character set (and
// the server's default collation for it). MySQL has no DROP DATABASE
// RESTRICT, and DROP DATABASE drops everything inside: Down first runs a
// guard query that fails with error 1242 "Subquery returns more than 1 row"
// when the database still holds a table, view, routine or event, so the
// drop only ever removes an empty database.
func (d mysql) CreateNamespace(name string) Change {
	lit := d.Literal(name)
	guard := "SELECT (SELECT 1 FROM DUAL" +
		" UNION ALL (SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + lit + " LIMIT 1)" +
		" UNION ALL (SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = " + lit + " LIMIT 1)" +
		" UNION ALL (SELECT 1 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = " + lit + " LIMIT 1)" +
		") AS database_is_empty"
	return Change{
		Up:   []string{"CREATE DATABASE " + d.Ident(name) + " CHARACTER SET utf8mb4"},
		Down: []string{guard, "DROP DATABASE " + d.Ident(name)},
		Notes: []string{
			"Down refuses to drop a database that is not empty: its first statement then fails with error 1242 (Subquery returns more than 1 row)",
			"grants on the source database do not extend to the new one: grant the application's users access to it",
		},
	}
}

// MoveTable moves a table to another database with RENAME TABLE. Foreign
// keys (its own and those referencing it), indexes and the data move with
// it. The statement fails, changing nothing, if the target database holds
// a table of that name or a foreign key named like one of the table's
// (foreign key names are per database; MariaDB then reports error 1050,
// "Table ... already exists").
//
// The table must have no triggers: RENAME TABLE fails with error 1435
// (Trigger in wrong schema) when it has; use MoveTableWithTriggers. Views
// that read the table are not updated: MySQL stores them with qualified
// names, so after the move they fail with error 1356 until re-created; use
// MoveTableWithDependents. A view itself cannot be moved to another
// database with RENAME TABLE.
// Grants given on the table or its database do not follow it.
func (d mysql) MoveTable(t schema.TableName, toNamespace string) Change {
	return d.MoveTableWithDependents(t, toNamespace, nil, nil)
}

// MoveTableWithTriggers is MoveTableWithDependents without views.
func (d mysql) MoveTableWithTriggers(t schema.TableName, toNamespace string, triggers []schema.Trigger) Change {
	return d.MoveTableWithDependents(t, toNamespace, triggers, nil)
}

// MoveTableWithDependents moves a table with RENAME TABLE, dropping its
// triggers before and re-creating them in the new database after (and the
// reverse in Down), in the order given, which becomes their action order:
// pass them in ACTION_ORDER. The triggers' bodies (Trigger.Body, MySQL's
// ACTION_STATEMENT) are re-created verbatim: a table they name without a
// database now resolves in the new database (Notes name the ones the
// trigger uses from the old one). Re-created triggers keep their DEFINER
// when the snapshot has it (else they get the applying user's) and the
// sql_mode they were created with. Between the drop and the
// re-create, writes to the table run no trigger: apply the change when the
// application is stopped or accept the gap. A trigger body with several
// statements contains semicolons: apply it with a tool that sends each
// statement whole (not the mysql client without DELIMITER).
//
// The views given (those that read the table, with their definitions as
// they are before the move) are re-created after the move with
// CREATE OR REPLACE VIEW and their references re-pointed (see
// RetargetMySQLView), and re-created from their definitions in Down after
// the move back. A view whose definition is unknown (or does not name the
// table) cannot be re-created: a note says it breaks. CREATE OR REPLACE
// resets what the snapshot does not hold of DEFINER, SQL SECURITY,
// ALGORITHM and CHECK OPTION.
func (d mysql) MoveTableWithDependents(t schema.TableName, toNamespace string, triggers []schema.Trigger, views []schema.View) Change {
	if t.Schema == "" || toNamespace == "" {
		return failed(errorf("move %s to %q: both databases must be named", t, toNamespace))
	}
	moved := schema.TableName{Schema: toNamespace, Name: t.Name}
	var c Change
	var b build
	var dropOld, dropNew, createOld, createNew []string
	for _, tr := range triggers {
		if tr.Table.Name != t.Name || (tr.Table.Schema != "" && tr.Table.Schema != t.Schema) {
			return failed(errorf("move %s: trigger %s is on %s", t, tr.Name, tr.Table))
		}
		if len(tr.Events) != 1 || tr.Body == "" || (tr.Timing != "BEFORE" && tr.Timing != "AFTER") ||
			(tr.Events[0] != "INSERT" && tr.Events[0] != "UPDATE" && tr.Events[0] != "DELETE") {
			return failed(errorf("move %s: trigger %s is not a MySQL trigger (timing %q, events %q, body of %d bytes)", t, tr.Name, tr.Timing, tr.Events, len(tr.Body)))
		}
		oldName := schema.TableName{Schema: t.Schema, Name: tr.Name}
		newName := schema.TableName{Schema: toNamespace, Name: tr.Name}
		dropOld = append(dropOld, "DROP TRIGGER "+d.Table(oldName))
		dropNew = append(dropNew, "DROP TRIGGER "+d.Table(newName))
		createNew = append(createNew, d.createTrigger(newName, moved, tr, &b)...)
		createOld = append(createOld, d.createTrigger(oldName, t, tr, &b)...)
		var uses []string
		for _, u := range append(append([]schema.TableName(nil), tr.Reads...), tr.Writes...) {
			if u.Schema == t.Schema && u.Name != t.Name {
				uses = append(uses, u.String())
			}
		}
		if len(uses) > 0 {
			c.Notes = append(c.Notes, "trigger "+tr.Name+" uses "+strings.Join(uses, ", ")+
				" of the old database: names in its body that are not qualified now resolve in "+toNamespace)
		}
	}
	var viewsNew, viewsOld []string
	for _, v := range views {
		def, n := RetargetMySQLView(v.Definition, t, moved)
		if n == 0 {
			c.Notes = append(c.Notes, "view "+v.TableName().String()+" is not re-created (its definition is unknown or does not name "+t.String()+"): it fails after the move until re-created by hand")
			continue
		}
		viewsNew = append(viewsNew, d.createView(v, def, &b)...)
		viewsOld = append(viewsOld, d.createView(v, v.Definition, &b)...)
	}
	c.Up = b.wrap(append(append(append(append(c.Up, dropOld...), "RENAME TABLE "+d.Table(t)+" TO "+d.Table(moved)), createNew...), viewsNew...))
	c.Down = b.wrap(append(append(append(append(c.Down, dropNew...), "RENAME TABLE "+d.Table(moved)+" TO "+d.Table(t)), createOld...), viewsOld...))
	if len(views) > 0 {
		c.Notes = append(c.Notes, "the views are re-created with their SQL SECURITY, ALGORITHM, CHECK OPTION, character set and collation as the snapshot has them")
	}
	if len(triggers) > 0 {
		c.Notes = append(c.Notes, "the triggers are re-created with the sql_mode, character set and collation they were created with as the snapshot has them")
	}
	if len(triggers)+len(views) > 0 {
		c.Notes = append(c.Notes, definerNote(triggers, views), noteNonAtomic,
			"writes to the table between the drop and the re-create of its triggers run no trigger")
	}
	c.Notes = append(c.Notes, b.notes...)
	if views == nil {
		c.Notes = append(c.Notes, "views reading the table are not updated by RENAME TABLE: re-create them (MoveTableWithDependents)")
	}
	return c
}

// definerNote says who the re-created views and triggers run as: the
// definers the snapshot names, which the applying user may set only with
// the SUPER privilege (SET_ANY_DEFINER or SET_USER_ID on MySQL 8) unless
// it is that account, else the applying user.
func definerNote(triggers []schema.Trigger, views []schema.View) string {
	var named, unnamed []string
	add := func(what, definer string) {
		if definer == "" {
			unnamed = append(unnamed, what)
		} else if !slices.Contains(named, definer) {
			named = append(named, definer)
		}
	}
	for _, tr := range triggers {
		add("trigger "+tr.Name, tr.Definer)
	}
	for _, v := range views {
		add("view "+v.TableName().String(), v.Definer)
	}
	var parts []string
	if len(named) > 0 {
		parts = append(parts, "the views and triggers are re-created with the DEFINER they have ("+strings.Join(named, ", ")+
			"): applying the change as another account needs the SUPER privilege (SET_ANY_DEFINER or SET_USER_ID on MySQL 8)")
	}
	if len(unnamed) > 0 {
		parts = append(parts, "the snapshot names no DEFINER for "+strings.Join(unnamed, ", ")+": the applying user becomes it")
	}
	return strings.Join(parts, "; ")
}

// createTrigger writes CREATE TRIGGER name timing event ON table, in the
// session the trigger was created in (see build.session), with the
// trigger's DEFINER when the snapshot has it.
func (d mysql) createTrigger(name, table schema.TableName, tr schema.Trigger, b *build) []string {
	return b.session(tr.CreatedWith, tr.Body, "CREATE "+d.definer(tr.Definer)+"TRIGGER "+d.Table(name)+" "+tr.Timing+" "+tr.Events[0]+
		" ON "+d.Table(table)+" FOR EACH ROW "+b.raw(tr.Body))
}

// definer writes the DEFINER clause of a re-created view or trigger, with
// a space after it, for the account the snapshot names (user@host, split
// at the last @: a host name has none); "" when the snapshot names none,
// and the applying user becomes the definer.
func (d mysql) definer(account string) string {
	if account == "" {
		return ""
	}
	at := strings.LastIndexByte(account, '@')
	if at < 0 { // a role (MariaDB)
		return "DEFINER = " + d.Ident(account) + " "
	}
	return "DEFINER = " + d.Ident(account[:at]) + "@" + d.Ident(account[at+1:]) + " "
}

// DropForeignKey drops the constraint; Down re-adds it (see AddForeignKey).
// The index InnoDB created for the key stays: Down needs it.
func (d mysql) DropForeignKey(child schema.TableName, fk schema.ForeignKey) Change {
	c := d.AddForeignKey(child, fk)
	c.Up, c.Down = c.Down, c.Up
	return c
}

// DropForeignKeyOf is DropForeignKey with the index of the key kept by
// name. InnoDB creates an index for a key that has none, named after the
// column when the key is declared without a name (KEY `order_id` for
// FOREIGN KEY (order_id)); DROP FOREIGN KEY leaves it, but re-adding the
// key replaces that implicit index with one named after the constraint
// (KEY `t_ibfk_1`). When t has a plain index on exactly the key's columns
// named after its first column, Down drops and re-creates it under its own
// name in the same statement, before the key, which then uses it.
func (d mysql) DropForeignKeyOf(t *schema.Table, fk schema.ForeignKey) Change {
	c := d.AddForeignKeyOf(t, fk)
	c.Up, c.Down = c.Down, c.Up
	return c
}

// SetSearchPath fails: MySQL routines resolve unqualified names in their
// own database and have no search path.
func (d mysql) SetSearchPath(r schema.Routine, _ bool, _, _ []string) Change {
	return failed(errorf("routine %s.%s: MySQL has no search path", r.Schema, r.Name))
}

// AddForeignKeyOf is AddForeignKey keeping the name of the index that
// supports the key (see DropForeignKeyOf).
func (d mysql) AddForeignKeyOf(t *schema.Table, fk schema.ForeignKey) Change {
	c := d.AddForeignKey(t.TableName(), fk)
	if c.Err != nil {
		return c
	}
	for _, ix := range t.Indexes {
		// Only an index named as InnoDB names the one it creates: after
		// the key's first column. Rebuilding any other would cost time on
		// a large table for nothing: the key reuses it as it is.
		if ix.Name != fk.Columns[0] || ix.Primary || ix.Unique || ix.Predicate != "" || !slices.Equal(ix.Columns, fk.Columns) ||
			(ix.Method != "" && !strings.EqualFold(ix.Method, "BTREE")) {
			continue
		}
		prefix := "ALTER TABLE " + d.Table(t.TableName()) + " "
		c.Up = []string{prefix + "DROP INDEX " + d.Ident(ix.Name) + ", ADD INDEX " + d.Ident(ix.Name) + " (" + list(ix.Columns, d.Ident) + "), " +
			strings.TrimPrefix(c.Up[0], prefix)}
		break
	}
	return c
}

// AddForeignKey adds the constraint with its ON UPDATE and ON DELETE
// actions. InnoDB checks every existing row (with foreign_key_checks on)
// and the statement fails if orphans exist: count them with OrphanCount.
// MySQL has no deferrable or NOT VALID keys; InnoDB rejects SET DEFAULT.
func (d mysql) AddForeignKey(child schema.TableName, fk schema.ForeignKey) Change {
	if err := checkFK(child, fk); err != nil {
		return failed(err)
	}
	if fk.Deferrable {
		return failed(errorf("foreign key %s on %s: MySQL has no deferrable keys", fk.Name, child))
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
	return Change{
		Up:   []string{b.String()},
		Down: []string{"ALTER TABLE " + d.Table(child) + " DROP FOREIGN KEY " + d.Ident(fk.Name)},
	}
}

// OrphanCount counts the child rows whose key has no parent row.
func (d mysql) OrphanCount(child schema.TableName, fk schema.ForeignKey) string {
	return orphanCount(d, child, fk)
}

// build collects what a MySQL change needs besides its statements.
type build struct {
	notes []string
	// ownSession is set when a statement re-creates an object in the
	// session it was created in (see session).
	ownSession bool
	// escapes is set when a statement holds text written for the default
	// sql_mode (a string literal with a backslash escape, as MySQL and
	// MariaDB print defaults and generation expressions): such
	// statements must run with NO_BACKSLASH_ESCAPES off.
	escapes bool
}

// raw marks text copied from the catalog (a default, an expression, a
// trigger body, a view definition) and returns it: a string literal in it
// with a backslash was written for backslash escapes.
func (b *build) raw(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	for _, t := range lexMySQL(s) {
		if (t.text[0] == '\'' || t.text[0] == '"') && strings.Contains(t.text, `\`) {
			b.escapes = true
		}
	}
	return s
}

// comment quotes a comment, a plain string token that cannot be a hex
// literal: a comment with a backslash is written with escapes for the
// default sql_mode, and the change then runs with NO_BACKSLASH_ESCAPES off.
func (b *build) comment(s string) string {
	if !strings.ContainsAny(s, "\\\x00") {
		return quote(s, '\'')
	}
	b.escapes = true
	return quote(strings.NewReplacer(`\`, `\\`, "\x00", `\0`).Replace(s), '\'')
}

// Statements that run a change with NO_BACKSLASH_ESCAPES off, or re-create
// objects in the session they were created in, and restore the session's
// sql_mode, client character set and connection collation after.
const (
	saveMode       = "SET @seams_sql_mode = @@SESSION.sql_mode"
	escapesOn      = "SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')"
	restoreMode    = "SET SESSION sql_mode = @seams_sql_mode"
	saveSession    = "SET @seams_sql_mode = @@SESSION.sql_mode, @seams_character_set_client = @@SESSION.character_set_client, @seams_collation_connection = @@SESSION.collation_connection"
	saveBase       = "SET @seams_base_sql_mode = @@SESSION.sql_mode"
	backToBase     = "SET SESSION sql_mode = @seams_base_sql_mode, SESSION character_set_client = @seams_character_set_client, SESSION collation_connection = @seams_collation_connection"
	restoreSession = "SET SESSION sql_mode = @seams_sql_mode, SESSION character_set_client = @seams_character_set_client, SESSION collation_connection = @seams_collation_connection"
	utf8Charsets   = "utf8 utf8mb3 utf8mb4"
)

// session returns create, the statement that re-creates a view or trigger,
// between statements that set the session as the object was created in
// (cw: its sql_mode, client character set and connection collation, which
// it keeps) and set it back; create alone when cw is nil. The client
// character set is set only when the object's text reads the same in it
// as in the UTF-8 of the migration file: a UTF-8 character set, or text
// that is all ASCII; otherwise a note says it is not carried over.
func (b *build) session(cw *schema.CreatedWith, text, create string) []string {
	if cw == nil {
		return []string{create}
	}
	var set []string
	if cw.SQLMode != nil {
		set = append(set, "SESSION sql_mode = "+quote(*cw.SQLMode, '\''))
	}
	if cs := cw.CharacterSetClient; cs != "" && isPlainWord(cs) && cw.CollationConnection != "" && isPlainWord(cw.CollationConnection) {
		if slices.Contains(strings.Fields(utf8Charsets), strings.ToLower(cs)) || isASCII(text+create) {
			set = append(set, "SESSION character_set_client = "+cs, "SESSION collation_connection = "+cw.CollationConnection)
		} else {
			if n := "an object created with the client character set " + cs + " does not keep it when re-created: its text is written in UTF-8"; !slices.Contains(b.notes, n) {
				b.notes = append(b.notes, n)
			}
		}
	}
	if len(set) == 0 {
		return []string{create}
	}
	b.ownSession = true
	return []string{"SET " + strings.Join(set, ", "), create, backToBase}
}

// isPlainWord reports whether s is a bare word (a character set or
// collation name).
func isPlainWord(s string) bool {
	for _, r := range s {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// isASCII reports whether s is all ASCII.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// wrap returns stmts, bracketed by the session statements when the change
// holds text written for backslash escapes or re-creates objects in their
// own session.
func (b *build) wrap(stmts []string) []string {
	switch {
	case len(stmts) == 0 || !b.escapes && !b.ownSession:
		return stmts
	case !b.ownSession:
		return slices.Concat([]string{saveMode, escapesOn}, stmts, []string{restoreMode})
	}
	out := []string{saveSession}
	if b.escapes {
		out = append(out, escapesOn)
	}
	return slices.Concat(out, []string{saveBase}, stmts, []string{restoreSession})
}

// defaultExpr writes a DEFAULT clause's value: literals (quoted strings,
// numbers, bit and hex values, NULL, TRUE, FALSE) and CURRENT_TIMESTAMP
// bare, other expressions in parentheses, which MySQL 8 requires and
// MariaDB accepts.
func defaultExpr(expr string) string {
	e := strings.TrimSpace(expr)
	u := strings.ToUpper(e)
	switch {
	case e == "":
		return "''"
	case e[0] == '\'' || e[0] == '-' || e[0] == '+' || e[0] == '.' || (e[0] >= '0' && e[0] <= '9'):
		return e
	case strings.HasPrefix(u, "B'") || strings.HasPrefix(u, "X'") || strings.HasPrefix(u, "0X") || strings.HasPrefix(u, "0B"):
		return e
	case u == "NULL" || u == "TRUE" || u == "FALSE":
		return e
	case strings.HasPrefix(u, "CURRENT_TIMESTAMP") || strings.HasPrefix(u, "NOW(") || strings.HasPrefix(u, "LOCALTIMESTAMP"):
		return e
	case strings.HasPrefix(e, "(") && strings.HasSuffix(e, ")"):
		return e
	}
	return "(" + e + ")"
}

// columnDef writes a column definition: name, type, generation or NULL /
// NOT NULL and default, and comment.
func (d mysql) columnDef(col schema.Column, nullable, withDefault bool, b *build) string {
	def := d.Ident(col.Name) + " " + col.Type
	if col.Generated != "" && withDefault {
		def += " GENERATED ALWAYS AS (" + b.raw(col.Expression) + ") " + strings.ToUpper(col.Generated)
	} else {
		if nullable {
			def += " NULL"
		} else {
			def += " NOT NULL"
		}
		if withDefault && col.Default != nil {
			def += " DEFAULT " + defaultExpr(b.raw(*col.Default))
		}
	}
	if col.Comment != "" {
		def += " COMMENT " + b.comment(col.Comment)
	}
	return def
}

// CreateTableAs creates newTable (InnoDB, the database's default character
// set) and fills it with INSERT ... SELECT.
//
// Columns keep their type (COLUMN_TYPE), NULL or NOT NULL, default and
// comment; column character sets and collations, ON UPDATE clauses, checks
// and indexes other than the primary key are not copied. AUTO_INCREMENT and
// generated columns become plain columns holding the copied values. The
// rows of pk must be unique and non-null in from, or the INSERT fails and
// leaves the empty table behind (DDL commits on its own): Down drops it.
func (d mysql) CreateTableAs(newTable schema.TableName, from *schema.Table, columns []string, pk []string) Change {
	cols, err := columnsOf(from, columns)
	if err != nil {
		return failed(err)
	}
	if err := checkPK(from, columns, pk); err != nil {
		return failed(err)
	}
	var b build
	var defs []string
	for _, col := range cols {
		if col.Generated != "" || col.Identity != "" {
			b.notes = append(b.notes, "column "+col.Name+": copied as a plain column (it is generated or AUTO_INCREMENT in the source)")
			col.Generated, col.Identity = "", ""
		}
		defs = append(defs, d.columnDef(col, col.Nullable, true, &b))
	}
	defs = append(defs, "PRIMARY KEY ("+list(pk, d.Ident)+")")
	return Change{
		Up: b.wrap([]string{
			"CREATE TABLE " + d.Table(newTable) + " (\n  " + strings.Join(defs, ",\n  ") + "\n)",
			"INSERT INTO " + d.Table(newTable) + " (" + list(columns, d.Ident) + ")\nSELECT " + list(columns, d.Ident) + " FROM " + d.Table(from.TableName()),
		}),
		Down:  []string{"DROP TABLE " + d.Table(newTable)},
		Notes: append(b.notes, noteNonAtomic),
	}
}

// DropColumns drops the columns in one ALTER TABLE. The indexes that use a
// dropped column (t.Indexes; unique constraints are unique indexes on
// MySQL) are dropped whole in the same statement, where MySQL would
// otherwise narrow an index to its remaining columns, and are re-created at
// the end of Down (prefix lengths and descending parts are not in the
// snapshot and are not carried over). The check constraints that mention a
// dropped column (t.Checks) are dropped first, in a statement of their own,
// and added back at the end of Down; a column's own CHECK, which MariaDB
// names after the column and which cannot be dropped by name, goes with
// the column. Foreign keys on the dropped columns must be dropped before
// (DropForeignKey), and the primary key cannot lose a column (Err).
//
// Down adds the columns back in their places (FIRST or AFTER the column
// before them), nullable and without default, refills them with UPDATE ...
// JOIN refillFrom on key, then, for NOT NULL columns, runs a guard query that
// fails with error 1242 (Subquery returns more than 1 row) if a row is still
// NULL (in a non-strict sql_mode MODIFY would silently turn NULLs into
// zeros), and MODIFYs the columns to NOT NULL with their defaults.
// Generated columns are re-added as generated and not refilled.
// AUTO_INCREMENT is not restored (it needs a key the drop removed).
func (d mysql) DropColumns(t *schema.Table, columns []string, refillFrom schema.TableName, key []string) Change {
	cols, err := columnsOf(t, columns)
	if err != nil {
		return failed(err)
	}
	if _, err := columnsOf(t, key); err != nil {
		return failed(err)
	}
	dropped := make(map[string]bool, len(columns))
	for _, n := range columns {
		dropped[n] = true
	}
	for _, k := range key {
		if dropped[k] {
			return failed(errorf("%s: key column %q is also dropped", t.TableName(), k))
		}
	}
	indexes, err := affectedIndexes(t, dropped, false)
	if err != nil {
		return failed(err)
	}
	table := d.Table(t.TableName())
	var c Change
	var b build
	var drops, adds, refill, notNull, modify, recreate []string
	for _, ip := range indexes {
		ix := ip.index
		drops = append(drops, "DROP INDEX "+d.Ident(ix.Name))
		kind := ""
		switch {
		case ix.Unique:
			kind = "UNIQUE "
		case strings.EqualFold(ix.Method, "FULLTEXT"), strings.EqualFold(ix.Method, "SPATIAL"):
			kind = strings.ToUpper(ix.Method) + " "
		}
		add := "ADD " + kind + "INDEX " + d.Ident(ix.Name) + " (" + indexParts(d, t, ix.Columns) + ")"
		if strings.EqualFold(ix.Method, "hash") {
			add += " USING HASH"
		}
		recreate = append(recreate, add)
		var kept []string
		for _, p := range ix.Columns {
			if t.Column(p) != nil && !dropped[p] {
				kept = append(kept, p)
			}
		}
		if len(kept) > 0 {
			b.notes = append(b.notes, "index "+ix.Name+" is dropped whole, not narrowed to "+strings.Join(kept, ", ")+": add an index on them if queries need it")
		}
	}
	// Re-add in table order, so that AFTER always names a column that
	// exists by then.
	for i, col := range t.Columns {
		if !dropped[col.Name] {
			continue
		}
		place := " FIRST"
		if i > 0 {
			place = " AFTER " + d.Ident(t.Columns[i-1].Name)
		}
		if col.Identity != "" {
			c.Notes = append(c.Notes, "column "+col.Name+": AUTO_INCREMENT is not restored")
		}
		if col.Generated != "" {
			adds = append(adds, "ADD COLUMN "+d.columnDef(col, true, true, &b)+place)
			continue
		}
		adds = append(adds, "ADD COLUMN "+d.columnDef(col, true, false, &b)+place)
		refill = append(refill, "dst."+d.Ident(col.Name)+" = src."+d.Ident(col.Name))
		if !col.Nullable {
			notNull = append(notNull, d.Ident(col.Name)+" IS NULL")
		}
		if !col.Nullable || col.Default != nil {
			modify = append(modify, "MODIFY COLUMN "+d.columnDef(col, col.Nullable, true, &b))
		}
	}
	for _, col := range cols {
		drops = append(drops, "DROP COLUMN "+d.Ident(col.Name))
	}
	var checkDrops, checkAdds []string
	for _, ck := range affectedChecks(t, dropped) {
		if col := t.Column(ck.Name); col != nil && dropped[ck.Name] {
			// A column's own CHECK comes back on the column.
			checkAdds = append(checkAdds, "MODIFY COLUMN "+d.columnDef(*col, col.Nullable, true, &b)+" CHECK ("+b.raw(ck.Expression)+")")
			continue
		}
		checkDrops = append(checkDrops, "DROP CONSTRAINT "+d.Ident(ck.Name))
		checkAdds = append(checkAdds, "ADD CONSTRAINT "+d.Ident(ck.Name)+" CHECK ("+b.raw(ck.Expression)+")")
	}
	if len(checkDrops) > 0 {
		c.Up = []string{"ALTER TABLE " + table + " " + strings.Join(checkDrops, ", ")}
	}
	c.Up = append(c.Up, "ALTER TABLE "+table+" "+strings.Join(drops, ", "))
	c.Down = []string{"ALTER TABLE " + table + " " + strings.Join(adds, ", ")}
	if len(refill) > 0 {
		var on []string
		for _, k := range key {
			on = append(on, "dst."+d.Ident(k)+" = src."+d.Ident(k))
		}
		c.Down = append(c.Down, "UPDATE "+table+" AS dst JOIN "+d.Table(refillFrom)+" AS src ON "+strings.Join(on, " AND ")+
			"\nSET "+strings.Join(refill, ", "))
	}
	if len(notNull) > 0 {
		c.Down = append(c.Down, "SELECT (SELECT 1 FROM DUAL UNION ALL (SELECT 1 FROM "+table+" WHERE "+strings.Join(notNull, " OR ")+" LIMIT 1)) AS every_row_refilled")
		c.Notes = append(c.Notes, "Down stops with error 1242 (Subquery returns more than 1 row) if a row of "+t.TableName().String()+" found nothing to refill a NOT NULL column from")
	}
	if len(modify) > 0 {
		c.Down = append(c.Down, "ALTER TABLE "+table+" "+strings.Join(modify, ", "))
	}
	if len(recreate) > 0 {
		c.Down = append(c.Down, "ALTER TABLE "+table+" "+strings.Join(recreate, ", "))
	}
	if len(checkAdds) > 0 {
		c.Down = append(c.Down, "ALTER TABLE "+table+" "+strings.Join(checkAdds, ", "))
	}
	c.Down = b.wrap(c.Down)
	c.Notes = append(append(c.Notes, b.notes...), noteNonAtomic)
	return c
}
