package plan_test

import (
	"slices"
	"testing"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// keyOf returns the key of the one finding with the given ID prefix.
func keysOf(p *plan.Plan, k plan.Kind) []string {
	var out []string
	for _, f := range p.Findings {
		if f.Kind == k {
			out = append(out, f.Key)
		}
	}
	slices.Sort(out)
	return out
}

// TestKeySurvivesRenames: renaming a constraint or a trigger changes the
// finding's ID but not its key; changing what the coupling is made of
// (another column, another parent) changes the key.
func TestKeySurvivesRenames(t *testing.T) {
	const spec = "sales: orders; catalog: item, item_code"
	base := func(fkName string, col, parent string) *schema.Snapshot {
		orders := fk(table("orders", "id", "item_id", "code"), fkName, []string{col}, parent, []string{"id"}, schema.Restrict)
		return snap(orders, table("item", "id"), table("item_code", "id"))
	}
	tests := []struct {
		name       string
		s          *schema.Snapshot
		sameKey    bool
		sameID     bool
		wantKey    string
		wantCounts int
	}{
		{"same", base("orders_item_fk", "item_id", "item"), true, true, "fk:app.orders(item_id)->app.item(id)", 1},
		{"constraint renamed", base("fk_orders_item", "item_id", "item"), true, false, "fk:app.orders(item_id)->app.item(id)", 1},
		{"other column", base("orders_item_fk", "code", "item"), false, true, "fk:app.orders(code)->app.item(id)", 1},
		{"other parent", base("orders_item_fk", "item_id", "item_code"), false, true, "fk:app.orders(item_id)->app.item_code(id)", 1},
	}
	ref := build(t, base("orders_item_fk", "item_id", "item"), spec)
	refIDs := ids(ref, plan.KindForeignKey)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(t, tt.s, spec)
			keys := keysOf(p, plan.KindForeignKey)
			if len(keys) != tt.wantCounts || keys[0] != tt.wantKey {
				t.Fatalf("keys %q, want [%q]", keys, tt.wantKey)
			}
			if got := keys[0] == keysOf(ref, plan.KindForeignKey)[0]; got != tt.sameKey {
				t.Errorf("same key as before: %v, want %v", got, tt.sameKey)
			}
			if got := ids(p, plan.KindForeignKey)[0] == refIDs[0]; got != tt.sameID {
				t.Errorf("same ID as before: %v, want %v", got, tt.sameID)
			}
		})
	}
}

// TestKeyTriggerRename: a renamed trigger keeps its key.
func TestKeyTriggerRename(t *testing.T) {
	mk := func(trigger string) *schema.Snapshot {
		s := snap(table("orders", "id"), table("stock", "id"))
		s.Triggers = []schema.Trigger{{Schema: "app", Name: trigger, Table: name("orders"), Timing: "AFTER", Events: []string{"INSERT"}, Level: "ROW",
			Writes: []schema.TableName{name("stock")}}}
		return s
	}
	a := build(t, mk("orders_ai"), "sales: orders; warehouse: stock")
	b := build(t, mk("after_insert_orders"), "sales: orders; warehouse: stock")
	ka, kb := keysOf(a, plan.KindTrigger), keysOf(b, plan.KindTrigger)
	if len(ka) != 1 || !slices.Equal(ka, kb) || ka[0] != "trigger:app.orders[writes:app.stock]" {
		t.Errorf("keys %q and %q, want both [trigger:app.orders[writes:app.stock]]", ka, kb)
	}
}

// TestKeysUnique: every finding of the fixture plans has a key, and no
// two share one.
func TestKeysUnique(t *testing.T) {
	for _, p := range fixturePlans(t) {
		seen := map[string]string{}
		for _, f := range p.Findings {
			if f.Key == "" {
				t.Errorf("%s has no key", f.ID)
			}
			if prev, dup := seen[f.Key]; dup {
				t.Errorf("%s and %s share the key %q", prev, f.ID, f.Key)
			}
			seen[f.Key] = f.ID
		}
	}
}

func TestLooseKey(t *testing.T) {
	tests := []struct{ key, want string }{
		{"fk:public.ledger(line_item_id)->public.line_item(line_item_id)", "ref:ledger(line_item_id)->line_item(line_item_id)"},
		{"fk:finance.ledger(a,b)->catalog.line_item(x,y)", "ref:ledger(a,b)->line_item(x,y)"},
		{"inferred:public.ledger(line_item_id)->public.line_item(line_item_id)", "ref:ledger(line_item_id)->line_item(line_item_id)"},
		{"inferred:a.t(x_id)->a.x(id)=X", "ref:t(x_id)->x(id)=X"},
		{"view:a.v", "view:v"},
		{"shared-table:my-schema.line-item", "shared-table:line-item"},
		{"trigger:a.refund[writes:b.picking+c.stock]", "trigger:refund[writes:picking+stock]"},
		{"implied:a.x+b.y", "implied:x+y"},
		{"fk:we%2Eird.t%2E1(c)->s.p(id)#2", "ref:t%2E1(c)->p(id)#2"},
		{"cycle:a+b", "cycle:a+b"},
		{"transaction:src/orders%2Ego#Refund", "transaction:src/orders%2Ego#Refund"},
		{"nokind", "nokind"},
	}
	for _, tt := range tests {
		if got := plan.LooseKey(tt.key); got != tt.want {
			t.Errorf("LooseKey(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// fixturePlans plans the MusicCorp fixture from both engines, and a small
// schema with usage (statements and units of work over the same tables).
func fixturePlans(t *testing.T) []*plan.Plan {
	t.Helper()
	var out []*plan.Plan
	for _, engine := range []string{"postgres", "mysql"} {
		s := musicCorpSnapshot(t, engine)
		p, err := planOf(s, resolveMusicCorp(t, s))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	q1, q2 := stmt("q1", 4, []string{"a1", "b1"}, nil, "A"), stmt("q2", 3, []string{"a1", "b1"}, nil, "A")
	q1.Callers = append(q1.Callers, schema.Caller{File: "src/report.go", Calls: 1})
	q2.Callers = append(q2.Callers, schema.Caller{File: "src/report.go", Calls: 1})
	s, spec := usageSnap(usageOf([]schema.Statement{q1, q2, stmt("q3", 1, []string{"b2"}, []string{"a1"}, "B")}))
	p := build(t, s, spec)
	want := []string{"query:app.a1+app.b1@src/report%2Ego", "query:app.a1+app.b1@src/report%2Ego#2", "query:app.a1+app.b2[writes:app.a1]"}
	if got := keysOf(p, plan.KindCrossQuery); !slices.Equal(got, want) {
		t.Errorf("query keys %q, want %q", got, want)
	}
	return append(out, p)
}
