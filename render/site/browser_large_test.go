package site_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/site"
)

// TestBrowserLarge builds the site of a generated 2,000-table schema in 20
// contexts and reads it in headless Chromium, 1,280 pixels wide: no page
// scrolls sideways or logs an error, every heading has an anchor; the plan
// page's filters change what it shows and its sections open and close; a
// context's diagram opens on the context's own tables and zooms and pans;
// the context map says a context's dependencies when pointed at. It takes
// screenshots for review ($SEAMS_TEST_OUT/screenshots).
func TestBrowserLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 2,000-table site")
	}
	snap, a, err := diagramtest.SynthSnapshot(synth.Options{Tables: 2000, Contexts: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	an := diagramtest.Analyse(t, snap, a)
	dir := filepath.Join(t.TempDir(), "site")
	if out := os.Getenv("SEAMS_TEST_OUT"); out != "" {
		dir = filepath.Join(out, "synth-2000-site")
		os.RemoveAll(dir)
	}
	start := time.Now()
	if err := site.Write(context.Background(), dir, site.Input{Analysis: an, Renderer: renderer(t), Workers: 2}); err != nil {
		t.Fatal(err)
	}
	t.Logf("site of %d tables in %s: %s", len(snap.Tables), time.Since(start).Round(time.Millisecond), dir)
	b := newBrowser(t)
	m := diagram.NewModel(an.Ownership, diagram.Options{})
	all := pages(t, dir)
	// Every page but the table pages, and every 50th table page.
	var visit []string
	for i, p := range all {
		if !strings.HasPrefix(p, "tables/") || i%50 == 0 {
			visit = append(visit, p)
		}
	}
	facts := map[string]pageFacts{}
	for _, p := range visit {
		facts[p] = b.visit(t, dir, p)
	}
	if len(facts) < 30 {
		t.Fatalf("%d pages visited", len(facts))
	}
	out := outDir(t)
	shot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	open := func(page string) {
		t.Helper()
		page, frag, _ := strings.Cut(page, "#")
		u := (&url.URL{Scheme: "file", Path: filepath.Join(dir, page), Fragment: frag}).String()
		if err := chromedp.Do(b.ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string, res any) {
		t.Helper()
		raw, err := chromedp.Run(b.ctx, chromedp.Evaluate[json.RawMessage](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		if res != nil {
			if err := json.Unmarshal(raw, res); err != nil {
				t.Fatalf("%s: %v", js, err)
			}
		}
	}
	mouse := func(evs ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(b.ctx, evs...); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The plan page: filters and folding.
	open("plan.html")
	shot("large-plan.png")
	type shown struct {
		Groups, Visible int
		Kinds, Sevs     []string
		Contexts        [][]string
	}
	read := func() shown {
		var s shown
		eval(`(() => {
		  const items = Array.from(document.querySelectorAll("#groups .fitem"));
		  const vis = items.filter(i => !i.hidden && !i.closest("[hidden]"));
		  return {groups: items.length, visible: vis.length,
		    kinds: [...new Set(vis.map(i => i.dataset.kind))], sevs: [...new Set(vis.map(i => i.dataset.severity))],
		    contexts: vis.map(i => JSON.parse(i.dataset.contexts))};
		})()`, &s)
		return s
	}
	choose := func(key, value string) {
		t.Helper()
		var ok bool
		eval(fmt.Sprintf(`(() => {
		  const s = document.querySelector(".filters[data-target=groups] select[data-key=" + %q + "]");
		  if (!s) return false;
		  s.value = %q; s.dispatchEvent(new Event("change")); return true;
		})()`, key, value), &ok)
		if !ok {
			t.Fatalf("no %s filter on the plan page", key)
		}
	}
	before := read()
	if before.Groups != len(an.Plan.Groups) || before.Visible != before.Groups {
		t.Fatalf("plan page shows %d of %d groups, want all %d", before.Visible, before.Groups, len(an.Plan.Groups))
	}
	kind, sev, ctx := string(an.Plan.Groups[len(an.Plan.Groups)-1].Kind), string(an.Plan.Groups[0].Severity), an.Plan.Contexts[3].Name
	for _, f := range []struct {
		key, value string
		check      func(shown) bool
	}{
		{"kind", kind, func(s shown) bool { return slices.Equal(s.Kinds, []string{kind}) }},
		{"severity", sev, func(s shown) bool { return slices.Equal(s.Sevs, []string{sev}) }},
		{"contexts", ctx, func(s shown) bool {
			return !slices.ContainsFunc(s.Contexts, func(c []string) bool { return !slices.Contains(c, ctx) })
		}},
	} {
		choose(f.key, f.value)
		got := read()
		if got.Visible == 0 || got.Visible >= before.Visible || !f.check(got) {
			t.Errorf("filter %s=%s: %d of %d groups shown (%v, %v)", f.key, f.value, got.Visible, got.Groups, got.Kinds, got.Sevs)
		}
		choose(f.key, "")
	}
	// Filters combine.
	choose("severity", sev)
	choose("contexts", ctx)
	if got := read(); got.Visible == 0 || !slices.Equal(got.Sevs, []string{sev}) ||
		slices.ContainsFunc(got.Contexts, func(c []string) bool { return !slices.Contains(c, ctx) }) {
		t.Errorf("filters severity=%s and context=%s: %d groups shown (%v)", sev, ctx, got.Visible, got.Sevs)
	}
	shot("large-plan-filtered.png")
	for _, key := range []string{"kind", "severity", "contexts"} {
		choose(key, "")
	}
	if got := read(); got.Visible != before.Groups {
		t.Errorf("filters cleared: %d of %d groups shown", got.Visible, got.Groups)
	}
	var openCount [2]int
	for i, button := range []string{"data-open", "data-close"} {
		eval(fmt.Sprintf(`(() => { document.querySelector("button[%s=groups]").click();
		  return document.querySelectorAll("#groups details.group[open]").length; })()`, button), &openCount[i])
	}
	if openCount[0] != len(an.Plan.Groups) || openCount[1] != 0 {
		t.Errorf("expand all opened %d groups, collapse all left %d open; want %d and 0", openCount[0], openCount[1], len(an.Plan.Groups))
	}
	// A link to a finding opens the groups around it.
	f := an.Plan.Findings[len(an.Plan.Findings)/2]
	open("plan.html#" + diagram.SlugOf("f", f.ID))
	var visible bool
	eval(`(() => { const el = document.getElementById(decodeURIComponent(location.hash.slice(1)));
	  return !!el && el.open && el.closest("details.group").open && el.getBoundingClientRect().height > 0; })()`, &visible)
	if !visible {
		t.Errorf("the link to finding %s does not show it", f.ID)
	}
	shot("large-plan-finding.png")
	open("plan.html#step-1")
	eval(`(() => { const el = document.getElementById("step-1"); return el.open && el.closest("details.run").open; })()`, &visible)
	if !visible {
		t.Error("the link to step 1 does not show it")
	}
	shot("large-plan-step.png")
	for _, e := range b.takeErrors() {
		t.Errorf("plan page: %s", e)
	}

	// A context page: its diagram opens on the context's own tables, and
	// zooms and pans.
	c := m.Groups()[0]
	page := ""
	for p, pf := range facts {
		if strings.HasPrefix(p, "contexts/") && strings.Contains(pf.Title, "Context "+c+" ") {
			page = p
		}
	}
	if page == "" {
		t.Fatalf("no page for context %s", c)
	}
	open(page)
	eval(`document.querySelector(".diagram[data-zoom]").scrollIntoView()`, nil)
	type zoomState struct {
		Scale            float64
		View             []float64
		Focus            []float64 // the focus cluster, in the box's pixels
		Box              []float64
		Buttons          []string
		FocusIn, Zooming bool
	}
	state := func() zoomState {
		var z zoomState
		eval(`(() => {
		  const box = document.querySelector(".diagram[data-zoom]");
		  const svg = box.querySelector("svg");
		  const name = box.dataset.focus;
		  const cl = Array.from(svg.querySelectorAll("g.cluster")).find(g => g.querySelector("title").textContent === name);
		  const b = box.getBoundingClientRect(), f = cl.getBoundingClientRect();
		  return {scale: parseFloat(box.dataset.scale), view: svg.getAttribute("viewBox").split(" ").map(Number),
		    focus: [f.left - b.left, f.top - b.top, f.width, f.height], box: [b.width, b.height],
		    buttons: Array.from(box.querySelectorAll(".zoom-controls button")).map(x => x.textContent),
		    // On the focus: the cluster fills most of the box, or the box
		    // holds all of it.
		    focusIn: (() => {
		      const w = Math.max(0, Math.min(f.right, b.right) - Math.max(f.left, b.left));
		      const h = Math.max(0, Math.min(f.bottom, b.bottom) - Math.max(f.top, b.top));
		      return w * h >= 0.5 * b.width * b.height || w * h >= 0.9 * f.width * f.height;
		    })(),
		    zooming: box.classList.contains("zooming")};
		})()`, &z)
		return z
	}
	z0 := state()
	if !z0.Zooming || !slices.Contains(z0.Buttons, "+") || !slices.Contains(z0.Buttons, "Focus") {
		t.Fatalf("%s: the diagram has no zoom controls: %+v", page, z0)
	}
	if !z0.FocusIn || z0.Focus[2] < z0.Box[0]/4 && z0.Focus[3] < z0.Box[1]/4 || z0.Scale < 0.75 {
		t.Errorf("%s: the diagram does not open on the context's tables at a readable scale: cluster at %v in a %v box, %.2f px a point", page, z0.Focus, z0.Box, z0.Scale)
	}
	shot("large-context.png")
	click := func(label string) {
		t.Helper()
		var ok bool
		eval(fmt.Sprintf(`(() => { const b = Array.from(document.querySelectorAll(".zoom-controls button")).find(x => x.textContent === %q);
		  if (!b) return false; b.click(); return true; })()`, label), &ok)
		if !ok {
			t.Fatalf("no %s button", label)
		}
	}
	click("+")
	z1 := state()
	if z1.Scale <= z0.Scale*1.2 || z1.View[2] >= z0.View[2] {
		t.Errorf("+ does not zoom in: scale %.3f -> %.3f, view %v -> %v", z0.Scale, z1.Scale, z0.View, z1.View)
	}
	click("Fit")
	z2 := state()
	if z2.Scale >= z1.Scale {
		t.Errorf("Fit does not zoom out: scale %.3f -> %.3f", z1.Scale, z2.Scale)
	}
	// Ctrl + wheel zooms at the pointer; a drag pans.
	var mid [2]float64
	eval(`(() => { const r = document.querySelector(".diagram[data-zoom]").getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2]; })()`, &mid)
	mouse(chromedp.MouseEvent(chromedp.MouseWheel, mid[0], mid[1], chromedp.ButtonModifiers(chromedp.ModifierCtrl),
		// (a zero deltaX would be left out, and Chromium wants both)
		func(p *input.DispatchMouseEventParams) { p.DeltaX, p.DeltaY = 0.01, -300 }))
	z3 := state()
	if z3.Scale <= z2.Scale {
		t.Errorf("Ctrl + wheel does not zoom in: scale %.3f -> %.3f", z2.Scale, z3.Scale)
	}
	mouse(chromedp.MouseEvent(chromedp.MousePressed, mid[0], mid[1], chromedp.ButtonLeft, chromedp.ClickCount(1)),
		chromedp.MouseEvent(chromedp.MouseMoved, mid[0]+60, mid[1]+30, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, mid[0]+120, mid[1]+60, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, mid[0]+120, mid[1]+60, chromedp.ButtonLeft, chromedp.ClickCount(1)))
	z4 := state()
	if z4.View[0] >= z3.View[0] || z4.View[1] >= z3.View[1] || z4.Scale != z3.Scale {
		t.Errorf("a drag to the bottom right does not pan: view %v -> %v", z3.View, z4.View)
	}
	click("Focus")
	if z5 := state(); !z5.FocusIn {
		t.Errorf("Focus does not come back to the context's tables")
	}
	for _, e := range b.takeErrors() {
		t.Errorf("%s: %s", page, e)
	}

	// The context map: pointing at a context lights its edges and says
	// its dependencies with their weights.
	open("index.html")
	eval(`document.querySelector(".diagram[data-diagram=map]").scrollIntoView()`, nil)
	shot("large-map.png")
	// A context the map shows whole.
	var node struct {
		Name string
		X, Y float64
	}
	eval(`(() => { const box = document.querySelector(".diagram[data-diagram=map]").getBoundingClientRect();
	  for (const g of document.querySelectorAll(".diagram[data-diagram=map] g.node")) {
	    const r = g.getBoundingClientRect();
	    if (r.left > box.left && r.right < box.right && r.top > box.top && r.bottom < box.bottom && !g.querySelector("title").textContent.startsWith("legend"))
	      return {name: g.querySelector("title").textContent, x: r.left + r.width/2, y: r.top + r.height/2};
	  }
	  return {}; })()`, &node)
	if node.Name == "" {
		t.Fatal("the map shows no context whole")
	}
	mouse(chromedp.MouseEvent(chromedp.MouseMoved, node.X, node.Y))
	var hover struct {
		Info    string
		Lit     bool
		OnEdges int
	}
	eval(`(() => { const box = document.querySelector(".diagram[data-diagram=map]");
	  return {info: document.querySelector(".map-info").textContent, lit: box.classList.contains("hl"), onEdges: box.querySelectorAll("g.edge.on").length}; })()`, &hover)
	if !hover.Lit || hover.OnEdges == 0 || !strings.HasPrefix(hover.Info, node.Name+" depends on ") || !strings.Contains(hover.Info, "(") {
		t.Errorf("pointing at %s on the map: %+v", node.Name, hover)
	}
	shot("large-map-hover.png")
	for _, e := range b.takeErrors() {
		t.Errorf("index: %s", e)
	}
	t.Logf("screenshots in %s", out)
}
