package usage

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

func TestLiterals(t *testing.T) {
	tests := []struct {
		name, file, src string
		want            []string
		holes           []bool
	}{
		{"go raw and concat", "x.go", "q := `SELECT a\n FROM t` // \"not this\"\nr := \"SELECT \" +\n\t\"b FROM u\"", []string{"SELECT a\n FROM t", "SELECT b FROM u"}, []bool{false, false}},
		{"go rune and expr concat", "x.go", `c := 'x'; q := "SELECT * FROM " + table + " WHERE id = 1"`, []string{"SELECT * FROM " + dynSentinel + " WHERE id = 1"}, []bool{true}},
		{"go sprintf", "x.go", `fmt.Sprintf("DELETE FROM %s", t)`, []string{"DELETE FROM %s"}, []bool{false}},
		{"java text block", "X.java", "exec(\"\"\"\n    UPDATE t SET a = 1\n    \"\"\", x); /* \"no\" */", []string{"\n    UPDATE t SET a = 1\n    "}, []bool{false}},
		{"kotlin template", "X.kt", `val q = "SELECT * FROM t WHERE id = ${id} AND n = $name"`, []string{"SELECT * FROM t WHERE id = " + dynSentinel + " AND n = " + dynSentinel}, []bool{true}},
		{"csharp verbatim and interpolated", "X.cs", `var a = @"SELECT ""x"" FROM t"; var b = $"SELECT * FROM {tbl}";`, []string{`SELECT "x" FROM t`, "SELECT * FROM " + dynSentinel}, []bool{false, true}},
		{"python adjacency, triple, f-string", "x.py", "# \"comment\"\ncur.execute(\"SELECT a \"\n  'FROM t')\nq = '''UPDATE t\nSET a = 1'''\nf\"SELECT * FROM {t}\"", []string{"SELECT a FROM t", "UPDATE t\nSET a = 1", "SELECT * FROM " + dynSentinel}, []bool{false, false, true}},
		{"ruby heredoc and interpolation", "x.rb", "x = <<~SQL\n  SELECT * FROM t WHERE id = #{id}\nSQL\ny = 'plain'", []string{"  SELECT * FROM t WHERE id = " + dynSentinel + "\n", "plain"}, []bool{true, false}},
		{"ruby line continuation", "x.rb", "find_by_sql(\"SELECT a \" \\\n  \"FROM t\")", []string{"SELECT a FROM t"}, []bool{false}},
		{"php concat, heredoc, nowdoc", "x.php", "<?php $q = 'SELECT * FROM ' . $t . ' WHERE 1';\n$h = <<<SQL\nSELECT {$x} FROM u\nSQL;\n$n = <<<'SQL'\nSELECT \"$y\" FROM v\nSQL;\n# \"no\"", []string{"SELECT * FROM " + dynSentinel + " WHERE 1", "SELECT " + dynSentinel + " FROM u\n", "SELECT \"$y\" FROM v\n"}, []bool{true, true, false}},
		{"js template and quotes", "x.ts", "const a = `SELECT * FROM ${t}`; const b = 'DELETE FROM u'; // `no`", []string{"SELECT * FROM " + dynSentinel, "DELETE FROM u"}, []bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lits := literals(languageOf(tt.file), tt.src)
			var got []string
			var holes []bool
			for _, l := range lits {
				got = append(got, l.text)
				holes = append(holes, l.holes)
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(holes, tt.holes) {
				t.Errorf("literals:\n got %q %v\nwant %q %v", got, holes, tt.want, tt.holes)
			}
		})
	}
}

func TestLooksLikeSQL(t *testing.T) {
	for s, want := range map[string]bool{
		"SELECT a FROM t":                           true,
		"  select count(*) from t where x":          true,
		"Select a country from the list":            true, // has FROM: parsed, and rejected or dropped later
		"Select a country":                          false,
		"Update your profile":                       false,
		"UPDATE t SET a = 1":                        true,
		"insert into t values (1)":                  true,
		"Delete this item?":                         false,
		"WITH x AS (SELECT 1) SELECT * FROM x":      true,
		"(SELECT a FROM t) UNION (SELECT b FROM u)": true,
	} {
		if got := looksLikeSQL(s); got != want {
			t.Errorf("looksLikeSQL(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestNormalizePlaceholders(t *testing.T) {
	tests := []struct {
		in      string
		dialect schema.Dialect
		percent bool
		want    string
	}{
		{"SELECT * FROM t WHERE a = ? AND b = ?", "postgres", false, "SELECT * FROM t WHERE a = $1 AND b = $1"},
		{"SELECT * FROM t WHERE a = :id AND b::text = '?:x'", "postgres", false, "SELECT * FROM t WHERE a = $1 AND b::text = '?:x'"},
		{"SELECT * FROM t WHERE a = @id", "postgres", false, "SELECT * FROM t WHERE a = $1"},
		{"SELECT * FROM t WHERE a = $1", "mysql", false, "SELECT * FROM t WHERE a = ?"},
		{"SELECT * FROM t WHERE a = %s AND b = %(name)s", "postgres", true, "SELECT * FROM t WHERE a = $1 AND b = $1"},
		{"SELECT * FROM %s WHERE a = %d", "postgres", false, "SELECT * FROM " + dynSentinel + " WHERE a = " + dynSentinel},
		{"SELECT * FROM t WHERE a = #{id} AND b LIKE '100%'", "mysql", false, "SELECT * FROM t WHERE a = ? AND b LIKE '100%'"},
	}
	for _, tt := range tests {
		if got := normalizePlaceholders(tt.in, tt.dialect, tt.percent); got != tt.want {
			t.Errorf("normalizePlaceholders(%q, %s) = %q, want %q", tt.in, tt.dialect, got, tt.want)
		}
	}
}

func TestSplitSQL(t *testing.T) {
	src := "-- a; comment\nSELECT 1;\n/* b;\n c */ INSERT INTO t VALUES ('x;y');\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
	got := splitSQL(src)
	var lines []int
	for _, p := range got {
		lines = append(lines, p.line)
	}
	if len(got) != 3 || !slices.Equal(lines, []int{2, 4, 5}) || got[1].text != "INSERT INTO t VALUES ('x;y')" {
		t.Errorf("splitSQL: %+v", got)
	}
}

// logSnapshot returns the MusicCorp snapshot for an engine, for log tests.
func logSnapshot(t *testing.T, engine schema.Engine) *schema.Snapshot {
	s := musiccorpSnapshot(t)
	s.Source.Engine = engine
	return s
}

func TestReadLog(t *testing.T) {
	for _, tt := range []struct {
		file     string
		engine   schema.Engine
		read     int
		rejected int
		unattr   int
	}{
		{"testdata/postgresql.log", schema.Postgres, 8, 0, 1},
		{"testdata/mariadb-general.log", schema.MariaDB, 9, 1, 0},
	} {
		t.Run(tt.file, func(t *testing.T) {
			s := logSnapshot(t, tt.engine)
			b := newBuilder(t, s)
			if err := ReadLog(tt.file, b); err != nil {
				t.Fatal(err)
			}
			u := attribute(t, s, musiccorpMap(t, s), b.Build())
			src := u.Facts.Sources[0]
			if src.Statements != tt.read || src.Rejected != tt.rejected || u.Unattributed[src.Kind] != tt.unattr {
				t.Errorf("source: %+v; want %d read, %d rejected, %d unattributed", src, tt.read, tt.rejected, tt.unattr)
			}
			if c := cell(u, "finance", "picking"); c.Writes != 1 {
				t.Errorf("finance × picking: %+v", c)
			}
			if c := cell(u, "warehouse", "customer"); c.Writes != 1 || !strings.HasPrefix(c.Evidence[0], "log/") {
				t.Errorf("warehouse × customer: %+v", c)
			}
			if len(u.Transactions) != 1 || !slices.Equal(u.Transactions[0].Contexts, []string{"finance", "warehouse"}) ||
				!strings.Contains(u.Transactions[0].Evidence, "one transaction in the query log") || u.Transactions[0].Location.Line != 2 && u.Transactions[0].Location.Line != 7 {
				t.Errorf("transactions: %+v", u.Transactions)
			}
			for _, st := range u.Facts.Statements {
				if len(st.Locations) != 1 || st.Locations[0].File != tt.file {
					t.Errorf("statement %s has locations %v", st.ID, st.Locations)
				}
			}
		})
	}
}

func TestReadLogMissing(t *testing.T) {
	s := musiccorpSnapshot(t)
	err := ReadLog("testdata/no-such.log", newBuilder(t, s))
	if err == nil || !strings.Contains(err.Error(), "no-such.log") {
		t.Errorf("err = %v", err)
	}
}

// TestBuildDeterministic shows that the order of the observations does not
// change the usage.
func TestBuildDeterministic(t *testing.T) {
	s := musiccorpSnapshot(t)
	collect := func() []Raw {
		b := newBuilder(t, s)
		if err := ScanCode(appRoot, b); err != nil {
			t.Fatal(err)
		}
		if err := ReadLog("testdata/postgresql.log", b); err != nil {
			t.Fatal(err)
		}
		return b.raws
	}
	encode := func(raws []Raw) []byte {
		b := newBuilder(t, s)
		b.AddSource(schema.UsageSource{Kind: schema.SourceCode, Available: true})
		for _, r := range raws {
			b.Add(r)
		}
		out, err := json.Marshal(b.Build())
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	raws := collect()
	want := encode(raws)
	rng := rand.New(rand.NewSource(1))
	for range 5 {
		rng.Shuffle(len(raws), func(i, j int) { raws[i], raws[j] = raws[j], raws[i] })
		if got := encode(raws); !bytes.Equal(got, want) {
			t.Fatal("usage depends on the order of the observations")
		}
	}
}

// TestSnapshotRoundTrip writes a snapshot with usage and reads it back.
func TestSnapshotRoundTrip(t *testing.T) {
	u := scanApp(t).Facts
	s := musiccorpSnapshot(t)
	s.Usage = u
	var buf bytes.Buffer
	if err := s.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := schema.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(u)
	b, _ := json.Marshal(back.Usage)
	if !bytes.Equal(a, b) {
		t.Error("usage changed in a round trip through the snapshot file")
	}
}

// TestCodeScanNotes shows globs that match nothing and a map without code:.
func TestCodeScanNotes(t *testing.T) {
	s := musiccorpSnapshot(t)
	a := musiccorpMap(t, s)
	a.Info["finance"].Code = []string{"billing/**"}
	b := newBuilder(t, s)
	if err := ScanCode(appRoot, b); err != nil {
		t.Fatal(err)
	}
	raw := b.Build()
	u := attribute(t, s, a, raw)
	if !slices.ContainsFunc(u.Notes, func(n string) bool {
		return strings.Contains(n, "code: globs of context finance (billing/**) match no file that holds SQL")
	}) {
		t.Errorf("notes: %q", u.Notes)
	}
	for _, c := range a.Contexts {
		a.Info[c].Code = nil
	}
	if u := attribute(t, s, a, raw); !slices.ContainsFunc(u.Notes, func(n string) bool { return strings.Contains(n, "no context lists code: globs") }) {
		t.Errorf("notes without code: globs: %q", u.Notes)
	}
	if err := ScanCode("testdata/no-such-dir", newBuilder(t, s)); err == nil {
		t.Error("no error for a missing code root")
	}
}
