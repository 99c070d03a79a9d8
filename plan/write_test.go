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
	// 4 separate catalog, 5 service catalog (no SQL)
	want := []string{
		"0001_separate_finance.down.sql", "0001_separate_finance.up.sql",
		"0002_drop_fk_ledger_ledger_album.down.sql", "0002_drop_fk_ledger_ledger_album.up.sql",
		"0004_separate_catalog.down.sql", "0004_separate_catalog.up.sql",
	}
	if !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
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
	if e, _ := os.ReadDir(empty); len(e) != 7 { // the files and the marker
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

func TestMySQLCompoundNote(t *testing.T) {
	p := &plan.Plan{Dialect: "mysql", Steps: []plan.Step{
		{N: 1, Slug: "move", Up: []string{"CREATE TRIGGER `t` AFTER INSERT ON `a` FOR EACH ROW BEGIN\n  INSERT INTO b VALUES (1);\nEND"}, Down: []string{"DROP TRIGGER `t`"}},
		{N: 2, Slug: "plain", Up: []string{"ALTER TABLE `a` DROP FOREIGN KEY `f`"}, Down: []string{"ALTER TABLE `a` ADD CONSTRAINT `f` FOREIGN KEY (`x`) REFERENCES `b` (`y`)"}},
	}}
	files := plan.SQLFiles(p)
	if !strings.Contains(string(files["0001_move.up.sql"]), "DELIMITER") {
		t.Errorf("trigger file lacks the client note:\n%s", files["0001_move.up.sql"])
	}
	for _, f := range []string{"0001_move.down.sql", "0002_plain.up.sql"} {
		if strings.Contains(string(files[f]), "DELIMITER") {
			t.Errorf("%s has the trigger note but creates no trigger", f)
		}
	}
	p.Dialect = "postgres"
	if strings.Contains(string(plan.SQLFiles(p)["0001_move.up.sql"]), "DELIMITER") {
		t.Error("PostgreSQL file has the MySQL client note")
	}
}
