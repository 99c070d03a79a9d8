package markdown

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/seamsdev/seams/check"
)

// Lists longer than these are cut in a check's summary, with a line that
// says how many more there are: a pull-request comment stays short.
const (
	MaxNewRows   = 30
	MaxFixedRows = 15
)

// WriteCheck writes the result of `seams check` as a short Markdown
// summary for a pull-request comment or a job summary: the verdict, the
// new findings and exceeded budgets, and the progress since the baseline.
func WriteCheck(w io.Writer, r *check.Result) error {
	bw := bufio.NewWriter(w)
	m := &md{w: bw}
	mark := "✅ passed"
	if !r.Passed {
		mark = "❌ failed"
	}
	m.p("### seams check %s: %s", mark, esc(r.Summary()))
	m.p("")
	if r.BaselineFile != "" {
		m.p("Baseline %s: %d findings accepted and still there, %d fixed since it was written.", code(r.BaselineFile), len(r.Known)+len(r.Moved), len(r.Fixed))
	} else {
		m.p("No baseline: every finding counts as new.")
	}
	m.p("")
	if len(r.New) > 0 {
		m.p("#### New findings")
		m.p("")
		m.p("| severity | finding | where |")
		m.p("|---|---|---|")
		for i, it := range r.New {
			if i == MaxNewRows {
				m.p("")
				m.p("… and %d more: see the job's log.", len(r.New)-MaxNewRows)
				break
			}
			where := ""
			if len(it.Locations) > 0 {
				where = cellCode(it.Locations[0].String())
			}
			m.p("| %s | %s <br>%s | %s |", it.Severity, esc(it.Title), cellCode(it.Key), where)
		}
		m.p("")
		m.p("Remove the coupling, or accept it: `seams check --update-baseline --accept` adds it to the baseline for review.")
		m.p("")
	}
	if ex := r.Exceeded(); len(ex) > 0 {
		m.p("#### Budgets exceeded")
		m.p("")
		m.p("| budget | crossing couplings | at most |")
		m.p("|---|---:|---:|")
		for _, b := range ex {
			m.p("| %s | %d | %d |", esc(b.Name()), b.Crossing, b.Max)
		}
		m.p("")
	}
	if len(r.Fixed) > 0 {
		m.p("#### Fixed since the baseline")
		m.p("")
		for i, e := range r.Fixed {
			if i == MaxFixedRows {
				m.p("- … and %d more", len(r.Fixed)-MaxFixedRows)
				break
			}
			m.p("- %s", esc(e.Title))
		}
		m.p("")
		m.p("`seams check --update-baseline` removes them from the baseline.")
		m.p("")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write check: %w", err)
	}
	return nil
}

// cellCode writes s as inline code inside a table cell, where a pipe must
// be escaped even in code.
func cellCode(s string) string { return strings.ReplaceAll(code(s), "|", `\|`) }
