package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
)

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
		touched     []schema.TableName // the other contexts' tables it reads or writes
	}
	groups := map[string][]trigInfo{}
	var order []string
	for i := range b.s.Triggers {
		tr := &b.s.Triggers[i]
		tbl := b.lk.Root(tr.Table)
		own := b.own.MainHome(tbl)
		if b.lk.View(tr.Table) != nil {
			own = b.claimsOf(tr.Table)
		}
		if len(own) == 0 {
			continue
		}
		var others, ev []string
		var touched []schema.TableName
		writes := false
		note := func(ns []schema.TableName, verb string) {
			for _, n := range ns {
				r := b.lk.Root(n)
				if r == tbl || b.own.IsStatic(r) {
					continue
				}
				for _, c := range b.own.MainHome(r) {
					if slices.Contains(own, c) {
						continue
					}
					others = append(others, c)
					touched = append(touched, r)
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
		others = b.own.Order(others)
		key := strings.Join([]string{tr.Table.String(), strings.Join(own, ","), strings.Join(others, ","), fmt.Sprint(writes)}, "\x00")
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], trigInfo{tr: tr, own: own, others: others, ev: slices.Compact(ev), writes: writes, touched: touched})
	}
	for _, key := range order {
		g := groups[key]
		first := g[0]
		own, others, table := first.own, first.others, first.tr.Table
		var names, ev, tail []string
		var objs []Object
		var touched []schema.TableName
		for _, ti := range g {
			tr := ti.tr
			touched = append(touched, ti.touched...)
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
		// One name for one trigger or several, so that the plan's groups
		// roll them up together.
		const recName = "Move the trigger logic into code"
		subject, drop := "trigger "+names[0], "trigger "+names[0]
		if len(g) > 1 {
			subject = fmt.Sprintf("%d triggers (%s)", len(g), strings.Join(names, ", "))
			drop = "triggers " + strings.Join(names, ", ")
			verb = strings.TrimSuffix(verb, "s") // "read", "change"
		}
		b.findings = append(b.findings, Finding{
			ID: fid, Key: triggerKey(b.lk.Root(table), first.writes, touched), Kind: KindTrigger, Severity: sev,
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
