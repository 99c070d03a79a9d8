package junit_test

import (
	"bytes"
	"encoding/xml"
	"path/filepath"
	"testing"

	gojunit "github.com/joshdk/go-junit"
	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/render/junit"
)

// TestCheck writes the JUnit report of a failing check, reads it back with
// a JUnit parser (github.com/joshdk/go-junit, as CI dashboards ingest such
// reports) and with a strict XML decoder, and compares it with the
// reviewed golden file.
func TestCheck(t *testing.T) {
	r := analysistest.CheckResult(t)
	var buf bytes.Buffer
	if err := junit.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	golden.Assert(t, filepath.Join("testdata", "check.xml"), buf.Bytes())

	suites, err := gojunit.Ingest(buf.Bytes())
	if err != nil {
		t.Fatalf("go-junit cannot read the report: %v", err)
	}
	if len(suites) != 3 {
		t.Fatalf("%d suites, want 3", len(suites))
	}
	want := []struct {
		name          string
		tests, failed int
	}{
		{"seams check: findings", len(r.New) + len(r.Known) + len(r.Moved), len(r.New)},
		{"seams check: budgets", len(r.Budgets), len(r.Exceeded())},
		{"seams check: fixed since the baseline", len(r.Fixed), 0},
	}
	for i, w := range want {
		s := suites[i]
		if s.Name != w.name || s.Totals.Tests != w.tests || s.Totals.Failed != w.failed {
			t.Errorf("suite %d: %q, %d tests, %d failed; want %q, %d, %d", i, s.Name, s.Totals.Tests, s.Totals.Failed, w.name, w.tests, w.failed)
		}
	}
	var evil *gojunit.Test
	for i := range suites[0].Tests {
		if tc := &suites[0].Tests[i]; tc.Status == gojunit.StatusFailed && bytes.Contains([]byte(tc.Name), []byte("evil")) {
			evil = tc
		}
	}
	if evil == nil || evil.Classname != "seams.cross_context_fk" {
		t.Fatalf("no failing test case for the new key from the table named %q", analysistest.Evil)
	}

	// The counts in the attributes agree with the test cases.
	var doc junit.Suites
	dec := xml.NewDecoder(bytes.NewReader(buf.Bytes()))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("strict XML: %v", err)
	}
	total := 0
	for _, s := range doc.Suites {
		failed := 0
		for _, c := range s.Cases {
			if c.Failure != nil {
				failed++
			}
		}
		if s.Tests != len(s.Cases) || s.Failures != failed {
			t.Errorf("%s says %d tests, %d failures; it has %d and %d", s.Name, s.Tests, s.Failures, len(s.Cases), failed)
		}
		total += s.Tests
	}
	if doc.Tests != total || doc.Failures != len(r.New)+len(r.Exceeded()) {
		t.Errorf("testsuites says %d tests, %d failures", doc.Tests, doc.Failures)
	}
}

// TestUnrepresentable: characters XML 1.0 cannot hold do not make the
// report unreadable.
func TestUnrepresentable(t *testing.T) {
	r := &check.Result{New: []check.Item{{Key: "k\x01\x1b[31m", Title: "t\x00itle \uFFFE", Kind: "cross_context_fk"}}}
	var buf bytes.Buffer
	if err := junit.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	if _, err := gojunit.Ingest(buf.Bytes()); err != nil {
		t.Fatalf("go-junit: %v\n%s", err, buf.String())
	}
	var doc junit.Suites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("XML: %v\n%s", err, buf.String())
	}
}
