package schema_test

import (
	"bytes"
	"encoding/json"
	"sync"
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/schema"
)

var (
	bigOnce sync.Once
	bigJSON []byte
	bigErr  error
)

// bigSnapshot is the 10,000-table, 20-context synthetic snapshot as
// seams writes it (about 35 MB).
func bigSnapshot(b *testing.B) []byte {
	b.Helper()
	bigOnce.Do(func() {
		g, err := synth.Generate(synth.Options{Tables: 10000, Contexts: 20, Seed: 1})
		if err != nil {
			bigErr = err
			return
		}
		s, err := g.Snapshot("postgres")
		if err != nil {
			bigErr = err
			return
		}
		var buf bytes.Buffer
		bigErr = s.Encode(&buf)
		bigJSON = buf.Bytes()
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigJSON
}

// BenchmarkDecode compares the ways to read a snapshot of 10,000 tables:
// encoding/json as seams used it (a Decoder with DisallowUnknownFields,
// which reads the whole document into its buffer before decoding it) and
// schema.Decode, which streams it through github.com/go-json-experiment/json.
// Both end with the same Validate and Normalize.
//
//	go test ./schema -run XXX -bench Decode -benchmem
func BenchmarkDecode(b *testing.B) {
	data := bigSnapshot(b)
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			var s schema.Snapshot
			if err := dec.Decode(&s); err != nil {
				b.Fatal(err)
			}
			if err := s.Validate(); err != nil {
				b.Fatal(err)
			}
			s.Normalize()
		}
	})
	b.Run("json-v2", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := schema.Decode(bytes.NewReader(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestDecodeSameAsEncodingJSON checks that the decoder reads snapshots
// exactly as encoding/json did: the same value, so the same bytes again.
func TestDecodeSameAsEncodingJSON(t *testing.T) {
	g, err := synth.Generate(synth.Options{Tables: 300, Contexts: 5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	inputs := map[string][]byte{"musiccorp postgres": musiccorp.SnapshotJSON, "musiccorp mysql": musiccorp.SnapshotMySQLJSON}
	for _, engine := range []string{"postgres", "mysql"} {
		s, err := g.Snapshot(engine)
		if err != nil {
			t.Fatal(err)
		}
		var data bytes.Buffer
		if err := s.Encode(&data); err != nil {
			t.Fatal(err)
		}
		inputs["synth "+engine] = data.Bytes()
	}
	for name, data := range inputs {
		var old schema.Snapshot
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&old); err != nil {
			t.Fatal(err)
		}
		got, err := schema.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var a, b bytes.Buffer
		if err := old.Encode(&a); err != nil {
			t.Fatal(err)
		}
		if err := got.Encode(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: the snapshot decodes differently from encoding/json", name)
		}
	}
}
