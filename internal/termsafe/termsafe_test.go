package termsafe

import "testing"

func TestString(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain name", "plain name"},
		{"é名 ok", "é名 ok"},
		{"red\x1b[31m", `red\x1b[31m`},
		{"title\x1b]0;pwned\x07", `title\x1b]0;pwned\x07`},
		{"two\nlines\r", `two\x0alines\x0d`},
		{"tab\there", `tab\x09here`},
		{"bidi\u202egnp.exe", `bidi\u202egnp.exe`},
		{"bad\xffutf8", `bad\ufffdutf8`},
	} {
		if got := String(tt.in); got != tt.want {
			t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
