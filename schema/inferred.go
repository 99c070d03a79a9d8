package schema

import (
	"cmp"
	"slices"
	"strings"
)

// InferredReference is a reference between tables that no foreign key
// declares, inferred from the names of columns and tables, from the foreign
// keys the database does declare, from polymorphic column pairs and from
// the joins in views, trigger bodies and observed statements (package
// infer). It is kept apart from the declared foreign keys everywhere: in
// the snapshot (Snapshot.Inferred), the plan and the diagrams.
type InferredReference struct {
	// Table and Columns are the referencing side.
	Table   TableName `json:"table"`
	Columns []string  `json:"columns"`
	// References and RefColumns are the referenced table and its key
	// (primary key or unique key), in the order of Columns.
	References TableName `json:"references"`
	RefColumns []string  `json:"ref_columns"`
	// Score is how sure the inference is, in [0,1].
	Score float64 `json:"score"`
	// Polymorphic marks one target of a polymorphic pair (<x>_type +
	// <x>_id): the reference holds only for the rows whose Discriminator
	// column selects this target.
	Polymorphic   bool           `json:"polymorphic,omitempty"`
	Discriminator *Discriminator `json:"discriminator,omitempty"`
	// Evidence says where the reference was seen and why, strongest first.
	Evidence []Evidence `json:"evidence"`
	// Verified is the result of checking the data (seams introspect
	// --verify-data); nil when it was not checked.
	Verified *Verification `json:"verified,omitempty"`
}

// Key returns child columns -> parent, the identity of a reference:
// "schema.table(col,...) -> schema.table(col,...)".
func (r *InferredReference) Key() string {
	return r.Table.String() + "(" + strings.Join(r.Columns, ",") + ") -> " + r.References.String() + "(" + strings.Join(r.RefColumns, ",") + ")"
}

// Discriminator is the type column of a polymorphic reference and, when
// known, the value of it that selects the referenced table.
type Discriminator struct {
	Column string `json:"column"`
	Value  string `json:"value,omitempty"`
}

// Evidence sources of an inferred reference.
const (
	EvidenceName        = "name"        // column and table naming
	EvidenceLearned     = "learned"     // naming learned from the declared foreign keys
	EvidencePolymorphic = "polymorphic" // a <x>_type + <x>_id pair
	EvidenceView        = "view"        // a join in a view definition
	EvidenceTrigger     = "trigger"     // a join in a trigger body
	EvidenceUsage       = "usage"       // a join in an observed statement (seams usage)
)

// Evidence is one reason to believe an inferred reference.
type Evidence struct {
	// Source is one of the Evidence* constants.
	Source string `json:"source"`
	// Detail says what was seen, in words: the naming rule, the view,
	// trigger or statement and its predicate.
	Detail string `json:"detail"`
	// Score is what this evidence alone gives, in [0,1].
	Score float64 `json:"score"`
}

// Verification is what one bounded anti-join found in the data.
type Verification struct {
	// Checked is false when the check could not run (Error says why).
	Checked bool `json:"checked"`
	// Orphans is true when a referencing row with no referenced row was
	// found (the reference does not hold in the data, or holds with
	// orphans).
	Orphans bool   `json:"orphans"`
	Error   string `json:"error,omitempty"`
}

// NormalizeInferred puts inferred references in their canonical order:
// by table, columns, referenced table and discriminator value.
func NormalizeInferred(refs []InferredReference) {
	slices.SortFunc(refs, CompareInferred)
}

// CompareInferred orders inferred references canonically.
func CompareInferred(a, b InferredReference) int {
	dv := func(r InferredReference) string {
		if r.Discriminator == nil {
			return ""
		}
		return r.Discriminator.Value
	}
	return cmp.Or(a.Table.Compare(b.Table), slices.Compare(a.Columns, b.Columns),
		a.References.Compare(b.References), slices.Compare(a.RefColumns, b.RefColumns), strings.Compare(dv(a), dv(b)))
}
