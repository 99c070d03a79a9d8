package postgres

import (
	"slices"
	"testing"
)

// TestSearchPath reads search_path settings as the server does: quoted
// names kept, others folded to lower case, $user and pg_temp left out.
func TestSearchPath(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{`"$user", public`, []string{"public"}},
		{`app, "Odd ""Name""", MixedCase, pg_temp`, []string{"app", `Odd "Name"`, "mixedcase"}},
		{``, []string{}},
		{` sales ,public `, []string{"sales", "public"}},
	}
	for _, c := range cases {
		if got := SearchPath(c.in); !slices.Equal(got, c.want) {
			t.Errorf("SearchPath(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := searchPath([]string{"work_mem=64MB", `search_path=a, "B"`}); !slices.Equal(got, []string{"a", "B"}) {
		t.Errorf("searchPath(proconfig) = %q", got)
	}
	if got := searchPath([]string{"work_mem=64MB"}); got != nil {
		t.Errorf("no search_path: %q", got)
	}
}
