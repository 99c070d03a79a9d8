//go:build integration

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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

	// --static-dir into a directory with a file seams did not write fails
	// and writes nothing.
	if err := os.WriteFile(filepath.Join(pgDir, "mine.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := seams(t, "plan", "--dsn", pg, "--contexts", fixtureContexts, "--static-dir", pgDir)
	if code != exitFailure || !strings.Contains(stderr, "files seams did not write (mine.txt)") {
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
