// Package baseline reads and writes the baseline of `seams check`: the
// findings a team has accepted as known debt, keyed by their stable plan
// keys (plan.Finding.Key), so that check fails only on what is new.
//
// The file is small JSON meant to be reviewed in pull requests: one entry
// per finding, sorted by key, with the finding's kind, contexts and title
// for the reader (only the key is matched). The same findings always give
// the same bytes.
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/seamsdev/seams/internal/jsonout"
	"github.com/seamsdev/seams/plan"
)

// FormatVersion is the version of the baseline format this package writes.
// Decode rejects baselines of a newer one.
const FormatVersion = 1

// Baseline is the accepted findings.
type Baseline struct {
	// Format is FormatVersion.
	Format int `json:"format"`
	// Findings are the accepted findings, sorted by key.
	Findings []Entry `json:"findings"`
}

// Entry is one accepted finding.
type Entry struct {
	// Key is the finding's plan key: what is matched.
	Key string `json:"key"`
	// Kind, Contexts and Title describe the finding for a reader, as it
	// was when it was accepted (or last updated).
	Kind     plan.Kind `json:"kind"`
	Contexts []string  `json:"contexts"`
	Title    string    `json:"title"`
}

// EntryOf returns the entry that accepts finding f.
func EntryOf(f plan.Finding) Entry {
	cs := slices.Clone(f.Contexts)
	if cs == nil {
		cs = []string{}
	}
	return Entry{Key: f.Key, Kind: f.Kind, Contexts: cs, Title: f.Title}
}

// New returns a baseline of the entries, sorted by key.
func New(entries []Entry) *Baseline {
	b := &Baseline{Format: FormatVersion, Findings: slices.Clone(entries)}
	if b.Findings == nil {
		b.Findings = []Entry{}
	}
	slices.SortFunc(b.Findings, func(x, y Entry) int { return strings.Compare(x.Key, y.Key) })
	return b
}

// Keys returns the set of the baseline's keys.
func (b *Baseline) Keys() map[string]Entry {
	out := make(map[string]Entry, len(b.Findings))
	for _, e := range b.Findings {
		out[e.Key] = e
	}
	return out
}

// Encode writes the baseline as indented JSON, its entries sorted by key.
func (b *Baseline) Encode(w io.Writer) error {
	if err := jsonout.Write(w, New(b.Findings)); err != nil {
		return fmt.Errorf("encode baseline: %w", err)
	}
	return nil
}

// Error is a problem in a baseline's content (not in reading the file).
type Error struct{ msg string }

func (e *Error) Error() string { return e.msg }

func errorf(format string, args ...any) error { return &Error{fmt.Sprintf(format, args...)} }

// Read reads the baseline file at path.
func Read(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	return Decode(path, data)
}

// Decode parses a baseline. name names it in errors (*Error), which are
// one line: name:line:col for a JSON syntax error, the entry for a bad one.
func Decode(name string, data []byte) (*Baseline, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, decodeError(name, data, err)
	}
	if dec.More() {
		return nil, errorf("%s: not a seams baseline: data after the baseline's object", name)
	}
	switch {
	case b.Format == 0:
		return nil, errorf("%s: not a seams baseline: no format version", name)
	case b.Format > FormatVersion:
		return nil, errorf("%s: baseline format %d is newer than this seams understands (%d); upgrade seams", name, b.Format, FormatVersion)
	}
	if b.Findings == nil {
		b.Findings = []Entry{}
	}
	seen := map[string]int{}
	for i, e := range b.Findings {
		if strings.TrimSpace(e.Key) == "" {
			return nil, errorf("%s: finding %d has no key", name, i+1)
		}
		if j, dup := seen[e.Key]; dup {
			return nil, errorf("%s: finding %d has the key of finding %d: %s", name, i+1, j+1, e.Key)
		}
		seen[e.Key] = i
		if e.Contexts == nil {
			b.Findings[i].Contexts = []string{}
		}
	}
	return &b, nil
}

// decodeError says where in data a JSON error is, as name:line:col.
func decodeError(name string, data []byte, err error) error {
	var off int64 = -1
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = syn.Offset
	case errors.As(err, &typ):
		off = typ.Offset
	case errors.Is(err, io.EOF):
		return errorf("%s: not a seams baseline: the file is empty", name)
	}
	if off < 0 {
		return errorf("%s: not a seams baseline: %v", name, err)
	}
	line, col := position(data, off)
	return errorf("%s:%d:%d: not a seams baseline: %v", name, line, col, err)
}

// position returns the 1-based line and column (in bytes) of the byte
// before offset off: the one a JSON error was met at.
func position(data []byte, off int64) (line, col int) {
	i := int(min(max(off-1, 0), int64(len(data))))
	before := data[:i]
	line = bytes.Count(before, []byte("\n")) + 1
	col = i - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}
