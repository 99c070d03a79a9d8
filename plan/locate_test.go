package plan_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/schema"
)

// TestObjectsLocated: a snapshot read from a DDL file knows where each
// table, foreign key, view and trigger is defined; the findings' objects
// carry it into the JSON and the Markdown plan.
func TestObjectsLocated(t *testing.T) {
	at := func(line int) *schema.Location { return &schema.Location{File: "db/structure.sql", Line: line} }
	order := fk(table("order", "id", "customer_id"), "order_customer_fk", []string{"customer_id"}, "customer", []string{"id"}, schema.Cascade)
	order.Location, order.ForeignKeys[0].Location = at(10), at(42)
	customer := table("customer", "id")
	customer.Location = at(3)
	s := snap(order, customer)
	s.Views = []schema.View{{Schema: "app", Name: "order_report", Reads: []schema.TableName{name("order"), name("customer")}, Location: at(60)}}
	s.Triggers = []schema.Trigger{{Schema: "app", Name: "order_audit", Table: name("order"), Timing: "AFTER", Events: []string{"INSERT"}, Level: "ROW",
		Writes: []schema.TableName{name("customer")}, Reads: []schema.TableName{}, Location: at(70)}}
	s.Normalize()
	p := build(t, s, "sales: order, order_report; crm: customer")
	want := map[string]int{"foreign_key order_customer_fk": 42, "view order_report": 60, "trigger order_audit": 70, "table customer": 3}
	got := map[string]int{}
	for _, f := range p.Findings {
		for _, o := range f.Objects {
			if o.Location != nil {
				got[o.Type+" "+o.Name] = o.Location.Line
			}
		}
	}
	for k, line := range want {
		if got[k] != line {
			t.Errorf("%s: located at line %d, want %d (all: %v)", k, got[k], line, got)
		}
	}
	var md bytes.Buffer
	if err := markdown.Write(&md, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "defined at `db/structure.sql:42`: foreign key app.order.order\\_customer\\_fk") {
		t.Errorf("the Markdown plan does not point at the key's line:\n%s", md.String())
	}

	// A live snapshot has no locations, and the plan none either.
	for i := range s.Tables {
		s.Tables[i].Location = nil
		for j := range s.Tables[i].ForeignKeys {
			s.Tables[i].ForeignKeys[j].Location = nil
		}
	}
	s.Views[0].Location, s.Triggers[0].Location = nil, nil
	p = build(t, s, "sales: order, order_report; crm: customer")
	for _, f := range p.Findings {
		for _, o := range f.Objects {
			if o.Location != nil {
				t.Errorf("%s %s located in a live snapshot", o.Type, o.Name)
			}
		}
	}
}
