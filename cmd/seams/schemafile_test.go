package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// TestSchemaFile: every command that reads a database reads a DDL file
// too, with no database; the plan points at the lines of the file.
func TestSchemaFile(t *testing.T) {
	t.Setenv("SEAMS_DSN", "")
	pg, my := fixturePath("../../fixtures/musiccorp/postgres.sql"), fixturePath("../../fixtures/musiccorp/mysql.sql")
	ctxs := fixturePath("../../fixtures/musiccorp/contexts.yaml")

	code, out, stderr := seams(t, "plan", "--schema-file", pg, "--database", "musiccorp", "--contexts", ctxs, "--format", "json")
	if code != exitOK {
		t.Fatalf("plan: exit %d: %s", code, stderr)
	}
	var p struct {
		Findings []struct {
			ID      string
			Objects []struct {
				Type, Name string
				Location   *schema.Location
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(readFile(t, pg), "\n")
	located := 0
	for _, f := range p.Findings {
		for _, o := range f.Objects {
			if o.Location == nil {
				continue
			}
			located++
			if o.Location.File != pg || o.Location.Line < 1 || !strings.Contains(lines[o.Location.Line-1], o.Name) && o.Type != "table" && o.Type != "view" {
				t.Errorf("%s: %s %s located at %s", f.ID, o.Type, o.Name, o.Location)
			}
		}
	}
	if located == 0 {
		t.Error("no object of the plan is located in the file")
	}
	// The static-data rule says it has no row counts.
	if !strings.Contains(out, "no table has a row estimate") {
		t.Error("the plan does not say it lacks row counts")
	}

	dir := t.TempDir()
	snap := filepath.Join(dir, "musiccorp.json")
	code, _, stderr = seams(t, "introspect", "--schema-file", my, "--schema-dialect", "mariadb", "--database", "musiccorp", "-o", snap)
	if code != exitOK {
		t.Fatalf("introspect: exit %d: %s", code, stderr)
	}
	s, err := schema.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	if s.Source.Engine != schema.MariaDB || s.Source.Database != "musiccorp" || s.Source.File != my || s.Counts().Tables != 26 {
		t.Errorf("snapshot of mysql.sql: %+v, %d tables", s.Source, s.Counts().Tables)
	}

	code, out, stderr = seams(t, "render", "--schema-file", pg, "--contexts", ctxs, "--format", "mermaid", "--context", "finance")
	if code != exitOK || !strings.Contains(out, "erDiagram") {
		t.Errorf("render: exit %d: %s %.200s", code, stderr, out)
	}
	code, _, stderr = seams(t, "usage", "--schema-file", pg, "--contexts", fixturePath("../../fixtures/musiccorp/contexts-usage.yaml"),
		"--code-root", fixturePath("../../fixtures/musiccorp/app/src"), "-o", filepath.Join(dir, "usage.json"))
	if code != exitOK {
		t.Errorf("usage: exit %d: %s", code, stderr)
	}
}

func TestSchemaFileProblems(t *testing.T) {
	t.Setenv("SEAMS_DSN", "")
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	half := write("half.sql", "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABEL b (x int);\nALTER TABLE c ADD COLUMN x int;\n")
	code, _, stderr := seams(t, "introspect", "--schema-file", half, "-o", filepath.Join(dir, "half.json"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"seams: warning: " + half + ": 1 statement(s) not parsed and 1 not applied were passed over",
		"seams: warning: " + half + ":2:8: not parsed: syntax error at or near \"TABEL\"",
		"seams: warning: " + half + ":3:1: not applied: ALTER TABLE: table public.c is not created before this statement",
	} {
		if !strings.Contains(stderr, want+"\n") {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	yaml := write("contexts.yaml", "contexts:\n  catalog:\n    tables: [album]\n")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"not sql", []string{"introspect", "--schema-file", yaml, "--schema-dialect", "postgres"}, "seams: " + yaml + ":1:1: not a PostgreSQL schema: syntax error at or near \"contexts\""},
		{"two inputs", []string{"plan", "--schema-file", half, "--snapshot", "s.json"}, "seams: --dsn, --snapshot and --schema-file are mutually exclusive: give one"},
		{"dialect", []string{"introspect", "--schema-file", half, "--schema-dialect", "oracle"}, `seams: --schema-dialect "oracle": want postgres, mysql or mariadb`},
		{"dialect alone", []string{"introspect", "--dsn", "postgres://x@y/z", "--schema-dialect", "mysql"}, "seams: --schema-dialect and --database go with --schema-file"},
		{"missing schema", []string{"introspect", "--schema-file", half, "--schema", "nope"}, `seams: schema file ` + half + `: "nope" not defined in the file`},
		{"static dir", []string{"plan", "--schema-file", half, "--static-dir", dir}, "seams: --static-dir needs --dsn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := seams(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d (stderr %q)", code, exitUsage, stderr)
			}
			if !strings.HasPrefix(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("stderr = %q, want one line starting %q", stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout = %q", stdout)
			}
		})
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
