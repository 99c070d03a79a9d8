package jsonout_test

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/seamsdev/seams/internal/jsonout"
)

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) { f.n += len(p); return 0, errors.New("disk full") }

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	if err := jsonout.Write(&buf, map[string]any{"a": "<b>&", "n": []int{1}}); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"a\": \"<b>&\",\n  \"n\": [\n    1\n  ]\n}\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
	// A value that cannot be encoded writes nothing.
	fw := &failWriter{}
	if err := jsonout.Write(fw, math.Inf(1)); err == nil || fw.n != 0 {
		t.Errorf("unencodable value: err %v, %d bytes written", err, fw.n)
	}
	if err := jsonout.Write(fw, 1); err == nil {
		t.Error("a failing writer gives no error")
	}
}
