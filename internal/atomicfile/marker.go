package atomicfile

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Marker is the file in each directory seams writes that lists the files
// it put there: seams replaces a directory only when it holds no other.
const Marker = ".seams-output"

// markerHead is the first line of a Marker file.
const markerHead = "written by seams: replaced as a whole when seams writes it again; it lists its files:"

// writeMarker lists the regular files under dir in its Marker file.
func writeMarker(dir string) error {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(dir, p)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	var b strings.Builder
	b.WriteString(markerHead + "\n")
	for _, f := range files {
		b.WriteString(strconv.Quote(f) + "\n")
	}
	return os.WriteFile(filepath.Join(dir, Marker), []byte(b.String()), FileMode)
}

// owned checks that the directory dir may be replaced: it is empty, or its
// Marker lists every file it holds and it holds nothing but files and
// directories.
func owned(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return unwrapPath(err)
	}
	if len(entries) == 0 {
		return nil
	}
	listed, err := readMarker(dir)
	if err != nil {
		return err
	}
	var foreign []string
	count := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case p == dir || rel == Marker || d.IsDir():
			return nil
		case d.Type().IsRegular() && listed[rel]:
			return nil
		}
		if count++; len(foreign) < 3 {
			foreign = append(foreign, rel)
		}
		return nil
	})
	if err != nil {
		return unwrapPath(err)
	}
	if count > 0 {
		what := strings.Join(foreign, ", ")
		if count > len(foreign) {
			what += fmt.Sprintf(" and %d more", count-len(foreign))
		}
		return fmt.Errorf("the directory holds files seams did not write (%s): refusing to replace it; move them out or choose another directory", what)
	}
	return nil
}

// readMarker returns the files dir's Marker lists.
func readMarker(dir string) (map[string]bool, error) {
	f, err := os.Open(filepath.Join(dir, Marker))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New("the directory is not empty and was not written by seams: refusing to replace it; choose another directory or empty it")
	}
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() || sc.Text() != markerHead {
		return nil, fmt.Errorf("the directory was written by an older seams, which did not list its files: refusing to replace it; remove it or choose another directory")
	}
	listed := map[string]bool{}
	for sc.Scan() {
		name, err := strconv.Unquote(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("its %s file is damaged: refusing to replace it", Marker)
		}
		listed[name] = true
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return listed, nil
}
