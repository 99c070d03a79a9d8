package sqlrefs

import (
	"slices"
	"strings"
	"testing"
)

func TestPLpgSQLStatements(t *testing.T) {
	body := `
BEGIN
  CREATE TYPE mood AS ENUM ('ok', 'bad');
  BEGIN
    CREATE OR REPLACE FUNCTION f(text) RETURNS text LANGUAGE sql AS $f$ SELECT $1 $f$;
  END;
  IF false THEN
    CREATE TABLE never (id int);
  END IF;
  EXECUTE 'CREATE TABLE dynamic (id int)';
EXCEPTION
  WHEN duplicate_object THEN
    CREATE TABLE handler (id int);
END`
	got, err := PLpgSQLStatements(body)
	if err != nil {
		t.Fatal(err)
	}
	var trimmed []string
	for _, s := range got {
		trimmed = append(trimmed, strings.Join(strings.Fields(s), " "))
	}
	want := []string{
		"CREATE TYPE mood AS ENUM ('ok', 'bad')",
		"CREATE OR REPLACE FUNCTION f(text) RETURNS text LANGUAGE sql AS $f$ SELECT $1 $f$",
	}
	if !slices.Equal(trimmed, want) {
		t.Errorf("statements %q, want %q", trimmed, want)
	}
	if _, err := PLpgSQLStatements("BEGIN oops"); err == nil {
		t.Error("no error for a body that does not compile")
	}
}
