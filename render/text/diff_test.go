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

func TestDiff(t *testing.T) {
	var buf bytes.Buffer
	if err := text.WriteDiff(&buf, analysistest.Diff(t)); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, filepath.Join("testdata", "diff.txt"), buf.Bytes())
	for i, line := range strings.Split(buf.String(), "\n") {
		if utf8.RuneCountInString(line) > text.Width || strings.ContainsFunc(line, func(r rune) bool { return r < ' ' }) {
			t.Errorf("line %d is too wide or holds a control character: %q", i+1, line)
		}
	}
}
