package postgres

import (
	"context"
	"errors"
	"fmt"
	"net"
	"regexp"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/sqlident"
)

// Error is a failed introspection: a one-line message that names the DSN
// with its password masked, wrapping the driver's error.
type Error struct {
	msg string
	err error
}

func (e *Error) Error() string { return e.msg }

// Unwrap returns the driver's error (a *pgconn.PgError, a net error,
// context.Canceled...).
func (e *Error) Unwrap() error { return e.err }

// describe turns an error of operation op ("introspect", "read rows") into
// an *Error.
func describe(cfg *introspect.Config, pcfg *pgx.ConnConfig, op string, err error) error {
	target := fmt.Sprintf("%s:%d", pcfg.Host, pcfg.Port)
	msg := explain(err, pcfg.User, pcfg.Database, target, cfg.ConnectTimeoutOrDefault().String())
	return &Error{msg: fmt.Sprintf("%s %s: %s", op, cfg.DSN.Masked(), introspect.OneLine(cfg.DSN.Redact(msg))), err: err}
}

// explain says in one line what went wrong. user and database are the
// role and database connected to, target the host:port, timeout the connect
// timeout.
func explain(err error, user, database, target, timeout string) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		msg := reason(pe, user, database)
		var se *stepError
		if errors.As(err, &se) {
			msg = "reading " + se.step + ": " + msg
		}
		return msg
	}
	var dns *net.DNSError
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Sprintf("cannot reach %s: connection refused (is PostgreSQL running and listening there?)", target)
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return fmt.Sprintf("cannot reach %s: no such host %q", target, dns.Name)
		}
		return fmt.Sprintf("cannot reach %s: looking up %q: %s", target, dns.Name, dns.Err)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return fmt.Sprintf("cannot reach %s: no route to host", target)
	case isTimeout(err):
		return fmt.Sprintf("cannot reach %s: no answer within %s (connect timeout)", target, timeout)
	}
	return err.Error()
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// reason explains a server error, naming the grant to add for a missing
// privilege.
func reason(pe *pgconn.PgError, user, database string) string {
	switch pe.Code {
	case "28P01": // invalid_password
		return pe.Message
	case "28000": // invalid_authorization_specification
		if strings.Contains(pe.Message, "not permitted to log in") {
			return fmt.Sprintf("%s (ALTER ROLE %s LOGIN)", pe.Message, sqlident.PostgresMinimal(user))
		}
		return pe.Message
	case "3D000": // invalid_catalog_name
		return pe.Message
	case "42501": // insufficient_privilege
		if m := deniedRE.FindStringSubmatch(pe.Message); m != nil {
			return pe.Message + ": " + grantHint(user, database, m[1], m[2])
		}
		return pe.Message + " (insufficient privilege)"
	case "57014": // query_canceled, statement_timeout among others
		if strings.Contains(pe.Message, "statement timeout") {
			return pe.Message + " (raise --statement-timeout)"
		}
		return pe.Message
	case "55P03": // lock_not_available
		return pe.Message + " (a concurrent schema change holds a lock; try again when it is done)"
	}
	return fmt.Sprintf("%s (SQLSTATE %s)", pe.Message, pe.Code)
}

var deniedRE = regexp.MustCompile(`^permission denied for (database|schema|table|view|materialized view|sequence|function|column|relation) (.+)$`)

// grantHint names the statement that gives user the privilege on the object
// a permission-denied message names.
func grantHint(user, database, kind, object string) string {
	if len(object) >= 2 && strings.HasPrefix(object, `"`) && strings.HasSuffix(object, `"`) {
		object = strings.ReplaceAll(object[1:len(object)-1], `""`, `"`)
	}
	if kind == "database" && database != "" {
		object = database
	}
	obj := object
	if !strings.ContainsAny(object, ".(") {
		obj = sqlident.PostgresMinimal(object)
		if strings.HasPrefix(object, "pg_") && kind != "database" && kind != "schema" {
			obj = "pg_catalog." + obj
		}
	}
	role := sqlident.PostgresMinimal(user)
	switch kind {
	case "database":
		return fmt.Sprintf("GRANT CONNECT ON DATABASE %s TO %s", obj, role)
	case "schema":
		return fmt.Sprintf("GRANT USAGE ON SCHEMA %s TO %s", obj, role)
	case "function":
		return fmt.Sprintf("GRANT EXECUTE ON FUNCTION %s TO %s", obj, role)
	case "column":
		return fmt.Sprintf("GRANT SELECT (%s) ON pg_catalog.pg_proc TO %s", sqlident.PostgresMinimal(object), role)
	default:
		return fmt.Sprintf("GRANT SELECT ON %s TO %s", obj, role)
	}
}

// stepError names the catalog query that failed.
type stepError struct {
	step string
	err  error
}

func (e *stepError) Error() string { return e.step + ": " + e.err.Error() }
func (e *stepError) Unwrap() error { return e.err }
