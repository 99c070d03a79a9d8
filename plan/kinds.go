package plan

// kinds are the kinds of finding in the order of docs/plan-format.md,
// each with a one-line description.
var kinds = []struct {
	kind Kind
	desc string
}{
	{KindForeignKey, "A foreign key whose child and parent tables are in different contexts; with the fact cascade when its ON DELETE or ON UPDATE action changes rows in the other context (one transaction spanning the boundary)."},
	{KindInferred, "A reference that no foreign key declares (inferred from names, joins and usage, or declared in the contexts map) whose tables are in different contexts."},
	{KindStaticData, "Small, rarely written reference data used by two or more contexts, or declared static."},
	{KindSharedTable, "A table claimed by two or more contexts."},
	{KindSharedMutable, "A shared table that two or more contexts write: a domain concept missing from the code."},
	{KindView, "A view that reads tables of two or more contexts, or of a context other than its own."},
	{KindTrigger, "A trigger whose body reads or writes a table of another context than its own table's."},
	{KindUnassigned, "A table that no context claims."},
	{KindCycle, "A cycle in the context dependency graph: contexts that cannot be extracted one after the other."},
	{KindCrossQuery, "A statement that reads or writes tables of two or more contexts: a join across the boundary."},
	{KindCrossTransaction, "A unit of work that writes tables of two or more contexts."},
	{KindUnused, "A table that no observed statement, code or ORM declaration reads or writes."},
	{KindImpliedCoupling, "Two tables of different contexts used together in statements with no foreign key between them."},
}

// Kinds returns every kind of finding, in the order the documentation
// lists them.
func Kinds() []Kind {
	out := make([]Kind, len(kinds))
	for i, k := range kinds {
		out[i] = k.kind
	}
	return out
}

// Description says in one sentence what a finding of kind k is; "" for a
// kind seams does not know.
func (k Kind) Description() string {
	for _, x := range kinds {
		if x.kind == k {
			return x.desc
		}
	}
	return ""
}
