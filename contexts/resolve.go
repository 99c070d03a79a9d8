package contexts

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// Resolve matches the map's patterns against the tables of s.
//
// Matching:
//   - A pattern without a dot matches table names in every schema.
//   - A pattern with a dot matches "schema.table"; when it matches no such
//     full name it matches table names that contain the dot themselves.
//   - Globs use path.Match syntax (* ? [...] and \ to escape).
//   - Partitions are never matched: they belong to their root table. A
//     pattern that matches only partitions is a warning naming the parents.
//
// Claims:
//   - A context that matches a table through several of its entries claims
//     it once: declared columns are merged (in order, without duplicates;
//     nil means not declared) and read + write access becomes readwrite.
//   - The most specific entry wins. Entries rank, most specific first: an
//     exact schema.table, an exact table name, a qualified glob (billing.*,
//     billing.pay_*), a bare glob (pay_*, *). A table belongs only to the
//     contexts whose best entry for it has the best rank among all
//     contexts: the others yield, so a catch-all such as legacy: ["*"] does
//     not make every table shared, and ops: ["json_dump.*"] keeps
//     json_dump.artist_json from another context's artist*. Contexts that
//     tie share the table; tied globs get one warning per pair of
//     overlapping patterns, naming both (exact names that tie are a
//     deliberate share and get none).
//   - ignore: wins over everything: an ignored table is never claimed,
//     static or unassigned (a warning when a context or static: names it
//     exactly).
//   - static: tables may also be claimed by contexts.
//
// Warnings (Assignment.Warnings, sorted by position): a pattern that
// matches no table (with the nearest table name as "did you mean"), a
// pattern that names a view or only partitions, a context without tables,
// overlapping globs, claimed or static tables that are ignored.
//
// Errors (*Error): a declared column the table does not have, a malformed
// pattern or a duplicate or empty context name in a map built in code.
//
// A nil map is an empty one and a nil snapshot has no tables.
func Resolve(m *Map, s *schema.Snapshot) (*Assignment, error) {
	if m == nil {
		m = &Map{}
	}
	if s == nil {
		s = &schema.Snapshot{}
	}
	r := &resolver{m: m, ix: newIndex(s)}
	return r.run(s)
}

type resolver struct {
	m        *Map
	ix       *index
	warnings []*Error
	// more counts the warnings past MaxWarnings, which are not kept.
	more int
}

func (r *resolver) warn(pos Pos, format string, args ...any) {
	if r.full() {
		r.more++
		return
	}
	r.warnings = append(r.warnings, &Error{File: r.m.File, Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// full reports whether MaxWarnings warnings are kept: the next are only
// counted, and what only a warning would use need not be worked out.
func (r *resolver) full() bool { return len(r.warnings) >= MaxWarnings }

func (r *resolver) errf(pos Pos, format string, args ...any) *Error {
	return &Error{File: r.m.File, Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// claim is a Claim while it is being built.
type claim struct {
	Claim
	rank    int    // the rank of its most specific entry (see rank)
	pattern string // that entry's pattern (the first of that rank)
	pos     Pos
}

// The ranks of an entry for a table, most specific first.
const (
	rankExactQualified = iota // schema.table
	rankExact                 // table
	rankQualifiedGlob         // schema.* , schema.pay_*
	rankGlob                  // pay_*, *
)

func (r *resolver) run(s *schema.Snapshot) (*Assignment, error) {
	m := r.m
	a := &Assignment{
		Contexts:  make([]string, 0, len(m.Contexts)),
		Info:      make(map[string]*Context, len(m.Contexts)),
		Claims:    make(map[schema.TableName][]Claim),
		Static:    make(map[schema.TableName]bool),
		Ignored:   make(map[schema.TableName]bool),
		File:      m.File,
		Budgets:   m.Budgets,
		roots:     r.ix.roots,
		byContext: make(map[string][]schema.TableName, len(m.Contexts)),
	}

	// ignore: first, since it wins over everything.
	ignoredBy := make(map[schema.TableName]Pos)
	for _, p := range m.Ignore {
		ns, err := r.match("ignore", p.Pattern, p.Pos)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if _, ok := ignoredBy[n]; !ok {
				ignoredBy[n] = p.Pos
			}
			a.Ignored[n] = true
		}
	}
	for _, p := range m.Static {
		ns, err := r.match("static", p.Pattern, p.Pos)
		if err != nil {
			return nil, err
		}
		for _, n := range ns {
			if ip, ok := ignoredBy[n]; ok {
				if !isGlob(p.Pattern) {
					r.warn(p.Pos, "static: table %s is also ignored (ignore: at line %d); ignore wins", p.Pattern, ip.Line)
				}
				continue
			}
			a.Static[n] = true
		}
	}

	claims := make(map[schema.TableName][]claim)
	for i := range m.Contexts {
		c := &m.Contexts[i]
		if strings.TrimSpace(c.Name) == "" {
			return nil, r.errf(c.Pos, "empty context name")
		}
		if _, dup := a.Info[c.Name]; dup {
			return nil, r.errf(c.Pos, "context %q is defined twice", c.Name)
		}
		info := *c
		a.Info[c.Name] = &info
		a.Contexts = append(a.Contexts, c.Name)
		if len(c.Tables) == 0 {
			r.warn(c.Pos, "context %q lists no tables", c.Name)
		}
		where := fmt.Sprintf("context %q", c.Name)
		for j := range c.Tables {
			ref := &c.Tables[j]
			ns, err := r.match(where, ref.Pattern, ref.Pos)
			if err != nil {
				return nil, err
			}
			exact := !isGlob(ref.Pattern)
			rk := r.ix.rank(ref.Pattern)
			for _, n := range ns {
				if ip, ok := ignoredBy[n]; ok {
					if exact {
						r.warn(ref.Pos, "%s: table %s is also ignored (ignore: at line %d); ignore wins", where, ref.Pattern, ip.Line)
					}
					continue
				}
				if err := r.checkColumns(ref, n); err != nil {
					return nil, err
				}
				cs := claims[n]
				if k := len(cs) - 1; k >= 0 && cs[k].Context == c.Name {
					merge(&cs[k], ref, rk)
					continue
				}
				claims[n] = append(cs, claim{Claim: Claim{Context: c.Name, Columns: slices.Clone(ref.Columns), Access: ref.Access, Pos: ref.Pos},
					rank: rk, pattern: ref.Pattern, pos: ref.Pos})
			}
		}
	}

	type globPair struct{ a, b string }
	type overlap struct {
		pos   Pos
		msg   string
		count int
		first schema.TableName
	}
	overlaps := make(map[globPair]*overlap)
	for n, cs := range claims {
		best := rankGlob
		for _, c := range cs {
			best = min(best, c.rank)
		}
		out := make([]Claim, 0, len(cs))
		var tied []claim
		for _, c := range cs {
			if c.rank != best {
				continue
			}
			out = append(out, c.Claim)
			tied = append(tied, c)
		}
		if best >= rankQualifiedGlob && len(tied) > 1 {
			// Report each pair of overlapping globs once.
			for i := 1; i < len(tied); i++ {
				k := globPair{tied[0].Context + "\x00" + tied[0].pattern, tied[i].Context + "\x00" + tied[i].pattern}
				o := overlaps[k]
				if o == nil {
					o = &overlap{pos: tied[i].pos, first: n,
						msg: fmt.Sprintf("context %q: %q and %q of context %q both match", tied[i].Context, tied[i].pattern, tied[0].pattern, tied[0].Context)}
					overlaps[k] = o
				} else if n.Less(o.first) {
					o.first = n
				}
				o.count++
			}
		}
		a.Claims[n] = out
		for _, c := range out {
			a.byContext[c.Context] = append(a.byContext[c.Context], n)
		}
	}
	// In a stable order, so that the warnings kept under MaxWarnings do
	// not depend on the map's.
	ordered := make([]*overlap, 0, len(overlaps))
	for _, o := range overlaps {
		ordered = append(ordered, o)
	}
	slices.SortFunc(ordered, func(x, y *overlap) int {
		return cmp.Or(cmp.Compare(x.pos.Line, y.pos.Line), cmp.Compare(x.pos.Col, y.pos.Col), strings.Compare(x.msg, y.msg))
	})
	for _, o := range ordered {
		what := fmt.Sprintf("table %s", o.first)
		if o.count > 1 {
			what = fmt.Sprintf("%d tables (first %s)", o.count, o.first)
		}
		r.warn(o.pos, "%s %s, which both contexts now share (the patterns are equally specific); name the tables exactly, or qualify one pattern with its schema, to give them to one context", o.msg, what)
	}
	for _, ns := range a.byContext {
		slices.SortFunc(ns, schema.TableName.Compare)
	}

	for i := range s.Tables {
		t := &s.Tables[i]
		if t.IsPartition() {
			continue
		}
		n := t.TableName()
		if _, ok := a.Claims[n]; ok || a.Static[n] || a.Ignored[n] {
			continue
		}
		a.Unassigned = append(a.Unassigned, n)
	}
	slices.SortFunc(a.Unassigned, schema.TableName.Compare)

	slices.SortStableFunc(r.warnings, func(x, y *Error) int {
		if c := cmp.Compare(x.Pos.Line, y.Pos.Line); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Pos.Col, y.Pos.Col); c != 0 {
			return c
		}
		return strings.Compare(x.Msg, y.Msg)
	})
	if r.more > 0 {
		r.warnings = append(r.warnings, &Error{File: r.m.File, Msg: fmt.Sprintf("%d more warnings like these are not shown", r.more)})
	}
	a.Warnings = r.warnings
	rels, err := r.resolveRelations(s)
	if err != nil {
		return nil, err
	}
	a.Relations = rels
	return a, nil
}

// merge folds another entry of the same context, of rank rk, into its
// claim.
func merge(c *claim, ref *TableRef, rk int) {
	if rk < c.rank {
		c.rank, c.pattern, c.pos, c.Pos = rk, ref.Pattern, ref.Pos, ref.Pos
	}
	switch {
	case c.Access == AccessUnknown:
		c.Access = ref.Access
	case ref.Access != AccessUnknown && ref.Access != c.Access:
		c.Access = AccessReadWrite
	}
	if ref.Columns == nil {
		return
	}
	if c.Columns == nil {
		c.Columns = slices.Clone(ref.Columns)
		return
	}
	for _, col := range ref.Columns {
		if !slices.Contains(c.Columns, col) {
			c.Columns = append(c.Columns, col)
		}
	}
}

func (r *resolver) checkColumns(ref *TableRef, n schema.TableName) error {
	if len(ref.Columns) == 0 {
		return nil
	}
	t := r.ix.lookup.Table(n)
	name := n.String()
	if !isGlob(ref.Pattern) {
		name = ref.Pattern
	}
	for i, col := range ref.Columns {
		if t.Column(col) != nil {
			continue
		}
		pos := ref.Pos
		if i < len(ref.ColumnPos) {
			pos = ref.ColumnPos[i]
		}
		names := make([]string, len(t.Columns))
		for j := range t.Columns {
			names[j] = t.Columns[j].Name
		}
		if s, ok := suggestColumn(col, names); ok {
			return r.errf(pos, "table %s has no column %q (did you mean %q?)", name, col, s)
		}
		return r.errf(pos, "table %s has no column %q", name, col)
	}
	return nil
}

// suggestColumn returns the column of names that col, which the table does
// not have, most likely means: the nearest by spelling (suggest); else,
// for a name written with its table ("line_item.stock_level"), the column
// after the last dot; else the longest column that col starts or ends with
// as whole words, when it has four letters or more ("price_eur" for
// "price").
func suggestColumn(col string, names []string) (string, bool) {
	if s, ok := suggest(col, names); ok {
		return s, true
	}
	if i := strings.LastIndexByte(col, '.'); i >= 0 {
		if slices.Contains(names, col[i+1:]) {
			return col[i+1:], true
		}
		if s, ok := suggestColumn(col[i+1:], names); ok {
			return s, true
		}
	}
	best := ""
	lc := strings.ToLower(col)
	for _, n := range names {
		ln := strings.ToLower(n)
		// At least four letters: "artist_id" does not mean "id".
		if len(n) > len(best) && len(ln) >= 4 && (strings.HasPrefix(lc, ln+"_") || strings.HasSuffix(lc, "_"+ln)) {
			best = n
		}
	}
	return best, best != ""
}

// match returns the tables (never partitions) that pattern p matches, and
// records a warning when there are none. where names the entry's section.
func (r *resolver) match(where, p string, pos Pos) ([]schema.TableName, error) {
	if err := checkPattern(p); err != nil {
		return nil, r.errf(pos, "%s: %v", where, err)
	}
	ts := r.ix.match(p)
	out := make([]schema.TableName, 0, len(ts))
	var parents []schema.TableName
	for _, t := range ts {
		if t.IsPartition() {
			parents = append(parents, r.ix.lookup.Root(t.TableName()))
			continue
		}
		out = append(out, t.TableName())
	}
	if len(out) > 0 {
		return out, nil
	}
	switch {
	case len(parents) > 0:
		slices.SortFunc(parents, schema.TableName.Compare)
		parents = slices.Compact(parents)
		names := make([]string, 0, 3)
		for i, n := range parents {
			if i == 3 {
				names = append(names, fmt.Sprintf("and %d more", len(parents)-3))
				break
			}
			names = append(names, n.String())
		}
		r.warn(pos, "%s: %q matches only partitions (of %s); partitions go with their parent table, list the parent instead",
			where, p, strings.Join(names, ", "))
	case r.ix.views[p]:
		r.warn(pos, "%s: %q is a view, not a table; views are placed by the tables they read", where, p)
	case r.full():
		r.more++
	default:
		if s, ok := r.ix.suggest(p); ok {
			r.warn(pos, "%s: no table matches %q (did you mean %q?)", where, p, s)
		} else {
			r.warn(pos, "%s: no table matches %q", where, p)
		}
	}
	return nil, nil
}

// index finds tables by pattern quickly.
type index struct {
	lookup *schema.Lookup
	byName map[string][]*schema.Table
	byFull map[string][]*schema.Table
	// names and fulls are all tables by bare name and by schema.name,
	// sorted, for prefix scans.
	names, fulls []entry
	// views holds the bare and full names of views.
	views map[string]bool
	// roots maps partitions to their root tables.
	roots map[schema.TableName]schema.TableName
}

type entry struct {
	key string
	t   *schema.Table
}

func newIndex(s *schema.Snapshot) *index {
	ix := &index{
		lookup: schema.NewLookup(s),
		byName: make(map[string][]*schema.Table, len(s.Tables)),
		byFull: make(map[string][]*schema.Table, len(s.Tables)),
		names:  make([]entry, 0, len(s.Tables)),
		fulls:  make([]entry, 0, len(s.Tables)),
		views:  make(map[string]bool, 2*len(s.Views)),
		roots:  make(map[schema.TableName]schema.TableName),
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		full := t.Schema + "." + t.Name
		ix.byName[t.Name] = append(ix.byName[t.Name], t)
		ix.byFull[full] = append(ix.byFull[full], t)
		ix.names = append(ix.names, entry{t.Name, t})
		ix.fulls = append(ix.fulls, entry{full, t})
		if t.IsPartition() {
			ix.roots[t.TableName()] = ix.lookup.Root(t.TableName())
		}
	}
	byKey := func(a, b entry) int { return strings.Compare(a.key, b.key) }
	slices.SortFunc(ix.names, byKey)
	slices.SortFunc(ix.fulls, byKey)
	for i := range s.Views {
		v := &s.Views[i]
		ix.views[v.Name] = true
		ix.views[v.Schema+"."+v.Name] = true
	}
	return ix
}

// match returns the tables, partitions included, that p matches. p must
// be a valid pattern.
func (ix *index) match(p string) []*schema.Table {
	dotted := strings.Contains(p, ".")
	if !isGlob(p) {
		if dotted {
			if ts := ix.byFull[p]; len(ts) > 0 {
				return ts
			}
		}
		return ix.byName[p]
	}
	if dotted {
		if ts := scan(ix.fulls, p); len(ts) > 0 {
			return ts
		}
	}
	return scan(ix.names, p)
}

// rank returns how specific pattern p is (rankExactQualified first): a
// dotted pattern that matches schema.table names is qualified; one that
// matches only table names holding the dot ranks as a bare name. p must be
// a valid pattern.
func (ix *index) rank(p string) int {
	glob := isGlob(p)
	qualified := strings.Contains(p, ".")
	if qualified {
		if glob {
			qualified = len(scan(ix.fulls, p)) > 0
		} else {
			qualified = len(ix.byFull[p]) > 0
		}
	}
	switch {
	case !glob && qualified:
		return rankExactQualified
	case !glob:
		return rankExact
	case qualified:
		return rankQualifiedGlob
	}
	return rankGlob
}

// scan returns the tables of sorted entries whose key matches glob p,
// looking only at the keys that start with p's literal prefix.
func scan(es []entry, p string) []*schema.Table {
	prefix := literalPrefix(p)
	i := sort.Search(len(es), func(i int) bool { return es[i].key >= prefix })
	var out []*schema.Table
	for ; i < len(es) && strings.HasPrefix(es[i].key, prefix); i++ {
		if ok, _ := path.Match(p, es[i].key); ok {
			out = append(out, es[i].t)
		}
	}
	return out
}

// literalPrefix returns the part of glob p before its first metacharacter.
func literalPrefix(p string) string {
	if i := strings.IndexAny(p, `*?[\`); i >= 0 {
		return p[:i]
	}
	return p
}

// suggest returns the table name or pattern nearest to p, which matches
// nothing: for a name the nearest table name (schema.table names too when
// p has a dot), for a glob the glob with its literal prefix replaced by
// the nearest prefix of a table name, when that matches something.
func (ix *index) suggest(p string) (string, bool) {
	es := ix.names
	if strings.Contains(p, ".") {
		es = append(slices.Clip(ix.fulls), ix.names...)
	}
	if !isGlob(p) {
		return suggest(p, uniqueKeys(es, func(k string) string { return k }))
	}
	prefix := literalPrefix(p)
	n := len([]rune(prefix))
	if n == 0 {
		return "", false
	}
	cands := uniqueKeys(es, func(k string) string {
		rs := []rune(k)
		// Only the prefix of the same length is compared; a prefix one
		// rune shorter or longer catches a missing or extra rune.
		return string(rs[:min(len(rs), n)])
	})
	for _, d := range []int{-1, 1} {
		if n+d <= 0 {
			continue
		}
		cands = append(cands, uniqueKeys(es, func(k string) string {
			rs := []rune(k)
			return string(rs[:min(len(rs), n+d)])
		})...)
	}
	s, ok := suggest(prefix, cands)
	if !ok {
		return "", false
	}
	g := s + p[len(prefix):]
	if len(ix.match(g)) == 0 {
		return "", false
	}
	return g, true
}

// uniqueKeys returns f of each key of the non-partition tables of es,
// without duplicates, in order.
func uniqueKeys(es []entry, f func(string) string) []string {
	seen := make(map[string]bool)
	var out []string
	for _, e := range es {
		if e.t.IsPartition() {
			continue
		}
		k := f(e.key)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// BySchema assigns each table to a context named after its schema, for
// diagrams and plans made without a contexts map. The contexts are the
// schemas that hold at least one table, sorted; partitions go with their
// root table; nothing is static, ignored or unassigned.
func BySchema(s *schema.Snapshot) *Assignment {
	ix := schema.NewLookup(s)
	a := &Assignment{
		Info:      make(map[string]*Context),
		Claims:    make(map[schema.TableName][]Claim, len(s.Tables)),
		Static:    make(map[schema.TableName]bool),
		Ignored:   make(map[schema.TableName]bool),
		BySchema:  true,
		roots:     make(map[schema.TableName]schema.TableName),
		byContext: make(map[string][]schema.TableName),
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		n := t.TableName()
		if t.IsPartition() {
			a.roots[n] = ix.Root(n)
			continue
		}
		a.Claims[n] = []Claim{{Context: t.Schema}}
		if _, ok := a.Info[t.Schema]; !ok {
			a.Info[t.Schema] = &Context{Name: t.Schema}
			a.Contexts = append(a.Contexts, t.Schema)
		}
		a.byContext[t.Schema] = append(a.byContext[t.Schema], n)
	}
	for i := range s.Schemas {
		if c := a.Info[s.Schemas[i].Name]; c != nil {
			c.Description = s.Schemas[i].Comment
		}
	}
	slices.Sort(a.Contexts)
	for _, ns := range a.byContext {
		slices.SortFunc(ns, schema.TableName.Compare)
	}
	return a
}

// Root returns the root table of partition n (the table it belongs to),
// or n itself for any other table.
func (a *Assignment) Root(n schema.TableName) schema.TableName {
	if r, ok := a.roots[n]; ok {
		return r
	}
	return n
}

// Primary returns the one context a table is placed in when a single
// place is needed (the schema it moves to first, the cluster it is drawn
// in): the only claiming context; for a shared table the only claimant
// whose declared access writes, if exactly one does; otherwise the first
// claimant in map order. ok is false when no context claims the table
// (unassigned, static only or ignored). Partitions answer for their root.
// A planner looking for cross-context coupling should use ContextsOf: a
// shared table belongs to all its claimants.
func (a *Assignment) Primary(n schema.TableName) (ctx string, ok bool) {
	cs := a.Claims[a.Root(n)]
	if len(cs) == 0 {
		return "", false
	}
	writer := -1
	for i, c := range cs {
		if c.Access.Writes() {
			if writer >= 0 {
				writer = -1
				break
			}
			writer = i
		}
	}
	if writer >= 0 {
		return cs[writer].Context, true
	}
	return cs[0].Context, true
}

// ClaimOf returns context ctx's claim on table n (partitions answer for
// their root).
func (a *Assignment) ClaimOf(n schema.TableName, ctx string) (Claim, bool) {
	for _, c := range a.Claims[a.Root(n)] {
		if c.Context == ctx {
			return c, true
		}
	}
	return Claim{}, false
}

// Shared reports whether two or more contexts claim table n.
func (a *Assignment) Shared(n schema.TableName) bool { return len(a.Claims[a.Root(n)]) > 1 }

// IsStatic reports whether table n (or its root) is static reference data
// declared under static:.
func (a *Assignment) IsStatic(n schema.TableName) bool { return a.Static[a.Root(n)] }

// IsIgnored reports whether table n (or its root) is ignored.
func (a *Assignment) IsIgnored(n schema.TableName) bool { return a.Ignored[a.Root(n)] }

// Tables returns the tables context ctx claims, shared ones included,
// sorted by schema and name; partitions are not listed. The slice is the
// caller's.
func (a *Assignment) Tables(ctx string) []schema.TableName {
	if a.byContext != nil {
		return slices.Clone(a.byContext[ctx])
	}
	var out []schema.TableName
	for n, cs := range a.Claims {
		for _, c := range cs {
			if c.Context == ctx {
				out = append(out, n)
				break
			}
		}
	}
	slices.SortFunc(out, schema.TableName.Compare)
	return out
}
