// Package dot prints the diagrams of package render/diagram as Graphviz
// DOT text. Every name from the database is escaped, and the output is
// deterministic. The package lays nothing out itself: package render/svg
// turns the DOT into SVG or PNG.
package dot

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/schema"
)

// Colours and styles shared by every diagram (and named in the legend).
const (
	colContext  = "#4a78b0"
	colCluster  = "#f4f8fd"
	colHeader   = "#dbe8f7"
	colGhost    = "#9a9a9a"
	colGhostBG  = "#f3f3f3"
	colFocus    = "#ffe08a"
	colEdge     = "#555555"
	colCrossing = "#c2255c"
	colKey      = "#b8860b"
	colType     = "#666666"
	colView     = "#fdf6e3"
	colProposed = "#2b8a3e"
	colPropBG   = "#ebfbee"
	fontName    = "Helvetica"
	// maxColumns is the number of columns a table node lists before "… N more".
	maxColumns = 30
)

// QuoteID returns s as a DOT double-quoted ID. Backslashes are doubled and
// double quotes escaped, so the ID always parses and distinct names give
// distinct IDs; control characters are written as escapes.
func QuoteID(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteRune('\uFFFD')
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// EscString returns s as a quoted DOT escString (for label, tooltip and
// URL attributes): the escapes \N, \G, \l and the like cannot be formed,
// a newline becomes a line break, and & is written as &amp; because
// Graphviz decodes entities in these strings.
func EscString(s string) string { return QuoteID(strings.ReplaceAll(s, "&", "&amp;")) }

// HTML escapes s for the text of a DOT HTML-like label. Newlines and other
// control characters become visible symbols so that a name stays on one line.
func HTML(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&#39;")
		case '\n':
			b.WriteString("&#9252;") // ␤
		default:
			if r < 0x20 || r == 0x7f {
				b.WriteString("&#65533;")
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// NodeID returns the DOT node ID of a table: schema.name, or the SQL-like
// "schema"."name" when a part contains a dot or a double quote, so that
// distinct tables always get distinct IDs.
func NodeID(n schema.TableName) string {
	if strings.ContainsAny(n.Schema, `."`) || strings.ContainsAny(n.Name, `."`) {
		q := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
		return q(n.Schema) + "." + q(n.Name)
	}
	return n.Schema + "." + n.Name
}

type writer struct {
	w   *bufio.Writer
	err error
}

func (w *writer) p(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}

func (w *writer) s(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

func (w *writer) flush() error {
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

func header(w *writer, title string) {
	w.p("digraph %s {\n", QuoteID(title))
	w.p("  graph [rankdir=LR fontname=%q fontsize=11 nodesep=0.3 ranksep=0.7 bgcolor=\"white\" pad=0.2 tooltip=%s]\n", fontName, EscString(title))
	w.p("  node [fontname=%q fontsize=10]\n", fontName)
	w.p("  edge [fontname=%q fontsize=9 color=%q arrowsize=0.7]\n", fontName, colEdge)
}

// WriteGraph writes the DOT of a table diagram. It returns an error wrapping
// ErrTooLarge for a Graph in mode TooLarge.
func WriteGraph(out io.Writer, g *diagram.Graph) error {
	if g.Mode == diagram.TooLarge {
		if len(g.Views) > 0 {
			return fmt.Errorf("%s: %d tables and %d views: %w", g.Title, g.Tables, len(g.Views), diagram.ErrTooLarge)
		}
		return fmt.Errorf("%s: %d tables: %w", g.Title, g.Tables, diagram.ErrTooLarge)
	}
	w := &writer{w: bufio.NewWriter(out)}
	header(w, g.Title)
	multiSchema := false
	var first string
	for i, c := range g.Clusters {
		for j, n := range c.Nodes {
			if i == 0 && j == 0 {
				first = n.Table.Schema
			} else if n.Table.Schema != first {
				multiSchema = true
			}
		}
	}
	for i, c := range g.Clusters {
		w.p("  subgraph cluster_%d {\n", i)
		style, color, fill, fontColor := "rounded,filled", colContext, colCluster, colContext
		if c.Ghost {
			style, color, fill, fontColor = "rounded,dashed", colGhost, "white", colGhost
		}
		label := "<B>" + HTML(c.Context) + "</B>"
		if c.Proposed {
			style, color, fill, fontColor = "rounded,filled,dashed", colProposed, colPropBG, colProposed
			label += ` <FONT POINT-SIZE="9">(proposed by the plan)</FONT>`
		}
		w.p("    graph [label=<%s> style=%q color=%q fillcolor=%q fontcolor=%q", label, style, color, fill, fontColor)
		if g.ContextLink != nil {
			w.p(" URL=%s target=\"_top\"", EscString(g.ContextLink(c.Context)))
		}
		w.s("]\n")
		for _, n := range c.Nodes {
			writeTable(w, g, n, multiSchema)
		}
		for _, v := range g.Views {
			if v.Context == c.Context && !c.Ghost {
				writeView(w, v, multiSchema, "    ")
			}
		}
		w.s("  }\n")
	}
	for _, v := range g.Views {
		if v.Context == "" {
			writeView(w, v, multiSchema, "  ")
		}
	}
	for _, e := range g.Edges {
		writeEdge(w, e)
	}
	for _, e := range g.ViewEdges {
		writeViewEdge(w, e)
	}
	if !g.NoLegend {
		legend(w, g.Mode, len(g.Views) > 0, diagram.HasInferred(g.Edges))
	}
	w.s("}\n")
	return w.flush()
}

func tableLabel(t *schema.Table, multiSchema bool) string {
	if multiSchema {
		return t.Schema + "." + t.Name
	}
	return t.Name
}

func writeTable(w *writer, g *diagram.Graph, n diagram.Node, multiSchema bool) {
	t := n.Table
	name := t.TableName()
	w.p("    %s [", QuoteID(NodeID(name)))
	if g.Link != nil {
		w.p("URL=%s target=\"_top\" ", EscString(g.Link(name)))
	}
	w.p("id=%q tooltip=%s ", diagram.Slug(name), EscString(name.String()))
	title := HTML(tableLabel(t, multiSchema))
	if g.Mode == diagram.Compact || n.Ghost || (g.FocusOnly && !n.Focus) {
		fill, color, font, style := colHeader, colContext, "black", "rounded,filled"
		if n.Ghost {
			fill, color, font, style = colGhostBG, colGhost, colGhost, "rounded,filled,dashed"
		}
		if n.Focus {
			fill = colFocus
		}
		w.p("shape=box style=%q fillcolor=%q color=%q fontcolor=%q label=<%s>]\n", style, fill, color, font, title)
		return
	}
	head := colHeader
	if n.Focus {
		head = colFocus
	}
	keys := t.ColumnKeys()
	var b strings.Builder
	fmt.Fprintf(&b, `<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" COLOR=%q BGCOLOR="white">`, colContext)
	fmt.Fprintf(&b, `<TR><TD COLSPAN="3" BGCOLOR=%q><B>%s</B></TD></TR>`, head, title)
	shown, omitted := 0, 0
	for _, c := range t.Columns {
		mark := keyMark(keys[c.Name])
		if g.FocusOnly && mark == "" {
			omitted++ // a small diagram shows the key columns only
			continue
		}
		if shown == maxColumns {
			omitted++
			continue
		}
		shown++
		typ := c.Type
		if !c.Nullable {
			typ += " not null"
		}
		if mark != "" {
			mark = fmt.Sprintf(`<FONT COLOR=%q POINT-SIZE="8">%s</FONT>`, colKey, mark)
		}
		fmt.Fprintf(&b, `<TR><TD ALIGN="LEFT">%s</TD><TD ALIGN="LEFT">%s</TD><TD ALIGN="LEFT"><FONT COLOR=%q POINT-SIZE="8">%s</FONT></TD></TR>`,
			mark, HTML(c.Name), colType, HTML(typ))
	}
	if omitted > 0 {
		more := "more"
		if g.FocusOnly {
			more = "other columns"
		}
		fmt.Fprintf(&b, `<TR><TD COLSPAN="3" ALIGN="LEFT"><FONT COLOR=%q>… %d %s</FONT></TD></TR>`, colType, omitted, more)
	}
	if len(t.Columns) == 0 {
		fmt.Fprintf(&b, `<TR><TD COLSPAN="3"><FONT COLOR=%q>no columns</FONT></TD></TR>`, colType)
	}
	b.WriteString(`</TABLE>`)
	w.p("shape=plain label=<%s>]\n", b.String())
}

// keyMark is the mark of a column in a table node: "PK", "FK" or "PK FK".
// Unique constraints are left unmarked on purpose: the diagrams show what
// joins tables, and a small diagram keeps only the columns marked here.
func keyMark(k schema.ColumnKeys) string {
	switch {
	case k.Primary && k.Foreign:
		return "PK FK"
	case k.Primary:
		return "PK"
	case k.Foreign:
		return "FK"
	}
	return ""
}

func writeView(w *writer, v diagram.ViewNode, multiSchema bool, indent string) {
	name := v.Name()
	kind := "view"
	if v.View.Materialized {
		kind = "materialized view"
	}
	tip := kind + " " + name.String()
	color, font, pen, note := colContext, colType, "1", kind
	if v.CrossContext {
		color, font, pen = colCrossing, colCrossing, "2"
		note = fmt.Sprintf("%s reading %d contexts", kind, len(v.Contexts))
		tip += " reads the tables of " + strings.Join(v.Contexts, ", ")
	}
	label := name.Name
	if multiSchema {
		label = name.String()
	}
	w.p("%s%s [id=%q tooltip=%s shape=note style=\"filled\" fillcolor=%q color=%q penwidth=%s label=<<B>%s</B><BR/><FONT POINT-SIZE=\"8\" COLOR=%q>%s</FONT>>]\n",
		indent, QuoteID(NodeID(name)), diagram.ViewSlug(name), EscString(tip), colView, color, pen, HTML(label), font, HTML(note))
}

func writeViewEdge(w *writer, e diagram.ViewEdge) {
	color := colEdge
	if e.Crossing {
		color = colCrossing
	}
	w.p("  %s -> %s [style=\"dotted\" color=%q arrowhead=vee tooltip=%s]\n",
		QuoteID(NodeID(e.View)), QuoteID(NodeID(e.Reads)), color, EscString(e.View.String()+" reads "+e.Reads.String()))
}

func writeEdge(w *writer, e diagram.GraphEdge) {
	w.p("  %s -> %s [", QuoteID(NodeID(e.From)), QuoteID(NodeID(e.To)))
	tip := fmt.Sprintf("%s: %s (%s) -> %s (%s)", e.Name, e.From, strings.Join(e.Columns, ", "), e.To, strings.Join(e.RefColumns, ", "))
	style := "solid"
	if e.Inferred {
		style = "dashed"
		tip = "not declared: " + tip
	}
	switch {
	case e.Crossing:
		if !e.Inferred {
			style = "bold"
		}
		w.p("color=%q fontcolor=%q penwidth=2 label=%s ", colCrossing, colCrossing, EscString(e.Name))
	case e.Inferred:
		// An inferred edge always carries its score.
		w.p("fontcolor=%q fontsize=9 label=%s ", colEdge, EscString(e.Name))
	}
	if e.Nullable {
		w.s("arrowhead=empty ")
	}
	w.p("style=%q tooltip=%s]\n", style, EscString(tip))
}

// legend writes the legend cluster of a table diagram.
func legend(w *writer, mode diagram.Mode, views, inferred bool) {
	w.s("  subgraph cluster_legend {\n")
	w.p("    graph [label=\"legend\" style=\"dashed\" color=%q fontcolor=%q fontsize=9]\n", colGhost, colGhost)
	var b strings.Builder
	b.WriteString(`<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2">`)
	row := func(key, text string) {
		fmt.Fprintf(&b, `<TR><TD>%s</TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">%s</FONT></TD></TR>`, key, text)
	}
	row(fmt.Sprintf(`<TABLE BORDER="1" CELLBORDER="0" COLOR=%q BGCOLOR=%q><TR><TD><FONT POINT-SIZE="8">table</FONT></TD></TR></TABLE>`, colContext, colHeader), "table of this context")
	row(fmt.Sprintf(`<TABLE BORDER="1" STYLE="dashed" CELLBORDER="0" COLOR=%q BGCOLOR=%q><TR><TD><FONT POINT-SIZE="8" COLOR=%q>ghost</FONT></TD></TR></TABLE>`, colGhost, colGhostBG, colGhost), "table of another context")
	row(fmt.Sprintf(`<FONT COLOR=%q>———▶</FONT>`, colEdge), "foreign key, child to parent (open head: nullable)")
	row(fmt.Sprintf(`<FONT COLOR=%q><B>━━━▶</B></FONT>`, colCrossing), "crossing foreign key, labelled with its name")
	if inferred {
		row(fmt.Sprintf(`<FONT COLOR=%q>- - -▶</FONT>`, colEdge), "inferred reference (not declared), labelled with its score")
	}
	if views {
		row(fmt.Sprintf(`<TABLE BORDER="1" CELLBORDER="0" COLOR=%q BGCOLOR=%q><TR><TD><FONT POINT-SIZE="8">view</FONT></TD></TR></TABLE>`, colContext, colView), "view or materialized view")
		row(fmt.Sprintf(`<FONT COLOR=%q>· · · ▶</FONT>`, colEdge), "a view reads a table")
		row(fmt.Sprintf(`<TABLE BORDER="2" CELLBORDER="0" COLOR=%q BGCOLOR=%q><TR><TD><FONT POINT-SIZE="8" COLOR=%q>view</FONT></TD></TR></TABLE>`, colCrossing, colView, colCrossing), `<FONT COLOR="`+colCrossing+`">cross-context view: reads tables of two or more contexts</FONT>`)
	}
	if mode == diagram.Full {
		row(fmt.Sprintf(`<FONT COLOR=%q POINT-SIZE="8">PK FK</FONT>`, colKey), "primary key, foreign key column")
	} else {
		row("…", "compact: table names only")
	}
	b.WriteString(`</TABLE>`)
	w.p("    legend [shape=plain label=<%s>]\n", b.String())
	w.s("  }\n")
}

// WriteMap writes the DOT of the context map.
func WriteMap(out io.Writer, mp *diagram.Map) error {
	w := &writer{w: bufio.NewWriter(out)}
	header(w, mp.Title)
	dense := denseMap(mp)
	if dense {
		// Laid out on a circle (MapLayout), with straight arrows: their
		// counts are in their tooltips and in the coupling matrix.
		w.s("  graph [splines=line]\n")
	}
	proposed := false
	for _, n := range mp.Nodes {
		size := 1 + 0.35*math.Sqrt(float64(n.Tables))
		fs := 11 + 2*math.Log2(float64(n.Tables)+1)
		style, fill, color := "rounded,filled", colHeader, colContext
		if n.Pseudo {
			style, fill, color = "rounded,filled,dashed", colGhostBG, colGhost
		}
		tip, what := n.Context, ""
		if n.Proposed {
			proposed = true
			style, fill, color = "rounded,filled,dashed", colPropBG, colProposed
			tip, what = n.Context+": context proposed by the plan", "proposed · "
		}
		// A dense map's boxes fit their labels: sized by their tables, the
		// circle they sit on would be too large to read at once.
		dims := fmt.Sprintf(" width=%s height=%s", ff(size*1.4), ff(size*0.6))
		if dense {
			dims = ""
		}
		w.p("  %s [shape=box style=%q fillcolor=%q color=%q%s fontsize=%s",
			QuoteID(n.Context), style, fill, color, dims, ff(fs))
		if n.Proposed {
			w.s(" penwidth=2")
		}
		if mp.ContextLink != nil {
			if u := mp.ContextLink(n.Context); u != "" {
				w.p(" URL=%s target=\"_top\"", EscString(u))
			}
		}
		tables := "tables"
		if n.Tables == 1 {
			tables = "table"
		}
		w.p(" tooltip=%s label=<<B>%s</B><BR/><FONT POINT-SIZE=\"9\">%s%d %s</FONT>>]\n",
			EscString(tip), HTML(n.Context), what, n.Tables, tables)
	}
	for _, e := range mp.Edges {
		pw := math.Min(1+1.5*math.Log2(float64(e.Count)), 8)
		style, color := "solid", colEdge
		if e.Inferred == e.Count {
			style = "dashed"
		}
		label := strconv.Itoa(e.Count)
		if e.Cycle {
			color = colCrossing
			label += " ⟲"
		}
		if dense {
			// Thin and grey: hundreds of arrows; the page lights a
			// context's own when it is pointed at.
			pw, color = math.Min(0.5+0.5*math.Log2(float64(e.Count)), 3), colEdge
		}
		refs := "references"
		if e.Count == 1 {
			refs = "reference"
		}
		tip := fmt.Sprintf("%s -> %s: %d %s: %s", e.From, e.To, e.Count, refs, strings.Join(e.Names, ", "))
		labelAttr := "label=" + EscString(label) + " "
		if dense {
			labelAttr = ""
		}
		// Counts in 12 points: read at the size the site opens a large
		// map at.
		w.p("  %s -> %s [%sweight=%d penwidth=%s style=%q color=%q fontcolor=%q fontsize=12 tooltip=%s]\n",
			QuoteID(e.From), QuoteID(e.To), labelAttr, e.Count, ff(pw), style, color, color, EscString(tip))
	}
	for _, mv := range mp.Moves {
		var names, full []string
		for i, n := range mv.Tables {
			full = append(full, n.String())
			if i < 3 {
				names = append(names, n.Name)
			}
		}
		label := "moves: " + strings.Join(names, ", ")
		if len(mv.Tables) > 3 {
			label += fmt.Sprintf(" +%d", len(mv.Tables)-3)
		}
		tip := fmt.Sprintf("%s -> %s: moves to the proposed context: %s", mv.From, mv.To, strings.Join(full, ", "))
		w.p("  %s -> %s [label=%s style=\"dashed\" penwidth=1.50 color=%q fontcolor=%q arrowhead=vee tooltip=%s]\n",
			QuoteID(mv.From), QuoteID(mv.To), EscString(label), colProposed, colProposed, EscString(tip))
	}
	inferredRow := ""
	for _, e := range mp.Edges {
		if e.Inferred == e.Count {
			inferredRow = fmt.Sprintf(`<TR><TD><FONT COLOR=%q>- - -▶</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">inferred references only</FONT></TD></TR>`, colEdge)
		}
	}
	cycleRow := fmt.Sprintf(`<TR><TD><FONT COLOR=%q><B>—N ⟲—▶</B></FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">on a cycle between contexts</FONT></TD></TR>`, colCrossing)
	if dense {
		cycleRow = `<TR><TD><FONT POINT-SIZE="9">N</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">too many arrows to label or mark: each arrow's tooltip and the coupling matrix give N and the cycles</FONT></TD></TR>`
	}
	w.s("  subgraph cluster_legend {\n")
	w.p("    graph [label=\"legend\" style=\"dashed\" color=%q fontcolor=%q fontsize=9]\n", colGhost, colGhost)
	prop := ""
	if proposed {
		prop = fmt.Sprintf(`<TR><TD><FONT POINT-SIZE="9" COLOR=%[1]q>dashed box</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">context proposed by the plan (not in the map)</FONT></TD></TR>`+
			`<TR><TD><FONT COLOR=%[1]q>- moves -▶</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">tables that move to it, from the contexts that claim them</FONT></TD></TR>`, colProposed)
	}
	w.p(`    legend [shape=plain label=<<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="2">`+
		`<TR><TD><FONT POINT-SIZE="9">box</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">context, sized by its number of tables</FONT></TD></TR>`+
		`<TR><TD><FONT COLOR=%q>—N—▶</FONT></TD><TD ALIGN="LEFT"><FONT POINT-SIZE="9">N foreign keys from tables of one context to tables of another</FONT></TD></TR>`+
		`%s%s%s</TABLE>>]`+"\n", colEdge, cycleRow, inferredRow, prop)
	w.s("  }\n}\n")
	return w.flush()
}

// DenseMapEdges is the number of edges above which a context map is dense:
// laid out on a circle with straight, unlabelled arrows (see MapLayout).
// Twenty contexts that all depend on one another have 380.
const DenseMapEdges = 60

func denseMap(mp *diagram.Map) bool { return len(mp.Edges) > DenseMapEdges }

// MapLayout returns the Graphviz layout engine for the context map: "dot",
// or "circo" for a dense map, whose layered drawing would be a tangle of
// labels; its arrows' counts are then in their tooltips and in the
// coupling matrix.
func MapLayout(mp *diagram.Map) string {
	if denseMap(mp) {
		return "circo"
	}
	return "dot"
}

// ff formats a float with two decimals, deterministically.
func ff(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
