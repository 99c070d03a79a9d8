package markdown_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/markdown"
)

// TestWriteSplit splits the plans of synthetic schemas of 2,000 and 10,000
// tables, and a plan with a step and a group far longer than a file: no
// file is over MaxChars, the index links to every file and every link
// leads to one, every finding and step is there once, and no file leaves
// a code block or a details element open.
func TestWriteSplit(t *testing.T) {
	plans := map[string]*plan.Plan{"huge step and group": huge()}
	for _, n := range []int{2000, 10000} {
		if n > 2000 && testing.Short() {
			continue
		}
		snap, a, err := diagramtest.SynthSnapshot(synth.Options{Tables: n, Contexts: 20, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		plans[fmt.Sprintf("%d tables", n)] = diagramtest.Analyse(t, snap, a).Plan
	}
	link := regexp.MustCompile(`\]\(([^)]+\.md)\)`)
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			files, oversize := markdown.WriteSplit(p)
			if len(oversize) > 0 {
				t.Errorf("oversize files: %v", oversize)
			}
			index, ok := files["index.md"]
			if !ok {
				t.Fatal("no index.md")
			}
			linked := map[string]bool{}
			for _, m := range link.FindAllStringSubmatch(string(index), -1) {
				linked[m[1]] = true
			}
			var all strings.Builder
			for fname, data := range files {
				text := string(data)
				if n := utf8.RuneCountInString(text); n > markdown.MaxChars {
					t.Errorf("%s: %d characters", fname, n)
				}
				if fname != "index.md" && !linked[fname] {
					t.Errorf("the index does not link to %s", fname)
				}
				for _, m := range link.FindAllStringSubmatch(text, -1) {
					if _, ok := files[m[1]]; !ok {
						t.Errorf("%s links to %s, which is not written", fname, m[1])
					}
				}
				fences := 0
				for _, l := range strings.Split(text, "\n") {
					if strings.HasPrefix(strings.TrimSpace(l), "```") {
						fences++
					}
				}
				if fences%2 != 0 {
					t.Errorf("%s leaves a code block open", fname)
				}
				if o, c := strings.Count(text, "<details>"), strings.Count(text, "</details>"); o != c {
					t.Errorf("%s opens %d details elements and closes %d", fname, o, c)
				}
				if fname != "index.md" {
					all.WriteString(text)
				}
			}
			text := all.String()
			ids, items, lines := map[string]bool{}, map[string]int{}, map[string]bool{}
			for _, m := range regexp.MustCompile("`([^`\n]+)`").FindAllStringSubmatch(text, -1) {
				ids[m[1]] = true
			}
			for _, m := range regexp.MustCompile(`(?m)^- \[ \] \*\*(\d+)\. `).FindAllStringSubmatch(text, -1) {
				items[m[1]]++
			}
			for _, l := range strings.Split(text, "\n") {
				lines[strings.TrimSpace(l)] = true
			}
			for _, f := range p.Findings {
				if !ids[f.ID] {
					t.Errorf("finding %s is in no file", f.ID)
					break
				}
			}
			for _, s := range p.Steps {
				if n := items[fmt.Sprint(s.N)]; n != 1 {
					t.Errorf("step %d is in %d places", s.N, n)
				}
				for _, st := range s.Up {
					if !strings.Contains(st, "\n") && !lines[st+";"] {
						t.Errorf("step %d: statement %q is in no file", s.N, st)
						break
					}
				}
			}
		})
	}
}

// huge is a plan whose one step moves 4,000 tables (its application work
// one line of them all) and whose one group holds 3,000 foreign keys.
func huge() *plan.Plan {
	p := &plan.Plan{Format: plan.FormatVersion, Dialect: "postgres", Contexts: []plan.ContextInfo{{Name: "a"}, {Name: "b"}}, Order: []string{"a", "b"}}
	var up, down, names []string
	for i := range 4000 {
		up = append(up, fmt.Sprintf(`ALTER TABLE "public"."table_%04d" SET SCHEMA "a"`, i))
		down = append(down, fmt.Sprintf(`ALTER TABLE "a"."table_%04d" SET SCHEMA "public"`, i))
		names = append(names, fmt.Sprintf("public.table_%04d", i))
	}
	p.Steps = []plan.Step{
		{N: 1, Slug: "move", Context: "a", Phase: plan.Expand, Title: "Move the tables of a into schema a", Why: "Because.",
			AppWork: []string{"Qualify the tables " + strings.Join(names, ", ") + "."}, Up: up, Down: down},
		{N: 2, Slug: "split", Context: "a", Phase: plan.Split, Title: "Split a", Why: "Because."},
	}
	for i := range 3000 {
		p.Findings = append(p.Findings, plan.Finding{ID: fmt.Sprintf("fk/public/table_%04d/k", i), Kind: plan.KindForeignKey, Severity: plan.Medium,
			Title: fmt.Sprintf("foreign key k of public.table_%04d references public.parent across contexts (a -> b)", i), Contexts: []string{"a", "b"},
			Objects:        []plan.Object{{Type: "foreign_key", Schema: "public", Name: "k", Table: fmt.Sprintf("table_%04d", i)}, {Type: "table", Schema: "public", Name: "parent"}},
			Recommendation: plan.Option{Name: "Check before delete through an API", Description: fmt.Sprint(i)}})
	}
	p.Groups = plan.GroupFindings(p.Findings)
	if len(p.Groups) != 1 || !slices.Equal(p.Groups[0].Contexts, []string{"a", "b"}) {
		panic("huge: want one group")
	}
	return p
}
