package markdown_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

func TestDiff(t *testing.T) {
	d := analysistest.Diff(t)
	var buf bytes.Buffer
	if err := markdown.WriteDiff(&buf, d); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, filepath.Join("testdata", "diff.md"), buf.Bytes())
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(buf.Bytes(), &html); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html.String(), "<b>") {
		t.Errorf("a name became HTML:\n%s", html.String())
	}
	rows := regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(html.String(), -1)
	if len(rows) != 1+len(d.Coupling.Contexts) {
		t.Errorf("%d rows, want a header and one per context", len(rows))
	}
	for _, r := range rows {
		if n := strings.Count(r[1], "<td") + strings.Count(r[1], "<th"); n != 7 {
			t.Errorf("a row with %d cells: %s", n, r[1])
		}
	}
}
