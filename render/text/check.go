package text

import (
	"bufio"
	"fmt"
	"io"

	"github.com/seamsdev/seams/check"
)

// WriteCheck writes the result of `seams check` for a terminal or a CI
// log: the verdict, every new finding with where to look, the budgets,
// and the progress made since the baseline.
func WriteCheck(w io.Writer, r *check.Result) error {
	bw := bufio.NewWriter(w)
	o := &out{w: bw}
	verdict := "PASSED"
	if !r.Passed {
		verdict = "FAILED"
	}
	o.wrap("seams check "+verdict+": ", 2, r.Summary())
	base := "no baseline: every finding is new"
	if r.BaselineFile != "" {
		base = fmt.Sprintf("baseline %s: %d accepted and still there", clean(r.BaselineFile), len(r.Known)+len(r.Moved))
		if len(r.Moved) > 0 {
			base += fmt.Sprintf(" (%d under a new key)", len(r.Moved))
		}
		base += fmt.Sprintf(", %d fixed", len(r.Fixed))
	}
	o.wrap("", 2, base)
	if len(r.New) > 0 {
		o.line("")
		o.line("NEW (not in the baseline: remove the coupling, or accept it with --update-baseline --accept)")
		for _, it := range r.New {
			o.wrap(fmt.Sprintf("  %-6s ", it.Severity), 9, clean(it.Title)+" ["+string(it.Kind)+"]")
			o.line("         key %s", clean(it.Key)) // whole, to copy: never wrapped
			if len(it.Locations) > 0 {
				l := it.Locations[0]
				o.wrap("         at ", 12, clean(l.String())+" ("+clean(l.What)+")")
			}
		}
	}
	if len(r.Budgets) > 0 {
		o.line("")
		o.line("BUDGETS (crossing couplings, at most)")
		nameW := 0
		for _, b := range r.Budgets {
			nameW = max(nameW, width(short(b.Name(), 40)))
		}
		for _, b := range r.Budgets {
			state := "ok"
			if b.Exceeded {
				state = "EXCEEDED"
			}
			at := ""
			if b.Location != nil {
				at = "  " + clean(b.Location.String())
			}
			o.line("  %s  %4d of %-4d %-8s%s", pad(short(b.Name(), 40), nameW), b.Crossing, b.Max, state, at)
		}
	}
	if len(r.Moved) > 0 {
		o.line("")
		o.line("MOVED (accepted under another key, the tables now in other schemas; --update-baseline records it)")
		for _, m := range r.Moved {
			o.line("  %s", clean(m.Key))
			o.wrap("    was ", 8, clean(m.From))
		}
	}
	if len(r.Fixed) > 0 {
		o.line("")
		o.line("FIXED since the baseline (progress; --update-baseline removes them from it)")
		for _, e := range r.Fixed {
			o.wrap("  ", 4, clean(e.Title)+" ["+string(e.Kind)+"]")
			o.wrap("    key ", 8, clean(e.Key))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write check: %w", err)
	}
	return nil
}
