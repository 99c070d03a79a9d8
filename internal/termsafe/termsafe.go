// Package termsafe makes text from a database safe to show: on a terminal,
// in Markdown, in HTML. Control characters (escape sequences, line breaks,
// bells), direction overrides and other unprintable runes are shown as Go
// escapes (\x1b, \u202e) instead of being sent as they are, so that a name
// can neither drive the terminal nor reorder or hide what is shown around
// it, and two names that differ only in such runes still look different.
package termsafe

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// String returns s with every unprintable rune other than the space shown
// as \xNN or \uNNNN, and invalid UTF-8 as \ufffd. It is for one line of a
// terminal: line breaks and tabs are escaped too.
func String(s string) string { return escape(s, unprintable) }

// Lines returns s with every control character but the line break and the
// tab, every format character (direction overrides and isolates, zero-width
// characters), the line and paragraph separators and invalid UTF-8 shown
// as String shows them. It is for documents (Markdown, HTML) that have
// lines and may hold spaces of every kind.
func Lines(s string) string { return escape(s, hidden) }

// escape shows the runes for which bad reports true as escapes.
func escape(s string, bad func(rune) bool) string {
	if !invalid(s) && !strings.ContainsFunc(s, bad) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == utf8.RuneError && isInvalidAt(s, i):
			b.WriteString(`\ufffd`)
		case !bad(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func invalid(s string) bool { return !utf8.ValidString(s) }

// isInvalidAt reports whether the RuneError at byte i of s is invalid UTF-8
// rather than a real U+FFFD.
func isInvalidAt(s string, i int) bool {
	_, size := utf8.DecodeRuneInString(s[i:])
	return size == 1
}

func unprintable(r rune) bool { return r != ' ' && !unicode.IsPrint(r) }

func hidden(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r), r == '\u2028', r == '\u2029':
		return true
	}
	return false
}
