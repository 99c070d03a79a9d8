// Package ddl reads a schema from a DDL file: a PostgreSQL dump (pg_dump
// --schema-only, a Rails db/structure.sql) or a hand-written PostgreSQL
// schema, parsed with PostgreSQL's own parser (libpg_query), or a MySQL or
// MariaDB dump (mysqldump --no-data) or hand-written schema.sql, parsed with
// Vitess's MySQL parser. The result is the snapshot the live introspectors
// build, so that every command of seams works with no database at all.
//
// The file is replayed statement by statement as the server would run it:
// CREATE and ALTER TABLE (columns, keys, indexes, checks, foreign keys
// inline, table-level or added later, NOT VALID included; partitions by
// PARTITION OF and ATTACH PARTITION), CREATE INDEX, views and materialized
// views, functions and triggers, comments, sequences and the search_path
// the dump sets. Names, types, defaults, index methods and generated names
// are spelled as the live introspectors read them from the catalog (types
// as format_type or COLUMN_TYPE, defaults and checks as the server prints
// them). Statements seams does not need (GRANT, OWNER TO, SET, extensions,
// COPY and INSERT data...) are passed over silently.
//
// What a file cannot know is left absent, as the snapshot format does for
// what a database cannot tell: row estimates, sizes and activity counters,
// and the column types of views. Expressions the server rewrites when it
// stores them (implicit casts, IN lists turned into = ANY (ARRAY[...])) are
// kept as the file writes them; a dump writes them as the server prints
// them. Every table, foreign key, view and trigger keeps the file and line
// that define it (schema.Location).
package ddl

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// Options tune Read.
type Options struct {
	// Engine forces the dialect: schema.Postgres, schema.MySQL or
	// schema.MariaDB. Empty means detect it from the file (Detect).
	Engine schema.Engine
	// Database names the database. Empty means the one the file names
	// (\connect, CREATE DATABASE, USE, a dump's header), else the file's
	// name without its extension. On MySQL it is the schema of every
	// table.
	Database string
	// Schemas limits a PostgreSQL file to these schemas (each must be in
	// the file); empty means every schema. Ignored for MySQL.
	Schemas []string
	// Exclude holds table patterns, as introspect.Config.Exclude.
	Exclude []string
	// SeamsVersion is recorded in the snapshot's source.
	SeamsVersion string
	// Now returns the capture time; nil means time.Now.
	Now func() time.Time
}

// Result is what Read makes of a file.
type Result struct {
	// Snapshot is the schema the file defines.
	Snapshot *schema.Snapshot
	// Unparsed are the statements the parser rejected, in file order.
	// They were passed over; the rest of the file was read.
	Unparsed []Problem
	// NotApplied are statements that parsed but could not be applied (an
	// ALTER TABLE of a table the file does not create, say), in file
	// order.
	NotApplied []Problem
}

// Warnings describes the statements passed over, one line each: how many,
// then each as file:line:col: why, the first max of them.
func (r *Result) Warnings(file string, max int) []string {
	n := len(r.Unparsed) + len(r.NotApplied)
	if n == 0 {
		return nil
	}
	out := []string{fmt.Sprintf("%s: %d statement(s) not parsed and %d not applied were passed over", file, len(r.Unparsed), len(r.NotApplied))}
	type item struct {
		p    Problem
		what string
	}
	var all []item
	for _, p := range r.Unparsed {
		all = append(all, item{p, "not parsed"})
	}
	for _, p := range r.NotApplied {
		all = append(all, item{p, "not applied"})
	}
	slices.SortStableFunc(all, func(a, b item) int { return a.p.Line - b.p.Line })
	for i, it := range all {
		if i == max {
			out = append(out, fmt.Sprintf("%s: and %d more", file, n-max))
			break
		}
		out = append(out, fmt.Sprintf("%s:%d:%d: %s: %s", file, it.p.Line, it.p.Col, it.what, it.p.Msg))
	}
	return out
}

// Problem is a statement of the file that was passed over, and why.
type Problem struct {
	Line, Col int
	Msg       string
}

// Error is a file seams cannot read at all: no statement of it parses, or
// it defines no table. Its message is one line, file:line:col: reason.
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// ReadFile reads the DDL file at path (see Read).
func ReadFile(path string, opts Options) (*Result, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read schema file: %w", err)
	}
	return Read(path, src, opts)
}

// Read reads the DDL in src; file names it in locations and messages. The
// error is an *Error when the file holds no schema seams can read, an
// *introspect.UsageError for options that do not fit the file (a --schema
// the file does not define).
func Read(file string, src []byte, opts Options) (*Result, error) {
	cfg := &introspect.Config{Exclude: opts.Exclude}
	if err := cfg.ValidatePatterns(); err != nil {
		return nil, err
	}
	if !utf8.Valid(src) {
		line, col := invalidUTF8(src)
		return nil, &Error{File: file, Line: line, Col: col, Msg: "not a SQL file: invalid UTF-8"}
	}
	text := string(src)
	engine := opts.Engine
	if engine == "" {
		engine = Detect(text)
	}
	var (
		res *Result
		err error
	)
	switch engine {
	case schema.Postgres:
		res, err = readPostgres(file, text, opts)
	case schema.MySQL, schema.MariaDB:
		res, err = readMySQL(file, text, engine, opts)
	default:
		return nil, &introspect.UsageError{Msg: fmt.Sprintf("schema file %s: unknown dialect %q (want postgres, mysql or mariadb)", file, engine)}
	}
	if err != nil {
		return nil, err
	}
	s := res.Snapshot
	s.Format = schema.FormatVersion
	s.Source.File = file
	s.Source.SeamsVersion = opts.SeamsVersion
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	s.Source.CapturedAt = now().UTC().Truncate(time.Second)
	if s.Source.Database == "" {
		s.Source.Database = fileStem(file)
	}
	s.Normalize()
	if err := s.Validate(); err != nil {
		return nil, &Error{File: file, Line: 1, Col: 1, Msg: err.Error()}
	}
	// As the introspectors do: the references no foreign key declares.
	s.Inferred = infer.Infer(s, infer.Options{})
	return res, nil
}

// fileStem is the file's name without directory and extension.
func fileStem(file string) string {
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// invalidUTF8 returns the line and column of the first invalid byte.
func invalidUTF8(src []byte) (line, col int) {
	line, col = 1, 1
	for len(src) > 0 {
		r, n := utf8.DecodeRune(src)
		if r == utf8.RuneError && n <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		src = src[n:]
	}
	return line, col
}

// lineIndex turns byte offsets into lines and columns.
type lineIndex struct {
	src    string
	starts []int // byte offset of each line's start
}

func newLineIndex(src string) *lineIndex {
	starts := make([]int, 1, strings.Count(src, "\n")+1)
	for i := 0; i < len(src); i++ {
		if src[i] == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &lineIndex{src: src, starts: starts}
}

// pos returns the 1-based line and column (in characters) of offset off.
func (l *lineIndex) pos(off int) (line, col int) {
	off = max(0, min(off, len(l.src)))
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	return i + 1, utf8.RuneCountInString(l.src[l.starts[i]:off]) + 1
}

// line returns the 1-based line of offset off.
func (l *lineIndex) line(off int) int {
	line, _ := l.pos(off)
	return line
}

// problems collects what a reader passes over.
type problems struct {
	lines      *lineIndex
	unparsed   []Problem
	notApplied []Problem
}

func (p *problems) unparsedAt(off int, msg string) {
	line, col := p.lines.pos(off)
	p.unparsed = append(p.unparsed, Problem{Line: line, Col: col, Msg: msg})
}

func (p *problems) notAppliedAt(off int, format string, args ...any) {
	line, col := p.lines.pos(off)
	p.notApplied = append(p.notApplied, Problem{Line: line, Col: col, Msg: introspect.OneLine(fmt.Sprintf(format, args...))})
}

// filter applies Options.Schemas and Options.Exclude to a snapshot read
// from a file, as the live introspectors do: excluded tables and views are
// left out with the foreign keys to them and the triggers on them, and
// views and triggers stop naming them.
func filter(s *schema.Snapshot, file string, opts Options) error {
	cfg := &introspect.Config{Exclude: opts.Exclude}
	if len(opts.Schemas) > 0 {
		var avail []string
		for _, sc := range s.Schemas {
			avail = append(avail, sc.Name)
		}
		var missing []string
		for _, want := range opts.Schemas {
			if !slices.Contains(avail, want) {
				missing = append(missing, fmt.Sprintf("%q", want))
			}
		}
		if len(missing) > 0 {
			return &introspect.UsageError{Msg: fmt.Sprintf("schema file %s: %s not defined in the file; its schemas: %s",
				file, strings.Join(missing, ", "), strings.Join(avail, ", "))}
		}
	}
	keepSchema := func(name string) bool { return len(opts.Schemas) == 0 || slices.Contains(opts.Schemas, name) }
	drop := func(n schema.TableName) bool { return !keepSchema(n.Schema) || cfg.Excluded(n) }
	s.Schemas = slices.DeleteFunc(s.Schemas, func(sc schema.Schema) bool { return !keepSchema(sc.Name) })
	s.Tables = slices.DeleteFunc(s.Tables, func(t schema.Table) bool { return drop(t.TableName()) })
	s.Views = slices.DeleteFunc(s.Views, func(v schema.View) bool { return drop(v.TableName()) })
	s.Triggers = slices.DeleteFunc(s.Triggers, func(t schema.Trigger) bool { return drop(t.Table) })
	for i := range s.Tables {
		t := &s.Tables[i]
		t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return cfg.Excluded(fk.References) })
	}
	excluded := func(n schema.TableName) bool { return cfg.Excluded(n) }
	for i := range s.Views {
		s.Views[i].Reads = slices.DeleteFunc(s.Views[i].Reads, excluded)
	}
	for i := range s.Triggers {
		s.Triggers[i].Reads = slices.DeleteFunc(s.Triggers[i].Reads, excluded)
		s.Triggers[i].Writes = slices.DeleteFunc(s.Triggers[i].Writes, excluded)
	}
	return nil
}

// renameColumn renames a column of t, and in its keys, indexes and foreign
// keys; same compares names as the engine does.
func renameColumn(t *schema.Table, old, nw string, same func(a, b string) bool) {
	for i := range t.Columns {
		if same(t.Columns[i].Name, old) {
			t.Columns[i].Name = nw
		}
	}
	rename := func(cols []string) {
		for i := range cols {
			if same(cols[i], old) {
				cols[i] = nw
			}
		}
	}
	if t.PrimaryKey != nil {
		rename(t.PrimaryKey.Columns)
	}
	for i := range t.Uniques {
		rename(t.Uniques[i].Columns)
	}
	for i := range t.Indexes {
		rename(t.Indexes[i].Columns)
	}
	for i := range t.ForeignKeys {
		rename(t.ForeignKeys[i].Columns)
	}
}

// nextLine returns the offset after the end of the line at pos.
func nextLine(src string, pos int) int {
	if i := strings.IndexByte(src[pos:], '\n'); i >= 0 {
		return pos + i + 1
	}
	return len(src)
}

// nothingRead is the error of a file of which no statement could be read
// (first is the first rejected one), or that creates no table; nil
// otherwise.
func (p *problems) nothingRead(file, dialect string, parsed, tables int, first *Problem) error {
	if parsed == 0 && first != nil {
		return &Error{File: file, Line: first.Line, Col: first.Col, Msg: "not a " + dialect + " schema: " + first.Msg}
	}
	if tables == 0 {
		return &Error{File: file, Line: 1, Col: 1, Msg: "no CREATE TABLE found: not a schema file (pg_dump --schema-only, structure.sql, mysqldump --no-data or schema.sql)"}
	}
	return nil
}
