package ghactions_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/render/ghactions"
)

// command is the form of a workflow command as the runner reads it: a line
// starting with ::name, properties, ::, and the message.
var command = regexp.MustCompile(`^::(error|notice) ((?:[a-z]+=[^,:\n]*)(?:,[a-z]+=[^,:\n]*)*)::([^\r\n]*)$`)

func TestCheck(t *testing.T) {
	r := analysistest.CheckResult(t)
	var buf bytes.Buffer
	if err := ghactions.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, filepath.Join("testdata", "check.txt"), buf.Bytes())
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if want := len(r.New) + len(r.Exceeded()) + len(r.Fixed) + len(r.Moved) + 1; len(lines) != want {
		t.Fatalf("%d lines, want %d", len(lines), want)
	}
	errors := 0
	for _, l := range lines {
		m := command.FindStringSubmatch(l)
		if m == nil {
			t.Errorf("not one workflow command: %q", l)
			continue
		}
		if m[1] == "error" {
			errors++
		}
	}
	if errors != len(r.New)+len(r.Exceeded()) {
		t.Errorf("%d errors, want one per new finding and exceeded budget", errors)
	}
	if !strings.Contains(buf.String(), "::error file=contexts.yaml,line=26,col=9,title=seams%3A new cross_context_fk::foreign key invoice_customer_fk of public.invoice") {
		t.Error("the new foreign key is not annotated at its map entry")
	}
}

func TestEscapes(t *testing.T) {
	r := &check.Result{New: []check.Item{{Key: "k", Kind: "cross_context_fk", Severity: "medium", Title: "50% off\r\n::error::x",
		Locations: []check.Location{{File: "a,b:c.yaml", Line: 2}}}}}
	var buf bytes.Buffer
	if err := ghactions.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	first := strings.SplitN(buf.String(), "\n", 2)[0]
	want := "::error file=a%2Cb%3Ac.yaml,line=2,title=seams%3A new cross_context_fk::50%25 off%0D%0A::error::x (medium severity, not in the baseline). Key: k"
	if first != want {
		t.Errorf("got  %s\nwant %s", first, want)
	}
}
