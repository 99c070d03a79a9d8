package site

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// refRow is one reference no foreign key declares, on the references page.
type refRow struct {
	Score                  string
	Status                 string
	Child, Parent          refEnd
	Polymorphic            string
	Evidence               []schema.Evidence
	Check                  string
	CheckClass             string
	FromContext, ToContext string
	Crossing               bool
}

type refEnd struct {
	Table, URL, Columns string
}

type refsData struct {
	Rows      []refRow
	Threshold string
	// Used counts the references the plan uses.
	Used int
}

// referencesPage lists every reference no foreign key declares: the
// snapshot's inferred ones (each with its score, evidence and data check,
// and whether the plan uses it, the map confirms or denies it, or its
// score is under the threshold) and the ones the map declares. A slider
// filters them by score.
func (b *builder) referencesPage() error {
	p := b.an.Plan
	threshold := p.InferThreshold
	used := map[string]string{}
	for _, r := range p.References {
		used[discriminatedKey(r.InferredReference)] = r.Status
	}
	denied := func(r schema.InferredReference) bool {
		for _, rel := range b.an.Assignment.Relations {
			if rel.Kind == contexts.Deny && rel.Matches(r.Table, r.Columns, r.References, r.RefColumns) {
				return true
			}
		}
		return false
	}
	d := refsData{Threshold: fmt.Sprintf("%.2f", threshold)}
	add := func(r schema.InferredReference, status string) {
		row := refRow{Score: fmt.Sprintf("%.2f", r.Score), Status: status, Evidence: r.Evidence,
			Child:       refEnd{Table: r.Table.String(), Columns: strings.Join(r.Columns, ", ")},
			Parent:      refEnd{Table: r.References.String(), Columns: strings.Join(r.RefColumns, ", ")},
			FromContext: b.m.Home(r.Table), ToContext: b.m.Home(r.References)}
		if b.m.Table(r.Table) != nil {
			row.Child.URL = tableFile(r.Table)
		}
		if b.m.Table(r.References) != nil {
			row.Parent.URL = tableFile(r.References)
		}
		row.Crossing = row.FromContext != row.ToContext
		if dd := r.Discriminator; r.Polymorphic && dd != nil {
			row.Polymorphic = dd.Column
			if dd.Value != "" {
				row.Polymorphic += " = '" + dd.Value + "'"
			}
		}
		switch v := r.Verified; {
		case v == nil:
			row.Check = "not checked"
		case !v.Checked:
			row.Check, row.CheckClass = "could not check: "+v.Error, "muted"
		case v.Orphans:
			row.Check, row.CheckClass = "orphans found", "crossing"
		default:
			row.Check = "no orphan"
		}
		if status != "under the threshold" && status != "denied by the map" {
			d.Used++
		}
		d.Rows = append(d.Rows, row)
	}
	for _, r := range b.in.Analysis.Snapshot.Inferred {
		status, ok := used[discriminatedKey(r)]
		switch {
		case ok && status == "confirmed":
			status = "confirmed by the map"
		case ok:
			status = "used by the plan"
		case denied(r):
			status = "denied by the map"
		default:
			status = "under the threshold"
		}
		add(r, status)
	}
	for _, r := range p.References {
		if r.Status == "declared" {
			add(r.InferredReference, "declared by the map")
		}
	}
	slices.SortStableFunc(d.Rows, func(x, y refRow) int { return strings.Compare(y.Score, x.Score) })
	return b.write("references.html", "references", "References no foreign key declares", "", d)
}

// discriminatedKey identifies a reference with its type value.
func discriminatedKey(r schema.InferredReference) string {
	k := r.Key()
	if r.Discriminator != nil {
		k += "=" + r.Discriminator.Value
	}
	return k
}
