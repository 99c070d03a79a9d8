package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
)

// Statuses of a reference no foreign key declares, as the plan uses it
// (ownership.HiddenReferences decides them).
const (
	refInferred  = ownership.RefInferred
	refConfirmed = ownership.RefConfirmed
	refDeclared  = ownership.RefDeclared
)

// hiddenRef is a reference no foreign key declares that the plan uses: an
// inferred one whose score reaches the threshold, or one the contexts map
// confirms or declares. The map's denied references are never used.
type hiddenRef struct {
	ref      schema.InferredReference
	status   string
	from, to []string
	id       string
}

// threshold is the score from which the plan uses an inferred reference.
func (b *builder) threshold() float64 {
	if b.opts.InferThreshold <= 0 {
		return infer.DefaultThreshold
	}
	return b.opts.InferThreshold
}

// usedReferences returns the references no foreign key declares that the
// plan uses (see ownership.HiddenReferences), in the snapshot's order, then
// the map's declared ones.
func (b *builder) usedReferences() []hiddenRef {
	hs := b.own.HiddenReferences(b.threshold())
	out := make([]hiddenRef, len(hs))
	for i, h := range hs {
		out[i] = hiddenRef{ref: h.InferredReference, status: h.Status}
	}
	return out
}

// references lists every reference the plan uses, for the plan's
// References.
func (b *builder) references() []Reference {
	out := []Reference{}
	for _, h := range b.usedReferences() {
		out = append(out, Reference{InferredReference: h.ref, Status: h.status})
	}
	slices.SortFunc(out, func(x, y Reference) int { return schema.CompareInferred(x.InferredReference, y.InferredReference) })
	return out
}

// findInferred reports every reference no foreign key declares that the
// plan uses (see usedReferences) and that crosses a context boundary. Its
// finding is one severity lower than a declared key's (low) unless the map
// confirms or declares it (medium), and its edge counts in the dependency
// graph like a foreign key's.
func (b *builder) findInferred() {
	for _, h := range b.usedReferences() {
		r := h.ref
		h.from, h.to = b.own.Reference(r.Table, r.Columns, r.References, r.RefColumns)
		if h.from == nil {
			continue
		}
		h.id = id("inferred", r.Table, strings.Join(r.Columns, ",")+"->"+r.References.String())
		if r.Discriminator != nil && r.Discriminator.Value != "" {
			h.id += "=" + r.Discriminator.Value
		}
		b.hidden = append(b.hidden, h)
		for _, x := range h.from {
			for _, y := range h.to {
				b.addDep(x, y, "inferred", h.id)
			}
		}
		b.findings = append(b.findings, b.inferredFinding(h))
	}
}

func (b *builder) inferredFinding(h hiddenRef) Finding {
	r := h.ref
	from, to := strings.Join(h.from, ", "), strings.Join(h.to, ", ")
	cols, refs := strings.Join(r.Columns, ", "), strings.Join(r.RefColumns, ", ")
	sev, what := Low, fmt.Sprintf("inferred reference (score %.2f)", r.Score)
	switch h.status {
	case refConfirmed:
		sev, what = Medium, fmt.Sprintf("inferred reference, confirmed by the map (score %.2f)", r.Score)
	case refDeclared:
		sev, what = Medium, "reference declared by the map"
	}
	var ev []string
	ev = append(ev, fmt.Sprintf("no foreign key declares %s(%s) -> %s(%s)", r.Table, cols, r.References, refs))
	if r.Polymorphic && r.Discriminator != nil {
		cond := r.Discriminator.Column
		if r.Discriminator.Value != "" {
			cond += " = '" + r.Discriminator.Value + "'"
		}
		ev = append(ev, fmt.Sprintf("polymorphic: holds for the rows where %s", cond))
	}
	for _, e := range r.Evidence {
		ev = append(ev, fmt.Sprintf("%s: %s", e.Source, e.Detail))
	}
	if v := r.Verified; v != nil {
		switch {
		case !v.Checked:
			ev = append(ev, "the data could not be checked: "+v.Error)
		case v.Orphans:
			ev = append(ev, "the data holds orphans: some rows reference no existing row")
		default:
			ev = append(ev, "the data holds no orphan")
		}
	}
	parent := r.References.Name
	rec := Option{
		Name:    "Move the reference to code",
		Pattern: patMoveFK,
		Description: fmt.Sprintf("%s replaces its joins from %s (%s) to %s (%s) with calls to %s API, checks through it that the %s row exists before writing %s.%s, and %s tells %s when %s row goes away.",
			from, r.Table.Name, cols, parent, refs, possessive(to), parent, r.Table.Name, cols, to, from, article(parent)),
		TradeOffs: "No constraint ever guarded this reference, so orphans may exist already: count them first; afterwards the rule lives in code on both sides.",
	}
	alts := []Option{{
		Name: "Say what the map knows", Pattern: patMoveFK,
		Description: fmt.Sprintf("Confirm the reference under relations: confirm: in the contexts map when it is real, or deny it under relations: deny: (\"%s.%s -> %s\") when it is not; a denied reference is never inferred again.",
			r.Table, strings.Join(r.Columns, ","), r.References),
		TradeOffs: "Costs a line in the map; the plan then counts the reference like a declared key, or forgets it.",
	}, {
		Name: "Keep the tables together", Pattern: patMergeContexts,
		Description: fmt.Sprintf("Move %s and %s into the same context if the reference is essential to both.", r.Table.Name, parent),
		TradeOffs:   "The reference stays inside one context; the boundary moves.",
	}}
	return Finding{
		ID: h.id, Key: inferredKey(r), Kind: KindInferred, Severity: sev,
		Title:    fmt.Sprintf("%s %s(%s) -> %s crosses contexts (%s -> %s)", what, r.Table, cols, r.References, from, to),
		Contexts: sorted(append(slices.Clone(h.from), h.to...)),
		Objects: []Object{
			{Type: "column", Schema: r.Table.Schema, Name: r.Columns[0], Table: r.Table.Name, Columns: r.Columns, Context: from},
			{Type: "table", Schema: r.References.Schema, Name: r.References.Name, Context: to},
		},
		Evidence: ev, Patterns: []string{patMoveFK},
		Recommendation: rec, Alternatives: alts,
	}
}

// breakHidden writes the step for each reference no foreign key declares
// that crosses into or out of c: application work and an orphan check,
// and no SQL (there is no constraint to drop).
func (st *stepper) breakHidden(c string) {
	for _, h := range st.b.hidden {
		if st.done[h.id] || !slices.Contains(h.from, c) && !slices.Contains(h.to, c) {
			continue
		}
		st.done[h.id] = true
		r := h.ref
		from, to := strings.Join(h.from, ", "), strings.Join(h.to, ", ")
		cols, refs := strings.Join(r.Columns, ", "), strings.Join(r.RefColumns, ", ")
		parent := r.References.Name
		s := Step{
			Slug: "move_reference_" + r.Table.Name + "_" + strings.Join(r.Columns, "_") + "_" + parent, Context: c, Phase: Migrate,
			Title: fmt.Sprintf("Move the reference %s.%s -> %s into code", r.Table.Name, cols, parent),
			Why: fmt.Sprintf("No foreign key declares it (%s), but the data and the code rely on it; once %s and %s live apart, only the code can keep it.",
				h.status, from, to),
			AppWork: []string{
				fmt.Sprintf("In %s: replace every join from %s (%s) to %s (%s) with a call to %s API that returns %s rows by key (in batches for lists).",
					from, r.Table.Name, cols, parent, refs, possessive(to), parent),
				fmt.Sprintf("In %s: before writing %s.%s, check through %s API that the %s row exists.", from, r.Table.Name, cols, possessive(to), parent),
				fmt.Sprintf("%s publishes an event when it deletes %s row; %s handles the %s rows that reference it (delete, clear or keep them marked).", to, article(parent), from, r.Table.Name),
			},
			FindingIDs: []string{h.id},
			Notes:      []string{"seams writes no SQL for this step: no constraint exists to drop; run the check before and after to see the orphans"},
		}
		if st.d != nil {
			child, par := st.at(r.Table), st.at(r.References)
			if r.Polymorphic && r.Discriminator != nil && r.Discriminator.Value != "" {
				now := r
				now.Table, now.References = child, par
				s.Verify = []Check{{Query: infer.AntiJoinText(st.d.Name(), &now), Expect: "no row"}}
			} else {
				s.Verify = []Check{{Query: st.d.OrphanCount(child, schema.ForeignKey{Columns: r.Columns, References: par, RefColumns: r.RefColumns}), Expect: "0"}}
			}
		}
		st.add(s)
	}
}
