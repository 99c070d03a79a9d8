package mermaid_test

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestMermaidRenders renders every golden diagram with the real Mermaid
// library in headless Chromium. It needs Mermaid's mermaid.min.js, named by
// SEAMS_MERMAID_JS (npm install mermaid@12.3.0; the file is in
// node_modules/mermaid/dist/), and Chromium.
func TestMermaidRenders(t *testing.T) {
	js := os.Getenv("SEAMS_MERMAID_JS")
	if js == "" {
		t.Skip("SEAMS_MERMAID_JS is not set: the structural checks of TestGolden still ran")
	}
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatal("no chromium on PATH (apt-get install -y chromium)")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "m.html")
	jsURL := (&url.URL{Scheme: "file", Path: js}).String()
	if err := os.WriteFile(page, []byte(`<!DOCTYPE html><meta charset="utf-8"><body><script src="`+jsURL+`"></script><script>mermaid.initialize({startOnLoad:false, securityLevel:"strict"});</script></body>`), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelT()
	if err := chromedp.Do(ctx, chromedp.Navigate((&url.URL{Scheme: "file", Path: page}).String()), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("testdata", "*.mmd"))
	if len(files) == 0 {
		t.Fatal("no golden diagrams")
	}
	for i, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		arg, _ := json.Marshal(string(text))
		res, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
  try {
    const r = await mermaid.render("d`+string(rune('a'+i))+`", `+string(arg)+`);
    return r.svg;
  } catch (e) { return "ERROR " + (e && e.message || e); }
})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if strings.HasPrefix(res, "ERROR") || !strings.Contains(res, "<svg") {
			t.Errorf("%s: Mermaid could not render it: %.300s", f, res)
			continue
		}
		if strings.Contains(res, "<script") {
			t.Errorf("%s: rendered SVG holds a script", f)
		}
		if strings.Contains(f, "musiccorp") && !strings.Contains(res, "public.order") {
			t.Errorf("%s: rendered SVG lacks the label public.sku", f)
		}
		if strings.Contains(f, "hostile") && !strings.Contains(res, "{brace}") {
			t.Errorf("%s: rendered SVG lacks the decoded label {brace}", f)
		}
		if dir := os.Getenv("SEAMS_TEST_OUT"); dir != "" {
			os.WriteFile(filepath.Join(dir, filepath.Base(f)+".svg"), []byte(res), 0o644)
		}
	}
}
