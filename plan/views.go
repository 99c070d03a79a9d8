package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
)

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
			if b.own.IsStatic(r) {
				continue
			}
			for _, c := range b.own.MainHome(r) {
				by[c] = append(by[c], r.String())
				ctxs = append(ctxs, c)
			}
		}
		ctxs = b.own.Order(ctxs)
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
			ID: fid, Key: tableKey("view", n), Kind: KindView, Severity: Medium, Title: title,
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
