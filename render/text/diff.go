package text

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/snapdiff"
)

// WriteDiff writes what changed between two snapshots (seams diff): the
// schema's changes, and with a contexts map the coupling that appeared and
// disappeared and each context's couplings before and after.
func WriteDiff(w io.Writer, d *snapdiff.Diff) error {
	bw := bufio.NewWriter(w)
	o := &out{w: bw}
	o.wrap("seams diff: ", 2, source(d.Old)+" -> "+source(d.New))
	o.line("")
	if d.Empty() {
		o.line("SCHEMA: no change")
	} else {
		o.wrap("SCHEMA: ", 2, d.Summary())
	}
	for _, s := range d.Schemas {
		o.wrap("  "+mark(s.Change)+" schema ", 4, clean(s.Name))
	}
	for _, t := range d.Tables {
		o.wrap("  "+mark(t.Change)+" ", 4, clean(t.TableName().String()))
		for _, it := range t.Items {
			det := ""
			if len(it.Details) > 0 {
				det = ": " + strings.Join(it.Details, "; ")
			}
			o.wrap("      "+mark(it.Change)+" ", 8, strings.ReplaceAll(it.Kind, "_", " ")+" "+clean(it.Name+det))
		}
	}
	for _, v := range d.Views {
		o.wrap("  "+mark(v.Change)+" view ", 4, clean(v.Schema+"."+v.Name+details(v.Details)))
	}
	for _, tr := range d.Triggers {
		o.wrap("  "+mark(tr.Change)+" trigger ", 4, clean(tr.Name+" on "+tr.Schema+"."+tr.Table+details(tr.Details)))
	}
	if c := d.Coupling; c != nil {
		o.line("")
		head := fmt.Sprintf("COUPLING: %d appeared, %d disappeared", len(c.Appeared), len(c.Disappeared))
		if d.Regression() {
			head += "  REGRESSION"
		}
		o.line("%s", head)
		for _, f := range c.Appeared {
			o.wrap(fmt.Sprintf("  + %-6s ", f.Severity), 11, clean(f.Title)+" ["+string(f.Kind)+"]")
		}
		for _, f := range c.Disappeared {
			o.wrap("  - ", 4, clean(f.Title)+" ["+string(f.Kind)+"]")
		}
		if len(c.Pairs) > 0 {
			o.line("")
			o.line("BETWEEN CONTEXTS (crossing couplings before -> after)")
			for _, p := range c.Pairs {
				o.wrap(fmt.Sprintf("  %s and %s: %d -> %d", short(p.A, 30), short(p.B, 30), p.Before, p.After), 4, "")
				for _, k := range p.Appeared {
					o.wrap("    + ", 6, clean(k))
				}
				for _, k := range p.Disappeared {
					o.wrap("    - ", 6, clean(k))
				}
			}
		}
		o.line("")
		o.line("CONTEXTS (couplings inside / crossing, share inside; before -> after)")
		nameW := 0
		for _, x := range c.Contexts {
			nameW = max(nameW, width(short(x.Name, 30)))
		}
		for _, x := range c.Contexts {
			o.line("  %s  %-18s -> %s", pad(short(x.Name, 30), nameW), measure(x.Before), measure(x.After))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

func source(s schema.Source) string {
	db := clean(s.Database)
	if db == "" {
		db = "database"
	}
	out := db + " (" + clean(string(s.Engine))
	if !s.CapturedAt.IsZero() {
		out += ", " + s.CapturedAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	return out + ")"
}

func mark(c snapdiff.Change) string {
	switch c {
	case snapdiff.Added:
		return "+"
	case snapdiff.Removed:
		return "-"
	case snapdiff.Renamed:
		return ">"
	}
	return "~"
}

func details(ds []string) string {
	if len(ds) == 0 {
		return ""
	}
	return ": " + strings.Join(ds, "; ")
}

func measure(m *snapdiff.Measure) string {
	if m == nil {
		return "(no context)"
	}
	s := fmt.Sprintf("%d / %d", m.Inside, m.Crossing)
	if m.Score != nil {
		s += fmt.Sprintf("  %3.0f%%", *m.Score*100)
	}
	return s
}
