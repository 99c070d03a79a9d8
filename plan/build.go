package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// builder holds what Build works out, in the order it works it out.
type builder struct {
	s    *schema.Snapshot
	a    *contexts.Assignment
	lk   *schema.Lookup
	opts Options

	// names are the context names: the map's, then the proposed ones.
	names []string
	// rank maps a context name to its position in names.
	rank     map[string]int
	proposed map[string]bool

	// roots are the root tables (partitions excluded), sorted.
	roots []*schema.Table
	// claims are the map's claims by root table.
	claims map[schema.TableName][]contexts.Claim
	// home are the contexts that own a table in the plan: its claimers,
	// or the one owner the plan gives a shared table; empty for tables no
	// context owns (unassigned, static data shared by several).
	home map[schema.TableName][]string
	// splits are the shared tables the plan splits by columns.
	splits map[schema.TableName]*split
	// static are the tables found to be static reference data.
	static map[schema.TableName]bool
	// fks are the foreign keys that cross a context boundary.
	fks []*crossFK
	// staticFKs are the foreign keys into static tables, by parent.
	staticFKs map[schema.TableName][]fkRef
	// refs caches allFKs.
	refs []fkRef
	// readers indexes the views by the tables they read directly, and
	// triggersOn the triggers by their table (positions in the snapshot).
	readers, triggersOn map[schema.TableName][]int
	// ids holds the findings' IDs once the findings are complete.
	ids map[string]bool
	// deps are the dependency graph's edges.
	deps map[[2]string]*Dependency

	findings []Finding
	warnings []string
}

// split is a shared table split into one table per context.
type split struct {
	table *schema.Table
	// cols maps each claiming context to the columns it uses.
	cols map[string][]string
	pk   []string
	// owner is the claimer that keeps the original table and issues its
	// keys: the first in the map's order. The others get new tables.
	owner string
}

// fkRef is a foreign key with the table that declares it.
//
// When the partitions of one partitioned table each declare an equivalent
// key of their own (same columns, same referenced table and columns, same
// actions), the keys are one fkRef: child and root are the partitioned
// table, fk is a copy of the first partition's key standing for all of
// them, and parts are the partitions' keys, sorted by partition.
type fkRef struct {
	child schema.TableName // the table declaring it (a partition for a partition-only key)
	root  schema.TableName // the child's root table
	fk    *schema.ForeignKey
	parts []fkRef
}

// key names the foreign key in finding IDs and slugs: the constraint's
// name, or for a key declared per partition "partitions(<columns>)".
func (r fkRef) key() string {
	if len(r.parts) > 0 {
		return "partitions(" + strings.Join(r.fk.Columns, ",") + ")"
	}
	return r.fk.Name
}

// members returns the constraints r stands for: the partitions' keys, or
// r itself.
func (r fkRef) members() []fkRef {
	if len(r.parts) > 0 {
		return r.parts
	}
	return []fkRef{r}
}

// crossFK is a foreign key crossing a context boundary.
type crossFK struct {
	fkRef
	parent   schema.TableName // root of the referenced table
	from, to []string         // child-side and parent-side contexts of the crossing pairs
	id       string
}

// Build makes the plan for snapshot s and assignment a. It reads both and
// changes neither.
func Build(s *schema.Snapshot, a *contexts.Assignment, opts Options) (*Plan, error) {
	if s == nil {
		return nil, fmt.Errorf("plan: no snapshot")
	}
	if a == nil {
		a = &contexts.Assignment{}
	}
	if opts.StaticRowThreshold <= 0 {
		opts.StaticRowThreshold = DefaultStaticRowThreshold
	}
	if opts.StaticMaxWrites <= 0 {
		opts.StaticMaxWrites = max(10, opts.StaticRowThreshold/100)
	}
	b := &builder{
		s: s, a: a, lk: schema.NewLookup(s), opts: opts,
		rank:      map[string]int{},
		proposed:  map[string]bool{},
		claims:    map[schema.TableName][]contexts.Claim{},
		home:      map[schema.TableName][]string{},
		splits:    map[schema.TableName]*split{},
		static:    map[schema.TableName]bool{},
		staticFKs: map[schema.TableName][]fkRef{},
		deps:      map[[2]string]*Dependency{},
	}
	for _, c := range a.Contexts {
		b.addContext(c)
	}
	b.readers, b.triggersOn = map[schema.TableName][]int{}, map[schema.TableName][]int{}
	for i, v := range s.Views {
		for _, r := range slices.Compact(slices.Clone(v.Reads)) {
			b.readers[r] = append(b.readers[r], i)
		}
	}
	for i, tr := range s.Triggers {
		b.triggersOn[tr.Table] = append(b.triggersOn[tr.Table], i)
	}
	b.collectClaims()
	b.findStatic()
	b.findShared()
	b.refreshStatic()
	b.findForeignKeys()
	b.findViews()
	b.findTriggers()
	b.findUnassigned()
	b.findUsage()
	g := b.graph()
	order, cyc := g.order()
	b.findCycles(g, cyc)

	p := &Plan{
		Format:             FormatVersion,
		Source:             s.Source,
		Dialect:            s.Source.Engine.Dialect(),
		StaticRowThreshold: opts.StaticRowThreshold,
		Order:              order,
		Cycles:             [][]string{},
		Unassigned:         []schema.TableName{},
	}
	for _, c := range cyc {
		p.Cycles = append(p.Cycles, c.members)
	}
	p.Contexts = b.contextInfos()
	p.Dependencies = b.dependencies()
	steps, err := b.steps(order, cyc)
	if err != nil {
		return nil, err
	}
	p.Steps = steps
	sortFindings(b.findings)
	p.Findings = b.findings
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	for _, f := range p.Findings {
		if f.Kind == KindUnassigned {
			p.Unassigned = append(p.Unassigned, schema.TableName{Schema: f.Objects[0].Schema, Name: f.Objects[0].Name})
		}
	}
	sortNames(p.Unassigned)
	for _, w := range a.Warnings {
		b.warnings = append(b.warnings, w.Error())
	}
	p.Warnings = b.warnings
	slices.Sort(p.Warnings)
	p.Warnings = slices.Compact(p.Warnings)
	if p.Warnings == nil {
		p.Warnings = []string{}
	}
	return p, nil
}

// addContext adds a context name if it is new.
func (b *builder) addContext(name string) {
	if _, ok := b.rank[name]; ok {
		return
	}
	b.rank[name] = len(b.names)
	b.names = append(b.names, name)
}

// byRank sorts context names in the map's order.
func (b *builder) byRank(cs []string) []string {
	slices.SortFunc(cs, func(x, y string) int { return cmp.Compare(b.rank[x], b.rank[y]) })
	return slices.Compact(cs)
}

// collectClaims indexes the map's claims by root table and sets each
// claimed table's home to its claimers.
func (b *builder) collectClaims() {
	for i := range b.s.Tables {
		t := &b.s.Tables[i]
		if !t.IsPartition() {
			b.roots = append(b.roots, t)
		}
	}
	slices.SortFunc(b.roots, func(x, y *schema.Table) int { return x.TableName().Compare(y.TableName()) })
	keys := make([]schema.TableName, 0, len(b.a.Claims))
	for n := range b.a.Claims {
		keys = append(keys, n)
	}
	sortNames(keys)
	for _, n := range keys {
		r := b.lk.Root(n)
		for _, c := range b.a.Claims[n] {
			b.addContext(c.Context)
			if !slices.ContainsFunc(b.claims[r], func(x contexts.Claim) bool { return x.Context == c.Context }) {
				b.claims[r] = append(b.claims[r], c)
			}
		}
	}
	for n, cs := range b.claims {
		slices.SortStableFunc(cs, func(x, y contexts.Claim) int { return cmp.Compare(b.rank[x.Context], b.rank[y.Context]) })
		h := make([]string, len(cs))
		for i, c := range cs {
			h[i] = c.Context
		}
		b.home[n] = h
	}
}

// homeOf returns the contexts that own table n (or its root) in the plan.
func (b *builder) homeOf(n schema.TableName) []string { return b.home[b.lk.Root(n)] }

// usersOf returns the contexts owning n that use all of cols: for a table
// the plan splits, the contexts whose declared columns include them; for
// any other table its home.
func (b *builder) usersOf(n schema.TableName, cols []string) []string {
	r := b.lk.Root(n)
	sp := b.splits[r]
	if sp == nil {
		return b.home[r]
	}
	var out []string
	for _, c := range b.home[r] {
		if containsAll(sp.cols[c], cols) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return b.home[r]
	}
	return out
}

// mainHome returns the contexts a reader of table n depends on: the owner
// of a split table, the home of any other.
func (b *builder) mainHome(n schema.TableName) []string {
	r := b.lk.Root(n)
	if sp := b.splits[r]; sp != nil {
		return []string{sp.owner}
	}
	return b.home[r]
}

// addDep counts a coupling on the edge from -> to.
func (b *builder) addDep(from, to, what, findingID string) {
	if from == to {
		return
	}
	d := b.deps[[2]string{from, to}]
	if d == nil {
		d = &Dependency{From: from, To: to}
		b.deps[[2]string{from, to}] = d
	}
	switch what {
	case "fk":
		d.ForeignKeys++
	case "view":
		d.Views++
	case "trigger":
		d.Triggers++
	case "table":
		d.SharedTables++
	}
	if !slices.Contains(d.FindingIDs, findingID) {
		d.FindingIDs = append(d.FindingIDs, findingID)
	}
}

func (b *builder) dependencies() []Dependency {
	out := make([]Dependency, 0, len(b.deps))
	for _, d := range b.deps {
		slices.Sort(d.FindingIDs)
		out = append(out, *d)
	}
	slices.SortFunc(out, func(x, y Dependency) int {
		return cmp.Or(strings.Compare(x.From, y.From), strings.Compare(x.To, y.To))
	})
	return out
}

// contextInfos lists the contexts with their tables.
func (b *builder) contextInfos() []ContextInfo {
	tables := map[string][]schema.TableName{}
	shared := map[string][]schema.TableName{}
	for n, cs := range b.claims {
		for _, c := range cs {
			tables[c.Context] = append(tables[c.Context], n)
			if len(cs) > 1 {
				shared[c.Context] = append(shared[c.Context], n)
			}
		}
	}
	for n, h := range b.home {
		for _, c := range h {
			if b.proposed[c] {
				tables[c] = append(tables[c], n)
			}
		}
	}
	out := make([]ContextInfo, 0, len(b.names))
	for _, name := range b.names {
		ci := ContextInfo{Name: name, Proposed: b.proposed[name], Namespace: b.namespace(name)}
		if info := b.a.Info[name]; info != nil {
			ci.Description, ci.Owner = info.Description, info.Owner
		}
		ci.Tables = nonNil(tables[name])
		ci.Shared = nonNil(shared[name])
		sortNames(ci.Tables)
		sortNames(ci.Shared)
		out = append(out, ci)
	}
	return out
}

// namespace is the PostgreSQL schema or MySQL database of a context: its
// name on PostgreSQL; on MySQL, where databases are server-wide, the source
// database's name, "_" and the context's name.
func (b *builder) namespace(ctx string) string {
	if b.s.Source.Engine.Dialect() == "mysql" && b.s.Source.Database != "" {
		return b.s.Source.Database + "_" + ctx
	}
	return ctx
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func sortNames(ns []schema.TableName) {
	slices.SortFunc(ns, schema.TableName.Compare)
}

func containsAll(set, want []string) bool {
	for _, w := range want {
		if !slices.Contains(set, w) {
			return false
		}
	}
	return true
}

// sortFindings orders findings by severity, kind and ID.
func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(x, y Finding) int {
		return cmp.Or(cmp.Compare(x.Severity.Rank(), y.Severity.Rank()),
			strings.Compare(string(x.Kind), string(y.Kind)),
			strings.Compare(x.ID, y.ID))
	})
}

// id joins the parts of a finding ID.
func id(prefix string, n schema.TableName, rest ...string) string {
	return strings.Join(append([]string{prefix, n.Schema, n.Name}, rest...), "/")
}
