//go:build integration

package postgres

import (
	"reflect"
	"testing"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/schema"
)

// routinesDDL is a MusicBrainz-like database: the search path set on the
// database, trigger functions naming tables without a schema, and a
// trigger whose function writes through another function it PERFORMs.
const routinesDDL = `
CREATE SCHEMA mb;
SET search_path = mb, public;
CREATE SCHEMA other;
CREATE TABLE mb.tag (id int PRIMARY KEY, ref_count int DEFAULT 0);
CREATE TABLE mb.artist (id int PRIMARY KEY);
CREATE TABLE mb.artist_tag (artist int REFERENCES mb.artist, tag int REFERENCES mb.tag, PRIMARY KEY (artist, tag));
CREATE TABLE other.log (what text);
CREATE FUNCTION mb.bump_tag(t int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tag SET ref_count = ref_count + 1 WHERE id = t;
    INSERT INTO other.log VALUES ('bump');
END $$;
CREATE FUNCTION mb.a_ins_artist_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_tag(NEW.tag);
    RETURN NEW;
END $$;
CREATE TRIGGER a_ins_artist_tag AFTER INSERT ON mb.artist_tag FOR EACH ROW EXECUTE FUNCTION mb.a_ins_artist_tag();
CREATE FUNCTION mb.tag_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM tag';
CREATE FUNCTION mb.pinned(a int) RETURNS int LANGUAGE sql SET search_path = other AS 'SELECT count(*)::int FROM log';
`

func TestRoutines(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, routinesDDL+"ALTER DATABASE "+dbName(t, dsn)+" SET search_path = mb, public;")
	snap := run(t, dsn)
	if !reflect.DeepEqual(snap.SearchPath, []string{"mb", "public"}) {
		t.Errorf("search path %q, want the database's", snap.SearchPath)
	}
	n := func(s, t string) schema.TableName { return schema.TableName{Schema: s, Name: t} }
	want := []schema.Routine{
		{Schema: "mb", Name: "a_ins_artist_tag", Arguments: "", Kind: "function", Language: "plpgsql",
			Reads: []schema.TableName{}, Writes: []schema.TableName{}, Calls: []string{"mb.bump_tag"}},
		{Schema: "mb", Name: "bump_tag", Arguments: "t integer", Kind: "function", Language: "plpgsql",
			Reads: []schema.TableName{}, Writes: []schema.TableName{n("mb", "tag"), n("other", "log")}, ByPath: []schema.TableName{n("mb", "tag")}},
		{Schema: "mb", Name: "pinned", Arguments: "a integer", Kind: "function", Language: "sql", SearchPath: []string{"other"},
			Reads: []schema.TableName{n("other", "log")}, Writes: []schema.TableName{}, ByPath: []schema.TableName{n("other", "log")}},
		{Schema: "mb", Name: "tag_count", Arguments: "", Kind: "function", Language: "sql",
			Reads: []schema.TableName{n("mb", "tag")}, Writes: []schema.TableName{}, ByPath: []schema.TableName{n("mb", "tag")}},
	}
	if !reflect.DeepEqual(snap.Routines, want) {
		t.Errorf("routines\n got %+v\nwant %+v", snap.Routines, want)
	}
	// The trigger writes what the function it PERFORMs writes.
	if len(snap.Triggers) != 1 {
		t.Fatalf("triggers %+v", snap.Triggers)
	}
	tr := snap.Triggers[0]
	if !reflect.DeepEqual(tr.Writes, []schema.TableName{n("mb", "tag"), n("other", "log")}) ||
		tr.Unresolved != "includes what the functions it calls read and write: mb.bump_tag" {
		t.Errorf("trigger writes %v, unresolved %q", tr.Writes, tr.Unresolved)
	}
}
