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
	"github.com/seamsdev/seams/schema"
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
	if cfg == nil || cfg.DSN == nil || cfg.DSN.Family != introspect.FamilyPostgres {
		return &introspect.UsageError{Msg: "usage: pg_stat_statements needs a PostgreSQL DSN"}
	}
	d := cfg.DSN
	src := schema.UsageSource{Kind: schema.SourcePgStatStatements, Location: d.Masked()}
	fail := func(err error) error {
		return fmt.Errorf("usage %s: %s", d.Masked(), oneLine(d.Redact(err.Error())))
	}
	pcfg, err := pgx.ParseConfig(d.URL())
	if err != nil {
		return &introspect.UsageError{Msg: fmt.Sprintf("malformed PostgreSQL DSN %s", d.Masked())}
	}
	pcfg.ConnectTimeout = cfg.ConnectTimeoutOrDefault()
	if pcfg.RuntimeParams == nil {
		pcfg.RuntimeParams = map[string]string{}
	}
	pcfg.RuntimeParams["application_name"] = introspect.ApplicationName
	cfg.Step("connect")
	conn, err := pgx.ConnectConfig(ctx, pcfg)
	if err != nil {
		return fail(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		conn.Close(ctx)
	}()
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	ms := cfg.StatementTimeoutOrDefault().Milliseconds()
	if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL statement_timeout = %d", ms)); err != nil {
		return fail(err)
	}
	if _, err := tx.Exec(ctx, fmt.Sprintf("SET LOCAL lock_timeout = %d", min(ms, 5000))); err != nil {
		return fail(err)
	}

	cfg.Step("pg_stat_statements")
	// shared_preload_libraries is readable only with pg_read_all_settings:
	// through pg_settings, which hides it from other roles, rather than
	// current_setting, which fails.
	var extSchema, user string
	var preload *string
	var readAll bool
	err = tx.QueryRow(ctx, `SELECT COALESCE((SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
  WHERE e.extname = 'pg_stat_statements'), ''), (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries'), current_user,
  pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')`).Scan(&extSchema, &preload, &user, &readAll)
	if err != nil {
		return fail(err)
	}
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
		src.Notes = append(src.Notes, fmt.Sprintf("pg_stat_statements is not installed in database %s and not in shared_preload_libraries; %s", pcfg.Database, pgEnable))
	case extSchema == "":
		src.Notes = append(src.Notes, fmt.Sprintf("pg_stat_statements is not installed in database %s: CREATE EXTENSION pg_stat_statements (as a superuser or the database owner; the library must be in shared_preload_libraries)", pcfg.Database))
	case !loaded:
		src.Notes = append(src.Notes, "the pg_stat_statements extension exists but the library is not loaded; "+pgEnable)
	}
	if len(src.Notes) > 0 {
		b.AddSource(src)
		return nil
	}
	if !readAll {
		src.Notes = append(src.Notes, fmt.Sprintf(pgPrivilege, user, quoteIdent(user)))
	}
	// The start of the window (PostgreSQL 14 and later), read in a
	// savepoint: older servers lack the view.
	if _, err := tx.Exec(ctx, "SAVEPOINT seams_usage"); err != nil {
		return fail(err)
	}
	var since *time.Time
	if err := tx.QueryRow(ctx, "SELECT stats_reset FROM "+quoteIdent(extSchema)+".pg_stat_statements_info").Scan(&since); err != nil {
		if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT seams_usage"); err != nil {
			return fail(err)
		}
	} else if since != nil {
		src.Since = since.UTC().Format(time.RFC3339)
	}

	rows, err := tx.Query(ctx, `SELECT COALESCE(s.queryid::text, ''), COALESCE(s.query, ''), s.calls, COALESCE(r.rolname, '')
FROM `+quoteIdent(extSchema)+`.pg_stat_statements s LEFT JOIN pg_roles r ON r.oid = s.userid
WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) {
			src.Notes = append(src.Notes, "cannot read pg_stat_statements: "+oneLine(pe.Message)+"; "+pgEnable)
			b.AddSource(src)
			return nil
		}
		return fail(err)
	}
	defer rows.Close()
	hidden := 0
	for rows.Next() {
		var r Raw
		if err := rows.Scan(&r.Digest, &r.Text, &r.Calls, &r.User); err != nil {
			return fail(err)
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
			src.Notes = append(src.Notes, "cannot read pg_stat_statements: "+oneLine(pe.Message)+"; "+pgEnable)
			b.AddSource(src)
			return nil
		}
		return fail(err)
	}
	if hidden > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d statements of other roles were hidden (<insufficient privilege>)", hidden))
	}
	src.Available = true
	b.AddSource(src)
	return nil
}

// quoteIdent quotes a PostgreSQL identifier.
func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// oneLine folds a message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
