package ddl

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/pganalyze/pg_query_go/v6/parser"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
)

// pgReader replays a PostgreSQL file into a catalog.
type pgReader struct {
	file string
	src  string // the file, COPY data and psql meta-commands blanked
	toks []token
	problems
	opts Options

	database      string
	serverVersion string
	path          []string // the search path: schemas, $user and pg_temp left out

	schemas    []schema.Schema
	tables     map[schema.TableName]*pgTable
	tableOrder []*pgTable
	views      map[schema.TableName]*pgView
	viewOrder  []*pgView
	// rels holds every name of the relation namespace of each schema
	// (tables, views, indexes, sequences, composite types), for the names
	// PostgreSQL chooses and to resolve names by the search path.
	rels map[schema.TableName]byte
	// indexes finds the table of an index by (schema, index name).
	indexes map[schema.TableName]schema.TableName
	// conNames holds the constraint names used in each schema.
	conNames map[string]map[string]bool
	types    map[schema.TableName]bool
	enums    map[schema.TableName]bool
	// funcs are the functions by name, the last created of each name, for
	// typing the expressions that call them; routines are all of them,
	// overloads apart, in the order created (CREATE OR REPLACE of the same
	// name and argument types replaces one in place).
	funcs     map[schema.TableName]*pgFunc
	routines  []*pgFunc
	routineAt map[routineKey]int
	fks       []*pgFK
	// extSchema is the one schema the file's CREATE EXTENSION statements
	// put extensions in ("" when none or several).
	extSchema string
	extSeen   bool
	triggers  []postgres.TriggerSource
	// temp holds the temporary tables: not in the snapshot, but their
	// names hide others while the file runs.
	temp map[string]bool

	prettyCache map[prettyKey]string

	stmtOff int // byte offset of the statement being applied
	base    int // the file offset the parser's locations are relative to
}

// pgTable is a table being built.
type pgTable struct {
	schema.Table
	// inherits are the parents of INHERITS (not partitions).
	inherits []schema.TableName
}

// pgView is a view being built.
type pgView struct {
	schema.View
}

// pgFunc is a function or procedure the file creates.
// routineKey names one routine: its name and argument types.
type routineKey struct {
	name schema.TableName
	args string
}

type pgFunc struct {
	name       schema.TableName
	language   string
	body       string
	bodyKnown  bool
	searchPath []string
	procedure  bool
	// args are its identity arguments' types, as the file names them
	// without modifiers ("integer, character varying").
	args string
	// params are the pg_catalog names of its input parameters' types
	// ("" for a user's type), returns that of its result.
	params  []string
	returns string
}

// Relation kinds in pgReader.rels, as pg_class.relkind.
const (
	relTable       = 'r'
	relPartitioned = 'p'
	relView        = 'v'
	relMatView     = 'm'
	relIndex       = 'i'
	relSequence    = 'S'
	relType        = 'c'
	relForeign     = 'f'
)

// readPostgres reads a PostgreSQL file.
func readPostgres(file, src string, opts Options) (*Result, error) {
	toks, stmts, copyData := pgSplit(src)
	r := &pgReader{
		file: file, toks: toks, opts: opts,
		path:      []string{"public"},
		schemas:   []schema.Schema{{Name: "public", Comment: "standard public schema"}},
		tables:    map[schema.TableName]*pgTable{},
		views:     map[schema.TableName]*pgView{},
		rels:      map[schema.TableName]byte{},
		indexes:   map[schema.TableName]schema.TableName{},
		conNames:  map[string]map[string]bool{},
		types:     map[schema.TableName]bool{},
		enums:     map[schema.TableName]bool{},
		funcs:     map[schema.TableName]*pgFunc{},
		routineAt: map[routineKey]int{},
		temp:      map[string]bool{},

		prettyCache: map[prettyKey]string{},
	}
	r.lines = newLineIndex(src)
	r.src = r.blank(src, toks, copyData)
	r.header(src)

	parsed := 0
	var firstErr *Problem
	r.parse(stmts, func(raw *pg_query.RawStmt, base int) {
		parsed++
		r.base = base
		r.stmtOff = r.firstTokenAt(base + int(raw.GetStmtLocation()))
		r.apply(raw.GetStmt())
	}, func(off int, msg string) {
		r.unparsedAt(off, msg)
		if firstErr == nil {
			p := r.unparsed[len(r.unparsed)-1]
			firstErr = &p
		}
	})
	if err := r.nothingRead(file, "PostgreSQL", parsed, len(r.tables), firstErr); err != nil {
		return nil, err
	}
	r.finishForeignKeys()
	snap := r.snapshot()
	if err := filter(snap, file, opts); err != nil {
		return nil, err
	}
	return &Result{Snapshot: snap, Unparsed: r.unparsed, NotApplied: r.notApplied}, nil
}

// blank returns src with the COPY data and the psql meta-commands replaced
// by spaces (line breaks kept), so that the parser sees SQL only and every
// offset stays that of the file. \connect names the database.
func (r *pgReader) blank(src string, toks []token, copyData []span) string {
	b := []byte(src)
	wipe := func(from, to int) {
		for i := from; i < to; i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	for _, c := range copyData {
		wipe(c.first, c.last)
	}
	for _, t := range toks {
		if t.kind != tMeta {
			continue
		}
		if f := strings.Fields(t.text(src)); len(f) >= 2 && (f[0] == `\connect` || f[0] == `\c`) && !strings.HasPrefix(f[1], "-") {
			r.database = strings.Trim(f[1], `"`)
		}
		wipe(int(t.start), int(t.end))
	}
	return string(b)
}

var (
	pgDumpedFrom = regexp.MustCompile(`(?m)^-- Dumped from database version (\S+)`)
)

// header reads what a pg_dump header says about the server.
func (r *pgReader) header(src string) {
	if m := pgDumpedFrom.FindStringSubmatch(src[:min(len(src), 4096)]); m != nil {
		r.serverVersion = m[1]
	}
}

// firstTokenAt returns the offset of the first token at or after off.
func (r *pgReader) firstTokenAt(off int) int {
	i := r.tokenIndex(off)
	if i < len(r.toks) {
		return int(r.toks[i].start)
	}
	return off
}

// tokenIndex returns the index of the first token starting at or after off.
func (r *pgReader) tokenIndex(off int) int {
	lo, hi := 0, len(r.toks)
	for lo < hi {
		m := (lo + hi) / 2
		if int(r.toks[m].start) < off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// parseBatch is how many statements are parsed in one call when the file
// does not parse as a whole.
const parseBatch = 64

// parse parses the statements and calls apply for each in file order, with
// the offset its locations are relative to, and fail for each statement
// the parser rejects. The whole file is parsed at once; when that fails,
// batches of statements are, and a batch that fails statement by statement.
func (r *pgReader) parse(stmts []span, apply func(*pg_query.RawStmt, int), fail func(int, string)) {
	var sql []span // statements, without meta-commands
	for _, s := range stmts {
		if r.toks[s.first].kind != tMeta {
			sql = append(sql, s)
		}
	}
	if len(sql) == 0 {
		return
	}
	text := func(from, to int) (string, int) {
		start := int(r.toks[sql[from].first].start)
		return r.src[start:int(r.toks[sql[to].last].end)], start
	}
	whole, base := text(0, len(sql)-1)
	if tree, err := pg_query.Parse(whole); err == nil {
		for _, raw := range tree.GetStmts() {
			apply(raw, base)
		}
		return
	}
	for i := 0; i < len(sql); i += parseBatch {
		j := min(i+parseBatch, len(sql)) - 1
		chunk, base := text(i, j)
		if tree, err := pg_query.Parse(chunk); err == nil {
			for _, raw := range tree.GetStmts() {
				apply(raw, base)
			}
			continue
		}
		for k := i; k <= j; k++ {
			one, base := text(k, k)
			tree, err := pg_query.Parse(one)
			if err != nil {
				off, msg := parseErrorAt(err, base, one)
				fail(off, msg)
				continue
			}
			for _, raw := range tree.GetStmts() {
				apply(raw, base)
			}
		}
	}
}

// parseErrorAt returns the file offset and the one-line message of a
// parser error on text, which starts at offset base.
func parseErrorAt(err error, base int, text string) (int, string) {
	off := base
	msg := err.Error()
	var pe *parser.Error
	if errors.As(err, &pe) {
		msg = pe.Message
		if pe.Cursorpos > 0 {
			// Cursorpos counts characters from 1.
			n := 0
			for i := range text {
				if n == pe.Cursorpos-1 {
					off = base + i
					break
				}
				n++
			}
		}
	}
	return off, strings.Join(strings.Fields(msg), " ")
}

// excerpt is the start of a statement on one line, for messages.
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

// creationSchema is where an unqualified CREATE puts its object: the first
// schema of the search path that exists.
func (r *pgReader) creationSchema() string {
	for _, s := range r.path {
		if r.schemaExists(s) {
			return s
		}
	}
	return ""
}

func (r *pgReader) schemaExists(name string) bool {
	for _, s := range r.schemas {
		if s.Name == name {
			return true
		}
	}
	return false
}

// newName returns the schema-qualified name a CREATE gives its object.
func (r *pgReader) newName(rv *pg_query.RangeVar) (schema.TableName, error) {
	if rv.GetSchemaname() != "" {
		if !r.schemaExists(rv.GetSchemaname()) {
			return schema.TableName{}, fmt.Errorf("schema %q does not exist", rv.GetSchemaname())
		}
		return schema.TableName{Schema: rv.GetSchemaname(), Name: rv.GetRelname()}, nil
	}
	s := r.creationSchema()
	if s == "" {
		return schema.TableName{}, fmt.Errorf("no schema of the search path (%s) exists to create %q in", strings.Join(r.path, ", "), rv.GetRelname())
	}
	return schema.TableName{Schema: s, Name: rv.GetRelname()}, nil
}

// lookup resolves a relation name by the search path; found is false when
// no schema of the path holds it (the name then gets the creation schema).
func (r *pgReader) lookup(rv *pg_query.RangeVar) (n schema.TableName, found bool) {
	if rv.GetSchemaname() != "" {
		n = schema.TableName{Schema: rv.GetSchemaname(), Name: rv.GetRelname()}
		_, found = r.rels[n]
		return n, found
	}
	return r.lookupName(rv.GetRelname())
}

func (r *pgReader) lookupName(name string) (schema.TableName, bool) {
	for _, s := range r.path {
		n := schema.TableName{Schema: s, Name: name}
		if _, ok := r.rels[n]; ok {
			return n, true
		}
	}
	return schema.TableName{Schema: r.creationSchema(), Name: name}, false
}

// table returns the table a statement names, or nil with a note.
func (r *pgReader) table(rv *pg_query.RangeVar, what string) *pgTable {
	if rv.GetSchemaname() == "" && r.temp[rv.GetRelname()] {
		return nil
	}
	n, _ := r.lookup(rv)
	t := r.tables[n]
	if t == nil {
		r.notAppliedAt(r.stmtOff, "%s: table %s is not created before this statement", what, n)
	}
	return t
}

// loc returns the location of offset off in the file.
func (r *pgReader) loc(off int) *schema.Location {
	return &schema.Location{File: r.file, Line: r.lines.line(off)}
}

// nodeLoc returns the location of a node: its smallest location, else the
// statement's.
func (r *pgReader) nodeLoc(off int32) *schema.Location {
	if off < 0 {
		return r.loc(r.stmtOff)
	}
	return r.loc(int(off))
}

// addRel records a name of the relation namespace.
func (r *pgReader) addRel(n schema.TableName, kind byte) { r.rels[n] = kind }

// useConstraintName records a constraint name in a schema.
func (r *pgReader) useConstraintName(schemaName, name string) {
	m := r.conNames[schemaName]
	if m == nil {
		m = map[string]bool{}
		r.conNames[schemaName] = m
	}
	m[name] = true
}

// snapshot builds the snapshot from the catalog.
func (r *pgReader) snapshot() *schema.Snapshot {
	s := &schema.Snapshot{
		Source:  schema.Source{Engine: schema.Postgres, ServerVersion: r.serverVersion, Database: firstNonEmpty(r.opts.Database, r.database)},
		Schemas: r.schemas,
	}
	for _, t := range r.tableOrder {
		if t.Columns == nil {
			t.Columns = []schema.Column{}
		}
		s.Tables = append(s.Tables, t.Table)
	}
	for _, v := range r.viewOrder {
		s.Views = append(s.Views, v.View)
	}
	s.Routines = postgres.AnalyseRoutines(s, r.routineSources())
	s.Triggers = postgres.AnalyseTriggers(s, r.triggers)
	return s
}

// routineSources are the SQL and PL/pgSQL functions and procedures the file
// creates, as the live reader lists them (other languages have no body in
// text), sorted by schema and name.
func (r *pgReader) routineSources() []postgres.RoutineSource {
	var fs []*pgFunc
	for _, f := range r.routines {
		if f.language == "sql" || f.language == "plpgsql" {
			fs = append(fs, f)
		}
	}
	slices.SortStableFunc(fs, func(a, b *pgFunc) int {
		return cmp.Or(a.name.Compare(b.name), strings.Compare(a.args, b.args))
	})
	out := make([]postgres.RoutineSource, 0, len(fs))
	for _, f := range fs {
		kind := "function"
		if f.procedure {
			kind = "procedure"
		}
		out = append(out, postgres.RoutineSource{
			Routine: schema.Routine{Schema: f.name.Schema, Name: f.name.Name, Arguments: f.args, Kind: kind, Language: f.language, SearchPath: f.searchPath},
			Body:    f.body, BodyKnown: f.bodyKnown,
		})
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
