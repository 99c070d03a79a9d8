package plan

import (
	"fmt"

	"github.com/seamsdev/seams/schema"
)

// findUnassigned reports tables that no context claims and suggests the
// context each is most tied to by foreign keys.
func (b *builder) findUnassigned() {
	ties := map[schema.TableName]map[string]int{}
	for _, r := range b.own.ForeignKeys() {
		p := b.lk.Root(r.Key.References)
		for _, pair := range [][2]schema.TableName{{r.Root, p}, {p, r.Root}} {
			for _, c := range b.own.Home(pair[1]) {
				if ties[pair[0]] == nil {
					ties[pair[0]] = map[string]int{}
				}
				ties[pair[0]][c]++
			}
		}
	}
	for _, t := range b.own.Roots() {
		n := t.TableName()
		if len(b.own.Claims(n)) > 0 || b.own.IsStatic(n) || b.a.Static[n] || b.a.Ignored[n] {
			continue
		}
		best, bestN := "", 0
		for _, c := range b.own.Contexts() {
			if k := ties[n][c]; k > bestN {
				best, bestN = c, k
			}
		}
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
		if best != "" {
			f.Contexts = []string{best}
			f.Evidence = append(f.Evidence, fmt.Sprintf("%s to %s tables", plural(bestN, "foreign key", "foreign keys"), possessive(best)))
			f.Recommendation.Name = "Assign it to " + best
			f.Recommendation.Description = fmt.Sprintf("List %s under %s in the contexts map: it is most tied to %s by foreign keys.", n.Name, best, best)
		}
		b.findings = append(b.findings, f)
	}
}
