// Package jsonout writes the JSON documents of seams (the plan, the check's
// result and baseline, the diff, SARIF) one way: indented by two spaces,
// with <, > and & as they are, encoded whole before the first byte is
// written.
package jsonout

import (
	"bytes"
	"encoding/json"
	"io"
)

// Write encodes v and writes it to w, ending with a newline.
func Write(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
