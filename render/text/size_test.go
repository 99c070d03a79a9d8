package text_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/text"
)

// TestSummaryFitsAtAnySize plans synthetic schemas of 500 to 10,000 tables
// in 5 to 60 contexts, and a plan made to overflow every list: the summary
// is at most MaxLines lines of at most Width columns, and the detail
// names every finding.
func TestSummaryFitsAtAnySize(t *testing.T) {
	plans := map[string]*plan.Plan{"overflowing": overflowing()}
	for _, size := range []struct{ tables, contexts int }{{500, 5}, {2000, 20}, {2000, 60}, {10000, 20}} {
		if size.tables > 2000 && testing.Short() {
			continue
		}
		snap, a, err := diagramtest.SynthSnapshot(synth.Options{Tables: size.tables, Contexts: size.contexts, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		plans[fmt.Sprintf("%d tables, %d contexts", size.tables, size.contexts)] = diagramtest.Analyse(t, snap, a).Plan
	}
	for name, p := range plans {
		t.Run(name, func(t *testing.T) {
			var sum, detail bytes.Buffer
			if err := text.Write(&sum, p); err != nil {
				t.Fatal(err)
			}
			if err := text.WriteDetail(&detail, p); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(sum.String(), "\n"), "\n")
			if len(lines) > text.MaxLines {
				t.Errorf("the summary has %d lines, more than %d", len(lines), text.MaxLines)
			}
			for i, l := range append(lines, strings.Split(detail.String(), "\n")...) {
				if utf8.RuneCountInString(l) > text.Width {
					t.Errorf("line %d is wider than %d columns: %q", i+1, text.Width, l)
				}
			}
			for _, want := range []string{"CONTEXTS", "COUPLING", "EXTRACTION ORDER", strings.ToUpper(string(p.Groups[0].Severity)) + ":", p.Groups[0].Recommendation.Name} {
				if !strings.Contains(sum.String(), want) {
					t.Errorf("the summary lacks %q", want)
				}
			}
			if len(p.Groups) > 30 && !strings.Contains(sum.String(), "seams plan --detail lists every group and finding") {
				t.Error("the summary does not say where the other groups are")
			}
			flat := strings.Join(strings.Fields(detail.String()), " ")
			for _, f := range p.Findings {
				if !strings.Contains(flat, strings.Join(strings.Fields(f.Title), " ")) {
					t.Errorf("the detail lacks finding %s", f.ID)
					break
				}
			}
			for _, c := range p.Order {
				if !strings.Contains(flat, ". "+c+" ") {
					t.Errorf("the detail's extraction order lacks %s", c)
				}
			}
		})
	}
}

// overflowing is a plan larger than every list of the summary: 150
// contexts in one cycle, 3,000 findings in many groups, long warnings.
func overflowing() *plan.Plan {
	p := &plan.Plan{Format: plan.FormatVersion, Dialect: "postgres"}
	var names []string
	for i := range 150 {
		c := fmt.Sprintf("context_with_a_long_name_%03d", i)
		names = append(names, c)
		p.Contexts = append(p.Contexts, plan.ContextInfo{Name: c, Namespace: c})
	}
	for i, c := range names {
		p.Dependencies = append(p.Dependencies, plan.Dependency{From: c, To: names[(i+1)%len(names)], ForeignKeys: i + 1})
	}
	p.Cycles = [][]string{names}
	p.Order = names
	for i := range 3000 {
		from, to := names[i%150], names[(i*7+1)%150]
		p.Findings = append(p.Findings, plan.Finding{
			ID: fmt.Sprintf("fk/public/t%04d/k", i), Kind: plan.KindForeignKey, Severity: []plan.Severity{plan.High, plan.Medium, plan.Low, plan.Info}[i%4],
			Title:    fmt.Sprintf("foreign key k of public.t%04d references public.p%04d across contexts (%s -> %s)", i, i%40, from, to),
			Contexts: []string{min(from, to), max(from, to)},
			Objects: []plan.Object{{Type: "foreign_key", Schema: "public", Name: "k", Table: fmt.Sprintf("t%04d", i)},
				{Type: "table", Schema: "public", Name: fmt.Sprintf("p%04d", i%40)}},
			Recommendation: plan.Option{Name: "Check before delete through an API", Pattern: "Move Foreign-Key Relationship to Code"},
		})
	}
	p.Groups = plan.GroupFindings(p.Findings)
	for i := range 200 {
		p.Warnings = append(p.Warnings, fmt.Sprintf("warning %d: %s", i, strings.Repeat("a long explanation ", 30)))
	}
	for i, c := range names {
		p.Steps = append(p.Steps, plan.Step{N: i + 1, Context: c, Phase: plan.Migrate})
	}
	return p
}
