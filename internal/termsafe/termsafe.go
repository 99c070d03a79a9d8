// Package termsafe makes text from a database safe to print on a terminal:
// control characters (escape sequences, line breaks, bells) and other
// unprintable runes are shown as Go escapes instead of being sent as they
// are.
package termsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// String returns s with every unprintable rune other than the space shown
// as \xNN or \uNNNN, and invalid UTF-8 as \ufffd.
func String(s string) string {
	if !strings.ContainsFunc(s, unsafe) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteString(`\ufffd`)
		case !unsafe(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func unsafe(r rune) bool { return r == utf8.RuneError || (r != ' ' && !unicode.IsPrint(r)) }
