// Package schema is the snapshot model that seams reads from a live database
// catalog and that the planner and the renderers share.
//
// A Snapshot is engine-neutral: PostgreSQL schemas and MySQL/MariaDB databases
// are both Schemas, and every table, view and trigger is named by its schema
// and its own name. Snapshots are saved as JSON (see Write and Read) in a
// deterministic, versioned form that diffs well under version control.
package schema

import (
	"fmt"
	"strings"
	"time"
)

// FormatVersion is the version of the snapshot JSON format written by this
// package. Read rejects snapshots of a newer format.
const FormatVersion = 2

// Engine names the database engine a snapshot was read from.
type Engine string

// The engines seams reads.
const (
	Postgres Engine = "postgres"
	MySQL    Engine = "mysql"
	MariaDB  Engine = "mariadb"
)

// Dialect names an SQL dialect family: the grammar statements are parsed
// with and the SQL the plan writes.
type Dialect string

// The dialects. MariaDB speaks the MySQL dialect.
const (
	DialectPostgres Dialect = "postgres"
	DialectMySQL    Dialect = "mysql"
)

// engines is the one list of the engines seams knows, with their dialects.
// Everything that depends on the engine asks it (through Engine.Dialect)
// and treats an engine missing from it as an error, never as a default.
var engines = map[Engine]Dialect{
	Postgres: DialectPostgres,
	MySQL:    DialectMySQL,
	MariaDB:  DialectMySQL,
}

// Dialect reports the SQL dialect of the engine, and false for an engine
// seams does not know.
func (e Engine) Dialect() (Dialect, bool) {
	d, ok := engines[e]
	return d, ok
}

// Known reports whether seams knows the engine.
func (e Engine) Known() bool {
	_, ok := engines[e]
	return ok
}

// Dialects lists the dialects, sorted.
func Dialects() []Dialect { return []Dialect{DialectMySQL, DialectPostgres} }

// Snapshot is everything seams knows about one database.
type Snapshot struct {
	// Format is the snapshot format version (FormatVersion when written).
	Format int `json:"format"`
	// Source says where and when the snapshot was taken.
	Source Source `json:"source"`
	// Schemas are the PostgreSQL schemas or the MySQL database read.
	Schemas []Schema `json:"schemas"`
	// Tables are the base tables, partitioned parents and partitions.
	Tables []Table `json:"tables"`
	// Views are the views and materialized views.
	Views []View `json:"views"`
	// Triggers are the triggers on tables and views.
	Triggers []Trigger `json:"triggers"`
	// Routines are the stored functions and procedures of the schemas read
	// (PostgreSQL: those in SQL and PL/pgSQL with a body in text, trigger
	// functions included, not those of extensions), with the tables their
	// bodies reach; empty when the engine's routines are not read.
	Routines []Routine `json:"routines,omitempty"`
	// SearchPath is the database's own default search_path (PostgreSQL:
	// ALTER DATABASE ... SET search_path), $user and pg_temp left out; empty
	// when the database sets none and sessions get the server's.
	SearchPath []string `json:"search_path,omitempty"`
	// Unreadable lists the parts of the catalog the connecting role could not
	// read; the corresponding facts are absent from the snapshot.
	Unreadable []Unreadable `json:"unreadable,omitempty"`
	// Usage is who reads and writes which table, when `seams usage` added it.
	Usage *Usage `json:"usage,omitempty"`
	// Inferred are the references no foreign key declares, inferred by
	// package infer, in the order of NormalizeInferred; never mixed with the
	// tables' ForeignKeys.
	Inferred []InferredReference `json:"inferred,omitempty"`
}

// Source identifies the database a snapshot was read from. It never holds a
// password or a user name.
type Source struct {
	Engine        Engine    `json:"engine"`
	ServerVersion string    `json:"server_version"`
	Database      string    `json:"database"`
	Host          string    `json:"host,omitempty"`
	CapturedAt    time.Time `json:"captured_at"`
	SeamsVersion  string    `json:"seams_version"`
	// File is the DDL file the snapshot was read from (seams --schema-file);
	// empty for a snapshot of a live database.
	File string `json:"file,omitempty"`
}

// Schema is a PostgreSQL schema or a MySQL/MariaDB database.
type Schema struct {
	Name    string `json:"name"`
	Comment string `json:"comment,omitempty"`
}

// TableName names a table or view by schema and name.
type TableName struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
}

// String returns schema.name, unquoted, for messages and keys.
func (n TableName) String() string {
	if n.Schema == "" {
		return n.Name
	}
	return n.Schema + "." + n.Name
}

// Compare orders table names by schema, then name, comparing bytes as
// strings.Compare does. It returns -1 if n sorts before o, +1 if after and
// 0 if they are equal, so it can be passed to slices.SortFunc as
// schema.TableName.Compare.
func (n TableName) Compare(o TableName) int {
	if c := strings.Compare(n.Schema, o.Schema); c != 0 {
		return c
	}
	return strings.Compare(n.Name, o.Name)
}

// Less orders table names by schema, then name: it reports whether n sorts
// before o in the order of Compare.
func (n TableName) Less(o TableName) bool { return n.Compare(o) < 0 }

// TableKind is the kind of a table.
type TableKind string

// Table kinds. A partition has Kind KindTable (or KindPartitioned when it is
// itself partitioned) and a non-nil PartitionOf.
const (
	KindTable       TableKind = "table"
	KindPartitioned TableKind = "partitioned"
)

// Table is a base table, a partitioned parent or a partition.
type Table struct {
	Schema string    `json:"schema"`
	Name   string    `json:"name"`
	Kind   TableKind `json:"kind"`
	// PartitionOf is the parent of a partition; nil for other tables.
	// Partitions belong to their parent and are not counted as tables.
	PartitionOf *TableName `json:"partition_of,omitempty"`
	Comment     string     `json:"comment,omitempty"`
	// RowEstimate is the planner's row estimate; nil when unknown.
	RowEstimate *int64 `json:"row_estimate,omitempty"`
	// SizeBytes is the on-disk size of the table with its indexes; nil when unknown.
	SizeBytes   *int64       `json:"size_bytes,omitempty"`
	Columns     []Column     `json:"columns"`
	PrimaryKey  *Key         `json:"primary_key,omitempty"`
	Uniques     []Key        `json:"uniques,omitempty"`
	Indexes     []Index      `json:"indexes,omitempty"`
	Checks      []Check      `json:"checks,omitempty"`
	ForeignKeys []ForeignKey `json:"foreign_keys,omitempty"`
	// Stats holds activity counters; nil when none could be read.
	Stats *TableStats `json:"stats,omitempty"`
	// Location is where a DDL file creates the table; nil for a live
	// database.
	Location *Location `json:"location,omitempty"`
}

// TableName returns the table's schema-qualified name.
func (t *Table) TableName() TableName { return TableName{Schema: t.Schema, Name: t.Name} }

// IsPartition reports whether the table is a partition of another table.
func (t *Table) IsPartition() bool { return t.PartitionOf != nil }

// Column returns the column with the given name, or nil.
func (t *Table) Column(name string) *Column {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

// ColumnKeys says which of its table's keys a column belongs to.
type ColumnKeys struct {
	// Primary: the column is part of the primary key.
	Primary bool
	// Foreign: the column is part of at least one foreign key.
	Foreign bool
	// Unique: the column is part of at least one unique constraint, alone
	// or with other columns.
	Unique bool
	// UniqueAlone: a unique constraint is on this column alone, so its
	// values are unique by themselves.
	UniqueAlone bool
}

// ColumnKeys returns, by column name, the keys each column belongs to.
// Columns that belong to no key are absent. Renderers use it to mark key
// columns.
func (t *Table) ColumnKeys() map[string]ColumnKeys {
	keys := map[string]ColumnKeys{}
	mark := func(cols []string, set func(*ColumnKeys)) {
		for _, c := range cols {
			k := keys[c]
			set(&k)
			keys[c] = k
		}
	}
	if t.PrimaryKey != nil {
		mark(t.PrimaryKey.Columns, func(k *ColumnKeys) { k.Primary = true })
	}
	for _, f := range t.ForeignKeys {
		mark(f.Columns, func(k *ColumnKeys) { k.Foreign = true })
	}
	for _, u := range t.Uniques {
		alone := len(u.Columns) == 1
		mark(u.Columns, func(k *ColumnKeys) { k.Unique, k.UniqueAlone = true, k.UniqueAlone || alone })
	}
	return keys
}

// Column is a table or view column.
type Column struct {
	Name string `json:"name"`
	// Type is the type as the database spells it (format_type on
	// PostgreSQL, COLUMN_TYPE on MySQL).
	Type     string  `json:"type"`
	Nullable bool    `json:"nullable"`
	Default  *string `json:"default,omitempty"`
	// Generated is "stored" or "virtual" for a generated column, with its
	// expression in Expression.
	Generated  string `json:"generated,omitempty"`
	Expression string `json:"expression,omitempty"`
	// Identity is "always" or "by default" for a PostgreSQL identity column
	// and "auto_increment" for a MySQL AUTO_INCREMENT column.
	Identity string `json:"identity,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

// Key is a primary key or unique constraint.
type Key struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
}

// Index is an index on a table.
type Index struct {
	Name string `json:"name"`
	// Columns holds column names or, for expression parts, the expression.
	Columns []string `json:"columns"`
	Unique  bool     `json:"unique,omitempty"`
	Primary bool     `json:"primary,omitempty"`
	// Predicate is the WHERE clause of a partial index.
	Predicate string `json:"predicate,omitempty"`
	// Method is the access method (btree, hash, gin, FULLTEXT...).
	Method string `json:"method,omitempty"`
}

// Check is a check constraint.
type Check struct {
	Name       string `json:"name"`
	Expression string `json:"expression"`
}

// Action is a referential action.
type Action string

// Referential actions, spelled as in SQL.
const (
	NoAction   Action = "NO ACTION"
	Restrict   Action = "RESTRICT"
	Cascade    Action = "CASCADE"
	SetNull    Action = "SET NULL"
	SetDefault Action = "SET DEFAULT"
)

// ForeignKey is a foreign key constraint declared on its child table.
type ForeignKey struct {
	Name    string   `json:"name"`
	Columns []string `json:"columns"`
	// References is the parent table, possibly in another schema.
	References TableName `json:"references"`
	// RefColumns are the referenced columns, in the order of Columns.
	RefColumns        []string `json:"ref_columns"`
	OnDelete          Action   `json:"on_delete"`
	OnUpdate          Action   `json:"on_update"`
	Deferrable        bool     `json:"deferrable,omitempty"`
	InitiallyDeferred bool     `json:"initially_deferred,omitempty"`
	// Enforced is false for a constraint the engine does not enforce.
	Enforced bool `json:"enforced"`
	// Valid is false for a PostgreSQL constraint added NOT VALID and not
	// yet validated.
	Valid bool `json:"valid"`
	// Location is where a DDL file declares the key (its clause in CREATE
	// TABLE, or its ALTER TABLE); nil for a live database.
	Location *Location `json:"location,omitempty"`
}

// View is a view or materialized view.
type View struct {
	Schema       string   `json:"schema"`
	Name         string   `json:"name"`
	Materialized bool     `json:"materialized,omitempty"`
	Comment      string   `json:"comment,omitempty"`
	Definition   string   `json:"definition,omitempty"`
	Columns      []Column `json:"columns,omitempty"`
	// Reads are the tables and views the view reads, sorted.
	Reads []TableName `json:"reads"`
	// Unresolved says why Reads may be incomplete (for example a
	// definition the parser could not read); empty when complete.
	Unresolved string `json:"unresolved,omitempty"`
	// Location is where a DDL file creates the view; nil for a live
	// database.
	Location *Location `json:"location,omitempty"`
	// Security, CheckOption and Algorithm are the MySQL/MariaDB view's SQL
	// SECURITY (DEFINER, INVOKER), WITH CHECK OPTION (NONE, LOCAL,
	// CASCADED) and ALGORITHM (UNDEFINED, MERGE, TEMPTABLE; MariaDB
	// only); empty when not read.
	Security    string `json:"security,omitempty"`
	CheckOption string `json:"check_option,omitempty"`
	Algorithm   string `json:"algorithm,omitempty"`
	// Definer is the MySQL/MariaDB account the view runs as under SQL
	// SECURITY DEFINER, user@host as the server writes it; empty when not
	// read (a schema file without a DEFINER clause).
	Definer string `json:"definer,omitempty"`
	// CreatedWith is the MySQL/MariaDB session the view was created in.
	CreatedWith *CreatedWith `json:"created_with,omitempty"`
}

// CreatedWith is the session settings a MySQL/MariaDB view or trigger was
// created with and keeps: re-created in another session, it would take
// that session's.
type CreatedWith struct {
	// SQLMode is the trigger's sql_mode, which its body runs with (nil for
	// a view, which has none; "" is the empty mode).
	SQLMode *string `json:"sql_mode,omitempty"`
	// CharacterSetClient and CollationConnection are the client character
	// set and connection collation.
	CharacterSetClient  string `json:"character_set_client,omitempty"`
	CollationConnection string `json:"collation_connection,omitempty"`
}

// TableName returns the view's schema-qualified name.
func (v *View) TableName() TableName { return TableName{Schema: v.Schema, Name: v.Name} }

// Trigger is a trigger on a table or view.
type Trigger struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Table is the table (or view) the trigger is on.
	Table TableName `json:"table"`
	// Timing is BEFORE, AFTER or INSTEAD OF.
	Timing string `json:"timing"`
	// Events are INSERT, UPDATE, DELETE and TRUNCATE, in that order.
	Events []string `json:"events"`
	// Level is ROW or STATEMENT.
	Level string `json:"level"`
	// Function is the trigger function (PostgreSQL), schema-qualified.
	Function string `json:"function,omitempty"`
	// Body is the source of the trigger function or trigger body.
	Body string `json:"body,omitempty"`
	// Writes and Reads are the tables the body writes and reads, sorted.
	Writes []TableName `json:"writes"`
	Reads  []TableName `json:"reads"`
	// Unresolved says why Writes and Reads may be incomplete; empty when
	// the body was fully analysed.
	Unresolved string `json:"unresolved,omitempty"`
	// Location is where a DDL file creates the trigger; nil for a live
	// database.
	Location *Location `json:"location,omitempty"`
	// CreatedWith is the MySQL/MariaDB session the trigger was created in:
	// its body runs with that sql_mode.
	CreatedWith *CreatedWith `json:"created_with,omitempty"`
	// Definer is the MySQL/MariaDB account the trigger's body runs as,
	// user@host as the server writes it; empty when not read.
	Definer string `json:"definer,omitempty"`
}

// Routine is a stored function or procedure.
type Routine struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Arguments are the routine's identity arguments as the server writes
	// them (PostgreSQL's pg_get_function_identity_arguments: "integer,
	// text"); with Schema and Name they name one routine in ALTER FUNCTION.
	Arguments string `json:"arguments"`
	// Kind is "function" or "procedure".
	Kind string `json:"kind"`
	// Language is the routine's language: sql, plpgsql.
	Language string `json:"language"`
	// SearchPath is the routine's own SET search_path, $user and pg_temp
	// left out; nil when it sets none and runs with its caller's.
	SearchPath []string `json:"search_path,omitempty"`
	// Reads and Writes are the tables and views the body reads and writes,
	// resolved, sorted.
	Reads  []TableName `json:"reads"`
	Writes []TableName `json:"writes"`
	// ByPath are those of Reads and Writes that the body names without a
	// schema, found through the search path (the routine's own, else the
	// database's, else its schema then public), sorted: moving one to
	// another schema breaks the routine unless its search path follows.
	ByPath []TableName `json:"by_path,omitempty"`
	// Calls are the routines of the snapshot the body calls by name,
	// "schema.name", sorted.
	Calls []string `json:"calls,omitempty"`
	// Dynamic is true when the body runs SQL built at run time (EXECUTE of
	// a string): it may reach, by search path, tables that Reads and
	// Writes do not list.
	Dynamic bool `json:"dynamic,omitempty"`
	// Unresolved says why Reads, Writes and Calls may be incomplete; empty
	// when the body was fully analysed.
	Unresolved string `json:"unresolved,omitempty"`
}

// TableStats holds activity counters for one table. A nil field is a counter
// that could not be read, never a zero.
type TableStats struct {
	// Source names where the counters came from: pg_stat_user_tables,
	// performance_schema or table_statistics.
	Source     string     `json:"source"`
	SeqScans   *int64     `json:"seq_scans,omitempty"`
	IdxScans   *int64     `json:"idx_scans,omitempty"`
	RowsRead   *int64     `json:"rows_read,omitempty"`
	Inserted   *int64     `json:"inserted,omitempty"`
	Updated    *int64     `json:"updated,omitempty"`
	Deleted    *int64     `json:"deleted,omitempty"`
	LiveRows   *int64     `json:"live_rows,omitempty"`
	StatsReset *time.Time `json:"stats_reset,omitempty"`
	// Changed counts the rows inserted, updated and deleted together, for
	// sources that do not split them (MariaDB TABLE_STATISTICS).
	Changed *int64 `json:"changed,omitempty"`
}

// Writes returns inserted+updated+deleted (or changed) and whether any of them is known.
func (s *TableStats) Writes() (int64, bool) {
	if s == nil {
		return 0, false
	}
	var n int64
	known := false
	for _, p := range []*int64{s.Inserted, s.Updated, s.Deleted, s.Changed} {
		if p != nil {
			n += *p
			known = true
		}
	}
	return n, known
}

// Unreadable records a part of the catalog that could not be read.
type Unreadable struct {
	// Part names what is missing, e.g. "stats", "view definitions".
	Part string `json:"part"`
	// Reason is the error or the missing grant.
	Reason string `json:"reason"`
}

// Int64 returns a pointer to v, for optional counters.
func Int64(v int64) *int64 { return &v }

// Validate checks the references inside a snapshot: every foreign key,
// view dependency and trigger refers to a known table or view, or to a table
// outside the snapshot's schemas. It returns the first problem found.
func (s *Snapshot) Validate() error {
	if s.Format <= 0 {
		return fmt.Errorf("snapshot: missing format version")
	}
	if s.Format > FormatVersion {
		return fmt.Errorf("snapshot: format %d is newer than this seams understands (%d); upgrade seams", s.Format, FormatVersion)
	}
	if !s.Source.Engine.Known() {
		return fmt.Errorf("snapshot: unknown engine %q (seams reads postgres, mysql and mariadb)", s.Source.Engine)
	}
	seen := make(map[TableName]bool, len(s.Tables)+len(s.Views))
	for i := range s.Tables {
		n := s.Tables[i].TableName()
		if seen[n] {
			return fmt.Errorf("snapshot: table %s appears twice", n)
		}
		seen[n] = true
	}
	for i := range s.Views {
		n := s.Views[i].TableName()
		if seen[n] {
			return fmt.Errorf("snapshot: view %s has the name of another table or view", n)
		}
		seen[n] = true
	}
	return nil
}
