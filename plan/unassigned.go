package plan

import (
	"fmt"
	"strings"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/tablegraph"
)

// findUnassigned reports tables that no context claims and proposes the
// context each is most tied to by its couplings: foreign keys, references
// no foreign key declares, views, triggers, statements, units of work and
// the hints of package tablegraph (see tablegraph.Graph.Home).
func (b *builder) findUnassigned() {
	var g *tablegraph.Graph
	for _, t := range b.own.Roots() {
		n := t.TableName()
		if len(b.own.Claims(n)) > 0 || b.own.IsStatic(n) || b.a.Static[n] || b.a.Ignored[n] {
			continue
		}
		if g == nil {
			g = tablegraph.New(b.own, tablegraph.Options{InferThreshold: b.threshold()})
		}
		ties := g.Home(b.own, n)
		f := Finding{
			ID: id("unassigned", n), Key: tableKey("unassigned", n), Kind: KindUnassigned, Severity: Info,
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
		for i, t := range ties {
			if i == 3 {
				f.Evidence = append(f.Evidence, fmt.Sprintf("tied to %s more", plural(len(ties)-3, "other context", "other contexts")))
				break
			}
			f.Evidence = append(f.Evidence, fmt.Sprintf("tied to %s by %s (%s; weight %.2f)", t.Group, t.Couplings(), tableList(t.Tables), t.Weight))
		}
		if len(ties) > 0 {
			best := ties[0].Group
			f.Contexts = []string{best}
			f.Recommendation.Name = "Assign it to " + best
			f.Recommendation.Description = fmt.Sprintf("List %s under %s in the contexts map: its couplings tie it to %s most (%s).", n.Name, best, best, ties[0].Couplings())
		}
		b.findings = append(b.findings, f)
	}
}

// tableList names up to three tables, and how many more.
func tableList(ns []schema.TableName) string {
	var out []string
	for i, n := range ns {
		if i == 3 {
			out = append(out, fmt.Sprintf("%d more", len(ns)-3))
			break
		}
		out = append(out, n.Name)
	}
	return strings.Join(out, ", ")
}
