// Package usage finds who reads and writes which table, from the places
// where that is recorded: PostgreSQL's pg_stat_statements, MySQL/MariaDB's
// performance_schema statement digests, the application's source code (SQL
// in string literals and .sql files, ORM table declarations) and query log
// files. Every source is optional and says, when it cannot be read, why and
// how to enable it.
//
// The statements are parsed with the database's own grammar (package
// sqlrefs: libpg_query for PostgreSQL, the Vitess MySQL parser) into the
// tables they read and write, resolved against a snapshot, attributed to the
// bounded contexts of a contexts map (a context's roles: for database users,
// its code: globs for source files), and summed into a matrix of context ×
// table × {read, write} that is stored in the snapshot (schema.Usage) and
// read by the plan.
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
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/seamsdev/seams/contexts"
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
	// application name, if known. Either attributes the statement to the
	// contexts that list it under roles:.
	User, App string
	// Schema is the default schema (MySQL: database) unqualified names are
	// looked up in first; "" means the snapshot's default (public, or the
	// snapshot's database).
	Schema string
	// Context attributes the statement directly (code under a context's
	// globs); it wins over User and App.
	Context string
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
	a       *contexts.Assignment
	lk      *schema.Lookup
	dialect string
	// roles maps a role, user or application name to the contexts that
	// list it under roles:.
	roles map[string][]string
	// byName indexes the snapshot's tables and views by name (lower-cased
	// on MySQL, where names are compared without case on most systems).
	byName map[string][]schema.TableName
	views  map[schema.TableName][]schema.TableName

	raws     []Raw
	sources  []schema.UsageSource
	mappings []schema.Mapping
	tableIO  []schema.TableIO
}

// NewBuilder returns a Builder for snapshot s and the contexts map a
// resolved against it, which gives the tables' contexts and each context's
// roles: and code: globs. a may be nil: nothing is then attributed, and
// statements touch no context.
func NewBuilder(s *schema.Snapshot, a *contexts.Assignment) *Builder {
	b := &Builder{
		snap: s, a: a, lk: schema.NewLookup(s), dialect: s.Source.Engine.Dialect(),
		roles:  map[string][]string{},
		byName: map[string][]schema.TableName{},
		views:  map[schema.TableName][]schema.TableName{},
	}
	for _, c := range contextsOf(a) {
		for _, r := range c.Roles {
			if !slices.Contains(b.roles[r], c.Name) {
				b.roles[r] = append(b.roles[r], c.Name)
			}
		}
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
	return b
}

// contextsOf returns the contexts of a, in map order.
func contextsOf(a *contexts.Assignment) []*contexts.Context {
	if a == nil {
		return nil
	}
	var out []*contexts.Context
	for _, name := range a.Contexts {
		if c := a.Info[name]; c != nil {
			out = append(out, c)
		}
	}
	return out
}

// Dialect is the SQL dialect statements are parsed in: "postgres" or "mysql".
func (b *Builder) Dialect() string { return b.dialect }

func (b *Builder) fold(s string) string {
	if b.dialect == "mysql" {
		return strings.ToLower(s)
	}
	return s
}

// Add records one observation.
func (b *Builder) Add(r Raw) { b.raws = append(b.raws, r) }

// AddSource records a source that was asked, available or not. Build fills
// in its counts of kept, rejected, dynamic and unattributed statements.
func (b *Builder) AddSource(src schema.UsageSource) { b.sources = append(b.sources, src) }

// AddMapping records an ORM table declaration; Table.Schema may be empty.
func (b *Builder) AddMapping(table, kind, context string, loc schema.Location) {
	n, ok := b.resolve(schema.TableName{Name: table}, "")
	if !ok {
		n = schema.TableName{Name: table}
		if i := strings.LastIndexByte(table, '.'); i > 0 {
			if m, ok2 := b.resolve(schema.TableName{Schema: table[:i], Name: table[i+1:]}, ""); ok2 {
				n, ok = m, true
			}
		}
	}
	b.mappings = append(b.mappings, schema.Mapping{Table: n, Kind: kind, Location: loc, Context: context, Known: ok})
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
	parse := sqlrefs.Postgres
	if b.dialect == "mysql" {
		parse = sqlrefs.MySQL
	}
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
					refs, err := parse(t)
					p.refs = refs
					if err != nil {
						p.err = err.Error()
					} else if b.onShared(refs, p.schema) {
						p.cols = b.columnUses(t, p.schema)
					}
				}
			}
		}()
	}
	wg.Wait()
	return out
}

// onShared reports whether refs name a table that two or more contexts
// claim. Columns are worked out only for such statements: they are what a
// split of a shared table needs, and the second parse they take would
// otherwise double the cost of every statement.
func (b *Builder) onShared(refs sqlrefs.Refs, defaultSchema string) bool {
	if b.a == nil {
		return false
	}
	for _, ns := range [][]schema.TableName{refs.Reads, refs.Writes} {
		for _, n := range ns {
			if m, ok := b.resolve(n, defaultSchema); ok && len(b.a.ContextsOf(m)) >= 2 {
				return true
			}
		}
	}
	return false
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
	if b.dialect == "mysql" {
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

// actors returns the contexts a raw observation is attributed to.
func (b *Builder) actors(r *Raw) []string {
	if r.Context != "" {
		return []string{r.Context}
	}
	var out []string
	for _, who := range []string{r.User, r.App} {
		if who != "" {
			out = append(out, b.roles[who]...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// touches returns the contexts that claim any of ns.
func (b *Builder) touches(ns []schema.TableName) []string {
	if b.a == nil {
		return nil
	}
	var out []string
	for _, n := range ns {
		out = append(out, b.a.ContextsOf(n)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// crossing reports whether no one context claims all of the claimed tables
// among ns (static and unclaimed tables left out), with the contexts that
// claim them.
func (b *Builder) crossing(ns []schema.TableName) ([]string, bool) {
	if b.a == nil {
		return nil, false
	}
	var common, all []string
	first := true
	for _, n := range ns {
		cs := b.a.ContextsOf(n)
		if len(cs) == 0 || b.a.IsStatic(n) {
			continue
		}
		all = append(all, cs...)
		if first {
			common, first = slices.Clone(cs), false
			continue
		}
		common = slices.DeleteFunc(common, func(c string) bool { return !slices.Contains(cs, c) })
	}
	slices.Sort(all)
	return slices.Compact(all), !first && len(common) == 0
}

// statementID is the stable ID of a statement of a source.
func statementID(source, text string) string {
	h := sha256.Sum256([]byte(text))
	return source + "/" + hex.EncodeToString(h[:8])
}

// stmtAcc accumulates one statement while building.
type stmtAcc struct {
	st       schema.Statement
	contexts map[string]bool
}

type cellKey struct {
	ctx   string
	table schema.TableName
}

// readKey counts the distinct statements of a cell that read (or write).
type readKey struct {
	cellKey
	read bool
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
	cells := map[cellKey]*schema.UsageCell{}
	units := map[string]*unitAcc{}
	var unitOrder []string
	total := map[string]int{}

	cell := func(ctx string, n schema.TableName) *schema.UsageCell {
		k := cellKey{ctx, n}
		c := cells[k]
		if c == nil {
			c = &schema.UsageCell{Context: ctx, Table: n}
			cells[k] = c
		}
		return c
	}
	distinct := map[readKey]map[string]bool{}
	see := func(ctx string, n schema.TableName, read bool, id string) {
		k := readKey{cellKey{ctx, n}, read}
		if distinct[k] == nil {
			distinct[k] = map[string]bool{}
		}
		distinct[k][id] = true
	}
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
			}, contexts: map[string]bool{}}
			unknown := append(unknownR, unknownW...)
			slices.Sort(unknown)
			acc.st.Unknown = slices.Compact(unknown)
			acc.st.Touches = b.touches(append(slices.Clone(reads), writes...))
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
		actors := b.actors(r)
		for _, c := range actors {
			acc.contexts[c] = true
		}
		if len(actors) == 0 {
			actors = []string{""}
		}
		for _, ctx := range actors {
			for _, n := range reads {
				c := cell(ctx, n)
				c.Reads += calls
				see(ctx, n, true, id)
				addEvidence(c, id)
			}
			for _, n := range writes {
				c := cell(ctx, n)
				c.Writes += calls
				see(ctx, n, false, id)
				addEvidence(c, id)
			}
		}
		for _, ctx := range actors {
			for _, cu := range p.cols {
				c := cell(ctx, cu.Table)
				c.Columns = append(c.Columns, cu.Read...)
				c.Columns = append(c.Columns, cu.Written...)
				c.WrittenColumns = append(c.WrittenColumns, cu.Written...)
			}
		}
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
		for c := range acc.contexts {
			acc.st.Contexts = append(acc.st.Contexts, c)
		}
		u.Statements = append(u.Statements, acc.st)
	}
	for _, m := range b.mappings {
		if m.Known {
			cell(m.Context, m.Table).Mapped++
		}
	}
	for k, c := range cells {
		slices.Sort(c.Columns)
		c.Columns = slices.Compact(c.Columns)
		slices.Sort(c.WrittenColumns)
		c.WrittenColumns = slices.Compact(c.WrittenColumns)
		c.ReadStatements, c.WriteStatements = len(distinct[readKey{k, true}]), len(distinct[readKey{k, false}])
		u.Matrix = append(u.Matrix, *c)
	}
	u.Mappings = b.mappings
	u.TableIO = b.tableIO
	for _, key := range unitOrder {
		ua := units[key]
		slices.SortFunc(ua.writes, schema.TableName.Compare)
		ws := slices.Compact(ua.writes)
		ctxs, cross := b.crossing(ws)
		if !cross {
			continue
		}
		slices.Sort(ua.stmts)
		u.Transactions = append(u.Transactions, schema.Transaction{
			Location: ua.loc, Writes: ws, Contexts: ctxs, Statements: ua.stmts, Evidence: ua.evidence,
		})
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
			if len(st.Contexts) == 0 {
				src.Unattributed++
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

// addEvidence adds a statement ID to a cell, keeping the MaxEvidence
// smallest IDs so that the evidence does not depend on the order of the
// observations.
func addEvidence(c *schema.UsageCell, id string) {
	if slices.Contains(c.Evidence, id) {
		return
	}
	if len(c.Evidence) < schema.MaxEvidence {
		c.Evidence = append(c.Evidence, id)
		return
	}
	top := 0
	for j, e := range c.Evidence {
		if e > c.Evidence[top] {
			top = j
		}
	}
	if id < c.Evidence[top] {
		c.Evidence[top] = id
	}
}

func compareLocation(a, b schema.Location) int {
	return cmp.Or(strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), strings.Compare(a.Function, b.Function))
}
