package site

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/seamsdev/seams/render/chart"
	"github.com/seamsdev/seams/snapdiff"
)

// historyPage is what the history page shows.
type historyPage struct {
	Chart    template.HTML
	Contexts []string
	Rows     []historyRow
	Changes  []historyChange
}

type historyRow struct {
	Name, Captured string
	// Crossing holds a cell per context: its crossing couplings, or "–"
	// when it was not a context then.
	Crossing []string
}

type historyChange struct {
	From, To    string
	Summary     string
	Tables      []string
	Appeared    []string
	Disappeared []string
	Empty       bool
}

// historyLabel names a snapshot on the chart: its capture date, else its
// name.
func historyLabel(name, captured string) string {
	if captured != "" {
		return captured
	}
	return name
}

func (b *builder) historyPage() error {
	h := b.in.History
	page := historyPage{Contexts: h.Contexts()}
	var labels []string
	for _, p := range h.Points {
		captured := ""
		if !p.Captured.IsZero() {
			captured = p.Captured.UTC().Format("2006-01-02 15:04")
		}
		labels = append(labels, historyLabel(p.Name, captured))
		row := historyRow{Name: p.Name, Captured: captured}
		for _, c := range page.Contexts {
			x, ok := p.Counts.Context(c)
			cell := "–"
			if ok {
				cell = strconv.Itoa(x.Crossing)
			}
			row.Crossing = append(row.Crossing, cell)
		}
		page.Rows = append(page.Rows, row)
	}
	lines := chart.Lines{Title: "Crossing couplings per context over time", XLabels: labels, YLabel: "crossing couplings"}
	for _, c := range page.Contexts {
		counts, present := h.Crossing(c)
		lines.Series = append(lines.Series, chart.Series{Name: c, Values: counts, Present: present})
	}
	page.Chart = template.HTML(lines.SVG()) // the chart escapes every name
	for i := 1; i < len(h.Points); i++ {
		d := h.Points[i].Changes
		ch := historyChange{From: h.Points[i-1].Name, To: h.Points[i].Name, Summary: d.Summary(), Empty: d.Empty()}
		for _, t := range d.Tables {
			ch.Tables = append(ch.Tables, string(t.Change)+" "+t.TableName().String()+tableItems(t))
		}
		if c := d.Coupling; c != nil {
			for _, f := range c.Appeared {
				ch.Appeared = append(ch.Appeared, f.Title)
			}
			for _, f := range c.Disappeared {
				ch.Disappeared = append(ch.Disappeared, f.Title)
			}
		}
		page.Changes = append(page.Changes, ch)
	}
	return b.write("history.html", "history", "History", "", page)
}

// tableItems lists a changed table's parts in a few words.
func tableItems(t snapdiff.TableChange) string {
	if len(t.Items) == 0 {
		return ""
	}
	parts := make([]string, 0, len(t.Items))
	for _, it := range t.Items {
		parts = append(parts, string(it.Change)+" "+strings.ReplaceAll(it.Kind, "_", " ")+" "+it.Name)
	}
	return ": " + strings.Join(parts, ", ")
}
