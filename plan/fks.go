package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
)

// findForeignKeys reports every foreign key whose child and parent are in
// different contexts, and the cascades among them.
func (b *builder) findForeignKeys() {
	for _, r := range b.own.ForeignKeys() {
		from, to := b.own.Crossing(r)
		if len(from) == 0 {
			continue
		}
		parent := b.lk.Root(r.Key.References)
		cf := &crossFK{FK: r, parent: parent, from: from, to: to, id: id("fk", r.Child, r.Name())}
		b.fks = append(b.fks, cf)
		for _, x := range from {
			for _, y := range to {
				b.addDep(x, y, "fk", cf.id)
			}
		}
		b.findings = append(b.findings, b.fkFinding(cf))
	}
}

// fkObjects lists the constraints of r as finding objects: one, or one
// per partition for a key declared on each partition.
func fkObjects(r ownership.FK, ctx string) []Object {
	var out []Object
	for _, m := range r.Members() {
		out = append(out, Object{Type: "foreign_key", Schema: m.Child.Schema, Name: m.Key.Name, Table: m.Child.Name, Columns: m.Key.Columns, Context: ctx})
	}
	return out
}

// fkText describes a key as child(cols) -> parent(cols).
func fkText(r ownership.FK) string {
	if len(r.Parts) > 0 {
		var names []string
		for _, m := range r.Parts {
			names = append(names, m.Key.Name+" on "+m.Child.String())
		}
		return fmt.Sprintf("%s(%s) references %s(%s) ON DELETE %s ON UPDATE %s, declared on each partition separately (not inherited from %s): %s",
			r.Child, strings.Join(r.Key.Columns, ", "), r.Key.References, strings.Join(r.Key.RefColumns, ", "), action(r.Key.OnDelete), action(r.Key.OnUpdate),
			r.Child, strings.Join(names, ", "))
	}
	return fmt.Sprintf("%s %s(%s) references %s(%s) ON DELETE %s ON UPDATE %s",
		r.Key.Name, r.Child, strings.Join(r.Key.Columns, ", "), r.Key.References, strings.Join(r.Key.RefColumns, ", "), action(r.Key.OnDelete), action(r.Key.OnUpdate))
}

// isPrimaryKey reports whether cols are the primary key of table n (or,
// for a partition, of its root).
func (b *builder) isPrimaryKey(n schema.TableName, cols []string) bool {
	t := b.lk.Table(n)
	if t == nil || t.PrimaryKey == nil {
		t = b.lk.Table(b.lk.Root(n))
	}
	return t != nil && t.PrimaryKey != nil && sameSet(t.PrimaryKey.Columns, cols)
}

// fkLabel names the key in titles: its constraint name, or for a key
// declared per partition its columns, "(customer_id)".
func fkLabel(r ownership.FK) string {
	if len(r.Parts) > 0 {
		return "(" + strings.Join(r.Key.Columns, ", ") + ")"
	}
	return r.Key.Name
}

// childLabel names the table declaring the key in titles, saying so for a
// key declared on each partition.
func childLabel(r ownership.FK) string {
	if len(r.Parts) > 0 {
		return fmt.Sprintf("%s (on each of its %d partitions)", r.Child, len(r.Parts))
	}
	return r.Child.String()
}

func action(a schema.Action) string {
	if a == "" {
		return string(schema.NoAction)
	}
	return string(a)
}

func (b *builder) fkFinding(cf *crossFK) Finding {
	fk := cf.Key
	from, to := strings.Join(cf.from, ", "), strings.Join(cf.to, ", ")
	child, parent := cf.Child.Name, cf.Key.References.Name
	cols := strings.Join(fk.Columns, ", ")
	ev := []string{"constraint " + fkText(cf.FK)}
	if len(cf.Parts) > 0 {
		ev[0] = "constraints " + fkText(cf.FK)
	}
	if !fk.Enforced {
		ev = append(ev, "the engine does not enforce it")
	}
	if !fk.Valid {
		ev = append(ev, "added NOT VALID: existing rows were never checked")
	}
	check := Option{
		Name:    "Check before delete through an API",
		Pattern: patMoveFK,
		Description: fmt.Sprintf("Drop the constraint. %s checks that the %s row exists through %s API when it writes %s.%s, and %s asks %s before deleting %s row that %s still uses.",
			from, parent, possessive(to), child, cols, to, from, article(parent), child),
		TradeOffs: "Keeps the rule, at the price of a synchronous call before each delete and a window where a row can become an orphan.",
	}
	soft := Option{
		Name:    "Soft delete",
		Pattern: patMoveFK,
		Description: fmt.Sprintf("Drop the constraint; %s never deletes %s rows but marks them deleted, and %s shows such a reference as no longer available.",
			to, parent, from),
		TradeOffs: "No call between the services on delete; rows are kept forever and every reader must handle the deleted mark.",
	}
	async := Option{
		Name:    "Delete asynchronously on an event",
		Pattern: patMoveFK,
		Description: fmt.Sprintf("Drop the constraint; %s publishes an event when %s row is deleted and %s deletes its %s rows when it receives it.",
			to, article(parent), from, child),
		TradeOffs: "No transaction spans the services; for a while the child rows outlive their parent, and a lost event leaves orphans to clean up.",
	}
	nullify := Option{
		Name:    "Clear the reference asynchronously on an event",
		Pattern: patMoveFK,
		Description: fmt.Sprintf("Drop the constraint; %s publishes an event when %s row is deleted and %s sets %s.%s to NULL (or its default) when it receives it.",
			to, article(parent), from, child, cols),
		TradeOffs: "No transaction spans the services; the reference dangles until the event is processed.",
	}
	var rec Option
	var alts []Option
	switch fk.OnDelete {
	case schema.Cascade:
		rec, alts = async, []Option{check, soft}
	case schema.SetNull, schema.SetDefault:
		rec, alts = nullify, []Option{soft, check}
	default:
		rec, alts = check, []Option{soft}
	}
	alts = append(alts, Option{
		Name: "Keep the tables together", Pattern: patMergeContexts,
		Description: fmt.Sprintf("Move %s and %s into the same context if the rule is essential to both.", child, parent),
		TradeOffs:   "The constraint stays; the boundary between the contexts moves.",
	})
	f := Finding{
		ID: cf.id, Key: cf.key("fk"), Kind: KindForeignKey, Severity: Medium,
		Title:    fmt.Sprintf("foreign key %s of %s references %s across contexts (%s -> %s)", fkLabel(cf.FK), childLabel(cf.FK), cf.Key.References, from, to),
		Contexts: sorted(append(slices.Clone(cf.from), cf.to...)),
		Objects: append(fkObjects(cf.FK, from),
			Object{Type: "table", Schema: cf.Key.References.Schema, Name: cf.Key.References.Name, Context: to}),
		Evidence: ev, Patterns: []string{patMoveFK, patDropFK},
		Recommendation: rec, Alternatives: alts,
	}
	b.addCascade(&f, cf)
	return f
}

// addCascade adds to the finding of a cross-context key what its
// referential actions do across the boundary, when one changes the child
// context's rows as the parent context deletes or updates: one transaction
// spanning the boundary. The key stays one finding (one coupling, one
// finding) with the fact FactCascade, the cascade's evidence and title,
// and the higher of the two severities.
//
// A delete action (ON DELETE CASCADE, SET NULL, SET DEFAULT) fires on every
// delete of a parent row: high severity. An update action alone fires only
// when the referenced columns of a parent row change; when they are the
// parent's primary key, which applications rarely update, the key stays of
// medium severity and its title says when it fires; on any other key (a
// natural key, a code) it is high.
func (b *builder) addCascade(f *Finding, cf *crossFK) {
	fk := cf.Key
	var del, upd string
	if a := fk.OnDelete; a == schema.Cascade || a == schema.SetNull || a == schema.SetDefault {
		del = "ON DELETE " + string(a)
	}
	if a := fk.OnUpdate; a == schema.Cascade || a == schema.SetNull || a == schema.SetDefault {
		upd = "ON UPDATE " + string(a)
	}
	if del == "" && upd == "" {
		return
	}
	acts := strings.Join(slices.DeleteFunc([]string{del, upd}, func(x string) bool { return x == "" }), ", ")
	from, to := strings.Join(cf.from, ", "), strings.Join(cf.to, ", ")
	parent := fk.References
	ev := []string{acts + " spans the boundary between " + to + " and " + from + ": deleting or changing a row on one side changes rows on the other in the same transaction"}
	sev := High
	var title string
	switch {
	case del != "" && upd != "":
		title = fmt.Sprintf("deleting or updating %s row (%s) changes %s rows (%s) in the same transaction",
			article(parent.String()), to, cf.Child, from)
	case del != "":
		title = fmt.Sprintf("deleting %s row (%s) changes %s rows (%s) in the same transaction",
			article(parent.String()), to, cf.Child, from)
	default:
		keyWord := "key"
		if b.isPrimaryKey(parent, fk.RefColumns) {
			sev, keyWord = Medium, "primary key"
			ev = append(ev, fmt.Sprintf("only %s: it fires only when the primary key (%s) of %s row changes, which applications rarely do, so it is reported as %s rather than %s severity; an ON DELETE action would fire on every delete",
				upd, strings.Join(fk.RefColumns, ", "), article(parent.String()), Medium, High))
		} else {
			ev = append(ev, fmt.Sprintf("only %s, but the referenced columns (%s) are not the primary key of %s: such a key (a code, a natural key) may well change, so it is %s severity",
				upd, strings.Join(fk.RefColumns, ", "), parent, High))
		}
		title = fmt.Sprintf("%s: only a change to the %s of %s row (%s) changes %s rows (%s) in the same transaction",
			upd, keyWord, article(parent.String()), to, cf.Child, from)
	}
	what := "delete"
	if del == "" {
		what = "key change"
		f.Recommendation.Description += fmt.Sprintf(" %s publishes an event when the key of %s row changes; %s applies the change to %s when it receives it (this replaces %s).",
			to, article(parent.Name), from, cf.Child.Name, upd)
	}
	if sev.Rank() < f.Severity.Rank() {
		f.Severity = sev
	}
	f.Facts = append(f.Facts, FactCascade)
	f.Title += "; " + title
	f.Evidence = append(f.Evidence, ev...)
	f.Patterns = append(f.Patterns, patSaga)
	f.Alternatives = append([]Option{{
		Name: "Coordinate with a saga", Pattern: patSaga,
		Description: fmt.Sprintf("Model the %s as a saga: %s step, then %s, each with a compensating action if a later step fails.", what, possessive(to), possessive(from)),
		TradeOffs:   "Explicit failure handling and visibility, at the cost of writing and running the orchestration.",
	}}, f.Alternatives...)
}
