package ddl

import (
	"strings"

	"github.com/seamsdev/seams/schema"
)

// mySession is what a MySQL file's SET statements have told of the
// session its views and triggers are created in, which the server records
// with them (a trigger's body runs with the sql_mode it was created with).
// A nil field is not known: the loading client's own, or a value kept in
// a user variable (mysqldump saves the client's and puts it back).
type mySession struct {
	sqlMode, charset, collation *string
}

// set follows SET statements: sql_mode, character_set_client,
// collation_connection, SET NAMES and SET CHARACTER SET, for the session;
// GLOBAL settings and the others are passed over.
func (r *myReader) set() {
	toks := r.toks[r.stmt.first : r.stmt.last+1]
	word := func(i int) string {
		if i >= len(toks) || toks[i].kind != tWord {
			return ""
		}
		return strings.ToLower(toks[i].text(r.orig))
	}
	punct := func(i int, c byte) bool { return i < len(toks) && toks[i].punct(r.orig, c) }
	for i := 1; i < len(toks); {
		// One assignment: [SESSION | LOCAL | GLOBAL] name = value, or
		// @@[scope.]name = value, or @user_var = value, or NAMES cs
		// [COLLATE coll].
		global, user := false, false
		switch {
		case punct(i, '@') && punct(i+1, '@'):
			i += 2
			if s := word(i); (s == "session" || s == "local" || s == "global") && punct(i+1, '.') {
				global = s == "global"
				i += 2
			}
		case punct(i, '@'):
			user = true
			i++
		case word(i) == "session" || word(i) == "local" || word(i) == "global":
			global = word(i) == "global"
			i++
		}
		name := word(i)
		i++
		if name == "character" && word(i) == "set" && !user {
			// SET CHARACTER SET cs: the connection's collation becomes the
			// database's, not known here.
			r.session.charset, r.session.collation = r.settingValue(toks, i+1), nil
		} else if name == "names" && !user {
			cs := r.settingValue(toks, i)
			var coll *string
			if word(i+1) == "collate" {
				coll = r.settingValue(toks, i+2)
			}
			r.session.charset, r.session.collation = cs, coll
		} else if i < len(toks) && (toks[i].text(r.orig) == "=" || toks[i].text(r.orig) == ":=") && !user && !global {
			v := r.settingValue(toks, i+1)
			switch name {
			case "sql_mode":
				r.session.sqlMode = v
			case "character_set_client":
				r.session.charset = v
			case "collation_connection":
				r.session.collation = v
			}
		}
		// To the next assignment.
		for i < len(toks) && !punct(i, ',') {
			i++
		}
		i++
	}
}

// settingValue reads the value of a setting at toks[i] when it is one
// literal, a string or a bare word (not DEFAULT); nil otherwise (a
// variable, an expression).
func (r *myReader) settingValue(toks []token, i int) *string {
	if i >= len(toks) || (i+1 < len(toks) && !toks[i+1].punct(r.orig, ',') && toks[i+1].kind != tWord) {
		return nil
	}
	t := toks[i]
	var v string
	switch t.kind {
	case tString:
		v = unquoteAccount(t.text(r.orig))
	case tWord, tQIdent:
		v = unquoteMy(t.text(r.orig))
		if strings.EqualFold(v, "default") {
			return nil
		}
	default:
		return nil
	}
	return &v
}

// createdWith is the session a view (view true: no sql_mode) or trigger
// created now is recorded with, when the file has told all of it; nil
// otherwise.
func (s mySession) createdWith(view bool) *schema.CreatedWith {
	if s.charset == nil || s.collation == nil || (!view && s.sqlMode == nil) {
		return nil
	}
	c := &schema.CreatedWith{CharacterSetClient: *s.charset, CollationConnection: *s.collation}
	if !view {
		mode := *s.sqlMode
		c.SQLMode = &mode
	}
	return c
}
