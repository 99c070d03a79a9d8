package ownership

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// FK is a foreign key with the table that declares it.
//
// When the partitions of one partitioned table each declare an equivalent
// key of their own (same columns, same referenced table and columns, same
// actions), the keys are one FK: Child and Root are the partitioned table,
// Key is a copy of the first partition's key standing for all of them, and
// Parts are the partitions' keys, sorted by partition.
type FK struct {
	// Child is the table declaring the key (a partition for a key only a
	// partition declares); Root is its root table.
	Child, Root schema.TableName
	Key         *schema.ForeignKey
	Parts       []FK
}

// Name names the key in finding IDs and slugs: the constraint's name, or
// for a key declared per partition "partitions(<columns>)".
func (r FK) Name() string {
	if len(r.Parts) > 0 {
		return "partitions(" + strings.Join(r.Key.Columns, ",") + ")"
	}
	return r.Key.Name
}

// Members returns the constraints r stands for: the partitions' keys, or r
// itself.
func (r FK) Members() []FK {
	if len(r.Parts) > 0 {
		return r.Parts
	}
	return []FK{r}
}

// ForeignKeys lists every foreign key of the snapshot once, sorted by child
// then name: a key that partitions inherit from their parent is the
// parent's; equivalent keys that two or more partitions of one partitioned
// table declare each on its own are one FK on the partitioned table (see
// FK); any other key declared on a partition alone is listed with the
// partition as child. The slice must not be changed.
func (m *Model) ForeignKeys() []FK { return m.fks }

// Crossing returns the contexts on each side of foreign key r when it
// crosses a context boundary (see Reference), and nil otherwise.
func (m *Model) Crossing(r FK) (from, to []string) {
	return m.Reference(r.Root, r.Key.Columns, r.Key.References, r.Key.RefColumns)
}

func (m *Model) foreignKeys() []FK {
	out := []FK{}
	groups := map[string][]FK{}
	var order []string
	for i := range m.s.Tables {
		t := &m.s.Tables[i]
		root := m.lk.Root(t.TableName())
		var rootT *schema.Table
		if t.IsPartition() {
			rootT = m.lk.Table(root)
		}
		for j := range t.ForeignKeys {
			fk := &t.ForeignKeys[j]
			if rootT != nil && slices.ContainsFunc(rootT.ForeignKeys, func(x schema.ForeignKey) bool {
				return x.Name == fk.Name || (slices.Equal(x.Columns, fk.Columns) && m.lk.Root(x.References) == m.lk.Root(fk.References))
			}) {
				continue
			}
			r := FK{Child: t.TableName(), Root: root, Key: fk}
			if !t.IsPartition() {
				out = append(out, r)
				continue
			}
			sig := m.partitionKeySig(r)
			if _, ok := groups[sig]; !ok {
				order = append(order, sig)
			}
			groups[sig] = append(groups[sig], r)
		}
	}
	for _, sig := range order {
		g := groups[sig]
		if len(g) == 1 {
			out = append(out, g[0])
			continue
		}
		slices.SortFunc(g, func(x, y FK) int { return x.Child.Compare(y.Child) })
		rep := *g[0].Key
		out = append(out, FK{Child: g[0].Root, Root: g[0].Root, Key: &rep, Parts: g})
	}
	slices.SortFunc(out, func(x, y FK) int {
		if c := x.Child.Compare(y.Child); c != 0 {
			return c
		}
		return strings.Compare(x.Name(), y.Name())
	})
	return out
}

// partitionKeySig is what makes keys declared on partitions equivalent:
// the root table, the columns, the referenced root table and columns, and
// the actions and their timing.
func (m *Model) partitionKeySig(r FK) string {
	fk := r.Key
	return strings.Join([]string{r.Root.String(), strings.Join(fk.Columns, "\x00"), m.lk.Root(fk.References).String(),
		strings.Join(fk.RefColumns, "\x00"), orNoAction(fk.OnDelete), orNoAction(fk.OnUpdate),
		fmt.Sprint(fk.Deferrable, fk.InitiallyDeferred, fk.Enforced, fk.Valid)}, "\x01")
}

// orNoAction spells an unset action as NO ACTION, which it means.
func orNoAction(a schema.Action) string {
	if a == "" {
		return string(schema.NoAction)
	}
	return string(a)
}
