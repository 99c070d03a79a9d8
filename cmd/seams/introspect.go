package main

import (
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/render/summary"
	"github.com/spf13/cobra"
)

func newIntrospectCmd() *cobra.Command {
	var (
		src       sourceFlags
		out       string
		withUsage bool
		codeRoot  string
		logs      []string
	)
	c := &cobra.Command{
		Use:   "introspect",
		Short: "Read a database catalog into a snapshot",
		Long: `introspect reads the catalog of a live PostgreSQL (13+) or MySQL 8 / MariaDB 10.6+ database
in one read-only transaction: schemas, tables, columns, keys, indexes, foreign keys, views,
triggers and activity counters. With -o it writes a snapshot file that every other command
reads with --snapshot; without -o it prints a one-screen summary.

It never writes to the database, creates no objects, bounds every query with a statement
timeout and works for a role that can only connect and read the catalog.

With --schema-file it reads the same model from a DDL file instead, with no database:
pg_dump --schema-only, a Rails db/structure.sql, mysqldump --no-data or a hand-written
schema.sql (the dialect is detected, or given with --schema-dialect). Row estimates, sizes
and activity counters are then unknown; statements it cannot parse are listed as warnings.`,
		Example: `  seams introspect --dsn postgres://app:secret@localhost:5432/shop -o snapshot.json
  seams introspect --dsn postgres://app@db/shop --schema public --schema billing --exclude 'tmp_*'
  seams introspect --dsn mysql://app:secret@localhost:3306/shop
  SEAMS_DSN='app:secret@tcp(localhost:3306)/shop' seams introspect -o shop.json
  seams introspect --snapshot snapshot.json          # summarise an existing snapshot
  seams introspect --schema-file db/structure.sql -o snapshot.json   # no database
  seams introspect --dsn postgres://seams@staging/shop --usage -o shop.json`,
		Args: argsNone,
		RunE: func(c *cobra.Command, _ []string) error {
			p := newProgress(c.ErrOrStderr())
			if !withUsage && (codeRoot != "" || len(logs) > 0) {
				return usagef("--code-root and --log go with --usage")
			}
			if withUsage && src.snapshot != "" {
				return usagef("--usage reads the server's statistics: use it with --dsn (for a snapshot, run 'seams usage --snapshot')")
			}
			if out != "" && src.snapshot != "" {
				return usagef("-o writes a snapshot read from a database; with --snapshot there is nothing new to write")
			}
			if err := checkOutputs([]string{out}, nil); err != nil {
				return err
			}
			snap, err := src.load(c.Context(), p)
			if err != nil {
				return err
			}
			if withUsage {
				u, err := collectUsage(c.Context(), snap, &src, usageSources{stats: true, codeRoot: codeRoot, logs: logs}, p)
				if err != nil {
					return err
				}
				snap.Usage = u
				infer.Refresh(snap) // the statements' joins are evidence
				warnUnavailable(c.ErrOrStderr(), u)
			}
			if out != "" {
				return snap.WriteFile(out)
			}
			return summary.Write(c.OutOrStdout(), snap)
		},
	}
	src.register(c, true)
	c.Flags().BoolVar(&withUsage, "usage", false, "also read who reads and writes which table (server statistics, and --code-root, --log) into the snapshot, as 'seams usage' does")
	c.Flags().StringVar(&codeRoot, "code-root", "", "with --usage: scan the application's source tree under this directory")
	c.Flags().StringArrayVar(&logs, "log", nil, "with --usage: read a query log file (repeatable)")
	c.Flags().StringVarP(&out, "output", "o", "", "write the snapshot to this file (JSON) instead of printing a summary")
	return c
}
