package mysql

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/sqlident"
)

// grantee is the current user as GRANT statements spell an account:
// 'user'@'host'.
func (r *reader) grantee() string { return r.session().Grantee() }

// grantTo renders "GRANT what ON target TO 'user'@'host'" for messages.
func (r *reader) grantTo(what, on string) string {
	return fmt.Sprintf("GRANT %s ON %s TO %s", what, on, r.grantee())
}

// onDB is the database's grant target, db.*, with the name quoted.
func (r *reader) onDB() string { return sqlident.MySQL(r.db) + ".*" }

// readPrivileges checks whether the user holds TRIGGER on the database:
// information_schema.TRIGGERS silently lists only the triggers of tables on
// which the user holds it. SHOW GRANTS is read rather than
// information_schema's privilege tables because MariaDB lists the grants of
// the enabled roles there too. (MySQL 8 does not expand roles in SHOW
// GRANTS: a TRIGGER held through a role is then reported as possibly
// missing.) The result holds the password hash: it is never kept.
func (r *reader) readPrivileges(ctx context.Context) error {
	r.setStep("privileges")
	rows, err := r.query(ctx, "privileges", "SHOW GRANTS")
	if err != nil {
		return err
	}
	defer rows.Close()
	hasTrigger := false
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		privs, target, ok := parseGrant(line)
		if !ok || !grantCovers(target, r.db) {
			continue
		}
		for _, p := range privs {
			if p == "TRIGGER" || p == "ALL" || p == "ALL PRIVILEGES" {
				hasTrigger = true
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !hasTrigger {
		r.unreadable(partTriggers, "the user does not hold TRIGGER on the database, and information_schema.TRIGGERS lists only the triggers of tables on which it does (triggers may be missing); "+r.grantTo("TRIGGER", r.onDB()))
	}
	return nil
}

// parseGrant splits a SHOW GRANTS line "GRANT p1, p2 (col) ON target TO
// ..." into its privileges (upper case, without column lists) and its
// target. ok is false for lines that grant no privilege on an object (role
// grants, SET DEFAULT ROLE...).
func parseGrant(line string) (privs []string, target string, ok bool) {
	rest, found := strings.CutPrefix(line, "GRANT ")
	if !found {
		return nil, "", false
	}
	// Scan outside backquotes and parentheses for " ON " and " TO ".
	var quoted bool
	depth := 0
	start, on := 0, -1
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c == '`':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth > 0:
		case c == ',' && on < 0:
			privs = append(privs, privName(rest[start:i]))
			start = i + 1
		case c == ' ' && on < 0 && strings.HasPrefix(rest[i:], " ON "):
			privs = append(privs, privName(rest[start:i]))
			on = i + len(" ON ")
			i = on - 1
		case c == ' ' && on >= 0 && strings.HasPrefix(rest[i:], " TO "):
			return privs, rest[on:i], true
		}
	}
	return nil, "", false
}

// privName trims a privilege of its column list and spaces.
func privName(s string) string {
	if i := strings.IndexByte(s, '('); i >= 0 {
		s = s[:i]
	}
	return strings.ToUpper(strings.TrimSpace(s))
}

// grantCovers reports whether a grant target (*.*, `db`.*) covers every
// table of database db. Database names in grants may hold the wildcards %
// and _, escaped with a backslash.
func grantCovers(target, db string) bool {
	if target == "*.*" {
		return true
	}
	name, found := strings.CutSuffix(target, ".*")
	if !found {
		return false // a table, routine or proxy grant
	}
	if strings.HasPrefix(name, "`") && strings.HasSuffix(name, "`") && len(name) >= 2 {
		name = strings.ReplaceAll(name[1:len(name)-1], "``", "`")
	}
	return likeMatch(name, db)
}

// likeMatch matches s against a SQL LIKE pattern with backslash escapes.
func likeMatch(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	var match func(i, j int) bool
	match = func(i, j int) bool {
		for i < len(p) {
			switch p[i] {
			case '%':
				for k := j; k <= len(t); k++ {
					if match(i+1, k) {
						return true
					}
				}
				return false
			case '_':
				if j >= len(t) {
					return false
				}
			case '\\':
				if i+1 < len(p) {
					i++
				}
				fallthrough
			default:
				if j >= len(t) || t[j] != p[i] {
					return false
				}
			}
			i++
			j++
		}
		return j == len(t)
	}
	return match(0, 0)
}

// isAccessDenied reports whether err is a MySQL privilege error.
func isAccessDenied(err error) bool {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1044, 1142, 1143, 1227:
			return true
		}
	}
	return false
}
