// Package text writes a refactoring plan as a terminal summary that reads
// well in 100 columns: the contexts, the coupling matrix, the findings by
// severity and the extraction order. It is the default output of
// `seams plan`.
package text

import (
	"bufio"
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

// Write writes the summary of p to w.
func Write(w io.Writer, p *plan.Plan) error {
	bw := bufio.NewWriter(w)
	o := &out{w: bw}
	o.header(p)
	o.contexts(p)
	o.matrix(p)
	o.findings(p)
	o.order(p)
	o.tail(p)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

type out struct{ w *bufio.Writer }

func (o *out) line(format string, args ...any) {
	fmt.Fprintf(o.w, format, args...)
	o.w.WriteByte('\n')
}

// wrap writes text wrapped at Width, the first line after first, the
// others indented by indent spaces.
func (o *out) wrap(first string, indent int, text string) {
	pad := strings.Repeat(" ", indent)
	lineW := width(first)
	o.w.WriteString(first)
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
			o.w.WriteString("\n" + pad)
			lineW = indent
			startOfLine = true
		}
		if !startOfLine {
			o.w.WriteByte(' ')
			lineW++
		}
		o.w.WriteString(word)
		lineW += ww
		startOfLine = false
	}
	o.w.WriteByte('\n')
}

func (o *out) header(p *plan.Plan) {
	counts := map[plan.Severity]int{}
	for _, f := range p.Findings {
		counts[f.Severity]++
	}
	db := clean(p.Source.Database)
	if db == "" {
		db = "database"
	}
	o.line("seams plan for %s (%s): %d contexts, %d findings, %d steps", db, clean(string(p.Dialect)), len(p.Contexts), len(p.Findings), len(p.Steps))
	o.line("findings: %d high, %d medium, %d low, %d info", counts[plan.High], counts[plan.Medium], counts[plan.Low], counts[plan.Info])
}

func (o *out) contexts(p *plan.Plan) {
	o.line("")
	o.line("CONTEXTS")
	if len(p.Contexts) == 0 {
		o.line("  none: the contexts map names no context")
		return
	}
	nameW := 0
	for _, c := range p.Contexts {
		nameW = max(nameW, width(short(c.Name, 30)))
	}
	for _, c := range p.Contexts {
		n := fmt.Sprintf("%d tables", len(c.Tables))
		if len(c.Tables) == 1 {
			n = "1 table"
		}
		if len(c.Shared) > 0 {
			n += fmt.Sprintf(" (%d shared)", len(c.Shared))
		}
		note := "-> " + short(c.Namespace, 40)
		if c.Proposed {
			note += "  proposed: owns shared mutable data"
		}
		o.line("  %s  %-20s %s", pad(short(c.Name, 30), nameW), n, note)
	}
	if len(p.Unassigned) > 0 {
		o.line("  %d tables in no context (see the info findings)", len(p.Unassigned))
	}
}

// matrix writes the context x context coupling counts: row depends on
// column. Columns are numbered to fit many contexts in 100 columns.
func (o *out) matrix(p *plan.Plan) {
	if len(p.Dependencies) == 0 {
		return
	}
	o.line("")
	o.line("COUPLING (row depends on column: keys + inferred references + views + triggers + shared tables)")
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
	nameW := min(24, Width-6-n*colW)
	nameW = max(nameW, 8)
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
	for _, cy := range p.Cycles {
		o.wrap("  cycle: ", 9, clean(strings.Join(cy, " <-> ")))
	}
}

func (o *out) findings(p *plan.Plan) {
	if len(p.Findings) == 0 {
		o.line("")
		o.line("FINDINGS: none")
		return
	}
	var last plan.Severity
	for _, f := range p.Findings {
		if f.Severity != last {
			o.line("")
			o.line("%s", strings.ToUpper(string(f.Severity)))
			last = f.Severity
		}
		o.wrap("  * ", 4, clean(f.Title)+" ["+string(f.Kind)+"]")
		rec := f.Recommendation.Name
		if f.Recommendation.Pattern != "" {
			rec += " (" + f.Recommendation.Pattern + ")"
		}
		o.wrap("    -> ", 7, clean(rec))
	}
}

func (o *out) order(p *plan.Plan) {
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
	nameW := 0
	for _, c := range p.Order {
		nameW = max(nameW, width(short(c, 40)))
	}
	for i, c := range p.Order {
		r, ok := first[c]
		what := "no steps"
		if ok {
			what = stepRange(r[0], r[1])
		}
		o.wrap(fmt.Sprintf("  %2d. %s  ", i+1, pad(short(c, 40), nameW)), 6, what)
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

func (o *out) tail(p *plan.Plan) {
	if len(p.Warnings) == 0 {
		return
	}
	o.line("")
	o.line("WARNINGS")
	for _, w := range p.Warnings {
		o.wrap("  ! ", 4, clean(w))
	}
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
