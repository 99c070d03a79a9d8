package main

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/usage"
	"github.com/spf13/cobra"
)

func newUsageCmd() *cobra.Command {
	var (
		in       analysisFlags
		codeRoot string
		logs     []string
		noStats  bool
		out      string
		format   string
	)
	c := &cobra.Command{
		Use:   "usage",
		Short: "Find who reads and writes which table: statistics, code and logs",
		Long: `usage finds the coupling that lives in the queries: which context reads and writes which
table, which statements join tables of several contexts, which code writes tables of several
contexts in one go. It reads, each when available:

  - with --dsn, the server's statement statistics: PostgreSQL pg_stat_statements (statements,
    calls and the role that ran them) or MySQL/MariaDB performance_schema digests and table I/O;
  - with --code-root, the application's source code: SQL in string literals of Go, Java, Kotlin,
    C#, Python, Ruby, PHP and JavaScript/TypeScript, .sql files, and ORM table declarations;
  - with --log, query log files (PostgreSQL log_statement output, MySQL general log).

Statements are parsed with the database's own grammar into the tables and columns they read
and write. -o writes the snapshot with the usage added: facts only (who ran what, where it is
in the code), so the same file serves any contexts map. What is printed is the usage
attributed to the contexts map: roles: lists the database roles (or application names) each
context connects as, code: the globs of its source files relative to --code-root. A source
that cannot be read says why and how to enable it. --format text prints a context x table
matrix; --format json the attributed usage.`,
		Example: `  seams usage --dsn postgres://seams@staging/shop --contexts contexts.yaml -o shop-usage.json
  seams usage --snapshot snapshot.json --contexts contexts.yaml --code-root ./src
  seams usage --dsn 'mysql://seams@db:3306/shop' --contexts contexts.yaml --log /var/log/mysql/general.log
  seams plan --snapshot shop-usage.json --contexts contexts.yaml`,
		Args: argsNone,
		RunE: func(c *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usagef("--format %q: want text or json", format)
			}
			if !in.src.live() && noStats {
				return usagef("--no-stats applies to --dsn only")
			}
			if err := checkOutputs([]string{out}, nil); err != nil {
				return err
			}
			p := newProgress(c.ErrOrStderr())
			snap, err := in.src.load(c.Context(), p)
			if err != nil {
				return err
			}
			u, err := collectUsage(c.Context(), snap, &in.src, usageSources{stats: in.src.live() && !noStats, codeRoot: codeRoot, logs: logs}, p)
			if err != nil {
				return err
			}
			snap.Usage = u
			infer.Refresh(snap) // the statements' joins are evidence
			warnUnavailable(c.ErrOrStderr(), u)
			an, err := in.analyse(snap, c.ErrOrStderr())
			if err != nil {
				return err
			}
			if out != "" {
				if err := snap.WriteFile(out); err != nil {
					return err
				}
			}
			var buf bytes.Buffer
			if format == "json" {
				err = attribution.Encode(&buf, an.Usage)
			} else {
				err = usage.WriteText(&buf, an.Usage)
			}
			if err != nil {
				return fmt.Errorf("usage: %w", err)
			}
			_, err = c.OutOrStdout().Write(buf.Bytes())
			return err
		},
	}
	in.threshold = ownership.DefaultStaticRowThreshold
	in.src.register(c, true)
	in.cm.register(c, true)
	c.Flags().StringVar(&codeRoot, "code-root", "", "scan the application's source tree under this directory (the contexts' code: globs are relative to it)")
	c.Flags().StringArrayVar(&logs, "log", nil, "read a query log file: PostgreSQL log_statement output or MySQL general log (repeatable)")
	c.Flags().BoolVar(&noStats, "no-stats", false, "with --dsn, do not read the server's statement statistics")
	c.Flags().StringVarP(&out, "output", "o", "", "write the snapshot with the usage added to this file")
	c.Flags().StringVar(&format, "format", "text", "what to print: text (the matrix) or json (the attributed usage)")
	return c
}

// usageSources says which usage sources to read.
type usageSources struct {
	// stats reads the server's statement statistics from the DSN of src.
	stats    bool
	codeRoot string
	logs     []string
}

// collectUsage reads the usage sources for snap: the facts, attributed to
// no map.
func collectUsage(ctx context.Context, snap *schema.Snapshot, src *sourceFlags, from usageSources, p *progress) (*schema.Usage, error) {
	b, err := usage.NewBuilder(snap)
	if err != nil {
		return nil, err
	}
	if from.stats {
		db, err := src.engine(p)
		if err != nil {
			return nil, err
		}
		err = db.Engine.ReadUsage(ctx, db.Config, b)
		p.Done()
		if err != nil {
			return nil, err
		}
	}
	if from.codeRoot != "" {
		if err := usage.ScanCode(from.codeRoot, b); err != nil {
			return nil, inputError(err)
		}
	}
	for _, l := range from.logs {
		if err := usage.ReadLog(l, b); err != nil {
			return nil, inputError(err)
		}
	}
	u := b.Build()
	if len(u.Sources) == 0 {
		return nil, usagef("no usage source: pass --dsn (server statistics), --code-root DIR or --log FILE")
	}
	return u, nil
}

// warnUnavailable tells on stderr why each unavailable source could not be read.
func warnUnavailable(stderr io.Writer, u *schema.Usage) {
	for _, s := range u.Sources {
		if !s.Available {
			for _, n := range s.Notes {
				fmt.Fprintf(stderr, "seams: warning: %s unavailable: %s\n", s.Kind, n)
			}
		}
	}
}

// attachUsage replaces the usage of snap with the one stored in the
// snapshot file path (written by 'seams usage -o'); an empty path leaves
// snap as it is. The usage's tables must be those of snap: a table it
// names that snap lacks is an error.
func attachUsage(snap *schema.Snapshot, path string) error {
	if path == "" {
		return nil
	}
	other, err := schema.ReadFile(path)
	if err != nil {
		return usagef("--usage %s: %v", path, err)
	}
	if other.Usage == nil {
		return usagef("--usage %s: the snapshot holds no usage (write one with 'seams usage -o')", path)
	}
	lk := schema.NewLookup(snap)
	for _, st := range other.Usage.Statements {
		for _, n := range st.Tables() {
			if lk.Table(n) == nil {
				return usagef("--usage %s: table %s is not in the snapshot being planned", path, n)
			}
		}
	}
	snap.Usage = other.Usage
	infer.Refresh(snap)
	return nil
}
