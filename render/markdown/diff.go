package markdown

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/seamsdev/seams/snapdiff"
)

// WriteDiff writes what changed between two snapshots (seams diff) as
// Markdown: the schema's changes as a list, and with a contexts map the
// coupling that appeared and disappeared and a table of each context's
// couplings before and after.
func WriteDiff(w io.Writer, d *snapdiff.Diff) error {
	bw := bufio.NewWriter(w)
	m := &md{w: bw}
	title := "Schema changes"
	if d.Regression() {
		title += ": ❌ new coupling between contexts"
	}
	m.p("### %s", title)
	m.p("")
	m.p("From %s (%s) to %s (%s).", esc(orDatabase(d.Old.Database)), esc(captured(d.Old.CapturedAt.IsZero(), d.Old.CapturedAt.UTC().Format("2006-01-02 15:04 UTC"))),
		esc(orDatabase(d.New.Database)), esc(captured(d.New.CapturedAt.IsZero(), d.New.CapturedAt.UTC().Format("2006-01-02 15:04 UTC"))))
	m.p("")
	if d.Empty() {
		m.p("No change to the schema.")
		m.p("")
	} else {
		m.p("%s.", esc(d.Summary()))
		m.p("")
	}
	for _, s := range d.Schemas {
		m.p("- %s schema %s", s.Change, code(s.Name))
	}
	for _, t := range d.Tables {
		m.p("- %s table %s", t.Change, code(t.TableName().String()))
		for _, it := range t.Items {
			m.p("  - %s %s %s%s", it.Change, strings.ReplaceAll(it.Kind, "_", " "), code(it.Name), detailText(it.Details))
		}
	}
	for _, v := range d.Views {
		m.p("- %s view %s%s", v.Change, code(v.Schema+"."+v.Name), detailText(v.Details))
	}
	for _, tr := range d.Triggers {
		m.p("- %s trigger %s on %s%s", tr.Change, code(tr.Name), code(tr.Schema+"."+tr.Table), detailText(tr.Details))
	}
	if len(d.Schemas)+len(d.Tables)+len(d.Views)+len(d.Triggers) > 0 {
		m.p("")
	}
	if c := d.Coupling; c != nil {
		m.p("#### Coupling between contexts: %d appeared, %d disappeared", len(c.Appeared), len(c.Disappeared))
		m.p("")
		for _, f := range c.Appeared {
			m.p("- ➕ %s (%s)", esc(f.Title), esc(string(f.Severity)))
		}
		for _, f := range c.Disappeared {
			m.p("- ➖ %s", esc(f.Title))
		}
		if len(c.Appeared)+len(c.Disappeared) > 0 {
			m.p("")
		}
		m.p("| context | inside before | crossing before | share inside before | inside after | crossing after | share inside after |")
		m.p("|---|---:|---:|---:|---:|---:|---:|")
		for _, x := range c.Contexts {
			m.p("| %s | %s | %s |", esc(x.Name), cells(x.Before), cells(x.After))
		}
		m.p("")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}

func orDatabase(db string) string {
	if db == "" {
		return "the database"
	}
	return db
}

func captured(zero bool, when string) string {
	if zero {
		return "time unknown"
	}
	return when
}

func detailText(ds []string) string {
	if len(ds) == 0 {
		return ""
	}
	return ": " + esc(strings.Join(ds, "; "))
}

// cells writes a context's inside, crossing and share cells.
func cells(m *snapdiff.Measure) string {
	if m == nil {
		return "– | – | –"
	}
	share := "–"
	if m.Score != nil {
		share = fmt.Sprintf("%.0f%%", *m.Score*100)
	}
	return fmt.Sprintf("%d | %d | %s", m.Inside, m.Crossing, share)
}
