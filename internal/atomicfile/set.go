package atomicfile

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// A Set is the outputs of one command, written together: Check validates
// every path before any work is done; Commit writes every output beside
// its target and puts them all in place, or none.
type Set struct {
	items []*Item
}

// Item is one output of a Set. Its content is given, before Commit, by
// Write (a file) or Build (a directory, which Build fills).
type Item struct {
	// Path is where the output goes.
	Path string
	// What names a directory's content in errors ("SQL"); "" means the
	// path alone.
	What string
	// Write writes a file's content.
	Write func(io.Writer) error
	// Build fills a directory.
	Build func(dir string) error

	dir bool
	// Set by Commit.
	tmp    string // the output, written beside Path
	direct bool   // a file that is not a regular file: written in place
	perm   os.FileMode
	backup string // the old Path, moved aside during the swap
	placed bool
}

// File adds a file output to the set.
func (s *Set) File(path string) *Item {
	it := &Item{Path: path}
	s.items = append(s.items, it)
	return it
}

// Dir adds a directory output to the set.
func (s *Set) Dir(path string) *Item {
	it := &Item{Path: path, dir: true}
	s.items = append(s.items, it)
	return it
}

// callerError is an error of a Write or Build function: the caller's own,
// returned as it is.
type callerError struct{ err error }

func (e callerError) Error() string { return e.err.Error() }

// fail wraps an error of the item with its path.
func (it *Item) fail(err error) error {
	var ce callerError
	if errors.As(err, &ce) {
		return ce.err
	}
	if it.What != "" {
		return fmt.Errorf("write %s to %s: %w", it.What, it.Path, err)
	}
	return fmt.Errorf("write %s: %w", it.Path, err)
}

// Check validates every output of the set without writing anything: the
// directory each goes in exists and takes new files; a file output is not
// a directory; a directory output is not a file, and is absent, empty or
// written by seams. Two outputs may not share a path.
func (s *Set) Check() error {
	seen := map[string]string{}
	for _, it := range s.items {
		abs, err := filepath.Abs(it.Path)
		if err != nil {
			return it.fail(err)
		}
		if prev, ok := seen[abs]; ok {
			return fmt.Errorf("write %s: also named as %s: give each output its own path", it.Path, prev)
		}
		seen[abs] = it.Path
		if err := it.check(); err != nil {
			return it.fail(err)
		}
	}
	return nil
}

func (it *Item) check() error {
	fi, err := os.Stat(it.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case it.dir && !fi.IsDir():
		return errors.New("it exists and is not a directory: refusing to replace it")
	case it.dir:
		if err := owned(it.Path); err != nil {
			return err
		}
	case fi.IsDir():
		return errors.New("is a directory")
	case !fi.Mode().IsRegular():
		return nil // written in place
	}
	parent := filepath.Dir(filepath.Clean(it.Path))
	pi, err := os.Stat(parent)
	if err != nil || !pi.IsDir() {
		return fmt.Errorf("the directory %s does not exist", parent)
	}
	probe, err := os.CreateTemp(parent, ".seams-probe*")
	if err != nil {
		return fmt.Errorf("cannot create files in %s: %w", parent, unwrapPath(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// Commit checks the set again, writes every output beside its target,
// then puts them in place. When any step fails, the outputs already put in
// place are taken back, the old ones restored, and no temporary file or
// directory is left. A file that is not a regular file is written last,
// directly: it cannot be taken back.
func (s *Set) Commit() error { return s.CommitContext(context.Background()) }

// CommitContext is Commit, which gives up, leaving everything as it was,
// when ctx is done (the user interrupted seams) before the outputs are put
// in place.
func (s *Set) CommitContext(ctx context.Context) (err error) {
	if err := s.Check(); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.rollback()
		}
	}()
	for _, it := range s.items {
		if err := it.prepare(); err != nil {
			return it.fail(err)
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, it := range s.items {
		if err := it.swap(); err != nil {
			return it.fail(err)
		}
	}
	for _, it := range s.items {
		if it.direct {
			if err := it.writeDirect(); err != nil {
				return it.fail(err)
			}
		}
	}
	for _, it := range s.items {
		if it.backup != "" {
			os.RemoveAll(it.backup)
		}
	}
	return nil
}

// prepare writes the item beside its target.
func (it *Item) prepare() error {
	fi, err := os.Stat(it.Path)
	exists := err == nil
	if !it.dir {
		if exists && !fi.Mode().IsRegular() {
			it.direct = true
			return nil
		}
		if it.Write == nil {
			return errors.New("no content")
		}
		f, tmp, err := create(it.Path, func(p string) (*os.File, error) {
			return os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, FileMode)
		})
		if err != nil {
			return err
		}
		it.tmp = tmp
		if err := it.Write(f); err != nil {
			f.Close()
			return callerError{err}
		}
		if exists {
			if err := f.Chmod(fi.Mode().Perm()); err != nil {
				f.Close()
				return err
			}
		}
		return f.Close()
	}
	if it.Build == nil {
		return errors.New("no content")
	}
	_, tmp, err := create(it.Path, func(p string) (*os.File, error) { return nil, os.Mkdir(p, DirMode) })
	if err != nil {
		return err
	}
	it.tmp = tmp
	if exists {
		if err := os.Chmod(tmp, fi.Mode().Perm()); err != nil {
			return err
		}
	}
	if err := it.Build(tmp); err != nil {
		return callerError{err}
	}
	return writeMarker(tmp)
}

// swap moves the old output aside and the new one in place.
func (it *Item) swap() error {
	if it.direct {
		return nil
	}
	if _, err := os.Lstat(it.Path); err == nil {
		it.backup = it.tmp + ".old"
		if err := os.Rename(it.Path, it.backup); err != nil {
			it.backup = ""
			return fmt.Errorf("move the old one aside: %w", unwrapPath(err))
		}
	}
	if err := os.Rename(it.tmp, it.Path); err != nil {
		return unwrapPath(err)
	}
	it.tmp = ""
	it.placed = true
	return nil
}

func (it *Item) writeDirect() error {
	f, err := os.OpenFile(it.Path, os.O_WRONLY, 0)
	if err != nil {
		return unwrapPath(err)
	}
	if err := it.Write(f); err != nil {
		f.Close()
		return callerError{err}
	}
	return f.Close()
}

// rollback takes back what Commit did: new outputs put in place are
// removed and the old ones restored; temporary files are removed.
func (s *Set) rollback() {
	for i := len(s.items) - 1; i >= 0; i-- {
		it := s.items[i]
		if it.placed {
			os.RemoveAll(it.Path)
			it.placed = false
		}
		if it.backup != "" {
			os.Rename(it.backup, it.Path)
			it.backup = ""
		}
		if it.tmp != "" {
			os.RemoveAll(it.tmp)
			it.tmp = ""
		}
	}
}

// create makes a new file or directory beside path, named
// .<base>.tmp<random>, with mk; it retries on a name taken.
func create(path string, mk func(string) (*os.File, error)) (*os.File, string, error) {
	dir, base := filepath.Split(filepath.Clean(path))
	for range 100 {
		var b [6]byte
		rand.Read(b[:])
		p := filepath.Join(dir, "."+base+".tmp"+hex.EncodeToString(b[:]))
		f, err := mk(p)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, "", unwrapPath(err)
		}
		return f, p, nil
	}
	return nil, "", errors.New("no free temporary name")
}

// unwrapPath drops the path from an *fs.PathError or *os.LinkError (the
// item's error names the output already).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
