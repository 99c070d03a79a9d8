package introspect

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/schema"
)

// A DSN is shown in messages only as Masked builds it from its parsed
// parts, and a DSN that does not parse only as its scheme and host: no
// other text of what the user typed is ever echoed, since a password with
// an unescaped / ? # or @ makes the parts hard to tell apart. The checks
// below make sure that the parts seams and the drivers see are the parts
// the user meant, or refuse the DSN.

// encodeHint says how to write what breaks a DSN.
const encodeHint = "percent-encode : / ? # @ %% and spaces in the user name and password (%%3A %%2F %%3F %%23 %%40 %%25 %%20)"

// ParseDSN parses a data source name:
//
//	postgres://user:pw@host:5432/db?sslmode=disable  (also postgresql://)
//	mysql://user:pw@host:3306/db?tls=true
//	user:pw@tcp(host:3306)/db                        (go-sql-driver form)
//
// Errors are UsageErrors. They never contain the password, nor anything
// of a DSN that does not parse but its scheme and host.
func ParseDSN(s string) (*DSN, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, &UsageError{Msg: "no database given: pass --dsn or set SEAMS_DSN (e.g. postgres://user@localhost:5432/shop)"}
	}
	if i := strings.Index(s, "://"); i > 0 && !strings.ContainsAny(s[:i], "@/(") {
		scheme := s[:i]
		switch strings.ToLower(scheme) {
		case "postgres", "postgresql":
			return parsePostgresURL(s)
		case "mysql", "mariadb":
			return parseMySQLURL(s)
		}
		if !schemeName.MatchString(scheme) {
			return nil, &UsageError{Msg: "malformed DSN: " + wantForms}
		}
		return nil, &UsageError{Msg: fmt.Sprintf("unsupported DSN scheme %q%s: use postgres://, postgresql:// or mysql://", strings.ToLower(scheme)+"://", hostNote(s[i+3:]))}
	}
	if keywordForm.MatchString(s) {
		// A libpq "host=... password=..." string: not echoed.
		return nil, &UsageError{Msg: "malformed DSN: keyword=value strings are not supported: " + wantForms}
	}
	if strings.Contains(s, "@") || strings.Contains(s, "(") || strings.HasPrefix(s, "/") {
		return parseMySQLNative(s)
	}
	// Neither form seams can read: not echoed, it may hold a password.
	return nil, &UsageError{Msg: "malformed DSN: " + wantForms}
}

const wantForms = "want postgres://user@host:5432/db, mysql://user@host:3306/db or user:pw@tcp(host:3306)/db"

var (
	schemeName  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*$`)
	keywordForm = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*\s*=`)
	// hostShape is a host name or address with an optional numeric port,
	// or a socket path: what an error may show of a DSN.
	hostShape = regexp.MustCompile(`^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.%a-z]+\])(?::[0-9]+)?$`)
)

// safeHost returns the host of the text after "scheme://" (or of a native
// DSN's address) when it can be told without showing anything else, or "".
// A password may hide before the last @ (in the user info) and after the
// first ? (in a parameter): the host is shown only when the text after the
// last @ and the text before the first / ? or # name the same host, of the
// shape of a host and port.
func safeHost(rest string) string {
	after := rest
	if at := strings.LastIndex(after, "@"); at >= 0 {
		after = after[at+1:]
	}
	if i := strings.IndexAny(after, "/?#"); i >= 0 {
		after = after[:i]
	}
	before := rest
	if i := strings.IndexAny(before, "/?#"); i >= 0 {
		before = before[:i]
	}
	if at := strings.LastIndex(before, "@"); at >= 0 {
		before = before[at+1:]
	}
	if after != before || !hostShape.MatchString(after) {
		return ""
	}
	return after
}

// hostNote is " (host H)" for a message about a DSN that does not parse,
// or "" when the host cannot be told safely.
func hostNote(rest string) string {
	if h := safeHost(rest); h != "" {
		return " (host " + h + ")"
	}
	return ""
}

// afterAuthority is what follows the host of a parsed URL, as typed.
func afterAuthority(u *url.URL) string {
	s := u.EscapedPath()
	if u.RawQuery != "" || u.ForceQuery {
		s += "?" + u.RawQuery
	}
	if u.Fragment != "" {
		s += "#" + u.EscapedFragment()
	}
	return s
}

// parseURL parses a postgres:// or mysql:// DSN and checks that its parts
// are the ones meant: no @ after the host (a password with an unescaped /
// ? or # would put part of itself there), a well-formed query. what names
// the engine in messages.
func parseURL(s, what string) (*url.URL, url.Values, error) {
	rest := s[strings.Index(s, "://")+3:]
	bad := func(reason string) error {
		return &UsageError{Msg: fmt.Sprintf("malformed %s DSN%s: %s", what, hostNote(rest), reason)}
	}
	u, err := url.Parse(s)
	if err != nil {
		// url's messages quote the part they trip on: never shown.
		return nil, nil, bad("it is not a valid URL: " + fmt.Sprintf(encodeHint))
	}
	if strings.Contains(afterAuthority(u), "@") {
		return nil, nil, bad("an @ after the host: " + fmt.Sprintf(encodeHint))
	}
	// pgx, like libpq, ends the user name and password at the first @:
	// one more in them would split the DSN elsewhere than here.
	if u.User != nil && strings.Contains(u.User.String(), "@") || strings.Count(rest, "@") > 1 {
		return nil, nil, bad("more than one @: " + fmt.Sprintf(encodeHint))
	}
	if u.Opaque != "" || (u.User == nil && strings.Contains(rest, "@")) {
		return nil, nil, bad("it is not a valid URL: " + fmt.Sprintf(encodeHint))
	}
	if strings.Contains(s, "#") {
		return nil, nil, bad("a # in the DSN: percent-encode it as %23")
	}
	// A password in a parameter runs to the next &: one in the password
	// would start another parameter, made of the rest of it. So only the
	// last parameter may be a password, and no other may even mention one.
	pairs := strings.Split(u.RawQuery, "&")
	for i, pair := range pairs {
		k, _, _ := strings.Cut(pair, "=")
		text, err := url.QueryUnescape(pair)
		if err != nil {
			return nil, nil, bad("the parameters after ? are not well formed (an unescaped %): write % as %25")
		}
		if !strings.Contains(strings.ToLower(text), "pass") {
			continue
		}
		if dk, err := url.QueryUnescape(k); err != nil || !secretParam(dk) || i < len(pairs)-1 || !paramName.MatchString(dk) {
			return nil, nil, bad("a password parameter (password=, sslpassword=) must come last, with any & in it percent-encoded as %26")
		}
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return nil, nil, bad("the parameters after ? are not well formed (an unescaped % or ;): write % as %25")
	}
	return u, q, nil
}

// checkPort checks the port of a parsed URL DSN.
func (d *DSN) checkPort(what string) error {
	if port := d.url.Port(); port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return &UsageError{Msg: fmt.Sprintf("malformed %s DSN %s: port %s is not a number from 1 to 65535", what, d.Masked(), port)}
		}
	}
	return nil
}

// secretParam reports whether a DSN parameter holds a secret: its value
// is masked and redacted like the password.
func secretParam(key string) bool {
	return strings.Contains(strings.ToLower(key), "pass")
}

func parsePostgresURL(s string) (*DSN, error) {
	u, q, err := parseURL(s, "PostgreSQL")
	if err != nil {
		return nil, err
	}
	d := &DSN{Dialect: schema.DialectPostgres, raw: s, url: u, Host: u.Host, Database: strings.TrimPrefix(u.Path, "/")}
	d.addSecrets(u, q)
	if err := d.checkPort("PostgreSQL"); err != nil {
		return nil, err
	}
	if u.User != nil {
		d.User = u.User.Username()
	}
	if d.Host == "" {
		d.Host = q.Get("host")
	}
	if d.Database == "" {
		d.Database = q.Get("dbname")
	}
	if d.Database == "" {
		return nil, &UsageError{Msg: fmt.Sprintf("malformed PostgreSQL DSN %s: no database name (add /DBNAME after the host)", d.Masked())}
	}
	// The driver reads the DSN itself: what it refuses is refused here.
	if _, err := pgx.ParseConfig(s); err != nil {
		return nil, &UsageError{Msg: fmt.Sprintf("malformed PostgreSQL DSN %s: %s", d.Masked(), d.Reason(err))}
	}
	return d, nil
}

func parseMySQLURL(s string) (*DSN, error) {
	u, q, err := parseURL(s, "MySQL")
	if err != nil {
		return nil, err
	}
	d := &DSN{Dialect: schema.DialectMySQL, raw: s, url: u}
	d.addSecrets(u, q)
	if err := d.checkPort("MySQL"); err != nil {
		return nil, err
	}
	cfg := mysql.NewConfig()
	cfg.Net = "tcp"
	host := u.Host
	if host == "" {
		host = "localhost"
	}
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(strings.Trim(host, "[]"), "3306")
	}
	cfg.Addr = host
	d.Host = host
	if u.RawQuery != "" {
		// The driver's own parser reads the parameters, so that tls=,
		// charset= and the like mean what they mean there.
		parsed, err := mysql.ParseDSN("/?" + u.RawQuery)
		if err != nil {
			return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN %s: %s", d.Masked(), d.Redact(err.Error()))}
		}
		cfg = parsed
		cfg.Net, cfg.Addr = "tcp", host
	}
	if u.User != nil {
		cfg.User = u.User.Username()
		cfg.Passwd, _ = u.User.Password()
	}
	cfg.DBName = strings.TrimPrefix(u.Path, "/")
	if cfg.DBName == "" {
		return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN %s: no database name (add /DBNAME after the host)", d.Masked())}
	}
	return d.withMySQL(cfg)
}

// parseMySQLNative parses the go-sql-driver form,
// user:pw@net(addr)/db?params.
func parseMySQLNative(s string) (*DSN, error) {
	// The credentials are everything before the last @: the driver splits
	// there too unless the password holds a /, which the check below
	// catches. An error of the driver about the DSN with the credentials
	// replaced cannot quote them.
	at := strings.LastIndex(s, "@")
	addr := ""
	if at >= 0 {
		addr = s[at+1:]
	} else {
		addr = s
	}
	note := ""
	if i, j := strings.Index(addr, "("), strings.Index(addr, ")"); i >= 0 && j > i {
		if h := safeHost(addr[i+1 : j]); h != "" || strings.HasPrefix(addr[i+1:j], "/") && !strings.ContainsAny(addr[i+1:j], " ") {
			note = " (address " + addr[i+1:j] + ")"
		}
	}
	cfg, err := mysql.ParseDSN(s)
	if err != nil {
		msg := "it does not parse: " + fmt.Sprintf(encodeHint) + ", or use mysql://user:pw@host:3306/db"
		if at >= 0 {
			if _, serr := mysql.ParseDSN("u:p" + s[at:]); serr != nil {
				msg = serr.Error()
			}
		} else {
			msg = err.Error()
		}
		return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN%s: %s", note, msg)}
	}
	if at >= 0 {
		user, pw, hasPW := strings.Cut(s[:at], ":")
		if cfg.User != user || cfg.Passwd != pw || (cfg.Passwd != "") != hasPW {
			return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN%s: the user name or password holds a character that splits the DSN elsewhere (a / ( or @): use mysql://user:pw@host:3306/db and %s", note, fmt.Sprintf(encodeHint))}
		}
	}
	d := &DSN{Dialect: schema.DialectMySQL, raw: s, Host: cfg.Addr}
	if cfg.Passwd != "" {
		d.secrets = append(d.secrets, cfg.Passwd)
	}
	return d.withMySQL(cfg)
}

// withMySQL completes a MySQL DSN with its driver configuration, refusing
// parameters the driver does not know: it would send them to the server
// as SET statements.
func (d *DSN) withMySQL(cfg *mysql.Config) (*DSN, error) {
	if len(cfg.Params) > 0 {
		names := make([]string, 0, len(cfg.Params))
		for k := range cfg.Params {
			if paramName.MatchString(k) {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		what := "an unknown parameter"
		if len(names) > 0 {
			what = fmt.Sprintf("unknown parameter %q", names[0])
		}
		d.mysqlConfig = cfg
		return nil, &UsageError{Msg: fmt.Sprintf("malformed MySQL DSN %s: %s: seams sets no session variables from the DSN (see the go-sql-driver parameters)", d.Masked(), what)}
	}
	d.User = cfg.User
	d.Database = cfg.DBName
	d.Host = cfg.Addr
	d.mysqlConfig = cfg
	return d, nil
}

var paramName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.]{0,63}$`)

// addSecrets records the password of a URL and the values of its secret
// parameters, for Redact.
func (d *DSN) addSecrets(u *url.URL, q url.Values) {
	if u.User != nil {
		if pw, ok := u.User.Password(); ok && pw != "" {
			d.secrets = append(d.secrets, pw)
		}
		// As typed, escapes and all.
		if _, raw, ok := strings.Cut(u.User.String(), ":"); ok && raw != "" {
			d.secrets = append(d.secrets, raw)
		}
	}
	for k, vs := range q {
		if secretParam(k) {
			for _, v := range vs {
				if v != "" {
					d.secrets = append(d.secrets, v, url.QueryEscape(v))
				}
			}
		}
	}
	for _, pair := range strings.Split(u.RawQuery, "&") {
		if k, v, ok := strings.Cut(pair, "="); ok && v != "" {
			if dk, err := url.QueryUnescape(k); err == nil && secretParam(dk) {
				d.secrets = append(d.secrets, v)
			}
		}
	}
}

// String returns the masked DSN, so that a DSN printed by accident never
// shows its password.
func (d *DSN) String() string { return d.Masked() }

// GoString is Masked too, for %#v.
func (d *DSN) GoString() string { return d.Masked() }

// Masked returns the DSN with its password, and the values of parameters
// that hold one (password=, sslpassword=), replaced by ***. It is built
// from the parsed parts; a fragment (#...) is left out.
func (d *DSN) Masked() string {
	if d.url != nil {
		u := *d.url
		u.Fragment, u.RawFragment = "", ""
		var pw bool
		if u.User != nil {
			if _, pw = u.User.Password(); pw {
				u.User = url.UserPassword(u.User.Username(), "xxxxx")
			}
		}
		var pairs []string
		for _, pair := range strings.Split(u.RawQuery, "&") {
			k, _, _ := strings.Cut(pair, "=")
			if dk, err := url.QueryUnescape(k); err != nil || secretParam(dk) {
				pair = k + "=***"
			}
			if pair != "" {
				pairs = append(pairs, pair)
			}
		}
		u.RawQuery = strings.Join(pairs, "&")
		s := u.String()
		if pw {
			s = strings.Replace(s, ":xxxxx@", ":***@", 1)
		}
		return s
	}
	if d.mysqlConfig != nil {
		c := d.mysqlConfig.Clone()
		c.Params = nil
		pw := c.Passwd != ""
		c.Passwd = "\x00"
		s := c.FormatDSN()
		if pw {
			return strings.Replace(s, ":\x00@", ":***@", 1)
		}
		return strings.Replace(s, ":\x00@", "@", 1)
	}
	return string(d.Dialect) + "://" + d.Host + "/" + d.Database
}

// Redact removes the DSN's password, and the values of its secret
// parameters, from a message (driver errors sometimes quote the
// connection string), as typed and escaped.
func (d *DSN) Redact(msg string) string {
	for _, s := range d.secrets {
		for _, form := range []string{s, url.QueryEscape(s), url.PathEscape(s)} {
			if form != "" {
				msg = strings.ReplaceAll(msg, form, "***")
			}
		}
	}
	return msg
}

// Reason returns a driver's message about the DSN, one line, without the
// copy of the DSN the driver may quote (pgx's "cannot parse `...`: ") and
// with the password removed.
func (d *DSN) Reason(err error) string {
	msg := err.Error()
	if strings.HasPrefix(msg, "cannot parse `") {
		if i := strings.LastIndex(msg, "`: "); i >= 0 {
			msg = msg[i+3:]
		}
	}
	return OneLine(d.Redact(msg))
}

// URL returns the DSN as given, password included, for the driver only.
func (d *DSN) URL() string { return d.raw }

// MySQLConfig returns a copy of the go-sql-driver configuration of a MySQL DSN.
func (d *DSN) MySQLConfig() *mysql.Config {
	if d.mysqlConfig == nil {
		return nil
	}
	return d.mysqlConfig.Clone()
}
