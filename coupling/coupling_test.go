package coupling_test

import (
	"slices"
	"testing"

	"github.com/seamsdev/seams/coupling"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/schema"
)

// shop: sales owns orders and order_line (order_line -> orders inside),
// catalog owns item and price (price -> item inside); order_line -> item
// crosses, and so does a view of sales joining orders and item. A view of
// catalog reading only catalog's tables, and a trigger of sales writing
// orders, stay inside.
func shop() *schema.Snapshot {
	s := analysistest.Snapshot(
		analysistest.Table("orders", "id"),
		analysistest.FK(analysistest.FK(analysistest.Table("order_line", "id", "order_id", "item_id"), "ol_order", "order_id", "orders"), "ol_item", "item_id", "item"),
		analysistest.Table("item", "id"),
		analysistest.FK(analysistest.Table("price", "id", "item_id"), "price_item", "item_id", "item"),
		analysistest.FK(analysistest.Table("country", "id", "x"), "country_x", "x", "item"),
	)
	tn := func(n string) schema.TableName { return schema.TableName{Schema: "app", Name: n} }
	s.Views = []schema.View{
		{Schema: "app", Name: "sales_items", Reads: []schema.TableName{tn("item"), tn("orders")}},
		{Schema: "app", Name: "item_prices", Reads: []schema.TableName{tn("item"), tn("price")}},
	}
	s.Triggers = []schema.Trigger{{Schema: "app", Name: "touch", Table: tn("order_line"), Timing: "AFTER", Events: []string{"INSERT"}, Level: "ROW", Writes: []schema.TableName{tn("orders")}}}
	s.Normalize()
	return s
}

const shopMap = `contexts:
  sales:
    tables: [orders, order_line, sales_items]
  catalog:
    tables: [item, price, item_prices]
  empty: {}
ignore: [country]
`

func TestMeasure(t *testing.T) {
	c := coupling.Measure(analysistest.Run(t, shop(), "c.yaml", shopMap))
	tests := []struct {
		name             string
		inside, crossing int
		score            float64
		scored           bool
	}{
		{"sales", 2, 2, 0.5, true},   // order_line -> orders, the trigger; order_line -> item, sales_items
		{"catalog", 2, 2, 0.5, true}, // price -> item, item_prices; the same two crossing
		{"empty", 0, 0, 0, false},
	}
	for _, tt := range tests {
		got, ok := c.Context(tt.name)
		if !ok {
			t.Fatalf("no context %s", tt.name)
		}
		score, scored := got.Score()
		if got.Inside != tt.inside || got.Crossing != tt.crossing || score != tt.score || scored != tt.scored {
			t.Errorf("%s: inside %d crossing %d score %v,%v; want %d %d %v,%v", tt.name, got.Inside, got.Crossing, score, scored, tt.inside, tt.crossing, tt.score, tt.scored)
		}
	}
	want := []string{"fk:app.order_line(item_id)->app.item(id)", "view:app.sales_items"}
	if p := c.Pair("catalog", "sales"); !slices.Equal(p.Keys, want) || p.Crossing() != 2 {
		t.Errorf("pair keys %q, want %q", p.Keys, want)
	}
	if len(c.Pairs) != 1 || c.Pairs[0].A != "sales" || c.Pairs[0].B != "catalog" {
		t.Errorf("pairs %+v, want one: sales, catalog", c.Pairs)
	}
	if p := c.Pair("sales", "empty"); p.Crossing() != 0 {
		t.Errorf("sales-empty has %d couplings", p.Crossing())
	}
	if _, ok := c.Context("nope"); ok {
		t.Error("an unknown context was found")
	}
}

// TestMusicCorp: every crossing coupling of a pair counts for both of its
// contexts, and a context's crossing couplings are those of its pairs.
func TestMusicCorp(t *testing.T) {
	c := coupling.Measure(analysistest.Run(t, analysistest.MusicCorp(t), analysistest.MusicCorpMap, musiccorp.ContextsYAML))
	for _, ctx := range c.Contexts {
		var fromPairs []string
		for _, p := range c.Pairs {
			if p.A == ctx.Name || p.B == ctx.Name {
				fromPairs = append(fromPairs, p.Keys...)
			}
		}
		slices.Sort(fromPairs)
		fromPairs = slices.Compact(fromPairs)
		if !slices.Equal(fromPairs, ctx.Keys) || ctx.Crossing != len(ctx.Keys) {
			t.Errorf("%s: keys %q, from its pairs %q", ctx.Name, ctx.Keys, fromPairs)
		}
	}
	for _, ctx := range c.Contexts {
		if slices.Contains(ctx.Keys, "shared-table:public.customer") {
			t.Errorf("%s counts public.customer twice: as shared and as written by several", ctx.Name)
		}
		t.Logf("%s: inside %d, crossing %d", ctx.Name, ctx.Inside, ctx.Crossing)
	}
	if cu, _ := c.Context("customer"); !slices.Contains(cu.Keys, "shared-data:public.customer") {
		t.Errorf("the proposed context customer does not count the table it is given: %q", cu.Keys)
	}
	fin, _ := c.Context("finance")
	if fin.Crossing == 0 || fin.Inside == 0 {
		t.Errorf("finance: %+v, want couplings inside and crossing", fin)
	}
}
