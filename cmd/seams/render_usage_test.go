package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/schema"
)

// TestRenderUsage renders the MusicCorp site with the usage of its code
// scan, given with --usage or held by the snapshot read, and without it.
func TestRenderUsage(t *testing.T) {
	dir := t.TempDir()
	withUsage := filepath.Join(dir, "with-usage.json")
	if code, _, stderr := seams(t, "usage", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--code-root", mcApp, "-o", withUsage); code != 0 {
		t.Fatalf("seams usage: exit %d: %s", code, stderr)
	}
	customer := filepath.Join("tables", diagram.Slug(schema.TableName{Schema: "public", Name: "customer"})+".html")
	tests := []struct {
		name string
		args []string
		want []string
		not  []string
	}{
		{"usage flag", []string{"--snapshot", mcSnapshot, "--usage", withUsage}, []string{
			`<h2 id="usage">Usage `,
			"<td>customer_id, last_payment_at*, last_refund_at*, total_paid*, total_refunded*</td><td>readwrite</td><td>matches the declaration</td>",
			"finance/orders/orders.go:54 RecordPayment",
		}, []string{"No usage data"}},
		{"usage in snapshot", []string{"--snapshot", withUsage}, []string{
			"<td>customer_id, last_dispatched_at*</td><td>readwrite</td><td>matches the declaration</td>",
		}, []string{"No usage data"}},
		{"no usage", []string{"--snapshot", mcSnapshot}, []string{
			"No usage data: the snapshot holds none.",
		}, []string{"matches the declaration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "-"))
			args := append([]string{"render", "--contexts", mcContexts, "--out", out}, tt.args...)
			if code, _, stderr := seams(t, args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			b, err := os.ReadFile(filepath.Join(out, customer))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("%s lacks %q", customer, w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(string(b), w) {
					t.Errorf("%s has %q", customer, w)
				}
			}
			index, err := os.ReadFile(filepath.Join(out, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if got, want := strings.Contains(string(index), "34 distinct, 34 calls"), tt.name != "no usage"; got != want {
				t.Errorf("index shows the usage summary: %v, want %v", got, want)
			}
		})
	}
}

func TestRenderUsageFlagErrors(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.json")
	if err := os.WriteFile(plain, musiccorp.SnapshotJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	// A usage naming a table that the rendered snapshot lacks.
	other := filepath.Join(dir, "other.json")
	if code, _, stderr := seams(t, "usage", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--code-root", mcApp, "-o", other); code != 0 {
		t.Fatalf("seams usage: exit %d: %s", code, stderr)
	}
	s, err := schema.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	s.Usage.Statements[0].Reads = append(s.Usage.Statements[0].Reads, schema.TableName{Schema: "public", Name: "no_such_table"})
	if err := s.WriteFile(other); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		usage string
		want  string
	}{
		{"no usage in file", plain, "seams: --usage " + plain + ": the snapshot holds no usage (write one with 'seams usage -o')"},
		{"missing file", filepath.Join(dir, "nope.json"), "seams: --usage " + filepath.Join(dir, "nope.json") + ": "},
		{"other tables", other, "seams: --usage " + other + ": table public.no_such_table is not in the snapshot"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "site-"+strings.ReplaceAll(tt.name, " ", "-"))
			code, _, stderr := seams(t, "render", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--usage", tt.usage, "--out", out)
			if code != exitUsage || !strings.HasPrefix(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q on one line", code, stderr, tt.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a site was written to %s", out)
			}
		})
	}
}
