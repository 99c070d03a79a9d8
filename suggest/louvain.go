package suggest

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/seamsdev/seams/suggest/internal/louvain"
	"github.com/seamsdev/seams/tablegraph"
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/iterator"
)

// ugraph is a weighted undirected graph over some tables of a
// tablegraph.Graph, in the form gonum's community detection reads: node
// IDs 0..n-1, neighbours listed in ID order, so that the same graph and
// seed always give the same communities (gonum's own graphs list
// neighbours in map order).
type ugraph struct {
	// tables maps a node ID to the table's index in the tablegraph.
	tables []int
	adj    [][]tablegraph.Edge
}

type gnode int64

func (n gnode) ID() int64 { return int64(n) }

type gedge struct {
	f, t gnode
	w    float64
}

func (e gedge) From() graph.Node         { return e.f }
func (e gedge) To() graph.Node           { return e.t }
func (e gedge) ReversedEdge() graph.Edge { return gedge{e.t, e.f, e.w} }
func (e gedge) Weight() float64          { return e.w }

// subgraph returns the graph of the tables keep holds (by index), with
// the edges between them; when strong is true only the couplings that are
// not hints count.
func subgraph(g *tablegraph.Graph, keep []bool, strong bool) *ugraph {
	u := &ugraph{}
	id := make([]int, len(g.Tables))
	for i := range g.Tables {
		id[i] = -1
		if keep[i] {
			id[i] = len(u.tables)
			u.tables = append(u.tables, i)
		}
	}
	u.adj = make([][]tablegraph.Edge, len(u.tables))
	for k, i := range u.tables {
		for _, e := range g.Edges(i) {
			w := e.Weight
			if strong {
				w = e.Strong
			}
			if j := id[e.To]; j >= 0 && w > 0 {
				u.adj[k] = append(u.adj[k], tablegraph.Edge{To: j, Weight: w})
			}
		}
	}
	return u
}

func (u *ugraph) Node(id int64) graph.Node {
	if id < 0 || id >= int64(len(u.tables)) {
		return nil
	}
	return gnode(id)
}

func (u *ugraph) Nodes() graph.Nodes {
	ns := make([]graph.Node, len(u.tables))
	for i := range ns {
		ns[i] = gnode(i)
	}
	return iterator.NewOrderedNodes(ns)
}

func (u *ugraph) From(id int64) graph.Nodes {
	es := u.adj[id]
	ns := make([]graph.Node, len(es))
	for i, e := range es {
		ns[i] = gnode(e.To)
	}
	return iterator.NewOrderedNodes(ns)
}

func (u *ugraph) edge(x, y int64) (float64, bool) {
	if x < 0 || y < 0 || x >= int64(len(u.adj)) || y >= int64(len(u.adj)) {
		return 0, false
	}
	es := u.adj[x]
	k, ok := slices.BinarySearchFunc(es, int(y), func(e tablegraph.Edge, t int) int { return cmp.Compare(e.To, t) })
	if !ok {
		return 0, false
	}
	return es[k].Weight, true
}

func (u *ugraph) HasEdgeBetween(x, y int64) bool {
	_, ok := u.edge(x, y)
	return ok
}

func (u *ugraph) Edge(x, y int64) graph.Edge { return u.WeightedEdgeBetween(x, y) }

func (u *ugraph) EdgeBetween(x, y int64) graph.Edge { return u.WeightedEdgeBetween(x, y) }

func (u *ugraph) WeightedEdge(x, y int64) graph.WeightedEdge { return u.WeightedEdgeBetween(x, y) }

func (u *ugraph) WeightedEdgeBetween(x, y int64) graph.WeightedEdge {
	w, ok := u.edge(x, y)
	if !ok {
		return nil
	}
	return gedge{gnode(x), gnode(y), w}
}

// Weight returns the weight between x and y; a node has no weight with
// itself (no table couples with itself in the graph).
func (u *ugraph) Weight(x, y int64) (float64, bool) {
	if x == y {
		return 0, true
	}
	return u.edge(x, y)
}

// louvain returns the communities gonum's Louvain modularisation finds in
// u at the given resolution (package louvain: gonum's, faster on large
// graphs), each as tablegraph indexes, sorted; the
// communities in the order of their first table. The seed fixes the
// random order the heuristic visits nodes in.
func (u *ugraph) louvain(resolution float64, seed uint64) [][]int {
	if len(u.tables) == 0 {
		return nil
	}
	r := louvain.Modularize(u, resolution, rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var out [][]int
	for _, c := range r.Communities() {
		if len(c) == 0 {
			continue
		}
		ids := make([]int, len(c))
		for i, n := range c {
			ids[i] = u.tables[n.ID()]
		}
		slices.Sort(ids)
		out = append(out, ids)
	}
	slices.SortFunc(out, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
	return out
}

// modularity returns the modularity (resolution 1) of u divided into the
// groups label names: tables with the same non-empty label together, each
// table with an empty label alone. It is community.Q's value, summed over
// the edges once (Q itself visits every pair of a group's members).
func (u *ugraph) modularity(label func(table int) string) float64 {
	labels := make([]string, len(u.tables))
	for k, i := range u.tables {
		labels[k] = label(i)
	}
	var m2 float64
	inside := map[string]float64{}
	degree := map[string]float64{}
	for k, es := range u.adj {
		var d float64
		for _, e := range es {
			d += e.Weight
			if labels[k] != "" && labels[e.To] == labels[k] {
				inside[labels[k]] += e.Weight
			}
		}
		m2 += d
		if labels[k] == "" {
			degree["\x00"+strconv.Itoa(k)] = d
		} else {
			degree[labels[k]] += d
		}
	}
	if m2 == 0 {
		return 0
	}
	keys := make([]string, 0, len(degree))
	for l := range degree {
		keys = append(keys, l)
	}
	slices.Sort(keys)
	var q float64
	for _, l := range keys {
		d := degree[l]
		q += inside[l]/m2 - (d/m2)*(d/m2)
	}
	return q
}
