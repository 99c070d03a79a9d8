package sariftest_test

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/sariftest"
)

// TestCheck: the schema accepts a minimal log and rejects broken ones.
func TestCheck(t *testing.T) {
	const ok = `{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
		{"ruleId": "r", "level": "error", "message": {"text": "m"},
		 "locations": [{"physicalLocation": {"artifactLocation": {"uri": "a/b.yaml"}, "region": {"startLine": 3}}}]}]}]}`
	if err := sariftest.Check([]byte(ok)); err != nil {
		t.Fatalf("a valid log is rejected: %v", err)
	}
	for name, bad := range map[string]string{
		"bad level":       strings.Replace(ok, `"error"`, `"fatal"`, 1),
		"line zero":       strings.Replace(ok, `"startLine": 3`, `"startLine": 0`, 1),
		"no message":      strings.Replace(ok, `"message": {"text": "m"},`, ``, 1),
		"unknown version": strings.Replace(ok, `"2.1.0"`, `"2.0.0"`, 1),
		"bad uri":         strings.Replace(ok, `a/b.yaml`, `a b:/\\x`, 1),
		"unknown field":   strings.Replace(ok, `"ruleId"`, `"rule_id"`, 1),
		"not json":        ok[:20],
	} {
		if err := sariftest.Check([]byte(bad)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
