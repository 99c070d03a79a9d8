package schema

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/seamsdev/seams/internal/atomicfile"
)

// Normalize puts the snapshot in its canonical order so that the same
// database always gives the same bytes: schemas, tables and views by name,
// triggers by table then name, and each table's keys, indexes, checks and
// foreign keys by name. Column order is kept: it is the database's order.
// Nil slices that are always written become empty ones.
func (s *Snapshot) Normalize() {
	slices.SortFunc(s.Schemas, func(a, b Schema) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(s.Tables, func(a, b Table) int { return a.TableName().Compare(b.TableName()) })
	slices.SortFunc(s.Views, func(a, b View) int { return a.TableName().Compare(b.TableName()) })
	slices.SortFunc(s.Triggers, func(a, b Trigger) int {
		if c := a.Table.Compare(b.Table); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	slices.SortFunc(s.Unreadable, func(a, b Unreadable) int { return strings.Compare(a.Part, b.Part) })
	slices.SortFunc(s.Routines, func(a, b Routine) int {
		if c := strings.Compare(a.Schema, b.Schema); c != 0 {
			return c
		}
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Arguments, b.Arguments)
	})
	for i := range s.Routines {
		r := &s.Routines[i]
		r.Reads, r.Writes = sortedNames(r.Reads), sortedNames(r.Writes)
		if len(r.ByPath) > 0 {
			r.ByPath = sortedNames(r.ByPath)
		}
		slices.Sort(r.Calls)
		r.Calls = slices.Compact(r.Calls)
	}
	if s.Schemas == nil {
		s.Schemas = []Schema{}
	}
	if s.Tables == nil {
		s.Tables = []Table{}
	}
	if s.Views == nil {
		s.Views = []View{}
	}
	if s.Triggers == nil {
		s.Triggers = []Trigger{}
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.Columns == nil {
			t.Columns = []Column{}
		}
		byName := func(a, b Key) int { return strings.Compare(a.Name, b.Name) }
		slices.SortFunc(t.Uniques, byName)
		slices.SortFunc(t.Indexes, func(a, b Index) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(t.Checks, func(a, b Check) int { return strings.Compare(a.Name, b.Name) })
		slices.SortFunc(t.ForeignKeys, func(a, b ForeignKey) int { return strings.Compare(a.Name, b.Name) })
	}
	for i := range s.Views {
		v := &s.Views[i]
		v.Reads = sortedNames(v.Reads)
	}
	NormalizeInferred(s.Inferred)
	for i := range s.Triggers {
		tr := &s.Triggers[i]
		tr.Writes = sortedNames(tr.Writes)
		tr.Reads = sortedNames(tr.Reads)
		if tr.Events == nil {
			tr.Events = []string{}
		}
	}
}

// sortedNames sorts and deduplicates names, never returning nil.
func sortedNames(ns []TableName) []TableName {
	if ns == nil {
		return []TableName{}
	}
	slices.SortFunc(ns, TableName.Compare)
	return slices.Compact(ns)
}

// Encode writes the snapshot as indented JSON in canonical order. The bytes
// are those of encoding/json with two-space indentation and no HTML
// escaping, but the large arrays are encoded one element at a time, so a
// snapshot of ten thousand tables is never held in memory twice.
func (s *Snapshot) Encode(w io.Writer) error {
	s.Normalize()
	bw := bufio.NewWriterSize(w, 1<<16)
	e := &streamEncoder{w: bw}
	e.raw("{\n")
	e.field("format", s.Format)
	e.field("source", s.Source)
	e.array("schemas", len(s.Schemas), func(i int) any { return s.Schemas[i] })
	e.array("tables", len(s.Tables), func(i int) any { return &s.Tables[i] })
	e.array("views", len(s.Views), func(i int) any { return &s.Views[i] })
	e.array("triggers", len(s.Triggers), func(i int) any { return &s.Triggers[i] })
	if len(s.Routines) > 0 {
		e.array("routines", len(s.Routines), func(i int) any { return &s.Routines[i] })
	}
	if len(s.SearchPath) > 0 {
		e.field("search_path", s.SearchPath)
	}
	if len(s.Unreadable) > 0 {
		e.array("unreadable", len(s.Unreadable), func(i int) any { return s.Unreadable[i] })
	}
	if s.Usage != nil {
		s.Usage.Normalize()
		e.field("usage", s.Usage)
	}
	if len(s.Inferred) > 0 {
		e.array("inferred", len(s.Inferred), func(i int) any { return &s.Inferred[i] })
	}
	e.raw("\n}\n")
	if e.err != nil {
		return fmt.Errorf("encode snapshot: %w", e.err)
	}
	return bw.Flush()
}

// streamEncoder writes a JSON object field by field, in the layout of
// json.Encoder with SetIndent("", "  ").
type streamEncoder struct {
	// fields counts the fields written so far.
	fields int
	w      *bufio.Writer
	buf    bytes.Buffer
	err    error
}

func (e *streamEncoder) raw(s string) {
	if e.err == nil {
		_, e.err = e.w.WriteString(s)
	}
}

// value writes v indented as an element at the given depth.
func (e *streamEncoder) value(v any, prefix string) {
	if e.err != nil {
		return
	}
	e.buf.Reset()
	enc := json.NewEncoder(&e.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if e.err = enc.Encode(v); e.err != nil {
		return
	}
	_, e.err = e.w.Write(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n")))
}

func (e *streamEncoder) field(name string, v any) {
	e.sep()
	e.raw("  \"" + name + "\": ")
	e.value(v, "  ")
}

func (e *streamEncoder) array(name string, n int, elem func(int) any) {
	e.sep()
	e.raw("  \"" + name + "\": [")
	for i := 0; i < n; i++ {
		if i > 0 {
			e.raw(",")
		}
		e.raw("\n    ")
		e.value(elem(i), "    ")
	}
	if n > 0 {
		e.raw("\n  ")
	}
	e.raw("]")
}

// sep separates a field from the one before it.
func (e *streamEncoder) sep() {
	if e.fields > 0 {
		e.raw(",\n")
	}
	e.fields++
}

// decodeOptions are those of the snapshot's decoder: as strict as
// encoding/json with DisallowUnknownFields, and as lenient where it is
// (names matched without regard to case, a repeated name's last value
// kept, invalid UTF-8 read as U+FFFD), so every snapshot that seams read
// before still reads. The decoder is github.com/go-json-experiment/json
// (encoding/json/v2): see BenchmarkDecode for what it saves.
var decodeOptions = jsonv2.JoinOptions(
	jsonv2.RejectUnknownMembers(true),
	jsonv2.MatchCaseInsensitiveNames(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// errOldUsage is the usage of a snapshot of format 1, which stored it
// attributed to the contexts of one map.
type errOldUsage struct{ format int }

func (e errOldUsage) Error() string {
	return fmt.Sprintf("snapshot: its usage was recorded by an older seams (format %d), attributed to one contexts map; record it again with 'seams usage ... -o FILE' (the catalog part still reads with this seams once the usage is removed)", e.format)
}

// Decode reads a snapshot written by Encode and checks it. A snapshot of
// format 1 is read as it is, apart from its usage, which format 1 stored
// attributed to the contexts of one map: such a snapshot is refused with a
// message that says how to record the usage again.
func Decode(r io.Reader) (*Snapshot, error) {
	var s Snapshot
	// The usage's shape changed with format 2: a format 1 usage is
	// refused with its own message, not as a field mismatch. Seams writes
	// the format first; in a file that puts it after the usage, the usage
	// is kept aside until the format is known.
	var late jsontext.Value
	var lateAt int64
	usage := jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, _ *Usage) error {
		switch s.Format {
		case 0:
			lateAt = dec.InputOffset()
			v, err := dec.ReadValue()
			late = v.Clone()
			return err
		case 1:
			return errOldUsage{s.Format}
		}
		return jsonv2.SkipFunc
	})
	dec := jsontext.NewDecoder(r, decodeOptions)
	unmarshalers := jsonv2.JoinUnmarshalers(usage, exactList[Table](),
		exactList[Column](), exactList[Index](), exactList[ForeignKey](),
		exactList[Key](), exactList[Check]())
	if err := jsonv2.UnmarshalDecode(dec, &s, jsonv2.WithUnmarshalers(unmarshalers)); err != nil {
		return nil, decodeError(err, 0, "")
	}
	if late != nil {
		if s.Format < 2 {
			return nil, errOldUsage{s.Format}
		}
		s.Usage = &Usage{}
		if err := jsonv2.Unmarshal(late, s.Usage, decodeOptions); err != nil {
			return nil, decodeError(err, lateAt, "usage/")
		}
	}
	if s.Usage != nil && s.Format < 2 {
		return nil, errOldUsage{s.Format}
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return nil, fmt.Errorf("not a seams snapshot: data after the end of the JSON document at byte %d", dec.InputOffset())
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s.Normalize()
	return &s, nil
}

// exactList decodes a JSON array into a []T of exactly its length. The
// default decoder grows a slice by doubling: for a table's columns,
// indexes and keys that allocated the snapshot's largest part two to three
// times over and left a quarter of it as spare capacity that every command
// then held to its end. Here the elements go to one scratch slice, reused
// from table to table, and each list is allocated once, at its length.
// Anything but an array (null, or a value of the wrong type) is left to
// the default decoder, which reports it as it does for any field.
func exactList[T any]() *jsonv2.Unmarshalers {
	var scratch []T
	return jsonv2.UnmarshalFromFunc(func(dec *jsontext.Decoder, v *[]T) error {
		if dec.PeekKind() != '[' {
			return jsonv2.SkipFunc
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		list := scratch[:0]
		for dec.PeekKind() != ']' {
			var zero T
			list = append(list, zero)
			if err := jsonv2.UnmarshalDecode(dec, &list[len(list)-1]); err != nil {
				return err
			}
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		*v = append(make([]T, 0, len(list)), list...)
		clear(list)
		scratch = list[:0]
		return nil
	})
}

// decodeError says what is wrong with a snapshot, where: the byte offset
// and, for a value of the wrong type or an unknown field, its path.
// A value decoded on its own starts at byte at of the file, at path
// within it.
func decodeError(err error, at int64, within string) error {
	if old, ok := errors.AsType[errOldUsage](err); ok {
		return old
	}
	if se, ok := errors.AsType[*jsontext.SyntacticError](err); ok {
		if errors.Is(se.Err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("not a seams snapshot: the JSON ends early, at byte %d", at+se.ByteOffset)
		}
		return fmt.Errorf("not a seams snapshot: invalid JSON at byte %d: %v", at+se.ByteOffset+1, se.Err)
	}
	if se, ok := errors.AsType[*jsonv2.SemanticError](err); ok {
		path := within + strings.TrimPrefix(string(se.JSONPointer), "/")
		if errors.Is(se.Err, jsonv2.ErrUnknownName) {
			return fmt.Errorf("not a seams snapshot: unknown field %q at byte %d", path, at+se.ByteOffset)
		}
		want := "another type"
		if se.GoType != nil {
			want = se.GoType.String()
		}
		return fmt.Errorf("not a seams snapshot: field %q at byte %d: want %s, got %s", path, at+se.ByteOffset, want, se.JSONKind)
	}
	return fmt.Errorf("not a seams snapshot: %v", err)
}

// ReadFile loads a snapshot file.
func ReadFile(path string) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	defer f.Close()
	s, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// WriteFile saves the snapshot to path atomically: it writes a temporary
// file beside path and renames it, so that a failure never leaves a
// half-written snapshot behind.
func (s *Snapshot) WriteFile(path string) error {
	return atomicfile.Write(path, s.Encode)
}
