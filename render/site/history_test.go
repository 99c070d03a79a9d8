package site_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/history"
	"github.com/seamsdev/seams/internal/analysistest"
	"github.com/seamsdev/seams/render/site"
	"github.com/seamsdev/seams/schema"
)

// historyInput is the MusicCorp site with a history of three snapshots:
// the fixture, then a table named to break out of HTML with a key to album
// (in finance, whose map entry names it), then the key dropped.
func historyInput(t *testing.T) site.Input {
	quoted, _ := json.Marshal(analysistest.Evil)
	yaml := strings.Replace(musiccorp.ContextsYAML, "      - customer_order\n", "      - customer_order\n      - "+string(quoted)+"\n", 1)
	var h history.History
	var last *schema.Snapshot
	for i := range 3 {
		s := analysistest.MusicCorp(t)
		s.Source.CapturedAt = s.Source.CapturedAt.Add(time.Duration(i) * 7 * 24 * time.Hour)
		if i > 0 {
			evil := schema.Table{Schema: "public", Name: analysistest.Evil, Kind: schema.KindTable,
				Columns: []schema.Column{{Name: "id", Type: "integer"}, {Name: "album_id", Type: "integer", Nullable: true}}}
			if i == 1 {
				evil.ForeignKeys = []schema.ForeignKey{{Name: "evil_album", Columns: []string{"album_id"}, References: schema.TableName{Schema: "public", Name: "album"},
					RefColumns: []string{"album_id"}, OnDelete: schema.NoAction, OnUpdate: schema.NoAction, Enforced: true, Valid: true}}
			}
			s.Tables = append(s.Tables, evil)
			s.Normalize()
		}
		h.Add("snapshot <"+string(rune('a'+i))+">.json", analysistest.Run(t, s, analysistest.MusicCorpMap, yaml))
		last = s
	}
	an := analysistest.Run(t, last, analysistest.MusicCorpMap, yaml)
	return site.Input{Analysis: an, Renderer: renderer(t), History: &h}
}

func TestHistoryPage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := site.Write(context.Background(), dir, historyInput(t)); err != nil {
		t.Fatal(err)
	}
	page := read(t, dir, "history.html")
	for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg" class="chart"`, "<th>finance</th>", "snapshot &lt;a&gt;.json → snapshot &lt;b&gt;.json",
		`<span class="crossing">coupling appeared</span> foreign key evil_album`, `<span class="tag">coupling removed</span> foreign key evil_album`} {
		if !strings.Contains(page, want) {
			t.Errorf("history.html lacks %q", want)
		}
	}
	if strings.Contains(page, "<b>&amp;") || strings.Contains(page, "<b>") {
		t.Error("a name became markup")
	}
	if !strings.Contains(read(t, dir, "index.html"), `href="history.html">History</a>`) {
		t.Error("the navigation does not link the history page")
	}
	// Without a history, no page and no link.
	plain := filepath.Join(t.TempDir(), "plain")
	in := historyInput(t)
	in.History = nil
	if err := site.Write(context.Background(), plain, in); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(plain, "history.html")); err == nil || strings.Contains(read(t, plain, "index.html"), "history.html") {
		t.Error("a site without history has a history page or link")
	}
}

// TestBrowserHistory opens the history page in Chromium: no console error,
// no script from a name runs, every link works, and the chart is drawn.
func TestBrowserHistory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := siteWrite(dir, historyInput(t)); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	f := b.visit(t, dir, "history.html")
	if f.SVGs != 1 {
		t.Errorf("%d SVGs on the history page, want the chart", f.SVGs)
	}
}
