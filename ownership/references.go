package ownership

import (
	"fmt"
	"slices"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// Statuses of a reference no foreign key declares, as HiddenReferences
// returns them.
const (
	RefInferred  = "inferred"  // inferred, at or above the threshold
	RefConfirmed = "confirmed" // inferred, and confirmed by the map
	RefDeclared  = "declared"  // declared by the map (a virtual foreign key)
)

// HiddenReference is a reference no foreign key declares that counts as a
// coupling: an inferred one, or one the contexts map declares.
type HiddenReference struct {
	schema.InferredReference
	// Status is RefInferred, RefConfirmed or RefDeclared.
	Status string
}

// HiddenReferences returns the references no foreign key declares that
// count as couplings: the snapshot's inferred references scoring at least
// threshold or confirmed by the map (in the snapshot's order), then the
// references the map declares under relations: declare: that no foreign
// key declares already. The map's denied references never count.
func (m *Model) HiddenReferences(threshold float64) []HiddenReference {
	match := func(r *schema.InferredReference, kind contexts.RelationKind) bool {
		for _, rel := range m.a.Relations {
			if rel.Kind == kind && rel.Matches(r.Table, r.Columns, r.References, r.RefColumns) {
				return true
			}
		}
		return false
	}
	var out []HiddenReference
	seen := map[string]bool{}
	for _, r := range m.s.Inferred {
		if match(&r, contexts.Deny) {
			continue
		}
		status := RefInferred
		switch {
		case match(&r, contexts.Confirm):
			status = RefConfirmed
		case r.Score < threshold:
			continue
		}
		seen[r.Key()] = true
		out = append(out, HiddenReference{InferredReference: r, Status: status})
	}
	for _, rel := range m.a.Relations {
		if rel.Kind != contexts.Declare {
			continue
		}
		r := schema.InferredReference{Table: m.lk.Root(rel.Table), Columns: rel.Columns, References: m.lk.Root(rel.References),
			RefColumns: rel.RefColumns, Score: 1,
			Evidence: []schema.Evidence{{Source: "map", Detail: fmt.Sprintf("declared under relations: declare: in the contexts map (line %d)", rel.Pos.Line), Score: 1}}}
		if seen[r.Key()] || m.declaredKey(r) {
			continue
		}
		seen[r.Key()] = true
		out = append(out, HiddenReference{InferredReference: r, Status: RefDeclared})
	}
	return out
}

// declaredKey reports whether a foreign key already declares r.
func (m *Model) declaredKey(r schema.InferredReference) bool {
	for _, fk := range m.fks {
		if fk.Root == r.Table && slices.Equal(fk.Key.Columns, r.Columns) && m.lk.Root(fk.Key.References) == r.References {
			return true
		}
	}
	return false
}
