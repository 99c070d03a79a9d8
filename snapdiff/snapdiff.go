// Package snapdiff compares two snapshots of one database: the tables,
// columns, keys, indexes, checks, foreign keys, views and triggers added,
// removed and changed, and — analysed under one contexts map — the
// coupling that appeared and disappeared between contexts and each
// context's score before and after. `seams diff` prints it.
//
// Foreign keys are matched by name, then by what they are made of
// (columns, referenced table and columns), so a renamed constraint is a
// rename, not a key removed and another added. Every list is sorted, so
// the same two snapshots always give the same diff.
package snapdiff

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/seamsdev/seams/internal/jsonout"
	"github.com/seamsdev/seams/schema"
)

// FormatVersion is the version of the diff's JSON structure.
const FormatVersion = 1

// Change says what happened to an object.
type Change string

// The changes.
const (
	Added   Change = "added"
	Removed Change = "removed"
	Changed Change = "changed"
	// Renamed is a foreign key, unique key or index with a new name and
	// the same definition.
	Renamed Change = "renamed"
)

// Diff is what changed from one snapshot to another. Its JSON encoding is
// the json output of `seams diff`.
type Diff struct {
	Format int `json:"format"`
	// Old and New are the snapshots' sources.
	Old schema.Source `json:"old"`
	New schema.Source `json:"new"`
	// Schemas are the schemas (MySQL databases) added and removed.
	Schemas []Item `json:"schemas"`
	// Tables are the tables added, removed or changed, sorted by name.
	Tables []TableChange `json:"tables"`
	// Views and Triggers are those added, removed or changed, sorted.
	Views    []ObjectChange `json:"views"`
	Triggers []ObjectChange `json:"triggers"`
	// Coupling compares the coupling between contexts; nil when no
	// contexts map was given.
	Coupling *Coupling `json:"coupling,omitempty"`
}

// Item is a part of a table (a column, a key, an index, a check, a
// foreign key) or a schema that was added, removed or changed.
type Item struct {
	// Kind is "schema", "column", "primary_key", "unique", "index",
	// "check" or "foreign_key".
	Kind   string `json:"kind"`
	Name   string `json:"name"`
	Change Change `json:"change"`
	// Details say what changed, one fact each ("type: integer -> bigint").
	Details []string `json:"details,omitempty"`
}

// TableChange is a table added, removed, or changed in its parts.
type TableChange struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	Change Change `json:"change"`
	// Items are the parts that changed (for a changed table), in the order
	// columns, primary key, uniques, indexes, checks, foreign keys, each
	// sorted by name.
	Items []Item `json:"items,omitempty"`
}

// TableName returns the table's name.
func (t TableChange) TableName() schema.TableName {
	return schema.TableName{Schema: t.Schema, Name: t.Name}
}

// ObjectChange is a view or trigger added, removed or changed.
type ObjectChange struct {
	Schema string `json:"schema"`
	Name   string `json:"name"`
	// Table is a trigger's table; empty for a view.
	Table   string   `json:"table,omitempty"`
	Change  Change   `json:"change"`
	Details []string `json:"details,omitempty"`
}

// Empty reports whether the schemas are the same.
func (d *Diff) Empty() bool {
	return len(d.Schemas) == 0 && len(d.Tables) == 0 && len(d.Views) == 0 && len(d.Triggers) == 0
}

// Regression reports whether coupling appeared between contexts: a
// finding the old snapshot did not have (see Coupling).
func (d *Diff) Regression() bool { return d.Coupling != nil && len(d.Coupling.Appeared) > 0 }

// Summary counts the schema's changes in one line: "tables 1 added, 2
// changed; views 1 removed".
func (d *Diff) Summary() string {
	n := map[string]map[Change]int{"schemas": {}, "tables": {}, "views": {}, "triggers": {}}
	for _, x := range d.Schemas {
		n["schemas"][x.Change]++
	}
	for _, x := range d.Tables {
		n["tables"][x.Change]++
	}
	for _, x := range d.Views {
		n["views"][x.Change]++
	}
	for _, x := range d.Triggers {
		n["triggers"][x.Change]++
	}
	var parts []string
	for _, what := range []string{"schemas", "tables", "views", "triggers"} {
		var ps []string
		for _, c := range []Change{Added, Removed, Changed} {
			if k := n[what][c]; k > 0 {
				ps = append(ps, fmt.Sprintf("%d %s", k, c))
			}
		}
		if len(ps) > 0 {
			parts = append(parts, what+" "+strings.Join(ps, ", "))
		}
	}
	return strings.Join(parts, "; ")
}

// Encode writes the diff as indented JSON.
func (d *Diff) Encode(w io.Writer) error {
	if err := jsonout.Write(w, d); err != nil {
		return fmt.Errorf("encode diff: %w", err)
	}
	return nil
}

// Schemas compares the schemas of two snapshots: old is before, new
// after. Neither is changed.
func Schemas(old, new *schema.Snapshot) *Diff {
	d := &Diff{Format: FormatVersion, Old: old.Source, New: new.Source,
		Schemas: []Item{}, Tables: []TableChange{}, Views: []ObjectChange{}, Triggers: []ObjectChange{}}
	diffByName(old.Schemas, new.Schemas, func(s schema.Schema) string { return s.Name },
		func(s schema.Schema, c Change) {
			d.Schemas = append(d.Schemas, Item{Kind: "schema", Name: s.Name, Change: c})
		},
		func(schema.Schema, schema.Schema) {})
	diffByName(old.Tables, new.Tables, func(t schema.Table) string { return nameKey(t.TableName()) },
		func(t schema.Table, c Change) {
			d.Tables = append(d.Tables, TableChange{Schema: t.Schema, Name: t.Name, Change: c})
		},
		func(a, b schema.Table) {
			if items := tableItems(&a, &b); len(items) > 0 {
				d.Tables = append(d.Tables, TableChange{Schema: b.Schema, Name: b.Name, Change: Changed, Items: items})
			}
		})
	// A DDL file keeps a view's text as written, the server its own form:
	// their definitions compare only when both come from the same kind of
	// source; what the views read always does.
	sameText := (old.Source.File == "") == (new.Source.File == "")
	diffByName(old.Views, new.Views, func(v schema.View) string { return nameKey(v.TableName()) },
		func(v schema.View, c Change) {
			d.Views = append(d.Views, ObjectChange{Schema: v.Schema, Name: v.Name, Change: c})
		},
		func(a, b schema.View) {
			if det := viewDetails(&a, &b, sameText); len(det) > 0 {
				d.Views = append(d.Views, ObjectChange{Schema: b.Schema, Name: b.Name, Change: Changed, Details: det})
			}
		})
	trigKey := func(t schema.Trigger) string { return nameKey(t.Table) + "\x00" + t.Name }
	diffByName(old.Triggers, new.Triggers, trigKey,
		func(t schema.Trigger, c Change) {
			d.Triggers = append(d.Triggers, ObjectChange{Schema: t.Table.Schema, Table: t.Table.Name, Name: t.Name, Change: c})
		},
		func(a, b schema.Trigger) {
			if det := triggerDetails(&a, &b); len(det) > 0 {
				d.Triggers = append(d.Triggers, ObjectChange{Schema: b.Table.Schema, Table: b.Table.Name, Name: b.Name, Change: Changed, Details: det})
			}
		})
	slices.SortFunc(d.Tables, func(x, y TableChange) int { return x.TableName().Compare(y.TableName()) })
	sortObjects(d.Views)
	sortObjects(d.Triggers)
	slices.SortFunc(d.Schemas, func(x, y Item) int { return strings.Compare(x.Name, y.Name) })
	return d
}

func nameKey(n schema.TableName) string { return n.Schema + "\x00" + n.Name }

func sortObjects(os []ObjectChange) {
	slices.SortFunc(os, func(x, y ObjectChange) int {
		return cmp.Or(strings.Compare(x.Schema, y.Schema), strings.Compare(x.Table, y.Table), strings.Compare(x.Name, y.Name))
	})
}

// diffByName calls one for each element only in old (Removed) or only in
// new (Added), and both for the pairs with the same key.
func diffByName[T any](old, new []T, key func(T) string, one func(T, Change), both func(a, b T)) {
	byKey := make(map[string]int, len(old))
	for i, x := range old {
		byKey[key(x)] = i
	}
	seen := make(map[string]bool, len(new))
	for _, y := range new {
		k := key(y)
		seen[k] = true
		if i, ok := byKey[k]; ok {
			both(old[i], y)
			continue
		}
		one(y, Added)
	}
	for _, x := range old {
		if !seen[key(x)] {
			one(x, Removed)
		}
	}
}

// tableItems lists what changed in a table's parts.
func tableItems(a, b *schema.Table) []Item {
	var out []Item
	var cols []Item
	diffByName(a.Columns, b.Columns, func(c schema.Column) string { return c.Name },
		func(c schema.Column, ch Change) {
			cols = append(cols, Item{Kind: "column", Name: c.Name, Change: ch, Details: columnText(c)})
		},
		func(x, y schema.Column) {
			if det := columnDetails(x, y); len(det) > 0 {
				cols = append(cols, Item{Kind: "column", Name: y.Name, Change: Changed, Details: det})
			}
		})
	out = append(out, sortItems(cols)...)
	switch pa, pb := a.PrimaryKey, b.PrimaryKey; {
	case pa == nil && pb != nil:
		out = append(out, Item{Kind: "primary_key", Name: pb.Name, Change: Added, Details: []string{"(" + strings.Join(pb.Columns, ", ") + ")"}})
	case pa != nil && pb == nil:
		out = append(out, Item{Kind: "primary_key", Name: pa.Name, Change: Removed, Details: []string{"(" + strings.Join(pa.Columns, ", ") + ")"}})
	case pa != nil && !slices.Equal(pa.Columns, pb.Columns):
		out = append(out, Item{Kind: "primary_key", Name: pb.Name, Change: Changed, Details: []string{fmt.Sprintf("columns: (%s) -> (%s)", strings.Join(pa.Columns, ", "), strings.Join(pb.Columns, ", "))}})
	}
	keyText := func(k schema.Key) string { return "(" + strings.Join(k.Columns, ", ") + ")" }
	out = append(out, diffNamed("unique", a.Uniques, b.Uniques, func(k schema.Key) string { return k.Name }, keyText)...)
	out = append(out, diffNamed("index", a.Indexes, b.Indexes, func(x schema.Index) string { return x.Name }, indexText)...)
	out = append(out, diffNamed("check", a.Checks, b.Checks, func(c schema.Check) string { return c.Name }, func(c schema.Check) string { return c.Expression })...)
	out = append(out, diffNamed("foreign_key", a.ForeignKeys, b.ForeignKeys, func(f schema.ForeignKey) string { return f.Name }, fkText)...)
	return out
}

// diffNamed compares named parts by name; a part removed and a part added
// with the same definition are a rename.
func diffNamed[T any](kind string, old, new []T, name func(T) string, def func(T) string) []Item {
	var added, removed []T
	var out []Item
	diffByName(old, new, name,
		func(x T, c Change) {
			if c == Added {
				added = append(added, x)
			} else {
				removed = append(removed, x)
			}
		},
		func(x, y T) {
			if dx, dy := def(x), def(y); dx != dy {
				out = append(out, Item{Kind: kind, Name: name(y), Change: Changed, Details: []string{dx + " -> " + dy}})
			}
		})
	for _, y := range added {
		i := slices.IndexFunc(removed, func(x T) bool { return def(x) == def(y) })
		if i >= 0 {
			out = append(out, Item{Kind: kind, Name: name(y), Change: Renamed, Details: []string{"from " + name(removed[i]), def(y)}})
			removed = slices.Delete(removed, i, i+1)
			continue
		}
		out = append(out, Item{Kind: kind, Name: name(y), Change: Added, Details: []string{def(y)}})
	}
	for _, x := range removed {
		out = append(out, Item{Kind: kind, Name: name(x), Change: Removed, Details: []string{def(x)}})
	}
	return sortItems(out)
}

func sortItems(items []Item) []Item {
	slices.SortFunc(items, func(x, y Item) int { return strings.Compare(x.Name, y.Name) })
	return items
}

func columnText(c schema.Column) []string {
	d := []string{c.Type}
	if !c.Nullable {
		d = append(d, "not null")
	}
	if c.Default != nil {
		d = append(d, "default "+*c.Default)
	}
	return d
}

func columnDetails(x, y schema.Column) []string {
	var d []string
	change := func(what, a, b string) {
		if a != b {
			d = append(d, fmt.Sprintf("%s: %s -> %s", what, orNone(a), orNone(b)))
		}
	}
	change("type", x.Type, y.Type)
	change("null", nullText(x.Nullable), nullText(y.Nullable))
	change("default", deref(x.Default), deref(y.Default))
	change("generated", strings.TrimSpace(x.Generated+" "+x.Expression), strings.TrimSpace(y.Generated+" "+y.Expression))
	change("identity", x.Identity, y.Identity)
	return d
}

func nullText(n bool) string {
	if n {
		return "null"
	}
	return "not null"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func indexText(x schema.Index) string {
	var b strings.Builder
	if x.Unique {
		b.WriteString("unique ")
	}
	if x.Method != "" {
		b.WriteString(x.Method + " ")
	}
	b.WriteString("(" + strings.Join(x.Columns, ", ") + ")")
	if x.Predicate != "" {
		b.WriteString(" where " + x.Predicate)
	}
	return b.String()
}

func fkText(f schema.ForeignKey) string {
	s := fmt.Sprintf("(%s) references %s(%s) on delete %s on update %s", strings.Join(f.Columns, ", "), f.References, strings.Join(f.RefColumns, ", "),
		orNoAction(f.OnDelete), orNoAction(f.OnUpdate))
	if f.Deferrable {
		s += " deferrable"
	}
	if !f.Enforced {
		s += " not enforced"
	}
	if !f.Valid {
		s += " not valid"
	}
	return s
}

func orNoAction(a schema.Action) string {
	if a == "" {
		return string(schema.NoAction)
	}
	return string(a)
}

func viewDetails(a, b *schema.View, sameText bool) []string {
	var d []string
	if a.Materialized != b.Materialized {
		d = append(d, fmt.Sprintf("materialized: %v -> %v", a.Materialized, b.Materialized))
	}
	if sameText && strings.Join(strings.Fields(a.Definition), " ") != strings.Join(strings.Fields(b.Definition), " ") {
		d = append(d, "definition changed")
	}
	d = append(d, namesDetails("reads", a.Reads, b.Reads)...)
	return d
}

func triggerDetails(a, b *schema.Trigger) []string {
	var d []string
	if x, y := a.Timing+" "+strings.Join(a.Events, " OR ")+" "+a.Level, b.Timing+" "+strings.Join(b.Events, " OR ")+" "+b.Level; x != y {
		d = append(d, "fires: "+x+" -> "+y)
	}
	if a.Function != b.Function {
		d = append(d, fmt.Sprintf("function: %s -> %s", orNone(a.Function), orNone(b.Function)))
	}
	if a.Body != b.Body {
		d = append(d, "body changed")
	}
	d = append(d, namesDetails("writes", a.Writes, b.Writes)...)
	d = append(d, namesDetails("reads", a.Reads, b.Reads)...)
	return d
}

// namesDetails says which tables were added to and removed from a list.
func namesDetails(what string, a, b []schema.TableName) []string {
	var plus, minus []string
	for _, n := range b {
		if !slices.Contains(a, n) {
			plus = append(plus, n.String())
		}
	}
	for _, n := range a {
		if !slices.Contains(b, n) {
			minus = append(minus, n.String())
		}
	}
	var d []string
	if len(plus) > 0 {
		d = append(d, what+" now "+strings.Join(plus, ", "))
	}
	if len(minus) > 0 {
		d = append(d, what+" no longer "+strings.Join(minus, ", "))
	}
	return d
}
