//go:build unix

package atomicfile

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestModes: new outputs get what the umask allows; a rewritten file keeps
// its permissions (a snapshot kept 0600 stays 0600).
func TestModes(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	dir := t.TempDir()
	file := filepath.Join(dir, "plan.md")
	if err := WriteFile(file, []byte("x")); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sql")
	if err := WriteDir(sub, "SQL", map[string][]byte{"1.sql": nil}); err != nil {
		t.Fatal(err)
	}
	secret := filepath.Join(dir, "snapshot.json")
	if err := os.WriteFile(secret, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(secret, []byte("{ }")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]os.FileMode{
		file: 0o640, sub: 0o750 | os.ModeDir, filepath.Join(sub, "1.sql"): 0o640,
		filepath.Join(sub, Marker): 0o640, secret: 0o600,
	} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode() & (os.ModePerm | os.ModeDir); got != want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(p), got, want)
		}
	}
}
