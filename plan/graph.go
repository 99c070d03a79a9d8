package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// graph is the context dependency graph: out[x][y] is the weight of the
// edge x -> y (x depends on y).
type graph struct {
	names []string
	out   []map[int]int
}

// cycle is a strongly connected group of contexts and the edges the plan
// breaks to make it acyclic.
type cycle struct {
	members []string    // sorted by name
	broken  [][2]string // from, to; sorted
}

func (b *builder) graph() *graph {
	g := &graph{names: b.own.Contexts(), out: make([]map[int]int, len(b.own.Contexts()))}
	rank := map[string]int{}
	for i, c := range g.names {
		rank[c] = i
		g.out[i] = map[int]int{}
	}
	for _, d := range b.deps {
		g.out[rank[d.From]][rank[d.To]] += d.Weight()
	}
	return g
}

// sccs returns the strongly connected components of g (Tarjan), each as
// node indexes.
func (g *graph) sccs() [][]int {
	n := len(g.names)
	index := make([]int, n)
	low := make([]int, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int
	var out [][]int
	next := 0
	var visit func(v int)
	visit = func(v int) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		on[v] = true
		for _, w := range sortedKeys(g.out[v]) {
			if index[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if on[w] {
				low[v] = min(low[v], index[w])
			}
		}
		if low[v] == index[v] {
			var c []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				on[w] = false
				c = append(c, w)
				if w == v {
					break
				}
			}
			slices.Sort(c)
			out = append(out, c)
		}
	}
	for v := 0; v < n; v++ {
		if index[v] < 0 {
			visit(v)
		}
	}
	return out
}

func sortedKeys(m map[int]int) []int {
	ks := make([]int, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// exactLimit is the largest group whose cheapest break is found exactly.
const exactLimit = 14

// breakOrder orders the nodes of a strongly connected group so that the
// total weight of the edges x -> y with y placed before x (the edges broken)
// is least: exactly by dynamic programming over subsets for small groups,
// greedily for large ones.
func (g *graph) breakOrder(nodes []int) []int {
	k := len(nodes)
	// cost(v, placed) = weight of edges u -> v from nodes not yet placed.
	w := func(u, v int) int { return g.out[nodes[u]][nodes[v]] }
	if k <= exactLimit {
		full := 1<<k - 1
		dp := make([]int, 1<<k)
		from := make([]int8, 1<<k)
		for s := 1; s <= full; s++ {
			dp[s] = -1
		}
		for s := 0; s < full; s++ {
			if dp[s] < 0 {
				continue
			}
			for v := 0; v < k; v++ {
				if s&(1<<v) != 0 {
					continue
				}
				c := dp[s]
				for u := 0; u < k; u++ {
					if u != v && s&(1<<u) == 0 {
						c += w(u, v)
					}
				}
				t := s | 1<<v
				if dp[t] < 0 || c < dp[t] {
					dp[t], from[t] = c, int8(v)
				}
			}
		}
		order := make([]int, k)
		for s, i := full, k-1; s != 0; i-- {
			v := int(from[s])
			order[i] = nodes[v]
			s &^= 1 << v
		}
		return order
	}
	placed := make([]bool, k)
	order := make([]int, 0, k)
	for len(order) < k {
		best, bestC := -1, 0
		for v := 0; v < k; v++ {
			if placed[v] {
				continue
			}
			c := 0
			for u := 0; u < k; u++ {
				if u != v && !placed[u] {
					c += w(u, v)
				}
			}
			if best < 0 || c < bestC {
				best, bestC = v, c
			}
		}
		placed[best] = true
		order = append(order, nodes[best])
	}
	return order
}

// order returns the extraction order and the cycles with the edges broken.
// Cycles are broken at least cost; then the contexts are taken least
// depended on first: a context is ready when no context left depends on it,
// and among the ready ones the one with the least incoming weight goes
// first, then the map's order.
func (g *graph) order() ([]string, []cycle) {
	n := len(g.names)
	broken := map[[2]int]bool{}
	var cycles []cycle
	for _, c := range g.sccs() {
		if len(c) < 2 {
			continue
		}
		ord := g.breakOrder(c)
		pos := map[int]int{}
		for i, v := range ord {
			pos[v] = i
		}
		cy := cycle{}
		for _, v := range c {
			cy.members = append(cy.members, g.names[v])
			for u, wt := range g.out[v] {
				if _, in := pos[u]; in && wt > 0 && pos[u] < pos[v] {
					broken[[2]int{v, u}] = true
					cy.broken = append(cy.broken, [2]string{g.names[v], g.names[u]})
				}
			}
		}
		slices.Sort(cy.members)
		slices.SortFunc(cy.broken, func(x, y [2]string) int {
			return cmp.Or(strings.Compare(x[0], y[0]), strings.Compare(x[1], y[1]))
		})
		cycles = append(cycles, cy)
	}
	slices.SortFunc(cycles, func(x, y cycle) int { return slices.Compare(x.members, y.members) })
	indeg := make([]int, n)
	inWeight := make([]int, n)
	for x := range g.out {
		for y, wt := range g.out[x] {
			inWeight[y] += wt
			if !broken[[2]int{x, y}] {
				indeg[y]++
			}
		}
	}
	done := make([]bool, n)
	order := make([]string, 0, n)
	for len(order) < n {
		best := -1
		for v := 0; v < n; v++ {
			if done[v] || indeg[v] > 0 {
				continue
			}
			if best < 0 || inWeight[v] < inWeight[best] {
				best = v
			}
		}
		if best < 0 { // cannot happen once cycles are broken; guard anyway
			for v := 0; v < n; v++ {
				if !done[v] {
					best = v
					break
				}
			}
		}
		done[best] = true
		order = append(order, g.names[best])
		for y := range g.out[best] {
			if !broken[[2]int{best, y}] {
				indeg[y]--
			}
		}
	}
	return order, cycles
}

// findCycles reports each cycle with the couplings to remove first.
func (b *builder) findCycles(g *graph, cycles []cycle) {
	for _, cy := range cycles {
		fid := "cycle/" + strings.Join(cy.members, "+")
		var ev []string
		for _, x := range cy.members {
			for _, y := range cy.members {
				if d := b.deps[[2]string{x, y}]; d != nil {
					ev = append(ev, fmt.Sprintf("%s depends on %s: %s", x, y, depText(*d)))
				}
			}
		}
		var objs []Object
		var cut []string
		fks := 0
		for _, e := range cy.broken {
			d := b.deps[e]
			cut = append(cut, fmt.Sprintf("%s -> %s (%s)", e[0], e[1], depText(*d)))
			for _, cf := range b.fks {
				if slices.Contains(cf.from, e[0]) && slices.Contains(cf.to, e[1]) {
					objs = append(objs, fkObjects(cf.FK, e[0])...)
					fks++
				}
			}
		}
		b.findings = append(b.findings, Finding{
			ID: fid, Key: cycleKey(cy.members), Kind: KindCycle, Severity: High,
			Title:    fmt.Sprintf("contexts %s depend on each other in a cycle", strings.Join(cy.members, ", ")),
			Contexts: slices.Clone(cy.members), Objects: nonNil(objs), Evidence: ev,
			Patterns: []string{patMoveFK, patMergeContexts},
			Recommendation: Option{
				Name:    "Break the cycle at its cheapest edges first",
				Pattern: patMoveFK,
				Description: fmt.Sprintf("Remove the couplings on %s first: %s. Then the contexts can be extracted one after the other.",
					plural(len(cy.broken), "edge", "edges"), strings.Join(cut, "; ")),
				TradeOffs: becomeChecks(fks),
			},
			Alternatives: []Option{{
				Name: "Merge the contexts", Pattern: patMergeContexts,
				Description: fmt.Sprintf("Treat %s as one context if they cannot work without each other.", strings.Join(cy.members, ", ")),
				TradeOffs:   "No coupling to break; a larger service.",
			}},
		})
		for _, e := range cy.broken {
			if d := b.deps[e]; d != nil && !slices.Contains(d.FindingIDs, fid) {
				d.FindingIDs = append(d.FindingIDs, fid)
			}
		}
	}
}

// becomeChecks says how many foreign keys turn into application checks.
func becomeChecks(fks int) string {
	if fks == 1 {
		return "1 foreign key becomes an application-side check before any context can leave."
	}
	return fmt.Sprintf("%d foreign keys become application-side checks before any context can leave.", fks)
}

func depText(d Dependency) string {
	var parts []string
	for _, p := range []struct {
		n         int
		one, many string
	}{{d.ForeignKeys, "foreign key", "foreign keys"}, {d.Views, "view", "views"}, {d.Triggers, "trigger", "triggers"}, {d.SharedTables, "shared table", "shared tables"}} {
		if p.n > 0 {
			parts = append(parts, plural(p.n, p.one, p.many))
		}
	}
	return strings.Join(parts, ", ")
}
