package dialect

import (
	"strings"
	"unicode/utf8"

	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// RetargetMySQLView rewrites a MySQL/MariaDB view definition (the SELECT of
// information_schema.VIEWS.VIEW_DEFINITION) so that every reference to the
// table from, written db.table or db.table.column, names to instead. It
// returns the definition and how many references it changed.
//
// The servers store view definitions with every table qualified by its
// database, so the qualified references are all there are. Identifiers are
// compared exactly (database and table names are case-sensitive on the
// servers seams runs against); text inside string literals and comments is
// never changed.
func RetargetMySQLView(def string, from, to schema.TableName) (string, int) {
	toks := lexMySQL(def)
	var b strings.Builder
	n := 0
	for i := 0; i < len(toks); i++ {
		// db . table, not itself preceded by a dot.
		if dot := next(toks, i); toks[i].ident && toks[i].name == from.Schema && dot < len(toks) && toks[dot].text == "." {
			if tbl := next(toks, dot); tbl < len(toks) && toks[tbl].ident && toks[tbl].name == from.Name && !afterDot(toks, i) {
				b.WriteString(sqlident.MySQL(to.Schema) + "." + sqlident.MySQL(to.Name))
				i = tbl
				n++
				continue
			}
		}
		b.WriteString(toks[i].text)
	}
	return b.String(), n
}

// next returns the index of the first token after i that is not white
// space, or len(toks).
func next(toks []token, i int) int {
	for j := i + 1; j < len(toks); j++ {
		if strings.TrimSpace(toks[j].text) != "" {
			return j
		}
	}
	return len(toks)
}

// afterDot reports whether the token before i, white space skipped, is a dot.
func afterDot(toks []token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		if strings.TrimSpace(toks[j].text) != "" {
			return toks[j].text == "."
		}
	}
	return false
}

// token is a lexical token of MySQL text: an identifier (quoted or bare,
// with its name), a string literal, a comment, or any other run of text.
type token struct {
	text  string
	ident bool
	name  string
}

// lexMySQL cuts MySQL text into tokens, enough to find identifiers outside
// string literals and comments.
func lexMySQL(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '`':
			j := i + 1
			var name strings.Builder
			for j < len(s) {
				if s[j] == '`' {
					if j+1 < len(s) && s[j+1] == '`' {
						name.WriteByte('`')
						j += 2
						continue
					}
					break
				}
				name.WriteByte(s[j])
				j++
			}
			end := min(j+1, len(s))
			out = append(out, token{text: s[i:end], ident: true, name: name.String()})
			i = end
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(s) {
				if s[j] == '\\' {
					j += 2
					continue
				}
				if s[j] == c {
					if j+1 < len(s) && s[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			end := min(j+1, len(s))
			out = append(out, token{text: s[i:end]})
			i = end
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			j := strings.Index(s[i+2:], "*/")
			end := len(s)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			out = append(out, token{text: s[i:end]})
			i = end
		case (c == '-' && strings.HasPrefix(s[i:], "-- ")) || c == '#':
			j := strings.IndexByte(s[i:], '\n')
			end := len(s)
			if j >= 0 {
				end = i + j
			}
			out = append(out, token{text: s[i:end]})
			i = end
		case isWordByte(s, i):
			j := i
			for j < len(s) && isWordByte(s, j) {
				_, w := utf8.DecodeRuneInString(s[j:])
				j += w
			}
			out = append(out, token{text: s[i:j], ident: true, name: s[i:j]})
			i = j
		default:
			_, w := utf8.DecodeRuneInString(s[i:])
			out = append(out, token{text: s[i : i+w]})
			i += w
		}
	}
	return out
}

// isWordByte reports whether the rune at s[i] can be part of a bare
// identifier.
func isWordByte(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return isWordRune(r)
}

// createView writes CREATE OR REPLACE VIEW name AS definition with the
// view's ALGORITHM, DEFINER, SQL SECURITY and CHECK OPTION when the
// snapshot has them, in the session the view was created in (see build.session).
func (d mysql) createView(v schema.View, def string, b *build) []string {
	head := "CREATE OR REPLACE "
	if a := strings.ToUpper(v.Algorithm); a == "MERGE" || a == "TEMPTABLE" || a == "UNDEFINED" {
		head += "ALGORITHM = " + a + " "
	}
	head += d.definer(v.Definer)
	if sec := strings.ToUpper(v.Security); sec == "DEFINER" || sec == "INVOKER" {
		head += "SQL SECURITY " + sec + " "
	}
	create := head + "VIEW " + d.Table(v.TableName()) + " AS " + b.raw(def)
	if c := strings.ToUpper(v.CheckOption); c == "LOCAL" || c == "CASCADED" {
		create += " WITH " + c + " CHECK OPTION"
	}
	return b.session(v.CreatedWith, def, create)
}
