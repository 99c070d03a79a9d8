package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSuggestThenPlan runs seams suggest on the MusicCorp snapshot and
// feeds the map it writes, unedited, to seams plan and seams render.
func TestSuggestThenPlan(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "contexts.yaml")
	code, stdout, stderr := seams(t, "suggest", "--snapshot", fixtureSnapshot, "-o", out)
	if code != exitOK || !strings.HasPrefix(stdout, "wrote "+out+": 3 contexts, 1 static tables, 3 isolated tables; modularity ") {
		t.Fatalf("suggest: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	y, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr = seams(t, "plan", "--snapshot", fixtureSnapshot, "--contexts", out)
	if code != exitOK || stderr != "" {
		t.Fatalf("plan: exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "3 contexts") || !strings.Contains(stdout, "3 tables in no context") {
		t.Errorf("plan of the suggested map:\n%s", stdout)
	}
	// render --suggest draws the same contexts as render --contexts with
	// the suggested map.
	_, viaMap, _ := seams(t, "render", "--snapshot", fixtureSnapshot, "--contexts", out, "--format", "dot")
	code, viaSuggest, stderr := seams(t, "render", "--snapshot", fixtureSnapshot, "--suggest", "--format", "dot")
	if code != exitOK || viaSuggest != viaMap || !strings.Contains(viaSuggest, "stock_movement") {
		t.Errorf("render --suggest: exit %d, stderr %q, same as the map: %v", code, stderr, viaSuggest == viaMap)
	}
	// Without -o the map goes to stdout; the same bytes.
	_, again, _ := seams(t, "suggest", "--snapshot", fixtureSnapshot)
	if again != string(y) {
		t.Error("the map on stdout differs from the -o file")
	}
}

// TestSuggestFormats checks --format json (decodes, with the scores) and
// text (with the given map's comparison), and --max-contexts.
func TestSuggestFormats(t *testing.T) {
	code, stdout, stderr := seams(t, "suggest", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "json", "--max-contexts", "2")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var r struct {
		Contexts []struct {
			Name     string  `json:"name"`
			Cohesion float64 `json:"cohesion"`
		} `json:"contexts"`
		Suggested struct {
			Modularity float64 `json:"modularity"`
		} `json:"suggested"`
		Given *struct {
			Agreement float64 `json:"agreement"`
		} `json:"given"`
	}
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Contexts) != 2 || r.Given == nil || r.Suggested.Modularity <= 0 {
		t.Errorf("json: %+v", r)
	}
	code, stdout, _ = seams(t, "suggest", "--snapshot", fixtureSnapshot, "--contexts", fixtureContexts, "--format", "text")
	if code != exitOK || !strings.Contains(stdout, "unassigned public.gift_card: home finance (2 foreign keys)") {
		t.Errorf("text: exit %d\n%s", code, stdout)
	}
}

func TestSuggestErrors(t *testing.T) {
	t.Setenv("SEAMS_DSN", "")
	dir := t.TempDir()
	out := filepath.Join(dir, "contexts.yaml")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad format", []string{"--format", "xml"}, exitUsage, `seams: --format "xml": want yaml, json or text`},
		{"zero resolution", []string{"--resolution", "0"}, exitUsage, "seams: --resolution 0: want a positive number"},
		{"negative max contexts", []string{"--max-contexts", "-1"}, exitUsage, "seams: --max-contexts must not be negative"},
		{"zero min size", []string{"--min-size", "0", "-o", out}, exitUsage, "seams: --min-size must be at least 1"},
		{"missing map", []string{"--contexts", filepath.Join(dir, "nope.yaml"), "-o", out}, exitUsage, "seams: read contexts map: "},
		{"-o into a missing directory", []string{"-o", filepath.Join(dir, "no", "c.yaml")}, exitFailure, "seams: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := seams(t, append([]string{"suggest", "--snapshot", fixtureSnapshot}, tt.args...)...)
			if code != tt.code || !strings.HasPrefix(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 || stdout != "" {
				t.Errorf("exit %d (want %d), stdout %q, stderr %q (want prefix %q)", code, tt.code, stdout, stderr, tt.want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("a failed run left %s behind", entries[0].Name())
			}
		})
	}
	code, _, stderr := seams(t, "suggest", "--snapshot", filepath.Join(dir, "missing.json"))
	if code != exitUsage || !strings.HasPrefix(stderr, "seams: ") {
		t.Errorf("missing snapshot: exit %d, stderr %q", code, stderr)
	}
}
