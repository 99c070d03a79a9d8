// Package check guards a split in continuous integration: it compares the
// findings of an analysis with a baseline of accepted ones (package
// baseline) and the budgets of the contexts map, and says what is new,
// what was fixed since the baseline, and which budgets are exceeded.
//
// Findings are matched by their plan keys, so a renamed constraint is not
// a new coupling; a finding whose tables moved to another schema (as the
// plan's first steps move them) is matched by its key without schemas and
// reported as moved, and so is a foreign key dropped whose column still
// references the table (a reference no key declares: the same coupling,
// in another form). The result points at where each finding is declared
// when the snapshot was read from a DDL file, and at its contexts map
// entry (file:line:col), for annotations and code scanning.
package check

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/baseline"
	"github.com/seamsdev/seams/coupling"
	"github.com/seamsdev/seams/internal/jsonout"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// FormatVersion is the version of the result's JSON structure.
const FormatVersion = 1

// Result is what a check found. Its JSON encoding is the json output of
// `seams check`.
type Result struct {
	// Format is FormatVersion.
	Format int `json:"format"`
	// Source is the snapshot's source.
	Source schema.Source `json:"source"`
	// ContextsFile is the contexts map's path; empty without one.
	ContextsFile string `json:"contexts_file,omitempty"`
	// BaselineFile is the baseline's path; empty without one.
	BaselineFile string `json:"baseline_file,omitempty"`
	// Passed is true when nothing is new and no budget is exceeded.
	Passed bool `json:"passed"`
	// New are the findings that the baseline does not accept, in the
	// plan's order (severity, kind, ID).
	New []Item `json:"new"`
	// Moved are findings the baseline accepts under another key: the same
	// tables in other schemas, or a reference whose foreign key was
	// dropped (see plan.LooseKey).
	Moved []Moved `json:"moved"`
	// Known are the findings the baseline accepts, in the plan's order.
	Known []Item `json:"known"`
	// Fixed are the baseline's entries that no finding matches any more:
	// progress. Sorted by key.
	Fixed []baseline.Entry `json:"fixed"`
	// Budgets are the map's budgets with the couplings they count.
	Budgets []Budget `json:"budgets"`
}

// Item is one finding of the check.
type Item struct {
	Key      string        `json:"key"`
	ID       string        `json:"id"`
	Kind     plan.Kind     `json:"kind"`
	Severity plan.Severity `json:"severity"`
	Title    string        `json:"title"`
	Contexts []string      `json:"contexts"`
	// Locations are where to look, the most relevant first: the contexts
	// map's entries of the finding's tables, else its contexts' entries.
	Locations []Location `json:"locations"`
}

// Moved is a finding the baseline accepts under the key From.
type Moved struct {
	Item
	From string `json:"from"`
}

// Location is a place in a file, 1-based; Col is 0 when unknown.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col,omitempty"`
	// What names what is there ("table public.ledger in context finance").
	What string `json:"what"`
}

// String writes file:line[:col].
func (l Location) String() string {
	if l.Col > 0 {
		return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Col)
	}
	return fmt.Sprintf("%s:%d", l.File, l.Line)
}

// Budget is one budget of the map and how it stands.
type Budget struct {
	// Contexts is the context, or the pair, the budget is for.
	Contexts []string `json:"contexts"`
	Max      int      `json:"max_crossing"`
	// Crossing counts the crossing couplings (package coupling).
	Crossing int  `json:"crossing"`
	Exceeded bool `json:"exceeded"`
	// Keys are the couplings counted, sorted.
	Keys []string `json:"keys"`
	// Location is the budget's max_crossing in the map.
	Location *Location `json:"location,omitempty"`
}

// Name names the budget: "finance" or "finance and warehouse".
func (b Budget) Name() string { return strings.Join(b.Contexts, " and ") }

// Gated reports whether findings of kind k are checked against the
// baseline: every coupling and gap in the map; not unused tables, which
// are an opportunity rather than a coupling.
func Gated(k plan.Kind) bool { return k != plan.KindUnused }

// Run checks the analysis an against the baseline base (nil: an empty
// one) read from baselineFile, and against the map's budgets.
func Run(an *analysis.Analysis, base *baseline.Baseline, baselineFile string) *Result {
	if base == nil {
		base = baseline.New(nil)
	}
	r := &Result{
		Format: FormatVersion, Source: an.Snapshot.Source, ContextsFile: an.Assignment.File, BaselineFile: baselineFile,
		New: []Item{}, Moved: []Moved{}, Known: []Item{}, Fixed: []baseline.Entry{}, Budgets: []Budget{},
	}
	loc := newLocator(an)
	accepted := base.Keys()
	matched := map[string]bool{}
	var candidates []Item
	for _, f := range an.Plan.Findings {
		if !Gated(f.Kind) {
			continue
		}
		it := Item{Key: f.Key, ID: f.ID, Kind: f.Kind, Severity: f.Severity, Title: f.Title, Contexts: f.Contexts, Locations: loc.finding(f)}
		if _, ok := accepted[f.Key]; ok {
			matched[f.Key] = true
			r.Known = append(r.Known, it)
			continue
		}
		candidates = append(candidates, it)
	}
	// What the baseline accepts and nothing matched exactly may have moved.
	left := map[string][]string{}
	for _, e := range base.Findings {
		if !matched[e.Key] {
			lk := plan.LooseKey(e.Key)
			left[lk] = append(left[lk], e.Key)
		}
	}
	for _, it := range candidates {
		lk := plan.LooseKey(it.Key)
		if from := left[lk]; len(from) > 0 {
			left[lk] = from[1:]
			matched[from[0]] = true
			r.Moved = append(r.Moved, Moved{Item: it, From: from[0]})
			continue
		}
		r.New = append(r.New, it)
	}
	for _, e := range base.Findings {
		if !matched[e.Key] {
			r.Fixed = append(r.Fixed, e)
		}
	}
	counts := coupling.Measure(an)
	for _, b := range an.Assignment.Budgets {
		var keys []string
		if len(b.Contexts) == 1 {
			c, _ := counts.Context(b.Contexts[0])
			keys = c.Keys
		} else {
			keys = counts.Pair(b.Contexts[0], b.Contexts[1]).Keys
		}
		bs := Budget{Contexts: b.Contexts, Max: b.MaxCrossing, Crossing: len(keys), Exceeded: len(keys) > b.MaxCrossing, Keys: slices.Clone(keys)}
		if bs.Keys == nil {
			bs.Keys = []string{}
		}
		if an.Assignment.File != "" && b.Pos.Line > 0 {
			what := "max_crossing of " + b.Contexts[0]
			if len(b.Contexts) == 2 {
				what = "budget between " + bs.Name()
			}
			bs.Location = &Location{File: an.Assignment.File, Line: b.Pos.Line, Col: b.Pos.Col, What: what}
		}
		r.Budgets = append(r.Budgets, bs)
	}
	r.Passed = len(r.New) == 0 && !slices.ContainsFunc(r.Budgets, func(b Budget) bool { return b.Exceeded })
	return r
}

// MapFiles rewrites the file of every location with path: how a command
// shows paths (relative to the working directory, say).
func (r *Result) MapFiles(path func(string) string) {
	r.ContextsFile = path(r.ContextsFile)
	items := func(its []Item) {
		for i := range its {
			for j := range its[i].Locations {
				its[i].Locations[j].File = path(its[i].Locations[j].File)
			}
		}
	}
	items(r.New)
	items(r.Known)
	for i := range r.Moved {
		for j := range r.Moved[i].Locations {
			r.Moved[i].Locations[j].File = path(r.Moved[i].Locations[j].File)
		}
	}
	for i := range r.Budgets {
		if l := r.Budgets[i].Location; l != nil {
			l.File = path(l.File)
		}
	}
}

// Exceeded returns the budgets that are exceeded.
func (r *Result) Exceeded() []Budget {
	var out []Budget
	for _, b := range r.Budgets {
		if b.Exceeded {
			out = append(out, b)
		}
	}
	return out
}

// Updated returns the baseline updated from the result: the findings it
// accepts that are still there (their descriptions brought up to date,
// moved ones under their new keys), without the fixed ones, and with the
// new findings only when accept is true.
func (r *Result) Updated(accept bool) *baseline.Baseline {
	var es []baseline.Entry
	entry := func(it Item) baseline.Entry {
		return baseline.EntryOf(plan.Finding{Key: it.Key, Kind: it.Kind, Contexts: it.Contexts, Title: it.Title})
	}
	for _, it := range r.Known {
		es = append(es, entry(it))
	}
	for _, m := range r.Moved {
		es = append(es, entry(m.Item))
	}
	if accept {
		for _, it := range r.New {
			es = append(es, entry(it))
		}
	}
	return baseline.New(es)
}

// Summary says in one line how the check went, for a message.
func (r *Result) Summary() string {
	var parts []string
	if n := len(r.New); n > 0 {
		parts = append(parts, plural(n, "new finding", "new findings"))
	}
	if n := len(r.Exceeded()); n > 0 {
		parts = append(parts, plural(n, "budget exceeded", "budgets exceeded"))
	}
	if len(parts) == 0 {
		parts = append(parts, "nothing new")
	}
	if n := len(r.Fixed); n > 0 {
		parts = append(parts, plural(n, "finding fixed", "findings fixed")+" since the baseline")
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Encode writes the result as indented JSON.
func (r *Result) Encode(w io.Writer) error {
	if err := jsonout.Write(w, r); err != nil {
		return fmt.Errorf("encode check: %w", err)
	}
	return nil
}
