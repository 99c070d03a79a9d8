package mysql

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"regexp"

	"github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/sqlident"
)

// deniedUser finds 'user'@'host' in a server's access-denied message.
var deniedUser = regexp.MustCompile(`user '((?:[^']|'')*)'@'((?:[^']|'')*)'`)

// wrap turns an error of the run into one line that names the DSN, with
// the password masked, and says what to do where that is known.
func (r *reader) wrap(err error) error {
	if introspect.IsUsage(err) {
		return err
	}
	dsn := r.cfg.DSN
	msg := r.describe(err)
	return &Error{msg: dsn.Redact(fmt.Sprintf("%s %s: %s", r.op, dsn.Masked(), introspect.OneLine(msg))), err: err}
}

// Error is an introspection failure. Its message is one line and never
// holds the password; Unwrap gives the driver's error.
type Error struct {
	msg string
	err error
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.err }

func (r *reader) describe(err error) string {
	if msg := introspect.Interrupted(r.run, r.guard, err); msg != "" {
		return r.at(msg)
	}
	dsn := r.cfg.DSN
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		switch me.Number {
		case 1045:
			return fmt.Sprintf("access denied for user %q (wrong password?)", dsn.User)
		case 1049:
			return fmt.Sprintf("unknown database %q", r.db)
		case 1044:
			// The server does not tell a user without privileges whether
			// the database exists.
			return fmt.Sprintf("user %q may not use database %q (or it does not exist): %s", dsn.User, r.db, grantFromMessage(me.Message, "SELECT", sqlident.MySQL(r.db)+".*"))
		case 1142, 1143:
			// The user may not read a table this step needs.
			if r.step == "" {
				// A query of ReadOnly's caller: the message names the table.
				return me.Message
			}
			return fmt.Sprintf("%s: %s: %s", r.step, me.Message, r.grantTo("SELECT", r.onDB()))
		case 1227:
			return r.at(me.Message)
		case 1969, 3024:
			what := "a catalog query"
			if r.step == "" {
				what = "a query"
			}
			return r.at(fmt.Sprintf("%s ran longer than the statement timeout of %s (raise it with --statement-timeout)", what, r.cfg.StatementTimeoutOrDefault()))
		}
		return r.at(me.Error())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		if r.step == "connect" {
			return fmt.Sprintf("no answer from %s within %s (connect timeout): is the host reachable and the port right?", dsn.Host, r.cfg.ConnectTimeoutOrDefault())
		}
		return r.at("deadline exceeded")
	}
	if errors.Is(err, context.Canceled) {
		return r.at("canceled")
	}
	if errors.Is(err, mysql.ErrInvalidConn) || errors.Is(err, driver.ErrBadConn) {
		return r.at("the connection to the server broke (the server closed it, or the network dropped it)")
	}
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return fmt.Sprintf("cannot resolve host %q: %s", dnsErr.Name, dnsErr.Err)
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) {
		if opErr.Timeout() {
			return fmt.Sprintf("no answer from %s within %s (connect timeout): is the host reachable and the port right?", dsn.Host, r.cfg.ConnectTimeoutOrDefault())
		}
		cause := opErr.Err.Error()
		var sys interface{ Unwrap() error }
		if errors.As(opErr.Err, &sys) {
			cause = sys.Unwrap().Error()
		}
		return fmt.Sprintf("cannot reach %s: %s", dsn.Host, cause)
	}
	return r.at(err.Error())
}

// at prefixes msg with the step the run was in, if any.
func (r *reader) at(msg string) string {
	if r.step == "" {
		return msg
	}
	return r.step + ": " + msg
}

// grantFromMessage names the grant that would let the user in the server's
// message do what it was refused.
func grantFromMessage(msg, what, on string) string {
	m := deniedUser.FindStringSubmatch(msg)
	if m == nil {
		return fmt.Sprintf("GRANT %s ON %s TO <user>", what, on)
	}
	return fmt.Sprintf("GRANT %s ON %s TO '%s'@'%s'", what, on, m[1], m[2])
}
