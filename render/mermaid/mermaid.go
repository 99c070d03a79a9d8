// Package mermaid writes a table diagram (one context or the neighbourhood
// of a table, as chosen by package render/dot) as a Mermaid erDiagram, for
// pasting into Markdown.
//
// Mermaid's identifiers are restrictive, so every table gets a safe alias
// (t1, t2, ...) and its real name goes into a quoted label; column names and
// types that Mermaid cannot take are replaced and the real ones kept in the
// attribute's comment. Text in quotes is escaped with Mermaid's entity
// codes (#quot;, #35;...). Output stays under Mermaid's default
// maxTextSize: a diagram that would be larger is written in compact form
// (no columns) or not at all.
//
// An erDiagram has entities and relationships only, and a view is neither:
// drawing it as an entity would claim it holds data. The views of a context
// diagram (diagram.Graph.Views) are therefore listed in %% comment lines, with
// the tables they read and whether they cross contexts; the DOT, SVG and
// PNG diagrams draw them.
package mermaid

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/schema"
)

// MaxTextSize is Mermaid's default maxTextSize: the longest diagram text it
// renders.
const MaxTextSize = 50000

// Write writes g as an erDiagram. It returns an error wrapping
// diagram.ErrTooLarge when g is over the table budget or its text would exceed
// MaxTextSize even in compact form.
func Write(w io.Writer, g *diagram.Graph) error {
	if g.Mode == diagram.TooLarge {
		return fmt.Errorf("mermaid %s: %d tables: %w", g.Title, g.Tables, diagram.ErrTooLarge)
	}
	var b bytes.Buffer
	write(&b, g, g.Mode == diagram.Compact)
	if b.Len() > MaxTextSize && g.Mode == diagram.Full {
		b.Reset()
		write(&b, g, true)
	}
	if b.Len() > MaxTextSize {
		return fmt.Errorf("mermaid %s: %d characters, over Mermaid's limit of %d: %w", g.Title, b.Len(), MaxTextSize, diagram.ErrTooLarge)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func write(b *bytes.Buffer, g *diagram.Graph, compact bool) {
	b.WriteString("erDiagram\n")
	fmt.Fprintf(b, "    %%%% %s, drawn by seams\n", comment(g.Title))
	b.WriteString("    %% legend: entities labelled (ghost: C) are tables of another context C;\n")
	if diagram.HasInferred(g.Edges) {
		b.WriteString("    %% relationships labelled (crossing) cross a context boundary; dotted ones are inferred, not declared, labelled with their score\n")
	} else {
		b.WriteString("    %% relationships labelled (crossing) cross a context boundary\n")
	}
	// A ghost that only a view reads (no relationship here) is left out:
	// the views are not drawn, so it would stand alone.
	related := map[schema.TableName]bool{}
	for _, e := range g.Edges {
		related[e.From], related[e.To] = true, true
	}
	shown := func(n diagram.Node) bool { return !n.Ghost || related[n.Name()] }
	alias := map[schema.TableName]string{}
	for _, c := range g.Clusters {
		for _, n := range c.Nodes {
			if shown(n) {
				alias[n.Name()] = fmt.Sprintf("t%d", len(alias)+1)
			}
		}
	}
	for _, c := range g.Clusters {
		if !slices.ContainsFunc(c.Nodes, shown) {
			continue
		}
		fmt.Fprintf(b, "    %%%% context %s\n", comment(c.Context))
		for _, n := range c.Nodes {
			if !shown(n) {
				continue
			}
			label := n.Name().String()
			if n.Ghost {
				label += " (ghost: " + c.Context + ")"
			}
			fmt.Fprintf(b, "    %s[%s]", alias[n.Name()], quote(label))
			if compact || n.Ghost {
				b.WriteString("\n")
				continue
			}
			b.WriteString(" {\n")
			attributes(b, n.Table)
			b.WriteString("    }\n")
		}
	}
	if len(g.Views) > 0 {
		b.WriteString("    %% views that read these tables (not drawn: erDiagram has no view shape):\n")
	}
	for _, v := range g.Views {
		kind := "view"
		if v.View.Materialized {
			kind = "materialized view"
		}
		var reads []string
		for _, e := range g.ViewEdges {
			if e.View == v.Name() {
				reads = append(reads, e.Reads.String())
			}
		}
		line := kind + " " + v.Name().String() + " reads " + strings.Join(reads, ", ")
		if v.CrossContext {
			line += " (cross-context: " + strings.Join(v.Contexts, ", ") + ")"
		}
		fmt.Fprintf(b, "    %%%% %s\n", comment(line))
	}
	for _, e := range g.Edges {
		parent := "||"
		if e.Nullable {
			parent = "|o"
		}
		line := "--"
		if e.Inferred {
			line = ".."
		}
		label := e.Name
		if e.Crossing {
			label += " (crossing)"
		}
		fmt.Fprintf(b, "    %s %s%so{ %s : %s\n", alias[e.To], parent, line, alias[e.From], quote(label))
	}
}

// keyList is an attribute's Mermaid key list: PK, FK and UK, comma
// separated. UK marks only a column that is unique by itself: a column of
// a composite unique constraint is not a unique key of the entity.
func keyList(k schema.ColumnKeys) string {
	var l []string
	if k.Primary {
		l = append(l, "PK")
	}
	if k.Foreign {
		l = append(l, "FK")
	}
	if k.UniqueAlone {
		l = append(l, "UK")
	}
	return strings.Join(l, ", ")
}

func attributes(b *bytes.Buffer, t *schema.Table) {
	keys := t.ColumnKeys()
	for i, c := range t.Columns {
		typ, typOK := word(c.Type, "type")
		name, nameOK := word(c.Name, fmt.Sprintf("col%d", i+1))
		fmt.Fprintf(b, "        %s %s", typ, name)
		if k := keyList(keys[c.Name]); k != "" {
			b.WriteString(" " + k)
		}
		var note []string
		if !nameOK || !typOK {
			note = append(note, c.Name+" "+c.Type)
		}
		if !c.Nullable {
			note = append(note, "not null")
		}
		if c.Comment != "" {
			note = append(note, c.Comment)
		}
		if len(note) > 0 {
			b.WriteString(" " + quote(strings.Join(note, "; ")))
		}
		b.WriteString("\n")
	}
}

// word returns s as a Mermaid attribute word ([A-Za-z_][A-Za-z0-9_()[\]-]*):
// s itself when it is one, else s with every other character replaced by _
// (or fallback when nothing is left), and whether s was kept.
func word(s, fallback string) (string, bool) {
	var b strings.Builder
	ok := s != ""
	for i, r := range s {
		switch {
		case r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
			b.WriteRune(r)
		case i > 0 && ((r >= '0' && r <= '9') || r == '-' || r == '(' || r == ')' || r == '[' || r == ']'):
			b.WriteRune(r)
		default:
			ok = false
			b.WriteByte('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" || (out[0] >= '0' && out[0] <= '9') || out[0] == '-' || out[0] == '(' || out[0] == ')' || out[0] == '[' || out[0] == ']' {
		return fallback, false
	}
	if !ok {
		return out, false
	}
	return s, true
}

// quote returns s in double quotes. Characters that Mermaid's lexer may read
// as syntax even inside quotes (| { } [ ] < > " # % \ ` ~ ^) are written as
// Mermaid entity codes (#124; ...), which it decodes when it draws; line
// breaks and control characters become visible symbols.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString("#quot;")
		case r == '<':
			b.WriteString("#lt;")
		case r == '>':
			b.WriteString("#gt;")
		case strings.ContainsRune("|{}[]#%\\`~^", r):
			fmt.Fprintf(&b, "#%d;", r)
		case r == '\n':
			b.WriteString("#9252;")
		case r < 0x20 || r == 0x7f:
			b.WriteString("#65533;")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// comment makes s safe for a %% comment line: no line break, and nothing
// that could open a directive.
func comment(s string) string {
	q := quote(s)
	return strings.ReplaceAll(q[1:len(q)-1], "%", "#37;")
}
