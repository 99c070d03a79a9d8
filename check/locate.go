package check

import (
	"slices"
	"strings"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// locator finds where in the contexts map a finding is best fixed.
type locator struct {
	an *analysis.Analysis
}

func newLocator(an *analysis.Analysis) *locator { return &locator{an: an} }

// finding returns the locations of f: the map's entries for its tables in
// the contexts of its objects, else the entries of its contexts, else the
// top of the map (a table no context claims is fixed there); none without
// a map file.
func (l *locator) finding(f plan.Finding) []Location {
	a := l.an.Assignment
	out := []Location{}
	if a.File == "" {
		return out
	}
	add := func(line, col int, what string) {
		if line <= 0 || slices.ContainsFunc(out, func(x Location) bool { return x.Line == line && x.Col == col }) {
			return
		}
		out = append(out, Location{File: a.File, Line: line, Col: col, What: what})
	}
	for _, o := range f.Objects {
		n := schema.TableName{Schema: o.Schema, Name: o.Name}
		if o.Table != "" {
			n.Name = o.Table
		}
		var want []string
		if o.Context != "" {
			want = strings.Split(o.Context, ",")
		}
		for _, c := range l.an.Ownership.Claims(n) {
			if want == nil || slices.Contains(want, c.Context) {
				add(c.Pos.Line, c.Pos.Col, "table "+n.String()+" in context "+c.Context)
			}
		}
	}
	if len(out) == 0 {
		for _, c := range f.Contexts {
			if info := a.Info[c]; info != nil {
				add(info.Pos.Line, info.Pos.Col, "context "+c)
			}
		}
	}
	if len(out) == 0 {
		add(1, 0, "the contexts map")
	}
	return out
}
