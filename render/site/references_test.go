package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/site"
	"github.com/seamsdev/seams/schema"
)

// referencesInput is the MusicCorp diagram fixture with three references
// no foreign key declares (scores 0.9, 0.7 and 0.4), one with markup in
// its evidence.
func referencesInput(t *testing.T) (site.Input, string) {
	snap, a := diagramtest.MusicCorp()
	tn := func(n string) schema.TableName { return schema.TableName{Schema: "public", Name: n} }
	hostile := `</script><script>window.pwned=1</script>`
	snap.Inferred = []schema.InferredReference{
		{Table: tn("audit_log"), Columns: []string{"entity"}, References: tn("orders"), RefColumns: []string{"id"}, Score: 0.9,
			Evidence: []schema.Evidence{{Source: "usage", Detail: "statement joins " + hostile, Score: 0.9}},
			Verified: &schema.Verification{Checked: true, Orphans: true}},
		{Table: tn("price_history"), Columns: []string{"price_cents"}, References: tn("sku"), RefColumns: []string{"id"}, Score: 0.7,
			Evidence: []schema.Evidence{{Source: "name", Detail: "a name", Score: 0.7}}},
		{Table: tn("stock"), Columns: []string{"on_hand"}, References: tn("orders"), RefColumns: []string{"id"}, Score: 0.4,
			Evidence: []schema.Evidence{{Source: "name", Detail: "a weak name", Score: 0.4}}},
	}
	an := diagramtest.Analyse(t, snap, a)
	return site.Input{Analysis: an, Inferred: diagram.InferredEdges(an.Plan), Renderer: renderer(t)}, hostile
}

// TestReferencesPage: every inferred reference is listed with its score,
// status, evidence (escaped) and data check, and the slider hides the
// rows under the minimum score.
func TestReferencesPage(t *testing.T) {
	in, hostile := referencesInput(t)
	dir := filepath.Join(t.TempDir(), "site")
	if err := siteWrite(dir, in); err != nil {
		t.Fatal(err)
	}
	html, err := os.ReadFile(filepath.Join(dir, "references.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(html)
	for _, want := range []string{`data-score="0.90"`, `data-score="0.70"`, `data-score="0.40"`, "used by the plan", "under the threshold",
		"orphans found", `value="0.60"`, "2 of 3"} {
		if !strings.Contains(page, want) {
			t.Errorf("references.html lacks %q", want)
		}
	}
	if strings.Contains(page, hostile) {
		t.Error("evidence from the database is not escaped")
	}
	b := newBrowser(t)
	b.visit(t, dir, "references.html")
	var shown []int
	for _, v := range []string{"0.6", "0.95", "0"} {
		js := `(() => { const r = document.getElementById("min-score"); r.value = "` + v + `"; r.dispatchEvent(new Event("input"));
			return [...document.querySelectorAll("tr[data-score]")].filter(tr => !tr.hidden).length; })()`
		n, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](js))
		if err != nil {
			t.Fatal(err)
		}
		shown = append(shown, n)
	}
	if shown[0] != 2 || shown[1] != 0 || shown[2] != 3 {
		t.Errorf("rows shown at 0.6, 0.95, 0: %v, want [2 0 3]", shown)
	}
}
