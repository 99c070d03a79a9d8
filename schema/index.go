package schema

// Lookup gives fast lookups into a snapshot. Build it once with NewLookup after
// the snapshot is complete; it does not follow later changes.
type Lookup struct {
	s      *Snapshot
	tables map[TableName]*Table
	views  map[TableName]*View
	// children maps a parent table to its partitions.
	children map[TableName][]TableName
}

// NewLookup indexes the tables and views of s.
func NewLookup(s *Snapshot) *Lookup {
	ix := &Lookup{
		s:        s,
		tables:   make(map[TableName]*Table, len(s.Tables)),
		views:    make(map[TableName]*View, len(s.Views)),
		children: make(map[TableName][]TableName),
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		ix.tables[t.TableName()] = t
		if t.PartitionOf != nil {
			ix.children[*t.PartitionOf] = append(ix.children[*t.PartitionOf], t.TableName())
		}
	}
	for i := range s.Views {
		v := &s.Views[i]
		ix.views[v.TableName()] = v
	}
	return ix
}

// Table returns the table with the given name, or nil.
func (ix *Lookup) Table(n TableName) *Table { return ix.tables[n] }

// View returns the view with the given name, or nil.
func (ix *Lookup) View(n TableName) *View { return ix.views[n] }

// Root returns the top-most partitioned ancestor of a partition, or n itself
// for any other table.
func (ix *Lookup) Root(n TableName) TableName {
	for i := 0; i < 64; i++ { // partition trees are shallow; the bound guards cycles in bad input
		t := ix.tables[n]
		if t == nil || t.PartitionOf == nil {
			return n
		}
		n = *t.PartitionOf
	}
	return n
}

// Partitions returns the direct partitions of a partitioned table.
func (ix *Lookup) Partitions(n TableName) []TableName { return ix.children[n] }

// Counts are the headline numbers of a snapshot. Partitions are not counted
// as tables and their columns and indexes are not counted again; foreign keys
// declared on a partition itself are counted (inherited copies are never in a
// snapshot).
type Counts struct {
	Schemas, Tables, Partitions, Columns, ForeignKeys, Views, MaterializedViews, Triggers, Indexes int
}

// Counts returns the headline numbers of the snapshot.
func (s *Snapshot) Counts() Counts {
	c := Counts{Schemas: len(s.Schemas), Triggers: len(s.Triggers)}
	for i := range s.Tables {
		t := &s.Tables[i]
		c.ForeignKeys += len(t.ForeignKeys)
		if t.IsPartition() {
			c.Partitions++
			continue
		}
		c.Tables++
		c.Columns += len(t.Columns)
		c.Indexes += len(t.Indexes)
	}
	for i := range s.Views {
		if s.Views[i].Materialized {
			c.MaterializedViews++
		} else {
			c.Views++
		}
	}
	return c
}
