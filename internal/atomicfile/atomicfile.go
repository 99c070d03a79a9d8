// Package atomicfile writes files and directories so that a failure never
// leaves a half-written result: everything is written beside its target
// under a temporary name and renamed into place at the end.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// WriteFile writes data to path atomically (see Write).
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write writes what write produces to path through a temporary file in the
// same directory and a rename, so that readers see the old file or the new
// one, never a part. A path that exists and is not a regular file
// (/dev/stdout, a named pipe) is written directly: renaming over it would
// replace it.
func Write(path string, write func(io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		if fi.IsDir() {
			return fmt.Errorf("write %s: is a directory", path)
		}
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := write(f); err != nil {
			f.Close()
			return fmt.Errorf("write %s: %w", path, err)
		}
		return f.Close()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	fail := func(err error) error {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := write(f); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteDir writes files (name to content) into the directory dir, which
// must not exist or be empty. The files go into a temporary directory beside
// dir that is renamed into place once all are written. Errors say what was
// written ("SQL", "reference data") through what.
func WriteDir(dir, what string, files map[string][]byte) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("write %s to %s: the directory is not empty", what, dir)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(dir)), "."+filepath.Base(dir)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s to %s: %w", what, dir, err)
	}
	fail := func(err error) error {
		os.RemoveAll(tmp)
		return fmt.Errorf("write %s to %s: %w", what, dir, err)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(tmp, n), files[n], 0o644); err != nil {
			return fail(err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fail(err)
	}
	if _, err := os.Stat(dir); err == nil {
		if err := os.Remove(dir); err != nil { // empty, checked above
			return fail(err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fail(err)
	}
	return nil
}
