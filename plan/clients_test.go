//go:build integration

package plan_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/seamsdev/seams/plan"
)

// TestSQLFilesApplyWithClients writes the MusicCorp plan's migration files
// as --sql-dir does and applies them as users do: every up file, then every
// down file in reverse, with the database's command-line client (psql -1
// -f; mariadb DB < FILE, whose DELIMITER lines the trigger steps need) and
// with a whole-file applier (the file in one Exec, as golang-migrate does:
// pgx's simple protocol; go-sql-driver/mysql with multiStatements=true, from
// the multi-statement directory on MySQL). After the downs the schema must
// be the original, names included.
func TestSQLFilesApplyWithClients(t *testing.T) {
	for _, engine := range []string{"postgres", "mysql"} {
		for _, applier := range []string{"client", "whole-file"} {
			t.Run(engine+"/"+applier, func(t *testing.T) {
				dsn, before := loadMusicCorp(t, engine)
				p, err := planOf(before, resolveMusicCorp(t, before))
				if err != nil {
					t.Fatal(err)
				}
				dropNamespacesAfter(t, engine, dsn, p)
				dir := filepath.Join(t.TempDir(), "migrations")
				if err := plan.WriteSQLDir(p, dir); err != nil {
					t.Fatal(err)
				}
				filesDir := dir
				if engine == "mysql" && applier == "whole-file" {
					filesDir = filepath.Join(dir, plan.MultiStatementDir)
				}
				ups, downs := migrationFiles(t, filesDir, len(p.Steps))
				apply := clientApplier(t, engine, dsn)
				if applier == "whole-file" {
					apply = wholeFileApplier(t, engine, dsn)
				}
				for _, f := range ups {
					apply(f)
				}
				assertSeparated(t, introspectAll(t, engine, dsn, p), p)
				for _, f := range downs {
					apply(f)
				}
				back := introspectDSN(t, engine, dsn)
				comparable(before)
				comparable(back)
				if !reflect.DeepEqual(before, back) {
					t.Errorf("snapshot after every down differs from the original:\n%s", diffSnapshots(before, back))
				}
			})
		}
	}
}

// migrationFiles returns the up files in order and the down files in
// reverse order, checking that there is a pair for each of the n steps.
func migrationFiles(t *testing.T, dir string, n int) (ups, downs []string) {
	t.Helper()
	for _, suffix := range []string{".up.sql", ".down.sql"} {
		got, err := filepath.Glob(filepath.Join(dir, "*"+suffix))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if len(got) != n {
			t.Fatalf("%d %s files for %d steps, want one per step", len(got), suffix, n)
		}
		if suffix == ".up.sql" {
			ups = got
		} else {
			slices.Reverse(got)
			downs = got
		}
	}
	return ups, downs
}

// clientApplier applies a file with psql or the mariadb (or mysql) client,
// as a user would, stopping at the first error.
func clientApplier(t *testing.T, engine, dsn string) func(path string) {
	t.Helper()
	var name string
	var args []string
	env := os.Environ()
	if engine == "postgres" {
		name = lookClient(t, "psql")
		args = []string{"-X", "-q", "-v", "ON_ERROR_STOP=1", "-1", "-d", dsn, "-f"}
	} else {
		name = lookClient(t, "mariadb", "mysql")
		cfg, err := gomysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		host, port, _ := strings.Cut(cfg.Addr, ":")
		args = []string{"-h", host, "-u", cfg.User, cfg.DBName}
		if port != "" {
			args = append(args, "-P", port)
		}
		env = append(env, "MYSQL_PWD="+cfg.Passwd)
	}
	return func(path string) {
		t.Helper()
		cmd := exec.Command(name, args...)
		if engine == "postgres" {
			cmd.Args = append(cmd.Args, path)
		} else {
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			cmd.Stdin = f
		}
		cmd.Env = env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\n%s", filepath.Base(name), filepath.Base(path), err, out.String())
		}
	}
}

// lookClient finds the first of names on PATH; the test needs it.
func lookClient(t *testing.T, names ...string) string {
	t.Helper()
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Fatalf("none of %v is on PATH: the migration files are tested with the standard clients (install postgresql-client, mariadb-client)", names)
	return ""
}

// wholeFileApplier sends each file whole, in one Exec, as golang-migrate's
// drivers do.
func wholeFileApplier(t *testing.T, engine, dsn string) func(path string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	t.Cleanup(cancel)
	var run func(string) error
	if engine == "postgres" {
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		run = func(s string) error { _, err := conn.Exec(ctx, s, pgx.QueryExecModeSimpleProtocol); return err }
	} else {
		cfg, err := gomysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		cfg.MultiStatements = true
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		t.Cleanup(func() { db.Close() })
		run = func(s string) error { _, err := db.ExecContext(ctx, s); return err }
	}
	return func(path string) {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := run(string(data)); err != nil {
			t.Fatalf("%s: %v", filepath.Base(path), err)
		}
	}
}
