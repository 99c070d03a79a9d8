package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// The MusicCorp fixture, from this package's directory.
var (
	fixtureSnapshot = fixturePath("../../fixtures/musiccorp/snapshot.json")
	fixtureContexts = fixturePath("../../fixtures/musiccorp/contexts.yaml")
)

// fixturePath returns p, relative to this package, as an absolute path
// (tests change the working directory).
func fixturePath(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		panic(err)
	}
	return a
}

// TestPlanGolden runs seams plan on the MusicCorp snapshot and map in each
// format and compares the output with the reviewed golden files of package
// plan, which plans the same snapshot (one golden file per output).
func TestPlanGolden(t *testing.T) {
	tests := []struct {
		format, file string
		more         []string
	}{
		{"text", "musiccorp-postgres.txt", nil},
		{"text", "musiccorp-postgres-detail.txt", []string{"--detail"}},
		{"markdown", "musiccorp-postgres.md", nil},
		{"json", "musiccorp-postgres.json", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			code, stdout, stderr := seams(t, append([]string{"plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", tt.format}, tt.more...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			golden.Assert(t, filepath.Join("..", "..", "plan", "testdata", tt.file), []byte(stdout))
		})
	}
	// Text is the default format.
	_, def, _ := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts)
	_, text, _ := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "text")
	if def != text {
		t.Error("the default format is not text")
	}
}

// TestPlanJSONDecodes checks the json output is the documented structure:
// it decodes into plan.Plan with nothing unknown, at the current version.
func TestPlanJSONDecodes(t *testing.T) {
	_, stdout, _ := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "json")
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.DisallowUnknownFields()
	var p plan.Plan
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	if p.Format != plan.FormatVersion || len(p.Steps) == 0 || len(p.Findings) == 0 {
		t.Errorf("format %d, %d steps, %d findings", p.Format, len(p.Steps), len(p.Findings))
	}
	if got := plan.StaticTables(&p); !slices.Contains(got, schema.TableName{Schema: "public", Name: "country"}) {
		t.Errorf("static tables %v, want public.country among them", got)
	}
}

// TestPlanContextsLookup checks the default contexts map: seams.yaml, else
// contexts.yaml in the working directory, else a usage error.
func TestPlanContextsLookup(t *testing.T) {
	_, want, _ := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts)
	empty := "contexts:\n  only:\n    tables: [country]\n"
	tests := []struct {
		name  string
		files map[string]string
		code  int
		same  bool   // output equals the fixture map's
		err   string // stderr prefix
	}{
		{"seams.yaml", map[string]string{"seams.yaml": musiccorp.ContextsYAML}, exitOK, true, ""},
		{"contexts.yaml", map[string]string{"contexts.yaml": musiccorp.ContextsYAML}, exitOK, true, ""},
		{"seams.yaml first", map[string]string{"seams.yaml": musiccorp.ContextsYAML, "contexts.yaml": empty}, exitOK, true, ""},
		{"neither", nil, exitUsage, false, "seams: no contexts map in .: create seams.yaml or contexts.yaml (or pass --contexts FILE)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			for name, data := range tt.files {
				if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, stdout, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot)
			if code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, stderr)
			}
			if tt.same && stdout != want {
				t.Error("plan differs from the one with --contexts")
			}
			if tt.err != "" && (!strings.HasPrefix(stderr, tt.err) || stdout != "") {
				t.Errorf("stderr %q, want prefix %q; stdout %q", stderr, tt.err, stdout)
			}
		})
	}
}

// TestPlanErrors checks the usage errors of seams plan, and that a failing
// run leaves no output file behind.
func TestPlanErrors(t *testing.T) {
	t.Setenv("SEAMS_DSN", "")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("contexts:\n  catalog:\n    tables: [album]\n    colour: red\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dup := filepath.Join(dir, "dup.yaml")
	if err := os.WriteFile(dup, []byte("contexts:\n  catalog:\n    tables: [album]\n  catalog:\n    tables: [track]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "plan.txt")
	tests := []struct {
		name string
		args []string
		code int
		want string // stderr prefix
	}{
		{"unknown key", []string{"--contexts", bad}, exitUsage, "seams: " + bad + ":4:5: unknown key \"colour\""},
		{"unknown key with -o", []string{"--contexts", bad, "-o", out}, exitUsage, "seams: " + bad + ":4:5: "},
		{"duplicate context", []string{"--contexts", dup, "-o", out}, exitUsage, "seams: " + dup + ":4:3: "},
		{"missing map", []string{"--contexts", filepath.Join(dir, "nope.yaml"), "-o", out}, exitUsage, "seams: read contexts map: "},
		{"bad format", []string{"--contexts", fixtureContexts, "--format", "html"}, exitUsage, `seams: --format "html": want text, markdown or json`},
		{"bad format with -o", []string{"--contexts", fixtureContexts, "--format", "yaml", "-o", out}, exitUsage, `seams: --format "yaml"`},
		{"-o into a missing directory", []string{"--contexts", fixtureContexts, "-o", filepath.Join(dir, "no", "plan.txt")}, exitFailure, "seams: write " + filepath.Join(dir, "no", "plan.txt") + ": "},
		{"static-dir without a database", []string{"--contexts", fixtureContexts, "--static-dir", filepath.Join(dir, "static")}, exitUsage, "seams: --static-dir needs --dsn: the rows are read from the database"},
		{"negative threshold", []string{"--contexts", fixtureContexts, "--static-threshold", "-1"}, exitUsage, "seams: --static-threshold must not be negative"},
		{"infer threshold over 1", []string{"--contexts", fixtureContexts, "--infer-threshold", "1.5"}, exitUsage, "seams: --infer-threshold 1.5: want a score from 0 to 1"},
		{"verify-data without a database", []string{"--contexts", fixtureContexts, "--verify-data"}, exitUsage, "seams: --verify-data reads the database's rows: use it with --dsn, not with a file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"plan", "--snapshot", fixtureSnapshot}, tt.args...)
			code, stdout, stderr := seams(t, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("stderr = %q, want prefix %q", stderr, tt.want)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("error is not one line: %q", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if n := e.Name(); n != "bad.yaml" && n != "dup.yaml" {
					t.Errorf("a failed run left %s behind", n)
				}
			}
		})
	}
}

// TestPlanOutputFile checks -o: the file holds exactly what stdout would,
// and replaces an older file whole.
func TestPlanOutputFile(t *testing.T) {
	_, want, _ := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "markdown")
	dir := t.TempDir()
	out := filepath.Join(dir, "PLAN.md")
	if err := os.WriteFile(out, bytes.Repeat([]byte("old "), 100000), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "markdown", "-o", out)
	if code != exitOK || stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Error("-o file differs from the stdout output")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files left in the directory: %d, want 1", len(entries))
	}
}

// TestPlanSQLDir checks --sql-dir: one NNNN_slug.up.sql / .down.sql pair
// per step with SQL, numbered by the step, holding the step's statements.
func TestPlanSQLDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "migrations")
	code, _, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "json", "--sql-dir", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, js, _ := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "json")
	var p plan.Plan
	if err := json.Unmarshal([]byte(js), &p); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile(`^(\d{4})_([a-z0-9_]+)\.(up|down)\.sql$`)
	files := map[string]bool{}
	for _, e := range entries {
		if e.Name() == atomicfile.Marker {
			continue
		}
		if !name.MatchString(e.Name()) {
			t.Errorf("file %q is not NNNN_slug.up.sql or .down.sql", e.Name())
		}
		files[e.Name()] = true
	}
	withSQL := 0
	for _, s := range p.Steps {
		if len(s.Up) > 0 || len(s.Down) > 0 {
			withSQL++
		}
		base := filepath.Join(dir, fmt.Sprintf("%04d_%s", s.N, s.Slug))
		up, err := os.ReadFile(base + ".up.sql")
		if err != nil {
			t.Errorf("step %d: %v", s.N, err)
			continue
		}
		down, err := os.ReadFile(base + ".down.sql")
		if err != nil {
			t.Errorf("step %d: %v", s.N, err)
			continue
		}
		for _, st := range s.Up {
			if !bytes.Contains(up, []byte(st+";\n")) {
				t.Errorf("step %d: up file lacks %q", s.N, st)
			}
		}
		for _, st := range s.Down {
			if !bytes.Contains(down, []byte(st+";\n")) {
				t.Errorf("step %d: down file lacks %q", s.N, st)
			}
		}
	}
	// A pair for every step, so that the numbers match the checklist.
	if withSQL == 0 || len(files) != 2*len(p.Steps) {
		t.Errorf("%d files for %d steps (%d with SQL)", len(files), len(p.Steps), withSQL)
	}
	// A second run replaces the directory seams wrote; once the user put a
	// file of theirs in it, a third run refuses.
	if code, _, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--sql-dir", dir); code != exitOK {
		t.Errorf("second run: exit %d, %q", code, stderr)
	}
	if err := os.WriteFile(filepath.Join(dir, "0099_mine.up.sql"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--sql-dir", dir); code != exitFailure || !strings.Contains(stderr, "files seams did not write (0099_mine.up.sql)") {
		t.Errorf("third run: exit %d, %q", code, stderr)
	}
}

// TestPlanInferThreshold: the MusicCorp fixture's inferred reference
// stock_movement.refund_id -> refund (score 0.9) crosses warehouse ->
// finance; --infer-threshold above its score leaves it out of the plan.
func TestPlanInferThreshold(t *testing.T) {
	const id = "inferred/public/stock_movement/refund_id->public.refund"
	for _, tt := range []struct {
		threshold string
		want      bool
	}{{"0.6", true}, {"0.95", false}} {
		code, stdout, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "json", "--infer-threshold", tt.threshold)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if got := strings.Contains(stdout, `"id": "`+id+`"`); got != tt.want {
			t.Errorf("--infer-threshold %s: finding %s present %v, want %v", tt.threshold, id, got, tt.want)
		}
	}
}

// TestPlanSplit writes the MySQL MusicCorp plan, longer than GitHub takes
// in one issue, as Markdown: one document with a warning, or with --split
// an index and files under the limit. --split and --detail refuse the
// formats they do not apply to.
func TestPlanSplit(t *testing.T) {
	snap := fixturePath("../../fixtures/musiccorp/snapshot-mysql.json")
	code, stdout, stderr := seams(t, "plan", "--snapshot", snap, "--contexts", fixtureContexts, "--format", "markdown")
	if code != exitOK || !strings.Contains(stderr, "seams: warning: the Markdown plan has ") || !strings.Contains(stderr, "--split DIR") {
		t.Errorf("markdown of %d bytes: exit %d, stderr %q; want a warning", len(stdout), code, stderr)
	}
	if _, _, stderr := seams(t, "plan", "--snapshot", snap, "--contexts", fixtureContexts); strings.Contains(stderr, "warning: the Markdown") {
		t.Errorf("the text plan warns about Markdown: %s", stderr)
	}
	dir := filepath.Join(t.TempDir(), "plan")
	code, stdout, stderr = seams(t, "plan", "--snapshot", snap, "--contexts", fixtureContexts, "--split", dir)
	if code != exitOK || !strings.Contains(stdout, filepath.Join(dir, "index.md")) || strings.Contains(stderr, "warning: the Markdown") {
		t.Fatalf("--split: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if n := len([]rune(string(data))); n > 60000 {
			t.Errorf("%s: %d characters", e.Name(), n)
		}
	}
	if !slices.Contains(names, "index.md") || !slices.Contains(names, "findings.md") || len(names) < 4 {
		t.Errorf("files %v", names)
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--split", dir + "2", "--format", "text"}, "--split writes the Markdown plan"},
		{[]string{"--split", dir + "2", "-o", dir + "2.md"}, "give --split or -o, not both"},
		{[]string{"--detail", "--format", "json"}, "--detail applies to the text format"},
	} {
		code, _, stderr := seams(t, append([]string{"plan", "--snapshot", snap, "--contexts", fixtureContexts}, tt.args...)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, exitUsage, tt.want)
		}
	}
}
