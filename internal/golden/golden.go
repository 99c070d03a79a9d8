// Package golden compares test output with golden files under testdata and
// rewrites them when the tests run with -update. A difference is shown as a
// unified diff, to be reviewed by eye before the file is rewritten.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/aymanbagabas/go-udiff"
	"github.com/seamsdev/seams/internal/atomicfile"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/ with the output of the tests")

// Updating reports whether the tests run with -update.
func Updating() bool { return *update }

// Assert compares got with the golden file at path (usually
// testdata/NAME), or rewrites the file under -update. A difference fails
// the test with a unified diff from the golden file to got.
func Assert(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := atomicfile.WriteFile(path, got); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run '%s' -update writes it; review it by eye)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test -run '%s' -update rewrites it; review the diff):\n%s",
			path, t.Name(), Diff(path, string(want), string(got)))
	}
}

// Diff returns the unified diff from want to got.
func Diff(name, want, got string) string {
	return udiff.Unified(name, "got", want, got)
}
