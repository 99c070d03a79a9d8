package louvain_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/seamsdev/seams/suggest/internal/louvain"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/community"
	"gonum.org/v1/gonum/graph/iterator"
)

// wgraph is a weighted undirected graph with node IDs 0..n-1 that lists
// neighbours in ID order, so that both implementations visit it alike.
type wgraph struct {
	adj []map[int64]float64
}

type wnode int64

func (n wnode) ID() int64 { return int64(n) }

type wedge struct {
	f, t wnode
	w    float64
}

func (e wedge) From() graph.Node         { return e.f }
func (e wedge) To() graph.Node           { return e.t }
func (e wedge) ReversedEdge() graph.Edge { return wedge{e.t, e.f, e.w} }
func (e wedge) Weight() float64          { return e.w }

func (g *wgraph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(g.adj)) {
		return nil
	}
	return wnode(id)
}

func (g *wgraph) Nodes() graph.Nodes {
	ns := make([]graph.Node, len(g.adj))
	for i := range ns {
		ns[i] = wnode(i)
	}
	return iterator.NewOrderedNodes(ns)
}

func (g *wgraph) From(id int64) graph.Nodes {
	var ns []graph.Node
	for v := range g.adj[id] {
		ns = append(ns, wnode(v))
	}
	slices.SortFunc(ns, func(a, b graph.Node) int { return cmp.Compare(a.ID(), b.ID()) })
	return iterator.NewOrderedNodes(ns)
}

func (g *wgraph) HasEdgeBetween(x, y int64) bool { _, ok := g.adj[x][y]; return ok }
func (g *wgraph) Edge(u, v int64) graph.Edge     { return g.WeightedEdge(u, v) }
func (g *wgraph) EdgeBetween(x, y int64) graph.Edge {
	return g.WeightedEdge(x, y)
}

func (g *wgraph) WeightedEdge(u, v int64) graph.WeightedEdge {
	w, ok := g.adj[u][v]
	if !ok {
		return nil
	}
	return wedge{wnode(u), wnode(v), w}
}

func (g *wgraph) WeightedEdgeBetween(x, y int64) graph.WeightedEdge { return g.WeightedEdge(x, y) }

func (g *wgraph) Weight(x, y int64) (float64, bool) {
	if x == y {
		return 0, true
	}
	w, ok := g.adj[x][y]
	return w, ok
}

// planted returns a graph of n nodes in k groups: an edge inside a group
// with probability pIn, between groups with pOut, of weight 1 to 5, and a
// few nodes with no edge at all.
func planted(n, k int, pIn, pOut float64, seed uint64) *wgraph {
	r := rand.New(rand.NewPCG(seed, 1))
	g := &wgraph{adj: make([]map[int64]float64, n)}
	for i := range g.adj {
		g.adj[i] = map[int64]float64{}
	}
	for i := range n {
		if i%97 == 96 {
			continue // isolated
		}
		for j := i + 1; j < n; j++ {
			if j%97 == 96 {
				continue
			}
			p := pOut
			if i%k == j%k {
				p = pIn
			}
			if r.Float64() < p {
				w := float64(1 + r.IntN(5))
				g.adj[i][int64(j)], g.adj[j][int64(i)] = w, w
			}
		}
	}
	return g
}

// partition is the communities as sorted lists of node IDs, sorted.
func partition(cs [][]graph.Node) [][]int64 {
	var out [][]int64
	for _, c := range cs {
		if len(c) == 0 {
			continue
		}
		ids := make([]int64, len(c))
		for i, n := range c {
			ids[i] = n.ID()
		}
		slices.Sort(ids)
		out = append(out, ids)
	}
	slices.SortFunc(out, func(a, b []int64) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// TestSameAsGonum checks that the package finds the communities gonum's
// community.Modularize finds, with the same random source, on graphs with
// planted communities from clear to noisy, at three resolutions.
func TestSameAsGonum(t *testing.T) {
	cases := 0
	for _, n := range []int{60, 300, 900} {
		for _, noise := range []float64{0.2, 0.6, 1} {
			for _, seed := range []uint64{1, 2} {
				k := max(2, n/40)
				pIn := min(1, 12/float64(n/k))
				g := planted(n, k, pIn, pIn*noise*float64(k)/float64(n)*4, seed)
				for _, res := range []float64{0.5, 1, 2} {
					name := fmt.Sprintf("n%d/noise%.1f/seed%d/res%.1f", n, noise, seed, res)
					want := partition(community.Modularize(g, res, rand.NewPCG(seed, 7)).Communities())
					got := partition(louvain.Modularize(g, res, rand.NewPCG(seed, 7)).Communities())
					if !slices.EqualFunc(got, want, slices.Equal) {
						t.Errorf("%s: %d communities, gonum's %d, or other members", name, len(got), len(want))
					}
					if len(want) < 2 {
						t.Errorf("%s: gonum finds %d community: the case tests nothing", name, len(want))
					}
					cases++
				}
			}
		}
	}
	t.Logf("%d graphs compared", cases)
}
