package site

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/summary"
	"github.com/seamsdev/seams/schema"
)

// planData is what the plan page shows.
type planData struct {
	Database                          string
	Contexts, Findings, Groups, Steps int
	Severities                        []sevCount
	List                              findingsList
	Order                             []orderRow
	Runs                              []runView
	RunFilter                         filterData
	Warnings                          []string
}

type sevCount struct {
	Severity plan.Severity
	Count    int
}

type orderRow struct {
	Name, URL string
	// Steps and Run say where its first run of steps is.
	Steps, Run string
}

// runView is a run of consecutive steps of one context: a section of the
// checklist.
type runView struct {
	N                      int
	Anchor, Context, Range string
	ContextsJSON           string
	Steps                  []stepView
}

type stepView struct {
	plan.Step
	Anchor   string
	Up, Down string
	Findings []link
}

// planPage writes the plan: the groups of findings with a filter, the
// extraction order and the checklist, every group, finding and step
// folded.
func (b *builder) planPage() error {
	p := b.an.Plan
	d := planData{Database: p.Source.Database, Contexts: len(p.Contexts), Findings: len(p.Findings), Groups: len(p.Groups), Steps: len(p.Steps),
		List: b.findingsList("groups", p.Groups, "", true), Warnings: p.Warnings}
	for _, sev := range []plan.Severity{plan.High, plan.Medium, plan.Low, plan.Info} {
		n := 0
		for _, f := range p.Findings {
			if f.Severity == sev {
				n++
			}
		}
		d.Severities = append(d.Severities, sevCount{sev, n})
	}
	var ctxs []plan.Group
	for _, s := range p.Steps {
		if len(d.Runs) == 0 || d.Runs[len(d.Runs)-1].Context != s.Context {
			cj, _ := json.Marshal([]string{s.Context})
			n := len(d.Runs) + 1
			d.Runs = append(d.Runs, runView{N: n, Anchor: fmt.Sprintf("run-%d", n), Context: s.Context, ContextsJSON: string(cj)})
			ctxs = append(ctxs, plan.Group{Contexts: []string{s.Context}})
		}
		r := &d.Runs[len(d.Runs)-1]
		v := stepView{Step: s, Anchor: stepAnchor(s.N), Up: statements(s.Up), Down: statements(s.Down)}
		for _, id := range s.FindingIDs {
			v.Findings = append(v.Findings, link{Name: id, URL: findingAnchor(id)})
		}
		r.Steps = append(r.Steps, v)
	}
	for i := range d.Runs {
		r := &d.Runs[i]
		r.Range = fmt.Sprintf("steps %d–%d", r.Steps[0].N, r.Steps[len(r.Steps)-1].N)
		if len(r.Steps) == 1 {
			r.Range = fmt.Sprintf("step %d", r.Steps[0].N)
		}
	}
	d.RunFilter = filters("runs", ctxs)
	for _, c := range p.Order {
		row := orderRow{Name: c, URL: b.ctxFiles[c]}
		for _, r := range d.Runs {
			if r.Context == c {
				row.Steps, row.Run = r.Range, r.Anchor
				break
			}
		}
		d.Order = append(d.Order, row)
	}
	return b.write("plan.html", "plan", "Plan", "", d)
}

// statements joins SQL statements as a file holds them.
func statements(stmts []string) string {
	if len(stmts) == 0 {
		return ""
	}
	return strings.Join(stmts, ";\n\n") + ";"
}

type tableRow struct {
	Name, URL, Context, Rows string
	Columns                  int
}

func (b *builder) tablesPage() error {
	var rows []tableRow
	for _, n := range b.m.Tables() {
		t := b.m.Table(n)
		rows = append(rows, tableRow{Name: n.String(), URL: tableFile(n), Context: b.m.Home(n), Rows: count(t.RowEstimate), Columns: len(t.Columns)})
	}
	return b.write("tables.html", "tables", "All tables", "", rows)
}

// --- context page ---

type ctxTable struct {
	Name, URL, Rows  string
	Columns, Out, In int
	Crossing         int
	Others           []string
	// Owner names the context the ownership model gives a table the
	// context claims but does not keep; empty when it keeps it.
	Owner string
}

type contextData struct {
	Name, Description, Owner string
	Roles                    []string
	Diagram                  diagramData
	Findings                 findingsList
	Tables                   []ctxTable
	Usage                    contextUsage
}

func (b *builder) contextPage(ctx context.Context, c string) error {
	const root = "../"
	d := contextData{Name: c, Findings: b.findingsList("groups", b.groupsOfContext(c), root, true), Usage: b.contextUsage(c, root)}
	if a := b.an.Assignment; a != nil && a.Info[c] != nil {
		d.Description, d.Owner, d.Roles = a.Info[c].Description, a.Info[c].Owner, a.Info[c].Roles
	}
	g, err := b.m.Context(c)
	if err != nil {
		return err
	}
	base := strings.TrimSuffix(b.ctxFiles[c], ".html")
	if d.Diagram, err = b.graphDiagram(ctx, "context", root, b.withLinks(g, root), base); err != nil {
		return err
	}
	// A large diagram opens on the context's own tables.
	for i, cl := range g.Clusters {
		if d.Diagram.Zoom && !cl.Ghost && cl.Context == c {
			d.Diagram.Focus, d.Diagram.FocusWhat = fmt.Sprintf("cluster_%d", i), "the tables of "+c
		}
	}
	for _, n := range b.tablesOf(c) {
		t := b.m.Table(n)
		row := ctxTable{Name: n.String(), URL: root + tableFile(n), Rows: count(t.RowEstimate), Columns: len(t.Columns),
			Out: len(b.m.Out(n)), In: len(b.m.In(n))}
		for _, e := range append(b.m.Out(n), b.m.In(n)...) {
			if b.m.Crossing(e) {
				row.Crossing++
			}
		}
		for _, o := range b.an.Ownership.Claimants(n) {
			if o != c {
				row.Others = append(row.Others, o)
			}
		}
		if h := b.an.Ownership.Home(n); !slices.Contains(h, c) && !slices.Contains(b.m.Members(c), n) {
			row.Owner = strings.Join(h, ", ")
			if row.Owner == "" {
				row.Owner = b.m.Home(n)
			}
		}
		d.Tables = append(d.Tables, row)
	}
	return b.write(b.ctxFiles[c], "context", "Context "+c, root, d)
}

// --- table page ---

type colRow struct {
	Name, Type, Keys, Comment string
	Default                   string
	Nullable                  bool
}

type fkRow struct {
	Name, Columns, Other, OtherColumns, URL, Context, OnDelete string
	Crossing, Inferred                                         bool
}

type claimRow struct {
	Context, URL, Access string
	Columns              []string
}

type usageRow struct {
	Name, Context, Table, How string
	Materialized              bool
}

type tableData struct {
	Name, Comment, Home, Kind, Rows, Size, Stats, PrimaryKey string
	Partitions                                               int
	Claims                                                   []claimRow
	Columns                                                  []colRow
	Indexes                                                  []schema.Index
	Out, In                                                  []fkRow
	Views, Triggers                                          []usageRow
	Findings                                                 findingsList
	Diagram                                                  diagramData
	Usage                                                    tableUsage
}

// keyWords lists the keys a column belongs to on its table's page: PK, FK
// and "unique" for a column of any unique constraint, composite ones
// included (unlike Mermaid's UK, which needs a unique key of one column).
func keyWords(k schema.ColumnKeys) string {
	var w []string
	if k.Primary {
		w = append(w, "PK")
	}
	if k.Foreign {
		w = append(w, "FK")
	}
	if k.Unique {
		w = append(w, "unique")
	}
	return strings.Join(w, " ")
}

// tablePages writes the pages of the tables, their diagrams laid out
// together.
func (b *builder) tablePages(ctx context.Context, names []schema.TableName) error {
	const root = "../"
	data := make([]tableData, len(names))
	var ps []pending
	for i, n := range names {
		p, err := b.tableData(n, &data[i])
		if err != nil {
			return err
		}
		if p.dot != nil {
			p.into = &data[i].Diagram
			ps = append(ps, p)
		}
	}
	if err := b.renderAll(ctx, ps); err != nil {
		return err
	}
	for i, n := range names {
		if err := b.write(tableFile(n), "table", "Table "+n.String(), root, data[i]); err != nil {
			return err
		}
	}
	return nil
}

// tableData fills d with what table n's page shows, and returns its
// diagram to lay out.
func (b *builder) tableData(n schema.TableName, out *tableData) (pending, error) {
	const root = "../"
	t := b.m.Table(n)
	lk := b.lookup()
	d := out
	*d = tableData{Name: n.String(), Comment: t.Comment, Home: b.m.Home(n), Kind: string(t.Kind), Rows: count(t.RowEstimate),
		Size: size(t.SizeBytes), Stats: stats(t.Stats), Partitions: len(lk.Partitions(n)), Indexes: t.Indexes,
		Findings: b.findingsList("groups", b.groupsOfTable(n), root, true), Usage: b.tableUsage(n, root)}
	if t.PrimaryKey != nil {
		d.PrimaryKey = t.PrimaryKey.Name + " (" + strings.Join(t.PrimaryKey.Columns, ", ") + ")"
	}
	if a := b.an.Assignment; a != nil {
		for _, c := range a.Claims[n] {
			d.Claims = append(d.Claims, claimRow{Context: c.Context, URL: root + b.ctxFiles[c.Context], Access: string(c.Access), Columns: c.Columns})
		}
	}
	if len(d.Claims) == 0 {
		d.Claims = append(d.Claims, claimRow{Context: d.Home, URL: root + b.ctxFiles[d.Home]})
	}
	keys := t.ColumnKeys()
	for _, c := range t.Columns {
		row := colRow{Name: c.Name, Type: c.Type, Nullable: c.Nullable, Comment: c.Comment, Keys: keyWords(keys[c.Name])}
		if c.Default != nil {
			row.Default = *c.Default
		}
		if c.Generated != "" {
			row.Default = "generated " + c.Generated + ": " + c.Expression
		}
		if c.Identity != "" {
			row.Default = strings.TrimSpace(row.Default + " identity " + c.Identity)
		}
		d.Columns = append(d.Columns, row)
	}
	fkAction := func(child schema.TableName, name string) string {
		if ct := b.m.Table(child); ct != nil {
			for _, f := range ct.ForeignKeys {
				if f.Name == name {
					return string(f.OnDelete)
				}
			}
		}
		return ""
	}
	for _, e := range b.m.Out(n) {
		d.Out = append(d.Out, fkRow{Name: e.Name, Columns: strings.Join(e.Columns, ", "), Other: e.To.String(), OtherColumns: strings.Join(e.RefColumns, ", "),
			URL: root + tableFile(e.To), Context: b.m.Home(e.To), OnDelete: fkAction(n, e.Name), Crossing: b.m.Crossing(e), Inferred: e.Inferred})
	}
	for _, e := range b.m.In(n) {
		d.In = append(d.In, fkRow{Name: e.Name, Columns: strings.Join(e.RefColumns, ", "), Other: e.From.String(), OtherColumns: strings.Join(e.Columns, ", "),
			URL: root + tableFile(e.From), Context: b.m.Home(e.From), OnDelete: fkAction(e.From, e.Name), Crossing: b.m.Crossing(e), Inferred: e.Inferred})
	}
	for _, v := range b.viewsOf(n) {
		ctxName := ""
		if a := b.an.Assignment; a != nil {
			ctxName = strings.Join(a.ContextsOf(v.TableName()), ", ")
		}
		d.Views = append(d.Views, usageRow{Name: v.TableName().String(), Context: ctxName, Materialized: v.Materialized})
	}
	for _, tr := range b.triggersOf(n) {
		var how []string
		if tr.Table == n {
			how = append(how, "fires on "+strings.Join(tr.Events, ", "))
		}
		if slices.Contains(tr.Writes, n) {
			how = append(how, "writes it")
		}
		if slices.Contains(tr.Reads, n) {
			how = append(how, "reads it")
		}
		d.Triggers = append(d.Triggers, usageRow{Name: tr.Name, Table: tr.Table.String(), How: strings.Join(how, ", ")})
	}
	g, err := b.m.Neighbourhood(n, b.depth)
	if err != nil {
		return pending{}, err
	}
	// Small and without the legend (the page shows it): one of these is
	// drawn per table, and go-graphviz keeps every SVG it renders in its
	// WebAssembly memory.
	g.FocusOnly, g.NoLegend = true, true
	var p pending
	if d.Diagram, p, err = b.prepareDiagram("neighbourhood", root, b.withLinks(g, root), ""); err != nil {
		return pending{}, err
	}
	if d.Diagram.Zoom {
		d.Diagram.Focus, d.Diagram.FocusWhat = diagram.Slug(n), "this table"
	}
	return p, nil
}

func count(p *int64) string {
	if p == nil {
		return "unknown"
	}
	return group(*p)
}

func group(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var out []string
	for len(s) > 3 {
		out = append([]string{s[len(s)-3:]}, out...)
		s = s[:len(s)-3]
	}
	out = append([]string{s}, out...)
	r := strings.Join(out, ",")
	if neg {
		return "-" + r
	}
	return r
}

func size(p *int64) string {
	if p == nil {
		return "unknown"
	}
	return summary.Bytes(*p)
}

func stats(s *schema.TableStats) string {
	if s == nil {
		return ""
	}
	var parts []string
	for _, x := range []struct {
		what string
		v    *int64
	}{{"sequential scans", s.SeqScans}, {"index scans", s.IdxScans}, {"rows read", s.RowsRead}, {"inserted", s.Inserted}, {"updated", s.Updated}, {"deleted", s.Deleted}, {"live rows", s.LiveRows}} {
		if x.v != nil {
			parts = append(parts, x.what+" "+group(*x.v))
		}
	}
	out := strings.Join(parts, ", ")
	if s.Source != "" {
		out += " (from " + s.Source + ")"
	}
	if s.StatsReset != nil {
		out += ", since " + s.StatsReset.UTC().Format("2006-01-02")
	}
	return out
}
