package usage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/seamsdev/seams/introspect"
	intropg "github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// Notes on enabling pg_stat_statements, shown when it is unavailable.
const (
	pgEnable = "enable it: add pg_stat_statements to shared_preload_libraries in postgresql.conf " +
		"(or ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'), restart the server, " +
		"then CREATE EXTENSION pg_stat_statements in this database"
	pgPrivilege = "statements of other roles show as <insufficient privilege> to role %s: " +
		"GRANT pg_read_all_stats TO %s to see them"
)

// ReadPostgres reads pg_stat_statements of the database cfg.DSN names into
// b: every statement run in that database, its calls and the role that ran
// it. It connects once and reads in one read-only transaction with the
// configured statement timeout, creating nothing. When the extension is
// missing, not preloaded or not readable, the source is recorded as
// unavailable with the reason and how to enable it, and the error is nil;
// the error is for failures to connect or to read (one line, password
// masked).
func ReadPostgres(ctx context.Context, cfg *introspect.Config, b *Builder) error {
	if cfg == nil || cfg.DSN == nil || cfg.DSN.Dialect != schema.DialectPostgres {
		return &introspect.UsageError{Msg: "usage: pg_stat_statements needs a PostgreSQL DSN"}
	}
	src := schema.UsageSource{Kind: schema.SourcePgStatStatements, Location: cfg.DSN.Masked()}
	return intropg.ReadOnly(ctx, cfg, "usage", func(ctx context.Context, conn *pgx.Conn, sess intropg.Session) error {
		return readStatements(ctx, cfg, conn, sess.Database, src, b)
	})
}

// readStatements reads pg_stat_statements in the read-only transaction on
// conn; database is the database connected to, for notes.
func readStatements(ctx context.Context, cfg *introspect.Config, conn *pgx.Conn, database string, src schema.UsageSource, b *Builder) error {
	cfg.Step("pg_stat_statements")
	// shared_preload_libraries is readable only with pg_read_all_settings:
	// through pg_settings, which hides it from other roles, rather than
	// current_setting, which fails.
	var extSchema, user string
	var preload *string
	var readAll bool
	var now time.Time
	err := conn.QueryRow(ctx, `SELECT COALESCE((SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'pg_stat_statements'), ''), (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'), current_user,
  pg_has_role(current_user, 'pg_read_all_stats', 'USAGE'), now()`).Scan(&extSchema, &preload, &user, &readAll, &now)
	if err != nil {
		return err
	}
	src.Until = now.UTC().Format(time.RFC3339)
	loaded := preload == nil // unknown: reading the view will tell
	if preload != nil {
		for _, l := range strings.Split(*preload, ",") {
			if strings.Trim(strings.TrimSpace(l), `"`) == "pg_stat_statements" {
				loaded = true
			}
		}
	}
	switch {
	case extSchema == "" && !loaded:
		src.Notes = append(src.Notes, fmt.Sprintf("pg_stat_statements is not installed in database %s and not in shared_preload_libraries; %s", database, pgEnable))
	case extSchema == "":
		src.Notes = append(src.Notes, fmt.Sprintf("pg_stat_statements is not installed in database %s: CREATE EXTENSION pg_stat_statements (as a superuser or the database owner; the library must be in shared_preload_libraries)", database))
	case !loaded:
		src.Notes = append(src.Notes, "the pg_stat_statements extension exists but the library is not loaded; "+pgEnable)
	}
	if len(src.Notes) > 0 {
		b.AddSource(src)
		return nil
	}
	if !readAll {
		src.Notes = append(src.Notes, fmt.Sprintf(pgPrivilege, user, sqlident.Postgres(user)))
	}
	// The start of the window (PostgreSQL 14 and later), read in a
	// savepoint: older servers lack the view.
	if _, err := conn.Exec(ctx, "SAVEPOINT seams_usage"); err != nil {
		return err
	}
	var since *time.Time
	if err := conn.QueryRow(ctx, "SELECT stats_reset FROM "+sqlident.Postgres(extSchema)+".pg_stat_statements_info").Scan(&since); err != nil {
		if _, err := conn.Exec(ctx, "ROLLBACK TO SAVEPOINT seams_usage"); err != nil {
			return err
		}
	} else if since != nil {
		src.Since = since.UTC().Format(time.RFC3339)
	}

	rows, err := conn.Query(ctx, `SELECT COALESCE(s.queryid::text, ''), COALESCE(s.query, ''), s.calls, COALESCE(r.rolname, '')
FROM `+sqlident.Postgres(extSchema)+`.pg_stat_statements s LEFT JOIN pg_roles r ON r.oid = s.userid
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			src.Notes = append(src.Notes, "cannot read pg_stat_statements: "+introspect.OneLine(pe.Message)+"; "+pgEnable)
			b.AddSource(src)
			return nil
		}
		return err
	}
	defer rows.Close()
	hidden := 0
	for rows.Next() {
		var r Raw
		if err := rows.Scan(&r.Digest, &r.Text, &r.Calls, &r.User); err != nil {
			return err
		}
		src.Statements++
		if r.Text == "<insufficient privilege>" {
			hidden++
			continue
		}
		r.Source = schema.SourcePgStatStatements
		b.Add(r)
	}
	if err := rows.Err(); err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			src.Notes = append(src.Notes, "cannot read pg_stat_statements: "+introspect.OneLine(pe.Message)+"; "+pgEnable)
			b.AddSource(src)
			return nil
		}
		return err
	}
	if hidden > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d statements of other roles were hidden (<insufficient privilege>)", hidden))
	}
	src.Available = true
	b.AddSource(src)
	return nil
}
