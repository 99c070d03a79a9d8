package plan_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

func sqlPlan(t *testing.T) *plan.Plan {
	album := table("album", "id")
	ledger := fk(table("ledger", "id", "album_id"), "ledger_album", []string{"album_id"}, "album", []string{"id"}, schema.Restrict)
	return build(t, snap(album, ledger), "catalog: album; finance: ledger")
}

func TestWriteSQLDir(t *testing.T) {
	p := sqlPlan(t)
	dir := filepath.Join(t.TempDir(), "migrations")
	if err := plan.WriteSQLDir(p, dir); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	// steps: 1 separate finance, 2 drop fk, 3 service finance (no SQL),
	// 4 separate catalog, 5 service catalog (no SQL): a pair for every
	// step, so that the numbers match the checklist.
	want := []string{
		"0001_separate_finance.down.sql", "0001_separate_finance.up.sql",
		"0002_drop_fk_ledger_ledger_album.down.sql", "0002_drop_fk_ledger_ledger_album.up.sql",
		"0003_service_finance.down.sql", "0003_service_finance.up.sql",
		"0004_separate_catalog.down.sql", "0004_separate_catalog.up.sql",
		"0005_service_catalog.down.sql", "0005_service_catalog.up.sql",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	for _, f := range []string{"0003_service_finance.up.sql", "0003_service_finance.down.sql"} {
		data, _ := os.ReadFile(filepath.Join(dir, f))
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if line != "" && !strings.HasPrefix(line, "-- ") {
				t.Errorf("%s: %q, want comments only", f, line)
			}
		}
		if !strings.Contains(string(data), "no SQL") {
			t.Errorf("%s does not say the step has no SQL:\n%s", f, data)
		}
	}
	up, _ := os.ReadFile(filepath.Join(dir, "0002_drop_fk_ledger_ledger_album.up.sql"))
	down, _ := os.ReadFile(filepath.Join(dir, "0002_drop_fk_ledger_ledger_album.down.sql"))
	if !strings.Contains(string(up), `ALTER TABLE "finance"."ledger" DROP CONSTRAINT "ledger_album";`) ||
		!strings.Contains(string(up), "-- expect: 0") {
		t.Errorf("up file:\n%s", up)
	}
	if !strings.Contains(string(down), `ADD CONSTRAINT "ledger_album" FOREIGN KEY ("album_id") REFERENCES "app"."album" ("id")`) {
		t.Errorf("down file:\n%s", down)
	}

	// The directory seams wrote is replaced; one it did not is refused.
	if err := plan.WriteSQLDir(p, dir); err != nil {
		t.Errorf("second write: %v", err)
	}
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "0001_mine.up.sql"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := plan.WriteSQLDir(p, foreign); err == nil || !strings.Contains(err.Error(), "not written by seams") {
		t.Errorf("write over a directory of the user's: %v", err)
	}
	// A failure leaves nothing behind: the parent does not exist.
	bad := filepath.Join(t.TempDir(), "missing", "migrations")
	if err := plan.WriteSQLDir(p, bad); err == nil {
		t.Errorf("write under a missing parent succeeded")
	}
	if _, err := os.Stat(filepath.Dir(bad)); !os.IsNotExist(err) {
		t.Errorf("something was created: %v", err)
	}
	// An existing empty directory is filled.
	empty := t.TempDir()
	if err := plan.WriteSQLDir(p, empty); err != nil {
		t.Fatal(err)
	}
	if e, _ := os.ReadDir(empty); len(e) != 11 { // the files and the marker
		t.Errorf("%d files in the empty directory", len(e))
	}
	left, _ := os.ReadDir(filepath.Dir(empty))
	for _, e := range left {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary %s left behind", e.Name())
		}
	}
}

// TestSQLCommentsCannotBeEscaped checks that a name with line breaks in a
// step's title or verification query cannot end the SQL comment it is
// written in: once the statements themselves are taken out, every line of
// a file is a comment or empty.
func TestSQLCommentsCannotBeEscaped(t *testing.T) {
	evil := "t\rDROP TABLE x; --\nDROP TABLE y;\r\n"
	album := table("album", "id")
	ledger := fk(table(evil, "id", "album_id"), "k\nDROP TABLE z;", []string{"album_id"}, "album", []string{"id"}, schema.Restrict)
	a := assign(snap(album, ledger), "catalog: album")
	a.Contexts = append(a.Contexts, "finance")
	a.Claims[name(evil)] = append(a.Claims[name(evil)], claim("finance"))
	p, err := planOf(snap(album, ledger), a)
	if err != nil {
		t.Fatal(err)
	}
	files := plan.SQLFiles(p)
	if len(files) == 0 {
		t.Fatal("no files")
	}
	for _, st := range p.Steps {
		for suffix, stmts := range map[string][]string{".up.sql": st.Up, ".down.sql": st.Down} {
			data, ok := files[fmt.Sprintf("%04d_%s%s", st.N, st.Slug, suffix)]
			if !ok {
				continue
			}
			rest := string(data)
			for _, stmt := range stmts {
				rest = strings.Replace(rest, stmt+";", "", 1)
			}
			rest = strings.ReplaceAll(rest, "\r\n", "\n")
			for _, line := range strings.FieldsFunc(rest, func(r rune) bool { return r == '\n' || r == '\r' }) {
				if !strings.HasPrefix(line, "-- ") {
					t.Errorf("step %d%s: %q is outside a comment", st.N, suffix, line)
				}
			}
		}
	}
}

// TestMySQLFileForms: a MySQL statement with semicolons in its body is
// wrapped in DELIMITER lines for the command-line clients, and written
// plain in the multi-statement directory for whole-file appliers; every
// other file is the same in both, and each says which appliers it is for.
func TestMySQLFileForms(t *testing.T) {
	trigger := "CREATE TRIGGER `t` AFTER INSERT ON `a` FOR EACH ROW BEGIN\n  INSERT INTO b VALUES (1);\nEND"
	dollars := "CREATE TRIGGER `t$$` AFTER INSERT ON `a` FOR EACH ROW BEGIN\n  INSERT INTO b VALUES (1);\nEND"
	p := &plan.Plan{Dialect: "mysql", Steps: []plan.Step{
		{N: 1, Slug: "move", Up: []string{"RENAME TABLE `a` TO `x`.`a`", trigger}, Down: []string{"DROP TRIGGER `t`"}},
		{N: 2, Slug: "plain", Up: []string{"ALTER TABLE `a` DROP FOREIGN KEY `f`"}, Down: []string{"ALTER TABLE `a` ADD CONSTRAINT `f` FOREIGN KEY (`x`) REFERENCES `b` (`y`)"}},
		{N: 3, Slug: "app_only"},
		{N: 4, Slug: "dollars", Up: []string{dollars}, Down: []string{"DROP TRIGGER `t$$`"}},
	}}
	files := plan.SQLFiles(p)
	client, whole := string(files["0001_move.up.sql"]), string(files["multi-statement/0001_move.up.sql"])
	if !strings.Contains(client, "DELIMITER $$\n"+trigger+"\n$$\nDELIMITER ;\n") || !strings.Contains(client, "RENAME TABLE `a` TO `x`.`a`;\n") ||
		!strings.Contains(client, "use multi-statement/0001_move.up.sql") {
		t.Errorf("client file:\n%s", client)
	}
	if strings.Contains(whole, "DELIMITER $") || strings.Contains(whole, "DELIMITER ;") || !strings.Contains(whole, trigger+";\n") || !strings.Contains(whole, "use ../0001_move.up.sql") {
		t.Errorf("whole-file file:\n%s", whole)
	}
	if got := string(files["0004_dollars.up.sql"]); !strings.Contains(got, "DELIMITER $$$\n"+dollars+"\n$$$\n") {
		t.Errorf("a body holding $$ needs another delimiter:\n%s", got)
	}
	for _, f := range []string{"0001_move.down.sql", "0002_plain.up.sql", "0002_plain.down.sql", "0003_app_only.up.sql"} {
		if string(files[f]) != string(files["multi-statement/"+f]) {
			t.Errorf("%s differs between the forms:\n%s\n---\n%s", f, files[f], files["multi-statement/"+f])
		}
		if strings.Contains(string(files[f]), "DELIMITER") || !strings.Contains(string(files[f]), "and with whole-file appliers") {
			t.Errorf("%s:\n%s", f, files[f])
		}
	}
	// An empty query is an error for a whole-file applier: a step without
	// SQL does nothing, with a statement.
	if !strings.Contains(string(files["0003_app_only.up.sql"]), "\nDO 0;\n") {
		t.Errorf("no-SQL step:\n%s", files["0003_app_only.up.sql"])
	}
	if len(files) != 16 {
		t.Errorf("%d files, want a pair per step in each form", len(files))
	}
	p.Dialect = "postgres"
	pg := plan.SQLFiles(p)
	if strings.Contains(string(pg["0001_move.up.sql"]), "DELIMITER") || len(pg) != 8 || strings.Contains(string(pg["0003_app_only.up.sql"]), "DO 0") {
		t.Errorf("PostgreSQL files: %d\n%s", len(pg), pg["0001_move.up.sql"])
	}
}
