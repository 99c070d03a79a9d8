package chart_test

import (
	"encoding/xml"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/render/chart"
)

func TestLines(t *testing.T) {
	c := chart.Lines{
		Title:   "Crossing couplings <per> context",
		XLabels: []string{"2026-01-05", "2026-02-02", "2026-03-02", "2026-04-06"},
		YLabel:  "crossing couplings",
		Series: []chart.Series{
			{Name: "finance", Values: []int{12, 10, 9, 6}},
			{Name: analysistest.Evil, Values: []int{0, 3, 4, 2}, Present: []bool{false, true, true, true}},
			{Name: "gone", Values: []int{5, 5, 0, 0}, Present: []bool{true, true, false, false}},
		},
	}
	svg := c.SVG()
	golden.Assert(t, filepath.Join("testdata", "lines.svg"), []byte(svg+"\n"))
	// Well-formed XML, whatever the names.
	dec := xml.NewDecoder(strings.NewReader(svg))
	dec.Strict = true
	var polylines, circles, texts int
	for {
		tok, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v", err)
			}
			break
		}
		if se, ok := tok.(xml.StartElement); ok {
			switch se.Name.Local {
			case "polyline":
				polylines++
			case "circle":
				circles++
			case "text":
				texts++
			}
		}
	}
	// finance: one line of 4 points; evil: one of 3; gone: one of 2.
	if polylines != 3 || circles != 9 {
		t.Errorf("%d lines and %d points, want 3 and 9", polylines, circles)
	}
	if strings.Contains(svg, "<b>") || strings.Contains(svg, "pwned\n") {
		t.Error("a name is not escaped")
	}
}

// TestOnePoint: a history of one snapshot draws its points, no lines.
func TestOnePoint(t *testing.T) {
	svg := chart.Lines{Title: "t", XLabels: []string{"only"}, Series: []chart.Series{{Name: "a", Values: []int{0}}}}.SVG()
	if strings.Count(svg, "<circle") != 1 || strings.Contains(svg, "<polyline") {
		t.Errorf("one point:\n%s", svg)
	}
}
