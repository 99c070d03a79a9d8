package contexts

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
	"gopkg.in/yaml.v3"
)

// RelationKind is what the map says about a reference that no foreign key
// declares.
type RelationKind string

// The kinds of relations: entry.
const (
	// Confirm: the inferred reference is real; the plan counts it like a
	// declared foreign key.
	Confirm RelationKind = "confirm"
	// Deny: the reference is not real; it is never inferred again.
	Deny RelationKind = "deny"
	// Declare: a reference inference did not find (a virtual foreign key);
	// the plan counts it like a declared foreign key.
	Declare RelationKind = "declare"
)

var relationKinds = []string{string(Confirm), string(Deny), string(Declare)}

// Relation is one entry of relations:, as written: "child.col -> parent",
// "child.col -> parent.col", "schema.child.col -> schema.parent" or, for
// several columns, "child(a, b) -> parent(x, y)".
type Relation struct {
	Kind RelationKind
	// Table is the referencing table as written (table or schema.table);
	// Columns its columns.
	Table   string
	Columns []string
	// References is the referenced table as written; RefColumns its
	// columns, nil when the entry does not name them.
	References string
	RefColumns []string
	// Text is the entry as written, Pos where.
	Text string
	Pos  Pos
}

// ResolvedRelation is a relations: entry matched against a snapshot.
type ResolvedRelation struct {
	Kind       RelationKind
	Table      schema.TableName
	Columns    []string
	References schema.TableName
	// RefColumns are nil for a confirm or deny entry that does not name
	// them (it then matches the reference to any key of the table).
	RefColumns []string
	Text       string
	Pos        Pos
}

// Matches reports whether the entry is about the reference from table's
// columns to references' refCols.
func (r ResolvedRelation) Matches(table schema.TableName, columns []string, references schema.TableName, refCols []string) bool {
	return r.Table == table && slices.Equal(r.Columns, columns) && r.References == references &&
		(r.RefColumns == nil || slices.Equal(r.RefColumns, refCols))
}

// relations reads the relations: mapping: confirm:, deny: and declare:,
// each a list of entries.
func (p *parser) relations(n *yaml.Node) ([]Relation, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, "relations must be a mapping with confirm:, deny: or declare:, got %s", kindOf(n))
	}
	fields, err := p.fields(n, "relations", relationKinds)
	if err != nil {
		return nil, err
	}
	var out []Relation
	for _, kind := range relationKinds {
		f, ok := fields[kind]
		if !ok || isNull(f.value) {
			continue
		}
		if f.value.Kind != yaml.SequenceNode {
			return nil, p.errf(f.value, "relations: %s must be a list of references like \"orders.customer_id -> customers\", got %s", kind, kindOf(f.value))
		}
		for _, e := range f.value.Content {
			e = deref(e)
			if e.Kind != yaml.ScalarNode || isNull(e) {
				return nil, p.errf(e, "each item of relations: %s must be a reference like \"orders.customer_id -> customers\", got %s", kind, kindOf(e))
			}
			r, err := parseRelation(e.Value)
			if err != nil {
				return nil, p.errf(e, "relations: %s: %q: %v", kind, e.Value, err)
			}
			r.Kind, r.Text, r.Pos = RelationKind(kind), e.Value, posOf(e)
			out = append(out, r)
		}
	}
	return out, nil
}

// parseRelation reads "child.col -> parent[.col]" or "child(a, b) ->
// parent[(x, y)]".
func parseRelation(s string) (Relation, error) {
	left, right, ok := strings.Cut(s, "->")
	if !ok {
		return Relation{}, fmt.Errorf(`want "table.column -> table" (an arrow -> between the two sides)`)
	}
	var r Relation
	var err error
	if r.Table, r.Columns, err = side(left, true); err != nil {
		return Relation{}, fmt.Errorf("left side: %v", err)
	}
	if r.References, r.RefColumns, err = side(right, false); err != nil {
		return Relation{}, fmt.Errorf("right side: %v", err)
	}
	if r.RefColumns != nil && len(r.RefColumns) != len(r.Columns) {
		return Relation{}, fmt.Errorf("%d column(s) on the left, %d on the right", len(r.Columns), len(r.RefColumns))
	}
	return r, nil
}

// side reads one side: "t(a, b)", "t.c", "s.t.c" or, on the right, "t" and
// "s.t" (a dotted right side is told apart from table.column when the map
// is resolved). needCols says the columns must be there.
func side(s string, needCols bool) (table string, cols []string, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil, fmt.Errorf("empty")
	}
	if i := strings.IndexByte(s, '('); i >= 0 {
		if !strings.HasSuffix(s, ")") {
			return "", nil, fmt.Errorf("unclosed (")
		}
		table = strings.TrimSpace(s[:i])
		for _, c := range strings.Split(s[i+1:len(s)-1], ",") {
			c = strings.TrimSpace(c)
			if c == "" {
				return "", nil, fmt.Errorf("an empty column name in (...)")
			}
			if slices.Contains(cols, c) {
				return "", nil, fmt.Errorf("column %q given twice", c)
			}
			cols = append(cols, c)
		}
		if table == "" {
			return "", nil, fmt.Errorf("no table before (")
		}
		return table, cols, nil
	}
	if strings.ContainsAny(s, " \t,)") {
		return "", nil, fmt.Errorf("%q is not a name: write table.column or table(column, ...)", s)
	}
	if !needCols {
		return s, nil, nil
	}
	i := strings.LastIndexByte(s, '.')
	if i <= 0 || i == len(s)-1 {
		return "", nil, fmt.Errorf("%q names no column: write table.column or table(column, ...)", s)
	}
	return s[:i], []string{s[i+1:]}, nil
}

// resolveRelations matches the map's relations: against the snapshot: the
// tables must exist (named exactly, no globs), with the columns; a declare
// entry without referenced columns takes the referenced table's primary
// key.
func (r *resolver) resolveRelations(s *schema.Snapshot) ([]ResolvedRelation, error) {
	var out []ResolvedRelation
	for _, rel := range r.m.Relations {
		child, err := r.exactTable(rel.Table, rel)
		if err != nil {
			return nil, err
		}
		refName, refCols := rel.References, rel.RefColumns
		parent := r.ix.exact(refName)
		if parent == nil && refCols == nil {
			// parent.column rather than schema.table.
			if i := strings.LastIndexByte(refName, '.'); i > 0 {
				if p := r.ix.exact(refName[:i]); p != nil {
					parent, refCols = p, []string{refName[i+1:]}
				}
			}
		}
		if parent == nil {
			return nil, r.noTable(refName, rel)
		}
		for _, c := range rel.Columns {
			if child.Column(c) == nil {
				return nil, r.errf(rel.Pos, "relations: %s: table %s has no column %q", rel.Kind, child.TableName(), c)
			}
		}
		if refCols != nil && len(refCols) != len(rel.Columns) {
			return nil, r.errf(rel.Pos, "relations: %s: %d column(s) on the left, %d on the right", rel.Kind, len(rel.Columns), len(refCols))
		}
		for _, c := range refCols {
			if parent.Column(c) == nil {
				return nil, r.errf(rel.Pos, "relations: %s: table %s has no column %q", rel.Kind, parent.TableName(), c)
			}
		}
		if rel.Kind == Declare && refCols == nil {
			if parent.PrimaryKey == nil || len(parent.PrimaryKey.Columns) != len(rel.Columns) {
				return nil, r.errf(rel.Pos, "relations: declare: name the columns of %s it references (it has no primary key of %d column(s))", parent.TableName(), len(rel.Columns))
			}
			refCols = slices.Clone(parent.PrimaryKey.Columns)
		}
		out = append(out, ResolvedRelation{Kind: rel.Kind, Table: child.TableName(), Columns: rel.Columns,
			References: parent.TableName(), RefColumns: refCols, Text: rel.Text, Pos: rel.Pos})
	}
	for i, a := range out {
		for _, b := range out[:i] {
			if a.Table == b.Table && slices.Equal(a.Columns, b.Columns) && a.References == b.References && a.Kind != b.Kind {
				return nil, r.errf(a.Pos, "relations: %s contradicts %s at line %d", a.Text, b.Kind, b.Pos.Line)
			}
		}
	}
	return out, nil
}

// exactTable finds the one table a relation names.
func (r *resolver) exactTable(name string, rel Relation) (*schema.Table, error) {
	if t := r.ix.exact(name); t != nil {
		return t, nil
	}
	return nil, r.noTable(name, rel)
}

// noTable says why name names no one table: none, or several schemas have
// it.
func (r *resolver) noTable(name string, rel Relation) error {
	var in []string
	for _, t := range r.ix.byName[name] {
		if !t.IsPartition() {
			in = append(in, t.TableName().String())
		}
	}
	if len(in) > 1 {
		return r.errf(rel.Pos, "relations: %s: table %s is in several schemas (%s): write schema.table", rel.Kind, name, strings.Join(in, ", "))
	}
	return r.errf(rel.Pos, "relations: %s: no table %s%s", rel.Kind, name, r.didYouMean(name))
}

func (r *resolver) didYouMean(name string) string {
	if s, ok := r.ix.suggest(name); ok {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	return ""
}

// exact returns the one table (not a partition) that name names: as
// schema.table when it has a dot and such a table exists, else as a table
// name in any schema; nil when none or several.
func (ix *index) exact(name string) *schema.Table {
	var ts []*schema.Table
	if strings.Contains(name, ".") {
		ts = ix.byFull[name]
	}
	if len(ts) == 0 {
		ts = ix.byName[name]
	}
	var out *schema.Table
	for _, t := range ts {
		if t.IsPartition() {
			continue
		}
		if out != nil {
			return nil
		}
		out = t
	}
	return out
}
