// Package atomicfile writes a command's outputs, files and directories,
// so that a failure never leaves a half-written result and never destroys
// what seams did not write:
//
//   - every output is first written beside its target under a temporary
//     name, and put in place by a rename only when all of a Set's outputs
//     are ready; if one fails, none is put in place;
//   - a file replaces an existing file (keeping its permissions), never a
//     directory; a file that is not a regular file (/dev/stdout, a pipe) is
//     written to, not replaced;
//   - a directory replaces only an empty directory or one that seams wrote
//     (its Marker lists the files it put there, and the directory holds no
//     others); never a file;
//   - new files and directories get the permissions the umask allows
//     (0666 and 0777 before it);
//   - the directory an output goes in must exist.
package atomicfile

import (
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
	var s Set
	s.File(path).Write = write
	return s.Commit()
}

// WriteDir writes files (name to content; a name may be a slash-separated
// path under dir) into the directory dir (see BuildDir). Errors say what
// was written ("SQL", "reference data") through what.
func WriteDir(dir, what string, files map[string][]byte) error {
	var s Set
	d := s.Dir(dir)
	d.What = what
	d.Build = FilesBuild(files)
	return s.Commit()
}

// FilesBuild returns a Build function that writes files (name to content)
// into the directory it is given.
func FilesBuild(files map[string][]byte) func(dir string) error {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	return func(dir string) error {
		for _, n := range names {
			// A name may hold a subdirectory ("multi-statement/x.sql").
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, n)), 0o755); err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(dir, n), files[n], FileMode); err != nil {
				return err
			}
		}
		return nil
	}
}

// BuildDir has build fill a new temporary directory beside dir, then puts it
// in dir's place. dir must not exist, be empty, or be a directory seams
// wrote (see the package documentation); its parent must exist. When build
// fails, the temporary directory is removed and dir is left as it was.
func BuildDir(dir string, build func(tmp string) error) error {
	var s Set
	s.Dir(dir).Build = build
	return s.Commit()
}

// Modes to create output files and directories with, before the umask.
const (
	FileMode os.FileMode = 0o666
	DirMode  os.FileMode = 0o777
)
