package plan_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// hiddenSnap has orders (sales) whose buyer and seller reference clients
// and sellers (crm) with no foreign key: inferred at 0.84 and 0.45, and a
// polymorphic comment target.
func hiddenSnap() *schema.Snapshot {
	s := snap(table("orders", "id", "buyer", "seller"), table("clients", "id"), table("sellers", "id"),
		table("comments", "id", "target_id"), table("notes", "id", "order_ref"))
	s.Inferred = []schema.InferredReference{
		{Table: name("orders"), Columns: []string{"buyer"}, References: name("clients"), RefColumns: []string{"id"}, Score: 0.84,
			Evidence: []schema.Evidence{{Source: "view", Detail: "view app.v joins orders.buyer = clients.id", Score: 0.6}},
			Verified: &schema.Verification{Checked: true, Orphans: true}},
		{Table: name("orders"), Columns: []string{"seller"}, References: name("sellers"), RefColumns: []string{"id"}, Score: 0.45,
			Evidence: []schema.Evidence{{Source: "name", Detail: "seller is named like table sellers", Score: 0.45}}},
		{Table: name("comments"), Columns: []string{"target_id"}, References: name("orders"), RefColumns: []string{"id"}, Score: 0.75,
			Polymorphic: true, Discriminator: &schema.Discriminator{Column: "target_type", Value: "Order"},
			Evidence: []schema.Evidence{{Source: "polymorphic", Detail: "target_type = 'Order' names orders", Score: 0.75}}},
	}
	return s
}

func findingsOf(p *plan.Plan, kind plan.Kind) map[string]plan.Finding {
	out := map[string]plan.Finding{}
	for _, f := range p.Findings {
		if f.Kind == kind {
			out[f.ID] = f
		}
	}
	return out
}

func TestInferredReferences(t *testing.T) {
	s := hiddenSnap()
	base := "sales: orders, notes; crm: clients, sellers; social: comments"
	buyer, seller := "inferred/app/orders/buyer->app.clients", "inferred/app/orders/seller->app.sellers"
	poly := "inferred/app/comments/target_id->app.orders=Order"
	tests := []struct {
		name      string
		relations []contexts.ResolvedRelation
		threshold float64
		want      map[string]plan.Severity
	}{
		{"default threshold: the weak one is left out", nil, 0, map[string]plan.Severity{buyer: plan.Low, poly: plan.Low}},
		{"a lower threshold takes it", nil, 0.4, map[string]plan.Severity{buyer: plan.Low, seller: plan.Low, poly: plan.Low}},
		{"confirmed: medium, even under the threshold",
			[]contexts.ResolvedRelation{{Kind: contexts.Confirm, Table: name("orders"), Columns: []string{"seller"}, References: name("sellers")}}, 0,
			map[string]plan.Severity{buyer: plan.Low, seller: plan.Medium, poly: plan.Low}},
		{"denied: never used",
			[]contexts.ResolvedRelation{{Kind: contexts.Deny, Table: name("orders"), Columns: []string{"buyer"}, References: name("clients"), RefColumns: []string{"id"}}}, 0,
			map[string]plan.Severity{poly: plan.Low}},
		{"declared: a virtual key the inference missed",
			[]contexts.ResolvedRelation{{Kind: contexts.Declare, Table: name("notes"), Columns: []string{"order_ref"}, References: name("clients"), RefColumns: []string{"id"}}}, 0,
			map[string]plan.Severity{buyer: plan.Low, poly: plan.Low, "inferred/app/notes/order_ref->app.clients": plan.Medium}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := assign(s, base)
			a.Relations = tt.relations
			an, err := analysis.Run(s, a, analysis.Options{Plan: plan.Options{InferThreshold: tt.threshold}})
			if err != nil {
				t.Fatal(err)
			}
			p := an.Plan
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]plan.Severity{}
			for id, f := range findingsOf(p, plan.KindInferred) {
				got[id] = f.Severity
			}
			if len(got) != len(tt.want) {
				t.Errorf("findings %v, want %v", got, tt.want)
			}
			for id, sev := range tt.want {
				if got[id] != sev {
					t.Errorf("%s: severity %q, want %q (all %v)", id, got[id], sev, got)
				}
			}
			// The step: application work and an orphan check, no SQL.
			for _, st := range p.Steps {
				if !slices.ContainsFunc(st.FindingIDs, func(id string) bool { return strings.HasPrefix(id, "inferred/") }) {
					continue
				}
				if len(st.Up) != 0 || len(st.Down) != 0 || len(st.AppWork) == 0 || len(st.Verify) != 1 {
					t.Errorf("step %q: up %q, down %q, app work %d, verify %v", st.Title, st.Up, st.Down, len(st.AppWork), st.Verify)
				}
				for _, q := range append(st.Up, st.Verify[0].Query) {
					if strings.Contains(strings.ToUpper(q), "DROP CONSTRAINT") || strings.Contains(strings.ToUpper(q), "DROP FOREIGN KEY") {
						t.Errorf("step %q drops a constraint: %s", st.Title, q)
					}
				}
				if slices.Contains(st.FindingIDs, poly) && !strings.Contains(st.Verify[0].Query, `"target_type" = 'Order'`) {
					t.Errorf("polymorphic orphan check ignores the type: %s", st.Verify[0].Query)
				}
			}
		})
	}
	// The evidence and the data check are in the finding; the edge counts.
	p, err := planOf(s, assign(s, base))
	if err != nil {
		t.Fatal(err)
	}
	f := findingsOf(p, plan.KindInferred)[buyer]
	if !slices.Contains(f.Evidence, "view: view app.v joins orders.buyer = clients.id") || !slices.Contains(f.Evidence, "the data holds orphans: some rows reference no existing row") {
		t.Errorf("evidence: %q", f.Evidence)
	}
	found := false
	for _, d := range p.Dependencies {
		if d.From == "sales" && d.To == "crm" {
			found = d.Inferred == 1 && slices.Contains(d.FindingIDs, buyer)
		}
	}
	if !found {
		t.Errorf("no sales -> crm edge counting the inferred reference: %+v", p.Dependencies)
	}
}
