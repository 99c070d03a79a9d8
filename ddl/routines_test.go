package ddl

import (
	"slices"
	"strings"
	"testing"

	seamsanalysis "github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// routinesFile is a MusicBrainz-like schema as a file: trigger functions
// that name their tables without a schema, one writing through a function
// it PERFORMs.
const routinesFile = `
CREATE SCHEMA mb;
SET search_path = mb, public;
CREATE TABLE mb.tag (id int PRIMARY KEY, ref_count int DEFAULT 0);
CREATE TABLE mb.artist (id int PRIMARY KEY);
CREATE TABLE mb.artist_tag (artist int REFERENCES mb.artist, tag int REFERENCES mb.tag, PRIMARY KEY (artist, tag));
CREATE FUNCTION mb.bump_tag(t integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tag SET ref_count = ref_count + 1 WHERE id = t;
END $$;
CREATE FUNCTION mb.artist_tag_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM bump_tag(NEW.tag);
  RETURN NEW;
END $$;
CREATE TRIGGER artist_tag_added AFTER INSERT ON mb.artist_tag FOR EACH ROW EXECUTE FUNCTION mb.artist_tag_added();
CREATE PROCEDURE mb.reset_tags() LANGUAGE sql AS $$ UPDATE tag SET ref_count = 0 $$;
CREATE FUNCTION mb.bump_tag(t integer, n integer) RETURNS void LANGUAGE sql AS $$ UPDATE tag SET ref_count = ref_count + n WHERE id = t $$;
CREATE OR REPLACE FUNCTION mb.bump_tag(t integer, n integer) RETURNS void LANGUAGE sql AS $$ UPDATE mb.tag SET ref_count = ref_count + n WHERE id = t $$;
`

// TestRoutinesFromFile: a schema file gives the routines the live reader
// gives (their tables, those reached by search path, the calls), a trigger
// includes what the functions it calls write, and a plan moving the tagged
// tables sets the routines' search_path, as it does for a live database.
func TestRoutinesFromFile(t *testing.T) {
	res, err := Read("mb.sql", []byte(routinesFile), Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Snapshot
	tag := schema.TableName{Schema: "mb", Name: "tag"}
	// bump_tag is overloaded: each is a routine of its own, named by its
	// arguments; the second, replaced, names its table with its schema.
	want := map[string]string{
		"mb.artist_tag_added()":         "function plpgsql calls [mb.bump_tag]",
		"mb.bump_tag(integer)":          "function plpgsql writes [mb.tag] by path [mb.tag]",
		"mb.bump_tag(integer, integer)": "function sql writes [mb.tag]",
		"mb.reset_tags()":               "procedure sql writes [mb.tag] by path [mb.tag]",
	}
	if len(s.Routines) != len(want) {
		t.Errorf("%d routines, want %d: %+v", len(s.Routines), len(want), s.Routines)
	}
	got := map[string]string{}
	for _, rt := range s.Routines {
		d := rt.Kind + " " + rt.Language
		if len(rt.Writes) > 0 {
			d += " writes " + names(rt.Writes)
		}
		if len(rt.ByPath) > 0 {
			d += " by path " + names(rt.ByPath)
		}
		if len(rt.Calls) > 0 {
			d += " calls [" + strings.Join(rt.Calls, " ") + "]"
		}
		got[rt.Schema+"."+rt.Name+"("+rt.Arguments+")"] = d
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("routine %s: %q, want %q", k, got[k], w)
		}
	}
	if len(s.Triggers) != 1 || !slices.Contains(s.Triggers[0].Writes, tag) {
		t.Fatalf("trigger %+v does not write mb.tag through bump_tag", s.Triggers)
	}

	m, err := contexts.Parse("map.yaml", []byte("contexts:\n  taxonomy: {tables: [tag]}\n  artists: {tables: [artist, artist_tag]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	an, err := seamsanalysis.Run(s, a, seamsanalysis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sql []string
	for _, st := range an.Plan.Steps {
		sql = append(sql, st.Up...)
	}
	for _, w := range []string{`ALTER FUNCTION "mb"."bump_tag"(integer) SET search_path = "mb", "taxonomy"`, `ALTER PROCEDURE "mb"."reset_tags" SET search_path = "mb", "taxonomy"`} {
		if !slices.ContainsFunc(sql, func(s string) bool { return strings.HasPrefix(s, w) }) {
			t.Errorf("no step runs %s; the steps run:\n%s", w, strings.Join(sql, "\n"))
		}
	}
}

func names(ns []schema.TableName) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = n.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}
