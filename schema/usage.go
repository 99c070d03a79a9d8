package schema

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Usage is what seams observed about who reads and writes which table: the
// statements found in the sources (pg_stat_statements, performance_schema
// digests, the application's code, a query log), the tables each one reads
// and writes, the context each is attributed to, and the matrix of context ×
// table × {read, write} built from them. It is stored in the snapshot under
// "usage" (see docs/snapshot-format.md) and read by the plan.
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
	// Matrix is the context × table × {read, write} matrix, one cell per
	// (context, table) pair that was observed, sorted by context then table.
	// Context "" holds what no context could be attributed to.
	Matrix []UsageCell `json:"matrix"`
	// Mappings are the ORM table declarations found in the code, sorted by
	// table then location.
	Mappings []Mapping `json:"mappings,omitempty"`
	// Transactions are units of code (one function or method) that write
	// tables of two or more contexts, sorted by location.
	Transactions []Transaction `json:"transactions,omitempty"`
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
	// Unattributed counts the kept statements that no context could be
	// attributed to (a role or user that no context lists, code outside
	// every context's globs).
	Unattributed int `json:"unattributed"`
	// Since is when the source's counters were last reset, RFC 3339, when
	// known: the start of the observed window.
	Since string `json:"since,omitempty"`
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
	// Contexts are the contexts it is attributed to (whose roles ran it or
	// whose code holds it), sorted; empty when unattributed.
	Contexts []string `json:"contexts,omitempty"`
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
	// Touches are the contexts whose tables it reads or writes, sorted.
	Touches []string `json:"touches,omitempty"`
	// Unknown are the names it uses that are not tables of the snapshot
	// (system catalogs, temporary tables, another database), sorted.
	Unknown []string `json:"unknown,omitempty"`
	// Dynamic lists what cannot be resolved from the text.
	Dynamic []string `json:"dynamic,omitempty"`
	// Error is the parser's one-line reason when it rejected the statement.
	Error string `json:"error,omitempty"`
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

// UsageCell is one cell of the usage matrix: how one context uses one table.
type UsageCell struct {
	// Context is "" for what no context could be attributed to.
	Context string    `json:"context"`
	Table   TableName `json:"table"`
	// Reads and Writes are the calls (executions) that read and write the
	// table; ReadStatements and WriteStatements the distinct statements.
	Reads           int64 `json:"reads"`
	Writes          int64 `json:"writes"`
	ReadStatements  int   `json:"read_statements"`
	WriteStatements int   `json:"write_statements"`
	// Columns are the columns of the table the context's statements use
	// (read or written), WrittenColumns those they write; sorted, absent
	// when unknown.
	Columns        []string `json:"columns,omitempty"`
	WrittenColumns []string `json:"written_columns,omitempty"`
	// Mapped counts the ORM declarations of the table in the context's code.
	Mapped int `json:"mapped,omitempty"`
	// Evidence are the IDs of the statements behind the cell, sorted, at
	// most MaxEvidence of them.
	Evidence []string `json:"evidence"`
}

// MaxEvidence bounds the statement IDs kept per matrix cell.
const MaxEvidence = 10

// Mapping is an ORM declaration of a table in code.
type Mapping struct {
	Table TableName `json:"table"`
	// Kind names the declaration: "JPA @Table", "SQLAlchemy __tablename__",
	// "Django db_table", "ActiveRecord table_name", "GORM TableName()",
	// "Prisma @@map", "EF [Table]".
	Kind     string   `json:"kind"`
	Location Location `json:"location"`
	// Context is the context whose code holds it; "" when none.
	Context string `json:"context"`
	// Known is false when no table of the snapshot has that name.
	Known bool `json:"known"`
}

// Transaction is one unit of code that writes tables of two or more
// contexts: evidence of a transaction spanning a context boundary.
type Transaction struct {
	// Location is the unit's first write; Location.Function names the unit.
	Location Location `json:"location"`
	// Writes are the tables written, sorted; Contexts their contexts.
	Writes   []TableName `json:"writes"`
	Contexts []string    `json:"contexts"`
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
	if u.Matrix == nil {
		u.Matrix = []UsageCell{}
	}
	for i := range u.Statements {
		st := &u.Statements[i]
		slices.Sort(st.Users)
		slices.Sort(st.Contexts)
		slices.Sort(st.Touches)
		slices.Sort(st.Unknown)
		slices.Sort(st.Dynamic)
		slices.SortFunc(st.Reads, TableName.Compare)
		slices.SortFunc(st.Writes, TableName.Compare)
		slices.SortFunc(st.Locations, compareLocations)
		slices.SortFunc(st.Columns, func(a, b ColumnUse) int { return a.Table.Compare(b.Table) })
	}
	slices.SortFunc(u.Statements, func(a, b Statement) int { return strings.Compare(a.ID, b.ID) })
	for i := range u.Matrix {
		slices.Sort(u.Matrix[i].Columns)
		slices.Sort(u.Matrix[i].WrittenColumns)
		slices.Sort(u.Matrix[i].Evidence)
		if u.Matrix[i].Evidence == nil {
			u.Matrix[i].Evidence = []string{}
		}
	}
	slices.SortFunc(u.Matrix, func(a, b UsageCell) int {
		return cmp.Or(strings.Compare(a.Context, b.Context), a.Table.Compare(b.Table))
	})
	slices.SortFunc(u.Mappings, func(a, b Mapping) int {
		return cmp.Or(a.Table.Compare(b.Table), compareLocations(a.Location, b.Location), strings.Compare(a.Kind, b.Kind))
	})
	slices.SortFunc(u.Transactions, func(a, b Transaction) int { return compareLocations(a.Location, b.Location) })
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
