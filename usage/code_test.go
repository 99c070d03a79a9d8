package usage

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/schema"
)

var update = flag.Bool("update", false, "rewrite the golden files")

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

// scanApp scans the MusicCorp app against the bundled PostgreSQL snapshot.
func scanApp(t testing.TB) *schema.Usage {
	t.Helper()
	s := musiccorpSnapshot(t)
	b := NewBuilder(s, musiccorpMap(t, s))
	if err := ScanCode(appRoot, b); err != nil {
		t.Fatal(err)
	}
	return b.Build()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff:\n%s", path, got)
	}
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
	b := NewBuilder(s, musiccorpMap(t, s))
	if err := ScanCode(appRoot, b); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteText(&buf, b.Build()); err != nil {
		t.Fatal(err)
	}
	golden(t, "app-mysql.txt", buf.Bytes())
}
