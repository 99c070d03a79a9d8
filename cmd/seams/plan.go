package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"unicode/utf8"

	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/refdata"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/render/text"
	"github.com/spf13/cobra"
)

// planGCPercent is the garbage collector's target of `seams plan` when
// GOGC is unset.
const planGCPercent = 40

func newPlanCmd() *cobra.Command {
	var (
		in        analysisFlags
		format    string
		out       string
		sqlDir    string
		staticDir string
		splitDir  string
		detail    bool
	)
	c := &cobra.Command{
		Use:   "plan",
		Short: "Plan the split of the database into bounded contexts",
		Long: `plan joins the schema with the contexts map and reports every coupling that crosses a
context boundary — foreign keys, cascades, views, triggers, shared tables, shared mutable
data, static reference data, unassigned tables and dependency cycles — with the refactoring
pattern for each, the order in which to extract the contexts, and a step-by-step checklist
with the SQL to apply and to roll back each step in the database's own dialect.

The findings are rolled up in groups: the findings of one kind between the same contexts
that share a recommendation, listed under the tables they hang on.

Formats: text (a terminal summary that fits a screen or two whatever the schema's size;
--detail lists every group and finding), markdown (a GitHub checklist to paste into an
issue or wiki; --split DIR writes it as an index and files of at most 60,000 characters,
which GitHub takes in an issue or comment) and json (the whole plan; see
docs/plan-format.md). --sql-dir writes one numbered up/down migration pair per step,
named the way golang-migrate and similar tools read them.`,
		Example: `  seams plan --snapshot snapshot.json --contexts contexts.yaml
  seams plan --schema-file db/structure.sql --contexts contexts.yaml --format markdown
  seams plan --dsn postgres://app@staging/shop --format markdown -o PLAN.md
  seams plan --snapshot snapshot.json --detail
  seams plan --snapshot snapshot.json --split plan/
  seams plan --snapshot snapshot.json --format json -o plan.json
  seams plan --snapshot snapshot.json --sql-dir migrations/`,
		Args: argsNone,
		RunE: func(c *cobra.Command, _ []string) error {
			if format != "text" && format != "markdown" && format != "json" {
				return usagef("--format %q: want text, markdown or json", format)
			}
			if detail && format != "text" {
				return usagef("--detail applies to the text format; markdown and json hold every finding")
			}
			if splitDir != "" {
				if c.Flags().Changed("format") && format != "markdown" {
					return usagef("--split writes the Markdown plan: it goes with --format markdown, not %s", format)
				}
				if out != "" {
					return usagef("--split writes the Markdown plan into a directory: give --split or -o, not both")
				}
				format = "markdown"
			}
			if os.Getenv("GOGC") == "" {
				// The plan's heap only grows until it is written: collecting
				// when it has grown by 40% rather than doubled keeps the peak
				// of a 10,000-table plan about 15 MB lower for 5% more CPU
				// (BenchmarkPlanProcess with GOGC=40, 50 and 100); lower
				// targets cost more CPU and gain nothing.
				debug.SetGCPercent(planGCPercent)
			}
			if staticDir != "" && !in.src.live() {
				return usagef("--static-dir needs --dsn: the rows are read from the database")
			}
			// Every output is checked before any work, and all are written
			// together at the end, or none.
			var outs atomicfile.Set
			var planFile, sqlOut, staticOut, splitOut *atomicfile.Item
			if out != "" {
				planFile = outs.File(out)
			}
			if splitDir != "" {
				splitOut = outs.Dir(splitDir)
				splitOut.What = "Markdown plan"
			}
			if sqlDir != "" {
				sqlOut = outs.Dir(sqlDir)
				sqlOut.What = "SQL"
			}
			if staticDir != "" {
				staticOut = outs.Dir(staticDir)
				staticOut.What = "reference data"
			}
			if err := outs.Check(); err != nil {
				return err
			}
			// The text plan shows no SQL: unless --sql-dir writes it, the
			// steps are built without it.
			in.outline = format == "text" && sqlOut == nil
			p := newProgress(c.ErrOrStderr())
			an, err := in.run(c.Context(), c.ErrOrStderr(), p)
			if err != nil {
				return err
			}
			pl := an.Plan
			var buf bytes.Buffer
			switch {
			case splitOut != nil:
				files, oversize := markdown.WriteSplit(pl)
				for _, name := range oversize {
					fmt.Fprintf(c.ErrOrStderr(), "seams: warning: %s has %d characters, more than %d: one step's SQL fills it by itself (--sql-dir writes it as a file)\n",
						filepath.Join(splitDir, name), utf8.RuneCount(files[name]), markdown.MaxChars)
				}
				splitOut.Build = atomicfile.FilesBuild(files)
			case format == "text" && detail:
				err = text.WriteDetail(&buf, pl)
			case format == "text":
				err = text.Write(&buf, pl)
			case format == "markdown":
				err = markdown.Write(&buf, pl)
				if n := utf8.RuneCount(buf.Bytes()); err == nil && n > markdown.MaxChars {
					fmt.Fprintf(c.ErrOrStderr(), "seams: warning: the Markdown plan has %d characters, more than GitHub takes in an issue or comment (65,536 at most); --split DIR writes it as files of at most 60,000 characters each\n", n)
				}
			case format == "json":
				err = pl.Encode(&buf)
			}
			if err != nil {
				return fmt.Errorf("plan: %w", err)
			}
			if staticOut != nil {
				files, err := staticFiles(c.Context(), &in.src, pl, staticDir, c.ErrOrStderr())
				if err != nil {
					return err
				}
				staticOut.Build = atomicfile.FilesBuild(files)
			}
			if sqlOut != nil {
				sqlOut.Build = atomicfile.FilesBuild(plan.SQLFiles(pl))
			}
			if planFile == nil {
				if err := outs.CommitContext(c.Context()); err != nil {
					return err
				}
				if splitOut != nil {
					abs, _ := filepath.Abs(filepath.Join(splitDir, "index.md"))
					_, err = fmt.Fprintf(c.OutOrStdout(), "wrote %s\n", abs)
					return err
				}
				_, err = c.OutOrStdout().Write(buf.Bytes())
				return err
			}
			planFile.Write = func(w io.Writer) error {
				_, err := w.Write(buf.Bytes())
				return err
			}
			return outs.CommitContext(c.Context())
		},
	}
	in.register(c, false)
	c.Flags().StringVar(&format, "format", "text", "output format: text, markdown or json")
	c.Flags().BoolVar(&detail, "detail", false, "with the text format: list every context, dependency, group and finding, not just the largest")
	c.Flags().StringVar(&splitDir, "split", "", "write the Markdown plan into this directory as index.md and files of at most 60,000 characters each")
	c.Flags().StringVarP(&out, "output", "o", "", "write the plan to this file instead of stdout")
	c.Flags().StringVar(&sqlDir, "sql-dir", "", "also write one numbered up/down SQL migration pair per step into this directory")
	c.Flags().StringVar(&staticDir, "static-dir", "", "also export the rows of the static reference data tables into this directory (JSON, CSV, Go, Java, TypeScript; needs --dsn)")
	return c
}

// staticFiles reads the rows of the plan's static reference data tables
// from the database src names and returns the files that export them into
// dir (see refdata).
func staticFiles(ctx context.Context, src *sourceFlags, pl *plan.Plan, dir string, stderr io.Writer) (map[string][]byte, error) {
	db, err := src.engine(nil)
	if err != nil {
		return nil, err
	}
	tables := plan.StaticTables(pl)
	if len(tables) == 0 {
		fmt.Fprintf(stderr, "seams: warning: the plan has no static reference data: %s is left empty\n", dir)
		return nil, nil
	}
	rows, err := db.Engine.ReadRows(ctx, db.Config, tables, refdata.DefaultLimit)
	if err != nil {
		return nil, err
	}
	return refdata.Files(rows)
}
