package plan_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/render/text"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
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
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test -update and review the diff)", path, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s differs in length: %d lines, want %d (run go test -update and review the diff)", path, len(gl), len(wl))
	}
}

// TestMusicCorpGolden plans the MusicCorp fixture as introspected from
// each engine and compares the three outputs with the reviewed goldens.
func TestMusicCorpGolden(t *testing.T) {
	for _, engine := range []string{"postgres", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			_, s := loadMusicCorp(t, engine)
			stable(s)
			p, err := plan.Build(s, resolveMusicCorp(t, s), plan.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var js, txt, md bytes.Buffer
			if err := p.Encode(&js); err != nil {
				t.Fatal(err)
			}
			if err := text.Write(&txt, p); err != nil {
				t.Fatal(err)
			}
			if err := markdown.Write(&md, p); err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(txt.String(), "\n") {
				if utf8.RuneCountInString(line) > text.Width {
					t.Errorf("text line %d is wider than %d columns: %q", i+1, text.Width, line)
				}
			}
			golden(t, "musiccorp-"+engine+".json", js.Bytes())
			golden(t, "musiccorp-"+engine+".txt", txt.Bytes())
			golden(t, "musiccorp-"+engine+".md", md.Bytes())
		})
	}
}
