package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

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

// checkGolden compares got with testdata/name, or rewrites it under -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/seams -run %s -update writes it; review it by eye)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s; run go test ./cmd/seams -run %s -update and review the diff", path, t.Name())
	}
}

// TestPlanGolden runs seams plan on the MusicCorp snapshot and map in each
// format and compares the output with the reviewed golden files.
func TestPlanGolden(t *testing.T) {
	tests := []struct {
		format, file string
	}{
		{"text", "musiccorp.plan.txt"},
		{"markdown", "musiccorp.plan.md"},
		{"json", "musiccorp.plan.json"},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			code, stdout, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", tt.format)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			checkGolden(t, tt.file, []byte(stdout))
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
		{"missing map", []string{"--contexts", filepath.Join(dir, "nope.yaml"), "-o", out}, exitFailure, "seams: read contexts map: "},
		{"bad format", []string{"--contexts", fixtureContexts, "--format", "html"}, exitUsage, `seams: --format "html": want text, markdown or json`},
		{"bad format with -o", []string{"--contexts", fixtureContexts, "--format", "yaml", "-o", out}, exitUsage, `seams: --format "yaml"`},
		{"-o into a missing directory", []string{"--contexts", fixtureContexts, "-o", filepath.Join(dir, "no", "plan.txt")}, exitFailure, "seams: write " + filepath.Join(dir, "no", "plan.txt") + ": "},
		{"static-dir without a database", []string{"--contexts", fixtureContexts, "--static-dir", filepath.Join(dir, "static")}, exitUsage, "seams: --static-dir needs --dsn: the rows are read from the database"},
		{"negative threshold", []string{"--contexts", fixtureContexts, "--static-threshold", "-1"}, exitUsage, "seams: --static-threshold must not be negative"},
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
		if !name.MatchString(e.Name()) {
			t.Errorf("file %q is not NNNN_slug.up.sql or .down.sql", e.Name())
		}
		files[e.Name()] = true
	}
	withSQL := 0
	for _, s := range p.Steps {
		if len(s.Up) == 0 && len(s.Down) == 0 {
			continue
		}
		withSQL++
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
	if withSQL == 0 || len(files) != 2*withSQL {
		t.Errorf("%d files for %d steps with SQL", len(files), withSQL)
	}
	// A second run into the now non-empty directory fails.
	if code, _, stderr := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--sql-dir", dir); code != exitFailure || !strings.Contains(stderr, "not empty") {
		t.Errorf("second run: exit %d, %q", code, stderr)
	}
}

// TestPlanFromDSN runs seams plan straight from a PostgreSQL database with
// the MusicCorp fixture loaded: the plan equals the one from the committed
// snapshot except for the source (database name, host, capture time,
// versions) and the evidence read from the activity counters, which the
// committed snapshot leaves out (they depend on the server's timing; see
// fixtures/musiccorp/snapshot_test.go). The counters are reset after the
// load, so they show no writes and change no finding.
func TestPlanFromDSN(t *testing.T) {
	dsn := testdb.Postgres(t)
	// Analysed, as the committed snapshot was; counters reset, so that
	// loading the fixture does not count as writes.
	testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL+"\nANALYZE;")
	resetCounters(t, dsn)
	code, live, stderr := seams(t, "plan", "--dsn", dsn, "--contexts", fixtureContexts, "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, fromFile, _ := seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "json")
	norm := func(s string) string {
		var p plan.Plan
		if err := json.Unmarshal([]byte(s), &p); err != nil {
			t.Fatal(err)
		}
		p.Source = schema.Source{}
		for i := range p.Findings {
			p.Findings[i].Evidence = slices.DeleteFunc(p.Findings[i].Evidence, func(e string) bool {
				return strings.Contains(e, "since the counters were reset")
			})
		}
		var b bytes.Buffer
		if err := p.Encode(&b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if a, b := norm(live), norm(fromFile); a != b {
		t.Errorf("plan from --dsn differs from the plan from the snapshot:\n%s", firstDiff(a, b))
	}
}

// resetCounters waits for the statistics of the session that loaded the
// fixture to reach the cumulative statistics (PostgreSQL 15 flushes them
// when the session ends), then resets the database's counters.
func resetCounters(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	deadline := time.Now().Add(20 * time.Second)
	for {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT coalesce(sum(n_tup_ins), 0)::bigint FROM pg_stat_user_tables WHERE relname = 'country'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the fixture's inserts never reached pg_stat_user_tables")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_stat_reset()"); err != nil {
		t.Fatal(err)
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n  dsn:      %s\n  snapshot: %s", i+1, la[i], lb[i])
		}
	}
	return "lengths differ"
}

// TestPlanStaticDir exports the static reference data of the MusicCorp
// fixture from PostgreSQL and from MariaDB: country, 249 rows, the same
// data files from both engines.
func TestPlanStaticDir(t *testing.T) {
	pg := testdb.Postgres(t)
	testdb.ExecPostgres(t, pg, musiccorp.PostgresSQL)
	my := testdb.MySQL(t)
	testdb.ExecMySQL(t, my, musiccorp.MySQLSQL)

	export := func(dsn string) string {
		dir := filepath.Join(t.TempDir(), "static")
		code, stdout, stderr := seams(t, "plan", "--dsn", dsn, "--contexts", fixtureContexts, "--static-dir", dir)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if !strings.Contains(stdout, "country") {
			t.Error("the plan was not printed")
		}
		return dir
	}
	pgDir, myDir := export(pg), export(testdb.MySQLURL(my))

	for _, dir := range []string{pgDir, myDir} {
		var names []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			names = append(names, e.Name())
		}
		for _, want := range []string{"country.json", "country.csv", "country.go", "Country.java", "country.ts"} {
			if !slices.Contains(names, want) {
				t.Errorf("%s: no %s among %q", dir, want, names)
			}
		}
		data, err := os.ReadFile(filepath.Join(dir, "country.json"))
		if err != nil {
			t.Fatal(err)
		}
		var rows []map[string]string
		if err := json.Unmarshal(data, &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 249 || rows[0]["code"] != "AD" || rows[0]["name"] != "Andorra" || rows[248]["code"] != "ZW" {
			t.Errorf("%s: %d rows, first %v", dir, len(rows), rows[0])
		}
		recs, err := csv.NewReader(bytes.NewReader(readTestFile(t, filepath.Join(dir, "country.csv")))).ReadAll()
		if err != nil || len(recs) != 250 || !slices.Equal(recs[0], []string{"code", "name"}) {
			t.Errorf("%s: country.csv: %d records, header %q, %v", dir, len(recs), recs[0], err)
		}
	}
	// The same data from both engines: the data files are identical; the
	// constant lists differ only in the schema named in their comments.
	for _, f := range []string{"country.json", "country.csv"} {
		if !bytes.Equal(readTestFile(t, filepath.Join(pgDir, f)), readTestFile(t, filepath.Join(myDir, f))) {
			t.Errorf("%s differs between PostgreSQL and MariaDB", f)
		}
	}
	for _, f := range []string{"country.go", "Country.java", "country.ts"} {
		a := dropComments(readTestFile(t, filepath.Join(pgDir, f)))
		b := dropComments(readTestFile(t, filepath.Join(myDir, f)))
		if a != b {
			t.Errorf("%s differs between PostgreSQL and MariaDB beyond its comments", f)
		}
	}

	// --static-dir into a non-empty directory fails and writes nothing.
	code, _, stderr := seams(t, "plan", "--dsn", pg, "--contexts", fixtureContexts, "--static-dir", pgDir)
	if code != exitFailure || !strings.Contains(stderr, "not empty") {
		t.Errorf("export into a non-empty directory: exit %d, %q", code, stderr)
	}
}

// TestPlanStaticDirHostile exports a static table whose name and values
// are hostile, from PostgreSQL, and reads the rows back from the JSON and
// CSV files.
func TestPlanStaticDirHostile(t *testing.T) {
	pg := testdb.Postgres(t)
	testdb.ExecPostgres(t, pg, `
CREATE TABLE "we""ird; -- tab/*le 名前" (code text PRIMARY KEY, "na""me */" text);
INSERT INTO "we""ird; -- tab/*le 名前" VALUES
  ('a', 'say "hi" \ back\slash'), ('b', 'line
break */ -- ;'), ('c', NULL), ('d', 'ü 名前 😀');
CREATE TABLE other (id integer PRIMARY KEY);
`)
	dir := t.TempDir()
	ctx := filepath.Join(dir, "contexts.yaml")
	if err := os.WriteFile(ctx, []byte("contexts:\n  app:\n    tables: [other]\nstatic: [\"we\\\"ird; -- tab/*le 名前\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "static")
	code, _, stderr := seams(t, "plan", "--dsn", pg, "--contexts", ctx, "--static-dir", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	jsons, _ := filepath.Glob(filepath.Join(out, "*.json"))
	if len(jsons) != 1 || !strings.HasPrefix(filepath.Base(jsons[0]), "we_ird_tab_le_") {
		t.Fatalf("json files %q", jsons)
	}
	var rows []map[string]*string
	if err := json.Unmarshal(readTestFile(t, jsons[0]), &rows); err != nil {
		t.Fatal(err)
	}
	want := []struct{ code, name string }{{"a", `say "hi" \ back\slash`}, {"b", "line\nbreak */ -- ;"}, {"c", ""}, {"d", "ü 名前 😀"}}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(rows), len(want))
	}
	for i, w := range want {
		got := rows[i][`na"me */`]
		if *rows[i]["code"] != w.code || (w.code == "c") != (got == nil) || (got != nil && *got != w.name) {
			t.Errorf("row %d = %v", i, rows[i])
		}
	}
	recs, err := csv.NewReader(bytes.NewReader(readTestFile(t, strings.TrimSuffix(jsons[0], ".json")+".csv"))).ReadAll()
	if err != nil || len(recs) != 5 || recs[2][1] != "line\nbreak */ -- ;" {
		t.Errorf("csv %q, %v", recs, err)
	}
}

// readTestFile reads a file or fails the test.
func readTestFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dropComments removes the comment lines (//, /** */) of a generated file.
func dropComments(b []byte) string {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "//") || strings.HasPrefix(t, "/**") {
			continue
		}
		if i := strings.Index(l, " // column"); i >= 0 {
			l = l[:i]
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}
