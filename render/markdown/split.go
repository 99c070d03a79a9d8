package markdown

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/diagram"
)

// Caps of the index's lists (WriteSplit); the JSON plan has them whole.
const (
	maxShared    = 10 // shared tables named per context
	maxDeps      = 50 // dependencies, the heaviest first
	topGroups    = 25 // the largest groups, linked to their files
	headerBudget = 1500
)

// WriteSplit returns the plan as Markdown files, by name: index.md, which
// links to all the others; the findings, findings.md then findings-2.md...;
// and the checklist, one file per run of steps of one context, in the
// order of the steps ("01-catalog.md", then "01-catalog-2.md" when it
// needs two files...). Every file holds at most MaxChars characters, save
// one that a single step (its SQL) fills by itself, or an index that the
// contexts map makes larger: oversize names such files.
func WriteSplit(p *plan.Plan) (files map[string][]byte, oversize []string) {
	l := &layout{p: p, files: map[string]string{}, groupFile: map[string]string{}, last: map[string]string{}}
	byID := findingsByID(p)
	// The findings, by severity, one unit per group.
	var units []unit
	for _, g := range p.Groups {
		units = append(units, unit{section: "## " + title(g.Severity), text: groupText(g, byID), group: g.ID})
	}
	if len(units) == 0 {
		units = append(units, unit{text: "None.\n"})
	}
	db := cmp.Or(p.Source.Database, "the database")
	parts := pack(units)
	l.findings = names("findings", len(parts))
	for i, part := range parts {
		l.write(l.findings[i], fmt.Sprintf("# Findings of the plan for %s", short(db)), l.findings, i, part)
		for _, u := range part {
			if u.group != "" {
				l.groupFile[u.group] = l.findings[i]
			}
		}
	}
	// The checklist, one file (or more) per run of steps of one context.
	rs := runs(p.Steps)
	width := len(fmt.Sprint(len(rs)))
	for i, r := range rs {
		var units []unit
		for _, s := range r.steps {
			units = append(units, unit{text: stepText(s)})
		}
		parts := pack(units)
		stem := fmt.Sprintf("%0*d-%s", max(2, width), i+1, fileName(r.context))
		fs := names(stem, len(parts))
		first, last := r.steps[0].N, r.steps[len(r.steps)-1].N
		heading := fmt.Sprintf("# Checklist %d: %s, %s", i+1, short(r.context), stepRange(first, last))
		for j, part := range parts {
			l.write(fs[j], heading, fs, j, part)
		}
		l.runs = append(l.runs, runFiles{run: r, files: fs})
	}
	var b strings.Builder
	m := &md{w: &b}
	m.summary(p, l)
	l.groupsTable(m)
	l.files["index.md"] = b.String()
	files = map[string][]byte{}
	for name, text := range l.files {
		files[name] = []byte(text)
		if utf8.RuneCountInString(text) > MaxChars {
			oversize = append(oversize, name)
		}
	}
	slices.Sort(oversize)
	return files, oversize
}

// unit is what pack never cuts: a group of findings or a step. section is
// the heading it sits under, repeated at the top of the next file.
type unit struct {
	section, text, group string
}

// pack puts units into as few parts as keep each part, its headings and a
// header of headerBudget characters within MaxChars. A unit too long for a
// part of its own is cut first (see cut).
func pack(units []unit) [][]unit {
	room := MaxChars - 2*headerBudget
	var all []unit
	for _, u := range units {
		if utf8.RuneCountInString(u.text) <= room {
			all = append(all, u)
			continue
		}
		for _, piece := range cut(u.text, room) {
			all = append(all, unit{section: u.section, text: piece, group: u.group})
		}
	}
	units = all
	var parts [][]unit
	var cur []unit
	size, section := 0, ""
	for _, u := range units {
		n := utf8.RuneCountInString(u.text)
		if u.section != section || len(cur) == 0 {
			n += utf8.RuneCountInString(u.section) + 20
		}
		if len(cur) > 0 && headerBudget+size+n > MaxChars {
			parts = append(parts, cur)
			cur, size = nil, 0
			n += utf8.RuneCountInString(u.section) + 20
		}
		cur = append(cur, u)
		size += n
		section = u.section
	}
	return append(parts, cur)
}

// cut cuts the text of a unit into pieces of at most room characters, at
// line ends. A piece that ends inside a fenced code block or a details
// element closes it, and the next one opens it again after a line that
// says it continues; a line longer than a piece is cut at spaces.
func cut(text string, room int) []string {
	const note = "*(continued)*\n\n"
	var pieces []string
	var cur strings.Builder
	size := 0
	var fence, details string // the open fence and details lines
	var lines []string
	for _, line := range strings.SplitAfter(text, "\n") {
		lines = append(lines, splitLine(line, room/2)...)
	}
	for _, line := range lines {
		n := utf8.RuneCountInString(line)
		closing := len(fence) + len(details) + 40
		if size > 0 && size+n+closing > room {
			if fence != "" {
				cur.WriteString(strings.TrimSuffix(fence, "sql\n") + "\n")
			}
			if details != "" {
				cur.WriteString("\n</details>\n")
			}
			pieces = append(pieces, cur.String())
			cur.Reset()
			cur.WriteString(note)
			if details != "" {
				cur.WriteString(details + "\n")
			}
			if fence != "" {
				cur.WriteString(fence)
			}
			size = utf8.RuneCountInString(cur.String())
		}
		cur.WriteString(line)
		size += n
		t := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(t, "<details>"):
			details = t
		case t == "</details>":
			details = ""
		case strings.HasPrefix(t, "```") && fence == "":
			fence = line
		case fence != "" && t == strings.TrimSuffix(strings.TrimSpace(fence), "sql"):
			fence = ""
		}
	}
	return append(pieces, cur.String())
}

// splitLine cuts a line longer than n characters at spaces, the later
// pieces indented as the first; a line with no space to cut at stays whole.
func splitLine(line string, n int) []string {
	if utf8.RuneCountInString(line) <= n {
		return []string{line}
	}
	indent := line[:len(line)-len(strings.TrimLeft(line, " "))]
	var out []string
	var cur strings.Builder
	for i, word := range strings.SplitAfter(strings.TrimRight(line, "\n"), " ") {
		if i > 0 && utf8.RuneCountInString(cur.String())+utf8.RuneCountInString(word) > n {
			out = append(out, strings.TrimRight(cur.String(), " ")+"\n")
			cur.Reset()
			cur.WriteString(indent + "  ")
		}
		cur.WriteString(word)
	}
	return append(out, cur.String()+"\n")
}

// names returns the file names of n parts: stem.md, stem-2.md...
func names(stem string, n int) []string {
	out := []string{stem + ".md"}
	for i := 2; i <= n; i++ {
		out = append(out, fmt.Sprintf("%s-%d.md", stem, i))
	}
	return out
}

// fileName is a context's name as a file name: its lower-case ASCII
// letters, digits and underscores, other runs as one hyphen (the files'
// numbers keep them apart).
func fileName(context string) string {
	s := strings.TrimPrefix(diagram.SlugOf("x", context), "x-")
	if i := strings.LastIndexByte(s, '-'); i >= 0 {
		s = s[:i] // the hash
	}
	return cmp.Or(s, "context")
}

func stepRange(a, b int) string {
	if a == b {
		return fmt.Sprintf("step %d", a)
	}
	return fmt.Sprintf("steps %d–%d", a, b)
}

// short escapes a name for a heading and cuts it to 100 characters.
func short(s string) string {
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return esc(s)
}

// layout is where WriteSplit puts each part of the plan.
type layout struct {
	p        *plan.Plan
	files    map[string]string
	findings []string
	runs     []runFiles
	// groupFile is the findings file of each group.
	groupFile map[string]string
	// last is the section a file ends in.
	last map[string]string
}

type runFiles struct {
	run   run
	files []string
}

// write renders one file: its heading, a line of links (the index, the
// part, the previous and next parts), then the units, each section's
// heading first (repeated, "continued", at the top of a later part).
func (l *layout) write(name, heading string, all []string, i int, units []unit) {
	var b strings.Builder
	m := &md{w: &b}
	m.p("%s", heading)
	m.p("")
	nav := []string{"[Index](index.md)"}
	if len(all) > 1 {
		nav = append(nav, fmt.Sprintf("part %d of %d", i+1, len(all)))
		if i > 0 {
			nav = append(nav, fmt.Sprintf("[previous](%s)", all[i-1]))
		}
		if i+1 < len(all) {
			nav = append(nav, fmt.Sprintf("[next](%s)", all[i+1]))
		}
	}
	m.p("%s", strings.Join(nav, " · "))
	m.p("")
	section := ""
	for j, u := range units {
		if u.section != "" && (u.section != section || j == 0) {
			h := u.section
			if j == 0 && i > 0 && u.section == l.last[all[i-1]] {
				h += " (continued)"
			}
			m.p("%s", h)
			m.p("")
		}
		section = u.section
		b.WriteString(u.text)
	}
	l.files[name] = b.String()
	l.last[name] = section
}

// index writes the list of files into the index.
func (l *layout) index(m *md) {
	m.p("This plan is split into files of at most %s characters each, to paste into GitHub issues or comments:", thousands(MaxChars))
	m.p("")
	for i, f := range l.findings {
		if i == 0 {
			m.p("- [Findings](%s): %s, by severity, with the recommendation for each group", f, plural(len(l.p.Groups), "group", "groups"))
			continue
		}
		m.p("  - [part %d](%s)", i+1, f)
	}
	m.p("- The checklist, a file per run of steps of one context:")
	for i, r := range l.runs {
		m.p("  %d. [%s](%s), %s", i+1, short(r.run.context), r.files[0], stepRange(r.run.steps[0].N, r.run.steps[len(r.run.steps)-1].N))
		for j, f := range r.files[1:] {
			m.p("     - [part %d](%s)", j+2, f)
		}
	}
	m.p("")
}

// contextLinks links a context of the extraction order to the files of
// its steps.
func (l *layout) contextLinks(c string) string {
	var links []string
	for _, r := range l.runs {
		if r.run.context == c {
			links = append(links, fmt.Sprintf("[%s](%s)", stepRange(r.run.steps[0].N, r.run.steps[len(r.run.steps)-1].N), r.files[0]))
		}
	}
	if len(links) == 0 {
		return esc(c) + ": no steps"
	}
	return esc(c) + ": " + strings.Join(links, ", ")
}

// groupsTable lists the first groups (the most severe, the largest first)
// with links to the files that hold them.
func (l *layout) groupsTable(m *md) {
	if len(l.p.Groups) == 0 {
		return
	}
	gs := l.p.Groups[:min(len(l.p.Groups), topGroups)]
	m.p("## The largest groups of findings")
	m.p("")
	if len(gs) < len(l.p.Groups) {
		m.p("The first %d of %d groups, the most severe first; [the findings](%s) list them all.", len(gs), len(l.p.Groups), l.findings[0])
		m.p("")
	}
	m.p("| severity | group | findings | recommended |")
	m.p("|---|---|---:|---|")
	for _, g := range gs {
		m.p("| %s | [%s](%s) | %d | %s |", g.Severity, esc(g.Title), l.groupFile[g.ID], g.Count, esc(g.Recommendation.Name))
	}
	m.p("")
}

// heaviest returns the n dependencies of the greatest weight, in their
// order.
func heaviest(deps []plan.Dependency, n int) []plan.Dependency {
	idx := make([]int, len(deps))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return deps[b].Weight() - deps[a].Weight() })
	idx = idx[:n]
	slices.Sort(idx)
	out := make([]plan.Dependency, n)
	for i, j := range idx {
		out[i] = deps[j]
	}
	return out
}

// thousands writes n with a comma between thousands: 60,000.
func thousands(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return thousands(n/1000) + fmt.Sprintf(",%03d", n%1000)
}

// plural writes "1 group" or "3 groups".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
