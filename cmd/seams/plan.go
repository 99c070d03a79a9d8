package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/introspect/mysql"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/refdata"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/render/text"
	"github.com/seamsdev/seams/schema"
	"github.com/spf13/cobra"
)

// mapFlags locate the contexts map.
type mapFlags struct {
	path     string
	optional bool
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
		var ce *contexts.Error
		if errors.As(err, &ce) {
			return nil, usageError{err}
		}
		return nil, err
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
		fmt.Fprintf(stderr, "seams: warning: %s\n", introspect.OneLine(w.Error()))
	}
	return a, nil
}

func newPlanCmd() *cobra.Command {
	var (
		src       sourceFlags
		cm        mapFlags
		format    string
		out       string
		sqlDir    string
		threshold int64
		usageFile string
		staticDir string
	)
	c := &cobra.Command{
		Use:   "plan",
		Short: "Plan the split of the database into bounded contexts",
		Long: `plan joins the schema with the contexts map and reports every coupling that crosses a
context boundary — foreign keys, cascades, views, triggers, shared tables, shared mutable
data, static reference data, unassigned tables and dependency cycles — with the refactoring
pattern for each, the order in which to extract the contexts, and a step-by-step checklist
with the SQL to apply and to roll back each step in the database's own dialect.

Formats: text (a terminal summary), markdown (a GitHub checklist to paste into an issue or
wiki) and json (the whole plan; see docs/plan-format.md). --sql-dir writes one numbered
up/down migration pair per step, named the way golang-migrate and similar tools read them.`,
		Example: `  seams plan --snapshot snapshot.json --contexts contexts.yaml
  seams plan --dsn postgres://app@staging/shop --format markdown -o PLAN.md
  seams plan --snapshot snapshot.json --format json -o plan.json
  seams plan --snapshot snapshot.json --sql-dir migrations/`,
		Args: argsNone,
		RunE: func(c *cobra.Command, _ []string) error {
			if format != "text" && format != "markdown" && format != "json" {
				return usagef("--format %q: want text, markdown or json", format)
			}
			if threshold < 0 {
				return usagef("--static-threshold must not be negative")
			}
			if staticDir != "" && src.snapshot != "" {
				return usagef("--static-dir needs --dsn: the rows are read from the database")
			}
			p := newProgress(c.ErrOrStderr())
			snap, err := src.load(c.Context(), p)
			if err != nil {
				return err
			}
			if err := attachUsage(snap, usageFile); err != nil {
				return err
			}
			a, err := cm.assignment(snap, c.ErrOrStderr())
			if err != nil {
				return err
			}
			pl, err := plan.Build(snap, a, plan.Options{StaticRowThreshold: threshold})
			if err != nil {
				return fmt.Errorf("plan: %w", err)
			}
			var buf bytes.Buffer
			switch format {
			case "text":
				err = text.Write(&buf, pl)
			case "markdown":
				err = markdown.Write(&buf, pl)
			case "json":
				err = pl.Encode(&buf)
			}
			if err != nil {
				return fmt.Errorf("plan: %w", err)
			}
			if staticDir != "" {
				if err := exportStatic(c.Context(), &src, pl, staticDir, c.ErrOrStderr()); err != nil {
					return err
				}
			}
			if sqlDir != "" {
				if err := plan.WriteSQLDir(pl, sqlDir); err != nil {
					return err
				}
			}
			if out != "" {
				return atomicfile.WriteFile(out, buf.Bytes())
			}
			_, err = c.OutOrStdout().Write(buf.Bytes())
			return err
		},
	}
	src.register(c, true)
	cm.register(c, false)
	c.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	c.Flags().StringVarP(&out, "output", "o", "", "write the plan to this file instead of stdout")
	c.Flags().StringVar(&sqlDir, "sql-dir", "", "also write one numbered up/down SQL migration pair per step into this directory")
	c.Flags().StringVar(&staticDir, "static-dir", "", "also export the rows of the static reference data tables into this directory (JSON, CSV, Go, Java, TypeScript; needs --dsn)")
	c.Flags().StringVar(&usageFile, "usage", "", "use the usage of this snapshot written by 'seams usage -o' (default: the usage in the snapshot read, if any)")
	c.Flags().Int64Var(&threshold, "static-threshold", plan.DefaultStaticRowThreshold, "row estimate under which a shared table counts as static reference data")
	return c
}

// exportStatic reads the rows of the plan's static reference data tables
// from the database src names and writes them into dir (see refdata).
func exportStatic(ctx context.Context, src *sourceFlags, pl *plan.Plan, dir string, stderr io.Writer) error {
	cfg, err := src.config(nil)
	if err != nil {
		return err
	}
	tables := plan.StaticTables(pl)
	if len(tables) == 0 {
		fmt.Fprintf(stderr, "seams: warning: the plan has no static reference data: %s is left empty\n", dir)
		return refdata.WriteDir(dir, nil)
	}
	read := postgres.ReadRows
	if cfg.DSN.Family == introspect.FamilyMySQL {
		read = mysql.ReadRows
	}
	rows, err := read(ctx, cfg, tables, refdata.DefaultLimit)
	if err != nil {
		return err
	}
	return refdata.WriteDir(dir, rows)
}
