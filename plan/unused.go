package plan

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/schema"
)

// usageUnused reports tables that nothing observed reads or writes, when
// the observation can say so:
//
//   - A table is used when a statement, an ORM mapping, a trigger or the
//     server's per-table counters show it, and when a used table has a
//     foreign key to it (every write of the child reads the parent): a
//     referenced table is never advised dropped while its children live.
//   - The server's statistics and query logs cover a window of time: when
//     one of them is shorter than UnusedMinWindow, or its start is
//     unknown, no table is reported, and a warning says how long the
//     statistics cover and what is needed. Code has no window: a scan that
//     finds no use of a table counts as it is.
func (b *builder) usageUnused(au *attribution.Usage) {
	u := au.Facts
	need := UnusedMinWindow
	var windows []string
	for _, s := range u.Sources {
		if !s.Available || s.Kind == schema.SourceCode {
			continue
		}
		d, ok := s.Window()
		switch {
		case !ok:
			b.warnings = append(b.warnings, fmt.Sprintf("usage: no table is reported unused: the window %s observed is unknown (%s); seams needs at least %s of statistics",
				s.Kind, windowUnknown(s), duration(need)))
			return
		case d < need:
			b.warnings = append(b.warnings, fmt.Sprintf("usage: no table is reported unused: %s covers only %s (since %s until %s); seams needs at least %s of statistics before it calls a table unused",
				s.Kind, duration(d), s.Since, s.Until, duration(need)))
			return
		}
		windows = append(windows, fmt.Sprintf("%s: %s, since %s", s.Kind, duration(d), s.Since))
	}

	used := map[schema.TableName]bool{}
	for _, c := range au.Matrix {
		used[b.lk.Root(c.Table)] = true
	}
	for _, io := range u.TableIO {
		if io.Reads > 0 || io.Writes > 0 {
			used[b.lk.Root(io.Table)] = true
		}
	}
	for _, tr := range b.s.Triggers {
		for _, n := range append(slices.Clone(tr.Reads), tr.Writes...) {
			used[b.lk.Root(n)] = true
		}
	}
	for _, m := range u.Mappings {
		if m.Known {
			used[b.lk.Root(m.Table)] = true
		}
	}
	for _, t := range b.own.Roots() {
		if w, ok := t.Stats.Writes(); ok && w > 0 {
			used[t.TableName()] = true // the server counted writes the sources did not show
		}
	}
	// A used table's parents are used, and theirs: to a fixed point.
	children := map[schema.TableName][]schema.TableName{}
	for _, r := range b.own.ForeignKeys() {
		if p := b.lk.Root(r.Key.References); p != r.Root {
			children[p] = append(children[p], r.Root)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, r := range b.own.ForeignKeys() {
			if p := b.lk.Root(r.Key.References); used[r.Root] && !used[p] {
				used[p], changed = true, true
			}
		}
	}

	window := usageSources(u)
	if len(windows) > 0 {
		window += "; observed for " + strings.Join(windows, ", ")
	}
	for _, t := range b.own.Roots() {
		n := t.TableName()
		if used[n] || b.own.IsIgnored(n) {
			continue
		}
		ev := []string{"no statement, code or ORM declaration reads or writes it in the observed usage (" + window + ")"}
		if t.RowEstimate != nil && *t.RowEstimate >= 0 {
			ev = append(ev, fmt.Sprintf("about %d rows", *t.RowEstimate))
		}
		desc := fmt.Sprintf("Confirm with the owners that nothing outside the observed sources (batch jobs, reports, other databases) uses %s, archive its rows, and drop it rather than carrying it into a service.", n.Name)
		if ch := slices.DeleteFunc(slices.Clone(children[n]), func(c schema.TableName) bool { return c == n }); len(ch) > 0 {
			sortNames(ch)
			ch = slices.Compact(ch)
			names := make([]string, len(ch))
			for i, c := range ch {
				names[i] = c.String()
			}
			ev = append(ev, "foreign keys of tables also unused reference it: "+strings.Join(names, ", "))
			desc += fmt.Sprintf(" Drop %s first: their foreign keys reference it.", strings.Join(names, ", "))
		}
		home := b.own.Home(n)
		b.findings = append(b.findings, Finding{
			ID: id("unused", n), Key: tableKey("unused", n), Kind: KindUnused, Severity: Info,
			Title:    fmt.Sprintf("%s is not used in the observed window: delete it instead of migrating it", n),
			Contexts: sorted(home), Objects: []Object{{Type: "table", Schema: n.Schema, Name: n.Name, Context: strings.Join(home, ",")}},
			Evidence: ev,
			Patterns: []string{patDropTable},
			Recommendation: Option{
				Name: "Drop the table instead of moving it", Pattern: patDropTable,
				Description: desc,
				TradeOffs:   "Less to migrate; a use outside the observed window or sources breaks. Keep the archive until a full business cycle has passed.",
			},
			Alternatives: []Option{{
				Name: "Observe longer", Pattern: patDropTable,
				Description: "Reset the statistics and look again after a month-end or year-end run before deciding.",
				TradeOffs:   "Safer; the decision waits.",
			}},
		})
	}
}

// windowUnknown says why a source's window is unknown.
func windowUnknown(s schema.UsageSource) string {
	switch {
	case s.Kind == schema.SourcePgStatStatements && s.Since == "":
		return "pg_stat_statements says when it was reset from PostgreSQL 14 on"
	case s.Kind == schema.SourceLog:
		return "a query log's time span is not read"
	case s.Since == "" || s.Until == "":
		return "the source does not say when its statistics started"
	}
	return "its times cannot be read"
}

// duration writes a window's length for people: "2 minutes", "3 days 4
// hours".
func duration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return plural(int(d/time.Second), "second", "seconds")
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute", "minutes")
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour", "hours")
	}
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if hours == 0 {
		return plural(days, "day", "days")
	}
	return plural(days, "day", "days") + " " + plural(hours, "hour", "hours")
}
