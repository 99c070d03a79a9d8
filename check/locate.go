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

// finding returns the locations of f. First, when the snapshot was read
// from a DDL file (--schema-file), where the file defines its objects (the
// foreign key's clause, the view, the trigger, the table). Then the map's
// entries for its tables in the contexts of its objects, else the entries
// of its contexts, else the top of the map (a table no context claims is
// fixed there); no map location without a map file.
func (l *locator) finding(f plan.Finding) []Location {
	a := l.an.Assignment
	out := []Location{}
	for _, o := range f.Objects {
		if o.Location == nil || o.Location.Line <= 0 {
			continue
		}
		at := Location{File: o.Location.File, Line: o.Location.Line, What: objectText(o)}
		if !slices.ContainsFunc(out, func(x Location) bool { return x.File == at.File && x.Line == at.Line }) {
			out = append(out, at)
		}
	}
	if a.File == "" {
		return out
	}
	schemaFile := len(out)
	add := func(line, col int, what string) {
		if line <= 0 || slices.ContainsFunc(out[schemaFile:], func(x Location) bool { return x.Line == line && x.Col == col }) {
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
	if len(out) == schemaFile {
		for _, c := range f.Contexts {
			if info := a.Info[c]; info != nil {
				add(info.Pos.Line, info.Pos.Col, "context "+c)
			}
		}
	}
	if len(out) == schemaFile {
		add(1, 0, "the contexts map")
	}
	return out
}

// objectText names an object of a finding where a DDL file defines it.
func objectText(o plan.Object) string {
	n := schema.TableName{Schema: o.Schema, Name: o.Name}.String()
	switch o.Type {
	case "foreign_key", "trigger":
		return strings.ReplaceAll(o.Type, "_", " ") + " " + o.Name + " of " + schema.TableName{Schema: o.Schema, Name: o.Table}.String()
	case "column":
		return "column " + o.Name + " of " + schema.TableName{Schema: o.Schema, Name: o.Table}.String()
	}
	return o.Type + " " + n
}
