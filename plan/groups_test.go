package plan_test

import (
	"slices"
	"testing"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

func TestGroupFindings(t *testing.T) {
	fk := func(id, child, parent string, ctxs []string, rec, desc string) plan.Finding {
		return plan.Finding{ID: "fk/public/" + child + "/" + id, Kind: plan.KindForeignKey, Severity: plan.Medium, Title: "fk " + id, Contexts: ctxs,
			Objects:        []plan.Object{{Type: "foreign_key", Schema: "public", Name: id, Table: child}, {Type: "table", Schema: "public", Name: parent}},
			Recommendation: plan.Option{Name: rec, Pattern: "P", Description: desc, TradeOffs: "T"}}
	}
	ab := []string{"a", "b"}
	findings := []plan.Finding{
		{ID: "inferred/public/c1/x->public.p1", Kind: plan.KindInferred, Severity: plan.High, Title: "inferred c1.x", Contexts: ab,
			Objects:        []plan.Object{{Type: "column", Schema: "public", Name: "x", Table: "c1"}, {Type: "table", Schema: "public", Name: "p1"}},
			Recommendation: plan.Option{Name: "Make the relationship explicit in code"}},
		{ID: "cycle/a+b", Kind: plan.KindCycle, Severity: plan.High, Title: "cycle", Contexts: ab, Recommendation: plan.Option{Name: "Break"}},
		fk("k1", "c1", "p1", ab, "Check", "for c1"),
		fk("k2", "c2", "p1", ab, "Check", "for c2"),
		fk("k3", "c3", "p2", ab, "Check", "for c3"),
		fk("k4", "c4", "p1", ab, "Delete asynchronously", "x"),
		fk("k5", "c5", "p1", []string{"a+b"}, "Check", "y"),
		fk("k6", "c6", "p1", []string{"a", "c"}, "Check", "z"),
		{ID: "shared-table/public/s", Kind: plan.KindSharedTable, Severity: plan.Medium, Title: "public.s is shared", Contexts: ab,
			Objects: []plan.Object{{Type: "table", Schema: "public", Name: "s"}}, Recommendation: plan.Option{Name: "Split"}},
	}
	gs := plan.GroupFindings(findings)
	byID := map[string]plan.Group{}
	seen := map[string]int{}
	for _, g := range gs {
		if _, dup := byID[g.ID]; dup {
			t.Errorf("group ID %s twice", g.ID)
		}
		byID[g.ID] = g
		if g.Count != len(g.FindingIDs) {
			t.Errorf("%s: count %d, %d IDs", g.ID, g.Count, len(g.FindingIDs))
		}
		for _, id := range g.FindingIDs {
			seen[id]++
		}
	}
	for _, f := range findings {
		if seen[f.ID] != 1 {
			t.Errorf("finding %s is in %d groups", f.ID, seen[f.ID])
		}
	}
	tn := func(n string) schema.TableName { return schema.TableName{Schema: "public", Name: n} }
	for _, tt := range []struct {
		id, title, desc string
		ids             []string
		tables          []plan.GroupTable
	}{
		// An inferred reference hangs on the table it references.
		{"inferred/high/a+b/make-the-relationship-explicit-in-code", "inferred c1.x", "", []string{"inferred/public/c1/x->public.p1"},
			[]plan.GroupTable{{Table: tn("p1"), FindingIDs: []string{"inferred/public/c1/x->public.p1"}}}},
		// A cycle hangs on no table.
		{"cycle/high/a+b/break", "cycle", "", []string{"cycle/a+b"}, []plan.GroupTable{}},
		// One group for the keys that share a recommendation, the table
		// with the most first; the descriptions differ, so the group's is
		// empty.
		{"fk/medium/a+b/check", "3 foreign keys between a and b", "", []string{"fk/public/c1/k1", "fk/public/c2/k2", "fk/public/c3/k3"},
			[]plan.GroupTable{{Table: tn("p1"), FindingIDs: []string{"fk/public/c1/k1", "fk/public/c2/k2"}}, {Table: tn("p2"), FindingIDs: []string{"fk/public/c3/k3"}}}},
		{"fk/medium/a+b/delete-asynchronously", "fk k4", "x", []string{"fk/public/c4/k4"}, nil},
		// Another recommendation, other contexts: other groups, whose IDs
		// stay distinct even when a context's name holds the separator.
		{"fk/medium/a+b/check~2", "fk k5", "y", []string{"fk/public/c5/k5"}, nil},
		{"fk/medium/a+c/check", "fk k6", "z", []string{"fk/public/c6/k6"}, nil},
		{"shared-table/medium/a+b/split", "public.s is shared", "", []string{"shared-table/public/s"}, []plan.GroupTable{{Table: tn("s"), FindingIDs: []string{"shared-table/public/s"}}}},
	} {
		g, ok := byID[tt.id]
		if !ok {
			t.Errorf("no group %s in %v", tt.id, groupIDs(gs))
			continue
		}
		if g.Title != tt.title || g.Recommendation.Description != tt.desc || !slices.Equal(g.FindingIDs, tt.ids) {
			t.Errorf("%s: title %q, description %q, findings %v; want %q, %q, %v", tt.id, g.Title, g.Recommendation.Description, g.FindingIDs, tt.title, tt.desc, tt.ids)
		}
		if tt.tables != nil && !slices.EqualFunc(g.Tables, tt.tables, func(a, b plan.GroupTable) bool { return a.Table == b.Table && slices.Equal(a.FindingIDs, b.FindingIDs) }) {
			t.Errorf("%s: tables %v, want %v", tt.id, g.Tables, tt.tables)
		}
	}
	// High first, then the largest.
	if want := []string{"inferred/high/a+b/make-the-relationship-explicit-in-code", "cycle/high/a+b/break", "fk/medium/a+b/check"}; !slices.Equal(groupIDs(gs)[:3], want) {
		t.Errorf("order %v, want %v first", groupIDs(gs), want)
	}
}

func groupIDs(gs []plan.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.ID)
	}
	return out
}
