package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

func TestRenderSiteAndDiagrams(t *testing.T) {
	dir := t.TempDir()
	site := filepath.Join(dir, "site")
	code, stdout, stderr := seams(t, "render", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--out", site)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "wrote ") || !strings.HasSuffix(strings.TrimSpace(stdout), "index.html") {
		t.Errorf("stdout %q", stdout)
	}
	for _, f := range []string{"index.html", "plan.html", "tables.html"} {
		if _, err := os.Stat(filepath.Join(site, f)); err != nil {
			t.Errorf("site lacks %s: %v", f, err)
		}
	}
	tests := []struct {
		name   string
		args   []string
		prefix string
	}{
		{"map svg", []string{"--format", "svg"}, "<svg "},
		{"context dot", []string{"--format", "dot", "--context", "finance"}, "digraph"},
		{"table mermaid", []string{"--format", "mermaid", "--table", "public.ledger", "--depth", "2"}, "erDiagram"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "."))
			args := append([]string{"render", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "-o", out}, tt.args...)
			code, _, stderr := seams(t, args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(data), tt.prefix) {
				t.Errorf("%s starts %q, want %q", out, string(data[:min(40, len(data))]), tt.prefix)
			}
		})
	}
}

func TestRenderUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{}, "seams: nothing to render: pass --out DIR for the site or --format svg|png|dot|mermaid for one diagram"},
		{[]string{"--format", "gif"}, `seams: --format "gif": want svg, png, dot or mermaid`},
		{[]string{"--format", "s"}, `seams: --format "s": want svg, png, dot or mermaid`},
		{[]string{"--format", "mermaid"}, "seams: mermaid draws a context (--context NAME) or a table's neighbourhood (--table NAME), not the context map"},
		{[]string{"--format", "svg", "--context", "billing"}, `seams: --context "billing": no such context (contexts: catalog, finance, warehouse, recommendation`},
		{[]string{"--format", "svg", "--table", "nope"}, `seams: --table "nope": no such table in the snapshot`},
		{[]string{"--out", "x", "--format", "svg"}, "seams: --out writes the site and --format one diagram: give one"},
	}
	for _, tt := range tests {
		args := append([]string{"render", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts}, tt.args...)
		code, _, stderr := seams(t, args...)
		if code != exitUsage || !strings.HasPrefix(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}

// TestRenderHistory renders the site of a history of three snapshots
// written out of order: the page lists them by capture time and the site
// shows the latest.
func TestRenderHistory(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "history")
	if err := os.Mkdir(hist, 0o755); err != nil {
		t.Fatal(err)
	}
	at := func(days int, change func(*schema.Snapshot)) func(*schema.Snapshot) {
		return func(s *schema.Snapshot) {
			s.Source.CapturedAt = s.Source.CapturedAt.AddDate(0, 0, days)
			change(s)
		}
	}
	changedSnapshot(t, hist, "a-latest.json", at(14, func(s *schema.Snapshot) {
		addInvoiceCustomerFK(s)
		s.Source.Database = "latest"
	}))
	changedSnapshot(t, hist, "b-first.json", at(0, func(*schema.Snapshot) {}))
	changedSnapshot(t, hist, "c-second.json", at(7, addInvoiceCustomerFK))
	out := filepath.Join(dir, "site")
	code, _, stderr := seams(t, "render", "--history", hist, "--contexts", fixtureContexts, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "history.html"))
	if err != nil {
		t.Fatal(err)
	}
	first, second, latest := strings.Index(string(page), "<td>b-first.json"), strings.Index(string(page), "<td>c-second.json"), strings.Index(string(page), "<td>a-latest.json")
	if first < 0 || !(first < second && second < latest) {
		t.Errorf("snapshots not in capture order: %d %d %d", first, second, latest)
	}
	if !strings.Contains(string(page), "b-first.json → c-second.json") || !strings.Contains(string(page), "coupling appeared</span> foreign key invoice_customer_fk") {
		t.Error("the change between the first two snapshots is missing")
	}
	if index, _ := os.ReadFile(filepath.Join(out, "index.html")); !strings.Contains(string(index), "latest") {
		t.Error("the site does not show the latest snapshot")
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"render", "--history", hist, "--format", "svg"}, "seams: --history adds a page to the site: it needs --out DIR"},
		{[]string{"render", "--history", dir + "/none", "--out", out}, "seams: --history " + dir + "/none: not a directory"},
		{[]string{"render", "--history", t.TempDir(), "--out", out}, "no snapshot files (*.json) in it"},
	} {
		code, _, stderr := seams(t, append(tt.args, "--contexts", fixtureContexts)...)
		if code != exitUsage || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q; want %q", tt.args, code, stderr, tt.want)
		}
	}
}
