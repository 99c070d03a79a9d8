package text_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/text"
	"github.com/seamsdev/seams/schema"
)

func TestWriteHostileAndWide(t *testing.T) {
	long := strings.Repeat("verylongname", 15)
	p := &plan.Plan{
		Format: plan.FormatVersion, Dialect: "postgres", Source: schema.Source{Database: "shop\x1b[31m"},
		Contexts:     []plan.ContextInfo{{Name: "cat\x1b]0;pwned\x07alog", Namespace: "x"}, {Name: long, Namespace: long}},
		Dependencies: []plan.Dependency{{From: "cat\x1b]0;pwned\x07alog", To: long, ForeignKeys: 12}},
		Findings: []plan.Finding{{ID: "fk/x", Kind: plan.KindForeignKey, Severity: plan.Medium,
			Title:          "foreign key " + long + " of a\nb references c across contexts",
			Recommendation: plan.Option{Name: "Check before delete through an API", Pattern: "Move Foreign-Key Relationship to Code"}}},
		Order: []string{long, "cat\x1b]0;pwned\x07alog"},
		Steps: []plan.Step{{N: 1, Context: long, Phase: plan.Migrate}},
	}
	p.Groups = plan.GroupFindings(p.Findings)
	var buf bytes.Buffer
	if err := text.Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	if err := text.WriteDetail(&buf, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control characters reach the terminal:\n%q", out)
	}
	if !strings.Contains(out, `cat\x1b]0;pwned\x07alog`) {
		t.Errorf("escaped name missing:\n%s", out)
	}
	for i, line := range strings.Split(out, "\n") {
		if utf8.RuneCountInString(line) > text.Width {
			t.Errorf("line %d has %d columns: %q", i+1, utf8.RuneCountInString(line), line)
		}
	}
	for _, want := range []string{"CONTEXTS", "COUPLING", "MEDIUM", "EXTRACTION ORDER", "  1. verylongname", "12"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteEmptyPlan(t *testing.T) {
	var buf bytes.Buffer
	if err := text.Write(&buf, &plan.Plan{Format: plan.FormatVersion}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"0 contexts, 0 findings in 0 groups, 0 steps", "none: the contexts map names no context", "FINDINGS: none"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("lacks %q:\n%s", want, buf.String())
		}
	}
}
