package sarif_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/internal/sariftest"
	"github.com/seamsdev/seams/render/sarif"
)

// TestCheck writes the SARIF log of a failing check, validates it against
// the SARIF 2.1.0 schema and compares it with the reviewed golden file.
func TestCheck(t *testing.T) {
	r := analysistest.CheckResult(t)
	var buf bytes.Buffer
	if err := sarif.Write(&buf, r, sarif.Options{Version: "1.2.3"}); err != nil {
		t.Fatal(err)
	}
	sariftest.Validate(t, buf.Bytes())
	golden.Assert(t, filepath.Join("testdata", "check.sarif"), buf.Bytes())

	var log sarif.Log
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	res := log.Runs[0].Results
	if len(res) != len(r.New)+len(r.Exceeded()) {
		t.Fatalf("%d results, want %d new findings and %d budgets", len(res), len(r.New), len(r.Exceeded()))
	}
	rules := log.Runs[0].Tool.Driver.Rules
	for _, x := range res {
		if rules[x.RuleIndex].ID != x.RuleID {
			t.Errorf("result of %s points at rule %d, %s", x.RuleID, x.RuleIndex, rules[x.RuleIndex].ID)
		}
		if len(x.Locations) == 0 || x.Locations[0].PhysicalLocation.ArtifactLocation.URI != "contexts.yaml" {
			t.Errorf("%s: locations %+v, want contexts.yaml first", x.Properties.Key, x.Locations)
		}
		if x.PartialFingerprints["seamsKey/v1"] != x.Properties.Key {
			t.Errorf("%s: fingerprints %v", x.Properties.Key, x.PartialFingerprints)
		}
	}
}

// TestPassed: a check that passes gives a valid log with every rule and
// no result.
func TestPassed(t *testing.T) {
	an := analysistest.Run(t, analysistest.MusicCorp(t), analysistest.MusicCorpMap, "contexts:\n  all:\n    tables: [\"*\"]\n")
	r := check.Run(an, check.Run(an, nil, "").Updated(true), "b.json")
	if !r.Passed {
		t.Fatalf("the check failed: %s", r.Summary())
	}
	var buf bytes.Buffer
	if err := sarif.Write(&buf, r, sarif.Options{}); err != nil {
		t.Fatal(err)
	}
	sariftest.Validate(t, buf.Bytes())
	var log sarif.Log
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if n := len(log.Runs[0].Results); n != 0 || len(log.Runs[0].Tool.Driver.Rules) < 10 {
		t.Errorf("%d results, %d rules", n, len(log.Runs[0].Tool.Driver.Rules))
	}
	if !bytes.Contains(buf.Bytes(), []byte(`"results": []`)) {
		t.Error("a passing run does not say results: []")
	}
}

// TestArtifactURIs: a relative path is relative to %SRCROOT%, escaped; an
// absolute one is a file URI.
func TestArtifactURIs(t *testing.T) {
	for _, tt := range []struct{ file, uri, base string }{
		{"contexts.yaml", "contexts.yaml", "%SRCROOT%"},
		{"db/my map#1.yaml", "db/my%20map%231.yaml", "%SRCROOT%"},
		{"/repo/seams.yaml", "file:///repo/seams.yaml", ""},
	} {
		r := &check.Result{New: []check.Item{{Key: "k", Locations: []check.Location{{File: tt.file, Line: 3}}}}}
		l := sarif.New(r, sarif.Options{}).Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation
		if l.URI != tt.uri || l.URIBaseID != tt.base {
			t.Errorf("%s: %+v, want %s based on %q", tt.file, l, tt.uri, tt.base)
		}
	}
}
