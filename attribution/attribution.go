// Package attribution attributes the usage recorded in a snapshot (package
// usage: statements, who ran them, where they are in code) to the bounded
// contexts of a contexts map: a statement belongs to the contexts that list
// the database role or application that ran it under roles:, or whose
// code: globs match the file that holds it. From that it builds the matrix
// of context × table × {read, write}, and finds the units of work whose
// writes cross a context boundary, by the ownership model's rule.
//
// Attribution happens when a command runs, with the map in hand: the
// snapshot holds facts only, so a different map gives the right answer.
package attribution

import (
	"cmp"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
)

// MaxEvidence bounds the statement IDs kept per matrix cell.
const MaxEvidence = 10

// Usage is a snapshot's usage attributed to the contexts of one map.
type Usage struct {
	// Facts is the usage as recorded.
	Facts *schema.Usage
	// Matrix is the context × table × {read, write} matrix, one cell per
	// (context, table) pair observed, sorted by context then table.
	// Context "" holds what no context could be attributed to.
	Matrix []Cell
	// Transactions are the units of work whose writes cross a context
	// boundary, sorted by location.
	Transactions []Transaction
	// Unattributed counts, by source kind, the statements no context could
	// be attributed to (a role no context lists, code outside every
	// context's globs).
	Unattributed map[string]int
	// Notes say what in the map leaves usage unattributed: contexts whose
	// code: globs match no file that holds SQL, no code: globs at all.
	Notes []string

	stmts    map[string]*stmtInfo
	mappings []string
}

// Cell is one cell of the matrix: how one context uses one table.
type Cell struct {
	// Context is "" for what no context could be attributed to.
	Context string           `json:"context"`
	Table   schema.TableName `json:"table"`
	// Reads and Writes are the calls (executions) that read and write the
	// table; ReadStatements and WriteStatements the distinct statements.
	Reads           int64 `json:"reads"`
	Writes          int64 `json:"writes"`
	ReadStatements  int   `json:"read_statements"`
	WriteStatements int   `json:"write_statements"`
	// Columns are the columns of the table the context's statements use
	// (read or written), WrittenColumns those they write, for a table two
	// or more contexts claim (what a split by columns must settle); sorted,
	// absent when unknown.
	Columns        []string `json:"columns,omitempty"`
	WrittenColumns []string `json:"written_columns,omitempty"`
	// Mapped counts the ORM declarations of the table in the context's code.
	Mapped int `json:"mapped,omitempty"`
	// Evidence are the IDs of the statements behind the cell, sorted, at
	// most MaxEvidence of them (the smallest).
	Evidence []string `json:"evidence"`
}

// Transaction is a unit of work that writes tables of two or more contexts.
type Transaction struct {
	schema.Unit
	// Contexts are the contexts that own the tables written.
	Contexts []string `json:"contexts"`
}

// stmtInfo is what attribution says of one statement.
type stmtInfo struct {
	contexts []string
	touches  []string
}

// Contexts returns the contexts statement id is attributed to, sorted; none
// when unattributed.
func (u *Usage) Contexts(id string) []string {
	if si := u.stmts[id]; si != nil {
		return si.contexts
	}
	return nil
}

// Touches returns the contexts that own the tables statement id reads or
// writes, in the model's order.
func (u *Usage) Touches(id string) []string {
	if si := u.stmts[id]; si != nil {
		return si.touches
	}
	return nil
}

// MappingContext returns the context whose code holds the i-th mapping of
// Facts.Mappings; "" when none.
func (u *Usage) MappingContext(i int) string { return u.mappings[i] }

// Attribute attributes u to the contexts of the map that m was built from.
// It returns nil for a nil usage.
func Attribute(u *schema.Usage, m *ownership.Model) *Usage {
	if u == nil {
		return nil
	}
	a := m.Assignment()
	at := &attributor{m: m, roles: map[string][]string{}}
	for _, name := range a.Contexts {
		c := a.Info[name]
		if c == nil {
			continue
		}
		for _, r := range c.Roles {
			if !slices.Contains(at.roles[r], c.Name) {
				at.roles[r] = append(at.roles[r], c.Name)
			}
		}
		if len(c.Code) > 0 {
			at.globs = append(at.globs, codeGlobs{name: c.Name, globs: c.Code})
		}
	}
	return at.run(u)
}

type attributor struct {
	m *ownership.Model
	// roles maps a role, user or application name to the contexts that
	// list it under roles:.
	roles map[string][]string
	// globs are the contexts' code: globs, in map order.
	globs   []codeGlobs
	matched map[string]bool
}

// codeGlobs are one context's code: globs.
type codeGlobs struct {
	name  string
	globs []string
}

func (g codeGlobs) match(file string) bool {
	for _, p := range g.globs {
		p = strings.TrimPrefix(filepath.ToSlash(p), "./")
		if ok, _ := doublestar.Match(p, file); ok {
			return true
		}
	}
	return false
}

// codeContext returns the first context (in map order) whose code: globs
// match file, or "".
func (at *attributor) codeContext(file string) string {
	for _, g := range at.globs {
		if g.match(file) {
			at.matched[g.name] = true
			return g.name
		}
	}
	return ""
}

// actors returns the contexts one caller of a statement is attributed to:
// the context whose code holds it, or those listing its user or application
// under roles:, sorted.
func (at *attributor) actors(c schema.Caller) []string {
	if c.File != "" {
		if ctx := at.codeContext(c.File); ctx != "" {
			return []string{ctx}
		}
		return nil
	}
	var out []string
	for _, who := range []string{c.User, c.App} {
		if who != "" {
			out = append(out, at.roles[who]...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

type cellKey struct {
	ctx   string
	table schema.TableName
}

func (at *attributor) run(u *schema.Usage) *Usage {
	m := at.m
	at.matched = map[string]bool{}
	out := &Usage{Facts: u, Unattributed: map[string]int{}, stmts: make(map[string]*stmtInfo, len(u.Statements))}
	cells := map[cellKey]*Cell{}
	readers, writers := map[cellKey]int{}, map[cellKey]int{}
	cell := func(ctx string, n schema.TableName) *Cell {
		k := cellKey{ctx, n}
		c := cells[k]
		if c == nil {
			c = &Cell{Context: ctx, Table: n}
			cells[k] = c
		}
		return c
	}
	codeStatements := 0
	for i := range u.Statements {
		st := &u.Statements[i]
		if st.Source == schema.SourceCode {
			codeStatements++
		}
		si := &stmtInfo{}
		var touches []string
		for _, n := range st.Tables() {
			touches = append(touches, m.Home(n)...)
		}
		si.touches = m.Order(touches)
		seenRead, seenWrite := map[cellKey]bool{}, map[cellKey]bool{}
		for _, c := range st.Callers {
			actors := at.actors(c)
			si.contexts = append(si.contexts, actors...)
			if len(actors) == 0 {
				actors = []string{""}
			}
			for _, ctx := range actors {
				for _, n := range st.Reads {
					x := cell(ctx, n)
					x.Reads += c.Calls
					addEvidence(x, st.ID)
					if k := (cellKey{ctx, n}); !seenRead[k] {
						seenRead[k] = true
						readers[k]++
					}
				}
				for _, n := range st.Writes {
					x := cell(ctx, n)
					x.Writes += c.Calls
					addEvidence(x, st.ID)
					if k := (cellKey{ctx, n}); !seenWrite[k] {
						seenWrite[k] = true
						writers[k]++
					}
				}
				for _, cu := range st.Columns {
					if len(m.Claimants(cu.Table)) < 2 {
						continue
					}
					x := cell(ctx, cu.Table)
					x.Columns = append(x.Columns, cu.Read...)
					x.Columns = append(x.Columns, cu.Written...)
					x.WrittenColumns = append(x.WrittenColumns, cu.Written...)
				}
			}
		}
		slices.Sort(si.contexts)
		si.contexts = slices.Compact(si.contexts)
		if len(si.contexts) == 0 {
			out.Unattributed[st.Source]++
		}
		out.stmts[st.ID] = si
	}
	out.mappings = make([]string, len(u.Mappings))
	for i, mp := range u.Mappings {
		ctx := at.codeContext(mp.Location.File)
		out.mappings[i] = ctx
		if mp.Known {
			cell(ctx, mp.Table).Mapped++
		}
	}
	for k, c := range cells {
		slices.Sort(c.Columns)
		c.Columns = slices.Compact(c.Columns)
		slices.Sort(c.WrittenColumns)
		c.WrittenColumns = slices.Compact(c.WrittenColumns)
		slices.Sort(c.Evidence)
		if c.Evidence == nil {
			c.Evidence = []string{}
		}
		c.ReadStatements, c.WriteStatements = readers[k], writers[k]
		out.Matrix = append(out.Matrix, *c)
	}
	slices.SortFunc(out.Matrix, func(x, y Cell) int {
		return cmp.Or(strings.Compare(x.Context, y.Context), x.Table.Compare(y.Table))
	})
	for _, un := range u.Units {
		if ctxs, cross := m.Crosses(un.Writes); cross {
			out.Transactions = append(out.Transactions, Transaction{Unit: un, Contexts: ctxs})
		}
	}
	if codeStatements > 0 || len(u.Mappings) > 0 {
		if len(at.globs) == 0 {
			out.Notes = append(out.Notes, "no context lists code: globs in the contexts map; the statements found in code are unattributed")
		}
		for _, g := range at.globs {
			if !at.matched[g.name] {
				out.Notes = append(out.Notes, fmt.Sprintf("the code: globs of context %s (%s) match no file that holds SQL or a table declaration", g.name, strings.Join(g.globs, ", ")))
			}
		}
	}
	return out
}

// addEvidence adds a statement ID to a cell, keeping the MaxEvidence
// smallest IDs so that the evidence does not depend on the order of the
// statements.
func addEvidence(c *Cell, id string) {
	if slices.Contains(c.Evidence, id) {
		return
	}
	if len(c.Evidence) < MaxEvidence {
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
