//go:build integration

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/schema"
)

// TestIntrospectWithUsage reads the catalog and the usage of the MusicCorp
// fixture in one command, as 'seams usage -o' would.
func TestIntrospectWithUsage(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL)
	out := filepath.Join(t.TempDir(), "snap.json")
	code, _, stderr := seams(t, "introspect", "--dsn", dsn, "--usage",
		"--code-root", fixturePath("../../fixtures/musiccorp/app"), "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	s, err := schema.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if s.Usage == nil {
		t.Fatal("snapshot has no usage")
	}
	kinds := map[string]bool{}
	for _, src := range s.Usage.Sources {
		kinds[src.Kind] = src.Available
	}
	if !kinds["code"] {
		t.Errorf("code source missing or unavailable: %+v", s.Usage.Sources)
	}
	if _, ok := kinds["pg_stat_statements"]; !ok {
		t.Errorf("server statistics were not asked: %+v", s.Usage.Sources)
	}
	if len(s.Usage.Statements) == 0 {
		t.Error("no statements recorded")
	}
	// The extension is not created in the test database: the command says
	// so on stderr and goes on.
	if !strings.Contains(stderr, "pg_stat_statements") {
		t.Errorf("stderr does not explain the missing extension: %q", stderr)
	}
}
