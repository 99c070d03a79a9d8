package schema

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func sample() *Snapshot {
	def := "now()"
	reset := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	return &Snapshot{
		Format: FormatVersion,
		Source: Source{Engine: Postgres, ServerVersion: "15.20", Database: "shop", Host: "db:5432",
			CapturedAt: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC), SeamsVersion: "test"},
		Schemas: []Schema{{Name: "public"}, {Name: "billing", Comment: "money"}},
		Tables: []Table{
			{Schema: "public", Name: "orders", Kind: KindPartitioned, RowEstimate: Int64(10), SizeBytes: Int64(8192),
				Columns:    []Column{{Name: "id", Type: "bigint", Identity: "always"}, {Name: "created", Type: "timestamp with time zone", Default: &def, Nullable: true}},
				PrimaryKey: &Key{Name: "orders_pkey", Columns: []string{"id", "created"}},
				Indexes:    []Index{{Name: "z_idx", Columns: []string{"lower(x)"}, Predicate: "(x IS NOT NULL)"}, {Name: "a_idx", Columns: []string{"created"}}},
				ForeignKeys: []ForeignKey{{Name: "fk_b", Columns: []string{"id"}, References: TableName{"billing", "ledger"}, RefColumns: []string{"order_id"},
					OnDelete: Cascade, OnUpdate: NoAction, Enforced: true, Valid: true}},
				Stats: &TableStats{Source: "pg_stat_user_tables", SeqScans: Int64(0), Inserted: Int64(5), StatsReset: &reset}},
			{Schema: "public", Name: "orders_2026", Kind: KindTable, PartitionOf: &TableName{"public", "orders"}, Columns: []Column{}},
			{Schema: "billing", Name: "ledger", Kind: KindTable, Columns: []Column{{Name: "order_id", Type: "bigint"}}},
		},
		Views: []View{{Schema: "public", Name: "report", Definition: "SELECT 1", Reads: []TableName{{"public", "orders"}, {"billing", "ledger"}, {"public", "orders"}}}},
		Triggers: []Trigger{{Schema: "public", Name: "t1", Table: TableName{"public", "orders"}, Timing: "AFTER", Events: []string{"INSERT"}, Level: "ROW",
			Writes: []TableName{{"billing", "ledger"}}, Unresolved: "EXECUTE of a built string"}},
		Unreadable: []Unreadable{{Part: "stats", Reason: "permission denied"}},
	}
}

func TestRoundTrip(t *testing.T) {
	s := sample()
	var first bytes.Buffer
	if err := s.Encode(&first); err != nil {
		t.Fatal(err)
	}
	back, err := Decode(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if !reflect.DeepEqual(s, back) {
		t.Errorf("round trip changed the snapshot:\n got %+v\nwant %+v", back, s)
	}
	var second bytes.Buffer
	if err := back.Encode(&second); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("re-encoding gives other bytes")
	}
}

// TestEncodeMatchesEncodingJSON pins the streamed encoding to the bytes
// encoding/json gives for the whole value.
func TestEncodeMatchesEncodingJSON(t *testing.T) {
	for _, s := range []*Snapshot{sample(), {Format: FormatVersion}, func() *Snapshot {
		s := sample()
		s.Unreadable = nil
		s.Tables[0].Comment = "<b>&amp;</b> \u2028 é"
		return s
	}()} {
		var got bytes.Buffer
		if err := s.Encode(&got); err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("streamed encoding differs:\n got %s\nwant %s", got.String(), want.String())
		}
	}
}

func TestNormalizeIsCanonical(t *testing.T) {
	a, b := sample(), sample()
	// Shuffle b: the encoding must not depend on input order.
	b.Tables[0], b.Tables[2] = b.Tables[2], b.Tables[0]
	b.Schemas[0], b.Schemas[1] = b.Schemas[1], b.Schemas[0]
	var ea, eb bytes.Buffer
	if err := a.Encode(&ea); err != nil {
		t.Fatal(err)
	}
	if err := b.Encode(&eb); err != nil {
		t.Fatal(err)
	}
	if ea.String() != eb.String() {
		t.Error("encoding depends on the order of the input")
	}
	if got := a.Tables[0].TableName().String(); got != "billing.ledger" {
		t.Errorf("first table %s, want billing.ledger", got)
	}
	if got := a.Views[0].Reads; len(got) != 2 {
		t.Errorf("view reads not deduplicated: %v", got)
	}
	if a.Tables[1].Indexes[0].Name != "a_idx" {
		t.Errorf("indexes not sorted by name")
	}
	if a.Tables[1].Columns[0].Name != "id" {
		t.Errorf("column order changed")
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not json", "hello", "not a seams snapshot: invalid JSON at byte 1"},
		{"wrong type", `{"format": "one"}`, `not a seams snapshot: field "format"`},
		{"unknown field", `{"format": 1, "tabels": []}`, `not a seams snapshot: unknown field "tabels" at byte 14`},
		{"unknown nested field", `{"format": 2, "source": {"engine": "postgres"}, "tables": [{"schema": "a", "name": "t", "colums": []}]}`, `not a seams snapshot: unknown field "tables/0/colums" at byte 88`},
		{"wrong nested type", `{"format": 2, "tables": [{"name": 7}]}`, `not a seams snapshot: field "tables/0/name" at byte 34: want string, got number`},
		{"unknown column field", `{"format": 2, "tables": [{"name": "t", "columns": [{"name": "a"}, {"nam": "b"}]}]}`, `not a seams snapshot: unknown field "tables/0/columns/1/nam" at byte 67`},
		{"wrong type in an index", `{"format": 2, "tables": [{"name": "t", "indexes": [{"name": "i", "columns": "a"}]}]}`, `not a seams snapshot: field "tables/0/indexes/0/columns" at byte 76: want []string, got string`},
		{"columns not a list", `{"format": 2, "tables": [{"name": "t", "columns": {}}]}`, `not a seams snapshot: field "tables/0/columns" at byte 50: want []schema.Column, got {`},
		{"foreign keys cut short", `{"format": 2, "tables": [{"name": "t", "foreign_keys": [{"name": "f"},`, "not a seams snapshot: the JSON ends early"},
		{"cut short", `{"format": 2, "tables": [`, "not a seams snapshot: the JSON ends early, at byte 25"},
		{"format 1 usage after the catalog", `{"source": {"engine": "postgres"}, "usage": {"sources": [], "statements": [], "matrix": []}, "format": 1}`,
			"snapshot: its usage was recorded by an older seams (format 1)"},
		{"no format", `{"tables": []}`, "snapshot: missing format version"},
		{"newer", `{"format": 99}`, "snapshot: format 99 is newer than this seams understands (2); upgrade seams"},
		{"no engine", `{"format": 2}`, `snapshot: unknown engine ""`},
		{"unknown engine", `{"format": 2, "source": {"engine": "oracle"}}`, `snapshot: unknown engine "oracle" (seams reads postgres, mysql and mariadb)`},
		{"trailing data", `{"format": 2, "source": {"engine": "postgres"}} {"format": 2}`, "not a seams snapshot: data after the end of the JSON document"},
		{"format 1 usage", `{"format": 1, "source": {"engine": "postgres"}, "usage": {"sources": [], "statements": [], "matrix": []}}`,
			"snapshot: its usage was recorded by an older seams (format 1), attributed to one contexts map; record it again with 'seams usage ... -o FILE'"},
		{"usage field", `{"format": 2, "source": {"engine": "postgres"}, "usage": {"sources": [], "statements": [], "matrix": []}}`, `not a seams snapshot: unknown field "usage/matrix" at byte 91`},
		{"duplicate", `{"format": 1, "source": {"engine": "postgres"}, "tables": [{"schema":"a","name":"t","kind":"table","columns":[]},{"schema":"a","name":"t","kind":"table","columns":[]}]}`, "snapshot: table a.t appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(strings.NewReader(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Decode error = %v, want prefix %q", err, tt.want)
			}
		})
	}
}

// TestDecodeFormat1 reads a snapshot of format 1 without usage: the
// catalog part of the format did not change.
func TestDecodeFormat1(t *testing.T) {
	s, err := Decode(strings.NewReader(`{"format": 1, "source": {"engine": "mariadb"}, "tables": [{"schema":"a","name":"t","kind":"table","columns":[]}]}`))
	if err != nil || len(s.Tables) != 1 || s.Usage != nil {
		t.Fatalf("Decode = %+v, %v", s, err)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "snap.json")
	if err := sample().WriteFile(path); err != nil {
		t.Fatal(err)
	}
	s, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Source.Database != "shop" {
		t.Errorf("read back database %q", s.Source.Database)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := sample().WriteFile(filepath.Join(dir, "missing", "snap.json")); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
	if _, err := ReadFile(filepath.Join(dir, "nope.json")); err == nil || !strings.Contains(err.Error(), "nope.json") {
		t.Errorf("ReadFile of a missing file: %v", err)
	}
}

func TestCountsAndLookup(t *testing.T) {
	s := sample()
	// A key declared on a partition itself is a key of its own.
	s.Tables[1].ForeignKeys = []ForeignKey{{Name: "fk_p", Columns: []string{"id"}, References: TableName{"billing", "ledger"}, RefColumns: []string{"order_id"}}}
	c := s.Counts()
	if c.Tables != 2 || c.Partitions != 1 || c.ForeignKeys != 2 || c.Views != 1 || c.Triggers != 1 || c.Columns != 3 {
		t.Errorf("Counts = %+v", c)
	}
	lk := NewLookup(s)
	if got := lk.Root(TableName{"public", "orders_2026"}); got != (TableName{"public", "orders"}) {
		t.Errorf("Root = %v", got)
	}
	if got := lk.Partitions(TableName{"public", "orders"}); len(got) != 1 {
		t.Errorf("Partitions = %v", got)
	}
	if lk.Table(TableName{"billing", "ledger"}) == nil || lk.View(TableName{"public", "report"}) == nil {
		t.Error("lookup misses")
	}
}

func TestTableNameCompare(t *testing.T) {
	tests := []struct {
		a, b TableName
		want int
	}{
		{TableName{"public", "orders"}, TableName{"public", "orders"}, 0},
		{TableName{"billing", "zeta"}, TableName{"public", "alpha"}, -1}, // schema first
		{TableName{"public", "alpha"}, TableName{"billing", "zeta"}, +1},
		{TableName{"public", "a"}, TableName{"public", "b"}, -1}, // then name
		{TableName{"public", "b"}, TableName{"public", "a"}, +1},
		{TableName{"", "z"}, TableName{"a", "a"}, -1},                      // no schema sorts first
		{TableName{"a", "z"}, TableName{"a.b", "a"}, -1},                   // not the order of String()
		{TableName{"public", "Orders"}, TableName{"public", "orders"}, -1}, // bytes, case-sensitive
	}
	for _, tt := range tests {
		if got := tt.a.Compare(tt.b); got != tt.want {
			t.Errorf("%q.Compare(%q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := tt.a.Less(tt.b); got != (tt.want < 0) {
			t.Errorf("%q.Less(%q) = %v, want %v", tt.a, tt.b, got, tt.want < 0)
		}
	}
}

func TestColumnKeys(t *testing.T) {
	tab := &Table{
		Schema: "s", Name: "line",
		Columns:    []Column{{Name: "order_id"}, {Name: "n"}, {Name: "sku"}, {Name: "code"}, {Name: "note"}},
		PrimaryKey: &Key{Name: "pk", Columns: []string{"order_id", "n"}},
		Uniques: []Key{
			{Name: "u_code", Columns: []string{"code"}},
			{Name: "u_code2", Columns: []string{"code"}},
			{Name: "u_order_sku", Columns: []string{"order_id", "sku"}},
		},
		ForeignKeys: []ForeignKey{
			{Name: "fk_order", Columns: []string{"order_id"}},
			{Name: "fk_order_sku", Columns: []string{"order_id", "sku"}},
		},
	}
	want := map[string]ColumnKeys{
		"order_id": {Primary: true, Foreign: true, Unique: true},
		"n":        {Primary: true},
		"sku":      {Foreign: true, Unique: true},
		"code":     {Unique: true, UniqueAlone: true},
	}
	if got := tab.ColumnKeys(); !reflect.DeepEqual(got, want) {
		t.Errorf("ColumnKeys() = %+v, want %+v", got, want)
	}
	if got := (&Table{Name: "bare", Columns: []Column{{Name: "a"}}}).ColumnKeys(); len(got) != 0 {
		t.Errorf("ColumnKeys() of a table without keys = %+v, want none", got)
	}
}
