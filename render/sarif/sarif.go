// Package sarif writes the result of `seams check` as SARIF 2.1.0, the
// format GitHub code scanning and other CI systems read (upload it with
// github/codeql-action/upload-sarif).
//
// The log holds one result for each new finding and each exceeded budget:
// what makes the check fail. Findings the baseline accepts are left out
// (GitHub code scanning does not honour SARIF suppressions; an accepted
// finding leaving the log closes its alert). Every kind of finding is
// declared as a rule, so that a rule without results tells a consumer that
// it ran and found nothing. Each result points at the contexts map entry
// of its first table (the other tables' entries are related locations)
// and carries the finding's key as its partial fingerprint,
// so an alert survives lines moving in the map.
//
// The types below are the part of the SARIF 2.1.0 object model seams
// fills; the tests validate the output against the OASIS JSON schema.
package sarif

import (
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/internal/jsonout"
	"github.com/seamsdev/seams/plan"
)

// Version is the SARIF version written, and SchemaURI its schema.
const (
	Version   = "2.1.0"
	SchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
)

// RuleBudget is the rule of a budget of the contexts map that is exceeded.
const RuleBudget = "budget_exceeded"

// fingerprint names the partial fingerprint that holds a finding's key.
const fingerprint = "seamsKey/v1"

// Log is a SARIF log file.
type Log struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []Run  `json:"runs"`
}

// Run is one run of a tool.
type Run struct {
	Tool        Tool         `json:"tool"`
	Invocations []Invocation `json:"invocations"`
	Results     []Result     `json:"results"`
}

// Tool describes seams and its rules.
type Tool struct {
	Driver Driver `json:"driver"`
}

// Driver is the tool component that ran.
type Driver struct {
	Name           string `json:"name"`
	Version        string `json:"version,omitempty"`
	InformationURI string `json:"informationUri"`
	Rules          []Rule `json:"rules"`
}

// Rule is a reportingDescriptor: one kind of finding.
type Rule struct {
	ID                   string        `json:"id"`
	Name                 string        `json:"name"`
	ShortDescription     Message       `json:"shortDescription"`
	FullDescription      Message       `json:"fullDescription"`
	HelpURI              string        `json:"helpUri"`
	DefaultConfiguration Configuration `json:"defaultConfiguration"`
}

// Configuration is a rule's default level.
type Configuration struct {
	Level string `json:"level"`
}

// Invocation says whether the run completed.
type Invocation struct {
	ExecutionSuccessful bool `json:"executionSuccessful"`
}

// Result is one thing the check reports.
type Result struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             Message           `json:"message"`
	Locations           []Location        `json:"locations,omitempty"`
	RelatedLocations    []Location        `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState,omitempty"`
	Properties          Properties        `json:"properties"`
}

// Properties are seams's own facts about a result.
type Properties struct {
	Key      string   `json:"key"`
	ID       string   `json:"id,omitempty"`
	Severity string   `json:"severity,omitempty"`
	Contexts []string `json:"contexts"`
}

// Message is a plain text message.
type Message struct {
	Text string `json:"text"`
}

// Location is where a result is.
type Location struct {
	PhysicalLocation PhysicalLocation `json:"physicalLocation"`
	Message          *Message         `json:"message,omitempty"`
}

// PhysicalLocation is a region of a file.
type PhysicalLocation struct {
	ArtifactLocation ArtifactLocation `json:"artifactLocation"`
	Region           *Region          `json:"region,omitempty"`
}

// ArtifactLocation names a file: a URI relative to the root of the
// sources (%SRCROOT%), or an absolute file URI.
type ArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// Region is a line and column, both from 1.
type Region struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// Options are what the log says about the tool.
type Options struct {
	// Version is seams's version.
	Version string
	// HelpURI is the documentation of the findings.
	HelpURI string
}

// DefaultHelpURI documents the kinds of finding.
const DefaultHelpURI = "https://github.com/seamsdev/seams/blob/main/docs/plan-format.md#finding-kinds"

// New makes the SARIF log of a check.
func New(r *check.Result, opts Options) *Log {
	help := opts.HelpURI
	if help == "" {
		help = DefaultHelpURI
	}
	kinds := plan.Kinds()
	index := map[string]int{}
	var rules []Rule
	for _, k := range kinds {
		if !check.Gated(k) {
			continue
		}
		index[string(k)] = len(rules)
		rules = append(rules, Rule{
			ID: string(k), Name: ruleName(string(k)),
			ShortDescription: Message{Text: k.Description()}, FullDescription: Message{Text: k.Description() + " Reported when the baseline does not accept it."},
			HelpURI: help, DefaultConfiguration: Configuration{Level: "error"},
		})
	}
	index[RuleBudget] = len(rules)
	rules = append(rules, Rule{
		ID: RuleBudget, Name: ruleName(RuleBudget),
		ShortDescription:     Message{Text: "A context, or a pair of contexts, has more crossing couplings than its budget (max_crossing in the contexts map)."},
		FullDescription:      Message{Text: "A context, or a pair of contexts, has more crossing couplings than its budget (max_crossing in the contexts map). Remove couplings, or raise the budget in a reviewed change."},
		HelpURI:              help,
		DefaultConfiguration: Configuration{Level: "error"},
	})
	results := []Result{}
	where := ""
	if r.BaselineFile != "" {
		where = " " + r.BaselineFile
	}
	for _, it := range r.New {
		res := Result{
			RuleID: string(it.Kind), RuleIndex: index[string(it.Kind)], Level: "error",
			Message:             Message{Text: fmt.Sprintf("%s (%s severity; not in the baseline%s)", it.Title, it.Severity, where)},
			PartialFingerprints: map[string]string{fingerprint: it.Key},
			BaselineState:       "new",
			Properties:          Properties{Key: it.Key, ID: it.ID, Severity: string(it.Severity), Contexts: nonNil(it.Contexts)},
		}
		for i, l := range it.Locations {
			if i == 0 {
				res.Locations = append(res.Locations, location(l))
				continue
			}
			res.RelatedLocations = append(res.RelatedLocations, location(l))
		}
		results = append(results, res)
	}
	for _, b := range r.Exceeded() {
		res := Result{
			RuleID: RuleBudget, RuleIndex: index[RuleBudget], Level: "error",
			Message:             Message{Text: fmt.Sprintf("%s: %d crossing couplings, over the budget of %d", b.Name(), b.Crossing, b.Max)},
			PartialFingerprints: map[string]string{fingerprint: "budget:" + strings.Join(b.Contexts, "+")},
			Properties:          Properties{Key: "budget:" + strings.Join(b.Contexts, "+"), Contexts: b.Contexts},
		}
		if b.Location != nil {
			res.Locations = []Location{location(*b.Location)}
		}
		results = append(results, res)
	}
	return &Log{
		Schema: SchemaURI, Version: Version,
		Runs: []Run{{
			Tool:        Tool{Driver: Driver{Name: "seams", Version: opts.Version, InformationURI: "https://github.com/seamsdev/seams", Rules: rules}},
			Invocations: []Invocation{{ExecutionSuccessful: true}},
			Results:     results,
		}},
	}
}

// Write writes the SARIF log of a check to w.
func Write(w io.Writer, r *check.Result, opts Options) error {
	if err := jsonout.Write(w, New(r, opts)); err != nil {
		return fmt.Errorf("sarif: %w", err)
	}
	return nil
}

func location(l check.Location) Location {
	loc := Location{PhysicalLocation: PhysicalLocation{ArtifactLocation: artifact(l.File)}}
	if l.Line > 0 {
		loc.PhysicalLocation.Region = &Region{StartLine: l.Line, StartColumn: l.Col}
	}
	if l.What != "" {
		loc.Message = &Message{Text: l.What}
	}
	return loc
}

// artifact names a file by a URI: relative to %SRCROOT% (the working
// directory, where CI runs seams from the repository's root), or an
// absolute file URI.
func artifact(path string) ArtifactLocation {
	if filepath.IsAbs(path) {
		u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
		return ArtifactLocation{URI: u.String()}
	}
	p := filepath.ToSlash(filepath.Clean(path))
	u := url.URL{Path: p}
	return ArtifactLocation{URI: u.EscapedPath(), URIBaseID: "%SRCROOT%"}
}

// ruleName writes a rule ID in the PascalCase SARIF viewers show:
// cross_context_fk -> CrossContextFk.
func ruleName(id string) string {
	var b strings.Builder
	for _, w := range strings.Split(id, "_") {
		if w == "" {
			continue
		}
		b.WriteString(strings.ToUpper(w[:1]) + w[1:])
	}
	return b.String()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
