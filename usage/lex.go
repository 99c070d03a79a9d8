package usage

import (
	"path/filepath"
	"strings"
)

// dynSentinel stands for a piece of SQL built at run time (an interpolated
// expression, a concatenated variable, a format verb): an identifier, so
// that a value built at run time still parses, while a table name built at
// run time shows up as a table of that name and is reported as dynamic.
const dynSentinel = "seams_dyn_"

// language is what the literal scanner needs to know about a language.
type language struct {
	name string
	// lineComments start a comment that runs to the end of the line.
	lineComments []string
	// blockComments: /* ... */.
	blockComments bool
	// singleQuoted: '...' is a string (not a character).
	singleQuoted bool
	// triple: """...""" (and '''...''' when singleQuoted) strings.
	triple bool
	// backtick: `...` strings; raw (Go) or templates with ${} (JS/TS).
	backtick, backtickTemplate bool
	// dollarInterp: $name and ${...} interpolate in double-quoted
	// strings (Kotlin, PHP); hashInterp: #{...} (Ruby).
	dollarInterp, hashInterp bool
	// prefixes are the string prefixes (Python r, f, b...; C# @ and $).
	pythonPrefixes, csharpPrefixes bool
	// heredocs: Ruby <<~ID, PHP <<<ID.
	rubyHeredoc, phpHeredoc bool
	// concat is the string concatenation operator; adjacent literals are
	// joined too when adjacency is true (Python).
	concat    string
	adjacency bool
	// percentPlaceholders: %s is a bind placeholder (Python DB-API), not a
	// format verb.
	percentPlaceholders bool
	// funcDecl finds the name of a function declared on a line.
	funcDecl func(line string) (string, bool)
}

var (
	cLike = []string{"//"}

	langGo     = &language{name: "go", lineComments: cLike, blockComments: true, backtick: true, concat: "+", funcDecl: declRe(`^\s*func\s+(?:\([^)]*\)\s*)?([A-Za-z_]\w*)`)}
	langJava   = &language{name: "java", lineComments: cLike, blockComments: true, triple: true, concat: "+", funcDecl: jvmDecl}
	langKotlin = &language{name: "kotlin", lineComments: cLike, blockComments: true, triple: true, dollarInterp: true, concat: "+", funcDecl: jvmDecl}
	langCSharp = &language{name: "csharp", lineComments: cLike, blockComments: true, csharpPrefixes: true, triple: true, concat: "+", funcDecl: jvmDecl}
	langPython = &language{name: "python", lineComments: []string{"#"}, singleQuoted: true, triple: true, pythonPrefixes: true, concat: "+", adjacency: true, percentPlaceholders: true,
		funcDecl: declRe(`^\s*(?:async\s+)?def\s+([A-Za-z_]\w*)`)}
	langRuby = &language{name: "ruby", lineComments: []string{"#"}, singleQuoted: true, hashInterp: true, rubyHeredoc: true, concat: "+", adjacency: true,
		funcDecl: declRe(`^\s*def\s+(?:self\.)?([A-Za-z_]\w*[?!]?)`)}
	langPHP = &language{name: "php", lineComments: []string{"//", "#"}, blockComments: true, singleQuoted: true, dollarInterp: true, phpHeredoc: true, concat: ".",
		funcDecl: declRe(`\bfunction\s+([A-Za-z_]\w*)\s*\(`)}
	langJS = &language{name: "javascript", lineComments: cLike, blockComments: true, singleQuoted: true, backtick: true, backtickTemplate: true, concat: "+",
		funcDecl: jsDecl}
)

// languageOf returns the language of a source file by its extension, or nil.
func languageOf(path string) *language {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".go":
		return langGo
	case ".java":
		return langJava
	case ".kt", ".kts":
		return langKotlin
	case ".cs":
		return langCSharp
	case ".py":
		return langPython
	case ".rb":
		return langRuby
	case ".php":
		return langPHP
	case ".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts":
		return langJS
	}
	return nil
}

// literal is one string literal of a source file, or a chain of literals
// joined by concatenation.
type literal struct {
	text string
	// line is the 1-based line of its start.
	line int
	// start and end are the byte offsets of the literal's source text.
	start, end int
	// holes is true when part of the text was built at run time.
	holes bool
}

// lexer scans one source file for string literals.
type lexer struct {
	l    *language
	src  string
	i    int
	line int
	out  []literal
}

// literals returns the string literals of src, in order, with the
// concatenations of literals (and of literals with expressions) joined.
func literals(l *language, src string) []literal {
	lx := &lexer{l: l, src: src, line: 1}
	lx.run()
	return joinConcat(l, src, lx.out)
}

func (lx *lexer) peek(s string) bool { return strings.HasPrefix(lx.src[lx.i:], s) }

// advance moves to offset j, counting lines.
func (lx *lexer) advance(j int) {
	if j > len(lx.src) {
		j = len(lx.src)
	}
	lx.line += strings.Count(lx.src[lx.i:j], "\n")
	lx.i = j
}

func (lx *lexer) run() {
	l := lx.l
	for lx.i < len(lx.src) {
		c := lx.src[lx.i]
		if c == '\n' {
			lx.line++
			lx.i++
			continue
		}
		if lx.lineComment() {
			continue
		}
		if l.blockComments && lx.peek("/*") {
			end := strings.Index(lx.src[lx.i+2:], "*/")
			if end < 0 {
				lx.advance(len(lx.src))
			} else {
				lx.advance(lx.i + 2 + end + 2)
			}
			continue
		}
		if l.rubyHeredoc && lx.peek("<<") && lx.heredoc(2) {
			continue
		}
		if l.phpHeredoc && lx.peek("<<<") && lx.heredoc(3) {
			continue
		}
		if isIdentStart(c) {
			if lx.prefixed() {
				continue
			}
			j := lx.i
			for j < len(lx.src) && isIdentPart(lx.src[j]) {
				j++
			}
			lx.i = j
			continue
		}
		if (c == '@' || c == '$') && l.csharpPrefixes {
			j := lx.i
			for j < len(lx.src) && j-lx.i < 2 && (lx.src[j] == '@' || lx.src[j] == '$') {
				j++
			}
			if j < len(lx.src) && lx.src[j] == '"' {
				lx.quoted(j, lx.src[lx.i:j], false)
				continue
			}
		}
		switch {
		case c == '"':
			lx.quoted(lx.i, "", false)
		case c == '\'' && l.singleQuoted:
			lx.quoted(lx.i, "", false)
		case c == '\'':
			lx.charLit()
		case c == '`' && l.backtick:
			lx.quoted(lx.i, "", false)
		default:
			lx.i++
		}
	}
}

// lineComment skips a line comment at the current position.
func (lx *lexer) lineComment() bool {
	for _, p := range lx.l.lineComments {
		if lx.peek(p) {
			if p == "#" && lx.l.hashInterp && lx.peek("#{") {
				return false
			}
			j := strings.IndexByte(lx.src[lx.i:], '\n')
			if j < 0 {
				lx.i = len(lx.src)
			} else {
				lx.i += j
			}
			return true
		}
	}
	return false
}

// charLit skips a character literal ('a', '\n', '\u0041').
func (lx *lexer) charLit() {
	j := lx.i + 1
	for k := 0; j < len(lx.src) && k < 12; k++ {
		switch lx.src[j] {
		case '\\':
			j += 2
			continue
		case '\'':
			lx.i = j + 1
			return
		case '\n':
			lx.i++
			return
		}
		j++
	}
	lx.i++
}

// prefixed handles a string with a prefix (Python r"", f"", C# @"", $"").
func (lx *lexer) prefixed() bool {
	l := lx.l
	j := lx.i
	for j < len(lx.src) && j-lx.i < 3 && strings.IndexByte("rRbBuUfF", lx.src[j]) >= 0 {
		j++
	}
	if !l.pythonPrefixes || j == lx.i || j >= len(lx.src) || (lx.src[j] != '"' && lx.src[j] != '\'') {
		return false
	}
	if lx.i > 0 && isIdentPart(lx.src[lx.i-1]) {
		return false
	}
	lx.quoted(j, strings.ToLower(lx.src[lx.i:j]), false)
	return true
}

// quoted reads the string starting with the quote at offset q; prefix
// holds its prefix letters (r, f, @, $).
func (lx *lexer) quoted(q int, prefix string, _ bool) {
	prefix = strings.ToLower(prefix)
	l := lx.l
	startLine := lx.line + strings.Count(lx.src[lx.i:q], "\n")
	start := lx.i
	quote := lx.src[q]
	delim := string(quote)
	if l.triple && quote != '`' && strings.HasPrefix(lx.src[q:], strings.Repeat(delim, 3)) && (quote == '"' || l.singleQuoted) {
		delim = strings.Repeat(delim, 3)
	}
	raw := strings.Contains(prefix, "r") || (quote == '`' && !l.backtickTemplate) || strings.Contains(prefix, "@")
	interp := strings.Contains(prefix, "f") || strings.Contains(prefix, "$") ||
		(quote == '`' && l.backtickTemplate) ||
		(quote == '"' && (l.dollarInterp || l.hashInterp)) ||
		(delim == `"""` && l.dollarInterp)
	var b strings.Builder
	holes := false
	j := q + len(delim)
	for j < len(lx.src) {
		c := lx.src[j]
		if strings.HasPrefix(lx.src[j:], delim) {
			if strings.Contains(prefix, "@") && delim == `"` && strings.HasPrefix(lx.src[j+1:], `"`) {
				b.WriteByte('"')
				j += 2
				continue
			}
			j += len(delim)
			break
		}
		if c == '\n' && len(delim) == 1 && quote != '`' && !strings.Contains(prefix, "@") {
			break // unterminated: give up on this literal at the line end
		}
		if c == '\\' && !raw && j+1 < len(lx.src) {
			switch n := lx.src[j+1]; n {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '\n':
			default:
				b.WriteByte(n)
			}
			j += 2
			continue
		}
		if interp {
			if k, ok := interpolation(l, prefix, quote, lx.src, j); ok {
				b.WriteString(dynSentinel)
				holes = true
				j = k
				continue
			}
		}
		b.WriteByte(c)
		j++
	}
	lx.advance(j)
	lx.out = append(lx.out, literal{text: b.String(), line: startLine, start: start, end: j, holes: holes})
}

// interpolation reports whether an interpolated expression starts at j and
// returns the offset after it.
func interpolation(l *language, prefix string, quote byte, src string, j int) (int, bool) {
	braces := func(open int) (int, bool) {
		depth := 0
		for k := open; k < len(src); k++ {
			switch src[k] {
			case '{':
				depth++
			case '}':
				depth--
				if depth == 0 {
					return k + 1, true
				}
			case '\n':
				if quote != '`' {
					return 0, false
				}
			}
		}
		return 0, false
	}
	switch {
	case strings.HasPrefix(src[j:], "${") && (l.dollarInterp || l.backtickTemplate):
		return braces(j + 1)
	case strings.HasPrefix(src[j:], "#{") && l.hashInterp:
		return braces(j + 1)
	case strings.HasPrefix(src[j:], "{$") && l.dollarInterp:
		return braces(j)
	case src[j] == '$' && l.dollarInterp && j+1 < len(src) && isIdentStart(src[j+1]):
		k := j + 1
		for k < len(src) && (isIdentPart(src[k]) || (src[k] == '-' && k+1 < len(src) && src[k+1] == '>')) {
			if src[k] == '-' {
				k++
			}
			k++
		}
		return k, true
	case src[j] == '{' && (strings.Contains(prefix, "f") || strings.Contains(prefix, "$")):
		if strings.HasPrefix(src[j:], "{{") {
			return 0, false
		}
		return braces(j)
	}
	return 0, false
}

// heredoc reads a Ruby (<<~ID, <<-ID, <<ID) or PHP (<<<ID, <<<'ID') heredoc
// whose marker starts at the current position after n '<'.
func (lx *lexer) heredoc(n int) bool {
	j := lx.i + n
	if j < len(lx.src) && (lx.src[j] == '~' || lx.src[j] == '-') && n == 2 {
		j++
	}
	quote := byte(0)
	if j < len(lx.src) && (lx.src[j] == '\'' || lx.src[j] == '"') {
		quote = lx.src[j]
		j++
	}
	k := j
	for k < len(lx.src) && isIdentPart(lx.src[k]) {
		k++
	}
	id := lx.src[j:k]
	if id == "" || strings.ToUpper(id) != id || (id[0] >= '0' && id[0] <= '9') {
		return false
	}
	if quote != 0 {
		if k >= len(lx.src) || lx.src[k] != quote {
			return false
		}
		k++
	}
	nl := strings.IndexByte(lx.src[k:], '\n')
	if nl < 0 {
		return false
	}
	bodyStart := k + nl + 1
	startLine := lx.line + strings.Count(lx.src[lx.i:bodyStart], "\n")
	var b strings.Builder
	holes := false
	end := len(lx.src)
	p := bodyStart
	for p < len(lx.src) {
		e := strings.IndexByte(lx.src[p:], '\n')
		lineEnd := len(lx.src)
		if e >= 0 {
			lineEnd = p + e
		}
		line := lx.src[p:lineEnd]
		t := strings.TrimSpace(line)
		if t == id || strings.HasPrefix(t, id+";") || strings.HasPrefix(t, id+",") || strings.HasPrefix(t, id+")") || strings.HasPrefix(t, id+".") {
			end = p + strings.Index(line, id) + len(id)
			break
		}
		for q := 0; q < len(line); {
			if quote != '\'' {
				if k2, ok := interpolation(lx.l, "", '"', line, q); ok {
					b.WriteString(dynSentinel)
					holes = true
					q = k2
					continue
				}
			}
			b.WriteByte(line[q])
			q++
		}
		b.WriteByte('\n')
		if e < 0 {
			p = len(lx.src)
			break
		}
		p = lineEnd + 1
	}
	start := lx.i
	lx.advance(end)
	lx.out = append(lx.out, literal{text: b.String(), line: startLine, start: start, end: end, holes: holes})
	return true
}

// joinConcat joins literals that concatenation puts together: "a" + "b",
// Python's adjacent "a" "b", and "a" + expr + "b" (with a hole for expr).
// A literal followed or preceded by "+ expr" gets a hole there.
func joinConcat(l *language, src string, lits []literal) []literal {
	var out []literal
	// depthAt returns the parenthesis depth at an offset, outside the
	// literals; offsets must not decrease from call to call.
	masked := mask(src, lits)
	depth, pos := 0, 0
	depthAt := func(end int) int {
		for ; pos < end && pos < len(masked); pos++ {
			switch masked[pos] {
			case '(', '[':
				depth++
			case ')', ']':
				depth--
			}
		}
		return depth
	}
	for i := 0; i < len(lits); i++ {
		cur := lits[i]
		if before := strings.TrimRight(src[lineStart(src, cur.start):cur.start], " \t"); strings.HasSuffix(before, l.concat) && !strings.HasSuffix(before, l.concat+l.concat) {
			cur.text = dynSentinel + " " + cur.text
			cur.holes = true
		}
		for i+1 < len(lits) {
			raw := src[cur.end:lits[i+1].start]
			gap := strings.TrimSpace(raw)
			// Adjacent literals join on one line, after a line
			// continuation, or inside brackets (Python).
			adjacent := l.adjacency && (gap == `\` || gap == "" && (!strings.Contains(raw, "\n") || depthAt(cur.end) > 0))
			switch {
			case gap == l.concat || adjacent:
				cur.text += lits[i+1].text
			case isExprConcat(gap, l.concat):
				cur.text += dynSentinel + lits[i+1].text
				cur.holes = true
			default:
				goto done
			}
			cur.holes = cur.holes || lits[i+1].holes
			cur.end = lits[i+1].end
			i++
		}
	done:
		rest := strings.TrimLeft(src[cur.end:], " \t\r\n")
		if strings.HasPrefix(rest, l.concat) && !strings.HasPrefix(rest, l.concat+l.concat) && !strings.HasPrefix(rest, l.concat+"=") {
			cur.text += dynSentinel
			cur.holes = true
		}
		out = append(out, cur)
	}
	return out
}

// isExprConcat reports whether gap is "op expr op" with a simple expression.
func isExprConcat(gap, op string) bool {
	if !strings.HasPrefix(gap, op) || !strings.HasSuffix(gap, op) || len(gap) < 2*len(op)+1 {
		return false
	}
	mid := strings.TrimSpace(gap[len(op) : len(gap)-len(op)])
	if mid == "" || strings.ContainsAny(mid, ";{}\n") {
		return false
	}
	return true
}

func lineStart(src string, i int) int {
	return strings.LastIndexByte(src[:i], '\n') + 1
}

func isIdentStart(c byte) bool {
	return c == '_' || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80
}

func isIdentPart(c byte) bool {
	return isIdentStart(c) || c >= '0' && c <= '9'
}
