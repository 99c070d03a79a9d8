package plan_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// TestStaticWithoutRowEstimates: a snapshot with no row estimates (read
// from a DDL file) cannot show small tables; the plan says so and names
// the tables the rule would have looked at, instead of staying silent.
func TestStaticWithoutRowEstimates(t *testing.T) {
	build := func(estimate *int64) *plan.Plan {
		currency := table("currency", "code")
		currency.RowEstimate = estimate
		s := snap(
			fk(table("order", "id", "currency"), "order_currency_fk", []string{"currency"}, "currency", []string{"code"}, schema.NoAction),
			fk(table("invoice", "id", "currency"), "invoice_currency_fk", []string{"currency"}, "currency", []string{"code"}, schema.NoAction),
			currency,
		)
		return build(t, s, "sales: order; billing: invoice")
	}
	isStatic := func(p *plan.Plan) bool {
		return slices.ContainsFunc(p.Findings, func(f plan.Finding) bool { return f.Kind == plan.KindStaticData })
	}
	warned := func(p *plan.Plan) string {
		for _, w := range p.Warnings {
			if strings.HasPrefix(w, "static data: no table has a row estimate") {
				return w
			}
		}
		return ""
	}

	p := build(nil)
	if isStatic(p) {
		t.Error("a table of unknown size is static reference data")
	}
	if w := warned(p); !strings.Contains(w, "app.currency") {
		t.Errorf("no warning naming app.currency: %q (warnings %v)", w, p.Warnings)
	}
	p = build(schema.Int64(12))
	if !isStatic(p) {
		t.Error("a small shared table is not static reference data")
	}
	if w := warned(p); w != "" {
		t.Errorf("warning with row estimates: %q", w)
	}
}
