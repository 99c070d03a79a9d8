//go:build integration

package plan_test

import (
	"context"
	"net/url"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/plan"
)

// musicBrainzLike is the case MusicBrainz showed: the database sets its
// search_path, and trigger functions name tables without a schema, one of
// them through a function it PERFORMs. Moving tag into a taxonomy schema
// broke the trigger ("relation "tag" does not exist").
const musicBrainzLike = `
CREATE SCHEMA mb;
SET search_path = mb, public;
CREATE TABLE mb.tag (id int PRIMARY KEY, name text NOT NULL, ref_count int NOT NULL DEFAULT 0);
CREATE TABLE mb.artist (id int PRIMARY KEY, name text NOT NULL);
CREATE TABLE mb.artist_tag (artist int NOT NULL REFERENCES mb.artist, tag int NOT NULL REFERENCES mb.tag, PRIMARY KEY (artist, tag));
CREATE FUNCTION mb.bump_tag(t int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tag SET ref_count = ref_count + 1 WHERE id = t;
END $$;
CREATE FUNCTION mb.a_ins_artist_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM bump_tag(NEW.tag);
    RETURN NEW;
END $$;
CREATE TRIGGER a_ins_artist_tag AFTER INSERT ON mb.artist_tag FOR EACH ROW EXECUTE FUNCTION mb.a_ins_artist_tag();
CREATE FUNCTION mb.a_del_artist() RETURNS trigger LANGUAGE plpgsql SET search_path = mb AS $$
BEGIN
    DELETE FROM artist_tag WHERE artist = OLD.id;
    RETURN OLD;
END $$;
CREATE TRIGGER a_del_artist BEFORE DELETE ON mb.artist FOR EACH ROW EXECUTE FUNCTION mb.a_del_artist();
CREATE FUNCTION mb.tag_count() RETURNS bigint LANGUAGE sql STABLE AS 'SELECT count(*) FROM tag';
-- SQL built at run time (MusicBrainz's update_aggregate_tag_count writes
-- <entity>_tag this way): its tables cannot be seen, its path must follow.
CREATE FUNCTION mb.touch(tbl text, i int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('UPDATE %I SET ref_count = ref_count WHERE id = $1', tbl) USING i;
END $$;
`

// TestSearchPathFollowsMovedTables applies the plan's files with psql to
// a MusicBrainz-like database: after every up, the triggers and functions
// that name moved tables without a schema still work under the
// database's own search_path; after every down, the schema, the
// functions' search paths included, is the original.
func TestSearchPathFollowsMovedTables(t *testing.T) {
	dsn := testdb.Postgres(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	testdb.ExecPostgres(t, dsn, musicBrainzLike+"ALTER DATABASE "+pgx.Identifier{name}.Sanitize()+" SET search_path = mb, public;")
	before := introspectDSN(t, "postgres", dsn)
	if len(before.Routines) != 5 || !reflect.DeepEqual(before.SearchPath, []string{"mb", "public"}) {
		t.Fatalf("routines %+v, search path %q", before.Routines, before.SearchPath)
	}
	m, err := contexts.Parse("contexts.yaml", []byte("contexts:\n  taxonomy:\n    tables: [tag]\n  artists:\n    tables: [artist, artist_tag]\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, before)
	if err != nil {
		t.Fatal(err)
	}
	p, err := planOf(before, a)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "migrations")
	if err := plan.WriteSQLDir(p, dir); err != nil {
		t.Fatal(err)
	}
	ups, downs := migrationFiles(t, dir, len(p.Steps))
	apply := clientApplier(t, "postgres", dsn)
	for _, f := range ups {
		apply(f)
	}
	// A new session gets the database's search_path: the triggers run as
	// the application would run them.
	testdb.ExecPostgres(t, dsn, `SHOW search_path;
INSERT INTO taxonomy.tag VALUES (1, 'rock');
INSERT INTO artists.artist VALUES (1, 'a');
INSERT INTO artists.artist_tag VALUES (1, 1);
DO $$ BEGIN
  IF (SELECT ref_count FROM taxonomy.tag WHERE id = 1) <> 1 THEN RAISE EXCEPTION 'the trigger did not count'; END IF;
  IF mb.tag_count() <> 1 THEN RAISE EXCEPTION 'tag_count does not see the tag'; END IF;
  PERFORM mb.touch('tag', 1);
END $$;
DELETE FROM artists.artist;
DELETE FROM taxonomy.tag;`)
	for _, f := range downs {
		apply(f)
	}
	back := introspectDSN(t, "postgres", dsn)
	comparable(before)
	comparable(back)
	if !reflect.DeepEqual(before, back) {
		t.Errorf("snapshot after every down differs from the original:\n%s", diffSnapshots(before, back))
	}
	if !reflect.DeepEqual(before.Routines, back.Routines) {
		t.Errorf("routines after every down:\n got %+v\nwant %+v", back.Routines, before.Routines)
	}
	// And the original still works.
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "INSERT INTO tag VALUES (1, 'x'); INSERT INTO artist VALUES (1, 'a'); INSERT INTO artist_tag VALUES (1, 1)"); err != nil {
		t.Errorf("after the downs: %v", err)
	}
}
