//go:build integration

package postgres

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/refdata"
	"github.com/seamsdev/seams/schema"
)

// hostileRows is a table whose name and values carry everything that could
// break a query or a file: quotes, semicolons, comment markers, backslashes,
// line breaks and non-ASCII. It has no primary key, so its rows come back
// ordered by every column.
const hostileRows = `
CREATE SCHEMA "odd ""schema""";
CREATE TABLE "odd ""schema"""."we""ird; -- tab/*le 名前" (
    "select" text,
    "a""b" integer,
    "ünï" text
);
INSERT INTO "odd ""schema"""."we""ird; -- tab/*le 名前" VALUES
    ('b: back\slash \n', 2, 'line
break'),
    ('a: say "hi" */', 1, NULL),
    (NULL, NULL, 'ü 名前 😀 '' ;--');
CREATE TABLE public.big (id integer PRIMARY KEY);
INSERT INTO public.big SELECT generate_series(1, 11);
`

func str(s string) *string { return &s }

func TestReadRows(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL)
	testdb.ExecPostgres(t, dsn, hostileRows)
	cfg := config(t, dsn)
	hostile := schema.TableName{Schema: `odd "schema"`, Name: `we"ird; -- tab/*le 名前`}
	country := schema.TableName{Schema: "public", Name: "country"}

	got, err := ReadRows(context.Background(), cfg, []schema.TableName{country, hostile}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d tables, want 2", len(got))
	}
	c := got[0]
	if c.Name != country || !slices.Equal(c.Columns, []string{"code", "name"}) {
		t.Errorf("country: name %v columns %q", c.Name, c.Columns)
	}
	if len(c.Rows) != 249 {
		t.Errorf("country: %d rows, want 249", len(c.Rows))
	}
	for i, r := range c.Rows {
		if i > 0 && *c.Rows[i-1][0] >= *r[0] {
			t.Errorf("country rows not in key order at %d: %s after %s", i, *r[0], *c.Rows[i-1][0])
		}
	}
	if first := c.Rows[0]; *first[0] != "AD" || *first[1] != "Andorra" {
		t.Errorf("first country %s %s", *first[0], *first[1])
	}

	h := got[1]
	if h.Name != hostile || !slices.Equal(h.Columns, []string{"select", `a"b`, "ünï"}) {
		t.Errorf("hostile: name %v columns %q", h.Name, h.Columns)
	}
	// The SQL types, for the Java file's fields.
	if !slices.Equal(h.Types, []string{"text", "int4", "text"}) {
		t.Errorf("hostile: types %q", h.Types)
	}
	want := [][]*string{
		{str(`a: say "hi" */`), str("1"), nil},
		{str(`b: back\slash \n`), str("2"), str("line\nbreak")},
		{nil, nil, str("ü 名前 😀 ' ;--")},
	}
	if len(h.Rows) != len(want) {
		t.Fatalf("hostile: %d rows, want %d", len(h.Rows), len(want))
	}
	for i := range want {
		for j := range want[i] {
			g, w := h.Rows[i][j], want[i][j]
			if (g == nil) != (w == nil) || (g != nil && *g != *w) {
				t.Errorf("hostile row %d col %d = %v, want %v", i, j, deref(g), deref(w))
			}
		}
	}
	// The rows write out as files.
	if err := refdata.WriteDir(t.TempDir()+"/static", got); err != nil {
		t.Errorf("WriteDir: %v", err)
	}
}

func deref(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestReadRowsErrors(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, hostileRows)
	big := schema.TableName{Schema: "public", Name: "big"}
	tests := []struct {
		name   string
		dsn    string // default: the test database
		tables []schema.TableName
		limit  int
		want   string
	}{
		{"over the limit", "", []schema.TableName{big}, 10, "table public.big has more than 10 rows: too many to export as reference data"},
		{"missing table", "", []schema.TableName{{Schema: "public", Name: "no such"}}, 0, `relation "public.no such" does not exist`},
		{"unreachable", "postgres://app:secretpw@127.0.0.1:1/shop", []schema.TableName{{Name: "x"}}, 0, "read rows postgres://app:***@127.0.0.1:1/shop: cannot reach 127.0.0.1:1: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := dsn
			if tt.dsn != "" {
				d = tt.dsn
			}
			_, err := ReadRows(context.Background(), config(t, d), tt.tables, tt.limit)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if !strings.HasPrefix(err.Error(), "read rows ") || strings.Contains(err.Error(), "secretpw") {
				t.Errorf("error %q does not start with read rows or shows the password", err)
			}
		})
	}
	// At the limit exactly, the table is read.
	got, err := ReadRows(context.Background(), config(t, dsn), []schema.TableName{big}, 11)
	if err != nil || len(got[0].Rows) != 11 || *got[0].Rows[10][0] != "11" {
		t.Errorf("limit 11: %v, %v", got, err)
	}
}

// TestReadRowsReadOnly shows the rows are read in a read-only transaction:
// reading a view whose SELECT calls a writing function fails instead of
// writing.
func TestReadRowsReadOnly(t *testing.T) {
	dsn := testdb.Postgres(t)
	// A view that calls a writing function: reading it inside a read-only
	// transaction must fail rather than write.
	testdb.ExecPostgres(t, dsn, `
CREATE TABLE log (n integer);
CREATE FUNCTION side_effect() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.log VALUES (1); RETURN 1; END $$;
CREATE VIEW sneaky AS SELECT side_effect() AS n;
`)
	_, err := ReadRows(context.Background(), config(t, dsn), []schema.TableName{{Schema: "public", Name: "sneaky"}}, 0)
	if err == nil || !strings.Contains(err.Error(), "read-only transaction") {
		t.Fatalf("err = %v, want a read-only transaction error", err)
	}
	got, err := ReadRows(context.Background(), config(t, dsn), []schema.TableName{{Schema: "public", Name: "log"}}, 0)
	if err != nil || len(got[0].Rows) != 0 {
		t.Errorf("log = %v, %v; want no rows", got, err)
	}
}
