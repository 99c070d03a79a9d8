package markdown_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// TestCheck writes the summary of a failing check, compares it with the
// reviewed golden file, and renders it as GitHub does (GFM tables): the
// table named to break out of everything stays text and every row keeps
// its three cells.
func TestCheck(t *testing.T) {
	r := analysistest.CheckResult(t)
	var buf bytes.Buffer
	if err := markdown.WriteCheck(&buf, r); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, filepath.Join("testdata", "check.md"), buf.Bytes())
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(buf.Bytes(), &html); err != nil {
		t.Fatal(err)
	}
	out := html.String()
	if strings.Contains(out, "<b>") {
		t.Errorf("a name became HTML:\n%s", out)
	}
	rows := regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(out, -1)
	if len(rows) != 1+len(r.New)+1+len(r.Exceeded()) {
		t.Errorf("%d table rows, want a header and a row per new finding, and the budgets' table", len(rows))
	}
	for _, row := range rows {
		if n := strings.Count(row[1], "<td") + strings.Count(row[1], "<th"); n != 3 {
			t.Errorf("a row with %d cells: %s", n, row[1])
		}
	}
	if !strings.Contains(out, "evil::error") {
		t.Error("the hostile table's finding is not shown")
	}
}

// TestCheckShort: a long list of new findings is cut, saying how many
// more there are.
func TestCheckShort(t *testing.T) {
	r := &check.Result{BaselineFile: "b.json"}
	for range markdown.MaxNewRows + 5 {
		r.New = append(r.New, check.Item{Key: "k", Title: "t", Severity: "high"})
	}
	var buf bytes.Buffer
	if err := markdown.WriteCheck(&buf, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n| high |"); n != markdown.MaxNewRows || !strings.Contains(buf.String(), "… and 5 more") {
		t.Errorf("%d rows:\n%s", n, buf.String())
	}
}
