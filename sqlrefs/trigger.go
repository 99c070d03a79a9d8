package sqlrefs

import (
	"fmt"
	"strings"
)

// MySQLTriggerBody returns the tables that a MySQL/MariaDB trigger body, as
// information_schema.TRIGGERS.ACTION_STATEMENT gives it, reads and writes.
//
// The body is a single statement or a compound statement (BEGIN ... END
// with DECLARE, IF, CASE, LOOP, WHILE, REPEAT, labels, handlers...), which
// no MySQL parser library reads whole. MySQLTriggerBody splits it itself,
// aware of strings, quoted names and comments, into:
//   - data statements (SELECT, INSERT, UPDATE, DELETE, REPLACE, WITH, a
//     cursor's query, the query of MariaDB's FOR r IN (query) DO), each
//     parsed as MySQL does;
//   - expressions (IF/ELSEIF/WHILE/UNTIL/CASE/WHEN conditions, DEFAULT
//     values, RETURN values, the values assigned by SET, including SET
//     NEW.x = ...), parsed as SELECT <expr> so that their subqueries count;
//   - control words that reference no table (BEGIN, END, ELSE, LEAVE,
//     ITERATE, OPEN, CLOSE, FETCH, SIGNAL, RESIGNAL, GET DIAGNOSTICS,
//     labels, and in procedures transaction control and LOCK TABLES),
//     which are passed over.
//
// CALL and dynamic statements (PREPARE from a variable, EXECUTE) are listed
// in Dynamic. A statement it cannot parse or does not know is skipped and
// named in the returned error (the first five, then a count), with the
// references of everything else. Stored procedure and function bodies
// (information_schema.ROUTINES.ROUTINE_DEFINITION) are read the same way.
func MySQLTriggerBody(body string) (refs Refs, err error) {
	defer guard("mysql trigger body", body, &err)
	var c collector
	s := bodySplitter{src: body, toks: mysqlTokens(body)}
	s.run()
	var skipped []string
	for _, p := range s.pieces {
		var perr error
		switch p.kind {
		case pieceStatement:
			perr = mysqlStatement(&c, p.text)
		case pieceExpr:
			if mysqlStatement(&c, "SELECT "+p.text) != nil {
				perr = fmt.Errorf("cannot parse expression %q", excerpt(p.text))
			}
		case pieceUnknown:
			perr = fmt.Errorf("unknown statement %q", excerpt(p.text))
		}
		if perr != nil {
			skipped = append(skipped, strings.TrimPrefix(perr.Error(), "mysql: "))
		}
	}
	if n := len(skipped); n > 0 {
		if n > 5 {
			skipped = append(skipped[:5], fmt.Sprintf("and %d more", n-5))
		}
		return c.refs(), fmt.Errorf("mysql trigger body: skipped %d statement(s): %s", n, strings.Join(skipped, "; "))
	}
	return c.refs(), nil
}

// tokKind is the kind of a token of a trigger body.
type tokKind int

const (
	tokWord   tokKind = iota // keyword or unquoted name
	tokQuoted                // `name`
	tokString                // 'text' or "text"
	tokNumber
	tokPunct // one character: ; ( ) , : = etc.
	tokAssign
)

type token struct {
	kind       tokKind
	start, end int // byte offsets in the source
	word       string
}

func isWordRune(r rune) bool {
	return r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r >= 0x80
}

// mysqlTokens splits src into tokens, dropping whitespace and comments. It
// never fails: an unterminated string or comment runs to the end.
func mysqlTokens(src string) []token {
	var toks []token
	i := 0
	for i < len(src) {
		ch := src[i]
		switch {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v':
			i++
		case ch == '#' || (ch == '-' && strings.HasPrefix(src[i:], "--") && (i+2 == len(src) || strings.IndexByte(" \t\r\n", src[i+2]) >= 0)):
			j := strings.IndexByte(src[i:], '\n')
			if j < 0 {
				i = len(src)
			} else {
				i += j + 1
			}
		case ch == '/' && strings.HasPrefix(src[i:], "/*") && !strings.HasPrefix(src[i:], "/*!") && !strings.HasPrefix(src[i:], "/*M!"):
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				i = len(src)
			} else {
				i += j + 4
			}
		case ch == '/' && (strings.HasPrefix(src[i:], "/*!") || strings.HasPrefix(src[i:], "/*M!")):
			// Executable comment: its content is code. Skip the opener and
			// the version number; the closer is skipped below.
			i += 3
			if src[i-1] == 'M' {
				i++
			}
			for i < len(src) && src[i] >= '0' && src[i] <= '9' {
				i++
			}
		case ch == '*' && strings.HasPrefix(src[i:], "*/"):
			i += 2
		case ch == '\'' || ch == '"' || ch == '`':
			j := i + 1
			for j < len(src) {
				if src[j] == '\\' && ch != '`' {
					j += 2
					continue
				}
				if src[j] == ch {
					if j+1 < len(src) && src[j+1] == ch {
						j += 2
						continue
					}
					j++
					break
				}
				j++
			}
			if j > len(src) {
				j = len(src)
			}
			k := tokString
			if ch == '`' {
				k = tokQuoted
			}
			toks = append(toks, token{kind: k, start: i, end: j})
			i = j
		case ch == ':' && strings.HasPrefix(src[i:], ":="):
			toks = append(toks, token{kind: tokAssign, start: i, end: i + 2})
			i += 2
		case ch < 0x80 && !isWordRune(rune(ch)):
			toks = append(toks, token{kind: tokPunct, start: i, end: i + 1})
			i++
		default:
			// A word, or a number (digits, then letters, digits and dots:
			// 1.5, 1e3, 0x1F).
			number := ch >= '0' && ch <= '9'
			j := i
			for j < len(src) && (src[j] >= 0x80 || isWordRune(rune(src[j])) || (number && src[j] == '.')) {
				j++
			}
			w := src[i:j]
			k := tokWord
			if number {
				k = tokNumber
			}
			toks = append(toks, token{kind: k, start: i, end: j, word: strings.ToUpper(w)})
			i = j
		}
	}
	return toks
}

// pieceKind is what a piece of a trigger body is.
type pieceKind int

const (
	pieceStatement pieceKind = iota // a statement for the MySQL parser
	pieceExpr                       // an expression
	pieceUnknown                    // a statement not understood
)

type piece struct {
	kind pieceKind
	text string
}

// bodySplitter cuts a compound statement into pieces.
type bodySplitter struct {
	src    string
	toks   []token
	i      int
	pieces []piece
}

func (s *bodySplitter) peekWord(off int) string {
	if s.i+off < len(s.toks) && s.toks[s.i+off].kind == tokWord {
		return s.toks[s.i+off].word
	}
	return ""
}

func (s *bodySplitter) isPunct(off int, ch byte) bool {
	if s.i+off >= len(s.toks) {
		return false
	}
	t := s.toks[s.i+off]
	return t.kind == tokPunct && s.src[t.start] == ch
}

// until advances to the first token at parenthesis depth 0 for which stop
// returns true (or the end) and returns the source text passed over.
func (s *bodySplitter) until(stop func(t token) bool) string {
	start := s.i
	depth := 0
	for s.i < len(s.toks) {
		t := s.toks[s.i]
		if t.kind == tokPunct {
			switch s.src[t.start] {
			case '(':
				depth++
			case ')':
				depth--
			}
		}
		if depth <= 0 && stop(t) {
			break
		}
		s.i++
	}
	return s.text(start, s.i)
}

// untilWord is until for an expression that ends at the keyword stop: the
// keyword does not count inside parentheses or inside a CASE ... END
// expression (IF CASE WHEN a THEN b END THEN ...).
func (s *bodySplitter) untilWord(stop string) string {
	cases := 0
	return s.until(func(t token) bool {
		switch {
		case wordIs(t, "CASE"):
			cases++
		case wordIs(t, "END") && cases > 0:
			cases--
			return false
		}
		return cases == 0 && wordIs(t, stop)
	})
}

// text returns the source between tokens a (inclusive) and b (exclusive).
func (s *bodySplitter) text(a, b int) string {
	if a >= b || a >= len(s.toks) {
		return ""
	}
	return strings.TrimSpace(s.src[s.toks[a].start:s.toks[b-1].end])
}

func (s *bodySplitter) isSemicolon(t token) bool {
	return t.kind == tokPunct && s.src[t.start] == ';'
}

func wordIs(t token, words ...string) bool {
	if t.kind != tokWord {
		return false
	}
	for _, w := range words {
		if t.word == w {
			return true
		}
	}
	return false
}

// toSemicolon returns the text up to the next top-level semicolon and
// consumes the semicolon.
func (s *bodySplitter) toSemicolon() string {
	text := s.until(s.isSemicolon)
	if s.i < len(s.toks) {
		s.i++
	}
	return text
}

func (s *bodySplitter) add(kind pieceKind, text string) {
	if strings.TrimSpace(text) != "" {
		s.pieces = append(s.pieces, piece{kind: kind, text: text})
	}
}

// run splits the whole body.
func (s *bodySplitter) run() {
	for s.i < len(s.toks) {
		s.statement()
	}
}

// statement consumes one statement, or the opening or closing part of a
// compound statement, starting at the current token.
func (s *bodySplitter) statement() {
	t := s.toks[s.i]
	if s.isPunct(0, ';') {
		s.i++
		return
	}
	// A label: "name:" (but not "name :=").
	if (t.kind == tokWord || t.kind == tokQuoted) && s.isPunct(1, ':') {
		s.i += 2
		return
	}
	if t.kind != tokWord {
		if s.isPunct(0, '(') {
			s.add(pieceStatement, s.toSemicolon()) // (SELECT ...) UNION ...
			return
		}
		s.add(pieceUnknown, s.toSemicolon())
		return
	}
	switch t.word {
	case "BEGIN":
		s.i++
		if s.peekWord(0) == "NOT" && s.peekWord(1) == "ATOMIC" {
			s.i += 2
		}
	case "END":
		// END [IF|CASE|LOOP|WHILE|REPEAT|FOR] [label] ;
		s.toSemicolon()
	case "ELSE", "LOOP", "REPEAT", "DO", "THEN":
		s.i++
	case "IF", "ELSEIF", "WHEN", "WHILE":
		s.i++
		stop := "THEN"
		if t.word == "WHILE" {
			stop = "DO"
		}
		s.add(pieceExpr, s.untilWord(stop))
		if s.i < len(s.toks) {
			s.i++
		}
	case "CASE":
		s.i++
		s.add(pieceExpr, s.untilWord("WHEN"))
	case "UNTIL":
		s.i++
		s.add(pieceExpr, s.untilWord("END"))
	case "RETURN":
		s.i++
		s.add(pieceExpr, s.toSemicolon())
	case "FOR":
		s.forLoop()
	case "DECLARE":
		s.declare()
	case "SET":
		s.set()
	case "SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "WITH", "VALUES", "TABLE", "CALL", "PREPARE", "EXECUTE",
		"TRUNCATE", "LOAD", "CREATE", "DROP", "ALTER", "RENAME":
		// DDL (in procedures) goes to the parser too, which knows what
		// of it reads or writes data (CREATE TABLE ... SELECT, TRUNCATE).
		s.add(pieceStatement, s.toSemicolon())
	case "LEAVE", "ITERATE", "OPEN", "CLOSE", "FETCH", "SIGNAL", "RESIGNAL", "GET", "DEALLOCATE",
		"START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "LOCK", "UNLOCK":
		s.toSemicolon()
	default:
		s.add(pieceUnknown, s.toSemicolon())
	}
}

// declare handles DECLARE: variables (with DEFAULT), conditions, cursors and
// handlers.
func (s *bodySplitter) declare() {
	start := s.i
	s.i++ // DECLARE
	// DECLARE {CONTINUE|EXIT|UNDO} HANDLER FOR conditions statement
	if w := s.peekWord(0); (w == "CONTINUE" || w == "EXIT" || w == "UNDO") && s.peekWord(1) == "HANDLER" && s.peekWord(2) == "FOR" {
		s.i += 3
		for s.i < len(s.toks) {
			switch s.peekWord(0) {
			case "SQLSTATE":
				s.i++
				if s.peekWord(0) == "VALUE" {
					s.i++
				}
				s.i++ // the state string
			case "NOT":
				s.i += 2 // NOT FOUND
			default:
				s.i++ // SQLWARNING, SQLEXCEPTION, an error code or a condition name
			}
			if !s.isPunct(0, ',') {
				break
			}
			s.i++
		}
		// The handler's statement (possibly BEGIN ... END) follows as a
		// statement of its own.
		return
	}
	// Find CURSOR FOR / CONDITION FOR / DEFAULT before the semicolon.
	for j := s.i; j < len(s.toks) && !s.isSemicolon(s.toks[j]); j++ {
		t := s.toks[j]
		switch {
		case wordIs(t, "CURSOR") && j+1 < len(s.toks) && wordIs(s.toks[j+1], "FOR"):
			s.i = j + 2
			s.add(pieceStatement, s.toSemicolon())
			return
		case wordIs(t, "CONDITION"):
			s.toSemicolon()
			return
		case wordIs(t, "DEFAULT"):
			s.i = j + 1
			s.add(pieceExpr, s.toSemicolon())
			return
		}
	}
	s.i = start
	s.toSemicolon()
}

// set handles SET a = expr, NEW.b := expr, @c = expr, ...: the assigned
// values are expressions; the targets are variables or NEW's columns.
func (s *bodySplitter) set() {
	s.i++ // SET
	// SET [GLOBAL|SESSION|LOCAL|PERSIST] ... and SET NAMES/CHARACTER SET
	// assign no table data: only the values matter.
	for s.i < len(s.toks) && !s.isSemicolon(s.toks[s.i]) {
		// Target: up to = or := at depth 0.
		s.until(func(t token) bool {
			return s.isSemicolon(t) || t.kind == tokAssign || (t.kind == tokPunct && s.src[t.start] == '=') ||
				(t.kind == tokPunct && s.src[t.start] == ',')
		})
		if s.i >= len(s.toks) || s.isSemicolon(s.toks[s.i]) {
			break
		}
		if s.isPunct(0, ',') {
			s.i++
			continue
		}
		s.i++ // = or :=
		s.add(pieceExpr, s.until(func(t token) bool {
			return s.isSemicolon(t) || (t.kind == tokPunct && s.src[t.start] == ',')
		}))
		if s.isPunct(0, ',') {
			s.i++
		}
	}
	if s.i < len(s.toks) {
		s.i++ // ;
	}
}

// forLoop handles MariaDB's FOR var IN ... DO: a parenthesised query is
// read; a cursor name or an integer range references no table.
func (s *bodySplitter) forLoop() {
	s.i++ // FOR
	s.until(func(t token) bool { return wordIs(t, "IN") })
	if s.i < len(s.toks) {
		s.i++
	}
	if s.peekWord(0) == "REVERSE" {
		s.i++
	}
	if s.isPunct(0, '(') {
		s.i++
		inner := s.until(func(t token) bool { return t.kind == tokPunct && s.src[t.start] == ')' })
		s.add(pieceStatement, inner)
	}
	s.until(func(t token) bool { return wordIs(t, "DO") })
	if s.i < len(s.toks) {
		s.i++
	}
}
