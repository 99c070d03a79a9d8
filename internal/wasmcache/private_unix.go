//go:build unix

package wasmcache

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// subdir is the cache's directory under os.UserCacheDir().
var subdir = filepath.Join("seams", "graphviz-wasm")

// prepare creates the cache directory if needed and checks that only the
// user can have written what is in it.
func prepare() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	if !filepath.IsAbs(base) {
		return "", fmt.Errorf("cache directory %s is not absolute", base)
	}
	// Create the cache directory, never the home directory it is in.
	if fi, err := os.Stat(filepath.Dir(base)); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("no directory %s for the cache", filepath.Dir(base))
	}
	d := filepath.Join(base, subdir)
	if err := os.MkdirAll(d, 0o700); err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(d)
	if err != nil {
		return "", err
	}
	if err := private(real); err != nil {
		return "", err
	}
	for p := filepath.Dir(real); ; p = filepath.Dir(p) {
		if err := guarded(p); err != nil {
			return "", err
		}
		if p == filepath.Dir(p) {
			break
		}
	}
	// What go-graphviz and wazero create inside: if present, the user's.
	for _, sub := range []string{"go-graphviz", filepath.Join("go-graphviz", "wazero-*")} {
		matches, _ := filepath.Glob(filepath.Join(real, sub))
		for _, m := range matches {
			if err := owned(m); err != nil {
				return "", err
			}
		}
	}
	probe, err := os.CreateTemp(real, ".probe*")
	if err != nil {
		return "", err
	}
	probe.Close()
	os.Remove(probe.Name())
	return real, nil
}

// private checks that p is a directory (not a link) of the user's that
// group and others cannot open.
func private(p string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if err := owned(p); err != nil {
		return err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("cache directory %s is open to others (mode %v): want 0700", p, fi.Mode().Perm())
	}
	return nil
}

// owned checks that p is a directory, not a link, owned by the user.
func owned(p string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory", p)
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%s: owner unknown", p)
	}
	if int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s belongs to user %d, not to %d", p, st.Uid, os.Geteuid())
	}
	return nil
}

// guarded checks that only the user or root can rename or replace what is
// in directory p: it belongs to one of them and group and others cannot
// write it, unless it is sticky (like /tmp).
func guarded(p string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return fmt.Errorf("%s: owner unknown", p)
	}
	if st.Uid != 0 && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("%s belongs to user %d", p, st.Uid)
	}
	if fi.Mode().Perm()&0o022 != 0 && fi.Mode()&os.ModeSticky == 0 {
		return fmt.Errorf("%s is writable by others (mode %v)", p, fi.Mode().Perm())
	}
	return nil
}
