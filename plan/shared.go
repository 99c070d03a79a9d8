package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ownership"
)

// findShared reports the tables claimed by two or more contexts with what
// the ownership model decided for each: split it by columns, or give it to
// one owner (a new context for shared mutable data).
func (b *builder) findShared() {
	for _, sh := range b.own.SharedTables() {
		n, t, cs := sh.Table, b.lk.Table(sh.Table), sh.Claims
		writers, claimers, contested, pk := sh.Writers, sh.Claimants, sh.Contested, sh.Key
		allCols := sh.AllColumns
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
		switch sh.Decision {
		case ownership.NewContext:
			owner := sh.Owner
			fid := id("shared-data", n)
			for _, c := range claimers {
				b.addDep(c, owner, "table", fid)
			}
			b.findings = append(b.findings, Finding{
				ID: id("shared-table", n), Key: tableKey("shared-table", n), Kind: KindSharedTable, Severity: Medium,
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
				ID: fid, Key: tableKey("shared-data", n), Kind: KindSharedMutable, Severity: High,
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
		case ownership.SplitByColumns:
			b.findings = append(b.findings, Finding{
				ID: id("shared-table", n), Key: tableKey("shared-table", n), Kind: KindSharedTable, Severity: Medium,
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
			owner := sh.Owner
			fid := id("shared-table", n)
			var others []string
			for _, c := range claimers {
				if c != owner {
					others = append(others, c)
					b.addDep(c, owner, "table", fid)
				}
			}
			b.findings = append(b.findings, Finding{
				ID: fid, Key: tableKey("shared-table", n), Kind: KindSharedTable, Severity: Medium,
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
