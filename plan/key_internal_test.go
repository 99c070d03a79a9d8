package plan

import (
	"testing"

	"github.com/seamsdev/seams/schema"
)

// TestKeyNameEscapes: the characters that structure a key never appear
// unescaped in a name, so keys of different objects never collide.
func TestKeyNameEscapes(t *testing.T) {
	tests := []struct{ name, want string }{
		{"ledger", "ledger"},
		{"Größe", "Größe"},
		{"a.b", "a%2Eb"},
		{"x(1),y", "x%281%29%2Cy"},
		{"a b\nc", "a%20b%0Ac"},
		{"50%", "50%25"},
		{"\xff", "%FF"},
		{"a+b->c:d#e@f[g]", "a%2Bb-%3Ec%3Ad%23e%40f%5Bg%5D"},
	}
	for _, tt := range tests {
		if got := keyName(tt.name); got != tt.want {
			t.Errorf("keyName(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	// schema "a.b" table "c" and schema "a" table "b.c" differ.
	x := tableKey("view", schema.TableName{Schema: "a.b", Name: "c"})
	y := tableKey("view", schema.TableName{Schema: "a", Name: "b.c"})
	if x == y {
		t.Errorf("keys collide: %q", x)
	}
}

func TestUniqueKeys(t *testing.T) {
	fs := []Finding{{ID: "query/b", Key: "query:k"}, {ID: "query/a", Key: "query:k"}, {ID: "query/c", Key: "query:k"}, {ID: "x", Key: "other"}}
	uniqueKeys(fs)
	want := []string{"query:k#2", "query:k", "query:k#3", "other"}
	for i, f := range fs {
		if f.Key != want[i] {
			t.Errorf("%s: key %q, want %q", f.ID, f.Key, want[i])
		}
	}
}
