package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

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
