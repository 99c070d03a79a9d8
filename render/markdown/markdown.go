// Package markdown writes a refactoring plan as GitHub-flavoured Markdown:
// a summary, the findings rolled up in groups (see plan.Group), and the
// checklist of steps with `- [ ]` items and SQL blocks for the up, down and
// verification statements, ready to paste into an issue or a wiki page.
//
// GitHub takes at most 65,536 characters in an issue or a comment: Write
// writes one document of any size, WriteSplit an index and files of at
// most MaxChars characters each, linked from it.
//
// Every name that comes from the database is escaped: it cannot open a
// link, an emphasis, an HTML tag or a table cell, and it cannot close a
// code block.
package markdown

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/seamsdev/seams/internal/termsafe"
	"github.com/seamsdev/seams/plan"
)

// MaxChars is the most characters a file that WriteSplit writes holds, and
// the size above which a single document is too long to paste into a
// GitHub issue or comment (65,536 characters, with room for a note).
const MaxChars = 60000

// Write writes p to w as one Markdown document.
func Write(w io.Writer, p *plan.Plan) error {
	bw := bufio.NewWriter(w)
	m := &md{w: bw}
	m.summary(p, nil)
	m.findings(p)
	m.checklist(p)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

type md struct{ w io.StringWriter }

func (m *md) p(format string, args ...any) {
	m.w.WriteString(fmt.Sprintf(format, args...) + "\n")
}

// summary writes the title, the counts, the contexts, the dependencies and
// the extraction order. With files (WriteSplit), each context of the order
// links to the files of its steps and long tables are cut.
func (m *md) summary(p *plan.Plan, files *layout) {
	db := p.Source.Database
	if db == "" {
		db = "the database"
	}
	m.p("# Refactoring plan for %s (%s)", esc(db), esc(string(p.Dialect)))
	m.p("")
	counts := map[plan.Severity]int{}
	for _, f := range p.Findings {
		counts[f.Severity]++
	}
	m.p("%d contexts, %d findings (%d high, %d medium, %d low, %d info) in %s, %d steps.",
		len(p.Contexts), len(p.Findings), counts[plan.High], counts[plan.Medium], counts[plan.Low], counts[plan.Info],
		plural(len(p.Groups), "group", "groups"), len(p.Steps))
	m.p("")
	if files != nil {
		files.index(m)
	}
	if len(p.Contexts) > 0 {
		m.p("## Contexts")
		m.p("")
		m.p("| context | moves to | tables | shared with others |")
		m.p("|---|---|---|---|")
		for _, c := range p.Contexts {
			name := esc(c.Name)
			if c.Proposed {
				name += " (proposed)"
			}
			var shared []string
			for i, t := range c.Shared {
				if files != nil && i == maxShared {
					shared = append(shared, fmt.Sprintf("and %d more", len(c.Shared)-i))
					break
				}
				shared = append(shared, esc(t.String()))
			}
			m.p("| %s | %s | %d | %s |", name, esc(c.Namespace), len(c.Tables), strings.Join(shared, ", "))
		}
		m.p("")
	}
	if len(p.Dependencies) > 0 {
		deps := p.Dependencies
		m.p("## Dependencies")
		m.p("")
		if files != nil && len(deps) > maxDeps {
			deps = heaviest(deps, maxDeps)
			m.p("The %d heaviest of %d dependencies; the JSON plan (`--format json`) has them all.", maxDeps, len(p.Dependencies))
			m.p("")
		}
		m.p("| context | depends on | foreign keys | views | triggers | shared tables |")
		m.p("|---|---|---:|---:|---:|---:|")
		for _, d := range deps {
			m.p("| %s | %s | %d | %d | %d | %d |", esc(d.From), esc(d.To), d.ForeignKeys, d.Views, d.Triggers, d.SharedTables)
		}
		m.p("")
		for _, cy := range p.Cycles {
			var names []string
			for _, c := range cy {
				names = append(names, esc(c))
			}
			m.p("Cycle: %s.", strings.Join(names, " ⇄ "))
			m.p("")
		}
	}
	if len(p.Order) > 0 {
		m.p("## Extraction order")
		m.p("")
		for i, c := range p.Order {
			if files != nil {
				m.p("%d. %s", i+1, files.contextLinks(c))
				continue
			}
			m.p("%d. %s", i+1, esc(c))
		}
		m.p("")
	}
}

// findings writes every group, by severity.
func (m *md) findings(p *plan.Plan) {
	m.p("## Findings")
	m.p("")
	if len(p.Findings) == 0 {
		m.p("None.")
		m.p("")
		return
	}
	m.p("%d findings in %s: the findings of one kind between the same contexts that share a recommendation are one group, listed under the tables they hang on.",
		len(p.Findings), plural(len(p.Groups), "group", "groups"))
	m.p("")
	byID := findingsByID(p)
	var last plan.Severity
	for _, g := range p.Groups {
		if g.Severity != last {
			m.p("### %s", title(g.Severity))
			m.p("")
			last = g.Severity
		}
		m.w.WriteString(groupText(g, byID))
	}
}

func title(s plan.Severity) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

func findingsByID(p *plan.Plan) map[string]*plan.Finding {
	out := make(map[string]*plan.Finding, len(p.Findings))
	for i := range p.Findings {
		out[p.Findings[i].ID] = &p.Findings[i]
	}
	return out
}

// detailsAbove is the number of findings above which a group's list is
// folded (an HTML details element, which GitHub shows closed).
const detailsAbove = 10

// groupText writes one group: a heading, its ID and kind, its
// recommendation and its findings under their tables. A group of one is
// its finding whole: evidence, recommendation and alternatives.
func groupText(g plan.Group, byID map[string]*plan.Finding) string {
	var b strings.Builder
	m := &md{w: &b}
	m.p("#### %s", esc(g.Title))
	m.p("")
	var ctxs []string
	for _, c := range g.Contexts {
		ctxs = append(ctxs, esc(c))
	}
	if g.Count == 1 {
		f := byID[g.FindingIDs[0]]
		m.p("%s · kind %s · contexts %s", code(f.ID), esc(string(f.Kind)), strings.Join(ctxs, ", "))
		m.p("")
		for _, o := range f.Objects {
			if o.Location != nil {
				m.p("- defined at %s: %s %s", code(o.Location.String()), esc(strings.ReplaceAll(o.Type, "_", " ")), esc(objectName(o)))
			}
		}
		for _, e := range f.Evidence {
			m.p("- evidence: %s", esc(e))
		}
		m.p("- recommended: %s", option(f.Recommendation))
		for _, a := range f.Alternatives {
			m.p("- alternative: %s", option(a))
		}
		m.p("")
		return b.String()
	}
	m.p("%s · %d findings · kind %s · contexts %s", code(g.ID), g.Count, esc(string(g.Kind)), strings.Join(ctxs, ", "))
	m.p("")
	m.p("Recommended for each: %s", option(g.Recommendation))
	m.p("")
	folded := g.Count > detailsAbove
	if folded {
		m.p("<details><summary>The %d findings</summary>", g.Count)
		m.p("")
	}
	listed := map[string]bool{}
	for _, t := range g.Tables {
		m.p("- on %s (%d):", esc(t.Table.String()), len(t.FindingIDs))
		for _, id := range t.FindingIDs {
			listed[id] = true
			m.p("  - %s %s%s", esc(byID[id].Title), code(id), definedAt(byID[id]))
		}
	}
	for _, id := range g.FindingIDs {
		if !listed[id] {
			m.p("- %s %s%s", esc(byID[id].Title), code(id), definedAt(byID[id]))
		}
	}
	m.p("")
	if folded {
		m.p("</details>")
		m.p("")
	}
	return b.String()
}

// objectName names an object for a reader: schema.table.name for what
// belongs to a table, schema.name otherwise.
func objectName(o plan.Object) string {
	if o.Table != "" {
		return o.Schema + "." + o.Table + "." + o.Name
	}
	return o.Schema + "." + o.Name
}

// definedAt says where the first object of f that a DDL file defines is
// defined: " (defined at `file:line`)", or nothing.
func definedAt(f *plan.Finding) string {
	for _, o := range f.Objects {
		if o.Location != nil {
			return " (defined at " + code(o.Location.String()) + ")"
		}
	}
	return ""
}

func option(o plan.Option) string {
	s := "**" + esc(o.Name) + "**"
	if o.Pattern != "" {
		s += " (" + esc(o.Pattern) + ")"
	}
	s += "."
	if o.Description != "" {
		s += " " + esc(o.Description)
	}
	if o.TradeOffs != "" {
		s += " *Trade-offs:* " + esc(o.TradeOffs)
	}
	return s
}

func (m *md) checklist(p *plan.Plan) {
	m.p("## Checklist")
	m.p("")
	if len(p.Steps) == 0 {
		m.p("Nothing to do.")
		return
	}
	for _, r := range runs(p.Steps) {
		m.p("### %s", esc(r.context))
		m.p("")
		for _, s := range r.steps {
			m.w.WriteString(stepText(s))
		}
	}
}

// run is a run of consecutive steps of one context: a section of the
// checklist.
type run struct {
	context string
	steps   []plan.Step
}

func runs(steps []plan.Step) []run {
	var out []run
	for _, s := range steps {
		if len(out) == 0 || out[len(out)-1].context != s.Context {
			out = append(out, run{context: s.Context})
		}
		out[len(out)-1].steps = append(out[len(out)-1].steps, s)
	}
	return out
}

// stepText writes one checklist item: what and why, the application work,
// the notes, the SQL to apply and roll back, the checks and the findings it
// resolves.
func stepText(s plan.Step) string {
	var b strings.Builder
	m := &md{w: &b}
	m.p("- [ ] **%d. %s** (%s)", s.N, esc(s.Title), esc(string(s.Phase)))
	m.p("")
	m.p("  %s", lead(esc(s.Why)))
	m.p("")
	if len(s.AppWork) > 0 {
		m.p("  Application work:")
		m.p("")
		for _, a := range s.AppWork {
			m.p("  - %s", esc(a))
		}
		m.p("")
	}
	for _, n := range s.Notes {
		m.p("  > Note: %s", esc(n))
		m.p("")
	}
	if len(s.Up) > 0 {
		m.p("  Apply:")
		m.p("")
		m.sql(s.Up)
		m.p("  Roll back:")
		m.p("")
		m.sql(s.Down)
	}
	for _, v := range s.Verify {
		m.p("  Verify (expect %s):", esc(v.Expect))
		m.p("")
		m.sql([]string{v.Query})
	}
	if len(s.FindingIDs) > 0 {
		var ids []string
		for _, id := range s.FindingIDs {
			ids = append(ids, code(id))
		}
		m.p("  Resolves %s.", strings.Join(ids, ", "))
		m.p("")
	}
	return b.String()
}

// sql writes statements in a fenced block inside a list item. The fence is
// longer than any run of backticks in the statements, so no quoted name
// can close it.
//
// A statement holding a control or direction character (a MySQL name can,
// and MySQL has no way to spell one in printable SQL) is shown with the
// character escaped (\x0d), never raw, and a note says where the exact
// statement is.
func (m *md) sql(stmts []string) {
	body := strings.Join(stmts, ";\n\n") + ";"
	shown := termsafe.Lines(body)
	fence := strings.Repeat("`", max(3, longestRun(shown, '`')+1))
	m.p("  %ssql", fence)
	for _, line := range strings.Split(shown, "\n") {
		if line == "" {
			m.p("")
			continue
		}
		m.p("  %s", line)
	}
	m.p("  %s", fence)
	m.p("")
	if shown != body {
		m.p("  > These statements name something that holds control or direction characters, shown escaped (as \\x0d, \\u202e): take the exact statements from `seams plan --sql-dir` or `--format json`.")
		m.p("")
	}
}

func longestRun(s string, c byte) int {
	best, n := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// code writes s as an inline code span that no backtick in s can close.
func code(s string) string {
	s = oneLine(s)
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.Contains(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// esc escapes text for Markdown: every character that could start
// emphasis, a link, an image, HTML, a table cell, math, a mention or a
// heading is backslash-escaped, and line breaks become spaces.
func esc(s string) string {
	s = oneLine(s)
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_{}[]<>#!|~&$@", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lead escapes what would make text at the start of a line a list item, a
// heading underline or a numbered item.
func lead(s string) string {
	if s != "" && strings.ContainsRune("-+=", rune(s[0])) {
		return "\\" + s
	}
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + "\\" + s[i:]
	}
	return s
}

// oneLine turns line breaks into spaces and shows every other control or
// direction character escaped (see termsafe.Lines).
func oneLine(s string) string {
	return termsafe.Lines(strings.NewReplacer("\r\n", " ", "\n", " ").Replace(s))
}
