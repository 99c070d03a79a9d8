package diagram

import (
	"fmt"

	"github.com/seamsdev/seams/plan"
)

// InferredEdges returns the references no foreign key declares that plan p
// uses (p.References), as Options.Inferred takes them: each named by its
// status and score ("inferred 0.84", "confirmed 0.84", "declared"), and
// for a polymorphic one the type value it holds for. Nil when p is nil.
func InferredEdges(p *plan.Plan) []Edge {
	if p == nil {
		return nil
	}
	var out []Edge
	for _, r := range p.References {
		name := fmt.Sprintf("%s %.2f", r.Status, r.Score)
		if r.Status == "declared" {
			name = "declared"
		}
		if d := r.Discriminator; r.Polymorphic && d != nil && d.Value != "" {
			name += " (" + d.Column + " = " + d.Value + ")"
		}
		out = append(out, Edge{Name: name, From: r.Table, Columns: r.Columns, To: r.References, RefColumns: r.RefColumns,
			Inferred: true, Nullable: true})
	}
	return out
}

// HasInferred reports whether any edge of es is inferred.
func HasInferred(es []GraphEdge) bool {
	for _, e := range es {
		if e.Inferred {
			return true
		}
	}
	return false
}
