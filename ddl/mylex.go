package ddl

import (
	"strings"

	"github.com/seamsdev/seams/schema"
)

// myLexer cuts a MySQL/MariaDB file into tokens and statements as the
// mysql client and the server do: statements end at the delimiter
// (DELIMITER lines change it); with the default ; a CREATE TRIGGER,
// PROCEDURE, FUNCTION or EVENT runs to the END of its BEGIN (a script sent
// as one multi-statement string); strings take backslash escapes; the
// content of an executable comment (/*!50003 ... */, /*M!100100 ... */) is
// code for the servers it names, and a comment for others. It never
// fails: an unterminated string, name or comment runs to the end.
type myLexer struct {
	src   []byte // the file, executable comment markers blanked
	orig  string
	pos   int
	toks  []token
	stmts []span
	first int
	delim string

	// Compound statement nesting (delimiter ;).
	words  []string // the statement's first words, lower case
	begins int
	// inExec is set inside an executable comment, whose closing */ is
	// blanked.
	inExec bool
	engine schema.Engine
}

// execVersion reports whether the content of an executable comment for
// version v (/*!v, or /*M!v when maria) is code for the engine: MySQL 8.4
// runs /*!v up to 80499 and takes /*M! for a comment; MariaDB runs /*!v of
// MySQL 5 up to 5.6 (50699, not MySQL 5.7's 50705) and its own versions up
// to 11.99, so that its dumps' /*M!999999 sandbox line is a comment.
func execVersion(engine schema.Engine, v int, maria bool) bool {
	if engine != schema.MariaDB {
		return !maria && v <= 80499
	}
	if v < 100000 && !maria {
		return v < 50700
	}
	return v <= 119999
}

// mySplit returns the file with executable comment markers and DELIMITER
// lines blanked (offsets unchanged), its tokens and its statements (token
// spans, the delimiter left out).
func mySplit(src string, engine schema.Engine) (clean string, toks []token, stmts []span) {
	l := &myLexer{src: []byte(src), orig: src, delim: ";", toks: make([]token, 0, len(src)/5), engine: engine}
	l.run()
	l.end(len(l.toks) - 1)
	return string(l.src), l.toks, l.stmts
}

func (l *myLexer) end(last int) {
	if last >= l.first {
		l.stmts = append(l.stmts, span{l.first, last})
	}
	l.first = len(l.toks)
	l.words, l.begins = l.words[:0], 0
}

func (l *myLexer) blank(from, to int) {
	for i := from; i < to && i < len(l.src); i++ {
		if l.src[i] != '\n' {
			l.src[i] = ' '
		}
	}
}

func (l *myLexer) add(k tokKind, start int) {
	l.toks = append(l.toks, token{kind: k, start: int32(start), end: int32(l.pos)})
	if k == tWord {
		w := strings.ToLower(l.orig[start:l.pos])
		if len(l.words) < 6 {
			l.words = append(l.words, w)
		}
		if l.compound() {
			afterEnd := len(l.toks) >= 2 && l.toks[len(l.toks)-2].is(l.orig, "end")
			switch w {
			case "begin":
				l.begins++
			case "case":
				if !afterEnd { // END CASE closes the CASE
					l.begins++
				}
			case "end":
				if l.begins > 0 {
					l.begins--
				}
			case "if", "loop", "while", "repeat":
				// END IF, END LOOP...: the END before did not close a BEGIN.
				if afterEnd {
					l.begins++
				}
			}
		}
	}
}

// compound reports whether the statement is one whose body may hold
// semicolons: CREATE [DEFINER=...] {TRIGGER|PROCEDURE|FUNCTION|EVENT}.
func (l *myLexer) compound() bool {
	if l.delim != ";" || len(l.words) < 2 || l.words[0] != "create" {
		return false
	}
	for _, w := range l.words[1:] {
		switch w {
		case "trigger", "procedure", "function", "event":
			return true
		}
	}
	return false
}

func (l *myLexer) atStatementStart() bool { return l.first == len(l.toks) }

func (l *myLexer) run() {
	src := l.orig
	for l.pos < len(src) {
		c := src[l.pos]
		start := l.pos
		// The delimiter, outside compound bodies.
		if l.delim != "" && strings.HasPrefix(src[l.pos:], l.delim) && !(l.delim == ";" && l.begins > 0) {
			l.pos += len(l.delim)
			l.end(len(l.toks) - 1)
			continue
		}
		switch {
		case isSpace(c):
			l.pos++
		case l.atStatementStart() && l.delimiterLine():
		case c == '#' || c == '-' && strings.HasPrefix(src[l.pos:], "--") && (l.pos+2 == len(src) || isSpace(src[l.pos+2])):
			l.skipLine()
		case c == '/' && strings.HasPrefix(src[l.pos:], "/*!") || strings.HasPrefix(src[l.pos:], "/*M!"):
			l.execComment()
		case c == '/' && strings.HasPrefix(src[l.pos:], "/*"):
			if i := strings.Index(src[l.pos+2:], "*/"); i >= 0 {
				l.pos += i + 4
			} else {
				l.pos = len(src)
			}
		case c == '*' && l.inExec && strings.HasPrefix(src[l.pos:], "*/"):
			l.blank(l.pos, l.pos+2)
			l.pos += 2
			l.inExec = false
		case c == '\'' || c == '"':
			l.quoted(c)
			l.add(tString, start)
		case c == '`':
			l.quoted('`')
			l.add(tQIdent, start)
		case isIdentStart(c) || isDigit(c) && l.wordAhead():
			for l.pos < len(src) && (isIdentByte(src[l.pos])) {
				l.pos++
			}
			// b'0101', x'1F', N'text', _utf8mb4'text'
			if l.pos < len(src) && src[l.pos] == '\'' {
				l.quoted('\'')
				l.add(tString, start)
			} else {
				l.add(tWord, start)
			}
		case isDigit(c) || c == '.' && l.pos+1 < len(src) && isDigit(src[l.pos+1]):
			for l.pos < len(src) && (isDigit(src[l.pos]) || src[l.pos] == '.' || src[l.pos] == 'e' || src[l.pos] == 'E' ||
				(src[l.pos] == '-' || src[l.pos] == '+') && (src[l.pos-1] == 'e' || src[l.pos-1] == 'E')) {
				l.pos++
			}
			l.add(tNumber, start)
		case strings.IndexByte("()[],;.:@", c) >= 0:
			l.pos++
			l.add(tPunct, start)
		default:
			for l.pos < len(src) && strings.IndexByte("+-*/<>=~!%^&|?", src[l.pos]) >= 0 && l.pos-start < 3 {
				if strings.HasPrefix(src[l.pos:], "/*") || strings.HasPrefix(src[l.pos:], "--") || l.delim != "" && strings.HasPrefix(src[l.pos:], l.delim) {
					break
				}
				l.pos++
			}
			if l.pos == start {
				l.pos++
			}
			l.add(tOp, start)
		}
	}
}

// wordAhead reports whether digits at pos start a name (1st_table).
func (l *myLexer) wordAhead() bool {
	i := l.pos
	for i < len(l.orig) && isDigit(l.orig[i]) {
		i++
	}
	return i < len(l.orig) && isIdentStart(l.orig[i]) && l.orig[i] != 'e' && l.orig[i] != 'E'
}

// delimiterLine handles a DELIMITER line of the mysql client.
func (l *myLexer) delimiterLine() bool {
	rest := l.orig[l.pos:]
	if len(rest) < 10 || !strings.EqualFold(rest[:9], "delimiter") || !isSpace(rest[9]) {
		return false
	}
	line := rest
	if i := strings.IndexByte(rest, '\n'); i >= 0 {
		line = rest[:i]
	}
	if d := strings.TrimSpace(line[9:]); d != "" {
		l.delim = strings.Fields(d)[0]
	}
	l.blank(l.pos, l.pos+len(line))
	l.pos += len(line)
	return true
}

func (l *myLexer) skipLine() {
	l.pos = nextLine(l.orig, l.pos)
}

// execComment handles /*!NNNNN ... */ and /*M!NNNNNN ... */: the markers are
// blanked and the content read as code, unless the version is beyond the
// servers seams reads, when the whole is a comment.
func (l *myLexer) execComment() {
	src := l.orig
	start := l.pos
	maria := src[l.pos+2] == 'M'
	i := l.pos + 3
	if maria {
		i++
	}
	v := 0
	j := i
	for j < len(src) && isDigit(src[j]) {
		v = v*10 + int(src[j]-'0')
		j++
	}
	if j > i && !execVersion(l.engine, v, maria) || j == i && maria {
		if k := strings.Index(src[l.pos+2:], "*/"); k >= 0 {
			l.blank(l.pos, l.pos+k+4)
			l.pos += k + 4
		} else {
			l.blank(l.pos, len(src))
			l.pos = len(src)
		}
		return
	}
	l.blank(start, j)
	l.pos = j
	l.inExec = true
}

// quoted skips a string or name: backslash escapes (not in names) and
// doubled quotes.
func (l *myLexer) quoted(q byte) { l.pos = quotedEnd(l.orig, l.pos, q, q != '`') }
