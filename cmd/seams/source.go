package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/introspect/mysql"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
	"github.com/spf13/cobra"
)

// sourceFlags are the flags that say where a snapshot comes from: a live
// database (--dsn or SEAMS_DSN) or a snapshot file (--snapshot).
type sourceFlags struct {
	dsn              string
	snapshot         string
	schemas          []string
	exclude          []string
	statementTimeout time.Duration
	connectTimeout   time.Duration
	allowSnapshot    bool
}

func (f *sourceFlags) register(c *cobra.Command, allowSnapshot bool) {
	fs := c.Flags()
	fs.StringVar(&f.dsn, "dsn", "", "database to read: postgres://user:pw@host:5432/db, mysql://user:pw@host:3306/db or user:pw@tcp(host:3306)/db (default $SEAMS_DSN)")
	if allowSnapshot {
		fs.StringVar(&f.snapshot, "snapshot", "", "read a snapshot file written by 'seams introspect -o' instead of a database")
	}
	f.allowSnapshot = allowSnapshot
	fs.StringArrayVar(&f.schemas, "schema", nil, "PostgreSQL schema to read (repeatable; default every non-system schema)")
	fs.StringArrayVar(&f.exclude, "exclude", nil, "leave out tables matching this pattern, e.g. 'tmp_*' or 'audit.*' (repeatable)")
	fs.DurationVar(&f.statementTimeout, "statement-timeout", introspect.DefaultStatementTimeout, "timeout of each catalog query")
	fs.DurationVar(&f.connectTimeout, "connect-timeout", introspect.DefaultConnectTimeout, "timeout of the connection")
}

// load returns the snapshot named by the flags.
func (f *sourceFlags) load(ctx context.Context, p *progress) (*schema.Snapshot, error) {
	switch {
	case f.snapshot != "" && f.dsn != "":
		return nil, usagef("--dsn and --snapshot are mutually exclusive: give one")
	case f.snapshot != "":
		if len(f.schemas) > 0 || len(f.exclude) > 0 {
			return nil, usagef("--schema and --exclude apply to --dsn only, not to --snapshot")
		}
		return schema.ReadFile(f.snapshot)
	}
	cfg, err := f.config(p)
	if err != nil {
		return nil, err
	}
	defer p.Done()
	return introspectDB(ctx, cfg)
}

// config returns the configuration for reading the database the flags name
// (--dsn, else SEAMS_DSN), checked.
func (f *sourceFlags) config(p *progress) (*introspect.Config, error) {
	dsn := f.dsn
	if dsn == "" {
		dsn = os.Getenv("SEAMS_DSN")
	}
	if dsn == "" {
		if f.allowSnapshot {
			return nil, usagef("no input: pass --dsn, set SEAMS_DSN, or pass --snapshot FILE")
		}
		return nil, usagef("no database given: pass --dsn or set SEAMS_DSN")
	}
	if f.statementTimeout <= 0 || f.connectTimeout <= 0 {
		return nil, usagef("--statement-timeout and --connect-timeout must be positive")
	}
	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg := &introspect.Config{
		DSN:              d,
		Schemas:          f.schemas,
		Exclude:          f.exclude,
		StatementTimeout: f.statementTimeout,
		ConnectTimeout:   f.connectTimeout,
		Progress:         p.Step,
		SeamsVersion:     seamsVersion(),
	}
	if err := cfg.ValidatePatterns(); err != nil {
		return nil, err
	}
	if len(f.schemas) > 0 && d.Family != introspect.FamilyPostgres {
		return nil, usagef("--schema applies to PostgreSQL only; a MySQL DSN names its database")
	}
	return cfg, nil
}

// introspectDB reads a live database with the engine its DSN names.
func introspectDB(ctx context.Context, cfg *introspect.Config) (*schema.Snapshot, error) {
	switch cfg.DSN.Family {
	case introspect.FamilyPostgres:
		return postgres.Introspect(ctx, cfg)
	case introspect.FamilyMySQL:
		return mysql.Introspect(ctx, cfg)
	}
	return nil, fmt.Errorf("introspect %s: unsupported engine", cfg.DSN.Masked())
}
