package snapdiff_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/snapdiff"
)

func table(s *schema.Snapshot, name string) *schema.Table {
	for i := range s.Tables {
		if s.Tables[i].Name == name {
			return &s.Tables[i]
		}
	}
	panic("no table " + name)
}

// lines writes every change of a diff as one line each, to compare.
func lines(d *snapdiff.Diff) []string {
	var out []string
	for _, s := range d.Schemas {
		out = append(out, fmt.Sprintf("schema %s %s", s.Name, s.Change))
	}
	for _, t := range d.Tables {
		out = append(out, fmt.Sprintf("table %s %s", t.TableName(), t.Change))
		for _, it := range t.Items {
			out = append(out, fmt.Sprintf("  %s %s %s: %s", it.Kind, it.Name, it.Change, strings.Join(it.Details, "; ")))
		}
	}
	for _, v := range d.Views {
		out = append(out, fmt.Sprintf("view %s.%s %s: %s", v.Schema, v.Name, v.Change, strings.Join(v.Details, "; ")))
	}
	for _, tr := range d.Triggers {
		out = append(out, fmt.Sprintf("trigger %s on %s.%s %s: %s", tr.Name, tr.Schema, tr.Table, tr.Change, strings.Join(tr.Details, "; ")))
	}
	return out
}

func TestSchemas(t *testing.T) {
	tests := []struct {
		name   string
		change func(*schema.Snapshot)
		want   []string
	}{
		{"nothing", func(*schema.Snapshot) {}, nil},
		{"captured later, counters moved", func(s *schema.Snapshot) {
			s.Source.CapturedAt = s.Source.CapturedAt.AddDate(0, 1, 0)
			table(s, "album").RowEstimate = schema.Int64(123456)
		}, nil},
		{"table added and removed", func(s *schema.Snapshot) {
			s.Tables = slices.DeleteFunc(s.Tables, func(t schema.Table) bool { return t.Name == "feature_flag" })
			s.Tables = append(s.Tables, schema.Table{Schema: "public", Name: "wishlist", Kind: schema.KindTable, Columns: []schema.Column{{Name: "id", Type: "integer"}}})
		}, []string{"table public.feature_flag removed", "table public.wishlist added"}},
		{"columns", func(s *schema.Snapshot) {
			t := table(s, "album")
			t.Columns[1].Type = "text"
			t.Columns[2].Nullable = !t.Columns[2].Nullable
			t.Columns = append(t.Columns, schema.Column{Name: "upc", Type: "character varying(14)"})
		}, []string{"table public.album changed",
			"  column artist_id changed: type: bigint -> text",
			"  column genre_id changed: null: null -> not null",
			"  column upc added: character varying(14); not null"}},
		{"foreign key renamed and another changed", func(s *schema.Snapshot) {
			t := table(s, "ledger")
			t.ForeignKeys[0].Name = "fk_renamed"
			t.ForeignKeys[1].OnDelete = schema.Cascade
		}, []string{"table public.ledger changed",
			"  foreign_key fk_renamed renamed: from ledger_line_item_id_fkey; (line_item_id) references public.line_item(line_item_id) on delete RESTRICT on update NO ACTION",
			"  foreign_key ledger_supplier_id_fkey changed: (supplier_id) references public.supplier(supplier_id) on delete SET NULL on update NO ACTION -> (supplier_id) references public.supplier(supplier_id) on delete CASCADE on update NO ACTION"}},
		{"keys, indexes and checks", func(s *schema.Snapshot) {
			t := table(s, "track")
			t.Indexes = append(t.Indexes, schema.Index{Name: "track_title_idx", Columns: []string{"title"}, Method: "btree"})
			t.PrimaryKey.Columns = append(t.PrimaryKey.Columns, "album_id")
			t.Checks = append(t.Checks, schema.Check{Name: "track_len", Expression: "length > 0"})
		}, []string{"table public.track changed",
			"  primary_key track_pkey changed: columns: (track_id) -> (track_id, album_id)",
			"  index track_title_idx added: btree (title)",
			"  check track_len added: length > 0"}},
		{"views and triggers", func(s *schema.Snapshot) {
			s.Views[0].Definition += " WHERE true"
			s.Views[1].Reads = append(s.Views[1].Reads, schema.TableName{Schema: "public", Name: "tax_rate"})
			s.Triggers[0].Body = "BEGIN RETURN NEW; END"
			s.Triggers = s.Triggers[:1]
		}, []string{"view public.catalog_album_summary changed: definition changed",
			"view public.monthly_sales_report changed: reads now public.tax_rate",
			"trigger album_before_update_touch on public.album changed: body changed",
			"trigger refund_after_insert_restock on public.refund removed: "}},
		{"schema added", func(s *schema.Snapshot) {
			s.Schemas = append(s.Schemas, schema.Schema{Name: "finance"})
		}, []string{"schema finance added"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old, new := analysistest.MusicCorp(t), analysistest.MusicCorp(t)
			tt.change(new)
			new.Normalize()
			d := snapdiff.Schemas(old, new)
			if got := lines(d); !slices.Equal(got, tt.want) {
				t.Errorf("diff\n got %q\nwant %q", got, tt.want)
			}
			if d.Empty() != (len(tt.want) == 0) {
				t.Errorf("Empty() = %v", d.Empty())
			}
		})
	}
}

// TestCoupling: a crossing foreign key added and another dropped appear
// and disappear between their contexts; the scores move with them.
func TestCoupling(t *testing.T) {
	old := analysistest.Run(t, analysistest.MusicCorp(t), analysistest.MusicCorpMap, musiccorp.ContextsYAML)
	s := analysistest.MusicCorp(t)
	inv := table(s, "invoice")
	inv.Columns = append(inv.Columns, schema.Column{Name: "customer_id", Type: "integer", Nullable: true})
	inv.ForeignKeys = append(inv.ForeignKeys, schema.ForeignKey{Name: "invoice_customer_fk", Columns: []string{"customer_id"},
		References: schema.TableName{Schema: "public", Name: "customer"}, RefColumns: []string{"customer_id"}, OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true})
	table(s, "picking").ForeignKeys = nil
	new := analysistest.Run(t, s, analysistest.MusicCorpMap, musiccorp.ContextsYAML)
	c := snapdiff.CompareCoupling(old, new)
	var appeared, disappeared []string
	for _, f := range c.Appeared {
		appeared = append(appeared, f.Key)
	}
	for _, f := range c.Disappeared {
		disappeared = append(disappeared, f.Key)
	}
	if want := []string{"fk:public.invoice(customer_id)->public.customer(customer_id)"}; !slices.Equal(appeared, want) {
		t.Errorf("appeared %q, want %q", appeared, want)
	}
	// The cycle between finance and warehouse stays: the reference no key
	// declares from stock_movement to refund keeps it.
	if want := []string{"fk:public.picking(order_id)->public.customer_order(order_id)"}; !slices.Equal(disappeared, want) {
		t.Errorf("disappeared %q, want %q", disappeared, want)
	}
	var pairs []string
	for _, p := range c.Pairs {
		pairs = append(pairs, fmt.Sprintf("%s-%s %d->%d +%v -%v", p.A, p.B, p.Before, p.After, p.Appeared, p.Disappeared))
	}
	want := []string{
		"finance-warehouse 5->4 +[] -[fk:public.picking(order_id)->public.customer_order(order_id)]",
		"finance-customer 3->4 +[fk:public.invoice(customer_id)->public.customer(customer_id)] -[]",
	}
	if !slices.Equal(pairs, want) {
		t.Errorf("pairs\n got %q\nwant %q", pairs, want)
	}
	for _, ctx := range c.Contexts {
		if ctx.Before == nil || ctx.After == nil {
			t.Errorf("%s is missing a side", ctx.Name)
		}
	}
	d := &snapdiff.Diff{Coupling: c}
	if !d.Regression() {
		t.Error("a new crossing key is not a regression")
	}
	// The other way round, only progress.
	if back := (&snapdiff.Diff{Coupling: snapdiff.CompareCoupling(new, old)}); back.Regression() != true {
		t.Error("going back re-adds the picking key and the cycle: a regression")
	}
	if same := (&snapdiff.Diff{Coupling: snapdiff.CompareCoupling(old, old)}); same.Regression() {
		t.Error("no change is a regression")
	}
}

// TestDDLAgainstLive: a DDL file keeps a view's text as written and the
// server prints its own form: between the two only what the view reads
// counts.
func TestDDLAgainstLive(t *testing.T) {
	old, new := analysistest.MusicCorp(t), analysistest.MusicCorp(t)
	new.Source.File = "schema.sql"
	for i := range new.Views {
		new.Views[i].Definition = strings.ToUpper(new.Views[i].Definition) + " -- as written"
	}
	if d := snapdiff.Schemas(old, new); !d.Empty() {
		t.Errorf("live against DDL: %q", lines(d))
	}
	new.Views[0].Reads = new.Views[0].Reads[:1]
	if got := lines(snapdiff.Schemas(old, new)); len(got) != 1 || !strings.Contains(got[0], "reads no longer") {
		t.Errorf("a view that reads less: %q", got)
	}
	old.Source.File = "old.sql" // two DDL files: the text counts
	if got := lines(snapdiff.Schemas(old, new)); len(got) != 2 {
		t.Errorf("two DDL files: %q", got)
	}
}
