package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/schema"
)

const (
	mcSnapshot = "../../fixtures/musiccorp/snapshot.json"
	mcContexts = "../../fixtures/musiccorp/contexts-usage.yaml"
	mcApp      = "../../fixtures/musiccorp/app/src"
)

func TestUsageCommandCodeScan(t *testing.T) {
	out := filepath.Join(t.TempDir(), "with-usage.json")
	code, stdout, stderr := seams(t, "usage", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--code-root", mcApp, "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"code ../../fixtures/musiccorp/app/src: available; 34 read, 34 kept, 1 rejected, 3 dynamic, 2 unattributed",
		"finance         public.customer ",
		"finance/orders/orders.go:32 PlaceOrder: writes public.customer_order, public.order_line, public.picking (finance, warehouse)",
		"Rejected by the parser (1)",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	s, err := schema.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if s.Usage == nil || len(s.Usage.Statements) != 34 {
		t.Fatalf("snapshot usage: %+v", s.Usage)
	}
	// The plan uses the usage of the snapshot it reads, or of --usage.
	for _, args := range [][]string{
		{"plan", "--snapshot", out, "--contexts", mcContexts, "--format", "json"},
		{"plan", "--snapshot", mcSnapshot, "--usage", out, "--contexts", mcContexts, "--format", "json"},
	} {
		code, stdout, stderr := seams(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		for _, want := range []string{`"kind": "cross_context_transaction"`, `"kind": "cross_context_query"`, `"kind": "implied_coupling"`, `"kind": "unused_table"`} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%v: plan lacks %s", args, want)
			}
		}
	}
	code, stdout, _ = seams(t, "plan", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--format", "json")
	if code != 0 || strings.Contains(stdout, "cross_context_query") {
		t.Errorf("plan without usage: exit %d, usage findings present: %v", code, strings.Contains(stdout, "cross_context_query"))
	}
}

func TestUsageCommandJSON(t *testing.T) {
	code, stdout, stderr := seams(t, "usage", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--code-root", mcApp, "--format", "json")
	if code != 0 || !strings.HasPrefix(stdout, "{\n  \"sources\": [") || !strings.Contains(stdout, `"kind": "GORM TableName()"`) {
		t.Errorf("exit %d, stderr %q, stdout starts %q", code, stderr, stdout[:min(len(stdout), 80)])
	}
}

func TestUsageCommandErrors(t *testing.T) {
	t.Setenv("SEAMS_DSN", "")
	noUsage := filepath.Join(t.TempDir(), "plain.json")
	if err := os.WriteFile(noUsage, musiccorp.SnapshotJSON, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad format", []string{"usage", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--code-root", mcApp, "--format", "xml"}, 2, `seams: --format "xml": want text or json`},
		{"no source", []string{"usage", "--snapshot", mcSnapshot, "--contexts", mcContexts}, 2, "seams: no usage source: pass --dsn (server statistics), --code-root DIR or --log FILE"},
		{"missing code root", []string{"usage", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--code-root", "no/such/dir"}, 2, "seams: usage: code root: stat no/such/dir: no such file or directory"},
		{"missing log", []string{"usage", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--log", "no/such.log"}, 2, "seams: usage: query log: open no/such.log: no such file or directory"},
		{"no-stats without dsn", []string{"usage", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--no-stats", "--code-root", mcApp}, 2, "seams: --no-stats applies to --dsn only"},
		{"usage without usage", []string{"plan", "--snapshot", mcSnapshot, "--contexts", mcContexts, "--usage", noUsage}, 2, "the snapshot holds no usage (write one with 'seams usage -o')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := seams(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want %d and %q on one line", code, stderr, tt.code, tt.want)
			}
		})
	}
}
