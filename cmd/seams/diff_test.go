package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/snapdiff"
)

func TestDiffCmd(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir) // no contexts map here
	added := changedSnapshot(t, dir, "added.json", addInvoiceCustomerFK)
	tests := []struct {
		name     string
		args     []string
		code     int
		contains string
	}{
		{"same", []string{fixtureSnapshot, fixtureSnapshot, "--contexts", fixtureContexts}, exitOK, "SCHEMA: no change"},
		{"schema only without a map", []string{fixtureSnapshot, added}, exitOK, "+ foreign key invoice_customer_fk"},
		{"coupling", []string{fixtureSnapshot, added, "--contexts", fixtureContexts}, exitOK, "COUPLING: 1 appeared, 0 disappeared  REGRESSION"},
		{"regression fails", []string{fixtureSnapshot, added, "--contexts", fixtureContexts, "--fail-on-regression"}, exitCheckFailed, "finance and customer: 3 -> 4"},
		{"progress passes", []string{added, fixtureSnapshot, "--contexts", fixtureContexts, "--fail-on-regression"}, exitOK, "COUPLING: 0 appeared, 1 disappeared"},
		{"markdown", []string{fixtureSnapshot, added, "--contexts", fixtureContexts, "--format", "markdown"}, exitOK, "### Schema changes: ❌ new coupling between contexts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := seams(t, append([]string{"diff"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout, tt.contains) {
				t.Errorf("exit %d (%s), want %d and %q in:\n%s", code, stderr, tt.code, tt.contains, stdout)
			}
			if code == exitCheckFailed && strings.TrimSpace(stderr) != "seams: regression: 1 new finding of coupling between contexts" {
				t.Errorf("stderr %q", stderr)
			}
		})
	}
	code, stdout, _ := seams(t, "diff", fixtureSnapshot, added, "--contexts", fixtureContexts, "--format", "json")
	var d snapdiff.Diff
	if err := json.Unmarshal([]byte(stdout), &d); code != exitOK || err != nil {
		t.Fatalf("json: exit %d, %v", code, err)
	}
	if len(d.Tables) != 1 || d.Tables[0].TableName() != (schema.TableName{Schema: "public", Name: "invoice"}) || len(d.Coupling.Appeared) != 1 {
		t.Errorf("json diff: %+v", d)
	}
}

// TestDiffWarnsOnce checks that a warning of the map that holds for both
// snapshots is printed once, not once per snapshot.
func TestDiffWarnsOnce(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(fixtureContexts)
	if err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "contexts.yaml")
	extra := strings.Replace(string(data), "      - genre\n", "      - genre\n      - genres_typo\n", 1)
	if extra == string(data) {
		t.Fatal("the fixture's map has no genre line to add a table after")
	}
	if err := os.WriteFile(m, []byte(extra), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := seams(t, "diff", fixtureSnapshot, fixtureSnapshot, "--contexts", m)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(stderr, `no table matches "genres_typo"`); n != 1 {
		t.Errorf("the warning is printed %d times, want once:\n%s", n, stderr)
	}
}

func TestDiffUsageErrors(t *testing.T) {
	t.Setenv("SEAMS_DSN", "")
	t.Chdir(t.TempDir())
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no argument", []string{"diff"}, "seams: diff takes OLD and NEW snapshot files, or OLD and --dsn"},
		{"three", []string{"diff", "a", "b", "c"}, "seams: diff takes OLD and NEW snapshot files, or OLD and --dsn"},
		{"old alone", []string{"diff", fixtureSnapshot}, "seams: no database given: pass --dsn or set SEAMS_DSN"},
		{"new twice", []string{"diff", fixtureSnapshot, fixtureSnapshot, "--dsn", "postgres://x@y/z"}, "seams: NEW and --dsn (or --schema-file) both name the new side: give one"},
		{"format", []string{"diff", fixtureSnapshot, fixtureSnapshot, "--format", "html"}, `seams: --format "html": want text, markdown or json`},
		{"regression without a map", []string{"diff", fixtureSnapshot, fixtureSnapshot, "--fail-on-regression"}, "seams: --fail-on-regression compares the coupling between contexts: it needs a contexts map (--contexts)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := seams(t, tt.args...)
			if code != exitUsage || !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d, %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
}
