// Package markdown writes a refactoring plan as GitHub-flavoured Markdown:
// a summary, the findings, and the checklist of steps with `- [ ]` items
// and SQL blocks for the up, down and verification statements, ready to
// paste into an issue or a wiki page.
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

// Write writes p to w as Markdown.
func Write(w io.Writer, p *plan.Plan) error {
	bw := bufio.NewWriter(w)
	m := &md{w: bw}
	m.summary(p)
	m.findings(p)
	m.checklist(p)
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write plan: %w", err)
	}
	return nil
}

type md struct{ w *bufio.Writer }

func (m *md) p(format string, args ...any) {
	fmt.Fprintf(m.w, format, args...)
	m.w.WriteByte('\n')
}

func (m *md) summary(p *plan.Plan) {
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
	m.p("%d contexts, %d findings (%d high, %d medium, %d low, %d info), %d steps.",
		len(p.Contexts), len(p.Findings), counts[plan.High], counts[plan.Medium], counts[plan.Low], counts[plan.Info], len(p.Steps))
	m.p("")
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
			for _, t := range c.Shared {
				shared = append(shared, esc(t.String()))
			}
			m.p("| %s | %s | %d | %s |", name, esc(c.Namespace), len(c.Tables), strings.Join(shared, ", "))
		}
		m.p("")
	}
	if len(p.Dependencies) > 0 {
		m.p("## Dependencies")
		m.p("")
		m.p("| context | depends on | foreign keys | views | triggers | shared tables |")
		m.p("|---|---|---:|---:|---:|---:|")
		for _, d := range p.Dependencies {
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
			m.p("%d. %s", i+1, esc(c))
		}
		m.p("")
	}
}

func (m *md) findings(p *plan.Plan) {
	m.p("## Findings")
	m.p("")
	if len(p.Findings) == 0 {
		m.p("None.")
		m.p("")
		return
	}
	var last plan.Severity
	for _, f := range p.Findings {
		if f.Severity != last {
			if last != "" {
				m.p("")
			}
			m.p("### %s", strings.ToUpper(string(f.Severity[:1]))+string(f.Severity[1:]))
			m.p("")
			last = f.Severity
		}
		m.p("- **%s** %s", esc(f.Title), code(f.ID))
		var ctxs []string
		for _, c := range f.Contexts {
			ctxs = append(ctxs, esc(c))
		}
		m.p("  - kind: %s; contexts: %s", esc(string(f.Kind)), strings.Join(ctxs, ", "))
		for _, o := range f.Objects {
			if o.Location != nil {
				m.p("  - defined at %s: %s %s", code(o.Location.String()), esc(strings.ReplaceAll(o.Type, "_", " ")), esc(objectName(o)))
			}
		}
		for _, e := range f.Evidence {
			m.p("  - evidence: %s", esc(e))
		}
		m.p("  - recommended: %s", option(f.Recommendation))
		for _, a := range f.Alternatives {
			m.p("  - alternative: %s", option(a))
		}
	}
	m.p("")
}

// objectName names an object for a reader: schema.table.name for what
// belongs to a table, schema.name otherwise.
func objectName(o plan.Object) string {
	if o.Table != "" {
		return o.Schema + "." + o.Table + "." + o.Name
	}
	return o.Schema + "." + o.Name
}

func option(o plan.Option) string {
	s := "**" + esc(o.Name) + "**"
	if o.Pattern != "" {
		s += " (" + esc(o.Pattern) + ")"
	}
	s += ". " + esc(o.Description)
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
	ctx := "\x00"
	for _, s := range p.Steps {
		if s.Context != ctx {
			m.p("### %s", esc(s.Context))
			m.p("")
			ctx = s.Context
		}
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
	}
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
