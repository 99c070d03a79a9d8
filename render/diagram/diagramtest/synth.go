package diagramtest

import (
	"fmt"
	"time"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/schema"
)

// synthTypes spells the synthetic column types as PostgreSQL does.
var synthTypes = map[synth.Type]string{
	synth.Bigint: "bigint", synth.Int: "integer", synth.Smallint: "smallint",
	synth.Varchar32: "character varying(32)", synth.Varchar64: "character varying(64)",
	synth.Varchar200: "character varying(200)", synth.Varchar254: "character varying(254)",
	synth.Char3: "character(3)", synth.Text: "text", synth.Money: "numeric(12,2)",
	synth.Weight: "numeric(10,3)", synth.Float: "double precision", synth.Bool: "boolean",
	synth.Date: "date", synth.Timestamp: "timestamp with time zone",
}

// SynthSnapshot returns the snapshot that introspecting the synthetic schema
// of fixtures/synth would give on PostgreSQL (schema public), built in
// memory, with the assignment of its own contexts map: the 2,000- and
// 10,000-table schemas without a database.
func SynthSnapshot(opts synth.Options) (*schema.Snapshot, *contexts.Assignment, error) {
	g, err := synth.Generate(opts)
	if err != nil {
		return nil, nil, err
	}
	const s = "public"
	snap := &schema.Snapshot{
		Format:  schema.FormatVersion,
		Source:  schema.Source{Engine: schema.Postgres, Database: "synth", CapturedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		Schemas: []schema.Schema{{Name: s}},
	}
	for _, t := range g.Tables {
		st := schema.Table{Schema: s, Name: t.Name, Kind: schema.KindTable, Comment: t.Comment,
			PrimaryKey: &schema.Key{Name: t.Name + "_pkey", Columns: t.PrimaryKey}}
		for _, c := range t.Columns {
			st.Columns = append(st.Columns, schema.Column{Name: c.Name, Type: synthTypes[c.Type], Nullable: !c.NotNull, Comment: c.Comment})
		}
		for _, ix := range t.Indexes {
			st.Indexes = append(st.Indexes, schema.Index{Name: ix.Name, Columns: ix.Columns, Unique: ix.Unique, Method: "btree"})
		}
		for _, f := range t.ForeignKeys {
			st.ForeignKeys = append(st.ForeignKeys, schema.ForeignKey{Name: f.Name, Columns: f.Columns,
				References: tn(s, f.RefTable), RefColumns: f.RefColumns, OnDelete: schema.Action(f.OnDelete),
				OnUpdate: schema.NoAction, Enforced: true, Valid: true})
		}
		snap.Tables = append(snap.Tables, st)
	}
	for _, v := range g.Views {
		snap.Views = append(snap.Views, schema.View{Schema: s, Name: v.Name, Reads: []schema.TableName{tn(s, v.Child), tn(s, v.Parent)}})
	}
	for _, tr := range g.Triggers {
		snap.Triggers = append(snap.Triggers, schema.Trigger{Schema: s, Name: tr.Name, Table: tn(s, tr.Table), Timing: "AFTER",
			Events: []string{"DELETE"}, Level: "ROW", Writes: []schema.TableName{tn(s, tr.FK.RefTable)}, Reads: []schema.TableName{}})
	}
	snap.Normalize()
	if err := snap.Validate(); err != nil {
		return nil, nil, err
	}
	m, err := contexts.Parse("synth-contexts.yaml", []byte(g.ContextsYAML()))
	if err != nil {
		return nil, nil, fmt.Errorf("synth contexts map: %w", err)
	}
	a, err := contexts.Resolve(m, snap)
	if err != nil {
		return nil, nil, fmt.Errorf("synth contexts map: %w", err)
	}
	return snap, a, nil
}
