// Package text writes a refactoring plan for the terminal, in 100 columns.
// The default summary fits a screen or two at any size (at most MaxLines
// lines): the contexts, the coupling between them, the largest groups of
// findings (see plan.Group) with their recommendation, and the extraction
// order. The detail lists every context, dependency, group and finding.
// The summary is the default output of `seams plan`, the detail that of
// `seams plan --detail`.
package text

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/seamsdev/seams/internal/termsafe"
	"github.com/seamsdev/seams/plan"
)

// Width is the width the summary is laid out for.
const Width = 100

// MaxLines is the most lines the summary takes, whatever the plan's size.
const MaxLines = 150

// Caps of the summary's lists; the detail lists everything.
const (
	maxContexts = 20
	maxDeps     = 10
	maxOrder    = 20
	maxWarnings = 3
	maxCycles   = 3 // lines of cycles under the matrix
	topTables   = 3 // tables named under a group
)

// Write writes the summary of p to w: at most MaxLines lines.
func Write(w io.Writer, p *plan.Plan) error { return write(w, p, false) }

// WriteDetail writes the whole plan to w: every group with its findings.
func WriteDetail(w io.Writer, p *plan.Plan) error { return write(w, p, true) }

func write(w io.Writer, p *plan.Plan, detail bool) error {
	head := &lines{}
	head.header(p)
	head.contexts(p, detail)
	head.coupling(p, detail)
	tail := &lines{}
	tail.order(p, detail)
	tail.warnings(p, detail)
	body := &lines{}
	body.groups(p, detail, MaxLines-len(head.l)-len(tail.l))
	var b strings.Builder
	for _, part := range [][]string{head.l, body.l, tail.l} {
		for _, l := range part {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

// lines collects a section's lines.
type lines struct{ l []string }

// out writes lines as they come: the reports of check and diff, which
// have no line budget.
type out struct{ w *bufio.Writer }

func (o *out) line(format string, args ...any) {
	fmt.Fprintf(o.w, format, args...)
	o.w.WriteByte('\n')
}

// wrap writes text wrapped at Width (see wrapped).
func (o *out) wrap(first string, indent int, text string) {
	for _, l := range wrapped(first, indent, text) {
		o.w.WriteString(l)
		o.w.WriteByte('\n')
	}
}

func (o *lines) line(format string, args ...any) {
	o.l = append(o.l, fmt.Sprintf(format, args...))
}

// wrap adds text wrapped at Width, the first line after first, the
// others indented by indent spaces.
func (o *lines) wrap(first string, indent int, text string) {
	o.l = append(o.l, wrapped(first, indent, text)...)
}

// wrapped returns text wrapped at Width, the first line after first, the
// others indented by indent spaces.
func wrapped(first string, indent int, text string) []string {
	pad := strings.Repeat(" ", indent)
	var out []string
	var cur strings.Builder
	cur.WriteString(first)
	lineW := width(first)
	startOfLine := true
	var words []string
	for _, word := range strings.Fields(text) {
		// A name longer than a line is cut into pieces that fit.
		for room := Width - indent; width(word) > room; {
			r := []rune(word)
			words = append(words, string(r[:room]))
			word = string(r[room:])
		}
		words = append(words, word)
	}
	for _, word := range words {
		ww := width(word)
		if !startOfLine && lineW+1+ww > Width {
			out = append(out, cur.String())
			cur.Reset()
			cur.WriteString(pad)
			lineW = indent
			startOfLine = true
		}
		if !startOfLine {
			cur.WriteByte(' ')
			lineW++
		}
		cur.WriteString(word)
		lineW += ww
		startOfLine = false
	}
	return append(out, cur.String())
}

func (o *lines) header(p *plan.Plan) {
	counts := map[plan.Severity]int{}
	for _, f := range p.Findings {
		counts[f.Severity]++
	}
	db := clean(p.Source.Database)
	if db == "" {
		db = "database"
	}
	o.line("seams plan for %s (%s): %d contexts, %d findings in %s, %d steps", short(db, 40), short(string(p.Dialect), 10), len(p.Contexts), len(p.Findings), plural(len(p.Groups), "group", "groups"), len(p.Steps))
	o.line("findings: %d high, %d medium, %d low, %d info", counts[plan.High], counts[plan.Medium], counts[plan.Low], counts[plan.Info])
}

func (o *lines) contexts(p *plan.Plan, detail bool) {
	o.line("")
	o.line("CONTEXTS")
	if len(p.Contexts) == 0 {
		o.line("  none: the contexts map names no context")
		return
	}
	shown := p.Contexts
	if !detail && len(shown) > maxContexts {
		shown = shown[:maxContexts]
	}
	nameW := 0
	for _, c := range shown {
		nameW = max(nameW, width(short(c.Name, 30)))
	}
	for _, c := range shown {
		n := plural(len(c.Tables), "table", "tables")
		if len(c.Shared) > 0 {
			n += fmt.Sprintf(" (%d shared)", len(c.Shared))
		}
		note := "-> " + short(c.Namespace, 40)
		if c.Proposed {
			note += "  proposed: owns shared mutable data"
		}
		o.line("  %s  %-20s %s", pad(short(c.Name, 30), nameW), n, note)
	}
	if more := len(p.Contexts) - len(shown); more > 0 {
		o.line("  and %d more contexts (seams plan --detail lists them)", more)
	}
	if len(p.Unassigned) > 0 {
		o.line("  %d tables in no context (see the info findings)", len(p.Unassigned))
	}
}

// coupling writes the context x context coupling counts as a matrix (row
// depends on column) when it fits the width, else as a list of the
// dependencies, the heaviest first.
func (o *lines) coupling(p *plan.Plan, detail bool) {
	if len(p.Dependencies) == 0 {
		return
	}
	idx := map[string]int{}
	for i, c := range p.Contexts {
		idx[c.Name] = i
	}
	n := len(p.Contexts)
	cell := make([][]int, n)
	for i := range cell {
		cell[i] = make([]int, n)
	}
	for _, d := range p.Dependencies {
		cell[idx[d.From]][idx[d.To]] += d.Weight()
	}
	colW := 4
	for _, row := range cell {
		for _, v := range row {
			colW = max(colW, len(fmt.Sprint(v))+1)
		}
	}
	const minName = 8
	o.line("")
	if 6+minName+n*colW > Width {
		o.dependencies(p, detail)
	} else {
		o.matrix(p, cell, colW, min(24, Width-6-n*colW))
	}
	var cyc []string
	for _, cy := range p.Cycles {
		cyc = append(cyc, wrapped("  cycle: ", 9, clean(strings.Join(cy, " <-> ")))...)
	}
	if !detail && len(cyc) > maxCycles {
		cyc = append(cyc[:maxCycles-1], "         ... (seams plan --detail shows the cycles whole)")
	}
	o.l = append(o.l, cyc...)
}

func (o *lines) matrix(p *plan.Plan, cell [][]int, colW, nameW int) {
	o.line("COUPLING (row depends on column: keys + inferred references + views + triggers + shared tables)")
	var h strings.Builder
	h.WriteString(strings.Repeat(" ", nameW+6))
	for i := range p.Contexts {
		fmt.Fprintf(&h, "%*d", colW, i+1)
	}
	o.line("%s", strings.TrimRight(h.String(), " "))
	for i, c := range p.Contexts {
		var r strings.Builder
		fmt.Fprintf(&r, "  %2d  %s", i+1, pad(short(c.Name, nameW), nameW))
		for j := range p.Contexts {
			switch {
			case i == j:
				fmt.Fprintf(&r, "%*s", colW, "-")
			case cell[i][j] == 0:
				fmt.Fprintf(&r, "%*s", colW, ".")
			default:
				fmt.Fprintf(&r, "%*d", colW, cell[i][j])
			}
		}
		o.line("%s", r.String())
	}
}

// dependencies lists the edges of the dependency graph, the heaviest
// first: all of them in the detail, the first maxDeps in the summary.
func (o *lines) dependencies(p *plan.Plan, detail bool) {
	deps := slices.Clone(p.Dependencies)
	slices.SortStableFunc(deps, func(a, b plan.Dependency) int { return cmp.Compare(b.Weight(), a.Weight()) })
	if detail {
		o.line("COUPLING (%d dependencies, the heaviest first)", len(deps))
	} else {
		deps = deps[:min(len(deps), maxDeps)]
		o.line("COUPLING (the %d heaviest of %d dependencies)", len(deps), len(p.Dependencies))
	}
	o.line("  from -> to  weight (keys, inferred references, views, triggers, shared tables)")
	for _, d := range deps {
		o.line("  %s -> %s  %d  (%d, %d, %d, %d, %d)", short(d.From, 30), short(d.To, 30), d.Weight(), d.ForeignKeys, d.Inferred, d.Views, d.Triggers, d.SharedTables)
	}
}

// groups writes the groups of findings by severity: in the summary the
// largest that fit in budget lines, in the detail all of them with their
// findings under the tables they hang on.
func (o *lines) groups(p *plan.Plan, detail bool, budget int) {
	if len(p.Findings) == 0 {
		o.line("")
		o.line("FINDINGS: none")
		return
	}
	bySev := map[plan.Severity][2]int{} // findings, groups
	for _, g := range p.Groups {
		c := bySev[g.Severity]
		bySev[g.Severity] = [2]int{c[0] + g.Count, c[1] + 1}
	}
	titles := map[string]string{}
	if detail {
		for _, f := range p.Findings {
			titles[f.ID] = f.Title
		}
	}
	// The summary keeps two lines for the note on what it leaves out.
	budget -= 2
	var last plan.Severity
	shown, shownFindings := 0, 0
	for _, g := range p.Groups {
		var l []string
		if g.Severity != last {
			c := bySev[g.Severity]
			l = append(l, "", fmt.Sprintf("%s: %s in %s", strings.ToUpper(string(g.Severity)),
				plural(c[0], "finding", "findings"), plural(c[1], "group", "groups")))
		}
		l = append(l, groupLines(g, detail, titles)...)
		if !detail && len(o.l)+len(l) > budget {
			break
		}
		last = g.Severity
		o.l = append(o.l, l...)
		shown++
		shownFindings += g.Count
	}
	if more := len(p.Groups) - shown; more > 0 {
		o.line("")
		o.wrap("", 0, fmt.Sprintf("... and %s (%s): seams plan --detail lists every group and finding.",
			plural(more, "more group", "more groups"), plural(len(p.Findings)-shownFindings, "finding", "findings")))
	}
}

// groupLines writes a group: its title and kind, its recommendation, and
// the tables it hangs on (the first few in the summary; every one with its
// findings in the detail).
func groupLines(g plan.Group, detail bool, titles map[string]string) []string {
	var l []string
	l = append(l, wrapped("  * ", 4, clean(g.Title)+" ["+string(g.Kind)+"]")...)
	rec := g.Recommendation.Name
	if g.Recommendation.Pattern != "" {
		rec += " (" + g.Recommendation.Pattern + ")"
	}
	l = append(l, wrapped("    -> ", 7, clean(rec))...)
	if g.Count == 1 {
		return l
	}
	if detail {
		for _, t := range g.Tables {
			l = append(l, wrapped("    ", 4, fmt.Sprintf("%s (%d):", clean(t.Table.String()), len(t.FindingIDs)))...)
			for _, id := range t.FindingIDs {
				l = append(l, wrapped("      - ", 8, clean(titles[id]))...)
			}
		}
		var loose []string
		for _, id := range g.FindingIDs {
			if !slices.ContainsFunc(g.Tables, func(t plan.GroupTable) bool { return slices.Contains(t.FindingIDs, id) }) {
				loose = append(loose, id)
			}
		}
		for _, id := range loose {
			l = append(l, wrapped("      - ", 8, clean(titles[id]))...)
		}
		return l
	}
	var on []string
	for _, t := range g.Tables[:min(len(g.Tables), topTables)] {
		on = append(on, fmt.Sprintf("%s (%d)", short(t.Table.String(), 40), len(t.FindingIDs)))
	}
	if more := len(g.Tables) - len(on); more > 0 {
		on = append(on, plural(more, "more table", "more tables"))
	}
	if len(on) > 0 {
		l = append(l, wrapped("    on ", 7, strings.Join(on, ", "))...)
	}
	return l
}

func (o *lines) order(p *plan.Plan, detail bool) {
	if len(p.Order) == 0 {
		return
	}
	o.line("")
	o.line("EXTRACTION ORDER (least depended on first)")
	first := map[string][2]int{}
	var before []int
	seen := map[string]bool{}
	for _, s := range p.Steps {
		if !seen[s.Context] && s.Phase == plan.Migrate && len(first) == 0 && slices.ContainsFunc(s.FindingIDs, func(id string) bool { return strings.HasPrefix(id, "cycle/") }) {
			before = append(before, s.N)
			continue
		}
		seen[s.Context] = true
		r, ok := first[s.Context]
		if !ok {
			r = [2]int{s.N, s.N}
		}
		r[1] = s.N
		first[s.Context] = r
	}
	if len(before) > 0 {
		o.wrap("   0. ", 6, fmt.Sprintf("break the cycles: %s", stepRange(before[0], before[len(before)-1])))
	}
	shown := p.Order
	if !detail && len(shown) > maxOrder {
		shown = shown[:maxOrder]
	}
	nameW := 0
	for _, c := range shown {
		nameW = max(nameW, width(short(c, 40)))
	}
	for i, c := range shown {
		r, ok := first[c]
		what := "no steps"
		if ok {
			what = stepRange(r[0], r[1])
		}
		o.wrap(fmt.Sprintf("  %2d. %s  ", i+1, pad(short(c, 40), nameW)), 6, what)
	}
	if more := len(p.Order) - len(shown); more > 0 {
		o.line("  ... and %d more (seams plan --detail)", more)
	}
	o.line("")
	o.line("The checklist with SQL: seams plan --format markdown (or --sql-dir DIR for migration files).")
}

func stepRange(a, b int) string {
	if a == b {
		return fmt.Sprintf("step %d", a)
	}
	return fmt.Sprintf("steps %d-%d", a, b)
}

func (o *lines) warnings(p *plan.Plan, detail bool) {
	if len(p.Warnings) == 0 {
		return
	}
	o.line("")
	o.line("WARNINGS")
	shown := p.Warnings
	if !detail && len(shown) > maxWarnings {
		shown = shown[:maxWarnings]
	}
	for _, w := range shown {
		l := wrapped("  ! ", 4, clean(w))
		if !detail && len(l) > 2 {
			// Two lines of each warning; the detail has them whole.
			second := []rune(l[1])
			l = []string{l[0], string(second[:min(len(second), Width-4)]) + " ..."}
		}
		o.l = append(o.l, l...)
	}
	if more := len(p.Warnings) - len(shown); more > 0 {
		o.line("  ... and %d more warnings (seams plan --detail)", more)
	}
}

// plural writes "1 table" or "3 tables".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// clean makes a database name safe for a terminal.
func clean(s string) string { return termsafe.String(s) }

// short cleans s and cuts it to n columns, ending with "~" when cut.
func short(s string, n int) string {
	s = clean(s)
	if width(s) <= n {
		return s
	}
	var b strings.Builder
	w := 0
	for _, r := range s {
		if w+1 >= n {
			break
		}
		b.WriteRune(r)
		w++
	}
	return b.String() + "~"
}

// width counts runes: a fair measure for names in a terminal.
func width(s string) int { return utf8.RuneCountInString(s) }

func pad(s string, n int) string {
	if w := width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
