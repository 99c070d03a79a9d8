package attribution_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/usage"
)

// musicCorp returns the MusicCorp snapshot with the usage found in its
// application's code, recorded once, with no contexts map.
func musicCorp(t *testing.T) *schema.Snapshot {
	t.Helper()
	s, err := schema.Decode(bytes.NewReader(musiccorp.SnapshotJSON))
	if err != nil {
		t.Fatal(err)
	}
	b, err := usage.NewBuilder(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := usage.ScanCode("../fixtures/musiccorp/app/src", b); err != nil {
		t.Fatal(err)
	}
	s.Usage = b.Build()
	return s
}

func attribute(t *testing.T, s *schema.Snapshot, yaml string) *attribution.Usage {
	t.Helper()
	m, err := contexts.Parse("map.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	return attribution.Attribute(s.Usage, ownership.New(s, a, ownership.Options{}))
}

// byFile returns the contexts of the statements found in files under dir.
func byFile(u *attribution.Usage, dir string) []string {
	var out []string
	for _, st := range u.Facts.Statements {
		for _, l := range st.Locations {
			if strings.HasPrefix(l.File, dir) {
				out = append(out, u.Contexts(st.ID)...)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestAnotherMap: the same recorded usage, attributed with two maps, gives
// each map's answer: the usage in the snapshot holds no attribution.
func TestAnotherMap(t *testing.T) {
	s := musicCorp(t)
	a := attribute(t, s, `contexts:
  finance: {tables: [customer_order, payment, refund], code: ["finance/**"]}
  warehouse: {tables: [picking, shipment, stock_movement], code: ["warehouse/**"]}
`)
	b := attribute(t, s, `contexts:
  orders: {tables: [customer_order, payment, refund, picking, shipment, stock_movement], code: ["finance/**", "warehouse/**"]}
`)
	if got := byFile(a, "finance/"); !slices.Equal(got, []string{"finance"}) {
		t.Errorf("map A: finance code attributed to %v", got)
	}
	if got := byFile(a, "warehouse/"); !slices.Equal(got, []string{"warehouse"}) {
		t.Errorf("map A: warehouse code attributed to %v", got)
	}
	if got := byFile(b, "finance/"); !slices.Equal(got, []string{"orders"}) {
		t.Errorf("map B: finance code attributed to %v", got)
	}
	// PlaceOrder writes customer_order, order_line and picking: across
	// finance and warehouse under map A, inside orders under map B.
	place := func(u *attribution.Usage) bool {
		return slices.ContainsFunc(u.Transactions, func(tx attribution.Transaction) bool { return tx.Location.Function == "PlaceOrder" })
	}
	if !place(a) || place(b) {
		t.Errorf("PlaceOrder crosses contexts: map A %v, map B %v; want true, false", place(a), place(b))
	}
}

// TestMatrixCounts: the calls and distinct statements of a cell sum the
// callers attributed to its context; a caller no context lists goes to "".
func TestMatrixCounts(t *testing.T) {
	s, err := schema.Decode(bytes.NewReader(musiccorp.SnapshotJSON))
	if err != nil {
		t.Fatal(err)
	}
	tbl := func(n string) schema.TableName { return schema.TableName{Schema: "public", Name: n} }
	s.Usage = &schema.Usage{
		Sources: []schema.UsageSource{{Kind: schema.SourcePgStatStatements, Available: true}},
		Statements: []schema.Statement{
			{ID: "pg_stat_statements/a", Source: schema.SourcePgStatStatements, Calls: 10, Reads: []schema.TableName{tbl("album"), tbl("track")},
				Callers: []schema.Caller{{User: "cat", Calls: 7}, {User: "nobody", Calls: 3}}},
			{ID: "pg_stat_statements/b", Source: schema.SourcePgStatStatements, Calls: 4, Writes: []schema.TableName{tbl("album")},
				Callers: []schema.Caller{{User: "cat", Calls: 4}}},
		},
	}
	s.Usage.Normalize()
	u := attribute(t, s, "contexts:\n  catalog: {tables: [album, track], roles: [cat]}\n")
	want := map[string]attribution.Cell{
		"catalog/album": {Reads: 7, ReadStatements: 1, Writes: 4, WriteStatements: 1},
		"catalog/track": {Reads: 7, ReadStatements: 1},
		"/album":        {Reads: 3, ReadStatements: 1},
		"/track":        {Reads: 3, ReadStatements: 1},
	}
	if len(u.Matrix) != len(want) {
		t.Errorf("%d cells, want %d: %+v", len(u.Matrix), len(want), u.Matrix)
	}
	for _, c := range u.Matrix {
		w, ok := want[c.Context+"/"+c.Table.Name]
		if !ok || c.Reads != w.Reads || c.Writes != w.Writes || c.ReadStatements != w.ReadStatements || c.WriteStatements != w.WriteStatements {
			t.Errorf("cell %s × %s: %+v, want %+v", c.Context, c.Table, c, w)
		}
	}
	if u.Unattributed[schema.SourcePgStatStatements] != 0 {
		t.Errorf("unattributed %v: statement a has a known caller", u.Unattributed)
	}
	if got := u.Contexts("pg_stat_statements/a"); !slices.Equal(got, []string{"catalog"}) {
		t.Errorf("statement a attributed to %v", got)
	}
}
