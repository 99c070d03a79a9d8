// Package analysistest builds analyses for tests: a snapshot analysed under
// a contexts map written in YAML, and the MusicCorp fixture.
package analysistest

import (
	"bytes"
	"testing"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/schema"
)

// Run analyses s under the contexts map yaml (named file in positions).
func Run(t testing.TB, s *schema.Snapshot, file, yaml string) *analysis.Analysis {
	t.Helper()
	m, err := contexts.Parse(file, []byte(yaml))
	if err != nil {
		t.Fatalf("contexts map: %v", err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatalf("contexts map: %v", err)
	}
	an, err := analysis.Run(s, a, analysis.Options{})
	if err != nil {
		t.Fatalf("analysis: %v", err)
	}
	return an
}

// MusicCorp returns a fresh copy of the MusicCorp fixture's PostgreSQL
// snapshot.
func MusicCorp(t testing.TB) *schema.Snapshot {
	t.Helper()
	s, err := schema.Decode(bytes.NewReader(musiccorp.SnapshotJSON))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// MusicCorpMap is the fixture's contexts map, named contexts.yaml.
const MusicCorpMap = "contexts.yaml"

// Table makes a table of schema app whose first column is its primary key.
func Table(name string, cols ...string) schema.Table {
	t := schema.Table{Schema: "app", Name: name, Kind: schema.KindTable}
	for _, c := range cols {
		t.Columns = append(t.Columns, schema.Column{Name: c, Type: "integer", Nullable: c != cols[0]})
	}
	if len(cols) > 0 {
		t.PrimaryKey = &schema.Key{Name: name + "_pkey", Columns: cols[:1]}
	}
	return t
}

// FK adds a foreign key named name from t's column col to parent(id) in
// schema app.
func FK(t schema.Table, name, col, parent string) schema.Table {
	t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{
		Name: name, Columns: []string{col}, References: schema.TableName{Schema: "app", Name: parent}, RefColumns: []string{"id"},
		OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true,
	})
	return t
}

// Snapshot makes a PostgreSQL snapshot of database shop, schema app.
func Snapshot(tables ...schema.Table) *schema.Snapshot {
	s := &schema.Snapshot{Format: schema.FormatVersion, Source: schema.Source{Engine: schema.Postgres, Database: "shop"}, Tables: tables}
	s.Schemas = []schema.Schema{{Name: "app"}}
	s.Normalize()
	return s
}
