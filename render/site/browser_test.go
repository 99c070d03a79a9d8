package site_test

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/site"
	"github.com/seamsdev/seams/schema"
)

// chromium finds the browser: $SEAMS_CHROMIUM, else Debian's chromium.
// The browser tests fail, not skip, without it: CI installs it.
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("SEAMS_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no chromium on PATH: install it (Debian: apt-get install -y chromium) or set SEAMS_CHROMIUM")
	return ""
}

// browser starts headless Chromium and collects the console errors,
// uncaught exceptions and failed loads of every page it visits.
type browser struct {
	ctx    context.Context
	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch ev := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				var parts []string
				for _, a := range ev.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				msg = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				msg += " " + ev.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError || ev.Entry.Level == log.EntryLevelWarning {
				msg = "log " + string(ev.Entry.Source) + ": " + ev.Entry.Text + " " + ev.Entry.URL
			}
		}
		if msg != "" {
			b.mu.Lock()
			b.errors = append(b.errors, msg)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, log.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, runtime.Enable, cdp.Empty{}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return b
}

// takeErrors returns and clears the errors seen so far.
func (b *browser) takeErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	e := b.errors
	b.errors = nil
	return e
}

// pageFacts is what the test reads from each page after it loads.
type pageFacts struct {
	Links       []string `json:"links"`
	Images      []string `json:"images"`
	BrokenImgs  []string `json:"brokenImgs"`
	Styles      int      `json:"styles"`
	IndexLoaded bool     `json:"indexLoaded"`
	Pwned       bool     `json:"pwned"`
	NodeIDs     []string `json:"nodeIds"`
	SVGs        int      `json:"svgs"`
	Title       string   `json:"title"`
	// ScrollWidth and ClientWidth are the page's: wider means it scrolls
	// sideways.
	ScrollWidth int `json:"scrollWidth"`
	ClientWidth int `json:"clientWidth"`
	// BadHeadings are the headings without an id or a link to it.
	BadHeadings []string `json:"badHeadings"`
	// BadFragments are the links to an id the page does not hold.
	BadFragments []string `json:"badFragments"`
}

const factsJS = `(() => {
  const abs = (u) => new URL(u, document.baseURI).href;
  const links = [];
  for (const a of document.querySelectorAll("a")) {
    const h = a.getAttribute("href") || a.getAttributeNS("http://www.w3.org/1999/xlink", "href");
    if (h) links.push(abs(h));
  }
  const images = Array.from(document.images).map(i => i.src);
  const broken = Array.from(document.images).filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src);
  return {
    links, images, brokenImgs: broken,
    styles: Array.from(document.styleSheets).filter(s => { try { return s.cssRules.length > 0 } catch (e) { return true } }).length,
    indexLoaded: Array.isArray(window.SEAMS_INDEX) && window.SEAMS_INDEX.length > 0,
    pwned: typeof window.pwned !== "undefined",
    nodeIds: Array.from(document.querySelectorAll("svg g.node")).map(g => g.id),
    svgs: document.querySelectorAll("svg").length,
    title: document.title,
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    badHeadings: Array.from(document.querySelectorAll("h1,h2,h3,h4,h5,h6"))
      .filter(h => !h.id || !h.querySelector("a.anchor[href='#" + CSS.escape(h.id) + "']"))
      .map(h => h.outerHTML.slice(0, 120)),
    badFragments: Array.from(document.querySelectorAll("a[href^='#']"))
      .map(a => decodeURIComponent(a.getAttribute("href").slice(1)))
      .filter(id => id && !document.getElementById(id)),
  };
})()`

// visit loads a page and returns its facts, failing on console errors,
// broken links and images, a missing stylesheet or search index, and any
// script from the database having run.
func (b *browser) visit(t *testing.T, dir, page string) pageFacts {
	t.Helper()
	u := (&url.URL{Scheme: "file", Path: filepath.Join(dir, page)}).String()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	f, err := chromedp.Run(b.ctx, chromedp.Evaluate[pageFacts](factsJS))
	if err != nil {
		t.Fatalf("%s: %v", page, err)
	}
	time.Sleep(20 * time.Millisecond) // let late console events arrive
	for _, e := range b.takeErrors() {
		t.Errorf("%s: %s", page, e)
	}
	if f.Pwned {
		t.Errorf("%s: a script from the database ran (window.pwned is set)", page)
	}
	if f.Styles == 0 {
		t.Errorf("%s: stylesheet not loaded", page)
	}
	if !f.IndexLoaded {
		t.Errorf("%s: search index script not loaded", page)
	}
	if f.ScrollWidth > f.ClientWidth {
		t.Errorf("%s: scrolls sideways: %d px wide in a %d px window", page, f.ScrollWidth, f.ClientWidth)
	}
	for _, h := range f.BadHeadings {
		t.Errorf("%s: heading without an anchor: %s", page, h)
	}
	for _, id := range f.BadFragments {
		t.Errorf("%s: link to #%s, which the page does not hold", page, id)
	}
	for _, img := range f.BrokenImgs {
		t.Errorf("%s: broken image %s", page, img)
	}
	for _, l := range f.Links {
		lu, err := url.Parse(l)
		if err != nil {
			t.Errorf("%s: bad link %q", page, l)
			continue
		}
		if lu.Scheme != "file" {
			t.Errorf("%s: link leaves the site: %s", page, l)
			continue
		}
		if _, err := os.Stat(lu.Path); err != nil {
			t.Errorf("%s: broken link %s", page, l)
		}
	}
	return f
}

func pages(t *testing.T, dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".html") {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return err
	})
	slices.Sort(out)
	return out
}

// outDir is where screenshots go: $SEAMS_TEST_OUT, else a temporary
// directory that the test prints.
func outDir(t *testing.T) string {
	if d := os.Getenv("SEAMS_TEST_OUT"); d != "" {
		d = filepath.Join(d, "screenshots")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// TestBrowserMusicCorp visits every page of the site of the MusicCorp
// fixture, read from a live PostgreSQL database.
func TestBrowserMusicCorp(t *testing.T) {
	f := diagramtest.LoadMusicCorp(t)
	in := site.Input{Analysis: f.Analysis, Renderer: renderer(t)}
	dir := filepath.Join(t.TempDir(), "site")
	if out := os.Getenv("SEAMS_TEST_OUT"); out != "" {
		dir = filepath.Join(out, "musiccorp-fixture-site")
		os.RemoveAll(dir)
	}
	t.Logf("site in %s", dir)
	if err := siteWrite(dir, in); err != nil {
		t.Fatal(err)
	}
	m := diagram.NewModel(in.Analysis.Ownership, diagram.Options{})
	b := newBrowser(t)
	all := pages(t, dir)
	if want := 5 + len(m.Groups()) + len(m.Tables()); len(all) != want {
		t.Errorf("%d pages, want %d", len(all), want)
	}
	facts := map[string]pageFacts{}
	for _, p := range all {
		facts[p] = b.visit(t, dir, p)
	}
	// Diagrams: inline SVG with a node for each table they show.
	if f := facts["index.html"]; f.SVGs == 0 || len(f.NodeIDs) != len(m.Groups())+1 {
		t.Errorf("index: %d SVGs, %d nodes; want the context map with %d contexts + legend", f.SVGs, len(f.NodeIDs), len(m.Groups()))
	}
	for _, c := range m.Groups() {
		g, _ := m.Context(c)
		page := ""
		for _, p := range all {
			if strings.HasPrefix(p, "contexts/") && strings.Contains(facts[p].Title, "Context "+c+" ") {
				page = p
			}
		}
		if page == "" {
			t.Errorf("no page for context %s", c)
			continue
		}
		for _, cl := range g.Clusters {
			for _, n := range cl.Nodes {
				if !slices.Contains(facts[page].NodeIDs, diagram.Slug(n.Name())) {
					t.Errorf("%s: diagram lacks a node for %s", page, n.Name())
				}
			}
		}
	}
	for _, n := range m.Tables() {
		p := "tables/" + diagram.Slug(n) + ".html"
		if !slices.Contains(facts[p].NodeIDs, diagram.Slug(n)) {
			t.Errorf("%s: neighbourhood diagram lacks the table's own node", p)
		}
	}
	// The search box filters as you type.
	search := func(q string) []string {
		err := chromedp.Do(b.ctx,
			chromedp.Navigate((&url.URL{Scheme: "file", Path: filepath.Join(dir, "index.html")}).String()),
			chromedp.WaitReady(chromedp.CSS("#search")),
			chromedp.SendKeys(chromedp.CSS("#search"), q))
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#search-results li")).map(li => li.textContent)`))
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		return got
	}
	for _, tt := range []struct {
		q    string
		want string
		max  int
	}{
		{"total_refun", "public.customer", 1},       // a column
		{"warehou", "context · 7 tables", 10},       // a context, its tables, columns
		{"customer_or", "public.customer_order", 1}, // a table
		{"no-such-thing", "no match", 1},
	} {
		got := search(tt.q)
		if len(got) == 0 || len(got) > tt.max || !strings.Contains(strings.Join(got, "\n"), tt.want) {
			t.Errorf("search %q: results %q, want %q within %d results", tt.q, got, tt.want, tt.max)
		}
	}
	for _, e := range b.takeErrors() {
		t.Errorf("search: %s", e)
	}
	// Screenshots for review.
	out := outDir(t)
	finance := ""
	for _, p := range all {
		if strings.Contains(facts[p].Title, "Context finance ") {
			finance = p
		}
	}
	for name, page := range map[string]string{
		"index.png":   "index.html",
		"context.png": finance,
		"table.png":   "tables/" + diagram.Slug(schema.TableName{Schema: "public", Name: "customer_order"}) + ".html",
		"plan.png":    "plan.html",
	} {
		u := (&url.URL{Scheme: "file", Path: filepath.Join(dir, page)}).String()
		if err := chromedp.Do(b.ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", out)
}

// TestBrowserHostile visits every page of a site whose names and comments
// carry scripts: none may run.
func TestBrowserHostile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := siteWrite(dir, hostileInput(t)); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	for _, p := range pages(t, dir) {
		f := b.visit(t, dir, p)
		if strings.HasPrefix(p, "tables/") && len(f.NodeIDs) == 0 {
			t.Errorf("%s: no diagram", p)
		}
	}
	// Searching for a hostile name shows it as text.
	err := chromedp.Do(b.ctx,
		chromedp.Navigate((&url.URL{Scheme: "file", Path: filepath.Join(dir, "index.html")}).String()),
		chromedp.WaitReady(chromedp.CSS("#search")),
		chromedp.SendKeys(chromedp.CSS("#search"), "<script"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#search-results li a")).map(a => a.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	pwned, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`typeof window.pwned !== "undefined"`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || pwned {
		t.Errorf("search for <script: results %q, pwned %v", got, pwned)
	}
	for _, e := range b.takeErrors() {
		t.Errorf("search: %s", e)
	}
}

func siteWrite(dir string, in site.Input) error {
	return site.Write(context.Background(), dir, in)
}

// TestBrowserMusicCorpUsage visits every page of the MusicCorp site with the
// usage found in the application's code: the usage sections load without
// errors or broken links, and the page count is the site's without usage.
func TestBrowserMusicCorpUsage(t *testing.T) {
	in := musicCorpUsageInput(t, true)
	dir := filepath.Join(t.TempDir(), "site")
	if err := siteWrite(dir, in); err != nil {
		t.Fatal(err)
	}
	m := diagram.NewModel(in.Analysis.Ownership, diagram.Options{})
	all := pages(t, dir)
	if want := 5 + len(m.Groups()) + len(m.Tables()); len(all) != want {
		t.Errorf("%d pages, want %d", len(all), want)
	}
	b := newBrowser(t)
	for _, p := range all {
		b.visit(t, dir, p)
	}
	// The usage section of a shared table, read as the browser shows it.
	page := "tables/" + diagram.Slug(schema.TableName{Schema: "public", Name: "customer"}) + ".html"
	u := (&url.URL{Scheme: "file", Path: filepath.Join(dir, page)}).String()
	if err := chromedp.Do(b.ctx, chromedp.Navigate(u), chromedp.WaitReady(chromedp.CSS("table.usage"))); err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("table.usage tr")).slice(1).map(tr => tr.innerText.replace(/\s+/g, " ").trim())`))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"finance – 2 / 2 customer_id, last_payment_at*, last_refund_at*, total_paid*, total_refunded* readwrite matches the declaration",
		"warehouse – 1 / 1 customer_id, last_dispatched_at* readwrite matches the declaration",
	}
	if !slices.Equal(rows, want) {
		t.Errorf("usage rows of %s:\n%q\nwant\n%q", page, rows, want)
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	out := outDir(t)
	if err := os.WriteFile(filepath.Join(out, "table-usage.png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot in %s", out)
}
