package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
