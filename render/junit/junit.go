// Package junit writes the result of `seams check` as JUnit XML, the test
// report format that Jenkins, GitLab, Azure Pipelines, CircleCI and most
// CI systems show: one test suite for the findings (a failing test case
// per new finding, a passing one per finding the baseline accepts), one
// for the budgets (failing when exceeded), and one for the progress made
// (a passing test case per finding fixed since the baseline).
//
// encoding/xml escapes every name; characters XML 1.0 cannot carry are
// replaced by U+FFFD.
package junit

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/seamsdev/seams/check"
)

// Suites is the report's root element.
type Suites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []Suite  `xml:"testsuite"`
}

// Suite is a group of test cases.
type Suite struct {
	Name       string     `xml:"name,attr"`
	Tests      int        `xml:"tests,attr"`
	Failures   int        `xml:"failures,attr"`
	Errors     int        `xml:"errors,attr"`
	Skipped    int        `xml:"skipped,attr"`
	Properties []Property `xml:"properties>property,omitempty"`
	Cases      []Case     `xml:"testcase"`
}

// Property is a name and a value of a suite.
type Property struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// Case is one test case.
type Case struct {
	Name      string   `xml:"name,attr"`
	ClassName string   `xml:"classname,attr"`
	File      string   `xml:"file,attr,omitempty"`
	Line      int      `xml:"line,attr,omitempty"`
	Failure   *Failure `xml:"failure,omitempty"`
	SystemOut string   `xml:"system-out,omitempty"`
}

// Failure says why a test case failed.
type Failure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// New makes the JUnit report of a check.
func New(r *check.Result) *Suites {
	findings := Suite{Name: "seams check: findings"}
	if r.BaselineFile != "" {
		findings.Properties = append(findings.Properties, Property{Name: "baseline", Value: r.BaselineFile})
	}
	if r.ContextsFile != "" {
		findings.Properties = append(findings.Properties, Property{Name: "contexts", Value: r.ContextsFile})
	}
	for _, it := range r.New {
		c := itemCase(it)
		c.Failure = &Failure{Message: it.Title, Type: string(it.Kind), Text: detail(it, "new: not in the baseline")}
		findings.Cases = append(findings.Cases, c)
	}
	for _, m := range r.Moved {
		c := itemCase(m.Item)
		c.SystemOut = "accepted by the baseline as " + m.From + " (its tables moved to other schemas)"
		findings.Cases = append(findings.Cases, c)
	}
	for _, it := range r.Known {
		c := itemCase(it)
		c.SystemOut = "accepted by the baseline"
		findings.Cases = append(findings.Cases, c)
	}
	budgets := Suite{Name: "seams check: budgets"}
	for _, b := range r.Budgets {
		c := Case{Name: b.Name(), ClassName: "seams.budget"}
		if b.Location != nil {
			c.File, c.Line = b.Location.File, b.Location.Line
		}
		text := fmt.Sprintf("%d crossing couplings, at most %d allowed", b.Crossing, b.Max)
		if b.Exceeded {
			c.Failure = &Failure{Message: fmt.Sprintf("%s: %s", b.Name(), text), Type: "budget_exceeded", Text: text + ":\n" + strings.Join(b.Keys, "\n")}
		} else {
			c.SystemOut = text
		}
		budgets.Cases = append(budgets.Cases, c)
	}
	fixed := Suite{Name: "seams check: fixed since the baseline"}
	for _, e := range r.Fixed {
		fixed.Cases = append(fixed.Cases, Case{Name: e.Key, ClassName: "seams." + string(e.Kind),
			SystemOut: "fixed: " + e.Title + " (seams check --update-baseline removes it from the baseline)"})
	}
	out := &Suites{Name: "seams check"}
	for _, s := range []Suite{findings, budgets, fixed} {
		s.Tests = len(s.Cases)
		for _, c := range s.Cases {
			if c.Failure != nil {
				s.Failures++
			}
		}
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Suites = append(out.Suites, s)
	}
	return out
}

func itemCase(it check.Item) Case {
	c := Case{Name: it.Key, ClassName: "seams." + string(it.Kind)}
	if len(it.Locations) > 0 {
		c.File, c.Line = it.Locations[0].File, it.Locations[0].Line
	}
	return c
}

// detail describes a finding in a failure's text.
func detail(it check.Item, what string) string {
	lines := []string{it.Title, what, "severity: " + string(it.Severity), "key: " + it.Key, "id: " + it.ID}
	if len(it.Contexts) > 0 {
		lines = append(lines, "contexts: "+strings.Join(it.Contexts, ", "))
	}
	for _, l := range it.Locations {
		lines = append(lines, "at "+l.String()+" ("+l.What+")")
	}
	return strings.Join(lines, "\n")
}

// Write writes the JUnit report of a check to w.
func Write(w io.Writer, r *check.Result) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(New(r)); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("junit: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
