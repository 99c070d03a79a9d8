package ddl

import (
	"strings"
)

// tokKind is the kind of a token of a SQL file.
type tokKind uint8

const (
	tWord   tokKind = iota // keyword or unquoted name
	tQIdent                // "name" (PostgreSQL) or `name` (MySQL)
	tString                // a string constant, with any E/B/X/N/U& prefix
	tNumber
	tParam  // $1
	tOp     // an operator: =, <>, ::, ->> ...
	tPunct  // ( ) [ ] , ; . :
	tMeta   // a psql meta-command line (\connect db), PostgreSQL only
	tDollar // a $tag$...$tag$ string
)

// token is one token of a source: its kind and byte offsets.
type token struct {
	kind       tokKind
	start, end int32
}

// text returns the token's text in src.
func (t token) text(src string) string { return src[t.start:t.end] }

// is reports whether t is the word w, in any case.
func (t token) is(src, w string) bool {
	return t.kind == tWord && strings.EqualFold(src[t.start:t.end], w)
}

// punct reports whether t is the one-character punctuation c.
func (t token) punct(src string, c byte) bool {
	return t.kind == tPunct && src[t.start] == c
}

// pgOpChars are the characters PostgreSQL operators are made of.
const pgOpChars = "+-*/<>=~!@#%^&|`?"

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func isIdentStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

func isIdentByte(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9' || c == '$'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// pgLexer cuts PostgreSQL source into tokens, as psql does: strings
// (standard, E-prefixed with backslash escapes, dollar-quoted), quoted names,
// nested comments, and psql meta-commands at the start of a statement. It
// never fails: an unterminated string, name or comment runs to the end.
type pgLexer struct {
	src  string
	pos  int
	toks []token

	// Statement splitting (with split set): the statements found, the
	// first token of the current one, and psql's nesting counters.
	split      bool
	stmts      []span
	first      int
	parens     int
	begins     int
	words      []byte // first letters of the statement's first words
	copyBlocks []span // COPY ... FROM stdin data, byte offsets
}

// span is a range of tokens [first, last] or of bytes [first, last).
type span struct{ first, last int }

// pgTokens returns the tokens of src, comments and whitespace left out.
func pgTokens(src string) []token {
	l := pgLexer{src: src, toks: make([]token, 0, len(src)/5)}
	l.run(false)
	return l.toks
}

// pgSplit cuts a file into tokens and statements as psql does: a statement
// ends at a semicolon outside parentheses and outside the BEGIN ... END of
// a CREATE FUNCTION or PROCEDURE body; a psql meta-command (\connect,
// \restrict) is a statement of one tMeta token; the data lines after COPY
// ... FROM stdin, up to the \. line, are returned as byte spans and are
// not tokens.
func pgSplit(src string) (toks []token, stmts []span, copyData []span) {
	l := pgLexer{src: src, toks: make([]token, 0, len(src)/5), split: true}
	l.run(true)
	l.endStatement(len(l.toks) - 1)
	return l.toks, l.stmts, l.copyBlocks
}

// endStatement closes the statement whose last token is last.
func (l *pgLexer) endStatement(last int) {
	if last >= l.first {
		l.stmts = append(l.stmts, span{l.first, last})
	}
	l.first = last + 1
	l.parens, l.begins, l.words = 0, 0, l.words[:0]
}

// track follows the nesting of the token just added and ends the statement
// at its semicolon.
func (l *pgLexer) track() {
	i := len(l.toks) - 1
	t := l.toks[i]
	switch t.kind {
	case tMeta:
		l.endStatement(i - 1)
		l.endStatement(i)
	case tPunct:
		switch l.src[t.start] {
		case '(':
			l.parens++
		case ')':
			if l.parens > 0 {
				l.parens--
			}
		case ';':
			if l.parens == 0 && l.begins == 0 {
				isCopy := l.isCopyFromStdin(i)
				l.endStatement(i)
				if isCopy {
					l.skipCopyData()
				}
			}
		}
	case tWord:
		w := t.text(l.src)
		if len(l.words) < 4 {
			switch lw := strings.ToLower(w); lw {
			case "create", "function", "procedure", "or", "replace":
				l.words = append(l.words, lw[0])
			default:
				l.words = append(l.words, 0)
			}
		}
		ws := l.words
		inFunc := len(ws) >= 2 && ws[0] == 'c' && (ws[1] == 'f' || ws[1] == 'p' ||
			len(ws) >= 4 && ws[1] == 'o' && ws[2] == 'r' && (ws[3] == 'f' || ws[3] == 'p'))
		if inFunc && l.parens == 0 {
			switch {
			case strings.EqualFold(w, "begin"):
				l.begins++
			case strings.EqualFold(w, "case") && l.begins > 0:
				l.begins++
			case strings.EqualFold(w, "end") && l.begins > 0:
				l.begins--
			}
		}
	}
}

// isCopyFromStdin reports whether the statement ending at token last is
// COPY ... FROM stdin, which psql follows with data lines.
func (l *pgLexer) isCopyFromStdin(last int) bool {
	if last-l.first < 3 || !l.toks[l.first].is(l.src, "copy") {
		return false
	}
	for i := l.first + 1; i < last; i++ {
		if l.toks[i].is(l.src, "from") && l.toks[i+1].is(l.src, "stdin") {
			return true
		}
	}
	return false
}

// skipCopyData skips the rest of the line after a COPY ... FROM stdin and
// its data lines, up to and including the line \.
func (l *pgLexer) skipCopyData() {
	l.skipLine()
	start := l.pos
	for l.pos < len(l.src) {
		lineEnd := strings.IndexByte(l.src[l.pos:], '\n')
		line := l.src[l.pos:]
		if lineEnd >= 0 {
			line = line[:lineEnd]
		}
		l.skipLine()
		if strings.TrimRight(line, "\r") == `\.` {
			break
		}
	}
	l.copyBlocks = append(l.copyBlocks, span{start, l.pos})
}

// run lexes the whole source. With metaCommands, a backslash where a
// statement may start begins a psql meta-command, which runs to the end of
// its line.
func (l *pgLexer) run(metaCommands bool) {
	src := l.src
	atStart := true // at the start of a statement: after ; or at the top
	for l.pos < len(src) {
		c := src[l.pos]
		start := l.pos
		switch {
		case isSpace(c):
			l.pos++
			continue
		case c == '-' && l.pos+1 < len(src) && src[l.pos+1] == '-':
			l.skipLine()
			continue
		case c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '*':
			l.skipComment()
			continue
		case c == '\\' && metaCommands && atStart:
			l.skipLine()
			l.add(tMeta, start)
			if l.split {
				l.track()
			}
			continue
		case c == '\'':
			l.quoted('\'', false)
			l.add(tString, start)
		case c == '"':
			l.quoted('"', false)
			l.add(tQIdent, start)
		case c == '$' && l.pos+1 < len(src) && isDigit(src[l.pos+1]):
			l.pos++
			for l.pos < len(src) && isDigit(src[l.pos]) {
				l.pos++
			}
			l.add(tParam, start)
		case c == '$':
			if !l.dollar() {
				l.pos++
				l.add(tOp, start)
			} else {
				l.add(tDollar, start)
			}
		case isIdentStart(c):
			for l.pos < len(src) && isIdentByte(src[l.pos]) {
				l.pos++
			}
			// E'', B'', X'', N'' and U&'' strings.
			w := src[start:l.pos]
			if l.pos < len(src) && src[l.pos] == '\'' && len(w) == 1 && strings.ContainsRune("eEbBxXnN", rune(w[0])) {
				l.quoted('\'', w == "e" || w == "E")
				l.add(tString, start)
			} else if (w == "u" || w == "U") && strings.HasPrefix(src[l.pos:], "&'") {
				l.pos++
				l.quoted('\'', false)
				l.add(tString, start)
			} else if (w == "u" || w == "U") && strings.HasPrefix(src[l.pos:], "&\"") {
				l.pos++
				l.quoted('"', false)
				l.add(tQIdent, start)
			} else {
				l.add(tWord, start)
			}
		case isDigit(c) || c == '.' && l.pos+1 < len(src) && isDigit(src[l.pos+1]):
			l.number()
			l.add(tNumber, start)
		case c == ':' && l.pos+1 < len(src) && src[l.pos+1] == ':':
			l.pos += 2
			l.add(tOp, start)
		case strings.IndexByte("()[],;.:", c) >= 0:
			l.pos++
			l.add(tPunct, start)
		case strings.IndexByte(pgOpChars, c) >= 0:
			for l.pos < len(src) && strings.IndexByte(pgOpChars, src[l.pos]) >= 0 {
				if strings.HasPrefix(src[l.pos:], "--") || strings.HasPrefix(src[l.pos:], "/*") {
					break
				}
				l.pos++
			}
			if l.pos == start {
				l.pos++
			}
			l.add(tOp, start)
		default:
			l.pos++
			l.add(tOp, start)
		}
		atStart = false
		if last := l.toks[len(l.toks)-1]; last.kind == tPunct && src[last.start] == ';' {
			atStart = true
		}
		if l.split {
			l.track()
		}
	}
}

func (l *pgLexer) add(k tokKind, start int) {
	l.toks = append(l.toks, token{kind: k, start: int32(start), end: int32(l.pos)})
}

func (l *pgLexer) skipLine() {
	l.pos = nextLine(l.src, l.pos)
}

// skipComment skips a /* */ comment, which nests in PostgreSQL.
func (l *pgLexer) skipComment() {
	depth := 0
	for l.pos < len(l.src) {
		switch {
		case strings.HasPrefix(l.src[l.pos:], "/*"):
			depth++
			l.pos += 2
		case strings.HasPrefix(l.src[l.pos:], "*/"):
			depth--
			l.pos += 2
			if depth == 0 {
				return
			}
		default:
			l.pos++
		}
	}
}

// quoted skips a string or name opened by q at l.pos; a doubled q is
// part of it, and with backslash a backslash escapes the next byte.
func (l *pgLexer) quoted(q byte, backslash bool) { l.pos = quotedEnd(l.src, l.pos, q, backslash) }

// quotedEnd returns the offset after the string or name that the quote q at
// pos opens: a doubled q is part of it, and with backslash a backslash
// escapes the next byte. An unterminated one runs to the end.
func quotedEnd(src string, pos int, q byte, backslash bool) int {
	for pos++; pos < len(src); pos++ {
		switch c := src[pos]; {
		case backslash && c == '\\':
			pos++
		case c == q && pos+1 < len(src) && src[pos+1] == q:
			pos++
		case c == q:
			return pos + 1
		}
	}
	return len(src)
}

// dollar skips a dollar-quoted string starting at l.pos, reporting false
// (and moving nothing) when the $ does not open one.
func (l *pgLexer) dollar() bool {
	src := l.src
	i := l.pos + 1
	if i < len(src) && isIdentStart(src[i]) {
		for i < len(src) && isIdentByte(src[i]) && src[i] != '$' {
			i++
		}
	}
	if i >= len(src) || src[i] != '$' {
		return false
	}
	tag := src[l.pos : i+1]
	end := strings.Index(src[i+1:], tag)
	if end < 0 {
		l.pos = len(src)
	} else {
		l.pos = i + 1 + end + len(tag)
	}
	return true
}

func (l *pgLexer) number() {
	src := l.src
	for l.pos < len(src) && (isDigit(src[l.pos]) || src[l.pos] == '_' || src[l.pos] == '.' && !strings.HasPrefix(src[l.pos:], "..")) {
		l.pos++
	}
	if l.pos < len(src) && (src[l.pos] == 'e' || src[l.pos] == 'E') {
		j := l.pos + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			l.pos = j
			for l.pos < len(src) && isDigit(src[l.pos]) {
				l.pos++
			}
		}
	}
	// 0x1F, 0o17, 0b101 (PostgreSQL 16) and junk after a number are a
	// word of their own to psql; here they stay with the number.
	for l.pos < len(src) && isIdentByte(src[l.pos]) {
		l.pos++
	}
}
