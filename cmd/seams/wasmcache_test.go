package main

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
)

// wazeroDir is the directory go-graphviz's cache keeps its compiled code
// in, under the directory it is given (wazero names it by its version).
var wazeroDir = filepath.Join("go-graphviz", "wazero-v1.10.1-"+runtime.GOARCH+"-"+runtime.GOOS)

// TestGraphvizCacheIsPrivate checks that seams never runs native code from
// a compilation cache another user could write, and never fails on a cache
// it cannot use: go-graphviz's cache lives in the user's own cache
// directory (0700), else in memory.
func TestGraphvizCacheIsPrivate(t *testing.T) {
	root := publicTempDir(t)
	snap := filepath.Join(root, "snapshot.json")
	contexts := filepath.Join(root, "contexts.yaml")
	for p, from := range map[string]string{snap: fixtureSnapshot, contexts: fixtureContexts} {
		if err := os.WriteFile(p, readTestFile(t, from), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// render runs go-graphviz: the SVG must come out.
	render := func(t *testing.T, a account, home, tmp string) {
		t.Helper()
		code, stdout, stderr := runBinary(t, a, home, []string{"HOME=" + home, "TMPDIR=" + tmp},
			"render", "--snapshot", snap, "--contexts", contexts, "--format", "svg")
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "<svg") {
			t.Fatalf("seams render as uid %d: exit %d, stderr:\n%.2000s\nstdout: %.80q", a.uid, code, stderr, stdout)
		}
	}
	// A first run fills a private cache; its file names are the keys a
	// planted cache would use.
	home := userDir(t, self, 0o755, root, "first")
	tmp := userDir(t, self, 0o1777, root, "first-tmp")
	render(t, self, home, tmp)
	cache := filepath.Join(home, ".cache", "seams", "graphviz-wasm")
	checkPrivate(t, cache, self)
	keys, _ := filepath.Glob(filepath.Join(cache, wazeroDir, "*"))
	if len(keys) == 0 {
		t.Fatalf("no compiled code cached in %s (has wazero changed version? see wazeroDir)", cache)
	}
	if _, err := os.Stat(filepath.Join(tmp, "go-graphviz")); err == nil {
		t.Errorf("a cache was made in the shared TMPDIR %s", tmp)
	}
	// plant fills dir/go-graphviz/wazero-... with garbage under the keys,
	// owned by a: code seams must never load.
	plant := func(t *testing.T, a account, dir string) {
		t.Helper()
		d := userDir(t, a, 0o755, dir, "go-graphviz")
		d = userDir(t, a, 0o777, dir, wazeroDir)
		for _, k := range keys {
			p := filepath.Join(d, filepath.Base(k))
			if err := os.WriteFile(p, []byte("WAZEVO\x06planted code"), 0o666); err != nil {
				t.Fatal(err)
			}
			if err := os.Chown(p, a.uid, a.gid); err != nil {
				t.Fatal(err)
			}
		}
	}

	t.Run("a shared cache planted by another user is not read", func(t *testing.T) {
		other := self
		if os.Geteuid() == 0 {
			other = otherUser(t)
		}
		tmp := userDir(t, self, 0o1777, root, "planted-tmp")
		plant(t, other, tmp)
		home := userDir(t, self, 0o755, root, "planted-home")
		render(t, self, home, tmp)
		checkPrivate(t, filepath.Join(home, ".cache", "seams", "graphviz-wasm"), self)
	})
	t.Run("a cache directory open to others is not used", func(t *testing.T) {
		home := userDir(t, self, 0o755, root, "open-home")
		open := userDir(t, self, 0o777, home, ".cache", "seams", "graphviz-wasm")
		plant(t, self, open)
		render(t, self, home, tmp)
	})
	t.Run("a second user after root made the shared cache", func(t *testing.T) {
		other := otherUser(t)
		tmp := userDir(t, self, 0o1777, root, "root-tmp")
		// What go-graphviz made when root ran it with the shared cache.
		userDir(t, self, 0o755, tmp, "go-graphviz")
		userDir(t, self, 0o700, tmp, wazeroDir)
		home := userDir(t, other, 0o755, root, "other-home")
		render(t, other, home, tmp)
		checkPrivate(t, filepath.Join(home, ".cache", "seams", "graphviz-wasm"), other)
	})
	t.Run("a cache directory that belongs to another user is not used", func(t *testing.T) {
		other := otherUser(t)
		home := userDir(t, other, 0o755, root, "taken-home")
		userDir(t, other, 0o700, home, ".cache")
		userDir(t, other, 0o700, home, ".cache", "seams")
		taken := userDir(t, self, 0o700, home, ".cache", "seams", "graphviz-wasm")
		render(t, other, home, tmp)
		if entries, _ := os.ReadDir(taken); len(entries) != 0 {
			t.Errorf("seams wrote into %s, which belongs to uid %d", taken, self.uid)
		}
	})
}

// checkPrivate checks that dir is a directory of a's, mode 0700, holding
// compiled code.
func checkPrivate(t *testing.T, dir string, a account) {
	t.Helper()
	fi, err := os.Lstat(dir)
	if err != nil {
		t.Fatalf("no private cache: %v", err)
	}
	if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != a.uid || fi.Mode().Perm() != 0o700 || !fi.IsDir() {
		t.Errorf("%s: mode %v, owner %d; want a directory, 0700, owner %d", dir, fi.Mode(), st.Uid, a.uid)
	}
	if keys, _ := filepath.Glob(filepath.Join(dir, wazeroDir, "*")); len(keys) == 0 {
		t.Errorf("no compiled code cached in %s", dir)
	}
}
