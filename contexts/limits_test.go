package contexts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// aliasBomb is a map of n contexts that each list, through one alias, the
// same n tables: small on disk, n*n entries once the aliases are expanded.
func aliasBomb(n int) string {
	var b strings.Builder
	b.WriteString("contexts:\n  c0:\n    tables: &all [")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "t%d", i)
	}
	b.WriteString("]\n")
	for i := 1; i < n; i++ {
		fmt.Fprintf(&b, "  c%d:\n    tables: *all\n", i)
	}
	return b.String()
}

// TestParseLimits checks that a map cannot make seams read, expand or warn
// without end: each limit gives one line that says which.
func TestParseLimits(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.yaml")
	if err := os.WriteFile(bomb, []byte(aliasBomb(3000)), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("# "+strings.Repeat("x", MaxFileSize)+"\ncontexts: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"aliases expanding 3,000 contexts", bomb, bomb + ":71:13: the aliases expand the map to more than 100000 entries: write the entries out, or use fewer aliases"},
		{"a file over the size limit", big, big + ": the contexts map is larger than 4 MiB"},
		{"a device that never ends", "/dev/zero", "/dev/zero: the contexts map is larger than 4 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() {
				_, err := Load(tt.path)
				done <- err
			}()
			var err error
			select {
			case err = <-done:
			case <-time.After(time.Minute): // not a speed check: a hang
				t.Fatal("Load did not return")
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("err = %v, want a *contexts.Error", err)
			}
			if err.Error() != tt.want {
				t.Errorf("err\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

// TestWarningsCapped: a map with thousands of patterns that match nothing
// gives MaxWarnings warnings and one line that counts the rest.
func TestWarningsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("contexts:\n  a:\n    tables:\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "      - nothing_%d\n", i)
	}
	m, err := Parse("many.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Resolve(m, musicCorp())
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Warnings) != MaxWarnings+1 {
		t.Fatalf("%d warnings, want %d and a count of the rest", len(a.Warnings), MaxWarnings)
	}
	if got, want := a.Warnings[0].Error(), `many.yaml:4:9: context "a": no table matches "nothing_0"`; !strings.HasPrefix(got, want) {
		t.Errorf("first warning %q, want %q", got, want)
	}
	if got, want := a.Warnings[MaxWarnings].Error(), fmt.Sprintf("many.yaml: %d more warnings like these are not shown", 5000-MaxWarnings); got != want {
		t.Errorf("last warning %q, want %q", got, want)
	}
}
