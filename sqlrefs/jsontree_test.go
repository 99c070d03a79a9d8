package sqlrefs

import (
	"encoding/json"
	"reflect"
	"testing"

	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// plain turns a parseJSON tree into what encoding/json gives.
func plain(v any) any {
	switch x := v.(type) {
	case jobj:
		m := make(map[string]any, len(x))
		for _, kv := range x {
			m[kv.k] = plain(kv.v)
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

// dropLocations removes the "location" members, which parseJSON leaves out.
func dropLocations(v any) any {
	switch x := v.(type) {
	case map[string]any:
		delete(x, "location")
		for k, e := range x {
			x[k] = dropLocations(e)
		}
	case []any:
		for i, e := range x {
			x[i] = dropLocations(e)
		}
	}
	return v
}

func TestParseJSON(t *testing.T) {
	inputs := []string{
		`{}`, `[]`, `{"a":[1,-2.5e3,true,false,null,"x"],"location":3}`, ` { "a" : { "b" : [ ] } } `,
		`"esc \" \\ \/ \b \f \n \r \t \u00fc \ud83d\ude00 end"`, `"ünïcode raw"`, `"lone \ud800 surrogate"`, `"half \ud800\u0041 then A"`, `"end half \udc00"`,
	}
	// The real trees of every statement of the tests.
	for _, c := range pgCases {
		if out, err := pg_query.ParseToJSON(c.sql); err == nil {
			inputs = append(inputs, out)
		}
	}
	for _, in := range inputs {
		var want any
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("bad test input %q: %v", in, err)
		}
		got, err := parseJSON(in)
		if err != nil {
			t.Errorf("parseJSON(%.60q): %v", in, err)
			continue
		}
		if !reflect.DeepEqual(plain(got), dropLocations(want)) {
			t.Errorf("parseJSON(%.60q) = %v, want %v", in, plain(got), want)
		}
	}
	for _, bad := range []string{``, `{`, `[1,`, `{"a" 1}`, `"open`, `"\x"`, `"\u12"`, `tru`, `{} x`, `[1 2]`, `-`} {
		if _, err := parseJSON(bad); err == nil {
			t.Errorf("parseJSON(%q): no error", bad)
		}
	}
}
