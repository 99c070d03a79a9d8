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

func TestLines(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain name", "plain name"},
		{"two\nlines\tand\u00a0spaces\u3000", "two\nlines\tand\u00a0spaces\u3000"},
		{"red\x1b[31m bell\a", `red\x1b[31m bell\x07`},
		{"cr\r\n", "cr\\x0d\n"},
		{"bidi\u202egnp.exe \u2066x\u2069", `bidi\u202egnp.exe \u2066x\u2069`},
		{"sep\u2028\u2029", `sep\u2028\u2029`},
		{"c1\u0085\u009b", `c1\x85\x9b`},
		{"bad\xffutf8 \ufffd", `bad\ufffdutf8 ` + "\ufffd"},
	} {
		if got := Lines(tt.in); got != tt.want {
			t.Errorf("Lines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
