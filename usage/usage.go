// Package usage finds who reads and writes which table, from the places
// where that is recorded: PostgreSQL's pg_stat_statements, MySQL/MariaDB's
// performance_schema statement digests, the application's source code (SQL
// in string literals and .sql files, ORM table declarations) and query log
// files. Every source is optional and says, when it cannot be read, why and
// how to enable it.
//
// The statements are parsed with the database's own grammar (package
// sqlrefs: libpg_query for PostgreSQL, the Vitess MySQL parser) into the
// tables and columns they read and write, resolved against a snapshot, and
// stored in the snapshot (schema.Usage) with who ran each one or where it
// was found. Recording needs no contexts map: package attribution
// attributes the usage to the contexts of a map when a command runs.
//
// A Builder collects raw observations from any number of sources and Build
// turns them into a schema.Usage. Statements the parser rejects are kept,
// counted and listed with the parser's reason; SQL that cannot be resolved
// from its text (built at run time, EXECUTE, CALL) is listed as dynamic.
package usage

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
)

// Raw is one observation of a statement, as a source reports it.
type Raw struct {
	// Source is one of the schema.Source* kinds.
	Source string
	// Text is the SQL text.
	Text string
	// Digest is the server's query ID or digest, if any.
	Digest string
	// Calls is the number of executions; 0 counts as 1.
	Calls int64
	// User is the database role or user that ran it, if known; App the
	// application name, if known.
	User, App string
	// Schema is the default schema (MySQL: database) unqualified names are
	// looked up in first; "" means the snapshot's default (public, or the
	// snapshot's database).
	Schema string
	// Location is where the statement was found in code or a log.
	Location *schema.Location
	// Unit groups statements that run together (one function of code, one
	// transaction of a log) for the cross-context transaction evidence; ""
	// when unknown. UnitEvidence says how the unit was found.
	Unit, UnitEvidence string
	// Dynamic says why the text is not the whole statement (built at run
	// time from pieces); "" for a complete statement.
	Dynamic string
}

// Builder collects observations and mappings and builds a schema.Usage.
// It is not safe for concurrent use.
type Builder struct {
	snap    *schema.Snapshot
	lk      *schema.Lookup
	dialect schema.Dialect
	parse   sqlrefs.Parser
	read    sqlrefs.Reader
	// byName indexes the snapshot's tables and views by name (lower-cased
	// on MySQL, where names are compared without case on most systems).
	byName map[string][]schema.TableName
	views  map[schema.TableName][]schema.TableName

	raws     []Raw
	sources  []schema.UsageSource
	mappings []schema.Mapping
	tableIO  []schema.TableIO
}

// NewBuilder returns a Builder for snapshot s. It fails for a snapshot of
// an engine seams does not know.
func NewBuilder(s *schema.Snapshot) (*Builder, error) {
	d, ok := s.Source.Engine.Dialect()
	if !ok {
		return nil, fmt.Errorf("usage: unknown engine %q", s.Source.Engine)
	}
	parse, err := sqlrefs.For(d)
	if err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	read, err := sqlrefs.ReaderFor(d)
	if err != nil {
		return nil, fmt.Errorf("usage: %w", err)
	}
	b := &Builder{
		snap: s, lk: schema.NewLookup(s), dialect: d, parse: parse, read: read,
		byName: map[string][]schema.TableName{},
		views:  map[schema.TableName][]schema.TableName{},
	}
	for i := range s.Tables {
		n := s.Tables[i].TableName()
		b.byName[b.fold(n.Name)] = append(b.byName[b.fold(n.Name)], n)
	}
	for i := range s.Views {
		v := &s.Views[i]
		n := v.TableName()
		b.byName[b.fold(n.Name)] = append(b.byName[b.fold(n.Name)], n)
		b.views[n] = v.Reads
	}
	return b, nil
}

// Dialect is the SQL dialect statements are parsed in.
func (b *Builder) Dialect() schema.Dialect { return b.dialect }

func (b *Builder) fold(s string) string {
	if b.dialect == schema.DialectMySQL {
		return strings.ToLower(s)
	}
	return s
}

// Add records one observation.
func (b *Builder) Add(r Raw) { b.raws = append(b.raws, r) }

// AddSource records a source that was asked, available or not. Build fills
// in its counts of kept, rejected and dynamic statements.
func (b *Builder) AddSource(src schema.UsageSource) { b.sources = append(b.sources, src) }

// AddMapping records an ORM table declaration; Table.Schema may be empty.
func (b *Builder) AddMapping(table, kind string, loc schema.Location) {
	n, ok := b.resolve(schema.TableName{Name: table}, "")
	if !ok {
		n = schema.TableName{Name: table}
		if i := strings.LastIndexByte(table, '.'); i > 0 {
			if m, ok2 := b.resolve(schema.TableName{Schema: table[:i], Name: table[i+1:]}, ""); ok2 {
				n, ok = m, true
			}
		}
	}
	b.mappings = append(b.mappings, schema.Mapping{Table: n, Kind: kind, Location: loc, Known: ok})
}

// AddTableIO records a table's row operation counters.
func (b *Builder) AddTableIO(schemaName, table string, reads, writes int64) {
	n, ok := b.resolve(schema.TableName{Schema: schemaName, Name: table}, schemaName)
	if ok {
		b.tableIO = append(b.tableIO, schema.TableIO{Table: n, Reads: reads, Writes: writes})
	}
}

// parsed is what the parser made of one distinct text.
type parsed struct {
	refs sqlrefs.Refs
	err  string
	// cols are the columns it uses; schema is the default schema they
	// were resolved with (the first observation's).
	cols   []schema.ColumnUse
	schema string
}

// parseAll parses every distinct text, on all cores.
func (b *Builder) parseAll() map[string]*parsed {
	out := make(map[string]*parsed, len(b.raws))
	var texts []string
	for _, r := range b.raws {
		if _, ok := out[r.Text]; !ok {
			out[r.Text] = &parsed{schema: r.Schema}
			texts = append(texts, r.Text)
		}
	}
	read := b.read
	workers := min(runtime.GOMAXPROCS(0), max(1, len(texts)/64))
	var wg sync.WaitGroup
	var next int
	var mu sync.Mutex
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next += 64
				mu.Unlock()
				if i >= len(texts) {
					return
				}
				for _, t := range texts[i:min(i+64, len(texts))] {
					p := out[t]
					refs, names, ok, err := read(t)
					p.refs = refs
					if err != nil {
						p.err = err.Error()
					} else if ok && len(refs.Reads)+len(refs.Writes) > 0 {
						p.cols = b.columnUses(names, p.schema)
					}
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// resolve finds the snapshot table or view a parsed name refers to.
func (b *Builder) resolve(n schema.TableName, defaultSchema string) (schema.TableName, bool) {
	cands := b.byName[b.fold(n.Name)]
	if len(cands) == 0 {
		return n, false
	}
	if n.Schema != "" {
		for _, c := range cands {
			if c.Schema == n.Schema && c.Name == n.Name {
				return b.lk.Root(c), true
			}
		}
		for _, c := range cands {
			if b.fold(c.Schema) == b.fold(n.Schema) && b.fold(c.Name) == b.fold(n.Name) {
				return b.lk.Root(c), true
			}
		}
		return n, false
	}
	for _, want := range []string{defaultSchema, b.defaultSchema()} {
		if want == "" {
			continue
		}
		for _, c := range cands {
			if b.fold(c.Schema) == b.fold(want) {
				return b.lk.Root(c), true
			}
		}
	}
	if len(cands) == 1 {
		return b.lk.Root(cands[0]), true
	}
	return n, false
}

// defaultSchema is where unqualified names are looked up first: public on
// PostgreSQL (the default search_path), the snapshot's database on MySQL.
func (b *Builder) defaultSchema() string {
	if b.dialect == schema.DialectMySQL {
		return b.snap.Source.Database
	}
	return "public"
}

// tables resolves names to snapshot tables; a view stands for the tables it
// reads (through nested views too). Unknown names are returned apart.
func (b *Builder) tables(ns []schema.TableName, defaultSchema string) (known []schema.TableName, unknown []string) {
	var walk func(n schema.TableName, depth int)
	walk = func(n schema.TableName, depth int) {
		if reads, ok := b.views[n]; ok {
			if depth < 16 {
				for _, r := range reads {
					if m, ok := b.resolve(r, n.Schema); ok {
						walk(m, depth+1)
					}
				}
			}
			return
		}
		known = append(known, n)
	}
	for _, n := range ns {
		m, ok := b.resolve(n, defaultSchema)
		if !ok {
			unknown = append(unknown, n.String())
			continue
		}
		walk(m, 0)
	}
	slices.SortFunc(known, schema.TableName.Compare)
	slices.Sort(unknown)
	return slices.Compact(known), slices.Compact(unknown)
}

// statementID is the stable ID of a statement of a source.
func statementID(source, text string) string {
	h := sha256.Sum256([]byte(text))
	return source + "/" + hex.EncodeToString(h[:8])
}

// stmtAcc accumulates one statement while building.
type stmtAcc struct {
	st      schema.Statement
	callers map[schema.Caller]int64
}

type unitAcc struct {
	loc      schema.Location
	evidence string
	writes   []schema.TableName
	stmts    []string
}

// Build parses the statements and returns the usage. It may be called once.
func (b *Builder) Build() *schema.Usage {
	ps := b.parseAll()
	stmts := map[string]*stmtAcc{}
	units := map[string]*unitAcc{}
	var unitOrder []string
	total := map[string]int{}
	for i := range b.raws {
		r := &b.raws[i]
		total[r.Source]++
		p := ps[r.Text]
		reads, unknownR := b.tables(p.refs.Reads, r.Schema)
		writes, unknownW := b.tables(p.refs.Writes, r.Schema)
		dynamic := slices.Clone(p.refs.Dynamic)
		if r.Dynamic != "" {
			dynamic = append(dynamic, r.Dynamic)
		}
		var dynNames int
		unknownR, dynNames = dropSentinel(unknownR, dynNames)
		unknownW, dynNames = dropSentinel(unknownW, dynNames)
		if dynNames > 0 {
			dynamic = append(dynamic, "table name built at run time")
		} else if p.err != "" && strings.Contains(r.Text, dynSentinel) {
			dynamic = append(dynamic, "SQL built at run time: the parts in the code do not parse alone")
		}
		if len(reads) == 0 && len(writes) == 0 && p.err == "" && len(dynamic) == 0 {
			continue // a statement on no table of the snapshot (catalogs, SET, BEGIN...)
		}
		id := statementID(r.Source, r.Text)
		acc := stmts[id]
		if acc == nil {
			acc = &stmtAcc{st: schema.Statement{
				ID: id, Source: r.Source, Text: r.Text, Digest: r.Digest,
				Reads: reads, Writes: writes, Error: p.err, Columns: p.cols,
			}, callers: map[schema.Caller]int64{}}
			unknown := append(unknownR, unknownW...)
			slices.Sort(unknown)
			acc.st.Unknown = slices.Compact(unknown)
			stmts[id] = acc
		}
		for _, d := range dynamic {
			if !slices.Contains(acc.st.Dynamic, d) {
				acc.st.Dynamic = append(acc.st.Dynamic, d)
			}
		}
		if r.Digest != "" && (acc.st.Digest == "" || r.Digest < acc.st.Digest) {
			acc.st.Digest = r.Digest
		}
		calls := max(r.Calls, 1)
		acc.st.Calls += calls
		if r.User != "" && !slices.Contains(acc.st.Users, r.User) {
			acc.st.Users = append(acc.st.Users, r.User)
		}
		if r.Location != nil && !slices.Contains(acc.st.Locations, *r.Location) {
			acc.st.Locations = append(acc.st.Locations, *r.Location)
		}
		caller := schema.Caller{User: r.User, App: r.App}
		if r.Source == schema.SourceCode && r.Location != nil {
			caller.File = r.Location.File
		}
		acc.callers[caller] += calls
		if r.Unit != "" && len(writes) > 0 {
			u := units[r.Unit]
			if u == nil {
				u = &unitAcc{evidence: r.UnitEvidence}
				if r.Location != nil {
					u.loc = *r.Location
				}
				units[r.Unit] = u
				unitOrder = append(unitOrder, r.Unit)
			}
			if r.Location != nil && (u.loc.File == "" || compareLocation(*r.Location, u.loc) < 0) {
				u.loc = *r.Location
			}
			u.writes = append(u.writes, writes...)
			if !slices.Contains(u.stmts, id) {
				u.stmts = append(u.stmts, id)
			}
		}
	}

	u := &schema.Usage{}
	for _, acc := range stmts {
		for c, calls := range acc.callers {
			c.Calls = calls
			acc.st.Callers = append(acc.st.Callers, c)
		}
		u.Statements = append(u.Statements, acc.st)
	}
	u.Mappings = b.mappings
	u.TableIO = b.tableIO
	for _, key := range unitOrder {
		ua := units[key]
		slices.SortFunc(ua.writes, schema.TableName.Compare)
		ws := slices.Compact(ua.writes)
		if len(ws) < 2 {
			continue // one table: no transaction to split, whatever the map
		}
		slices.Sort(ua.stmts)
		u.Units = append(u.Units, schema.Unit{Location: ua.loc, Writes: ws, Statements: ua.stmts, Evidence: ua.evidence})
	}
	u.Sources = slices.Clone(b.sources)
	for i := range u.Sources {
		src := &u.Sources[i]
		if src.Statements == 0 {
			src.Statements = total[src.Kind]
		}
		for _, st := range u.Statements {
			if st.Source != src.Kind {
				continue
			}
			src.Kept++
			if st.Error != "" {
				src.Rejected++
			}
			if len(st.Dynamic) > 0 {
				src.Dynamic++
			}
		}
	}
	u.Normalize()
	return u
}

// dropSentinel removes the names that stand for a piece built at run time
// and counts them.
func dropSentinel(names []string, n int) ([]string, int) {
	out := names[:0:0]
	for _, s := range names {
		if strings.Contains(s, dynSentinel) {
			n++
			continue
		}
		out = append(out, s)
	}
	return out, n
}

func compareLocation(a, b schema.Location) int {
	return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Function, b.Function))
}
