// Package suggest finds candidate bounded contexts in a schema and its
// usage: it clusters the weighted graph of the tables (package
// tablegraph: foreign keys, references no foreign key declares, views,
// triggers, statements, units of work, shared name words and schemas)
// with gonum's Louvain modularisation, and writes the result as a
// contexts map that `seams plan` reads as it is.
//
// Before clustering, the tables that would glue every context into one
// are set apart: static reference data (the map's static: and the
// ownership model's static data rule: small, rarely written, referencing
// nothing, here referenced by two or more tables) and hubs (tables
// coupled to far more tables than the others, whose couplings spread over
// many communities: the connector hubs of Guimerà and Amaral's roles).
// Reference data that two or more suggested contexts use is listed under
// static:; a hub becomes a context of its own. Communities smaller than
// MinSize join the community they are most tied to; a table tied to
// nothing is listed apart, never dropped.
//
// With an existing map, the result also proposes homes for the tables it
// leaves unassigned, names the tables most of whose coupling goes to
// another context, and measures the map next to the suggestion
// (modularity, crossing couplings, agreement).
package suggest

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/tablegraph"
)

// Defaults and thresholds of the rules.
const (
	DefaultResolution = 1.0
	DefaultMinSize    = 3
	DefaultSeed       = 1
	// A hub has at least HubMinDegree neighbours, a degree HubZ standard
	// deviations above the mean, and a participation coefficient (the
	// spread of its couplings over communities, 0 to 1) of at least
	// HubParticipation.
	HubMinDegree     = 8
	HubZ             = 3
	HubParticipation = 0.6
	// A table is also listed under a second context when its couplings
	// to that context weigh at least SharedShare of those to its own and
	// at least MinSharedWeight (two foreign keys' worth), by two or more
	// couplings.
	SharedShare     = 0.5
	MinSharedWeight = 2.0
	// MisplacedShare is the share of a table's coupling to contexts that
	// must go to one other context for the table to look misplaced.
	MisplacedShare = 0.5
	// MaxCodeListColumns is the most columns a table of unknown size (read
	// from a DDL file) may have to be set apart as static reference data:
	// a code list has a key, a name and a few attributes.
	MaxCodeListColumns = 5
)

// Options tune the suggestion.
type Options struct {
	// Resolution is the granularity of the communities (Reichardt and
	// Bornholdt's γ): above 1 more and smaller contexts, below 1 fewer and
	// larger. Zero means DefaultResolution.
	Resolution float64
	// MaxContexts, when positive, lowers the resolution until there are at
	// most this many contexts (static data and isolated tables apart).
	MaxContexts int
	// MinSize is the size under which a community joins the one it is most
	// tied to; zero means DefaultMinSize.
	MinSize int
	// Seed fixes the order gonum's heuristic visits tables in; zero means
	// DefaultSeed. The same snapshot, map and options always give the same
	// suggestion.
	Seed uint64
	// Graph tunes the graph of the tables.
	Graph tablegraph.Options
	// Outline analyses the suggested map with an outline plan (see
	// plan.Options): the steps without their SQL, for callers that never
	// show the statements (seams suggest). The measures are the same.
	Outline bool
}

// Result is a suggested contexts map with the reasons for it.
type Result struct {
	// Database names the snapshot's database.
	Database string `json:"database"`
	// Tables counts the tables considered (ignored ones left out).
	Tables int `json:"tables"`
	// Resolution is the resolution used (lowered for MaxContexts).
	Resolution float64 `json:"resolution"`
	// Contexts are the suggested contexts, largest first.
	Contexts []Context `json:"contexts"`
	// Static are the tables set apart as static reference data.
	Static []Static `json:"static"`
	// Isolated are the tables that no coupling ties to another table:
	// no context can be inferred for them.
	Isolated []schema.TableName `json:"isolated"`
	// Ignored are the tables the given map ignores, carried over.
	Ignored []schema.TableName `json:"ignored,omitempty"`
	// Suggested measures the suggested map.
	Suggested Measure `json:"suggested"`
	// Given compares the given map with the suggestion; nil without one.
	Given *Comparison `json:"given,omitempty"`
	// Warnings say what the options could not do.
	Warnings []string `json:"warnings,omitempty"`

	relations []contexts.ResolvedRelation
	// bare counts the tables of each name, to write map entries.
	bare map[string]int
	// analysis is the snapshot analysed under the suggested map.
	analysis *analysis.Analysis
}

// Context is a suggested context.
type Context struct {
	Name string `json:"name"`
	// NamedBy says where the name comes from: "word" (the word most of its
	// tables share), "table" (its central table) or "hub".
	NamedBy string `json:"named_by"`
	// Tables are the tables it owns, sorted.
	Tables []schema.TableName `json:"tables"`
	// Shared are tables of other contexts with strong couplings to this
	// one, listed under both in the map (the plan then decides what
	// becomes of them).
	Shared []Shared `json:"shared"`
	// Central is the table most tied to the others of the context.
	Central schema.TableName `json:"central"`
	// Hub is true for a hub set apart before clustering.
	Hub bool `json:"hub,omitempty"`
	// Inside and Crossing count the couplings that stay inside the context
	// and that cross to another on the suggested map, as package coupling
	// counts them for seams check and seams diff.
	Inside   int `json:"inside"`
	Crossing int `json:"crossing"`
	// Cohesion is the weight of the couplings between its tables over the
	// weight of all couplings of its tables to owned tables (0 to 1).
	Cohesion float64 `json:"cohesion"`
	// Neighbours are the contexts its crossing couplings reach, with how
	// many, most first.
	Neighbours []Neighbour `json:"neighbours"`
}

// Shared is a table another context owns that is listed under this one
// too.
type Shared struct {
	Table schema.TableName `json:"table"`
	// Owner is the context it was clustered into.
	Owner string `json:"owner"`
	// Share is the part of its coupling to contexts that goes to this one.
	Share float64 `json:"share"`
}

// Neighbour is a context that crossing couplings reach.
type Neighbour struct {
	Context   string `json:"context"`
	Couplings int    `json:"couplings"`
}

// Static is a table set apart as static reference data.
type Static struct {
	Table schema.TableName `json:"table"`
	// Why says why: declared in the map, the ownership model's rule, or
	// the shape of static data referenced by tables of several contexts.
	Why string `json:"why"`
	// Users are the suggested contexts whose tables reference it.
	Users []string `json:"users"`
	// Sized is false when the table's size is unknown (a DDL file).
	Sized bool `json:"sized"`
}

// Measure is how well a map follows the couplings.
type Measure struct {
	Contexts int `json:"contexts"`
	// Modularity is the modularity of the map's contexts on the graph of
	// the couplings (hints left out), at resolution 1; static data and
	// tables in no context each count alone.
	Modularity float64 `json:"modularity"`
	// Inside and Crossing count the couplings that stay inside a context
	// and those that cross contexts (distinct plan keys), as package
	// coupling counts them.
	Inside   int `json:"inside"`
	Crossing int `json:"crossing"`
}

// Comparison is the given map next to the suggestion.
type Comparison struct {
	Measure
	// Agreement is the adjusted Rand index between the given map's
	// contexts and the suggested ones, over the tables both place in a
	// context: 1 the same partition, 0 no more alike than chance.
	Agreement float64 `json:"agreement"`
	// Unassigned are the tables the given map leaves in no context, with
	// the home their couplings propose.
	Unassigned []Proposal `json:"unassigned"`
	// Misplaced are the tables most of whose coupling goes to another
	// context of the given map.
	Misplaced []Misplaced `json:"misplaced"`
}

// Proposal is a home proposed for a table the given map leaves out.
type Proposal struct {
	Table schema.TableName `json:"table"`
	// Context is the given map's context it is most tied to; "" when
	// nothing ties it to one.
	Context string `json:"context"`
	// Weight and Couplings say how strongly: the weight and the couplings
	// in words ("2 foreign keys, 1 view").
	Weight    float64 `json:"weight"`
	Couplings string  `json:"couplings"`
	// Suggested is where the suggestion puts it.
	Suggested string `json:"suggested"`
}

// Misplaced is a table whose coupling mostly goes to another context.
type Misplaced struct {
	Table     schema.TableName `json:"table"`
	Context   string           `json:"context"`
	Goes      string           `json:"goes"`
	Share     float64          `json:"share"`
	Couplings string           `json:"couplings"`
}

// Analysis returns the snapshot analysed under the suggested map, read
// back from the map Suggest writes as `seams plan` would read it; its plan
// is an outline when Options.Outline was set.
func (r *Result) Analysis() *analysis.Analysis { return r.analysis }

// Suggest suggests contexts for the snapshot of m. m's map (possibly
// empty) gives the tables to ignore, the static data it declares, the
// relations it confirms, denies and declares, and, when it has contexts,
// the map to compare with.
func Suggest(m *ownership.Model, opts Options) (*Result, error) {
	if opts.Resolution <= 0 {
		opts.Resolution = DefaultResolution
	}
	if opts.MinSize <= 0 {
		opts.MinSize = DefaultMinSize
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if math.IsNaN(opts.Resolution) || math.IsInf(opts.Resolution, 0) {
		return nil, fmt.Errorf("resolution %v: want a positive number", opts.Resolution)
	}
	g := tablegraph.New(m, opts.Graph)
	r := newRun(m, g, opts)
	p := r.cluster(opts.Resolution)
	if opts.MaxContexts > 0 && len(p.groups) > opts.MaxContexts {
		p = r.fewer(p, opts.MaxContexts)
	}
	res := r.result(p)
	if err := res.resolve(m, r.analysisOptions(opts.Outline)); err != nil {
		return nil, err
	}
	if err := r.measure(res); err != nil {
		return nil, err
	}
	return res, nil
}

// run is one suggestion in the making.
type run struct {
	m    *ownership.Model
	g    *tablegraph.Graph
	opts Options
	// fixed are the tables static whatever the clustering (declared, or
	// static by the ownership model's rule); candidate those of static
	// shape that two or more tables reference.
	fixed, candidate []bool
	// children are the tables that reference each table.
	children [][]int
	// strong are the edges from the couplings that are not hints.
	strong *ugraph
	// hubList are the hubs, set apart before clustering.
	hubList []int
}

func newRun(m *ownership.Model, g *tablegraph.Graph, opts Options) *run {
	n := len(g.Tables)
	r := &run{m: m, g: g, opts: opts, fixed: make([]bool, n), candidate: make([]bool, n), children: make([][]int, n)}
	for _, c := range g.Couplings {
		if c.Ref == nil {
			continue
		}
		ch, _ := g.Index(c.Ref.Child)
		p, _ := g.Index(c.Ref.Parent)
		if !slices.Contains(r.children[p], ch) {
			r.children[p] = append(r.children[p], ch)
		}
	}
	a := m.Assignment()
	for i, t := range g.Tables {
		switch {
		case a.IsStatic(t) || m.IsStatic(t):
			r.fixed[i] = true
		case len(r.children[i]) >= 2:
			shape, sized := m.StaticShape(t)
			r.candidate[i] = shape && (sized || len(m.Lookup().Table(t).Columns) <= MaxCodeListColumns)
		}
	}
	all := make([]bool, n)
	for i := range all {
		all[i] = true
	}
	r.strong = subgraph(g, all, true)
	r.hubList = r.hubs()
	return r
}

// partition is the tables divided into contexts.
type partition struct {
	resolution float64
	// groups are the contexts' tables, static data left out, each sorted.
	groups [][]int
	// hub[k] is the hub table of group k, or -1.
	hub      []int
	isolated []int
}

// setApart reports whether table i is kept out of the clustering.
func (r *run) setApart(i int) bool { return r.fixed[i] || r.candidate[i] }

// cluster divides the tables at resolution γ: Louvain on the tables
// neither static nor hubs, each hub a context of its own, then the small
// communities joined to their strongest neighbour (hubs included).
func (r *run) cluster(gamma float64) *partition {
	keep := make([]bool, len(r.g.Tables))
	for i := range keep {
		keep[i] = !r.setApart(i) && !slices.Contains(r.hubList, i)
	}
	p := &partition{resolution: gamma}
	for _, c := range subgraph(r.g, keep, false).louvain(gamma, r.opts.Seed) {
		p.groups = append(p.groups, c)
		p.hub = append(p.hub, -1)
	}
	for _, h := range r.hubList {
		p.groups = append(p.groups, []int{h})
		p.hub = append(p.hub, h)
	}
	r.joinSmall(p)
	return p
}

// hubs returns the connector hubs among the tables not set apart, found
// before any clustering: tables with at least HubMinDegree neighbours (by
// couplings, hints left out), HubZ standard deviations above the mean,
// whose couplings spread over the communities of their neighbourhood (a
// participation coefficient of at least HubParticipation). The
// communities are those Louvain finds among the hub's neighbours without
// it; the neighbours tied to nothing but the hub (its aliases, its tags)
// are one community, the hub's own.
func (r *run) hubs() []int {
	n := len(r.g.Tables)
	deg := make([]int, n)
	var sum, sum2 float64
	kept := 0
	for i := range n {
		if r.setApart(i) {
			continue
		}
		for _, e := range r.strong.adj[i] {
			if !r.setApart(e.To) {
				deg[i]++
			}
		}
		kept++
		sum += float64(deg[i])
		sum2 += float64(deg[i]) * float64(deg[i])
	}
	if kept < 2 {
		return nil
	}
	mean := sum / float64(kept)
	sd := math.Sqrt(max(0, sum2/float64(kept)-mean*mean))
	var cands []int
	for i := range n {
		if !r.setApart(i) && deg[i] >= HubMinDegree && sd > 0 && (float64(deg[i])-mean)/sd >= HubZ {
			cands = append(cands, i)
		}
	}
	var out []int
	for _, h := range cands {
		near := make([]bool, n)
		for _, e := range r.strong.adj[h] {
			near[e.To] = !r.setApart(e.To) && !slices.Contains(cands, e.To)
		}
		commOf := map[int]int{}
		for k, c := range subgraph(r.g, near, true).louvain(1, r.opts.Seed) {
			for _, i := range c {
				commOf[i] = k + 1
			}
		}
		by := map[int]float64{}
		var total float64
		for _, e := range r.strong.adj[h] {
			if !near[e.To] {
				continue
			}
			k := commOf[e.To]
			if !r.tiedWithin(e.To, near) {
				k = 0 // the hub's own
			}
			by[k] += e.Weight
			total += e.Weight
		}
		p := 1.0
		for _, w := range by {
			p -= (w / total) * (w / total)
		}
		if total > 0 && p >= HubParticipation {
			out = append(out, h)
		}
	}
	return out
}

// tiedWithin reports whether table i has a coupling (hints left out) to
// another table of set.
func (r *run) tiedWithin(i int, set []bool) bool {
	for _, e := range r.strong.adj[i] {
		if set[e.To] {
			return true
		}
	}
	return false
}

// joinSmall joins each community smaller than MinSize (smallest first)
// to the one it is most tied to, hubs included; a table tied to no other
// is isolated. Hubs stay contexts of their own.
func (r *run) joinSmall(p *partition) {
	groupOf := make([]int, len(r.g.Tables))
	for i := range groupOf {
		groupOf[i] = -1
	}
	for k, c := range p.groups {
		for _, i := range c {
			groupOf[i] = k
		}
	}
	settled := make([]bool, len(p.groups))
	for {
		k := -1
		for j, c := range p.groups {
			if settled[j] || p.hub[j] >= 0 || len(c) == 0 || len(c) >= r.opts.MinSize {
				continue
			}
			if k < 0 || len(c) < len(p.groups[k]) {
				k = j
			}
		}
		if k < 0 {
			break
		}
		w := map[int]float64{}
		for _, i := range p.groups[k] {
			for _, e := range r.g.Edges(i) {
				if o := groupOf[e.To]; o >= 0 && o != k {
					w[o] += e.Weight
				}
			}
		}
		best := -1
		for o, x := range w {
			if best < 0 || x > w[best] || x == w[best] && (len(p.groups[o]) > len(p.groups[best]) ||
				len(p.groups[o]) == len(p.groups[best]) && p.groups[o][0] < p.groups[best][0]) {
				best = o
			}
		}
		if best < 0 {
			settled[k] = true
			continue
		}
		for _, i := range p.groups[k] {
			groupOf[i] = best
		}
		p.groups[best] = append(p.groups[best], p.groups[k]...)
		slices.Sort(p.groups[best])
		p.groups[k] = nil
	}
	var groups [][]int
	var hub []int
	for k, c := range p.groups {
		switch {
		case len(c) == 0:
		case len(c) == 1 && p.hub[k] < 0:
			p.isolated = append(p.isolated, c[0])
		default:
			groups = append(groups, c)
			hub = append(hub, p.hub[k])
		}
	}
	p.groups, p.hub = groups, hub
	slices.Sort(p.isolated)
}

// fewer lowers the resolution until the partition has at most max
// groups: a bisection on the resolution between 0 and the one asked, to
// the highest that is enough.
func (r *run) fewer(p *partition, most int) *partition {
	lo, hi := 0.0, p.resolution
	var best *partition
	fewest := p
	for range 14 {
		mid := (lo + hi) / 2
		q := r.cluster(mid)
		if len(q.groups) < len(fewest.groups) {
			fewest = q
		}
		if len(q.groups) <= most {
			best, lo = q, mid
		} else {
			hi = mid
		}
	}
	if best == nil {
		return fewest
	}
	return best
}

// result turns a partition into the suggestion: static data decided,
// shared tables found, contexts named.
func (r *run) result(p *partition) *Result {
	m, g := r.m, r.g
	s := m.Snapshot()
	res := &Result{Database: s.Source.Database, Tables: len(g.Tables), Resolution: p.resolution, Contexts: []Context{},
		Static: []Static{}, Isolated: []schema.TableName{}, relations: m.Assignment().Relations, bare: map[string]int{}}
	if r.opts.MaxContexts > 0 && len(p.groups) > r.opts.MaxContexts {
		res.Warnings = append(res.Warnings, fmt.Sprintf("--max-contexts %d: the tables fall into %d groups even at the lowest resolution (groups with no coupling between them stay apart)",
			r.opts.MaxContexts, len(p.groups)))
	}
	for i := range s.Tables {
		res.bare[s.Tables[i].Name]++
	}
	for n := range m.Assignment().Ignored {
		res.Ignored = append(res.Ignored, n)
	}
	slices.SortFunc(res.Ignored, schema.TableName.Compare)
	groupOf := make([]int, len(g.Tables))
	for i := range groupOf {
		groupOf[i] = -1
	}
	for k, c := range p.groups {
		for _, i := range c {
			groupOf[i] = k
		}
	}
	// Static data: fixed, or of static shape and referenced from two or
	// more contexts; one context's reference data joins it.
	var statics []int
	for i := range g.Tables {
		if !r.setApart(i) {
			continue
		}
		users := r.users(i, groupOf)
		if r.candidate[i] && len(users) == 1 {
			groupOf[i] = users[0]
			p.groups[users[0]] = append(p.groups[users[0]], i)
			continue
		}
		statics = append(statics, i)
	}
	for k := range p.groups {
		slices.Sort(p.groups[k])
	}
	names, namedBy := r.name(p)
	for _, i := range statics {
		n := g.Tables[i]
		st := Static{Table: n, Users: []string{}}
		for _, k := range r.users(i, groupOf) {
			st.Users = append(st.Users, names[k])
		}
		t := m.Lookup().Table(n)
		st.Sized = t != nil && t.RowEstimate != nil
		switch {
		case m.Assignment().IsStatic(n):
			st.Why = "declared under static: in the given map"
		case m.IsStatic(n):
			st.Why = "static reference data by the given map's contexts"
		default:
			st.Why = fmt.Sprintf("small, rarely written, references no table; referenced by %d tables of %d contexts",
				len(r.children[i]), len(st.Users))
			if !st.Sized {
				st.Why = fmt.Sprintf("references no table and is referenced by %d tables of %d contexts; its size is unknown (check that it is a code list)",
					len(r.children[i]), len(st.Users))
			}
		}
		res.Static = append(res.Static, st)
	}
	for _, i := range p.isolated {
		res.Isolated = append(res.Isolated, g.Tables[i])
	}
	for k, c := range p.groups {
		ctx := Context{Name: names[k], NamedBy: namedBy[k], Shared: []Shared{}, Neighbours: []Neighbour{}, Hub: p.hub[k] >= 0}
		for _, i := range c {
			ctx.Tables = append(ctx.Tables, g.Tables[i])
		}
		ctx.Central = g.Tables[r.central(c, groupOf, k)]
		res.Contexts = append(res.Contexts, ctx)
	}
	r.shared(p, groupOf, res)
	slices.SortStableFunc(res.Contexts, func(x, y Context) int {
		return cmp.Or(cmp.Compare(len(y.Tables), len(x.Tables)), strings.Compare(x.Name, y.Name))
	})
	return res
}

// users returns the groups of the tables that reference table i, sorted.
func (r *run) users(i int, groupOf []int) []int {
	var out []int
	for _, ch := range r.children[i] {
		if k := groupOf[ch]; k >= 0 && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// central returns the table of group c most tied to the group's others
// (hints included), the first by name on a tie.
func (r *run) central(c []int, groupOf []int, k int) int {
	best, bestW := c[0], -1.0
	for _, i := range c {
		var w float64
		for _, e := range r.g.Edges(i) {
			if groupOf[e.To] == k {
				w += e.Weight
			}
		}
		if w > bestW {
			best, bestW = i, w
		}
	}
	return best
}

// name names each group: a hub by its table; another by the word most of
// its tables share and few others do, else by its central table. Names
// are unique. namedBy says which: "hub", "word" or "table".
func (r *run) name(p *partition) (names, namedBy []string) {
	g := r.g
	words := make([][]string, len(g.Tables))
	total := map[string]int{}
	for i, n := range g.Tables {
		words[i] = infer.Words(n.Name)
		for _, w := range words[i] {
			total[w]++
		}
	}
	groupOf := make([]int, len(g.Tables))
	for i := range groupOf {
		groupOf[i] = -1
	}
	for k, c := range p.groups {
		for _, i := range c {
			groupOf[i] = k
		}
	}
	type cand struct {
		k       int
		word    string
		central string
	}
	cands := make([]cand, len(p.groups))
	for k, c := range p.groups {
		cands[k] = cand{k: k, central: g.Tables[r.central(c, groupOf, k)].Name}
		if p.hub[k] >= 0 {
			cands[k].central = g.Tables[p.hub[k]].Name
			continue
		}
		in := map[string]int{}
		for _, i := range c {
			for _, w := range words[i] {
				in[w]++
			}
		}
		bestScore := 0.0
		for w, n := range in {
			if n < 2 || 2*n < len(c) || 2*n < total[w] {
				continue
			}
			score := float64(n) / float64(len(c)) * float64(n) / float64(total[w])
			if score > bestScore || score == bestScore && w < cands[k].word {
				cands[k].word, bestScore = w, score
			}
		}
	}
	// Hubs choose first (their table's name), then larger groups.
	order := make([]int, len(p.groups))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(a, b int) int {
		hub := func(k int) int {
			if p.hub[k] >= 0 {
				return 1
			}
			return 0
		}
		return cmp.Or(cmp.Compare(hub(b), hub(a)), cmp.Compare(len(p.groups[b]), len(p.groups[a])))
	})
	names, namedBy = make([]string, len(p.groups)), make([]string, len(p.groups))
	taken := map[string]bool{}
	for _, k := range order {
		c := cands[k]
		name, by := c.central, "table"
		switch {
		case p.hub[k] >= 0:
			by = "hub"
		case c.word != "" && !taken[c.word]:
			name, by = c.word, "word"
		}
		for n := 2; taken[name]; n++ {
			name = fmt.Sprintf("%s_%d", c.central, n)
		}
		taken[name] = true
		names[k], namedBy[k] = name, by
	}
	return names, namedBy
}

// shared lists a table under a second context when its couplings to it
// weigh at least SharedShare of those to its own and MinSharedWeight,
// through two or more couplings (hubs and hints left out).
func (r *run) shared(p *partition, groupOf []int, res *Result) {
	names := make([]string, len(res.Contexts))
	for k := range res.Contexts {
		names[k] = res.Contexts[k].Name
	}
	gf := func(j int) []string {
		if k := groupOf[j]; k >= 0 && p.hub[k] < 0 {
			return []string{names[k]}
		}
		return nil
	}
	for k, c := range p.groups {
		if p.hub[k] >= 0 {
			continue
		}
		for _, i := range c {
			ties := r.strongTies(i, gf)
			var own, total float64
			for _, t := range ties {
				total += t.Weight
				if t.Group == names[k] {
					own = t.Weight
				}
			}
			for _, t := range ties {
				if t.Group == names[k] || t.Weight < MinSharedWeight || t.Weight < SharedShare*own || strongCount(t) < 2 {
					continue
				}
				o := slices.Index(names, t.Group)
				res.Contexts[o].Shared = append(res.Contexts[o].Shared, Shared{Table: r.g.Tables[i], Owner: names[k], Share: round(t.Weight / total)})
			}
		}
	}
	for k := range res.Contexts {
		slices.SortFunc(res.Contexts[k].Shared, func(x, y Shared) int { return x.Table.Compare(y.Table) })
	}
}

// strongTies are the ties of table i with their hint weight taken out,
// strongest first.
func (r *run) strongTies(i int, groupOf func(int) []string) []tablegraph.Tie {
	ties := r.g.Ties(i, groupOf)
	out := ties[:0]
	for _, t := range ties {
		t.Weight -= t.Hints
		if t.Weight > 1e-9 {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(x, y tablegraph.Tie) int { return cmp.Compare(y.Weight, x.Weight) })
	return out
}

func strongCount(t tablegraph.Tie) int {
	n := 0
	for _, k := range tablegraph.Kinds {
		if !k.Hint() {
			n += t.Counts[k]
		}
	}
	return n
}

func round(x float64) float64 { return math.Round(x*1000) / 1000 }
