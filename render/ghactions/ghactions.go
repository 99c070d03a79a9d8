// Package ghactions writes the result of `seams check` as GitHub Actions
// workflow commands: an error annotation (::error file=…,line=…::) for
// each new finding and exceeded budget, at its contexts map entry, and a
// notice for each finding fixed since the baseline. GitHub shows them on
// the pull request's files and in the run's summary.
//
// Every value is escaped as the Actions toolkit escapes it (% \r \n in the
// message; also : and , in properties), so a hostile name cannot end the
// command early or issue another one.
package ghactions

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/seamsdev/seams/check"
)

// Write writes the annotations of a check to w (the step's standard
// output).
func Write(w io.Writer, r *check.Result) error {
	bw := bufio.NewWriter(w)
	for _, it := range r.New {
		msg := fmt.Sprintf("%s (%s severity, not in the baseline). Key: %s", it.Title, it.Severity, it.Key)
		command(bw, "error", first(it.Locations), "seams: new "+string(it.Kind), msg)
	}
	for _, b := range r.Exceeded() {
		msg := fmt.Sprintf("%s: %d crossing couplings, over the budget of %d: %s", b.Name(), b.Crossing, b.Max, strings.Join(b.Keys, ", "))
		command(bw, "error", b.Location, "seams: budget exceeded", msg)
	}
	for _, e := range r.Fixed {
		msg := fmt.Sprintf("fixed since the baseline: %s. Key: %s (seams check --update-baseline removes it)", e.Title, e.Key)
		command(bw, "notice", nil, "seams: fixed "+string(e.Kind), msg)
	}
	for _, m := range r.Moved {
		msg := fmt.Sprintf("%s: accepted by the baseline as %s, its tables now in other schemas (seams check --update-baseline records the new key)", m.Title, m.From)
		command(bw, "notice", first(m.Locations), "seams: moved "+string(m.Kind), msg)
	}
	state := "passed"
	if !r.Passed {
		state = "failed"
	}
	command(bw, "notice", nil, "seams check "+state, "seams check "+state+": "+r.Summary())
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("annotations: %w", err)
	}
	return nil
}

func first(ls []check.Location) *check.Location {
	if len(ls) == 0 {
		return nil
	}
	return &ls[0]
}

// command writes one workflow command.
func command(w *bufio.Writer, name string, at *check.Location, title, msg string) {
	var props []string
	if at != nil {
		props = append(props, "file="+property(at.File), "line="+strconv.Itoa(at.Line))
		if at.Col > 0 {
			props = append(props, "col="+strconv.Itoa(at.Col))
		}
	}
	props = append(props, "title="+property(title))
	fmt.Fprintf(w, "::%s %s::%s\n", name, strings.Join(props, ","), data(msg))
}

// data escapes a command's message.
func data(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// property escapes a command's property value.
func property(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
