package svg

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestNativeFailureFallsBack: when the system's dot fails on a diagram,
// WebAssembly lays it out; a closed Renderer refuses to render.
func TestNativeFailureFallsBack(t *testing.T) {
	broken := filepath.Join(t.TempDir(), "dot")
	if err := os.WriteFile(broken, []byte("#!/bin/sh\necho 'Segmentation fault' >&2\nexit 139\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := &Renderer{native: broken}
	var out bytes.Buffer
	if err := r.SVG(context.Background(), []byte(`digraph { a -> b }`), &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("<svg")) || !bytes.Contains(out.Bytes(), []byte("<title>a&#45;&gt;b</title>")) {
		t.Errorf("no SVG of a -> b from WebAssembly:\n%s", out.String())
	}
	// Several at once: the same fallback.
	many, err := r.RenderMany(context.Background(), [][]byte{[]byte(`digraph { a -> b }`), []byte(`digraph { c -> d }`)}, Dot)
	if err != nil || len(many) != 2 || !bytes.Contains(many[1], []byte("<title>c&#45;&gt;d</title>")) {
		t.Errorf("RenderMany with a failing dot: %d SVGs, %v", len(many), err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.SVG(context.Background(), []byte(`digraph { a -> b }`), &out); err == nil {
		t.Error("a closed renderer rendered")
	}
}
