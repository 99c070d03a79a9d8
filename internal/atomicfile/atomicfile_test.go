package atomicfile

import (
	"errors"
	"io"
	"io/fs"
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
	// seams wrote it: written again, it is replaced.
	if err := WriteDir(dir, "SQL", map[string][]byte{"c.sql": []byte("C")}); err != nil {
		t.Errorf("second WriteDir: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "a.sql")); err == nil {
		t.Error("a.sql of the first WriteDir is still there")
	}
	// Names may hold a subdirectory.
	nested := filepath.Join(t.TempDir(), "nested")
	if err := WriteDir(nested, "SQL", map[string][]byte{"a.sql": []byte("1"), "multi-statement/a.sql": []byte("2")}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(nested, "multi-statement", "a.sql")); err != nil || string(b) != "2" {
		t.Errorf("nested file: %q, %v", b, err)
	}
	// A file that cannot be written leaves nothing behind: "a" is a file,
	// so "a/x" cannot be made.
	err := WriteDir(filepath.Join(parent, "bad"), "SQL", map[string][]byte{"a": nil, "a/x": nil})
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

// TestNeverDestroys: an output never replaces a file or directory seams
// did not write; each refusal says why, and leaves everything as it was.
func TestNeverDestroys(t *testing.T) {
	build := FilesBuild(map[string][]byte{"index.html": []byte("new")})
	tests := []struct {
		name  string
		setup func(t *testing.T, p string)
		file  bool // a file output, else a directory
		want  string
	}{
		{"a directory over a regular file", func(t *testing.T, p string) { mustWrite(t, p, "mine") }, false,
			"it exists and is not a directory: refusing to replace it"},
		{"a directory over one seams did not write", func(t *testing.T, p string) {
			os.Mkdir(p, 0o755)
			mustWrite(t, filepath.Join(p, "notes.txt"), "mine")
		}, false, "the directory is not empty and was not written by seams"},
		{"a directory over a seams directory the user added to", func(t *testing.T, p string) {
			if err := BuildDir(p, build); err != nil {
				t.Fatal(err)
			}
			mustWrite(t, filepath.Join(p, "snapshot.json"), "mine")
			os.Mkdir(filepath.Join(p, "sub"), 0o755)
			mustWrite(t, filepath.Join(p, "sub", "x"), "mine")
		}, false, "the directory holds files seams did not write (snapshot.json, sub/x)"},
		{"a directory an older seams wrote", func(t *testing.T, p string) {
			os.Mkdir(p, 0o755)
			mustWrite(t, filepath.Join(p, Marker), "written by seams\n")
			mustWrite(t, filepath.Join(p, "index.html"), "old")
		}, false, "written by an older seams"},
		{"a file over a directory", func(t *testing.T, p string) { os.Mkdir(p, 0o755) }, true, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			p := filepath.Join(parent, "out")
			tt.setup(t, p)
			before := tree(t, parent)
			var err error
			if tt.file {
				err = WriteFile(p, []byte("new"))
			} else {
				err = BuildDir(p, build)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if after := tree(t, parent); after != before {
				t.Errorf("changed:\n%s\nwas:\n%s", after, before)
			}
		})
	}
}

// TestSetAllOrNone: the outputs of a set are written together or not at
// all.
func TestSetAllOrNone(t *testing.T) {
	dir := t.TempDir()
	old := filepath.Join(dir, "old.md")
	mustWrite(t, old, "old")
	sqlDir := filepath.Join(dir, "sql")
	t.Run("a path that cannot be written is found before any work", func(t *testing.T) {
		var s Set
		s.Dir(sqlDir).Build = FilesBuild(map[string][]byte{"1.sql": nil})
		s.File(filepath.Join(dir, "missing", "x.md")).Write = func(io.Writer) error { return nil }
		err := s.Check()
		if err == nil || err.Error() != "write "+filepath.Join(dir, "missing", "x.md")+": the directory "+filepath.Join(dir, "missing")+" does not exist" {
			t.Fatalf("Check: %v", err)
		}
		if err := s.Commit(); err == nil {
			t.Fatal("Commit succeeded")
		}
	})
	t.Run("a failing output takes back the others", func(t *testing.T) {
		var s Set
		s.File(old).Write = func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
		s.Dir(sqlDir).Build = FilesBuild(map[string][]byte{"1.sql": nil})
		s.File("/dev/full").Write = func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }
		if err := s.Commit(); err == nil {
			t.Fatal("Commit succeeded writing to /dev/full")
		}
	})
	t.Run("a failing build writes nothing", func(t *testing.T) {
		var s Set
		s.File(old).Write = func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
		s.Dir(sqlDir).Build = func(string) error { return errors.New("boom") }
		if err := s.Commit(); err == nil || err.Error() != "boom" {
			t.Fatalf("Commit: %v", err)
		}
	})
	t.Run("two outputs with one path", func(t *testing.T) {
		var s Set
		s.File(old)
		s.Dir(old + "/.")
		if err := s.Check(); err == nil || !strings.Contains(err.Error(), "give each output its own path") {
			t.Fatalf("Check: %v", err)
		}
	})
	if got := tree(t, dir); got != "old.md: old\n" {
		t.Errorf("left behind:\n%s", got)
	}
}

func mustWrite(t *testing.T, p, content string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tree lists the files under dir with their content, and the directories.
func tree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			b.WriteString(rel + "/\n")
			return nil
		}
		data, _ := os.ReadFile(p)
		b.WriteString(rel + ": " + string(data) + "\n")
		return nil
	})
	return b.String()
}
