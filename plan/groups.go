package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/seamsdev/seams/schema"
)

// Group rolls up findings that call for the same work: those of one kind
// and severity between the same contexts whose recommendations share a
// name. Its findings are listed under the table they hang on (for a
// foreign key or a cascade, the referenced table; otherwise the table, view
// or trigger's table they name). Every renderer shows the groups first and
// the findings under them, so a list grows with the number of context pairs
// and kinds, not with the schema.
type Group struct {
	// ID is stable across runs on the same schema and map:
	// "<kind prefix>/<severity>/<context>+<context>.../<recommendation>",
	// the kind prefix being that of the findings' IDs ("fk", "view"...)
	// and the recommendation its name in lower case with dashes. Treat it
	// as an opaque key.
	ID       string   `json:"id"`
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	// Contexts are the contexts its findings involve, sorted: the same for
	// every finding of the group.
	Contexts []string `json:"contexts"`
	// Title is a one-line summary: the count, what and between which
	// contexts; the finding's own title for a group of one.
	Title string `json:"title"`
	// Count is the number of findings in the group.
	Count int `json:"count"`
	// Recommendation is the option the plan's steps follow for every
	// finding of the group. Its description and trade-offs are the
	// findings' own when they all share them, else empty: each finding's
	// recommendation then says it for its own tables.
	Recommendation Option `json:"recommendation"`
	// FindingIDs are the IDs of its findings, in the order of
	// Plan.Findings.
	FindingIDs []string `json:"finding_ids"`
	// Tables are its findings by the table they hang on, the table with
	// the most findings first (then by name); a finding that hangs on no
	// one table (a dependency cycle) is in FindingIDs only.
	Tables []GroupTable `json:"tables"`
}

// GroupTable is the findings of a group that hang on one table.
type GroupTable struct {
	Table schema.TableName `json:"table"`
	// FindingIDs are in the order of Plan.Findings.
	FindingIDs []string `json:"finding_ids"`
}

// groupKey is what the findings of one group share.
type groupKey struct {
	kind     Kind
	severity Severity
	contexts string // joined with \x00
	rec      string
}

// GroupFindings rolls up findings sorted as Plan.Findings are (Build sets
// Plan.Groups with it). The groups are sorted by severity, then the
// largest first, then kind, contexts and recommendation, and their IDs are
// unique.
func GroupFindings(findings []Finding) []Group {
	byKey := map[groupKey]*Group{}
	var keys []groupKey
	tables := map[groupKey]map[schema.TableName]int{}
	firstTitle := map[groupKey]string{}
	for i := range findings {
		f := &findings[i]
		k := groupKey{f.Kind, f.Severity, strings.Join(f.Contexts, "\x00"), f.Recommendation.Name}
		g := byKey[k]
		if g == nil {
			g = &Group{Kind: f.Kind, Severity: f.Severity, Contexts: nonNil(slices.Clone(f.Contexts)), Recommendation: f.Recommendation,
				Tables: []GroupTable{}}
			byKey[k] = g
			keys = append(keys, k)
			tables[k] = map[schema.TableName]int{}
			firstTitle[k] = f.Title
		} else {
			if g.Recommendation.Description != f.Recommendation.Description {
				g.Recommendation.Description = ""
			}
			if g.Recommendation.TradeOffs != f.Recommendation.TradeOffs {
				g.Recommendation.TradeOffs = ""
			}
			if g.Recommendation.Pattern != f.Recommendation.Pattern {
				g.Recommendation.Pattern = ""
			}
		}
		g.FindingIDs = append(g.FindingIDs, f.ID)
		if t, ok := anchor(f); ok {
			j, seen := tables[k][t]
			if !seen {
				j = len(g.Tables)
				tables[k][t] = j
				g.Tables = append(g.Tables, GroupTable{Table: t})
			}
			g.Tables[j].FindingIDs = append(g.Tables[j].FindingIDs, f.ID)
		}
	}
	out := make([]Group, 0, len(keys))
	for _, k := range keys {
		g := byKey[k]
		g.Count = len(g.FindingIDs)
		slices.SortStableFunc(g.Tables, func(a, b GroupTable) int {
			return cmp.Or(len(b.FindingIDs)-len(a.FindingIDs), a.Table.Compare(b.Table))
		})
		g.Title = groupTitle(g, firstTitle[k])
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Severity.Rank(), b.Severity.Rank()), b.Count-a.Count,
			strings.Compare(string(a.Kind), string(b.Kind)), slices.Compare(a.Contexts, b.Contexts),
			strings.Compare(a.Recommendation.Name, b.Recommendation.Name))
	})
	seen := map[string]bool{}
	for i := range out {
		g := &out[i]
		prefix, _, _ := strings.Cut(g.FindingIDs[0], "/")
		base := strings.Join([]string{prefix, string(g.Severity), strings.Join(g.Contexts, "+"), dashes(g.Recommendation.Name)}, "/")
		g.ID = base
		for n := 2; seen[g.ID]; n++ {
			g.ID = fmt.Sprintf("%s~%d", base, n)
		}
		seen[g.ID] = true
	}
	return out
}

// anchor is the table a finding hangs on in its group: the referenced
// table of a foreign key or an inferred reference, else the table (or
// view) its first object names, or the table its first object belongs to.
func anchor(f *Finding) (schema.TableName, bool) {
	switch f.Kind {
	case KindCycle:
		return schema.TableName{}, false
	case KindForeignKey, KindInferred:
		return lastTable(f)
	}
	if len(f.Objects) == 0 {
		return schema.TableName{}, false
	}
	o := f.Objects[0]
	return schema.TableName{Schema: o.Schema, Name: cmp.Or(o.Table, o.Name)}, true
}

// lastTable is the last object of type table: a foreign key's referenced
// table.
func lastTable(f *Finding) (schema.TableName, bool) {
	for i := len(f.Objects) - 1; i >= 0; i-- {
		if o := f.Objects[i]; o.Type == "table" {
			return schema.TableName{Schema: o.Schema, Name: o.Name}, true
		}
	}
	return schema.TableName{}, false
}

// kindNouns names the findings of each kind in a group's title: one, many.
var kindNouns = map[Kind][2]string{
	KindForeignKey:    {"foreign key", "foreign keys"},
	KindInferred:      {"reference no foreign key declares", "references no foreign key declares"},
	KindStaticData:    {"table of static reference data", "tables of static reference data"},
	KindSharedTable:   {"shared table", "shared tables"},
	KindSharedMutable: {"table written by several contexts", "tables written by several contexts"},
	KindView:          {"view", "views"},
	KindTrigger:       {"table's triggers", "tables' triggers"},
	KindUnassigned:    {"table in no context", "tables in no context"},
	KindCycle:         {"dependency cycle", "dependency cycles"},
	// The kinds the usage adds.
	KindCrossQuery:       {"statement joining contexts", "statements joining contexts"},
	KindCrossTransaction: {"unit of work writing several contexts", "units of work writing several contexts"},
	KindUnused:           {"unused table", "unused tables"},
	KindImpliedCoupling:  {"pair of tables used together without a foreign key", "pairs of tables used together without a foreign key"},
}

// groupTitle is the title of its only finding for a group of one; else the
// count, what, and among which contexts.
func groupTitle(g *Group, only string) string {
	if g.Count == 1 {
		return only
	}
	noun, ok := kindNouns[g.Kind]
	if !ok {
		noun = [2]string{string(g.Kind) + " finding", string(g.Kind) + " findings"}
	}
	what := plural(g.Count, noun[0], noun[1])
	switch len(g.Contexts) {
	case 0:
		return what
	case 1:
		if g.Kind == KindUnassigned {
			return fmt.Sprintf("%s, most tied to %s", what, g.Contexts[0])
		}
		return fmt.Sprintf("%s in %s", what, g.Contexts[0])
	case 2:
		return fmt.Sprintf("%s between %s and %s", what, g.Contexts[0], g.Contexts[1])
	}
	return fmt.Sprintf("%s among %s and %s", what, strings.Join(g.Contexts[:len(g.Contexts)-1], ", "), g.Contexts[len(g.Contexts)-1])
}

// dashes writes a recommendation's name as its lower-case words (letters
// and digits) joined by dashes: "check-before-delete-through-an-api".
func dashes(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), "-")
}
