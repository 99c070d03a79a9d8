package sqlrefs

import (
	"errors"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON reader for the parse trees libpg_query writes. It builds a
// light tree (objects as key/value lists, not maps) several times faster
// than encoding/json decoding into interface values, which matters because
// every statement that does not take the fast path goes through it.
//
// Values are jobj, []any, string, float64, bool or nil. Members named
// "location" (source offsets) are dropped.

// jobj is a JSON object: its members in order.
type jobj []jkv

type jkv struct {
	k string
	v any
}

// get returns the value of member key, or nil.
func (o jobj) get(key string) any {
	for i := range o {
		if o[i].k == key {
			return o[i].v
		}
	}
	return nil
}

// parseJSON reads one JSON value that makes up the whole of s.
func parseJSON(s string) (any, error) {
	p := jparser{s: s}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, p.fail("trailing data")
	}
	return v, nil
}

type jparser struct {
	s string
	i int
	// members and elems are scratch stacks: an object's members (an
	// array's elements) gather there and are copied out at its end, into
	// a slice of the exact size.
	members []jkv
	elems   []any
}

var errJSONDepth = errors.New("json: nesting too deep")

func (p *jparser) fail(what string) error {
	return errors.New("json: " + what + " at offset " + strconv.Itoa(p.i))
}

func (p *jparser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) value(depth int) (any, error) {
	if depth > 10000 {
		return nil, errJSONDepth
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, p.fail("unexpected end")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		p.i++
		base := len(p.members)
		p.space()
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			return jobj(nil), nil
		}
		for {
			p.space()
			k, err := p.str()
			if err != nil {
				return nil, err
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, p.fail("expected ':'")
			}
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			// Source positions are of no use here: leave them out.
			if k != "location" {
				p.members = append(p.members, jkv{k, v})
			}
			p.space()
			if p.i >= len(p.s) {
				return nil, p.fail("unexpected end")
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.s[p.i] == '}' {
				p.i++
				o := make(jobj, len(p.members)-base)
				copy(o, p.members[base:])
				clear(p.members[base:])
				p.members = p.members[:base]
				return o, nil
			}
			return nil, p.fail("expected ',' or '}'")
		}
	case c == '[':
		p.i++
		base := len(p.elems)
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			return []any(nil), nil
		}
		for {
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			p.elems = append(p.elems, v)
			p.space()
			if p.i >= len(p.s) {
				return nil, p.fail("unexpected end")
			}
			if p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.s[p.i] == ']' {
				p.i++
				a := make([]any, len(p.elems)-base)
				copy(a, p.elems[base:])
				clear(p.elems[base:])
				p.elems = p.elems[:base]
				return a, nil
			}
			return nil, p.fail("expected ',' or ']'")
		}
	case c == '"':
		return p.str()
	case c == 't' && strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return true, nil
	case c == 'f' && strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return false, nil
	case c == 'n' && strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return nil, nil
	case c == '-' || c >= '0' && c <= '9':
		start := p.i
		for p.i < len(p.s) && strings.IndexByte("+-0123456789.eE", p.s[p.i]) >= 0 {
			p.i++
		}
		f, err := strconv.ParseFloat(p.s[start:p.i], 64)
		if err != nil {
			return nil, p.fail("bad number")
		}
		return f, nil
	}
	return nil, p.fail("unexpected character")
}

// str reads a string; the result shares memory with the input when it has
// no escapes.
func (p *jparser) str() (string, error) {
	if p.i >= len(p.s) || p.s[p.i] != '"' {
		return "", p.fail("expected string")
	}
	p.i++
	start := p.i
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case '"':
			s := p.s[start:p.i]
			p.i++
			return s, nil
		case '\\':
			return p.strEscaped(start)
		}
		p.i++
	}
	return "", p.fail("unterminated string")
}

// strEscaped finishes a string that holds escapes, from its start.
func (p *jparser) strEscaped(start int) (string, error) {
	var b strings.Builder
	b.WriteString(p.s[start:p.i])
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), nil
		case c != '\\':
			b.WriteByte(c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.s) {
			break
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.fail("bad \\u escape")
			}
			if utf16.IsSurrogate(r) {
				// A pair, or a lone half (U+FFFD, as encoding/json does).
				save := p.i
				r2 := rune(utf8.RuneError)
				if strings.HasPrefix(p.s[p.i:], "\\u") {
					p.i += 2
					if lo, ok := p.hex4(); ok && utf16.DecodeRune(r, lo) != utf8.RuneError {
						r2 = lo
					} else {
						p.i = save
					}
				}
				r = utf16.DecodeRune(r, r2)
			}
			b.WriteRune(r)
		default:
			return "", p.fail("bad escape")
		}
	}
	return "", p.fail("unterminated string")
}

func (p *jparser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	v, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(v), true
}
