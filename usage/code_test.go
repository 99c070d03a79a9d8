package usage

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/seamsdev/seams/attribution"
	golden_ "github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/ownership"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/schema"
)

const appRoot = "../fixtures/musiccorp/app/src"

// musiccorpMap loads contexts-usage.yaml and resolves it against s.
func musiccorpMap(t testing.TB, s *schema.Snapshot) *contexts.Assignment {
	t.Helper()
	m, err := contexts.Load("../fixtures/musiccorp/contexts-usage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func musiccorpSnapshot(t testing.TB) *schema.Snapshot {
	t.Helper()
	s, err := schema.Decode(bytes.NewReader(musiccorp.SnapshotJSON))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// scanApp scans the MusicCorp app against the bundled PostgreSQL snapshot
// and attributes it to contexts-usage.yaml.
func scanApp(t testing.TB) *attribution.Usage {
	t.Helper()
	s := musiccorpSnapshot(t)
	b := newBuilder(t, s)
	if err := ScanCode(appRoot, b); err != nil {
		t.Fatal(err)
	}
	return attribute(t, s, musiccorpMap(t, s), b.Build())
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden_.Assert(t, filepath.Join("testdata", name), got)
}

// newBuilder returns a builder for s, failing the test on an error.
func newBuilder(t testing.TB, s *schema.Snapshot) *Builder {
	t.Helper()
	b, err := NewBuilder(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// attribute attributes u, recorded for s, to the contexts of a (nil: no
// map).
func attribute(t testing.TB, s *schema.Snapshot, a *contexts.Assignment, u *schema.Usage) *attribution.Usage {
	t.Helper()
	return attribution.Attribute(u, ownership.New(s, a, ownership.Options{}))
}

func TestScanAppGolden(t *testing.T) {
	u := scanApp(t)
	var buf bytes.Buffer
	if err := WriteText(&buf, u); err != nil {
		t.Fatal(err)
	}
	golden(t, "app.txt", buf.Bytes())
}

// TestScanAppGoldenMySQL scans the same tree for a MySQL/MariaDB database:
// the driver placeholders become ?, and PostgreSQL-only syntax in the code
// (interval '1 year') is rejected by the MySQL parser and listed.
func TestScanAppGoldenMySQL(t *testing.T) {
	s := musiccorpSnapshot(t)
	s.Source.Engine = schema.MariaDB
	b := newBuilder(t, s)
	if err := ScanCode(appRoot, b); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, attribute(t, s, musiccorpMap(t, s), b.Build())); err != nil {
		t.Fatal(err)
	}
	golden(t, "app-mysql.txt", buf.Bytes())
}

// cell returns the matrix cell of (ctx, table), or a zero cell.
func cell(u *attribution.Usage, ctx, table string) attribution.Cell {
	for _, c := range u.Matrix {
		if c.Context == ctx && c.Table.Name == table {
			return c
		}
	}
	return attribution.Cell{}
}
