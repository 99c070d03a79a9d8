// Package sariftest validates SARIF logs against the OASIS SARIF 2.1.0
// JSON schema, for tests (see README.md for where the schema comes from).
package sariftest

import (
	"bytes"
	_ "embed"
	"fmt"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed sarif-schema-2.1.0.json
var schemaJSON []byte

// Check returns why data is not a valid SARIF 2.1.0 log (formats such as
// URIs included), or nil.
func Check(data []byte) error {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return fmt.Errorf("sarif schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		return fmt.Errorf("sarif schema: %w", err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		return fmt.Errorf("sarif schema: %w", err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("the SARIF log is not JSON: %w", err)
	}
	if err := sch.Validate(inst); err != nil {
		return fmt.Errorf("the SARIF log does not validate against the SARIF 2.1.0 schema: %w", err)
	}
	return nil
}

// Validate fails t when data is not a valid SARIF 2.1.0 log.
func Validate(t testing.TB, data []byte) {
	t.Helper()
	if err := Check(data); err != nil {
		t.Error(err)
	}
}
