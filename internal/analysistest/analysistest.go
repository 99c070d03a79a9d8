// Package analysistest builds analyses for tests: a snapshot analysed under
// a contexts map written in YAML, and the MusicCorp fixture.
package analysistest

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/snapdiff"
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

// Evil is a table name that tries to break out of every output format: a
// GitHub Actions command, Markdown, HTML, XML, a CSV field, a percent
// escape and a line break.
const Evil = "evil::error file=x,line=1::<b>&amp;</b> | `%0A` ]]>\n::warning::pwned"

// CheckResult is a check of the MusicCorp fixture after a change, against
// a baseline of the fixture as it was: a new crossing foreign key
// (invoice.customer_id -> customer), a new one from a table named Evil to
// album, a crossing foreign key dropped (ledger -> line_item: fixed), and
// budgets, finance's exceeded. The contexts map is contexts.yaml, the
// baseline seams-baseline.json.
func CheckResult(t testing.TB) *check.Result {
	t.Helper()
	before := Run(t, MusicCorp(t), MusicCorpMap, musiccorp.ContextsYAML)
	base := check.Run(before, nil, "").Updated(true)
	s := MusicCorp(t)
	tn := func(n string) schema.TableName { return schema.TableName{Schema: "public", Name: n} }
	for i := range s.Tables {
		t := &s.Tables[i]
		switch t.Name {
		case "invoice":
			t.Columns = append(t.Columns, schema.Column{Name: "customer_id", Type: "integer", Nullable: true})
			t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: "invoice_customer_fk", Columns: []string{"customer_id"},
				References: tn("customer"), RefColumns: []string{"customer_id"}, OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true})
		case "ledger":
			t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.References.Name == "line_item" })
		}
	}
	s.Tables = append(s.Tables, schema.Table{Schema: "public", Name: Evil, Kind: schema.KindTable,
		Columns: []schema.Column{{Name: "id", Type: "integer"}, {Name: "album_id", Type: "integer", Nullable: true}},
		ForeignKeys: []schema.ForeignKey{{Name: "evil_album <fk>", Columns: []string{"album_id"}, References: tn("album"), RefColumns: []string{"album_id"},
			OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true}}})
	s.Normalize()
	quoted, _ := json.Marshal(Evil) // a JSON string is a YAML double-quoted scalar
	yaml := strings.Replace(musiccorp.ContextsYAML, "      - customer_order\n", "      - customer_order\n      - "+string(quoted)+"\n", 1)
	yaml = strings.Replace(yaml, "    owner: team-finance\n", "    owner: team-finance\n    max_crossing: 5\n", 1) +
		"budgets:\n  - between: [finance, catalog]\n    max_crossing: 10\n"
	return check.Run(Run(t, s, MusicCorpMap, yaml), base, "seams-baseline.json")
}

// Diff compares the MusicCorp fixture with itself changed (analysed under
// its contexts map): album.artist_id retyped, the foreign key from invoice
// to customer added, picking's keys dropped, a table named Evil added with
// a key to album, a view's definition changed and a trigger removed.
func Diff(t testing.TB) *snapdiff.Diff {
	t.Helper()
	old, s := MusicCorp(t), MusicCorp(t)
	tn := func(n string) schema.TableName { return schema.TableName{Schema: "public", Name: n} }
	for i := range s.Tables {
		t := &s.Tables[i]
		switch t.Name {
		case "album":
			t.Columns[1].Type = "text"
		case "invoice":
			t.Columns = append(t.Columns, schema.Column{Name: "customer_id", Type: "integer", Nullable: true})
			t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: "invoice_customer_fk", Columns: []string{"customer_id"},
				References: tn("customer"), RefColumns: []string{"customer_id"}, OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true})
		case "picking":
			t.ForeignKeys = nil
		}
	}
	s.Tables = append(s.Tables, schema.Table{Schema: "public", Name: Evil, Kind: schema.KindTable,
		Columns: []schema.Column{{Name: "id", Type: "integer"}, {Name: "album_id", Type: "integer", Nullable: true}},
		ForeignKeys: []schema.ForeignKey{{Name: "evil_album", Columns: []string{"album_id"}, References: tn("album"), RefColumns: []string{"album_id"},
			OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true}}})
	s.Views[0].Definition += " WHERE true"
	s.Triggers = s.Triggers[:1]
	s.Source.CapturedAt = s.Source.CapturedAt.AddDate(0, 0, 7)
	s.Normalize()
	quoted, _ := json.Marshal(Evil)
	yaml := strings.Replace(musiccorp.ContextsYAML, "      - customer_order\n", "      - customer_order\n      - "+string(quoted)+"\n", 1)
	d := snapdiff.Schemas(old, s)
	d.Coupling = snapdiff.CompareCoupling(Run(t, old, MusicCorpMap, yaml), Run(t, s, MusicCorpMap, yaml))
	return d
}
