package schema

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Usage is what seams observed about who reads and writes which table: the
// statements found in the sources (pg_stat_statements, performance_schema
// digests, the application's code, a query log), the tables and columns
// each one reads and writes, who ran it or where it was found, the units of
// work that write several tables, and the ORM table declarations. It is
// stored in the snapshot under "usage" (see docs/snapshot-format.md).
//
// Usage holds facts only: no contexts map was used to record it. Package
// attribution attributes it to the contexts of a map when a command runs,
// so the same snapshot answers for any map.
//
// Every list has a defined order (see Normalize), so the same observations
// always give the same JSON.
type Usage struct {
	// Sources are the sources that were asked, in the order they were
	// read, each saying whether it was available and, when not, why.
	Sources []UsageSource `json:"sources"`
	// Statements are the distinct statements that touch at least one table
	// of the snapshot, that the parser rejected, or that are dynamic; sorted
	// by ID.
	Statements []Statement `json:"statements"`
	// Units are the units of work (one function of code, one transaction
	// of a log) that write two or more tables, sorted by location.
	Units []Unit `json:"units,omitempty"`
	// Mappings are the ORM table declarations found in the code, sorted by
	// table then location.
	Mappings []Mapping `json:"mappings,omitempty"`
	// TableIO holds per-table row operation counters where the server keeps
	// them (MySQL/MariaDB performance_schema.table_io_waits_summary_by_table),
	// sorted by table.
	TableIO []TableIO `json:"table_io,omitempty"`
}

// Usage source kinds.
const (
	SourcePgStatStatements  = "pg_stat_statements"
	SourcePerformanceSchema = "performance_schema"
	SourceCode              = "code"
	SourceLog               = "log"
)

// UsageSource is one source of usage data and what came of reading it.
type UsageSource struct {
	// Kind is one of the Source* constants.
	Kind string `json:"kind"`
	// Location is where it was read: the database (never with a password),
	// the code root or the log file.
	Location string `json:"location,omitempty"`
	// Available is false when the source could not be read at all.
	Available bool `json:"available"`
	// Notes say why a source is unavailable or incomplete and how to fix it
	// (an extension to create, a privilege to grant, a setting to turn on).
	Notes []string `json:"notes,omitempty"`
	// Statements counts the statements (or code literals, or log entries)
	// read from the source, before filtering.
	Statements int `json:"statements"`
	// Kept counts the distinct statements kept (those touching a table of
	// the snapshot, rejected or dynamic).
	Kept int `json:"kept"`
	// Rejected counts the statements the parser rejected.
	Rejected int `json:"rejected"`
	// Dynamic counts the statements with SQL that cannot be resolved from
	// the text (built at run time, EXECUTE, CALL).
	Dynamic int `json:"dynamic"`
	// Since is when the source's counters were last reset, RFC 3339, when
	// known: the start of the observed window. On MySQL/MariaDB, which keep
	// no reset time, it is when the oldest digest was first seen (the window
	// is at least that long).
	Since string `json:"since,omitempty"`
	// Until is when the source was read, RFC 3339, by the server's clock:
	// the end of the observed window. Empty for sources without time (the
	// code).
	Until string `json:"until,omitempty"`
}

// Window returns how long the source observed, from Since to Until, and
// whether both are known.
func (s UsageSource) Window() (time.Duration, bool) {
	from, err1 := time.Parse(time.RFC3339, s.Since)
	to, err2 := time.Parse(time.RFC3339, s.Until)
	if err1 != nil || err2 != nil || to.Before(from) {
		return 0, false
	}
	return to.Sub(from), true
}

// Statement is one distinct statement observed, with what it touches.
type Statement struct {
	// ID is stable across runs: the source kind, "/", and the first 16 hex
	// digits of the SHA-256 of Text (and, for code, of the location).
	ID     string `json:"id"`
	Source string `json:"source"`
	// Text is the statement as the source recorded it (normalized with
	// placeholders by pg_stat_statements and digests).
	Text string `json:"text"`
	// Digest is the server's query ID or digest, when it has one.
	Digest string `json:"digest,omitempty"`
	// Calls is the number of executions observed (1 per occurrence in code).
	Calls int64 `json:"calls"`
	// Users are the database roles or users that ran it, sorted.
	Users []string `json:"users,omitempty"`
	// Callers are who ran it (a user, an application) or which file of
	// code holds it, each with its calls, sorted: what the statement is
	// attributed to contexts by.
	Callers []Caller `json:"callers,omitempty"`
	// Locations are where the statement is in code or in the log, sorted.
	Locations []Location `json:"locations,omitempty"`
	// Reads and Writes are the snapshot tables it reads and writes
	// (partitions folded into their root), sorted.
	Reads  []TableName `json:"reads,omitempty"`
	Writes []TableName `json:"writes,omitempty"`
	// Columns are the columns of each table it uses, sorted by table, when
	// the parser could tell (names qualified by a table or alias, or found
	// in exactly one of its tables; never for *).
	Columns []ColumnUse `json:"columns,omitempty"`
	// Unknown are the names it uses that are not tables of the snapshot
	// (system catalogs, temporary tables, another database), sorted.
	Unknown []string `json:"unknown,omitempty"`
	// Dynamic lists what cannot be resolved from the text.
	Dynamic []string `json:"dynamic,omitempty"`
	// Error is the parser's one-line reason when it rejected the statement.
	Error string `json:"error,omitempty"`
}

// Caller is one way a statement was observed: run by a database user or an
// application, or found in a file of code, with the calls seen that way.
type Caller struct {
	// User and App are the database role or user and the application
	// name that ran it, when the source records them.
	User string `json:"user,omitempty"`
	App  string `json:"app,omitempty"`
	// File is the code file that holds it, relative to the code root, for
	// statements found in code.
	File  string `json:"file,omitempty"`
	Calls int64  `json:"calls"`
}

// ColumnUse is the columns of one table a statement uses.
type ColumnUse struct {
	Table TableName `json:"table"`
	// Read are the columns it reads (in any clause); Written those it
	// assigns (INSERT column lists, UPDATE SET); both sorted.
	Read    []string `json:"read,omitempty"`
	Written []string `json:"written,omitempty"`
}

// Tables returns the tables the statement reads or writes, sorted, without
// duplicates.
func (st *Statement) Tables() []TableName {
	out := append(slices.Clone(st.Reads), st.Writes...)
	slices.SortFunc(out, TableName.Compare)
	return slices.Compact(out)
}

// Location is a place in a source file or a log: file and line (1-based),
// and the enclosing function or method when known.
type Location struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Function string `json:"function,omitempty"`
}

// String returns file:line.
func (l Location) String() string {
	return l.File + ":" + strconv.Itoa(l.Line)
}

// Mapping is an ORM declaration of a table in code.
type Mapping struct {
	Table TableName `json:"table"`
	// Kind names the declaration: "JPA @Table", "SQLAlchemy __tablename__",
	// "Django db_table", "ActiveRecord table_name", "GORM TableName()",
	// "Prisma @@map", "EF [Table]".
	Kind     string   `json:"kind"`
	Location Location `json:"location"`
	// Known is false when no table of the snapshot has that name.
	Known bool `json:"known"`
}

// Unit is one unit of work (a function of code, a transaction of a query
// log) that writes two or more tables: the evidence of a transaction that
// spans a context boundary when its tables belong to different contexts.
type Unit struct {
	// Location is the unit's first write; Location.Function names the unit.
	Location Location `json:"location"`
	// Writes are the tables written, sorted.
	Writes []TableName `json:"writes"`
	// Statements are the IDs of the writing statements, sorted.
	Statements []string `json:"statements"`
	// Evidence says how the unit was found (a heuristic on function
	// boundaries, an explicit transaction marker...).
	Evidence string `json:"evidence"`
}

// TableIO is a table's row operation counters since they were reset.
type TableIO struct {
	Table  TableName `json:"table"`
	Reads  int64     `json:"reads"`
	Writes int64     `json:"writes"`
}

// Normalize puts the usage in its canonical order.
func (u *Usage) Normalize() {
	if u == nil {
		return
	}
	if u.Sources == nil {
		u.Sources = []UsageSource{}
	}
	if u.Statements == nil {
		u.Statements = []Statement{}
	}
	for i := range u.Statements {
		st := &u.Statements[i]
		slices.Sort(st.Users)
		st.Users = slices.Compact(st.Users)
		slices.SortFunc(st.Callers, func(a, b Caller) int {
			return cmp.Or(strings.Compare(a.User, b.User), strings.Compare(a.App, b.App), strings.Compare(a.File, b.File))
		})
		slices.Sort(st.Unknown)
		slices.Sort(st.Dynamic)
		slices.SortFunc(st.Reads, TableName.Compare)
		slices.SortFunc(st.Writes, TableName.Compare)
		slices.SortFunc(st.Locations, compareLocations)
		slices.SortFunc(st.Columns, func(a, b ColumnUse) int { return a.Table.Compare(b.Table) })
	}
	slices.SortFunc(u.Statements, func(a, b Statement) int { return strings.Compare(a.ID, b.ID) })
	for i := range u.Units {
		slices.SortFunc(u.Units[i].Writes, TableName.Compare)
		slices.Sort(u.Units[i].Statements)
	}
	slices.SortFunc(u.Units, func(a, b Unit) int {
		return cmp.Or(compareLocations(a.Location, b.Location), strings.Compare(a.Evidence, b.Evidence))
	})
	slices.SortFunc(u.Mappings, func(a, b Mapping) int {
		return cmp.Or(a.Table.Compare(b.Table), compareLocations(a.Location, b.Location), strings.Compare(a.Kind, b.Kind))
	})
	slices.SortFunc(u.TableIO, func(a, b TableIO) int { return a.Table.Compare(b.Table) })
}

// Statement returns the statement with the given ID, or nil. The usage
// must be normalized.
func (u *Usage) Statement(id string) *Statement {
	i, ok := slices.BinarySearchFunc(u.Statements, id, func(s Statement, id string) int { return strings.Compare(s.ID, id) })
	if !ok {
		return nil
	}
	return &u.Statements[i]
}

func compareLocations(a, b Location) int {
	return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Function, b.Function))
}
