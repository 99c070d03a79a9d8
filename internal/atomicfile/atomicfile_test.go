package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	if err := WriteFile(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	// A failing writer leaves the old content and no temporary file.
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errors.New("boom")
	})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Write error = %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Errorf("content %q after a failed write, want the old one", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files left behind: %v", entries)
	}
	// A device is written to, never replaced.
	if err := WriteFile(os.DevNull, []byte("x")); err != nil {
		t.Fatalf("write to %s: %v", os.DevNull, err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode().IsRegular() {
		t.Fatalf("%s was replaced by a regular file", os.DevNull)
	}
	if err := WriteFile(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("writing over a directory: %v", err)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "f"), nil); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

func TestWriteDir(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "out")
	files := map[string][]byte{"a.sql": []byte("A"), "b.sql": []byte("B")}
	if err := WriteDir(dir, "SQL", files); err != nil {
		t.Fatal(err)
	}
	for n, want := range files {
		if got, err := os.ReadFile(filepath.Join(dir, n)); err != nil || string(got) != string(want) {
			t.Errorf("%s = %q, %v", n, got, err)
		}
	}
	err := WriteDir(dir, "SQL", files)
	if err == nil || err.Error() != "write SQL to "+dir+": the directory is not empty" {
		t.Errorf("second WriteDir: %v", err)
	}
	// A file that cannot be written leaves nothing behind.
	err = WriteDir(filepath.Join(parent, "bad"), "SQL", map[string][]byte{"sub/x": nil})
	if err == nil {
		t.Fatal("WriteDir with a bad name succeeded")
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

func TestBuildDirReplaces(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	build := func(content string) func(string) error {
		return func(tmp string) error { return os.WriteFile(filepath.Join(tmp, "index.html"), []byte(content), 0o644) }
	}
	if err := BuildDir(dir, build("one")); err != nil {
		t.Fatal(err)
	}
	if err := BuildDir(dir, build("two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "two" {
		t.Errorf("index.html = %q after the rebuild, want two", b)
	}
	// A failing build leaves the old directory as it was, and nothing else.
	err := BuildDir(dir, func(tmp string) error { return errors.New("boom") })
	if err == nil || err.Error() != "boom" {
		t.Fatalf("BuildDir error = %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "index.html")); string(b) != "two" {
		t.Errorf("old directory changed by a failed build: %q", b)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}
