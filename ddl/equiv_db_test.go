//go:build integration

package ddl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/introspect/mysql"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
)

// The equivalence tests load a schema into the real server, read it back
// live, dump it (pg_dump --schema-only, mysqldump --no-data), and check
// that the dump — and the hand-written file too — gives the live snapshot,
// apart from what a file cannot know: row estimates, sizes, activity
// counters, the column types of views and, for MySQL views and triggers a
// file creates without saying, their DEFINER and the session they were
// created in (see withoutUnstated),
// and the server's own spelling of view definitions (compared as parse
// trees for a dump, not compared for a hand-written file). Hand-written
// files also differ where the server rewrites an expression when it stores
// it; each test lists those differences by path, so that any other one
// fails.

var testNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// livePostgres loads script into a fresh database and introspects it.
func livePostgres(t *testing.T, script string) (string, *schema.Snapshot) {
	t.Helper()
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, script)
	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := postgres.Introspect(context.Background(), &introspect.Config{DSN: d, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("introspect: %v", err)
	}
	return dsn, snap
}

// liveMySQL loads script into a fresh database and introspects it.
func liveMySQL(t *testing.T, script string) (string, *schema.Snapshot) {
	t.Helper()
	dsn := testdb.MySQL(t)
	testdb.ExecMySQL(t, dsn, script)
	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := mysql.Introspect(context.Background(), &introspect.Config{DSN: d, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("introspect: %v", err)
	}
	return dsn, snap
}

// tool finds a client program: $env names it, else it is looked up on
// the PATH. A missing program fails the test: it is never skipped.
func tool(t testing.TB, env, name string) string {
	t.Helper()
	if p := os.Getenv(env); p != "" {
		return p
	}
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install the PostgreSQL and MariaDB/MySQL clients or set %s", name, env)
	}
	return p
}

// pgDump returns pg_dump --schema-only of the database.
func pgDump(t testing.TB, dsn string) string {
	t.Helper()
	out, err := exec.Command(tool(t, "SEAMS_TEST_PG_DUMP", "pg_dump"), "--schema-only", "--dbname="+dsn).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v: %s", err, stderrOf(err))
	}
	return string(out)
}

// myDump returns mysqldump --no-data --routines --triggers of the database.
func myDump(t testing.TB, dsn string) string {
	t.Helper()
	cfg, err := gomysql.ParseDSN(dsn)
	if err != nil {
		t.Fatal(err)
	}
	host, port := cfg.Addr, "3306"
	if i := strings.LastIndexByte(cfg.Addr, ':'); i >= 0 {
		host, port = cfg.Addr[:i], cfg.Addr[i+1:]
	}
	args := []string{"--no-data", "--routines", "--triggers", "--host=" + host, "--port=" + port, "--user=" + cfg.User, cfg.DBName}
	cmd := exec.Command(tool(t, "SEAMS_TEST_MYSQLDUMP", "mysqldump"), args...)
	cmd.Env = append(os.Environ(), "MYSQL_PWD="+cfg.Passwd)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mysqldump: %v: %s", err, stderrOf(err))
	}
	return string(out)
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}

// readDDL reads src as the file name, forcing the engine, and fails on
// statements it could not parse or apply.
func readDDL(t *testing.T, name, src string, engine schema.Engine, database string) *Result {
	t.Helper()
	res, err := Read(name, []byte(src), Options{Engine: engine, Database: database, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("Read %s: %v", name, err)
	}
	for _, p := range res.Unparsed {
		t.Errorf("%s:%d:%d: not parsed: %s", name, p.Line, p.Col, p.Msg)
	}
	for _, p := range res.NotApplied {
		t.Errorf("%s:%d:%d: not applied: %s", name, p.Line, p.Col, p.Msg)
	}
	return res
}

// comparable returns the facts of a snapshot both a file and the live
// catalog know, as JSON lines keyed by path.
func comparable(s *schema.Snapshot, viewDefs string) map[string]string {
	out := map[string]string{}
	put := func(key string, v any) {
		b, _ := json.Marshal(v)
		out[key] = string(b)
	}
	for _, sc := range s.Schemas {
		put("schema "+sc.Name, sc)
	}
	for _, t := range s.Tables {
		k := "table " + t.TableName().String()
		put(k, map[string]any{"kind": t.Kind, "partition_of": t.PartitionOf, "comment": t.Comment, "primary_key": t.PrimaryKey})
		for i, c := range t.Columns {
			put(fmt.Sprintf("%s column %d", k, i), c)
		}
		for _, u := range t.Uniques {
			put(k+" unique "+u.Name, u)
		}
		for _, ix := range t.Indexes {
			put(k+" index "+ix.Name, ix)
		}
		for _, c := range t.Checks {
			put(k+" check "+c.Name, c)
		}
		for _, fk := range t.ForeignKeys {
			fk.Location = nil
			put(k+" fk "+fk.Name, fk)
		}
	}
	for _, v := range s.Views {
		k := "view " + v.TableName().String()
		def := ""
		switch viewDefs {
		case "tree":
			def = queryTree(v.Definition)
		case "text":
			def = v.Definition
		}
		put(k, map[string]any{"materialized": v.Materialized, "comment": v.Comment, "reads": v.Reads, "unresolved": v.Unresolved, "definition": def,
			"security": v.Security, "check_option": v.CheckOption, "algorithm": v.Algorithm, "definer": v.Definer, "created_with": v.CreatedWith})
	}
	for _, rt := range s.Routines {
		// A file spells a routine's argument types as written; the server
		// prints its identity arguments with their names.
		rt.Arguments = ""
		put("routine "+rt.Schema+"."+rt.Name, rt)
	}
	for _, tr := range s.Triggers {
		tr.Location = nil
		put("trigger "+tr.Table.String()+" "+tr.Name, tr)
	}
	return out
}

// queryTree is a query's parse tree without locations, for comparing the
// two spellings PostgreSQL gives of one view (pg_dump's plain one and the
// pretty one the introspector reads).
func queryTree(sql string) string {
	tree, err := pg_query.Parse(sql)
	if err != nil {
		return "unparsable: " + err.Error()
	}
	clearLocations(tree.ProtoReflect())
	b, _ := json.Marshal(tree)
	return string(b)
}

// withoutUnstated returns live without what the file does not state of
// its MySQL views and triggers, which the server takes from the session
// that loaded it: the DEFINER of those created without one, and the
// session (sql_mode, character set, collation) of those created without
// SET statements before them.
func withoutUnstated(live, file *schema.Snapshot) *schema.Snapshot {
	definer, session := map[string]bool{}, map[string]bool{}
	for _, v := range file.Views {
		k := "view " + v.TableName().String()
		definer[k], session[k] = v.Definer != "", v.CreatedWith != nil
	}
	for _, tr := range file.Triggers {
		k := "trigger " + tr.Schema + "." + tr.Name
		definer[k], session[k] = tr.Definer != "", tr.CreatedWith != nil
	}
	out := *live
	out.Views, out.Triggers = slices.Clone(live.Views), slices.Clone(live.Triggers)
	for i := range out.Views {
		k := "view " + out.Views[i].TableName().String()
		if !definer[k] {
			out.Views[i].Definer = ""
		}
		if !session[k] {
			out.Views[i].CreatedWith = nil
		}
	}
	for i := range out.Triggers {
		k := "trigger " + out.Triggers[i].Schema + "." + out.Triggers[i].Name
		if !definer[k] {
			out.Triggers[i].Definer = ""
		}
		if !session[k] {
			out.Triggers[i].CreatedWith = nil
		}
	}
	return &out
}

// assertSame compares the facts of the file's snapshot with the live
// one's. allowed lists, by key, the facts known to differ for this file;
// each must differ (a stale entry fails too).
func assertSame(t *testing.T, what string, live, file *schema.Snapshot, viewDefs string, allowed map[string]bool) {
	t.Helper()
	assertFacts(t, what, live, file, viewDefs, allowed, nil)
}

// assertSameExcept is assertSame with a rule for the differences allowed.
func assertSameExcept(t *testing.T, what string, live, file *schema.Snapshot, viewDefs string, ignore func(key, live, file string) bool) {
	t.Helper()
	assertFacts(t, what, live, file, viewDefs, nil, ignore)
}

func assertFacts(t *testing.T, what string, live, file *schema.Snapshot, viewDefs string, allowed map[string]bool, ignore func(key, live, file string) bool) {
	t.Helper()
	if viewDefs == "tree-if-postgres" {
		viewDefs = ""
		if live.Source.Engine == schema.Postgres {
			viewDefs = "tree"
		}
	}
	live = withoutUnstated(live, file)
	a, b := comparable(live, viewDefs), comparable(file, viewDefs)
	var diffs []string
	seen := map[string]bool{}
	for k, lv := range a {
		fv, ok := b[k]
		if !ok {
			fv = "(absent)"
		}
		if lv != fv {
			seen[k] = true
			if !allowed[k] && (ignore == nil || !ignore(k, lv, fv)) {
				diffs = append(diffs, fmt.Sprintf("%s\n   live: %s\n   file: %s", k, lv, fv))
			}
		}
	}
	for k, fv := range b {
		if _, ok := a[k]; !ok {
			seen[k] = true
			if !allowed[k] {
				diffs = append(diffs, fmt.Sprintf("%s\n   live: (absent)\n   file: %s", k, fv))
			}
		}
	}
	for k := range allowed {
		if !seen[k] {
			diffs = append(diffs, "allowed difference does not occur (remove it): "+k)
		}
	}
	if len(diffs) > 0 {
		t.Errorf("%s: %d difference(s) from the live catalog:\n%s", what, len(diffs), strings.Join(sortedStrings(diffs), "\n"))
	}
}

func sortedStrings(ss []string) []string {
	out := append([]string(nil), ss...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// checkLocations checks that every table, foreign key, view and trigger
// of a file's snapshot points at a line of the file that names it.
func checkLocations(t *testing.T, name, src string, s *schema.Snapshot) {
	t.Helper()
	lines := strings.Split(src, "\n")
	check := func(what string, l *schema.Location, words ...string) {
		if l == nil {
			t.Errorf("%s: no location", what)
			return
		}
		if l.File != name || l.Line < 1 || l.Line > len(lines) {
			t.Errorf("%s: location %s outside %s", what, l, name)
			return
		}
		// The statement may start on an earlier line than the name.
		text := strings.Join(lines[l.Line-1:min(len(lines), l.Line+3)], "\n")
		for _, w := range words {
			if !bytes.Contains(bytes.ToLower([]byte(text)), bytes.ToLower([]byte(w))) {
				t.Errorf("%s: line %d does not show %q: %s", what, l.Line, w, lines[l.Line-1])
			}
		}
	}
	for _, tb := range s.Tables {
		check("table "+tb.TableName().String(), tb.Location, "create")
		for _, fk := range tb.ForeignKeys {
			check("foreign key "+fk.Name, fk.Location)
		}
	}
	for _, v := range s.Views {
		check("view "+v.TableName().String(), v.Location, "view")
	}
	for _, tr := range s.Triggers {
		check("trigger "+tr.Name, tr.Location, "trigger")
	}
}
