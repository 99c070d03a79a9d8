package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// findStatic reports the static reference data the ownership model found:
// tables declared under static:, and small, rarely written tables that two
// or more contexts claim or reference (see ownership.StaticData).
func (b *builder) findStatic() {
	threshold := b.own.Options().StaticRowThreshold
	for _, sd := range b.own.StaticData() {
		n := sd.Table
		t := b.lk.Table(n)
		var ev []string
		if sd.Declared {
			ev = append(ev, "declared under static: in the contexts map")
		}
		if t.RowEstimate != nil && *t.RowEstimate >= 0 {
			ev = append(ev, fmt.Sprintf("about %d rows (static data threshold %d)", *t.RowEstimate, threshold))
		}
		if writes, known := t.Stats.Writes(); known {
			ev = append(ev, fmt.Sprintf("%d rows written since the counters were reset (%s)", writes, t.Stats.Source))
		}
		if cs := b.own.Claimants(n); len(cs) > 0 {
			ev = append(ev, "listed under "+strings.Join(cs, ", "))
		}
		objs := []Object{{Type: "table", Schema: n.Schema, Name: n.Name}}
		var refs []string
		for _, r := range sd.Refs {
			h := b.own.Home(r.Root)
			for _, o := range fkObjects(r, strings.Join(h, ",")) {
				objs = append(objs, o)
				refs = append(refs, fmt.Sprintf("%s.%s (%s)", schema.TableName{Schema: o.Schema, Name: o.Table}, o.Name, strings.Join(h, ", ")))
			}
		}
		if len(refs) > 0 {
			ev = append(ev, "referenced by foreign keys "+strings.Join(refs, "; "))
		}
		users := sd.Users
		b.findings = append(b.findings, Finding{
			ID: id("static", n), Key: tableKey("static", n), Kind: KindStaticData, Severity: Low,
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
	// Without any row estimate (a snapshot read from a DDL file, or a
	// database never analysed) the rule cannot tell small tables: say so,
	// and name the tables it would have taken if they were small.
	if len(b.s.Tables) > 0 && !slices.ContainsFunc(b.s.Tables, func(t schema.Table) bool { return t.RowEstimate != nil }) {
		w := "static data: no table has a row estimate (a snapshot read from a DDL file, or a database never analysed), so only the tables declared under static: count as static reference data"
		if unsized := b.own.UnsizedStatic(); len(unsized) > 0 {
			names := make([]string, len(unsized))
			for i, n := range unsized {
				names[i] = n.String()
			}
			w += fmt.Sprintf("; used by two or more contexts and referencing no other table, so static if small: %s (declare them under static: if they are code lists)", strings.Join(names, ", "))
		}
		b.warnings = append(b.warnings, w)
	}
}
