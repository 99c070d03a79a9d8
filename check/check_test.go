package check_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/baseline"
	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

func musicCorp(t *testing.T, change func(*schema.Snapshot), yaml string) *analysis.Analysis {
	t.Helper()
	s := analysistest.MusicCorp(t)
	if change != nil {
		change(s)
		s.Normalize()
	}
	if yaml == "" {
		yaml = musiccorp.ContextsYAML
	}
	return analysistest.Run(t, s, analysistest.MusicCorpMap, yaml)
}

// accepted is a baseline that accepts every gated finding of an.
func accepted(an *analysis.Analysis) *baseline.Baseline {
	return check.Run(an, nil, "").Updated(true)
}

func keys[T any](items []T, key func(T) string) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, key(it))
	}
	return out
}

func itemKey(it check.Item) string     { return it.Key }
func entryKey(e baseline.Entry) string { return e.Key }
func movedKey(m check.Moved) string    { return m.From + " -> " + m.Key }
func table(s *schema.Snapshot, name string) *schema.Table {
	for i := range s.Tables {
		if s.Tables[i].Name == name {
			return &s.Tables[i]
		}
	}
	panic("no table " + name)
}

func TestBaseline(t *testing.T) {
	base := accepted(musicCorp(t, nil, ""))
	const crossing = "fk:public.invoice(customer_id)->public.customer(customer_id)"
	tests := []struct {
		name   string
		change func(*schema.Snapshot)
		base   func(*baseline.Baseline) *baseline.Baseline
		passed bool
		new    []string
		fixed  []string
		moved  []string
		// movedFrom are the findings accepted under another key, by it.
		movedFrom map[string]string
	}{
		{name: "unchanged", passed: true},
		{name: "constraint renamed", passed: true, change: func(s *schema.Snapshot) {
			t := table(s, "ledger")
			for i := range t.ForeignKeys {
				t.ForeignKeys[i].Name = "renamed_" + t.ForeignKeys[i].Name
			}
		}},
		{name: "a new crossing foreign key", change: func(s *schema.Snapshot) {
			t := table(s, "invoice")
			t.Columns = append(t.Columns, schema.Column{Name: "customer_id", Type: "integer", Nullable: true})
			t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: "invoice_customer_fk", Columns: []string{"customer_id"},
				References: schema.TableName{Schema: "public", Name: "customer"}, RefColumns: []string{"customer_id"},
				OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true})
		}, new: []string{crossing}},
		{name: "a crossing foreign key dropped", passed: true, change: func(s *schema.Snapshot) {
			t := table(s, "ledger")
			t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.References.Name == "line_item" })
		}, fixed: []string{"fk:public.ledger(line_item_id)->public.line_item(line_item_id)"}},
		{name: "a crossing foreign key dropped, its column left", passed: true, change: func(s *schema.Snapshot) {
			t := table(s, "ledger")
			t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk schema.ForeignKey) bool { return fk.References.Name == "line_item" })
			s.Inferred = append(s.Inferred, schema.InferredReference{
				Table: schema.TableName{Schema: "public", Name: "ledger"}, Columns: []string{"line_item_id"},
				References: schema.TableName{Schema: "public", Name: "line_item"}, RefColumns: []string{"line_item_id"}, Score: 0.98,
				Evidence: []schema.Evidence{{Source: "name", Detail: "line_item_id names line_item", Score: 0.98}}})
		}, movedFrom: map[string]string{"fk:public.ledger(line_item_id)->public.line_item(line_item_id)": "inferred:public.ledger(line_item_id)->public.line_item(line_item_id)"}},
		{name: "tables moved to their context's schema", passed: true, change: func(s *schema.Snapshot) {
			musiccorp.RenameSchema(s, "public", "shop")
		}, moved: []string{}},
		{name: "no baseline", base: func(*baseline.Baseline) *baseline.Baseline { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := base
			if tt.base != nil {
				b = tt.base(base)
			}
			r := check.Run(musicCorp(t, tt.change, ""), b, "seams-baseline.json")
			if tt.name == "no baseline" {
				if r.Passed || len(r.New) != len(base.Findings) || len(r.Known) != 0 {
					t.Errorf("without a baseline: passed %v, %d new, %d known; want every one of %d new", r.Passed, len(r.New), len(r.Known), len(base.Findings))
				}
				return
			}
			if r.Passed != tt.passed {
				t.Errorf("passed = %v, want %v (%s)", r.Passed, tt.passed, r.Summary())
			}
			if got := keys(r.New, itemKey); !slices.Equal(got, nonNil(tt.new)) {
				t.Errorf("new %q, want %q", got, tt.new)
			}
			if got := keys(r.Fixed, entryKey); !slices.Equal(got, nonNil(tt.fixed)) {
				t.Errorf("fixed %q, want %q", got, tt.fixed)
			}
			if tt.movedFrom != nil {
				got := map[string]string{}
				for _, m := range r.Moved {
					got[m.From] = m.Key
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.movedFrom) {
					t.Errorf("moved %v, want %v", got, tt.movedFrom)
				}
			} else if tt.moved != nil {
				// Everything moved but the cycle, whose key names no table.
				if len(r.Moved) != len(base.Findings)-1 || !slices.Equal(keys(r.Known, itemKey), []string{"cycle:finance+warehouse"}) {
					t.Errorf("%d moved, known %q; want all %d but the cycle moved", len(r.Moved), keys(r.Known, itemKey), len(base.Findings))
				}
				for _, m := range r.Moved {
					if plan.LooseKey(m.From) != plan.LooseKey(m.Key) || !strings.Contains(m.Key, "shop.") {
						t.Errorf("moved %s", movedKey(m))
					}
				}
			} else if len(r.Moved) != 0 {
				t.Errorf("moved %q", keys(r.Moved, movedKey))
			}
			if len(r.Known)+len(r.Moved)+len(r.Fixed) != len(base.Findings) {
				t.Errorf("%d known + %d moved + %d fixed, the baseline has %d", len(r.Known), len(r.Moved), len(r.Fixed), len(base.Findings))
			}
		})
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// TestUpdated: updating prunes fixed entries, renames moved ones, and adds
// new ones only when accepted.
func TestUpdated(t *testing.T) {
	an := musicCorp(t, nil, "")
	full := accepted(an)
	// A baseline with one entry gone (new again) and one made up (fixed).
	var es []baseline.Entry
	var dropped string
	for i, e := range full.Findings {
		if i == 0 {
			dropped = e.Key
			continue
		}
		es = append(es, e)
	}
	es = append(es, baseline.Entry{Key: "view:public.gone", Kind: plan.KindView, Title: "gone"})
	r := check.Run(an, baseline.New(es), "b.json")
	if got := keys(r.New, itemKey); !slices.Equal(got, []string{dropped}) {
		t.Fatalf("new %q, want [%s]", got, dropped)
	}
	if got := keys(r.Fixed, entryKey); !slices.Equal(got, []string{"view:public.gone"}) {
		t.Fatalf("fixed %q", got)
	}
	pruned := r.Updated(false)
	if len(pruned.Findings) != len(full.Findings)-1 || slices.ContainsFunc(pruned.Findings, func(e baseline.Entry) bool { return e.Key == dropped || e.Key == "view:public.gone" }) {
		t.Errorf("pruned baseline: %q", keys(pruned.Findings, entryKey))
	}
	if all := r.Updated(true); !slices.Equal(keys(all.Findings, entryKey), keys(full.Findings, entryKey)) {
		t.Errorf("accepted baseline: %q, want %q", keys(all.Findings, entryKey), keys(full.Findings, entryKey))
	}
	// The unused-table kind is never gated.
	for _, e := range full.Findings {
		if !check.Gated(e.Kind) {
			t.Errorf("%s of kind %s in the baseline", e.Key, e.Kind)
		}
	}
}

func TestBudgets(t *testing.T) {
	yaml := strings.Replace(musiccorp.ContextsYAML, "    owner: team-finance\n", "    owner: team-finance\n    max_crossing: 10\n", 1) +
		"budgets:\n  - between: [warehouse, finance]\n    max_crossing: 1\n  - between: [catalog, recommendation]\n    max_crossing: 10\n"
	an := musicCorp(t, nil, yaml)
	r := check.Run(an, accepted(an), "b.json")
	type row struct {
		name     string
		crossing int
		exceeded bool
		at       string
	}
	var got []row
	for _, b := range r.Budgets {
		at := ""
		if b.Location != nil {
			at = b.Location.String()
		}
		got = append(got, row{b.Name(), b.Crossing, b.Exceeded, at})
	}
	want := []row{
		{"finance", 10, false, "contexts.yaml:19:19"},
		{"warehouse and finance", 5, true, "contexts.yaml:54:19"},
		{"catalog and recommendation", 3, false, "contexts.yaml:56:19"},
	}
	if !slices.Equal(got, want) {
		t.Errorf("budgets\n got %+v\nwant %+v", got, want)
	}
	if r.Passed || len(r.New) != 0 || r.Summary() != "1 budget exceeded" {
		t.Errorf("passed %v, summary %q: want failed on the budget alone", r.Passed, r.Summary())
	}
}

// TestLocations: a finding points at the map entries of its tables in
// the contexts of its objects; one without tables in the map at its
// contexts; an unassigned table at the map.
func TestLocations(t *testing.T) {
	r := check.Run(musicCorp(t, nil, ""), nil, "")
	want := map[string]string{
		"fk:public.ledger(line_item_id)->public.line_item(line_item_id)": "contexts.yaml:26:9 table public.ledger in context finance",
		"shared-table:public.line_item":                                  "contexts.yaml:15:9 table public.line_item in context catalog",
		"view:public.monthly_sales_report":                               "contexts.yaml:7:3 context catalog",
		"cycle:finance+warehouse":                                        "contexts.yaml:39:9 table public.picking in context warehouse",
	}
	seen := 0
	for _, it := range r.New {
		w, ok := want[it.Key]
		if !ok {
			if len(it.Locations) == 0 {
				t.Errorf("%s has no location", it.Key)
			}
			continue
		}
		seen++
		if got := it.Locations[0].String() + " " + it.Locations[0].What; got != w {
			t.Errorf("%s at %s, want %s", it.Key, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d findings", seen, len(want))
	}
}
