package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// doubled reports whether an error repeats a prefix ("plan: plan: ").
func doubled(msg string) bool {
	parts := strings.Split(msg, ": ")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] != "" && parts[i] == parts[i+1] {
			return true
		}
	}
	return false
}

// TestExitCodes checks the one rule every command follows: 2 for anything
// wrong in what the user gave (a flag, an argument, a DSN, an input file
// missing or invalid), 1 for a failure while running (a database that
// cannot be reached, an output that cannot be written); one line on
// stderr, starting "seams: ", with no doubled prefix.
func TestExitCodes(t *testing.T) {
	t.Setenv("SEAMS_DSN", "")
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	badSnap := write("bad.json", `{"format": 1, "tabels": []}`)
	oracle := write("oracle.json", `{"format": 2, "source": {"engine": "oracle"}}`)
	trailing := write("trailing.json", string(readTestFile(t, fixtureSnapshot))+"{}")
	badMap := write("bad.yaml", "contexts:\n  a:\n    colour: red\n")
	file := write("file.txt", "mine")
	foreign := filepath.Join(dir, "foreign")
	if err := os.Mkdir(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	write("foreign/notes.txt", "mine")
	missing := filepath.Join(dir, "missing")
	snap := []string{"--snapshot", fixtureSnapshot, "--contexts", fixtureContexts}
	with := func(cmd string, args ...string) []string { return append(append([]string{cmd}, snap...), args...) }
	unreachable := "postgres://app:pw@127.0.0.1:1/shop"

	tests := []struct {
		name string
		args []string
		code int
	}{
		// What the user gave.
		{"unknown flag", []string{"plan", "--nope"}, exitUsage},
		{"extra argument", []string{"render", "x"}, exitUsage},
		{"malformed DSN", []string{"introspect", "--dsn", "postgres://app:pw@h:x/db"}, exitUsage},
		{"unknown MySQL parameter", []string{"introspect", "--dsn", "app@tcp(127.0.0.1:1)/shop?autocommit=0"}, exitUsage},
		{"missing snapshot", []string{"plan", "--snapshot", missing, "--contexts", fixtureContexts}, exitUsage},
		{"invalid snapshot", []string{"render", "--snapshot", badSnap, "--format", "dot"}, exitUsage},
		{"snapshot of an unknown engine", []string{"introspect", "--snapshot", oracle}, exitUsage},
		{"snapshot with data after it", []string{"plan", "--snapshot", trailing, "--contexts", fixtureContexts}, exitUsage},
		{"missing contexts map", []string{"plan", "--snapshot", fixtureSnapshot, "--contexts", missing}, exitUsage},
		{"invalid contexts map", []string{"render", "--snapshot", fixtureSnapshot, "--contexts", badMap, "--format", "dot"}, exitUsage},
		{"contexts map that never ends", []string{"plan", "--snapshot", fixtureSnapshot, "--contexts", "/dev/zero"}, exitUsage},
		{"missing usage snapshot", with("plan", "--usage", missing), exitUsage},
		{"missing log", with("usage", "--log", missing), exitUsage},
		{"missing code root", with("usage", "--code-root", missing), exitUsage},
		{"bad timeout", []string{"introspect", "--dsn", unreachable, "--timeout", "0s"}, exitUsage},
		{"missing baseline", with("check", "--baseline", missing), exitUsage},
		{"invalid baseline", with("check", "--baseline", badSnap), exitUsage},
		{"unreadable baseline", with("check", "--baseline", dir), exitUsage},
		{"diff of a missing snapshot", []string{"diff", missing, fixtureSnapshot}, exitUsage},
		{"diff of an invalid snapshot", []string{"diff", fixtureSnapshot, badSnap}, exitUsage},
		{"history of an invalid snapshot", []string{"render", "--history", dir, "--contexts", fixtureContexts, "--out", filepath.Join(dir, "site")}, exitUsage},
		// What went wrong while running.
		{"unreachable database", []string{"introspect", "--dsn", unreachable, "--connect-timeout", "2s"}, exitFailure},
		{"unreachable database for plan", []string{"plan", "--dsn", unreachable, "--contexts", fixtureContexts, "--connect-timeout", "2s"}, exitFailure},
		{"-o into a missing directory", with("plan", "-o", filepath.Join(missing, "x.md")), exitFailure},
		{"--sql-dir over a file", with("plan", "--sql-dir", file), exitFailure},
		{"--static-dir over a file", []string{"plan", "--dsn", unreachable, "--contexts", fixtureContexts, "--static-dir", file}, exitFailure},
		{"--out over a file", with("render", "--out", file), exitFailure},
		{"--out over a directory seams did not write", with("render", "--out", foreign), exitFailure},
		{"usage -o into a missing directory", with("usage", "--code-root", ".", "-o", filepath.Join(missing, "u.json")), exitFailure},
		{"render -o over a directory", with("render", "--format", "dot", "-o", dir), exitFailure},
		{"check --report into a missing directory", with("check", "--report", "sarif="+filepath.Join(missing, "x.sarif")), exitFailure},
		{"check -o over a directory", with("check", "-o", dir), exitFailure},
		{"diff -o into a missing directory", []string{"diff", fixtureSnapshot, fixtureSnapshot, "-o", filepath.Join(missing, "d.txt")}, exitFailure},
		{"check of an unreachable database", []string{"check", "--dsn", unreachable, "--contexts", fixtureContexts, "--connect-timeout", "2s"}, exitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := seams(t, tt.args...)
			t.Logf("exit %d: %s", code, stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr %q", code, tt.code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			last := lines[len(lines)-1]
			if !strings.HasPrefix(last, "seams: ") || strings.HasPrefix(last, "seams: warning") || !strings.HasSuffix(stderr, "\n") {
				t.Errorf("stderr %q: want the error on its last line, starting seams:", stderr)
			}
			if doubled(last) {
				t.Errorf("doubled prefix: %q", last)
			}
			if strings.Contains(stderr, ":pw@") {
				t.Errorf("password shown: %q", stderr)
			}
		})
	}
	if got, _ := os.ReadFile(file); string(got) != "mine" {
		t.Errorf("%s was changed: %q", file, got)
	}
	if got, _ := os.ReadFile(filepath.Join(foreign, "notes.txt")); string(got) != "mine" {
		t.Errorf("a file in %s was changed: %q", foreign, got)
	}
}

// TestOutputsAllOrNone: every output path is checked before any work, and
// a command writes all its outputs or none.
func TestOutputsAllOrNone(t *testing.T) {
	dir := t.TempDir()
	sqlDir := filepath.Join(dir, "A")
	code, _, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts,
		"--sql-dir", sqlDir, "-o", filepath.Join(dir, "missing", "x.md"))
	if code != exitFailure || !strings.Contains(stderr, "missing/x.md: the directory "+filepath.Join(dir, "missing")+" does not exist") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("written although an output could not be: %v", entries)
	}
	// One output named twice is refused before anything is written too.
	code, _, stderr = seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts,
		"--sql-dir", sqlDir, "-o", sqlDir)
	if code != exitFailure || !strings.Contains(stderr, "give each output its own path") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	// All together: the plan and its SQL.
	out := filepath.Join(dir, "plan.md")
	if code, _, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts,
		"--format", "markdown", "--sql-dir", sqlDir, "-o", out); code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if m, _ := filepath.Glob(filepath.Join(sqlDir, "0001_*.up.sql")); len(m) != 1 {
		t.Errorf("SQL: %v", m)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("plan: %v", err)
	}
}
