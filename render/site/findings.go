package site

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/schema"
)

// groupView is a group of findings as the pages show it: a details
// element (closed) whose summary says what, how many and what to do, with
// its findings under the tables they hang on. Contexts, Kind and Severity
// feed the filters (assets/filter.js).
type groupView struct {
	plan.Group
	Anchor string
	// ContextsJSON is the contexts as a JSON array, for data-contexts.
	ContextsJSON string
	// URL is the group on the plan page, from the page that lists it.
	URL    string
	Tables []groupTableView
	// Loose are the findings that hang on no one table (cycles).
	Loose []findingView
}

type groupTableView struct {
	Name, URL string
	Findings  []findingView
}

type findingView struct {
	*plan.Finding
	Anchor string
	// Steps are the checklist steps that resolve it, on the plan page.
	Steps []stepLink
}

type stepLink struct {
	N   int
	URL string
}

// filterData is what a filter bar offers: the contexts, kinds and
// severities of the groups it filters, and the id of the element that
// holds them.
type filterData struct {
	Target     string
	Contexts   []string
	Kinds      []plan.Kind
	Severities []plan.Severity
	// Groups and Findings count what the list holds.
	Groups, Findings int
}

// findingAnchor and groupAnchor are the ids of a finding and a group on
// the plan page.
func findingAnchor(id string) string { return diagram.SlugOf("f", id) }
func groupAnchor(id string) string   { return diagram.SlugOf("g", id) }

// stepAnchor is the id of a step on the plan page.
func stepAnchor(n int) string { return fmt.Sprintf("step-%d", n) }

// groupViews returns the groups as the page at root shows them, with their
// findings when members is true.
func (b *builder) groupViews(groups []plan.Group, root string, members bool) []groupView {
	out := make([]groupView, 0, len(groups))
	for _, g := range groups {
		cj, _ := json.Marshal(g.Contexts)
		v := groupView{Group: g, Anchor: groupAnchor(g.ID), ContextsJSON: string(cj), URL: root + "plan.html#" + groupAnchor(g.ID)}
		if members {
			listed := map[string]bool{}
			for _, t := range g.Tables {
				tv := groupTableView{Name: t.Table.String()}
				if b.m.Table(t.Table) != nil {
					tv.URL = root + tableFile(t.Table)
				}
				for _, id := range t.FindingIDs {
					listed[id] = true
					tv.Findings = append(tv.Findings, b.findingView(id, root))
				}
				v.Tables = append(v.Tables, tv)
			}
			for _, id := range g.FindingIDs {
				if !listed[id] {
					v.Loose = append(v.Loose, b.findingView(id, root))
				}
			}
		}
		out = append(out, v)
	}
	return out
}

func (b *builder) findingView(id, root string) findingView {
	v := findingView{Finding: b.findings[id], Anchor: findingAnchor(id)}
	for _, n := range b.resolvedBy[id] {
		v.Steps = append(v.Steps, stepLink{N: n, URL: root + "plan.html#" + stepAnchor(n)})
	}
	return v
}

// filters returns the filter bar of a list of groups held by the element
// with id target.
func filters(target string, groups []plan.Group) filterData {
	f := filterData{Target: target, Groups: len(groups)}
	for _, g := range groups {
		f.Findings += g.Count
		f.Contexts = append(f.Contexts, g.Contexts...)
		f.Kinds = append(f.Kinds, g.Kind)
		f.Severities = append(f.Severities, g.Severity)
	}
	slices.Sort(f.Contexts)
	f.Contexts = slices.Compact(f.Contexts)
	slices.Sort(f.Kinds)
	f.Kinds = slices.Compact(f.Kinds)
	slices.SortFunc(f.Severities, func(a, b plan.Severity) int { return cmp.Compare(a.Rank(), b.Rank()) })
	f.Severities = slices.Compact(f.Severities)
	return f
}

// groupsOfContext returns the plan's groups that involve context c.
func (b *builder) groupsOfContext(c string) []plan.Group {
	var out []plan.Group
	for _, g := range b.an.Plan.Groups {
		if slices.Contains(g.Contexts, c) {
			out = append(out, g)
		}
	}
	return out
}

// groupsOfTable rolls up the findings that name table n as the plan does.
func (b *builder) groupsOfTable(n schema.TableName) []plan.Group {
	return plan.GroupFindings(b.byTable[n])
}

// sevSection is the groups of one severity, a section of a list.
type sevSection struct {
	Severity plan.Severity
	Findings int
	Groups   []groupView
}

func bySeverity(gs []groupView) []sevSection {
	var out []sevSection
	for _, g := range gs {
		if len(out) == 0 || out[len(out)-1].Severity != g.Severity {
			out = append(out, sevSection{Severity: g.Severity})
		}
		s := &out[len(out)-1]
		s.Findings += g.Count
		s.Groups = append(s.Groups, g)
	}
	return out
}

// findingsList is a list of groups with its filter bar and its sections
// by severity, as the "groups" template shows it.
type findingsList struct {
	Filter   filterData
	Sections []sevSection
	// Members is true when the groups list their findings.
	Members bool
}

func (b *builder) findingsList(target string, groups []plan.Group, root string, members bool) findingsList {
	return findingsList{Filter: filters(target, groups), Sections: bySeverity(b.groupViews(groups, root, members)), Members: members}
}
