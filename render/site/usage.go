package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/schema"
)

// Bounds on what the usage sections list: the rest is counted, not shown.
const (
	maxTableStatements   = 10  // top statements on a table page
	maxContextStatements = 20  // top cross-context statements on a context page
	maxTransactions      = 50  // cross-context units on a context or table page
	maxRejected          = 20  // rejected statements on the index
	maxStatementText     = 160 // characters of a statement's text shown
	maxStatementTitle    = 2000
	maxLocations         = 3
)

// usageIndex is the snapshot's usage indexed by table and by context, built
// once per site so that each page reads only its own part.
type usageIndex struct {
	au *attribution.Usage
	u  *schema.Usage
	// available is true when at least one source could be read.
	available    bool
	cellsByTable map[schema.TableName][]*attribution.Cell
	cellsByCtx   map[string][]*attribution.Cell
	// stmtsByTable holds the most called statements on each table, at most
	// maxTableStatements; stmtCount counts them all.
	stmtsByTable map[schema.TableName][]*schema.Statement
	stmtCount    map[schema.TableName]int
	// crossByCtx holds the most called cross-context statements each
	// context takes part in, at most maxContextStatements; crossCount
	// counts them all.
	crossByCtx map[string][]*schema.Statement
	crossCount map[string]int
	crossAll   int
	txByTable  map[schema.TableName][]*attribution.Transaction
	txByCtx    map[string][]*attribution.Transaction
	mappings   map[schema.TableName][]mappingOf
	io         map[schema.TableName]*schema.TableIO
}

// mappingOf is an ORM declaration with the context whose code holds it.
type mappingOf struct {
	*schema.Mapping
	context string
}

// byCalls orders statements by calls, most first, then by ID.
func byCalls(a, b *schema.Statement) int {
	return cmp.Or(cmp.Compare(b.Calls, a.Calls), strings.Compare(a.ID, b.ID))
}

// crossing reports whether a statement is attributed to or touches two or
// more contexts, and the contexts involved.
func (x *usageIndex) crossing(st *schema.Statement) ([]string, bool) {
	touches := x.au.Touches(st.ID)
	if len(touches) == 0 {
		return nil, false
	}
	all := append(slices.Clone(x.au.Contexts(st.ID)), touches...)
	slices.Sort(all)
	all = slices.Compact(all)
	return all, len(all) >= 2
}

func newUsageIndex(au *attribution.Usage) *usageIndex {
	if au == nil {
		return nil
	}
	u := au.Facts
	x := &usageIndex{au: au, u: u,
		cellsByTable: map[schema.TableName][]*attribution.Cell{}, cellsByCtx: map[string][]*attribution.Cell{},
		stmtsByTable: map[schema.TableName][]*schema.Statement{}, stmtCount: map[schema.TableName]int{},
		crossByCtx: map[string][]*schema.Statement{}, crossCount: map[string]int{},
		txByTable: map[schema.TableName][]*attribution.Transaction{}, txByCtx: map[string][]*attribution.Transaction{},
		mappings: map[schema.TableName][]mappingOf{}, io: map[schema.TableName]*schema.TableIO{},
	}
	for _, s := range u.Sources {
		x.available = x.available || s.Available
	}
	for i := range au.Matrix {
		c := &au.Matrix[i]
		x.cellsByTable[c.Table] = append(x.cellsByTable[c.Table], c)
		x.cellsByCtx[c.Context] = append(x.cellsByCtx[c.Context], c)
	}
	for i := range u.Statements {
		st := &u.Statements[i]
		for _, n := range st.Tables() {
			x.stmtsByTable[n] = append(x.stmtsByTable[n], st)
		}
		if all, ok := x.crossing(st); ok {
			x.crossAll++
			for _, c := range all {
				x.crossByCtx[c] = append(x.crossByCtx[c], st)
			}
		}
	}
	for n, sts := range x.stmtsByTable {
		x.stmtCount[n] = len(sts)
		x.stmtsByTable[n] = top(sts, maxTableStatements)
	}
	for c, sts := range x.crossByCtx {
		x.crossCount[c] = len(sts)
		x.crossByCtx[c] = top(sts, maxContextStatements)
	}
	for i := range au.Transactions {
		tx := &au.Transactions[i]
		for _, n := range tx.Writes {
			x.txByTable[n] = append(x.txByTable[n], tx)
		}
		ctxs := slices.Clone(tx.Contexts)
		for _, id := range tx.Statements {
			ctxs = append(ctxs, au.Contexts(id)...)
		}
		slices.Sort(ctxs)
		for _, c := range slices.Compact(ctxs) {
			x.txByCtx[c] = append(x.txByCtx[c], tx)
		}
	}
	for i := range u.Mappings {
		m := &u.Mappings[i]
		x.mappings[m.Table] = append(x.mappings[m.Table], mappingOf{m, au.MappingContext(i)})
	}
	for i := range u.TableIO {
		x.io[u.TableIO[i].Table] = &u.TableIO[i]
	}
	return x
}

// top sorts sts by calls and keeps the first n.
func top(sts []*schema.Statement, n int) []*schema.Statement {
	slices.SortFunc(sts, byCalls)
	return slices.Clip(sts[:min(n, len(sts))])
}

// --- what the templates receive ---

// useRow is how one context uses one table, against what the map declares.
type useRow struct {
	Context, URL, Table, TableURL, Home     string
	Unattributed, Claimed, Crossing         bool
	Reads, Writes                           string
	ReadStatements, WriteStatements, Mapped int
	Columns                                 string
	Declared, Verdict                       string
	// State is "ok", "mismatch" or "" (nothing to compare).
	State string
}

// useTable is the rows of a usage table; PerTable lists one table's
// contexts, so the table column is left out.
type useTable struct {
	Rows     []useRow
	PerTable bool
}

// stmtRow is one statement as a page lists it.
type stmtRow struct {
	ID, Text, Full, Calls, How, Where, Error string
	Contexts, Touches, Dynamic               []string
	Crossing                                 bool
}

// txRow is one unit of code writing tables of two or more contexts.
type txRow struct {
	Location, Function, Evidence string
	Writes                       []link
	Contexts                     []string
	Statements                   int
}

type mappingRow struct{ Kind, Location, Context string }

// tableUsage is the usage section of a table page.
type tableUsage struct {
	// None says why there is nothing to show; empty when there is.
	None string
	// Observed is false when nothing observed reads, writes or maps the
	// table; Rows then list only the declared contexts.
	Observed     bool
	Rows         useTable
	Statements   []stmtRow
	Total        int
	Transactions []txRow
	Mappings     []mappingRow
	IO           *schema.TableIO
}

// contextUsage is the usage section of a context page.
type contextUsage struct {
	None         string
	Roles, Code  []string
	Rows         useTable
	Unused       []link
	Statements   []stmtRow
	Total        int
	Transactions []txRow
	MoreTx       int
}

// indexUsage is the usage summary of the index.
type indexUsage struct {
	Sources                                   []sourceRow
	Available                                 bool
	Statements, Cross, Transactions, Mappings int
	Rejected, Dynamic, Unattributed           int
	Calls, Tables                             string
	RejectedList                              []stmtRow
	MoreRejected                              int
}

// sourceRow is a usage source with the statements of it no context could be
// attributed to.
type sourceRow struct {
	schema.UsageSource
	Unattributed int
}

// noUsage is what the pages say when the snapshot holds no usage.
const noUsage = "No usage data: the snapshot holds none. Run seams usage -o FILE and render with --usage FILE to see who reads and writes which table."

// oneLine collapses white space and cuts s to at most n characters.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

func (b *builder) stmtRow(st *schema.Statement, table *schema.TableName) stmtRow {
	r := stmtRow{ID: st.ID, Text: oneLine(st.Text, maxStatementText), Full: oneLine(st.Text, maxStatementTitle),
		Calls: group(st.Calls), Error: st.Error, Contexts: b.usage.au.Contexts(st.ID), Touches: b.usage.au.Touches(st.ID), Dynamic: st.Dynamic}
	_, r.Crossing = b.usage.crossing(st)
	if table != nil {
		var how []string
		if slices.Contains(st.Reads, *table) {
			how = append(how, "reads")
		}
		if slices.Contains(st.Writes, *table) {
			how = append(how, "writes")
		}
		r.How = strings.Join(how, ", ")
	}
	var where []string
	for i, l := range st.Locations {
		if i == maxLocations {
			where = append(where, fmt.Sprintf("and %d more", len(st.Locations)-i))
			break
		}
		s := l.String()
		if l.Function != "" {
			s += " " + l.Function
		}
		where = append(where, s)
	}
	if len(st.Users) > 0 {
		where = append(where, "role "+strings.Join(st.Users, ", "))
	}
	if len(where) == 0 {
		where = append(where, st.Source)
	}
	r.Where = strings.Join(where, "; ")
	return r
}

func (b *builder) txRow(tx *attribution.Transaction, root string) txRow {
	r := txRow{Location: tx.Location.String(), Function: tx.Location.Function, Evidence: tx.Evidence,
		Contexts: tx.Contexts, Statements: len(tx.Statements)}
	for _, n := range tx.Writes {
		l := link{Name: n.String()}
		if b.m.Table(n) != nil {
			l.URL = root + tableFile(n)
		}
		r.Writes = append(r.Writes, l)
	}
	return r
}

// claimOf returns context c's claim on table n: from the contexts map, or,
// without one, the table's group.
func (b *builder) claimOf(n schema.TableName, c string) (contexts.Claim, bool) {
	if a := b.an.Assignment; !a.BySchema {
		return a.ClaimOf(n, c)
	}
	if c != "" && b.m.Home(n) == c {
		return contexts.Claim{Context: c}, true
	}
	return contexts.Claim{}, false
}

// useRowOf compares a context's observed use of a table (cell, nil when
// none was observed) with the map's declaration.
func (b *builder) useRowOf(n schema.TableName, c string, cell *attribution.Cell, root string) useRow {
	r := useRow{Context: c, Table: n.String(), Home: b.m.Home(n), Unattributed: c == ""}
	if u, ok := b.ctxFiles[c]; ok {
		r.URL = root + u
	}
	if b.m.Table(n) != nil {
		r.TableURL = root + tableFile(n)
	}
	static := false
	if a := b.an.Assignment; !a.BySchema {
		if cs := a.ContextsOf(n); len(cs) > 0 {
			r.Home = strings.Join(cs, ", ")
		}
		static = a.IsStatic(n)
	}
	unassigned := r.Home == diagram.Unassigned
	if r.Home == diagram.Static || unassigned {
		r.Home = strings.Trim(r.Home, "()")
	}
	claim, claimed := b.claimOf(n, c)
	r.Claimed = claimed
	var reads, writes bool
	if cell != nil {
		reads, writes = cell.ReadStatements > 0, cell.WriteStatements > 0
		r.ReadStatements, r.WriteStatements, r.Mapped = cell.ReadStatements, cell.WriteStatements, cell.Mapped
		if reads {
			r.Reads = group(cell.Reads)
		}
		if writes {
			r.Writes = group(cell.Writes)
		}
		cols := make([]string, len(cell.Columns))
		for i, col := range cell.Columns {
			cols[i] = col
			if slices.Contains(cell.WrittenColumns, col) {
				cols[i] += "*"
			}
		}
		r.Columns = strings.Join(cols, ", ")
	}
	switch {
	case claimed && claim.Access != contexts.AccessUnknown:
		r.Declared = string(claim.Access)
	case claimed:
		r.Declared = "claimed, access not declared"
	case c != "":
		r.Declared = "not claimed"
	}
	used := reads || writes
	switch {
	case c == "":
		r.Verdict = "no context: roles or code that no context lists"
	case b.an.Assignment.BySchema:
		r.Verdict = "no contexts map to compare with"
		r.Crossing = used && !claimed
	case !claimed && static && writes:
		r.State, r.Verdict = "mismatch", "writes static reference data"
	case !claimed && static && used:
		r.State, r.Verdict = "ok", "reads static reference data"
	case !claimed && used && unassigned:
		r.State, r.Crossing = "mismatch", true
		r.Verdict = "uses a table that no context claims"
	case !claimed && used:
		r.State, r.Crossing = "mismatch", true
		r.Verdict = "crossing: uses a table of " + r.Home + " that it does not claim"
		if writes {
			r.Verdict = "crossing: writes a table of " + r.Home + " that it does not claim"
		}
	case !claimed:
		r.Verdict = "ORM declaration only; not claimed"
	case !used && cell != nil && cell.Mapped > 0:
		r.Verdict = "ORM declaration only; no statement observed"
	case !used:
		r.Verdict = "declared; no use observed"
	case claim.Access == contexts.AccessRead && writes:
		r.State, r.Verdict = "mismatch", "writes it, declared read"
	case claim.Access == contexts.AccessWrite && !writes:
		r.State, r.Verdict = "mismatch", "only reads it, declared write"
	default:
		r.State, r.Verdict = "ok", "matches the declaration"
	}
	if claimed && claim.Columns != nil && cell != nil {
		var extra []string
		for _, col := range cell.Columns {
			if !slices.Contains(claim.Columns, col) {
				extra = append(extra, col)
			}
		}
		if len(extra) > 0 {
			r.State = "mismatch"
			r.Verdict += "; uses columns it does not declare: " + strings.Join(extra, ", ")
		}
	}
	return r
}

// noneReason says why a page has no usage to show, or "" when it has.
func (x *usageIndex) noneReason() string {
	switch {
	case x == nil:
		return noUsage
	case !x.available:
		return "No usage source was available (see the overview for why): nothing was observed."
	}
	return ""
}

func (b *builder) tableUsage(n schema.TableName, root string) tableUsage {
	x := b.usage
	d := tableUsage{None: x.noneReason()}
	if d.None != "" {
		return d
	}
	cells := map[string]*attribution.Cell{}
	for _, c := range x.cellsByTable[n] {
		cells[c.Context] = c
	}
	var order []string
	if a := b.an.Assignment; !a.BySchema {
		order = a.ContextsOf(n)
	} else if _, ok := cells[b.m.Home(n)]; ok {
		order = []string{b.m.Home(n)}
	}
	for _, c := range x.cellsByTable[n] { // in context order; "" first
		if c.Context != "" && !slices.Contains(order, c.Context) {
			order = append(order, c.Context)
		}
	}
	if _, ok := cells[""]; ok {
		order = append(order, "")
	}
	d.Rows.PerTable = true
	for _, c := range order {
		d.Rows.Rows = append(d.Rows.Rows, b.useRowOf(n, c, cells[c], root))
	}
	for _, st := range x.stmtsByTable[n] {
		d.Statements = append(d.Statements, b.stmtRow(st, &n))
	}
	d.Total = x.stmtCount[n]
	for i, tx := range x.txByTable[n] {
		if i == maxTransactions {
			break
		}
		d.Transactions = append(d.Transactions, b.txRow(tx, root))
	}
	for _, m := range x.mappings[n] {
		d.Mappings = append(d.Mappings, mappingRow{Kind: m.Kind, Location: m.Location.String(), Context: m.context})
	}
	d.IO = x.io[n]
	d.Observed = len(x.cellsByTable[n]) > 0 || d.IO != nil || len(d.Mappings) > 0
	return d
}

func (b *builder) contextUsage(c, root string) contextUsage {
	x := b.usage
	d := contextUsage{None: x.noneReason()}
	if a := b.an.Assignment; a != nil && a.Info[c] != nil {
		d.Roles, d.Code = a.Info[c].Roles, a.Info[c].Code
	}
	if d.None != "" {
		return d
	}
	seen := map[schema.TableName]bool{}
	for _, cell := range x.cellsByCtx[c] {
		seen[cell.Table] = true
		d.Rows.Rows = append(d.Rows.Rows, b.useRowOf(cell.Table, c, cell, root))
	}
	for _, n := range b.tablesOf(c) {
		if !seen[n] {
			d.Unused = append(d.Unused, link{Name: n.String(), URL: root + tableFile(n)})
		}
	}
	for _, st := range x.crossByCtx[c] {
		d.Statements = append(d.Statements, b.stmtRow(st, nil))
	}
	d.Total = x.crossCount[c]
	for i, tx := range x.txByCtx[c] {
		if i == maxTransactions {
			d.MoreTx = len(x.txByCtx[c]) - i
			break
		}
		d.Transactions = append(d.Transactions, b.txRow(tx, root))
	}
	if len(d.Rows.Rows) == 0 && len(d.Statements) == 0 && len(d.Transactions) == 0 {
		d.None = "No statement of this context's roles or code was observed, and none touches its tables."
		if len(d.Roles) == 0 && len(d.Code) == 0 {
			d.None += " The contexts map gives it no roles: or code: to attribute statements with."
		}
	}
	return d
}

func (b *builder) indexUsage() *indexUsage {
	x := b.usage
	if x == nil {
		return nil
	}
	d := &indexUsage{Available: x.available, Statements: len(x.u.Statements), Cross: x.crossAll,
		Transactions: len(x.au.Transactions), Mappings: len(x.u.Mappings), Tables: group(int64(len(x.cellsByTable)))}
	for _, s := range x.u.Sources {
		d.Rejected += s.Rejected
		d.Dynamic += s.Dynamic
		d.Unattributed += x.au.Unattributed[s.Kind]
		d.Sources = append(d.Sources, sourceRow{UsageSource: s, Unattributed: x.au.Unattributed[s.Kind]})
	}
	var calls int64
	for i := range x.u.Statements {
		st := &x.u.Statements[i]
		calls += st.Calls
		if st.Error != "" {
			if len(d.RejectedList) < maxRejected {
				d.RejectedList = append(d.RejectedList, b.stmtRow(st, nil))
			} else {
				d.MoreRejected++
			}
		}
	}
	d.Calls = group(calls)
	return d
}
