package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan/dialect"
	"github.com/seamsdev/seams/schema"
)

// builder holds what Build works out, in the order it works it out.
type builder struct {
	s   *schema.Snapshot
	a   *contexts.Assignment
	own *ownership.Model
	lk  *schema.Lookup
	// usage is the snapshot's usage attributed to the map's contexts; nil
	// without usage.
	usage *attribution.Usage
	opts  Options

	// fks are the foreign keys that cross a context boundary.
	fks []*crossFK
	// readers indexes the views by the tables they read directly, and
	// triggersOn the triggers by their table (positions in the snapshot).
	readers, triggersOn map[schema.TableName][]int
	// ids holds the findings' IDs once the findings are complete.
	ids map[string]bool
	// deps are the dependency graph's edges.
	deps map[[2]string]*Dependency

	findings []Finding
	// hidden are the references no foreign key declares that cross a
	// context boundary (see findInferred).
	hidden   []hiddenRef
	warnings []string
	// namespaces caches namespace.
	namespaces map[string]string
}

// crossFK is a foreign key crossing a context boundary.
type crossFK struct {
	ownership.FK
	parent   schema.TableName // root of the referenced table
	from, to []string         // child-side and parent-side contexts of the crossing pairs
	id       string
}

// key is the key of the finding about the foreign key, prefix "fk".
func (cf *crossFK) key(prefix string) string {
	return fkKey(prefix, cf.Child, cf.Key.Columns, cf.parent, cf.Key.RefColumns)
}

// Options tune Build.
type Options struct {
	// InferThreshold is the score from which the plan uses an inferred
	// reference (the snapshot's inferred list). Zero means
	// infer.DefaultThreshold.
	InferThreshold float64
	// Outline builds the plan without the SQL of its steps: the steps are
	// the same, in the same order, with the same titles, reasons and
	// findings, but their Up, Down and Verify are empty and they carry
	// none of the notes that come with the statements, nor the checks of
	// the statements' inputs. It is for the summaries that never show the
	// SQL (the text plan, `seams check`), to which the statements of a
	// large schema were most of the memory and a third of the time.
	Outline bool
}

// Build makes the plan for the snapshot and contexts map that the
// ownership model m was built from, with their usage attributed to the
// map's contexts (nil when there is none: see package attribution). It
// reads them and changes nothing.
func Build(m *ownership.Model, u *attribution.Usage, opts Options) (*Plan, error) {
	if m == nil || m.Snapshot() == nil {
		return nil, fmt.Errorf("no snapshot")
	}
	s, a := m.Snapshot(), m.Assignment()
	if _, ok := s.Source.Engine.Dialect(); !ok {
		return nil, fmt.Errorf("unknown engine %q", s.Source.Engine)
	}
	b := &builder{
		s: s, a: a, own: m, lk: m.Lookup(), usage: u, opts: opts,
		deps: map[[2]string]*Dependency{},
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
	b.findStatic()
	b.findShared()
	b.findForeignKeys()
	b.findInferred()
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
		Dialect:            dialectOf(s),
		StaticRowThreshold: m.Options().StaticRowThreshold,
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
	uniqueKeys(b.findings)
	sortFindings(b.findings)
	b.locate(b.findings)
	p.Findings = b.findings
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	p.Groups = GroupFindings(p.Findings)
	for _, f := range p.Findings {
		if f.Kind == KindUnassigned {
			p.Unassigned = append(p.Unassigned, schema.TableName{Schema: f.Objects[0].Schema, Name: f.Objects[0].Name})
		}
	}
	sortNames(p.Unassigned)
	p.References = b.references()
	p.InferThreshold = b.threshold()
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

// split returns the decision on shared table n when the model splits it by
// columns, or nil.
func (b *builder) split(n schema.TableName) *ownership.Shared {
	if sh := b.own.Shared(n); sh != nil && sh.Split != nil {
		return sh
	}
	return nil
}

// dialectOf is the SQL dialect of the snapshot's engine, which Build has
// checked is known.
func dialectOf(s *schema.Snapshot) schema.Dialect {
	d, _ := s.Source.Engine.Dialect()
	return d
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
	case "inferred":
		d.Inferred++
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
	for _, t := range b.own.Roots() {
		n := t.TableName()
		cs := b.own.Claimants(n)
		for _, c := range cs {
			tables[c] = append(tables[c], n)
			if len(cs) > 1 {
				shared[c] = append(shared[c], n)
			}
		}
		for _, c := range b.own.Home(n) {
			if b.own.IsProposed(c) {
				tables[c] = append(tables[c], n)
			}
		}
	}
	out := make([]ContextInfo, 0, len(b.own.Contexts()))
	for _, name := range b.own.Contexts() {
		ci := ContextInfo{Name: name, Proposed: b.own.IsProposed(name), Namespace: b.namespace(name)}
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
// database's name, "_" and the context's name. A name longer than the
// engine allows (MySQL: 64 characters, PostgreSQL: 63 bytes) is shortened
// the way the dialect shortens every name it makes, and a warning says so.
func (b *builder) namespace(ctx string) string {
	if ns, ok := b.namespaces[ctx]; ok {
		return ns
	}
	parts := []string{ctx}
	mysql := dialectOf(b.s) == schema.DialectMySQL
	if mysql && b.s.Source.Database != "" {
		parts = []string{b.s.Source.Database, ctx}
	}
	full := strings.Join(parts, "_")
	ns := full
	if d := dialect.For(b.s.Source.Engine); d != nil {
		ns = d.ObjectName(parts...)
	}
	if ns != full {
		what := "schema: PostgreSQL names are at most 63 bytes"
		if mysql {
			what = "database: MySQL names are at most 64 characters"
		}
		b.warnings = append(b.warnings, fmt.Sprintf("context %q: %q is too long for a %s; the plan names it %q", ctx, full, what, ns))
	}
	if b.namespaces == nil {
		b.namespaces = map[string]string{}
	}
	b.namespaces[ctx] = ns
	return ns
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
