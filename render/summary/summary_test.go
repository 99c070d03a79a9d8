package summary

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/seamsdev/seams/schema"
)

func TestMusicCorpSummary(t *testing.T) {
	s, err := schema.ReadFile(filepath.Join("..", "..", "fixtures", "musiccorp", "snapshot.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Write(&out, s); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"postgres ", ", database musiccorp",
		"  tables                  26\n",
		"  foreign keys            37\n",
		"  views                    2\n",
		"  triggers                 2\n",
		"  inferred refs            1  (1 scoring 0.6 or more; no foreign key declares them)\n",
		"Largest tables:",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if n := strings.Count(got, "\n"); n > 30 {
		t.Errorf("summary is %d lines, want one screen", n)
	}
}

func TestHostileNamesAndAbsentFacts(t *testing.T) {
	s := &schema.Snapshot{
		Format: schema.FormatVersion,
		Source: schema.Source{Engine: schema.MySQL, ServerVersion: "8.4", Database: "shop\x1b[31m", CapturedAt: time.Unix(0, 0).UTC()},
		Tables: []schema.Table{
			{Schema: "s", Name: "evil\x1b]0;pwned\x07", Kind: schema.KindTable, SizeBytes: schema.Int64(3 << 20), RowEstimate: schema.Int64(7)},
			{Schema: "s", Name: "never_analysed", Kind: schema.KindTable},
		},
		Unreadable: []schema.Unreadable{{Part: "stats", Reason: "performance_schema is OFF"}},
	}
	var out bytes.Buffer
	if err := Write(&out, s); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	if strings.ContainsAny(got, "\x1b\x07") {
		t.Errorf("control characters reach the terminal: %q", got)
	}
	for _, want := range []string{`shop\x1b[31m`, `s.evil\x1b]0;pwned\x07`, "3.0 MiB", "never_analysed", "?", "stats: performance_schema is OFF"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	// The table of known size comes first.
	if strings.Index(got, "evil") > strings.Index(got, "never_analysed") {
		t.Errorf("largest tables not ordered by size:\n%s", got)
	}
}

func TestBytes(t *testing.T) {
	tests := []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{1023, "1023 B"},
		{1024, "1.0 KiB"},
		{1536, "1.5 KiB"},
		{3 << 20, "3.0 MiB"},
		{1<<30 - 1, "1024.0 MiB"},
		{5 << 30, "5.0 GiB"},
		{3 << 40, "3.0 TiB"},
		{2048 << 40, "2048.0 TiB"},
	}
	for _, tt := range tests {
		if got := Bytes(tt.n); got != tt.want {
			t.Errorf("Bytes(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
