package markdown_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

func TestWriteHostile(t *testing.T) {
	evil := "x](http://evil)<script>alert(1)</script>|*_`~$@\n# h1"
	p := &plan.Plan{
		Format: plan.FormatVersion, Dialect: "mysql",
		Contexts:     []plan.ContextInfo{{Name: evil, Namespace: "db_" + evil, Shared: nil}},
		Dependencies: []plan.Dependency{{From: evil, To: "b", ForeignKeys: 1}},
		Order:        []string{evil},
		Findings: []plan.Finding{{ID: "fk/" + evil, Kind: plan.KindForeignKey, Severity: plan.High, Title: evil, Contexts: []string{evil},
			Evidence: []string{evil}, Recommendation: plan.Option{Name: evil, Pattern: "P", Description: evil, TradeOffs: evil}}},
		Steps: []plan.Step{{N: 1, Slug: "s", Context: evil, Phase: plan.Migrate, Title: evil, Why: "- " + evil, AppWork: []string{evil}, Notes: []string{evil},
			Up:     []string{"ALTER TABLE `a```````b` DROP FOREIGN KEY `k`", "SELECT 1\nFROM `t`"},
			Down:   []string{"ALTER TABLE `a```````b` ADD CONSTRAINT `k`"},
			Verify: []plan.Check{{Query: "SELECT count(*) FROM `x`", Expect: "0"}}, FindingIDs: []string{"fk/" + evil}}},
	}
	p.Findings = append(p.Findings, p.Findings[0])
	p.Findings[1].ID += "2"
	p.Groups = plan.GroupFindings(p.Findings)
	var buf bytes.Buffer
	if err := markdown.Write(&buf, p); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	// Outside code spans (which show their text as is), nothing of the
	// name may act as Markdown or HTML.
	plain := regexp.MustCompile("`` .*? ``").ReplaceAllString(out, "")
	for _, bad := range []string{`<script>`, `[^\\]\]\(http`, `\n# h1`, `[^\\]\|\*`, `\n  - - `} {
		if regexp.MustCompile(bad).MatchString(plain) {
			t.Errorf("unescaped %q in:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, "\n  \\- x\\]") {
		t.Errorf("a Why starting with - becomes a list item:\n%s", out)
	}
	// The SQL block is fenced by more backticks than any run inside it,
	// and the statements are there verbatim.
	if !strings.Contains(out, "  ````````sql\n  ALTER TABLE `a```````b` DROP FOREIGN KEY `k`;\n\n  SELECT 1\n  FROM `t`;\n  ````````\n") {
		t.Errorf("SQL block:\n%s", out)
	}
	if !strings.Contains(out, "- [ ] **1. ") || !strings.Contains(out, "Verify (expect 0):") {
		t.Errorf("checklist item missing:\n%s", out)
	}
	// a | in a name cannot add a cell: contexts rows have 4, dependency rows 6
	for _, line := range strings.Split(out, "\n") {
		if n := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); strings.HasPrefix(line, "| x") && n != 5 && n != 7 {
			t.Errorf("table row broken: %s", line)
		}
	}
}

// TestWriteControlCharacters: names with control and direction characters
// (ESC, BEL, CR, U+202E) reach the Markdown escaped, visibly, never raw;
// SQL shows them escaped too, with a note, unless the dialect spelled them
// in printable SQL itself (PostgreSQL's U&"..." identifiers).
func TestWriteControlCharacters(t *testing.T) {
	evil := "t\x1b[31m\a\r\u202ex"
	for _, tt := range []struct {
		dialect     schema.Dialect
		stmt, shown string
		note        bool
	}{
		{schema.DialectPostgres, "DROP TABLE " + sqlident.Postgres(evil), `DROP TABLE U&"t\001B[31m\0007\000D\202Ex";`, false},
		{schema.DialectMySQL, "DROP TABLE " + sqlident.MySQL(evil), "DROP TABLE `t\\x1b[31m\\x07\\x0d\\u202ex`;", true},
	} {
		t.Run(string(tt.dialect), func(t *testing.T) {
			p := &plan.Plan{
				Format: plan.FormatVersion, Dialect: tt.dialect, Source: schema.Source{Database: evil},
				Contexts: []plan.ContextInfo{{Name: evil, Namespace: evil}},
				Order:    []string{evil},
				Findings: []plan.Finding{{ID: "fk/" + evil, Kind: plan.KindForeignKey, Severity: plan.High, Title: evil, Contexts: []string{evil},
					Evidence: []string{evil}, Recommendation: plan.Option{Name: evil, Description: evil}}},
				Steps: []plan.Step{{N: 1, Slug: "s", Context: evil, Phase: plan.Migrate, Title: evil, Why: evil, AppWork: []string{evil},
					Up: []string{tt.stmt}, Verify: []plan.Check{{Query: tt.stmt, Expect: evil}}, FindingIDs: []string{"fk/" + evil}}},
				Warnings: []string{evil},
			}
			p.Groups = plan.GroupFindings(p.Findings)
			var buf bytes.Buffer
			if err := markdown.Write(&buf, p); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for i, r := range out {
				if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
					t.Fatalf("raw %U at byte %d:\n%q", r, i, out)
				}
			}
			if !strings.Contains(out, `t\\x1b\[31m\\x07\\x0d\\u202ex`) {
				t.Errorf("the name is not shown escaped:\n%s", out)
			}
			if !strings.Contains(out, "\n  "+tt.shown+"\n") {
				t.Errorf("statement not shown as %s:\n%s", tt.shown, out)
			}
			if note := strings.Contains(out, "shown escaped"); note != tt.note {
				t.Errorf("note about escaped statements: %v, want %v:\n%s", note, tt.note, out)
			}
		})
	}
}
