package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// allFKs lists every foreign key once: a key that partitions inherit from
// their parent is the parent's; equivalent keys that two or more partitions
// of one partitioned table declare each on its own are one fkRef on the
// partitioned table (see fkRef); any other key declared on a partition alone
// is listed with the partition as child.
func (b *builder) allFKs() []fkRef {
	if b.refs != nil {
		return b.refs
	}
	out := []fkRef{}
	defer func() { b.refs = out }()
	groups := map[string][]fkRef{}
	var order []string
	for i := range b.s.Tables {
		t := &b.s.Tables[i]
		root := b.lk.Root(t.TableName())
		var rootT *schema.Table
		if t.IsPartition() {
			rootT = b.lk.Table(root)
		}
		for j := range t.ForeignKeys {
			fk := &t.ForeignKeys[j]
			if rootT != nil && slices.ContainsFunc(rootT.ForeignKeys, func(x schema.ForeignKey) bool {
				return x.Name == fk.Name || (slices.Equal(x.Columns, fk.Columns) && b.lk.Root(x.References) == b.lk.Root(fk.References))
			}) {
				continue
			}
			r := fkRef{child: t.TableName(), root: root, fk: fk}
			if !t.IsPartition() {
				out = append(out, r)
				continue
			}
			sig := b.partitionKeySig(r)
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
		slices.SortFunc(g, func(x, y fkRef) int { return x.child.Compare(y.child) })
		rep := *g[0].fk
		out = append(out, fkRef{child: g[0].root, root: g[0].root, fk: &rep, parts: g})
	}
	slices.SortFunc(out, func(x, y fkRef) int {
		if c := x.child.Compare(y.child); c != 0 {
			return c
		}
		return strings.Compare(x.key(), y.key())
	})
	return out
}

// partitionKeySig is what makes keys declared on partitions equivalent:
// the root table, the columns, the referenced root table and columns, and
// the actions and their timing.
func (b *builder) partitionKeySig(r fkRef) string {
	fk := r.fk
	return strings.Join([]string{r.root.String(), strings.Join(fk.Columns, "\x00"), b.lk.Root(fk.References).String(),
		strings.Join(fk.RefColumns, "\x00"), action(fk.OnDelete), action(fk.OnUpdate),
		fmt.Sprint(fk.Deferrable, fk.InitiallyDeferred, fk.Enforced, fk.Valid)}, "\x01")
}

// findForeignKeys reports every foreign key whose child and parent are in
// different contexts, and the cascades among them.
func (b *builder) findForeignKeys() {
	for _, r := range b.allFKs() {
		parent := b.lk.Root(r.fk.References)
		if b.static[parent] {
			continue
		}
		child := b.usersOf(r.root, r.fk.Columns)
		par := b.usersOf(parent, r.fk.RefColumns)
		sp := b.splits[parent]
		if sp != nil {
			par = []string{sp.owner}
		}
		var from, to []string
		for _, x := range child {
			if slices.Contains(par, x) {
				continue
			}
			if sp != nil && slices.Contains(b.home[parent], x) && sameSet(r.fk.RefColumns, sp.pk) {
				continue // re-pointed to x's own part when the table is split
			}
			from = append(from, x)
		}
		if len(from) == 0 || len(par) == 0 {
			continue
		}
		to = slices.Clone(par)
		cf := &crossFK{fkRef: r, parent: parent, from: from, to: to, id: id("fk", r.child, r.key())}
		b.fks = append(b.fks, cf)
		for _, x := range from {
			for _, y := range to {
				b.addDep(x, y, "fk", cf.id)
			}
		}
		b.findings = append(b.findings, b.fkFinding(cf))
		if f, ok := b.cascadeFinding(cf); ok {
			b.findings = append(b.findings, f)
		}
	}
}

// fkObjects lists the constraints of r as finding objects: one, or one
// per partition for a key declared on each partition.
func fkObjects(r fkRef, ctx string) []Object {
	var out []Object
	for _, m := range r.members() {
		out = append(out, Object{Type: "foreign_key", Schema: m.child.Schema, Name: m.fk.Name, Table: m.child.Name, Columns: m.fk.Columns, Context: ctx})
	}
	return out
}

// fkText describes a key as child(cols) -> parent(cols).
func fkText(r fkRef) string {
	if len(r.parts) > 0 {
		var names []string
		for _, m := range r.parts {
			names = append(names, m.fk.Name+" on "+m.child.String())
		}
		return fmt.Sprintf("%s(%s) references %s(%s) ON DELETE %s ON UPDATE %s, declared on each partition separately (not inherited from %s): %s",
			r.child, strings.Join(r.fk.Columns, ", "), r.fk.References, strings.Join(r.fk.RefColumns, ", "), action(r.fk.OnDelete), action(r.fk.OnUpdate),
			r.child, strings.Join(names, ", "))
	}
	return fmt.Sprintf("%s %s(%s) references %s(%s) ON DELETE %s ON UPDATE %s",
		r.fk.Name, r.child, strings.Join(r.fk.Columns, ", "), r.fk.References, strings.Join(r.fk.RefColumns, ", "), action(r.fk.OnDelete), action(r.fk.OnUpdate))
}

// fkName names the key in running text: its constraint name, or "the
// keys of its N partitions".
func fkName(r fkRef) string {
	if len(r.parts) > 0 {
		return fmt.Sprintf("the keys declared on the %d partitions of %s", len(r.parts), r.child)
	}
	return r.fk.Name
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
func fkLabel(r fkRef) string {
	if len(r.parts) > 0 {
		return "(" + strings.Join(r.fk.Columns, ", ") + ")"
	}
	return r.fk.Name
}

// childLabel names the table declaring the key in titles, saying so for a
// key declared on each partition.
func childLabel(r fkRef) string {
	if len(r.parts) > 0 {
		return fmt.Sprintf("%s (on each of its %d partitions)", r.child, len(r.parts))
	}
	return r.child.String()
}

func action(a schema.Action) string {
	if a == "" {
		return string(schema.NoAction)
	}
	return string(a)
}

func (b *builder) fkFinding(cf *crossFK) Finding {
	fk := cf.fk
	from, to := strings.Join(cf.from, ", "), strings.Join(cf.to, ", ")
	child, parent := cf.child.Name, cf.fk.References.Name
	cols := strings.Join(fk.Columns, ", ")
	ev := []string{"constraint " + fkText(cf.fkRef)}
	if len(cf.parts) > 0 {
		ev[0] = "constraints " + fkText(cf.fkRef)
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
	return Finding{
		ID: cf.id, Kind: KindForeignKey, Severity: Medium,
		Title:    fmt.Sprintf("foreign key %s of %s references %s across contexts (%s -> %s)", fkLabel(cf.fkRef), childLabel(cf.fkRef), cf.fk.References, from, to),
		Contexts: sorted(append(slices.Clone(cf.from), cf.to...)),
		Objects: append(fkObjects(cf.fkRef, from),
			Object{Type: "table", Schema: cf.fk.References.Schema, Name: cf.fk.References.Name, Context: to}),
		Evidence: ev, Patterns: []string{patMoveFK, patDropFK},
		Recommendation: rec, Alternatives: alts,
	}
}

// cascadeFinding reports a cross-context key whose action changes the
// child context's rows when the parent context deletes or updates.
//
// A delete action (ON DELETE CASCADE, SET NULL, SET DEFAULT) fires on every
// delete of a parent row: high severity. An update action alone fires only
// when the referenced columns of a parent row change; when they are the
// parent's primary key, which applications rarely update, the finding is of
// medium severity and its title says when it fires; on any other key (a
// natural key, a code) it stays high.
func (b *builder) cascadeFinding(cf *crossFK) (Finding, bool) {
	fk := cf.fk
	var del, upd string
	if a := fk.OnDelete; a == schema.Cascade || a == schema.SetNull || a == schema.SetDefault {
		del = "ON DELETE " + string(a)
	}
	if a := fk.OnUpdate; a == schema.Cascade || a == schema.SetNull || a == schema.SetDefault {
		upd = "ON UPDATE " + string(a)
	}
	if del == "" && upd == "" {
		return Finding{}, false
	}
	acts := strings.Join(slices.DeleteFunc([]string{del, upd}, func(x string) bool { return x == "" }), ", ")
	from, to := strings.Join(cf.from, ", "), strings.Join(cf.to, ", ")
	parent := fk.References
	ev := []string{"constraint " + fkText(cf.fkRef), acts + " spans the boundary between " + to + " and " + from}
	if len(cf.parts) > 0 {
		ev[0] = "constraints " + fkText(cf.fkRef)
	}
	sev := High
	var title string
	switch {
	case del != "" && upd != "":
		title = fmt.Sprintf("deleting or updating %s row (%s) changes %s rows (%s) in the same transaction, through %s",
			article(parent.String()), to, cf.child, from, fkName(cf.fkRef))
	case del != "":
		title = fmt.Sprintf("deleting %s row (%s) changes %s rows (%s) in the same transaction, through %s",
			article(parent.String()), to, cf.child, from, fkName(cf.fkRef))
	default:
		keyWord := "key"
		if b.isPrimaryKey(parent, fk.RefColumns) {
			sev, keyWord = Medium, "primary key"
			ev = append(ev, fmt.Sprintf("only %s: it fires only when the primary key (%s) of %s row changes, which applications rarely do, so it is reported as %s rather than %s severity; an ON DELETE action would fire on every delete",
				upd, strings.Join(fk.RefColumns, ", "), article(parent.String()), Medium, High))
		} else {
			ev = append(ev, fmt.Sprintf("only %s, but the referenced columns (%s) are not the primary key of %s: such a key (a code, a natural key) may well change, so it stays %s severity",
				upd, strings.Join(fk.RefColumns, ", "), parent, High))
		}
		title = fmt.Sprintf("%s of %s: only a change to the %s of %s row (%s) changes %s rows (%s) in the same transaction",
			upd, fkName(cf.fkRef), keyWord, article(parent.String()), to, cf.child, from)
	}
	event, what := fmt.Sprintf("%s row is deleted (or its key changes)", article(parent.Name)), "delete"
	switch {
	case del == "":
		event, what = fmt.Sprintf("the key of %s row changes", article(parent.Name)), "key change"
	case upd == "":
		event = fmt.Sprintf("%s row is deleted", article(parent.Name))
	}
	return Finding{
		ID: id("cascade", cf.child, cf.key()), Kind: KindCascade, Severity: sev,
		Title:    title,
		Contexts: sorted(append(slices.Clone(cf.from), cf.to...)),
		Objects:  fkObjects(cf.fkRef, from),
		Evidence: ev,
		Patterns: []string{patMoveFK, patSaga},
		Recommendation: Option{
			Name:    "Replace the cascade with an event",
			Pattern: patMoveFK,
			Description: fmt.Sprintf("%s publishes an event when %s; %s applies the change to %s when it receives it.",
				to, event, from, cf.child.Name),
			TradeOffs: "Eventually consistent: the two contexts disagree for a moment, and the consumer must be idempotent.",
		},
		Alternatives: []Option{{
			Name: "Coordinate with a saga", Pattern: patSaga,
			Description: fmt.Sprintf("Model the %s as a saga: %s step, then %s, each with a compensating action if a later step fails.", what, possessive(to), possessive(from)),
			TradeOffs:   "Explicit failure handling and visibility, at the cost of writing and running the orchestration.",
		}, {
			Name: "Keep the tables together", Pattern: patMergeContexts,
			Description: fmt.Sprintf("Keep %s and %s in one context so the cascade stays one transaction.", cf.child.Name, cf.fk.References.Name),
			TradeOffs:   "Atomic, but the boundary moves.",
		}},
	}, true
}
