package usage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/seamsdev/seams/introspect"
	intromysql "github.com/seamsdev/seams/introspect/mysql"
	"github.com/seamsdev/seams/schema"
)

// myEnable says how to turn performance_schema on.
const myEnable = "performance_schema is off (MariaDB's default): set performance_schema = ON under [mysqld] in my.cnf and restart the server"

// ReadMySQL reads the statement digests of the database cfg.DSN names from
// performance_schema.events_statements_summary_by_digest into b, and the
// per-table I/O counters from table_io_waits_summary_by_table. It reads in
// one read-only transaction with the configured statement timeout.
//
// The digest summary does not record who ran a statement. Digests are
// attributed to users from events_statements_history_long joined with
// threads, when that consumer is on: a sample of the most recent statements
// of the connections still open; a digest seen from several users has its
// calls apportioned by the sample. Other digests stay unattributed, and the
// source's notes say so.
func ReadMySQL(ctx context.Context, cfg *introspect.Config, b *Builder) error {
	if cfg == nil || cfg.DSN == nil || cfg.DSN.MySQLConfig() == nil {
		return &introspect.UsageError{Msg: "usage: performance_schema needs a MySQL DSN"}
	}
	src := schema.UsageSource{Kind: schema.SourcePerformanceSchema, Location: cfg.DSN.Masked()}
	return intromysql.ReadOnly(ctx, cfg, "usage", func(ctx context.Context, conn *sql.Conn, sess intromysql.Session) error {
		return readDigests(ctx, cfg, conn, sess, src, b)
	})
}

// readDigests reads performance_schema in the read-only transaction on
// conn.
func readDigests(ctx context.Context, cfg *introspect.Config, conn *sql.Conn, sess intromysql.Session, src schema.UsageSource, b *Builder) error {
	if !sess.PerformanceSchema {
		src.Notes = append(src.Notes, myEnable)
		b.AddSource(src)
		return nil
	}
	cfg.Step("performance_schema")
	consumers := map[string]bool{}
	if err := each(ctx, conn, func(rows *sql.Rows) error {
		var name, enabled string
		if err := rows.Scan(&name, &enabled); err != nil {
			return err
		}
		consumers[name] = enabled == "YES"
		return nil
	}, "SELECT NAME, ENABLED FROM performance_schema.setup_consumers"); err != nil {
		if isDenied(err) {
			src.Notes = append(src.Notes, fmt.Sprintf("cannot read performance_schema: GRANT SELECT ON performance_schema.* TO %s", sess.Grantee()))
			b.AddSource(src)
			return nil
		}
		return err
	}
	if !consumers["statements_digest"] {
		src.Notes = append(src.Notes, "the statements_digest consumer is off: UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME = 'statements_digest' (or performance-schema-consumer-statements-digest = ON in my.cnf)")
		b.AddSource(src)
		return nil
	}

	// Who ran which digest, from the history of the open connections.
	byUser := map[string]map[string]int64{}
	if consumers["events_statements_history_long"] && consumers["events_statements_current"] {
		err := each(ctx, conn, func(rows *sql.Rows) error {
			var digest, user string
			var n int64
			if err := rows.Scan(&digest, &user, &n); err != nil {
				return err
			}
			if byUser[digest] == nil {
				byUser[digest] = map[string]int64{}
			}
			byUser[digest][user] += n
			return nil
		}, `SELECT h.DIGEST, t.PROCESSLIST_USER, COUNT(*) FROM performance_schema.events_statements_history_long h
 JOIN performance_schema.threads t ON t.THREAD_ID = h.THREAD_ID
 WHERE h.DIGEST IS NOT NULL AND t.PROCESSLIST_USER IS NOT NULL
 GROUP BY h.DIGEST, t.PROCESSLIST_USER`)
		if err != nil {
			return err
		}
	} else {
		src.Notes = append(src.Notes, "the events_statements_current and events_statements_history_long consumers are off, so no digest can be attributed to a user: "+
			"UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('events_statements_current', 'events_statements_history_long')")
	}

	attributed, total := 0, 0
	var lost int64
	err := each(ctx, conn, func(rows *sql.Rows) error {
		var digest, text, schemaName sql.NullString
		var calls int64
		if err := rows.Scan(&digest, &text, &calls, &schemaName); err != nil {
			return err
		}
		if !digest.Valid {
			lost += calls // the row that counts what did not fit
			return nil
		}
		if !text.Valid {
			return nil
		}
		text.String = digestText(text.String)
		src.Statements++
		total++
		r := Raw{Source: schema.SourcePerformanceSchema, Text: text.String, Digest: digest.String, Calls: calls, Schema: schemaName.String}
		users := byUser[digest.String]
		if len(users) == 0 {
			b.Add(r)
			return nil
		}
		attributed++
		var sum int64
		for _, n := range users {
			sum += n
		}
		left := calls
		names := sortedKeys(users)
		for i, u := range names {
			share := calls * users[u] / sum
			if i == len(names)-1 {
				share = left
			}
			left -= share
			ru := r
			ru.User, ru.Calls = u, share
			b.Add(ru)
		}
		return nil
	}, `SELECT DIGEST, DIGEST_TEXT, COUNT_STAR, SCHEMA_NAME FROM performance_schema.events_statements_summary_by_digest
 WHERE SCHEMA_NAME = DATABASE() OR SCHEMA_NAME IS NULL OR DIGEST IS NULL`)
	if err != nil {
		return err
	}
	// The window: performance_schema keeps no reset time; the oldest
	// digest's first sighting is a lower bound of its start.
	var age *int64
	var utc string
	if err := conn.QueryRowContext(ctx, `SELECT TIMESTAMPDIFF(SECOND, MIN(FIRST_SEEN), NOW()), DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%dT%H:%i:%sZ')
 FROM performance_schema.events_statements_summary_by_digest`).Scan(&age, &utc); err != nil {
		return err
	}
	now, err := time.Parse(time.RFC3339, utc)
	if err != nil {
		return fmt.Errorf("performance_schema: the server's time %q: %w", utc, err)
	}
	src.Until = now.UTC().Format(time.RFC3339)
	if age != nil {
		src.Since = now.Add(-time.Duration(*age) * time.Second).UTC().Format(time.RFC3339)
	}
	if lost > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d statements (of any database) were not digested because the digest table was full: raise performance_schema_digests_size, "+
			"or TRUNCATE TABLE performance_schema.events_statements_summary_by_digest to start a new window", lost))
	}
	if total > attributed {
		src.Notes = append(src.Notes, fmt.Sprintf("%d of %d digests are unattributed: the digest summary does not record the user, and only statements still in events_statements_history_long of open connections can be attributed", total-attributed, total))
	}
	if attributed > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d digests attributed to users from events_statements_history_long (a sample; calls apportioned by it)", attributed))
	}

	// Per-table I/O.
	err = each(ctx, conn, func(rows *sql.Rows) error {
		var s, t string
		var rd, wr int64
		if err := rows.Scan(&s, &t, &rd, &wr); err != nil {
			return err
		}
		b.AddTableIO(s, t, rd, wr)
		return nil
	}, `SELECT OBJECT_SCHEMA, OBJECT_NAME, COUNT_READ, COUNT_WRITE FROM performance_schema.table_io_waits_summary_by_table
 WHERE OBJECT_TYPE = 'TABLE' AND OBJECT_SCHEMA = DATABASE()`)
	if err != nil {
		return err
	}
	src.Available = true
	b.AddSource(src)
	return nil
}

// digestValueList is MariaDB's digest of a value list: "?, ..." (with the
// items that are not literals after it).
var digestValueList = regexp.MustCompile(`\?, \.\.\. ?`)

// digestText rewrites what digest texts hold that no SQL grammar accepts
// and that changes nothing about the tables: MariaDB's "( ?, ... , NOW , ?
// )" value lists become "( ? , NOW , ? )".
func digestText(s string) string {
	if !strings.Contains(s, "?, ...") {
		return s
	}
	return digestValueList.ReplaceAllString(s, "? ")
}

// each runs a query and calls fn for every row.
func each(ctx context.Context, conn *sql.Conn, fn func(*sql.Rows) error, q string, args ...any) error {
	rows, err := conn.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func isDenied(err error) bool {
	var me *mysql.MySQLError
	return errors.As(err, &me) && (me.Number == 1142 || me.Number == 1044 || me.Number == 1227)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
