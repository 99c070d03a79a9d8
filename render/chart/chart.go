// Package chart draws small line charts as SVG, by hand: no script, no
// library, so that a page of the site shows them from the file system.
// Every name is escaped; the SVG is well-formed XML and can be inlined in
// HTML.
package chart

import (
	"fmt"
	"html"
	"math"
	"strings"
	"unicode/utf8"
)

// Series is one line.
type Series struct {
	Name   string
	Values []int
	// Present says at which points the series has a value; nil means at
	// every point. The line breaks where it has none.
	Present []bool
}

func (s Series) has(i int) bool {
	return i < len(s.Values) && (s.Present == nil || (i < len(s.Present) && s.Present[i]))
}

// Lines is a line chart: one line per series over the same points.
type Lines struct {
	// Title is the chart's accessible name.
	Title string
	// XLabels names the points, left to right.
	XLabels []string
	// YLabel names the values.
	YLabel string
	Series []Series
}

// Layout of the chart, in SVG units.
const (
	width    = 760
	height   = 340
	left     = 96
	right    = 180
	top      = 20
	bottom   = 80
	plotW    = width - left - right
	plotH    = height - top - bottom
	maxLabel = 24
)

// palette holds the lines' colours: distinct for colour-blind readers
// (Okabe and Ito), then repeated with dashes.
var palette = []string{"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"}

// SVG draws the chart.
func (c Lines) SVG() string {
	var b strings.Builder
	esc := html.EscapeString
	h := max(height, top+8+len(c.Series)*18+8) // the legend may need more room
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s">`, width, h, width, h, esc(c.Title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(c.Title))
	highest := 0
	for _, s := range c.Series {
		for i, v := range s.Values {
			if s.has(i) {
				highest = max(highest, v)
			}
		}
	}
	step := niceStep(highest)
	ymax := step * int(math.Ceil(float64(max(highest, 1))/float64(step)))
	n := len(c.XLabels)
	x := func(i int) float64 {
		if n <= 1 {
			return left + plotW/2
		}
		return left + float64(i)*plotW/float64(n-1)
	}
	y := func(v int) float64 { return top + plotH - float64(v)*plotH/float64(ymax) }
	// Grid and y axis.
	for v := 0; v <= ymax; v += step {
		fmt.Fprintf(&b, `<line class="grid" x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/>`, left, y(v), left+plotW, y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" font-size="11" fill="#555">%d</text>`, left-6, y(v)+4, v)
	}
	fmt.Fprintf(&b, `<text x="14" y="%d" font-size="11" fill="#555" transform="rotate(-90 14 %d)" text-anchor="middle">%s</text>`, top+plotH/2, top+plotH/2, esc(c.YLabel))
	// X labels, slanted when there are many.
	for i, l := range c.XLabels {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11" fill="#555" text-anchor="end" transform="rotate(-35 %.1f %d)">%s</text>`, x(i), top+plotH+16, x(i), top+plotH+16, esc(short(l)))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#888"/>`, left, top+plotH, left+plotW, top+plotH)
	// Lines, points and the legend.
	for k, s := range c.Series {
		color := palette[k%len(palette)]
		dash := ""
		if k >= len(palette) {
			dash = ` stroke-dasharray="6 3"`
		}
		var run []string
		flush := func() {
			if len(run) > 1 {
				fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`, color, dash, strings.Join(run, " "))
			}
			run = run[:0]
		}
		for i := range n {
			if !s.has(i) {
				flush()
				continue
			}
			run = append(run, fmt.Sprintf("%.1f,%.1f", x(i), y(s.Values[i])))
		}
		flush()
		for i := range n {
			if s.has(i) {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %d at %s</title></circle>`, x(i), y(s.Values[i]), color, esc(s.Name), s.Values[i], esc(c.XLabels[i]))
			}
		}
		ly := top + 8 + k*18
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>`, left+plotW+16, ly, left+plotW+36, ly, color, dash)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" fill="#222"><title>%s</title>%s</text>`, left+plotW+42, ly+4, esc(s.Name), esc(short(s.Name)))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// niceStep is a step of 1, 2 or 5 times a power of ten that gives about
// five grid lines up to max.
func niceStep(max int) int {
	if max <= 5 {
		return 1
	}
	raw := float64(max) / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*pow >= raw {
			return int(m * pow)
		}
	}
	return int(10 * pow)
}

// short cuts a label to maxLabel characters, ending with "…".
func short(s string) string {
	if utf8.RuneCountInString(s) <= maxLabel {
		return s
	}
	r := []rune(s)
	return string(r[:maxLabel-1]) + "…"
}
