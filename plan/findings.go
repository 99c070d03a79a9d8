package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// The established names of the refactorings the findings map to.
const (
	patMoveFK          = "Move Foreign-Key Relationship to Code"
	patDropFK          = "Drop Foreign Key Constraint"
	patSaga            = "Saga"
	patSplitTable      = "Split Table"
	patMoveColumn      = "Move Column"
	patChangeOwnership = "Change Data Ownership"
	patReadOnlyTable   = "Introduce Read-Only Table"
	patDatabaseView    = "Database View"
	patReplaceTrigger  = "Replace Trigger With Code"
	patStaticAsCode    = "Static Reference Data as Code"
	patStaticLibrary   = "Static Reference Data Library"
	patStaticDuplicate = "Duplicate Static Reference Data"
	patStaticSchema    = "Dedicated Reference Data Schema"
	patStaticService   = "Static Reference Data Service"
	patReportingDB     = "Reporting Database"
	patAPIComposition  = "API Composition"
	patMergeContexts   = "Merge Contexts"
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

// findStatic marks static reference data: tables declared under static:,
// and small, rarely written tables that two or more contexts claim or
// reference, that reference no other non-static table, and that no claimer
// declares it writes or splits by columns.
func (b *builder) findStatic() {
	fks := b.allFKs()
	refs := map[schema.TableName][]fkRef{}
	outgoing := map[schema.TableName]int{}
	for _, r := range fks {
		p := b.lk.Root(r.fk.References)
		if p != r.root {
			refs[p] = append(refs[p], r)
			outgoing[r.root]++
		}
	}
	for _, t := range b.roots {
		n := t.TableName()
		cs := b.claims[n]
		declared := b.a.Static[n]
		users := b.home[n]
		for _, r := range refs[n] {
			users = append(users, b.home[r.root]...)
		}
		users = b.byRank(slices.Clone(users))
		var ev []string
		if declared {
			ev = append(ev, "declared under static: in the contexts map")
		}
		// An estimate of 0 rows (an empty table, or statistics never
		// gathered) is no evidence of a code list: nothing says what the
		// table holds in production.
		small := t.RowEstimate != nil && *t.RowEstimate > 0 && *t.RowEstimate < b.opts.StaticRowThreshold
		writes, known := t.Stats.Writes()
		if !declared {
			if !small || len(users) < 2 || outgoing[n] > 0 || (known && writes > b.opts.StaticMaxWrites) {
				continue
			}
			if slices.ContainsFunc(cs, func(c contexts.Claim) bool { return c.Access.Writes() || (len(cs) > 1 && c.Columns != nil) }) {
				continue
			}
		}
		b.static[n] = true
		if t.RowEstimate != nil && *t.RowEstimate >= 0 {
			ev = append(ev, fmt.Sprintf("about %d rows (static data threshold %d)", *t.RowEstimate, b.opts.StaticRowThreshold))
		}
		if known {
			ev = append(ev, fmt.Sprintf("%d rows written since the counters were reset (%s)", writes, t.Stats.Source))
		}
		if len(cs) > 0 {
			ev = append(ev, "listed under "+strings.Join(b.home[n], ", "))
		}
		objs := []Object{{Type: "table", Schema: n.Schema, Name: n.Name}}
		for _, r := range refs[n] {
			h := b.home[r.root]
			if len(b.home[n]) == 1 && slices.Equal(h, b.home[n]) {
				continue // the owner's own reference
			}
			b.staticFKs[n] = append(b.staticFKs[n], r)
			objs = append(objs, fkObjects(r, strings.Join(h, ","))...)
		}
		if len(cs) == 1 {
			// One owner: the table moves with it, the others stop joining it.
		} else {
			b.home[n] = nil
		}
		b.findings = append(b.findings, Finding{
			ID: id("static", n), Kind: KindStaticData, Severity: Low,
			Title:    fmt.Sprintf("%s is static reference data used by %s", n, plural(len(users), "context", "contexts")),
			Contexts: sorted(users), Objects: objs, Evidence: ev,
			Patterns: []string{patStaticAsCode, patStaticLibrary, patStaticDuplicate, patStaticSchema, patStaticService},
			Recommendation: Option{
				Name:    "Move the rows into code",
				Pattern: patStaticAsCode,
				Description: fmt.Sprintf("Export the rows of %s once (seams writes them as a data file) and ship them with each service as configuration or an enumeration; "+
					"drop the foreign keys into %s and validate the values in code.", n, n.Name),
				TradeOffs: "Changing the data becomes a deployment of every service that ships it; copies can drift, which matters little for data that almost never changes.",
			},
			Alternatives: []Option{
				{Name: "Share a library", Pattern: patStaticLibrary, Description: fmt.Sprintf("Publish the rows of %s as a versioned library that the services depend on.", n.Name),
					TradeOffs: "One source of truth in code; services on different library versions see different data; awkward across languages."},
				{Name: "Duplicate the table", Pattern: patStaticDuplicate, Description: fmt.Sprintf("Give each context its own copy of %s in its own schema.", n.Name),
					TradeOffs: "Keeps SQL joins working; every copy must be updated when the data changes."},
				{Name: "Dedicated reference data schema", Pattern: patStaticSchema, Description: fmt.Sprintf("Move %s to a schema of its own that every service reads.", n.Name),
					TradeOffs: "Cheap and keeps joins; the services stay coupled through a shared database."},
				{Name: "Reference data service", Pattern: patStaticService, Description: fmt.Sprintf("Serve %s from a service of its own.", n.Name),
					TradeOffs: "Worth it only for large or rule-heavy reference data; overkill for a code list."},
			},
		})
	}
}

// refreshStatic names, in the static-data findings, the contexts of the
// referencing tables as the plan has them once shared tables have owners
// (a table given to a proposed context references the data from there).
func (b *builder) refreshStatic() {
	for i := range b.findings {
		f := &b.findings[i]
		if f.Kind != KindStaticData {
			continue
		}
		n := tableOf(*f)
		users := slices.Clone(b.home[n])
		var refs []string
		for j := range f.Objects {
			o := &f.Objects[j]
			if o.Type != "foreign_key" {
				continue
			}
			h := b.home[b.lk.Root(schema.TableName{Schema: o.Schema, Name: o.Table})]
			o.Context = strings.Join(h, ",")
			users = append(users, h...)
			refs = append(refs, fmt.Sprintf("%s.%s (%s)", schema.TableName{Schema: o.Schema, Name: o.Table}, o.Name, strings.Join(h, ", ")))
		}
		if len(refs) > 0 {
			f.Evidence = append(f.Evidence, "referenced by foreign keys "+strings.Join(refs, "; "))
		}
		users = b.byRank(users)
		f.Contexts = sorted(users)
		f.Title = fmt.Sprintf("%s is static reference data used by %s", n, plural(len(users), "context", "contexts"))
	}
}

// findShared reports tables claimed by two or more contexts and decides
// what the plan does with each: split it by columns, or give it to one
// owner (a new context for shared mutable data).
func (b *builder) findShared() {
	for _, t := range b.roots {
		n := t.TableName()
		cs := b.claims[n]
		if len(cs) < 2 || b.static[n] {
			continue
		}
		var writers, claimers []string
		allCols := true
		use := map[string]int{}
		var pk []string
		if t.PrimaryKey != nil {
			pk = t.PrimaryKey.Columns
		}
		for _, c := range cs {
			claimers = append(claimers, c.Context)
			if c.Access.Writes() {
				writers = append(writers, c.Context)
			}
			if c.Columns == nil {
				allCols = false
			}
			for _, col := range c.Columns {
				if !slices.Contains(pk, col) {
					use[col]++
				}
			}
		}
		var contested, union []string
		for _, col := range t.Columns {
			if k := use[col.Name]; k > 0 {
				union = append(union, col.Name)
				if k > 1 {
					contested = append(contested, col.Name)
				}
			}
		}
		ev := []string{"claimed by " + strings.Join(claimers, ", ")}
		for _, c := range cs {
			switch {
			case c.Columns != nil:
				ev = append(ev, fmt.Sprintf("%s uses %s", c.Context, strings.Join(c.Columns, ", ")))
			default:
				ev = append(ev, c.Context+" does not declare the columns it uses")
			}
		}
		if len(writers) > 0 {
			ev = append(ev, "declared writers: "+strings.Join(writers, ", "))
		}
		if w, ok := t.Stats.Writes(); ok {
			ev = append(ev, fmt.Sprintf("%d rows written since the counters were reset (%s)", w, t.Stats.Source))
		}
		if len(contested) > 0 {
			ev = append(ev, "columns used by more than one context: "+strings.Join(contested, ", "))
		}
		disjoint := allCols && len(pk) > 0 && len(contested)*4 <= len(union)
		tbl := Object{Type: "table", Schema: n.Schema, Name: n.Name}
		splitOpt := Option{
			Name:    "Split the table, one per context",
			Pattern: patSplitTable,
			Description: fmt.Sprintf("Create a table per context, each with the key (%s) and the columns that context uses: %s. Copy the data, switch each context to its table, then drop the moved columns from %s.",
				strings.Join(pk, ", "), splitProposal(cs, pk, n.Name), n.Name),
			TradeOffs: "Each context owns its data; rows are created in two places, so the key must be agreed on (one context issues it, the others follow its events).",
		}
		if !allCols {
			splitOpt.Description = fmt.Sprintf("Declare the columns each context uses in the contexts map (- %s: {columns: [...]}) to get a split proposal.", n.Name)
		} else if len(pk) == 0 {
			splitOpt.Description = fmt.Sprintf("%s has no primary key to carry into every part; add one first.", n.Name)
		}
		switch {
		case len(writers) >= 2:
			owner := n.Name
			if _, ok := b.rank[owner]; !ok {
				b.proposed[owner] = true
			}
			b.addContext(owner)
			b.home[n] = []string{owner}
			fid := id("shared-data", n)
			for _, c := range claimers {
				b.addDep(c, owner, "table", fid)
			}
			b.findings = append(b.findings, Finding{
				ID: id("shared-table", n), Kind: KindSharedTable, Severity: Medium,
				Title:    fmt.Sprintf("%s is shared by %s", n, strings.Join(claimers, ", ")),
				Contexts: sorted(claimers), Objects: []Object{tbl}, Evidence: ev,
				Patterns: []string{patChangeOwnership, patSplitTable},
				Recommendation: Option{
					Name:        fmt.Sprintf("Give %s to a new %s context", n.Name, owner),
					Pattern:     patChangeOwnership,
					Description: fmt.Sprintf("Two or more contexts write it: see finding %s.", fid),
					TradeOffs:   "See that finding.",
				},
				Alternatives: []Option{splitOpt},
			})
			b.findings = append(b.findings, Finding{
				ID: fid, Kind: KindSharedMutable, Severity: High,
				Title:    fmt.Sprintf("%s is written by %s: a missing domain concept", n, strings.Join(writers, " and ")),
				Contexts: sorted(claimers), Objects: []Object{tbl}, Evidence: ev,
				Patterns: []string{patChangeOwnership, patSplitTable},
				Recommendation: Option{
					Name:    fmt.Sprintf("Make %s a context of its own", owner),
					Pattern: patChangeOwnership,
					Description: fmt.Sprintf("Create %s context that owns %s and offers an API for what %s do with it today (read, create, update); move the table to it and route every write through that API.",
						article(owner), n.Name, strings.Join(claimers, " and ")),
					TradeOffs: "One owner keeps the rules for this data in one place; the other contexts depend on its API and its availability.",
				},
				Alternatives: []Option{splitOpt, {
					Name: "Give it to one of the writers", Pattern: patChangeOwnership,
					Description: fmt.Sprintf("Let %s own %s and the others call its API.", writers[0], n.Name),
					TradeOffs:   "No new service, but the owner ends up with rules that belong to the other contexts.",
				}},
			})
		case disjoint:
			sp := &split{table: t, cols: map[string][]string{}, pk: pk, owner: claimers[0]}
			for _, c := range cs {
				sp.cols[c.Context] = c.Columns
			}
			b.splits[n] = sp
			b.findings = append(b.findings, Finding{
				ID: id("shared-table", n), Kind: KindSharedTable, Severity: Medium,
				Title:    fmt.Sprintf("%s is shared by %s", n, strings.Join(claimers, ", ")),
				Contexts: sorted(claimers), Objects: []Object{tbl}, Evidence: ev,
				Patterns:       []string{patSplitTable, patMoveColumn, patChangeOwnership},
				Recommendation: splitOpt,
				Alternatives: []Option{{
					Name: "Give it to one context", Pattern: patChangeOwnership,
					Description: fmt.Sprintf("Let %s own %s and the others call its API.", claimers[0], n.Name),
					TradeOffs:   "No data moves; the owner's API must serve the other contexts' columns.",
				}},
			})
		default:
			owner := claimers[0]
			if len(writers) == 1 {
				owner = writers[0]
			}
			b.home[n] = []string{owner}
			fid := id("shared-table", n)
			var others []string
			for _, c := range claimers {
				if c != owner {
					others = append(others, c)
					b.addDep(c, owner, "table", fid)
				}
			}
			b.findings = append(b.findings, Finding{
				ID: fid, Kind: KindSharedTable, Severity: Medium,
				Title:    fmt.Sprintf("%s is shared by %s", n, strings.Join(claimers, ", ")),
				Contexts: sorted(claimers), Objects: []Object{tbl}, Evidence: ev,
				Patterns: []string{patChangeOwnership, patSplitTable, patReadOnlyTable},
				Recommendation: Option{
					Name:    fmt.Sprintf("Give %s to %s", n.Name, owner),
					Pattern: patChangeOwnership,
					Description: fmt.Sprintf("%s owns %s; %s read and write it through %s API instead of SQL.",
						owner, n.Name, strings.Join(others, " and "), possessive(owner)),
					TradeOffs: "No data moves; every other context now depends on the owner's API.",
				},
				Alternatives: []Option{splitOpt, {
					Name: "Give the others a read-only copy", Pattern: patReadOnlyTable,
					Description: fmt.Sprintf("%s owns %s and publishes a read-only copy that %s read.", owner, n.Name, strings.Join(others, " and ")),
					TradeOffs:   "Reads stay local and fast; the copy lags behind and writes still go through the owner.",
				}},
			})
		}
	}
}

// splitProposal describes the tables a split creates.
func splitProposal(cs []contexts.Claim, pk []string, table string) string {
	var parts []string
	for _, c := range cs {
		cols := slices.Clone(pk)
		for _, col := range c.Columns {
			if !slices.Contains(cols, col) {
				cols = append(cols, col)
			}
		}
		parts = append(parts, fmt.Sprintf("%s.%s (%s)", c.Context, table, strings.Join(cols, ", ")))
	}
	return strings.Join(parts, "; ")
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

// viewReads returns the root tables a view reads, following views.
func (b *builder) viewReads(v *schema.View) []schema.TableName {
	seen := map[schema.TableName]bool{v.TableName(): true}
	var out []schema.TableName
	var walk func(ns []schema.TableName)
	walk = func(ns []schema.TableName) {
		for _, n := range ns {
			if seen[n] {
				continue
			}
			seen[n] = true
			if w := b.lk.View(n); w != nil {
				walk(w.Reads)
				continue
			}
			r := b.lk.Root(n)
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	walk(v.Reads)
	sortNames(out)
	return out
}

// findViews reports views that read tables of more than one context, or of
// a context other than the view's own.
func (b *builder) findViews() {
	for i := range b.s.Views {
		v := &b.s.Views[i]
		n := v.TableName()
		own := b.claimsOf(n)
		by := map[string][]string{}
		var ctxs []string
		for _, r := range b.viewReads(v) {
			if b.static[r] {
				continue
			}
			for _, c := range b.mainHome(r) {
				by[c] = append(by[c], r.String())
				ctxs = append(ctxs, c)
			}
		}
		ctxs = b.byRank(ctxs)
		var others []string
		for _, c := range ctxs {
			if !slices.Contains(own, c) {
				others = append(others, c)
			}
		}
		if len(own) > 0 && len(others) == 0 || len(own) == 0 && len(ctxs) < 2 {
			continue
		}
		fid := id("view", n)
		for _, o := range own {
			for _, c := range others {
				b.addDep(o, c, "view", fid)
			}
		}
		kind := "view"
		if v.Materialized {
			kind = "materialized view"
		}
		var ev []string
		for _, c := range ctxs {
			ev = append(ev, fmt.Sprintf("reads %s of %s", strings.Join(by[c], ", "), c))
		}
		if v.Unresolved != "" {
			ev = append(ev, "the reads may be incomplete: "+v.Unresolved)
		}
		title := fmt.Sprintf("%s %s joins %s", kind, n, strings.Join(ctxs, ", "))
		if len(own) > 0 {
			title = fmt.Sprintf("%s %s of %s reads %s", kind, n, strings.Join(own, ", "), strings.Join(others, ", "))
		}
		b.findings = append(b.findings, Finding{
			ID: fid, Kind: KindView, Severity: Medium, Title: title,
			Contexts: sorted(append(slices.Clone(own), ctxs...)),
			Objects:  []Object{{Type: "view", Schema: n.Schema, Name: n.Name, Context: strings.Join(own, ",")}},
			Evidence: ev, Patterns: []string{patReportingDB, patAPIComposition, patDatabaseView},
			Recommendation: Option{
				Name:    "Feed a reporting database",
				Pattern: patReportingDB,
				Description: fmt.Sprintf("Each of %s publishes its data (a data pump or events) into a reporting database where %s is rebuilt.",
					strings.Join(ctxs, ", "), n.Name),
				TradeOffs: "Reports keep SQL and stop coupling the services' schemas; the data lags and the reporting schema becomes a published contract.",
			},
			Alternatives: []Option{{
				Name: "Compose in code", Pattern: patAPIComposition,
				Description: fmt.Sprintf("Replace %s with code that calls the APIs of %s and joins the results.", n.Name, strings.Join(ctxs, ", ")),
				TradeOffs:   "No shared schema; slow and chatty for large reports.",
			}, {
				Name: "Publish a view per context", Pattern: patDatabaseView,
				Description: "Each context publishes a read-only view of its own data as its interface; reports read those views only.",
				TradeOffs:   "Cheap and keeps SQL; the contexts still share one database engine.",
			}},
		})
	}
}

// claimsOf returns the contexts that claim n in the map (views included).
func (b *builder) claimsOf(n schema.TableName) []string {
	var out []string
	for _, c := range b.a.Claims[n] {
		out = append(out, c.Context)
	}
	return out
}

// findTriggers reports triggers that read or write another context's
// tables. The triggers on one table that reach the same contexts in the
// same way (all reading, or writing) are one finding: a table's INSERT,
// UPDATE and DELETE triggers usually keep one thing up to date together.
func (b *builder) findTriggers() {
	type trigInfo struct {
		tr          *schema.Trigger
		own, others []string
		ev          []string // reads and writes
		writes      bool
	}
	groups := map[string][]trigInfo{}
	var order []string
	for i := range b.s.Triggers {
		tr := &b.s.Triggers[i]
		tbl := b.lk.Root(tr.Table)
		own := b.mainHome(tbl)
		if b.lk.View(tr.Table) != nil {
			own = b.claimsOf(tr.Table)
		}
		if len(own) == 0 {
			continue
		}
		var others, ev []string
		writes := false
		note := func(ns []schema.TableName, verb string) {
			for _, n := range ns {
				r := b.lk.Root(n)
				if r == tbl || b.static[r] {
					continue
				}
				for _, c := range b.mainHome(r) {
					if slices.Contains(own, c) {
						continue
					}
					others = append(others, c)
					ev = append(ev, fmt.Sprintf("%s %s of %s", verb, r, c))
					if verb == "writes" {
						writes = true
					}
				}
			}
		}
		note(tr.Writes, "writes")
		note(tr.Reads, "reads")
		if len(others) == 0 {
			continue
		}
		others = b.byRank(others)
		key := strings.Join([]string{tr.Table.String(), strings.Join(own, ","), strings.Join(others, ","), fmt.Sprint(writes)}, "\x00")
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], trigInfo{tr: tr, own: own, others: others, ev: slices.Compact(ev), writes: writes})
	}
	for _, key := range order {
		g := groups[key]
		first := g[0]
		own, others, table := first.own, first.others, first.tr.Table
		var names, ev, tail []string
		var objs []Object
		for _, ti := range g {
			tr := ti.tr
			names = append(names, tr.Name)
			objs = append(objs, Object{Type: "trigger", Schema: tr.Table.Schema, Name: tr.Name, Table: tr.Table.Name, Context: strings.Join(own, ",")})
			when := fmt.Sprintf("%s %s %s on %s", tr.Timing, strings.Join(tr.Events, " OR "), strings.ToLower(tr.Level), tr.Table)
			if len(g) > 1 {
				when = tr.Name + ": " + when
			}
			ev = append(ev, when)
			for _, e := range ti.ev {
				if !slices.Contains(tail, e) {
					tail = append(tail, e)
				}
			}
		}
		ev = append(ev, tail...)
		for _, ti := range g {
			if ti.tr.Unresolved == "" {
				continue
			}
			what := "the body"
			if len(g) > 1 {
				what = "the body of " + ti.tr.Name
			}
			ev = append(ev, what+" was not fully analysed: "+ti.tr.Unresolved)
		}
		fid := id("trigger", table, strings.Join(names, "+"))
		for range g {
			for _, o := range own {
				for _, c := range others {
					b.addDep(o, c, "trigger", fid)
				}
			}
		}
		sev, verb := Medium, "reads"
		if first.writes {
			sev, verb = High, "changes"
		}
		subject, drop, recName := "trigger "+names[0], "trigger "+names[0], "Replace the trigger with code"
		if len(g) > 1 {
			subject = fmt.Sprintf("%d triggers (%s)", len(g), strings.Join(names, ", "))
			drop, recName = "triggers "+strings.Join(names, ", "), "Replace the triggers with code"
			verb = strings.TrimSuffix(verb, "s") // "read", "change"
		}
		b.findings = append(b.findings, Finding{
			ID: fid, Kind: KindTrigger, Severity: sev,
			Title:    fmt.Sprintf("%s on %s (%s) %s data of %s", subject, table, strings.Join(own, ", "), verb, strings.Join(others, ", ")),
			Contexts: sorted(append(slices.Clone(own), others...)),
			Objects:  objs,
			Evidence: ev, Patterns: []string{patReplaceTrigger, patSaga},
			Recommendation: Option{
				Name:    recName,
				Pattern: patReplaceTrigger,
				Description: fmt.Sprintf("%s publishes an event when it changes %s; %s reacts to it in its own code. Then drop %s.",
					strings.Join(own, ", "), table.Name, strings.Join(others, ", "), drop),
				TradeOffs: "The rule becomes visible in code and crosses the boundary as an event; it is no longer applied in the same transaction.",
			},
			Alternatives: []Option{{
				Name: "Call the other context's API", Pattern: patReplaceTrigger,
				Description: fmt.Sprintf("%s calls %s API where it changes %s today.", strings.Join(own, ", "), possessive(strings.Join(others, ", ")), table.Name),
				TradeOffs:   "Synchronous and simple; the caller fails when the other service is down.",
			}},
		})
	}
}

// findUnassigned reports tables that no context claims and suggests the
// context each is most tied to by foreign keys.
func (b *builder) findUnassigned() {
	ties := map[schema.TableName]map[string]int{}
	for _, r := range b.allFKs() {
		p := b.lk.Root(r.fk.References)
		for _, pair := range [][2]schema.TableName{{r.root, p}, {p, r.root}} {
			for _, c := range b.home[pair[1]] {
				if ties[pair[0]] == nil {
					ties[pair[0]] = map[string]int{}
				}
				ties[pair[0]][c]++
			}
		}
	}
	for _, t := range b.roots {
		n := t.TableName()
		if len(b.claims[n]) > 0 || b.static[n] || b.a.Static[n] || b.a.Ignored[n] {
			continue
		}
		best, bestN := "", 0
		for _, c := range b.names {
			if k := ties[n][c]; k > bestN {
				best, bestN = c, k
			}
		}
		f := Finding{
			ID: id("unassigned", n), Kind: KindUnassigned, Severity: Info,
			Title:    fmt.Sprintf("%s is in no context", n),
			Contexts: []string{}, Objects: []Object{{Type: "table", Schema: n.Schema, Name: n.Name}},
			Evidence: []string{"no context of the map claims it, and it is not under static: or ignore:"},
			Patterns: []string{},
			Recommendation: Option{
				Name:        "Assign it to a context",
				Description: fmt.Sprintf("List %s under the context that owns it in the contexts map.", n.Name),
				TradeOffs:   "None: until then seams cannot tell which boundaries it crosses.",
			},
			Alternatives: []Option{{
				Name:        "Ignore it",
				Description: fmt.Sprintf("List %s under ignore: if it is bookkeeping (migrations, sessions) that no context owns.", n.Name),
				TradeOffs:   "It stays behind in the original schema.",
			}},
		}
		if best != "" {
			f.Contexts = []string{best}
			f.Evidence = append(f.Evidence, fmt.Sprintf("%s to %s tables", plural(bestN, "foreign key", "foreign keys"), possessive(best)))
			f.Recommendation.Name = "Assign it to " + best
			f.Recommendation.Description = fmt.Sprintf("List %s under %s in the contexts map: it is most tied to %s by foreign keys.", n.Name, best, best)
		}
		b.findings = append(b.findings, f)
	}
}

// plural writes "1 context" or "3 contexts".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func sameSet(a, b []string) bool {
	return len(a) == len(b) && containsAll(a, b) && containsAll(b, a)
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return nonNil(slices.Compact(s))
}

// article puts "a" or "an" before a word, by how it usually sounds: "an
// album", "an order", "a user", "a unit", "a one-off". For a qualified name
// ("public.album") the first part decides.
func article(word string) string {
	w := strings.ToLower(word)
	an := false
	switch {
	case w == "":
	case strings.HasPrefix(w, "one"), strings.HasPrefix(w, "eu"), strings.HasPrefix(w, "ewe"):
	case strings.IndexByte("aeio", w[0]) >= 0:
		an = true
	case w[0] == 'u':
		an = true
		for _, p := range []string{"uni", "use", "usa", "usu", "uti", "uri", "url", "uu", "uk"} {
			if strings.HasPrefix(w, p) {
				an = false
			}
		}
	}
	if an {
		return "an " + word
	}
	return "a " + word
}

// possessive writes "catalog's", or "customers'" for a name ending in s.
func possessive(name string) string {
	if strings.HasSuffix(name, "s") || strings.HasSuffix(name, "S") {
		return name + "'"
	}
	return name + "'s"
}
