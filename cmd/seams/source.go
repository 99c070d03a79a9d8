package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ddl"
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/source"
	"github.com/spf13/cobra"
)

// sourceFlags are the flags that say where a snapshot comes from: a live
// database (--dsn or SEAMS_DSN), a snapshot file (--snapshot) or a DDL
// file (--schema-file).
type sourceFlags struct {
	dsn              string
	snapshot         string
	schemaFile       string
	schemaDialect    string
	database         string
	schemas          []string
	exclude          []string
	statementTimeout time.Duration
	connectTimeout   time.Duration
	timeout          time.Duration
	allowSnapshot    bool
	// verifyData and inferThreshold: see introspect.Config; inferThreshold
	// is also the score from which the plan uses an inferred reference.
	verifyData     bool
	inferThreshold float64
}

func (f *sourceFlags) register(c *cobra.Command, allowSnapshot bool) {
	fs := c.Flags()
	fs.StringVar(&f.dsn, "dsn", "", "database to read: postgres://user:pw@host:5432/db, mysql://user:pw@host:3306/db or user:pw@tcp(host:3306)/db (default $SEAMS_DSN)")
	if allowSnapshot {
		fs.StringVar(&f.snapshot, "snapshot", "", "read a snapshot file written by 'seams introspect -o' instead of a database")
	}
	f.allowSnapshot = allowSnapshot
	fs.StringVar(&f.schemaFile, "schema-file", "", "read the schema from a DDL file instead of a database: pg_dump --schema-only, a Rails structure.sql, mysqldump --no-data or a schema.sql")
	fs.StringVar(&f.schemaDialect, "schema-dialect", "", "the dialect of --schema-file: postgres, mysql or mariadb (default: detected from the file)")
	fs.StringVar(&f.database, "database", "", "the database --schema-file describes (default: the one the file names, else the file's name without extension); the schema of every MySQL table")
	fs.StringArrayVar(&f.schemas, "schema", nil, "PostgreSQL schema to read (repeatable; default every non-system schema)")
	fs.StringArrayVar(&f.exclude, "exclude", nil, "leave out tables matching this pattern, e.g. 'tmp_*' or 'audit.*' (repeatable)")
	fs.DurationVar(&f.statementTimeout, "statement-timeout", introspect.DefaultStatementTimeout, "timeout of each catalog query")
	fs.DurationVar(&f.connectTimeout, "connect-timeout", introspect.DefaultConnectTimeout, "timeout of the connection")
	fs.DurationVar(&f.timeout, "timeout", introspect.DefaultRunTimeout, "deadline of the whole read of the database")
	fs.BoolVar(&f.verifyData, "verify-data", false, "with --dsn: check each inferred reference of at least --infer-threshold against the data, one bounded anti-join each (reads table rows)")
	fs.Float64Var(&f.inferThreshold, "infer-threshold", infer.DefaultThreshold, "score (0 to 1) from which an inferred reference is checked (--verify-data) and used by the plan and the diagrams")
}

// live reports whether the flags name a live database rather than a file.
func (f *sourceFlags) live() bool { return f.snapshot == "" && f.schemaFile == "" }

// source returns the source the flags name, checked.
func (f *sourceFlags) source(p *progress) (source.Source, error) {
	given := 0
	for _, s := range []string{f.dsn, f.snapshot, f.schemaFile} {
		if s != "" {
			given++
		}
	}
	if f.schemaFile == "" && (f.schemaDialect != "" || f.database != "") {
		return nil, usagef("--schema-dialect and --database go with --schema-file")
	}
	switch {
	case given > 1:
		return nil, usagef("--dsn, --snapshot and --schema-file are mutually exclusive: give one")
	case f.inferThreshold < 0 || f.inferThreshold > 1:
		return nil, usagef("--infer-threshold %v: want a score from 0 to 1", f.inferThreshold)
	case !f.live() && f.verifyData:
		return nil, usagef("--verify-data reads the database's rows: use it with --dsn, not with a file")
	case f.schemaFile != "":
		return f.ddl(p)
	case f.snapshot != "":
		if len(f.schemas) > 0 || len(f.exclude) > 0 {
			return nil, usagef("--schema and --exclude apply to --dsn only, not to --snapshot")
		}
		return source.File{Path: f.snapshot}, nil
	}
	cfg, err := f.config(p)
	if err != nil {
		return nil, err
	}
	return source.NewLive(cfg)
}

// ddl returns the DDL file the flags name. Its passed-over statements are
// warnings on stderr.
func (f *sourceFlags) ddl(p *progress) (source.Source, error) {
	var engine schema.Engine
	switch strings.ToLower(f.schemaDialect) {
	case "":
	case "postgres", "postgresql":
		engine = schema.Postgres
	case "mysql":
		engine = schema.MySQL
	case "mariadb":
		engine = schema.MariaDB
	default:
		return nil, usagef("--schema-dialect %q: want postgres, mysql or mariadb", f.schemaDialect)
	}
	pc := &introspect.Config{Exclude: f.exclude}
	if err := pc.ValidatePatterns(); err != nil {
		return nil, err
	}
	return source.DDL{
		Path: f.schemaFile,
		Options: ddl.Options{
			Engine: engine, Database: f.database, Schemas: f.schemas, Exclude: f.exclude,
			SeamsVersion: seamsVersion(),
		},
		Warn: func(msg string) { p.Warn(msg) },
	}, nil
}

// load returns the snapshot the flags name.
func (f *sourceFlags) load(ctx context.Context, p *progress) (*schema.Snapshot, error) {
	src, err := f.source(p)
	if err != nil {
		return nil, err
	}
	defer p.Done()
	snap, err := src.Snapshot(ctx)
	if err != nil && !f.live() {
		return nil, inputError(err)
	}
	return snap, err
}

// engine returns the live database the flags name, for commands that read
// more than the catalog from it (usage statistics, rows of static data).
func (f *sourceFlags) engine(p *progress) (*source.Live, error) {
	cfg, err := f.config(p)
	if err != nil {
		return nil, err
	}
	return source.NewLive(cfg)
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
			return nil, usagef("no input: pass --dsn, set SEAMS_DSN, or pass --snapshot FILE or --schema-file FILE")
		}
		return nil, usagef("no database given: pass --dsn or set SEAMS_DSN")
	}
	if f.statementTimeout <= 0 || f.connectTimeout <= 0 || f.timeout <= 0 {
		return nil, usagef("--statement-timeout, --connect-timeout and --timeout must be positive")
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
		RunTimeout:       f.timeout,
		Progress:         p.Step,
		SeamsVersion:     seamsVersion(),
		VerifyData:       f.verifyData,
		InferThreshold:   f.inferThreshold,
	}
	if err := cfg.ValidatePatterns(); err != nil {
		return nil, err
	}
	if len(f.schemas) > 0 && d.Dialect != schema.DialectPostgres {
		return nil, usagef("--schema applies to PostgreSQL only; a MySQL DSN names its database")
	}
	return cfg, nil
}

// mapFlags locate the contexts map.
type mapFlags struct {
	path     string
	optional bool
	// warned are the map's warnings printed already: a command that
	// resolves the map against two snapshots (seams diff) says each once.
	warned map[string]bool
}

func (f *mapFlags) register(c *cobra.Command, optional bool) {
	f.optional = optional
	help := "the contexts map (default seams.yaml or contexts.yaml in the working directory)"
	if optional {
		help = "the contexts map (default seams.yaml or contexts.yaml in the working directory; without one, tables are grouped by schema)"
	}
	c.Flags().StringVar(&f.path, "contexts", "", help)
}

// assignment loads the map and resolves it against s. Warnings go to stderr.
func (f *mapFlags) assignment(s *schema.Snapshot, stderr io.Writer) (*contexts.Assignment, error) {
	path := f.path
	if path == "" {
		found, err := contexts.Find(".")
		if errors.Is(err, contexts.ErrNoMap) && f.optional {
			return contexts.BySchema(s), nil
		}
		if err != nil {
			return nil, usagef("%v (or pass --contexts FILE)", err)
		}
		path = found
	}
	m, err := contexts.Load(path)
	if err != nil {
		return nil, inputError(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		var ce *contexts.Error
		if errors.As(err, &ce) {
			return nil, usageError{err}
		}
		return nil, err
	}
	for _, w := range a.Warnings {
		line := introspect.OneLine(w.Error())
		if f.warned[line] {
			continue
		}
		if f.warned == nil {
			f.warned = map[string]bool{}
		}
		f.warned[line] = true
		fmt.Fprintf(stderr, "seams: warning: %s\n", line)
	}
	return a, nil
}

// analysisFlags are what every analysing command reads: the source, the
// contexts map, a usage snapshot to take the usage from, and the rules'
// options.
type analysisFlags struct {
	src       sourceFlags
	cm        mapFlags
	usageFile string
	threshold int64
	// outline builds the plan without its steps' SQL (plan.Options), for
	// the commands that show none of it.
	outline bool
}

func (f *analysisFlags) register(c *cobra.Command, mapOptional bool) {
	f.src.register(c, true)
	f.cm.register(c, mapOptional)
	c.Flags().StringVar(&f.usageFile, "usage", "", "use the usage of this snapshot written by 'seams usage -o' (default: the usage in the snapshot read, if any)")
	c.Flags().Int64Var(&f.threshold, "static-threshold", ownership.DefaultStaticRowThreshold, "row estimate under which a table shared by two or more contexts counts as static reference data")
}

// run is the one pipeline of every analysing command: read the snapshot
// from its source, take the usage from --usage if given, resolve the
// contexts map, and analyse (ownership, attributed usage, plan).
func (f *analysisFlags) run(ctx context.Context, stderr io.Writer, p *progress) (*analysis.Analysis, error) {
	if f.threshold < 0 {
		return nil, usagef("--static-threshold must not be negative")
	}
	snap, err := f.src.load(ctx, p)
	if err != nil {
		return nil, err
	}
	if err := attachUsage(snap, f.usageFile); err != nil {
		return nil, err
	}
	return f.analyse(snap, stderr)
}

// analyse resolves the contexts map against snap and analyses it.
func (f *analysisFlags) analyse(snap *schema.Snapshot, stderr io.Writer) (*analysis.Analysis, error) {
	a, err := f.cm.assignment(snap, stderr)
	if err != nil {
		return nil, err
	}
	if f.cm.path == "" && a.BySchema {
		fmt.Fprintln(stderr, "seams: no contexts map (seams.yaml or contexts.yaml): grouping tables by schema")
	}
	return analysis.Run(snap, a, analysis.Options{Ownership: ownership.Options{StaticRowThreshold: f.threshold},
		Plan: plan.Options{InferThreshold: f.src.inferThreshold, Outline: f.outline}})
}
