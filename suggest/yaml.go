package suggest

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/internal/termsafe"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
	"gopkg.in/yaml.v3"
)

// YAML returns the suggestion as a contexts map that `seams plan` reads
// as it is: each context with a comment saying why (its tables, the
// couplings inside it and crossing, its cohesion), a table that is shared
// listed under both contexts (access: readwrite in its home, access: read
// in the other), static reference data under static:, the
// given map's ignore: and relations: carried over, and the isolated
// tables in a closing comment.
func (r *Result) YAML() ([]byte, error) {
	root := &yaml.Node{Kind: yaml.MappingNode}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}, HeadComment: r.header()}
	add := func(parent *yaml.Node, key string, val *yaml.Node) *yaml.Node {
		k := scalar(key)
		parent.Content = append(parent.Content, k, val)
		return k
	}
	add(root, "version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: "1"})
	ctxs := &yaml.Node{Kind: yaml.MappingNode}
	add(root, "contexts", ctxs)
	shared := map[schema.TableName]bool{}
	for _, c := range r.Contexts {
		for _, sh := range c.Shared {
			shared[sh.Table] = true
		}
	}
	// A shared table's home declares it writes it and the others that they
	// read it: the plan then gives it to its home, whose API the others use.
	access := func(n schema.TableName, a contexts.Access) *yaml.Node {
		val := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		val.Content = []*yaml.Node{scalar("access"), scalar(string(a))}
		return &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar(r.pattern(n)), val}}
	}
	for _, c := range r.Contexts {
		tables := &yaml.Node{Kind: yaml.SequenceNode}
		for _, n := range c.Tables {
			if shared[n] {
				tables.Content = append(tables.Content, access(n, contexts.AccessReadWrite))
				continue
			}
			tables.Content = append(tables.Content, scalar(r.pattern(n)))
		}
		for _, sh := range c.Shared {
			item := access(sh.Table, contexts.AccessRead)
			item.Content[1].LineComment = comment(fmt.Sprintf("shared with %s, its home: %.0f%% of its coupling to contexts comes here", sh.Owner, 100*sh.Share))
			tables.Content = append(tables.Content, item)
		}
		body := &yaml.Node{Kind: yaml.MappingNode}
		add(body, "tables", tables)
		add(ctxs, c.Name, body).HeadComment = r.why(c)
	}
	if len(r.Static) > 0 {
		st := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range r.Static {
			item := scalar(r.pattern(s.Table))
			item.LineComment = comment(s.Why)
			st.Content = append(st.Content, item)
		}
		add(root, "static", st)
	}
	if len(r.Ignored) > 0 {
		ig := &yaml.Node{Kind: yaml.SequenceNode}
		for _, n := range r.Ignored {
			ig.Content = append(ig.Content, scalar(r.pattern(n)))
		}
		add(root, "ignore", ig).HeadComment = "carried over from the given map"
	}
	if len(r.relations) > 0 {
		rel := &yaml.Node{Kind: yaml.MappingNode}
		for _, kind := range []contexts.RelationKind{contexts.Confirm, contexts.Deny, contexts.Declare} {
			seq := &yaml.Node{Kind: yaml.SequenceNode}
			for _, x := range r.relations {
				if x.Kind == kind {
					seq.Content = append(seq.Content, scalar(x.Text))
				}
			}
			if len(seq.Content) > 0 {
				add(rel, string(kind), seq)
			}
		}
		add(root, "relations", rel).HeadComment = "carried over from the given map"
	}
	if len(r.Isolated) > 0 {
		var b strings.Builder
		b.WriteString("Isolated: no coupling ties these tables to another table; assign them by hand or list them under ignore:")
		for _, n := range r.Isolated {
			b.WriteString("\n  - " + termsafe.String(r.pattern(n)))
		}
		doc.FootComment = b.String()
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("suggest: write the map: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("suggest: write the map: %w", err)
	}
	return buf.Bytes(), nil
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

// comment makes text from the database safe in a YAML comment: one line,
// control characters escaped.
func comment(s string) string { return termsafe.String(s) }

// pattern returns the map entry naming table n alone: its name when no
// other table has it, else schema.name; glob characters escaped.
func (r *Result) pattern(n schema.TableName) string {
	p := n.Name
	if r.bare[n.Name] > 1 || strings.Contains(n.Name, ".") {
		p = n.Schema + "." + n.Name
	}
	var b strings.Builder
	for _, c := range p {
		if strings.ContainsRune(`*?[\`, c) {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// header is the map's opening comment.
func (r *Result) header() string {
	lines := []string{
		fmt.Sprintf("Contexts suggested by seams for %s: %s, %s, %s, %s.", comment(r.Database),
			count(r.Tables, "table", "tables"), count(len(r.Contexts), "context", "contexts"),
			count(len(r.Static), "static table", "static tables"), count(len(r.Isolated), "isolated table", "isolated tables")),
		fmt.Sprintf("Modularity %.2f; %d of %d couplings cross contexts (resolution %.3g).",
			r.Suggested.Modularity, r.Suggested.Crossing, r.Suggested.Crossing+r.Suggested.Inside, r.Resolution),
	}
	if g := r.Given; g != nil {
		lines = append(lines, fmt.Sprintf("The given map: modularity %.2f, %d of %d couplings cross contexts; agreement with this one %.2f (adjusted Rand index).",
			g.Modularity, g.Crossing, g.Crossing+g.Inside, g.Agreement))
	}
	lines = append(lines, "Edit it: rename the contexts, move tables, add description:, owner:, roles: and code:; then seams plan --contexts FILE.")
	return strings.Join(lines, "\n")
}

// why is a context's comment, its names made safe.
func (r *Result) why(c Context) string {
	var by string
	switch c.NamedBy {
	case "hub":
		by = fmt.Sprintf("a hub: %s is coupled to tables all over the schema", comment(c.Central.Name))
	case "word":
		by = fmt.Sprintf("named after the word most of its tables share; central table %s", comment(c.Central.Name))
	default:
		by = fmt.Sprintf("named after its central table %s", comment(c.Central.Name))
	}
	var ns []string
	for _, n := range c.Neighbours {
		ns = append(ns, fmt.Sprintf("%s %d", comment(n.Context), n.Couplings))
	}
	cross := fmt.Sprintf("%d crossing", c.Crossing)
	if len(ns) > 0 {
		cross += " (" + strings.Join(ns, ", ") + ")"
	}
	return fmt.Sprintf("%s, %s.\n%d couplings inside, %s; cohesion %.2f.", count(len(c.Tables), "table", "tables"), by, c.Inside, cross, c.Cohesion)
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// resolve reads the map back as `seams plan` would, checks that it says
// what the suggestion says, and analyses the snapshot under it.
func (r *Result) resolve(m *ownership.Model, opts analysis.Options) error {
	data, err := r.YAML()
	if err != nil {
		return err
	}
	mp, err := contexts.Parse("suggested map", data)
	if err != nil {
		return fmt.Errorf("suggest: the map written does not read back: %w", err)
	}
	a, err := contexts.Resolve(mp, m.Snapshot())
	if err != nil {
		return fmt.Errorf("suggest: the map written does not read back: %w", err)
	}
	if len(a.Warnings) > 0 {
		return fmt.Errorf("suggest: the map written does not read back: %v", a.Warnings[0])
	}
	for _, c := range r.Contexts {
		for _, n := range c.Tables {
			if !slices.Contains(a.ContextsOf(n), c.Name) {
				return fmt.Errorf("suggest: the map written does not put %s in %s", n, c.Name)
			}
		}
	}
	for _, s := range r.Static {
		if !a.IsStatic(s.Table) {
			return fmt.Errorf("suggest: the map written does not list %s under static:", s.Table)
		}
	}
	an, err := analysis.Run(m.Snapshot(), a, opts)
	if err != nil {
		return err
	}
	r.analysis = an
	return nil
}
