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
		if utf8.RuneCountInString(line) > text.Width && !strings.HasPrefix(line, "         key ") {
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

// TestCheckLongKey checks that a key longer than a line is printed whole,
// on one line, for the user to copy into the baseline or a search.
func TestCheckLongKey(t *testing.T) {
	r := analysistest.CheckResult(t)
	if len(r.New) == 0 {
		t.Fatal("the result has no new finding")
	}
	long := "fk:" + strings.Repeat("very_long_schema_name.", 6) + "child(parent_id)->public.parent"
	r.New[0].Key = long
	var buf bytes.Buffer
	if err := text.WriteCheck(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "\n         key "+long+"\n") {
		t.Errorf("the key is not on one line:\n%s", buf.String())
	}
}
