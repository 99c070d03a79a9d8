package plan_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	golden_ "github.com/seamsdev/seams/internal/golden"

	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/render/text"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden_.Assert(t, filepath.Join("testdata", name), got)
}

// TestMusicCorpGolden plans the MusicCorp fixture as introspected from
// each engine (the checked-in snapshots, which a test of fixtures/musiccorp
// keeps equal to what the live servers give) and compares the three
// outputs with the reviewed goldens. seams plan's own test compares the
// command's output with the same files.
func TestMusicCorpGolden(t *testing.T) {
	for _, engine := range []string{"postgres", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			s := musicCorpSnapshot(t, engine)
			p, err := planOf(s, resolveMusicCorp(t, s))
			if err != nil {
				t.Fatal(err)
			}
			var js, txt, detail, md bytes.Buffer
			if err := p.Encode(&js); err != nil {
				t.Fatal(err)
			}
			if err := text.Write(&txt, p); err != nil {
				t.Fatal(err)
			}
			if err := text.WriteDetail(&detail, p); err != nil {
				t.Fatal(err)
			}
			if err := markdown.Write(&md, p); err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(txt.String()+detail.String(), "\n") {
				if utf8.RuneCountInString(line) > text.Width {
					t.Errorf("text line %d is wider than %d columns: %q", i+1, text.Width, line)
				}
			}
			golden(t, "musiccorp-"+engine+".json", js.Bytes())
			golden(t, "musiccorp-"+engine+".txt", txt.Bytes())
			golden(t, "musiccorp-"+engine+"-detail.txt", detail.Bytes())
			golden(t, "musiccorp-"+engine+".md", md.Bytes())
		})
	}
}
