package history_test

import (
	"slices"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/history"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/schema"
)

// TestHistory follows MusicCorp over three snapshots: as it is, with the
// picking -> customer_order key dropped, then with recommendation's tables
// folded into catalog by the map.
func TestHistory(t *testing.T) {
	var h history.History
	s0 := analysistest.MusicCorp(t)
	h.Add("0.json", analysistest.Run(t, s0, analysistest.MusicCorpMap, musiccorp.ContextsYAML))
	s1 := analysistest.MusicCorp(t)
	for i := range s1.Tables {
		if s1.Tables[i].Name == "picking" {
			s1.Tables[i].ForeignKeys = slices.DeleteFunc(s1.Tables[i].ForeignKeys, func(fk schema.ForeignKey) bool { return fk.References.Name == "customer_order" })
		}
	}
	s1.Source.CapturedAt = s0.Source.CapturedAt.Add(24 * time.Hour)
	h.Add("1.json", analysistest.Run(t, s1, analysistest.MusicCorpMap, musiccorp.ContextsYAML))
	folded := "contexts:\n  catalog:\n    tables: [genre, artist, album, track, line_item, \"reco_*\"]\n  finance:\n    tables: [customer_order, order_line, payment, refund, invoice, tax_rate, ledger, customer]\n  warehouse:\n    tables: [warehouse, supplier, shipment, stock_movement, picking]\n"
	h.Add("2.json", analysistest.Run(t, s1, analysistest.MusicCorpMap, folded))

	if len(h.Points) != 3 || h.Points[0].Changes != nil || h.Points[1].Changes == nil {
		t.Fatalf("points %d; the first has changes %v", len(h.Points), h.Points[0].Changes != nil)
	}
	if got := h.Contexts(); !slices.Equal(got, []string{"catalog", "finance", "warehouse", "recommendation", "customer"}) {
		t.Errorf("contexts %q", got)
	}
	counts, present := h.Crossing("warehouse")
	if !slices.Equal(counts, []int{6, 5, 5}) || !slices.Equal(present, []bool{true, true, true}) {
		t.Errorf("warehouse: %v %v", counts, present)
	}
	counts, present = h.Crossing("recommendation")
	if !slices.Equal(present, []bool{true, true, false}) || counts[0] != 4 {
		t.Errorf("recommendation: %v %v", counts, present)
	}
	if d := h.Points[1].Changes; len(d.Tables) != 1 || len(d.Coupling.Disappeared) == 0 || len(d.Coupling.Appeared) != 0 {
		t.Errorf("changes 0 -> 1: %d tables, %d appeared, %d disappeared", len(d.Tables), len(d.Coupling.Appeared), len(d.Coupling.Disappeared))
	}
	if d := h.Points[2].Changes; !d.Empty() {
		t.Errorf("the same snapshot under another map changed the schema: %s", d.Summary())
	}
}

func TestOrder(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	es := []history.Entry{{"c.json", t0.Add(time.Hour)}, {"b.json", t0}, {"a.json", t0}, {"z.json", t0.Add(-time.Hour)}}
	history.Order(es)
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
	}
	if want := []string{"z.json", "a.json", "b.json", "c.json"}; !slices.Equal(names, want) {
		t.Errorf("order %q, want %q", names, want)
	}
}
