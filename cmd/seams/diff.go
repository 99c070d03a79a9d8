package main

import (
	"bytes"
	"fmt"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/render/text"
	"github.com/seamsdev/seams/snapdiff"
	"github.com/spf13/cobra"
)

// regression is the error of seams diff --fail-on-regression when coupling
// appeared: exit code exitCheckFailed.
type regression struct{ n int }

func (e regression) Error() string {
	if e.n == 1 {
		return "regression: 1 new finding of coupling between contexts"
	}
	return fmt.Sprintf("regression: %d new findings of coupling between contexts", e.n)
}

func (regression) gate() {}

func newDiffCmd() *cobra.Command {
	var (
		src       sourceFlags
		cm        mapFlags
		threshold int64
		format    string
		out       string
		failOnReg bool
	)
	c := &cobra.Command{
		Use:   "diff OLD [NEW]",
		Short: "Compare two snapshots: what changed in the schema and in the coupling between contexts",
		Long: `diff compares two snapshots of one database (OLD and NEW, files written by 'seams introspect
-o'), or a snapshot and the live database (OLD and --dsn) or a DDL file (OLD and --schema-file).
It lists the tables, columns, keys,
indexes, checks, foreign keys, views and triggers added, removed and changed; a renamed
foreign key is a rename, not a key removed and another added.

With a contexts map (--contexts, or seams.yaml or contexts.yaml in the working directory)
both snapshots are analysed under it: the couplings between contexts that appeared and
disappeared, per pair of contexts, and each context's couplings inside it and crossing to
others, with the share that stays inside, before and after.

--fail-on-regression exits with 3 when coupling between contexts appeared.`,
		Example: `  seams diff last-week.json today.json --contexts contexts.yaml
  seams diff baseline.json --dsn postgres://seams@staging/shop --format markdown
  seams diff old.json new.json --fail-on-regression --format json -o diff.json`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) < 1 || len(args) > 2 {
				return usagef("diff takes OLD and NEW snapshot files, or OLD and --dsn (see 'seams diff --help')")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if format != "text" && format != "markdown" && format != "json" {
				return usagef("--format %q: want text, markdown or json", format)
			}
			if threshold < 0 {
				return usagef("--static-threshold must not be negative")
			}
			if len(args) == 2 && (src.dsn != "" || src.schemaFile != "") {
				return usagef("NEW and --dsn (or --schema-file) both name the new side: give one")
			}
			if err := checkOutputs([]string{out}, nil); err != nil {
				return err
			}
			p := newProgress(c.ErrOrStderr())
			old, err := (&sourceFlags{snapshot: args[0]}).load(c.Context(), p)
			if err != nil {
				return err
			}
			newSrc := src
			if len(args) == 2 {
				if len(src.schemas) > 0 || len(src.exclude) > 0 {
					return usagef("--schema and --exclude apply to --dsn only")
				}
				newSrc = sourceFlags{snapshot: args[1]}
			}
			nw, err := newSrc.load(c.Context(), p)
			if err != nil {
				return err
			}
			d := snapdiff.Schemas(old, nw)
			oldA, err := cm.assignment(old, c.ErrOrStderr())
			if err != nil {
				return err
			}
			if !oldA.BySchema {
				newA, err := cm.assignment(nw, c.ErrOrStderr())
				if err != nil {
					return err
				}
				// The coupling is compared by findings: no step's SQL.
				opts := analysis.Options{Ownership: ownership.Options{StaticRowThreshold: threshold},
					Plan: plan.Options{Outline: true}}
				ao, err := analysis.Run(old, oldA, opts)
				if err != nil {
					return err
				}
				an, err := analysis.Run(nw, newA, opts)
				if err != nil {
					return err
				}
				d.Coupling = snapdiff.CompareCoupling(ao, an)
			} else if failOnReg {
				return usagef("--fail-on-regression compares the coupling between contexts: it needs a contexts map (--contexts)")
			}
			var buf bytes.Buffer
			switch format {
			case "text":
				err = text.WriteDiff(&buf, d)
			case "markdown":
				err = markdown.WriteDiff(&buf, d)
			case "json":
				err = d.Encode(&buf)
			}
			if err != nil {
				return err
			}
			if err := emit(c.OutOrStdout(), out, buf.Bytes()); err != nil {
				return err
			}
			if failOnReg && d.Regression() {
				return regression{len(d.Coupling.Appeared)}
			}
			return nil
		},
	}
	src.register(c, false)
	cm.register(c, true)
	flags := c.Flags()
	flags.Int64Var(&threshold, "static-threshold", ownership.DefaultStaticRowThreshold, "row estimate under which a table shared by two or more contexts counts as static reference data")
	flags.StringVar(&format, "format", "text", "output format: text, markdown or json")
	flags.StringVarP(&out, "output", "o", "", "write the diff to this file instead of stdout")
	flags.BoolVar(&failOnReg, "fail-on-regression", false, "exit with 3 when coupling between contexts appeared (needs a contexts map)")
	return c
}
