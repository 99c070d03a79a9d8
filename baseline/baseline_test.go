package baseline_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/seamsdev/seams/baseline"
	"github.com/seamsdev/seams/plan"
)

func TestRoundTrip(t *testing.T) {
	b := baseline.New([]baseline.Entry{
		baseline.EntryOf(plan.Finding{Key: "view:app.v", Kind: plan.KindView, Contexts: []string{"a", "b"}, Title: "view <v> & co"}),
		baseline.EntryOf(plan.Finding{Key: "fk:app.a(x)->app.b(id)", Kind: plan.KindForeignKey, Title: "fk"}),
	})
	var buf bytes.Buffer
	if err := b.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	want := `{
  "format": 1,
  "findings": [
    {
      "key": "fk:app.a(x)->app.b(id)",
      "kind": "cross_context_fk",
      "contexts": [],
      "title": "fk"
    },
    {
      "key": "view:app.v",
      "kind": "cross_context_view",
      "contexts": [
        "a",
        "b"
      ],
      "title": "view <v> & co"
    }
  ]
}
`
	if buf.String() != want {
		t.Errorf("encoded:\n%s\nwant:\n%s", buf.String(), want)
	}
	back, err := baseline.Decode("b.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := back.Encode(&again); err != nil || again.String() != want {
		t.Errorf("decoded and encoded again: %v\n%s", err, again.String())
	}
	if _, ok := back.Keys()["view:app.v"]; !ok {
		t.Error("Keys misses view:app.v")
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"empty", "", "b.json: not a seams baseline: the file is empty"},
		{"syntax", "{\"format\": 1,\n  \"findings\": [x]}", "b.json:2:16: not a seams baseline: invalid character 'x' looking for beginning of value"},
		{"unknown field", `{"format": 1, "finding": []}`, `b.json: not a seams baseline: json: unknown field "finding"`},
		{"wrong type", "{\"format\": \"1\"}", "b.json:1:14: not a seams baseline: json: cannot unmarshal string into Go struct field Baseline.format of type int"},
		{"no format", `{"findings": []}`, "b.json: not a seams baseline: no format version"},
		{"newer", `{"format": 9, "findings": []}`, "b.json: baseline format 9 is newer than this seams understands (1); upgrade seams"},
		{"no key", `{"format": 1, "findings": [{"kind": "x"}]}`, "b.json: finding 1 has no key"},
		{"duplicate", `{"format": 1, "findings": [{"key": "a"}, {"key": "b"}, {"key": "a"}]}`, "b.json: finding 3 has the key of finding 1: a"},
		{"trailing", `{"format": 1, "findings": []} {}`, "b.json: not a seams baseline: data after the baseline's object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := baseline.Decode("b.json", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("not one line: %q", err)
			}
		})
	}
}
