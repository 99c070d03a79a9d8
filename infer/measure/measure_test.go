package measure

import (
	"bytes"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/schema"
)

// TestMusicCorp hides the 37 foreign keys of the MusicCorp fixture and
// checks that inference recovers them, cold and warm, and what the
// tbls-style baseline finds.
func TestMusicCorp(t *testing.T) {
	s, err := schema.Decode(bytes.NewReader(musiccorp.SnapshotJSON))
	if err != nil {
		t.Fatal(err)
	}
	rows := Run(s, infer.DefaultThreshold)
	get := func(setting, method string) Row {
		for _, r := range rows {
			if r.Setting == setting && r.Method == method {
				return r
			}
		}
		t.Fatalf("no row %s/%s", setting, method)
		return Row{}
	}
	for _, c := range []struct {
		setting, method    string
		truth              int
		minRecall, minPrec float64
	}{
		{"cold", AllSources, 37, 1, 0.95},
		{"warm", AllSources, 19, 1, 0.9},
		{"cold", "view", 37, 0.1, 1},
		{"cold", Baseline, 37, 0.4, 0.9},
	} {
		r := get(c.setting, c.method)
		if r.Truth != c.truth || r.Recall() < c.minRecall || r.Precision() < c.minPrec {
			t.Errorf("%s/%s: %+v: recall %.2f precision %.2f, want truth %d, recall >= %.2f, precision >= %.2f",
				c.setting, c.method, r, r.Recall(), r.Precision(), c.truth, c.minRecall, c.minPrec)
		}
	}
	md := Markdown("musiccorp", rows)
	if !bytes.Contains([]byte(md), []byte("| musiccorp | cold | all sources | 37 | 38 | 37 | 0.97 | 1.00 |")) {
		t.Errorf("markdown:\n%s", md)
	}
}
