package mysql

import (
	"strings"

	"github.com/seamsdev/seams/schema"
)

// fkRule is the pair of actions of a foreign key.
type fkRule struct {
	onDelete, onUpdate schema.Action
}

// foreignKeyRules reads the actions of the foreign keys of a CREATE TABLE
// statement as SHOW CREATE TABLE prints it, by constraint name:
//
//	CONSTRAINT `name` FOREIGN KEY (...) REFERENCES `t` (...) [ON DELETE a] [ON UPDATE a]
//
// An action left out is def. Names, strings and comments are read as
// tokens, so that a default value or a comment that holds "ON DELETE"
// changes nothing.
func foreignKeyRules(ddl string, def schema.Action) map[string]fkRule {
	toks := ddlTokens(ddl)
	word := func(i int, w string) bool {
		return i < len(toks) && toks[i].kind == tokWord && strings.EqualFold(toks[i].text, w)
	}
	out := map[string]fkRule{}
	for i := 0; i < len(toks); i++ {
		if !word(i, "CONSTRAINT") || i+2 >= len(toks) || toks[i+1].kind != tokName || !word(i+2, "FOREIGN") {
			continue
		}
		name := toks[i+1].text
		j := i + 3
		for j < len(toks) && !word(j, "REFERENCES") {
			j++
		}
		// Skip the referenced table to the end of its column list.
		for j < len(toks) && toks[j].text != "(" {
			j++
		}
		for depth := 0; j < len(toks); j++ {
			if toks[j].kind == tokPunct && toks[j].text == "(" {
				depth++
			} else if toks[j].kind == tokPunct && toks[j].text == ")" {
				if depth--; depth == 0 {
					j++
					break
				}
			}
		}
		rule := fkRule{def, def}
		for word(j, "ON") {
			var a schema.Action
			n := 3
			switch {
			case word(j+2, "SET") && word(j+3, "NULL"):
				a = schema.SetNull
				n = 4
			case word(j+2, "SET") && word(j+3, "DEFAULT"):
				a = schema.SetDefault
				n = 4
			case word(j+2, "NO") && word(j+3, "ACTION"):
				a = schema.NoAction
				n = 4
			case word(j+2, "CASCADE"):
				a = schema.Cascade
			case word(j+2, "RESTRICT"):
				a = schema.Restrict
			default:
				n = 0
			}
			if n == 0 {
				break
			}
			switch {
			case word(j+1, "DELETE"):
				rule.onDelete = a
			case word(j+1, "UPDATE"):
				rule.onUpdate = a
			}
			j += n
		}
		out[name] = rule
		i = j - 1
	}
	return out
}

type tokKind int

const (
	tokWord   tokKind = iota // a key word or bare name
	tokName                  // a `quoted` name, unquoted
	tokString                // a 'string' or "string"
	tokPunct                 // one other character
)

type ddlToken struct {
	kind tokKind
	text string
}

// ddlTokens splits MySQL DDL into tokens: backquoted names (a doubled
// backquote read as one), quoted strings (with doubled quotes and backslash escapes),
// words, and single characters; white space and comments are dropped.
func ddlTokens(s string) []ddlToken {
	var out []ddlToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '`':
			var b strings.Builder
			i++
			for i < len(s) {
				if s[i] == '`' {
					if i+1 < len(s) && s[i+1] == '`' {
						b.WriteByte('`')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			out = append(out, ddlToken{tokName, b.String()})
		case c == '\'' || c == '"':
			q := c
			start := i
			i++
			for i < len(s) {
				if s[i] == '\\' {
					i += 2
					continue
				}
				if s[i] == q {
					if i+1 < len(s) && s[i+1] == q {
						i += 2
						continue
					}
					i++
					break
				}
				i++
			}
			out = append(out, ddlToken{tokString, s[start:min(i, len(s))]})
		case c == '/' && strings.HasPrefix(s[i:], "/*"):
			if end := strings.Index(s[i+2:], "*/"); end >= 0 {
				i += end + 4
			} else {
				i = len(s)
			}
		case c == '_' || c == '$' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' || c >= 0x80:
			start := i
			for i < len(s) && (s[i] == '_' || s[i] == '$' || s[i] >= '0' && s[i] <= '9' || s[i]|0x20 >= 'a' && s[i]|0x20 <= 'z' || s[i] >= 0x80) {
				i++
			}
			out = append(out, ddlToken{tokWord, s[start:i]})
		default:
			out = append(out, ddlToken{tokPunct, string(c)})
			i++
		}
	}
	return out
}
