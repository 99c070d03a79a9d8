//go:build integration

package postgres

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// privDDL has objects of another owner in a schema the reader may not use,
// a view over them, a trigger and some data. %[1]s is the owner role,
// %[2]s the reader, %[3]s the database.
const privDDL = `
REVOKE ALL ON DATABASE %[3]s FROM PUBLIC;
GRANT CONNECT ON DATABASE %[3]s TO %[2]s;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO %[2]s;
CREATE SCHEMA secret AUTHORIZATION %[1]s;
CREATE TABLE secret.ledger (id int PRIMARY KEY, amount numeric NOT NULL);
CREATE TABLE secret.log (id bigserial PRIMARY KEY, what text);
CREATE FUNCTION secret.log_it() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO secret.log (what) VALUES (TG_OP); RETURN NEW; END $$;
CREATE TRIGGER ledger_log AFTER INSERT ON secret.ledger FOR EACH ROW EXECUTE FUNCTION secret.log_it();
ALTER TABLE secret.ledger OWNER TO %[1]s;
ALTER TABLE secret.log OWNER TO %[1]s;
ALTER FUNCTION secret.log_it() OWNER TO %[1]s;
CREATE TABLE public.account (id int PRIMARY KEY, ledger_id int REFERENCES secret.ledger (id));
CREATE VIEW public.balances AS SELECT a.id, l.amount FROM public.account a JOIN secret.ledger l ON l.id = a.ledger_id;
CREATE MATERIALIZED VIEW public.total AS SELECT sum(amount) AS total FROM secret.ledger;
INSERT INTO secret.ledger VALUES (1, 10), (2, 20);
ANALYZE;
`

// privSetup builds the database of the privilege tests and returns its DSN
// for the superuser and for a role that has CONNECT on the database, USAGE
// on public and nothing else.
func privSetup(t *testing.T) (admin, reader string) {
	t.Helper()
	dsn := testdb.Postgres(t)
	owner := role(t, dsn, "seams_owner", "NOLOGIN")
	rd := role(t, dsn, "seams_reader", "LOGIN")
	testdb.ExecPostgres(t, dsn, fmt.Sprintf(privDDL, sqlident.PostgresMinimal(owner), sqlident.PostgresMinimal(rd), sqlident.PostgresMinimal(dbName(t, dsn))))
	return dsn, asUser(t, dsn, rd)
}

// TestLeastPrivilege: a role with only CONNECT (and USAGE on public) reads
// the same snapshot as the superuser, objects of other owners in schemas it
// may not use included.
func TestLeastPrivilege(t *testing.T) {
	admin, reader := privSetup(t)
	want := run(t, admin)
	got := run(t, reader)
	if len(got.Unreadable) != 0 {
		t.Errorf("unreadable parts for a CONNECT-only role: %+v", got.Unreadable)
	}
	// Counters move on their own schedule; compare them for presence only.
	for _, s := range []*schema.Snapshot{want, got} {
		for i := range s.Tables {
			if s.Tables[i].Stats == nil {
				t.Errorf("%s has no stats", s.Tables[i].Name)
			}
			s.Tables[i].Stats = nil
		}
	}
	if !reflect.DeepEqual(got, want) {
		a, _ := jsonOf(got)
		b, _ := jsonOf(want)
		t.Errorf("least-privileged snapshot differs:\n%s\nsuperuser:\n%s", a, b)
	}
	ledger := table(t, got, tn("secret", "ledger"))
	if ledger.PrimaryKey == nil || ledger.RowEstimate == nil || ledger.SizeBytes == nil {
		t.Errorf("ledger = %+v", ledger)
	}
	if v := view(t, got, tn("public", "balances")); !reflect.DeepEqual(v.Reads, []schema.TableName{tn("public", "account"), tn("secret", "ledger")}) ||
		!strings.Contains(v.Definition, "JOIN secret.ledger") {
		t.Errorf("balances = %+v", v)
	}
	if len(got.Triggers) != 1 || !reflect.DeepEqual(got.Triggers[0].Writes, []schema.TableName{tn("secret", "log")}) {
		t.Errorf("triggers = %+v", got.Triggers)
	}
}

// TestRevokedParts: when an administrator has revoked what seams reads by
// default, the parts are listed as unreadable, with the grant that would
// restore them, and their facts are absent, never zero.
func TestRevokedParts(t *testing.T) {
	admin, reader := privSetup(t)
	rd := strings.SplitN(strings.TrimPrefix(reader, "postgres://"), "@", 2)[0]
	testdb.ExecPostgres(t, admin, `
REVOKE SELECT ON pg_catalog.pg_stat_user_tables FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_get_viewdef(oid, boolean) FROM PUBLIC;
REVOKE SELECT ON pg_catalog.pg_proc FROM PUBLIC;
DO $$ BEGIN
  EXECUTE (SELECT 'GRANT SELECT (' || string_agg(quote_ident(attname), ', ') || ') ON pg_catalog.pg_proc TO PUBLIC'
           FROM pg_attribute WHERE attrelid = 'pg_catalog.pg_proc'::regclass AND attnum > 0 AND attname <> 'prosrc');
END $$;
`)
	snap := run(t, reader)
	want := []schema.Unreadable{
		{Part: "routine bodies", Reason: "permission denied for column prosrc of pg_proc: GRANT SELECT (prosrc) ON pg_catalog.pg_proc TO " + rd},
		{Part: "stats", Reason: "permission denied for view pg_stat_user_tables: GRANT SELECT ON pg_catalog.pg_stat_user_tables TO " + rd},
		{Part: "trigger bodies", Reason: "permission denied for column prosrc of pg_proc: GRANT SELECT (prosrc) ON pg_catalog.pg_proc TO " + rd},
		{Part: "view definitions", Reason: "permission denied for function pg_get_viewdef: GRANT EXECUTE ON FUNCTION pg_catalog.pg_get_viewdef(oid, boolean) TO " + rd},
	}
	if !reflect.DeepEqual(snap.Unreadable, want) {
		t.Errorf("unreadable\n got %+v\nwant %+v", snap.Unreadable, want)
	}
	old := testdb.PostgresVersionNum(t) < 140000
	for _, tab := range snap.Tables {
		// Before 14 an analysed empty table looks never analysed: its
		// size is unknown.
		if tab.Stats != nil || tab.SizeBytes == nil && !(old && tab.RowEstimate == nil) {
			t.Errorf("%s: stats %+v size %v, want no stats and a size", tab.Name, tab.Stats, tab.SizeBytes)
		}
	}
	for _, v := range snap.Views {
		if v.Definition != "" || len(v.Reads) == 0 {
			t.Errorf("view %s: definition %q reads %v; want no definition but the reads", v.Name, v.Definition, v.Reads)
		}
	}
	if len(snap.Triggers) != 1 || snap.Triggers[0].Body != "" || snap.Triggers[0].Unresolved != "function body unreadable" {
		t.Errorf("triggers = %+v", snap.Triggers)
	}
	// The rest is all there.
	if l := table(t, snap, tn("secret", "ledger")); l.PrimaryKey == nil || len(l.Columns) != 2 {
		t.Errorf("ledger = %+v", l)
	}
}

// TestRevokedCatalog: a catalog table seams cannot do without, revoked by
// an administrator, fails the run with the grant that is missing.
func TestRevokedCatalog(t *testing.T) {
	admin, reader := privSetup(t)
	rd := strings.SplitN(strings.TrimPrefix(reader, "postgres://"), "@", 2)[0]
	testdb.ExecPostgres(t, admin, `REVOKE SELECT ON pg_catalog.pg_trigger FROM PUBLIC;`)
	_, err := Introspect(context.Background(), config(t, reader))
	want := ": reading triggers: permission denied for table pg_trigger: GRANT SELECT ON pg_catalog.pg_trigger TO " + rd
	if err == nil || !strings.HasSuffix(err.Error(), want) || !strings.HasPrefix(err.Error(), "introspect postgres://"+rd+"@") {
		t.Errorf("err = %v, want it to end with %q", err, want)
	}
}
