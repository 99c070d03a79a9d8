package text_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/render/text"
)

func TestCheck(t *testing.T) {
	r := analysistest.CheckResult(t)
	var buf bytes.Buffer
	if err := text.WriteCheck(&buf, r); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, filepath.Join("testdata", "check.txt"), buf.Bytes())
	for i, line := range strings.Split(buf.String(), "\n") {
		if utf8.RuneCountInString(line) > text.Width {
			t.Errorf("line %d is wider than %d columns: %q", i+1, text.Width, line)
		}
		if strings.ContainsFunc(line, func(r rune) bool { return r < ' ' }) {
			t.Errorf("line %d holds a control character: %q", i+1, line)
		}
	}
	if !strings.HasPrefix(buf.String(), "seams check FAILED: 2 new findings, 1 budget exceeded") {
		t.Errorf("no verdict first:\n%s", buf.String())
	}
}
