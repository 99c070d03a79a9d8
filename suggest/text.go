package suggest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/seamsdev/seams/internal/termsafe"
	"github.com/seamsdev/seams/schema"
)

// Encode writes the suggestion as indented JSON (docs/suggest-format.md).
func (r *Result) Encode(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("encode suggestion: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// WriteText writes the suggestion for a terminal: the contexts with why,
// the static data, the isolated tables and, with a given map, the
// comparison, the homes proposed and the misplaced tables.
func (r *Result) WriteText(w io.Writer) error {
	var b strings.Builder
	q := termsafe.String
	fmt.Fprintf(&b, "seams suggest for %s: %s, %s, %s, %s\n", q(r.Database), count(r.Tables, "table", "tables"),
		count(len(r.Contexts), "context", "contexts"), count(len(r.Static), "static table", "static tables"),
		count(len(r.Isolated), "isolated table", "isolated tables"))
	fmt.Fprintf(&b, "modularity %.2f, %d of %d couplings cross contexts (resolution %.3g)\n",
		r.Suggested.Modularity, r.Suggested.Crossing, r.Suggested.Crossing+r.Suggested.Inside, r.Resolution)
	for _, x := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", q(x))
	}
	b.WriteString("\nCONTEXTS\n")
	for _, c := range r.Contexts {
		fmt.Fprintf(&b, "  %-20s %s, %d inside, %d crossing, cohesion %.2f, central %s\n", q(c.Name),
			count(len(c.Tables), "table", "tables"), c.Inside, c.Crossing, c.Cohesion, q(c.Central.Name))
		fmt.Fprintf(&b, "    %s\n", names(c.Tables))
		for _, sh := range c.Shared {
			fmt.Fprintf(&b, "    also %s (in %s: %.0f%% of its coupling comes here)\n", q(sh.Table.String()), q(sh.Owner), 100*sh.Share)
		}
	}
	if len(r.Static) > 0 {
		b.WriteString("\nSTATIC\n")
		for _, s := range r.Static {
			fmt.Fprintf(&b, "  %-20s %s\n", q(s.Table.String()), q(s.Why))
		}
	}
	if len(r.Isolated) > 0 {
		b.WriteString("\nISOLATED (no coupling: assign by hand or ignore)\n")
		fmt.Fprintf(&b, "  %s\n", names(r.Isolated))
	}
	if g := r.Given; g != nil {
		b.WriteString("\nTHE GIVEN MAP\n")
		fmt.Fprintf(&b, "  %-20s %8s %10s\n", "", "given", "suggested")
		fmt.Fprintf(&b, "  %-20s %8d %10d\n", "contexts", g.Contexts, r.Suggested.Contexts)
		fmt.Fprintf(&b, "  %-20s %8.2f %10.2f\n", "modularity", g.Modularity, r.Suggested.Modularity)
		fmt.Fprintf(&b, "  %-20s %8d %10d\n", "crossing couplings", g.Crossing, r.Suggested.Crossing)
		fmt.Fprintf(&b, "  %-20s %8d %10d\n", "couplings inside", g.Inside, r.Suggested.Inside)
		fmt.Fprintf(&b, "  agreement (adjusted Rand index): %.2f\n", g.Agreement)
		for _, p := range g.Unassigned {
			if p.Context == "" {
				fmt.Fprintf(&b, "  unassigned %s: nothing ties it to a context\n", q(p.Table.String()))
				continue
			}
			fmt.Fprintf(&b, "  unassigned %s: home %s (%s)\n", q(p.Table.String()), q(p.Context), q(p.Couplings))
		}
		for _, m := range g.Misplaced {
			fmt.Fprintf(&b, "  misplaced %s (in %s): %.0f%% of its coupling goes to %s (%s)\n", q(m.Table.String()), q(m.Context),
				100*m.Share, q(m.Goes), q(m.Couplings))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func names(ns []schema.TableName) string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = termsafe.String(n.String())
	}
	return strings.Join(out, ", ")
}
