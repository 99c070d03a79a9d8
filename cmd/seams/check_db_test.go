//go:build integration

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/seamsdev/seams/baseline"
	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/sariftest"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/render/sarif"
	"github.com/seamsdev/seams/snapdiff"
)

// TestCheckEndToEnd guards the MusicCorp database on each engine as CI
// would: a baseline of today's coupling; a crossing foreign key added
// fails the check with exactly that finding (a constraint renamed at the
// same time is not new); the key dropped with its column passes, and so
// does dropping another crossing key whose column stays (the reference is
// still there, undeclared: the same coupling, moved) and a crossing
// trigger dropped is reported as progress; the SARIF validates every time;
// --update-baseline prunes the fixed trigger; seams diff compares the
// first snapshot with the live database.
func TestCheckEndToEnd(t *testing.T) {
	engines := []struct {
		name   string
		dsn    func(t *testing.T) (dsn, schema string)
		exec   func(t testing.TB, dsn, script string)
		add    string // adds invoice -> customer and renames ledger -> supplier
		remove string // drops invoice.customer_id, order_line -> line_item and a crossing trigger
	}{
		{
			name: "postgres",
			dsn: func(t *testing.T) (string, string) {
				dsn := testdb.Postgres(t)
				testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL)
				return dsn, "public"
			},
			exec: testdb.ExecPostgres,
			add: `ALTER TABLE invoice ADD COLUMN customer_id bigint REFERENCES customer (customer_id);
				ALTER TABLE invoice RENAME CONSTRAINT invoice_customer_id_fkey TO invoice_customer_fk;
				ALTER TABLE ledger RENAME CONSTRAINT ledger_supplier_id_fkey TO fk_ledger_supplier`,
			remove: `ALTER TABLE invoice DROP COLUMN customer_id;
				ALTER TABLE order_line DROP CONSTRAINT order_line_line_item_id_fkey;
				DROP TRIGGER refund_after_insert_restock ON refund`,
		},
		{
			name: "mysql",
			dsn: func(t *testing.T) (string, string) {
				dsn := testdb.MySQL(t)
				testdb.ExecMySQL(t, dsn, musiccorp.MySQLSQL)
				return dsn, dsnDatabase(dsn)
			},
			exec: testdb.ExecMySQL,
			add: `ALTER TABLE invoice ADD COLUMN customer_id bigint NULL,
					ADD CONSTRAINT invoice_customer_fk FOREIGN KEY (customer_id) REFERENCES customer (customer_id);
				ALTER TABLE ledger DROP FOREIGN KEY ledger_supplier_id_fkey,
					ADD CONSTRAINT fk_ledger_supplier FOREIGN KEY (supplier_id) REFERENCES supplier (supplier_id) ON DELETE SET NULL ON UPDATE NO ACTION`,
			remove: `ALTER TABLE invoice DROP FOREIGN KEY invoice_customer_fk;
				ALTER TABLE invoice DROP COLUMN customer_id;
				ALTER TABLE order_line DROP FOREIGN KEY order_line_line_item_id_fkey;
				DROP TRIGGER refund_after_insert_restock`,
		},
	}
	for _, e := range engines {
		t.Run(e.name, func(t *testing.T) {
			dsn, sch := e.dsn(t)
			dir := t.TempDir()
			t.Chdir(dir)
			base := filepath.Join(dir, "seams-baseline.json")
			first := filepath.Join(dir, "first.json")
			if code, _, stderr := seams(t, "introspect", "--dsn", dsn, "-o", first); code != exitOK {
				t.Fatalf("introspect: exit %d: %s", code, stderr)
			}
			run := func(want int, more ...string) (*check.Result, *sarif.Log) {
				t.Helper()
				args := append([]string{"check", "--dsn", dsn, "--contexts", fixtureContexts, "--baseline", base,
					"--format", "json", "--report", "sarif=seams.sarif"}, more...)
				code, stdout, stderr := seams(t, args...)
				if code != want {
					t.Fatalf("%v: exit %d, want %d: %s\n%s", more, code, want, stderr, stdout)
				}
				var r check.Result
				if err := json.Unmarshal([]byte(stdout), &r); err != nil {
					t.Fatal(err)
				}
				data, err := os.ReadFile(filepath.Join(dir, "seams.sarif"))
				if err != nil {
					t.Fatal(err)
				}
				sariftest.Validate(t, data)
				var log sarif.Log
				if err := json.Unmarshal(data, &log); err != nil {
					t.Fatal(err)
				}
				return &r, &log
			}

			// Today's coupling, accepted.
			r, _ := run(exitOK, "--update-baseline", "--accept")
			accepted := len(r.Known)
			if accepted < 20 || len(r.New) != 0 {
				t.Fatalf("baseline: %d known, %d new", accepted, len(r.New))
			}
			b, err := baseline.Read(base)
			if err != nil || len(b.Findings) != accepted {
				t.Fatalf("baseline file: %v, %d findings", err, len(b.Findings))
			}

			// A crossing key added, another renamed: exactly one new finding.
			e.exec(t, dsn, e.add)
			r, log := run(exitCheckFailed)
			want := "fk:" + sch + ".invoice(customer_id)->" + sch + ".customer(customer_id)"
			if len(r.New) != 1 || r.New[0].Key != want || len(r.Fixed) != 0 || len(r.Known) != accepted {
				t.Fatalf("after adding: new %+v, %d fixed, %d known; want only %s", r.New, len(r.Fixed), len(r.Known), want)
			}
			if res := log.Runs[0].Results; len(res) != 1 || res[0].PartialFingerprints["seamsKey/v1"] != want ||
				res[0].Locations[0].PhysicalLocation.Region.StartLine != 24 {
				t.Errorf("SARIF results: %+v", res)
			}

			// The new key dropped with its column; order_line's key dropped
			// with its column left (the reference remains, undeclared: the
			// same coupling); the crossing trigger dropped: passes, with the
			// progress reported.
			e.exec(t, dsn, e.remove)
			r, log = run(exitOK)
			fixed := "trigger:" + sch + ".refund[writes:" + sch + ".picking+" + sch + ".stock_movement]"
			if !r.Passed || len(r.New) != 0 || len(r.Fixed) != 1 || r.Fixed[0].Key != fixed || len(log.Runs[0].Results) != 0 {
				t.Fatalf("after dropping: passed %v, new %+v, fixed %+v", r.Passed, r.New, r.Fixed)
			}
			ref := sch + ".order_line(line_item_id)->" + sch + ".line_item(line_item_id)"
			if len(r.Moved) != 1 || r.Moved[0].From != "fk:"+ref || r.Moved[0].Key != "inferred:"+ref {
				t.Errorf("moved %+v, want order_line's key now an undeclared reference", r.Moved)
			}
			code, stdout, _ := seams(t, "check", "--dsn", dsn, "--contexts", fixtureContexts, "--baseline", base)
			if code != exitOK || !strings.Contains(stdout, "FIXED since the baseline") || !strings.Contains(stdout, "trigger refund_after_insert_restock on ") {
				t.Errorf("text report: exit %d\n%s", code, stdout)
			}

			// Pruned from the baseline.
			run(exitOK, "--update-baseline")
			if b, err := baseline.Read(base); err != nil || len(b.Findings) != accepted-1 {
				t.Errorf("pruned baseline: %v, %d findings, want %d", err, len(b.Findings), accepted-1)
			}

			// seams diff from the first snapshot to the live database.
			code, stdout, stderr := seams(t, "diff", first, "--dsn", dsn, "--contexts", fixtureContexts, "--format", "json", "--fail-on-regression")
			if code != exitOK {
				t.Fatalf("diff: exit %d: %s", code, stderr)
			}
			var d snapdiff.Diff
			if err := json.Unmarshal([]byte(stdout), &d); err != nil {
				t.Fatal(err)
			}
			var changes []string
			for _, tc := range d.Tables {
				for _, it := range tc.Items {
					changes = append(changes, tc.Name+" "+string(it.Change)+" "+it.Kind+" "+it.Name)
				}
			}
			for _, tr := range d.Triggers {
				changes = append(changes, tr.Table+" "+string(tr.Change)+" trigger "+tr.Name)
			}
			wantChanges := []string{"ledger renamed foreign_key fk_ledger_supplier", "order_line removed foreign_key order_line_line_item_id_fkey",
				"refund removed trigger refund_after_insert_restock"}
			if !slices.Equal(changes, wantChanges) {
				t.Errorf("diff\n got %q\nwant %q", changes, wantChanges)
			}
			if len(d.Coupling.Appeared) != 0 || len(d.Coupling.Disappeared) != 1 || d.Coupling.Disappeared[0].Key != fixed {
				t.Errorf("coupling: appeared %+v, disappeared %+v", d.Coupling.Appeared, d.Coupling.Disappeared)
			}
		})
	}
}

// dsnDatabase returns the database a go-sql-driver DSN names: the schema
// of its tables in a snapshot.
func dsnDatabase(dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		panic(err)
	}
	return cfg.DBName
}
