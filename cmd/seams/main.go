// Command seams finds the seams in a monolith's database: it reads a live
// PostgreSQL or MySQL/MariaDB catalog, joins it with a map of tables to
// bounded contexts, and reports the coupling, draws it, and plans the split.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/introspect"
	"github.com/spf13/cobra"
)

// Exit codes, documented in the README: 2 for anything wrong in what the
// user gave (flags, arguments, a DSN, an input file that is missing or
// invalid: snapshot, contexts map, usage snapshot, log, code root), 1 for a
// failure while running (a database that cannot be reached or read, an
// output that cannot be written, an interruption).
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
	// exitCheckFailed: seams check found something new or an exceeded
	// budget; seams diff --fail-on-regression found a regression.
	exitCheckFailed = 3
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes the command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	// SIGTERM and SIGHUP stop seams as Ctrl-C does: the work in progress
	// is cancelled and what was half written is removed.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	root := newRootCmd(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintf(stderr, "seams: %s\n", introspect.OneLine(err.Error()))
	var g gateError
	if errors.As(err, &g) {
		return exitCheckFailed
	}
	if isUsage(err) {
		return exitUsage
	}
	return exitFailure
}

// gateError is a check that ran and failed: seams check found something
// new, seams diff --fail-on-regression a regression.
type gateError interface {
	error
	gate()
}

// usageError marks a mistake in what the user gave: the command line, or
// an input file (exit status 2).
type usageError struct{ error }

// inputError marks err, from reading an input file the user named, as a
// usageError.
func inputError(err error) error {
	if err == nil || isUsage(err) {
		return err
	}
	return usageError{err}
}

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u) || introspect.IsUsage(err)
}

func newRootCmd(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "seams",
		Short: "Find the seams in a monolith's database",
		Long: `seams reads a live PostgreSQL or MySQL/MariaDB catalog (read-only), joins it with a map
of tables to bounded contexts, and shows the coupling that crosses the boundaries: foreign
keys, views, triggers, cascades and shared tables. It draws the schema by context and plans
the split as a checklist with the SQL for each step. A DDL file (pg_dump --schema-only,
structure.sql, mysqldump --no-data, schema.sql) can stand in for the database: --schema-file.`,
		Example: `  # Read a database into a snapshot file
  seams introspect --dsn postgres://app@localhost:5432/shop -o snapshot.json

  # Print a one-screen summary of a MySQL database
  seams introspect --dsn 'app:secret@tcp(localhost:3306)/shop'`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(newVersionCmd(), newIntrospectCmd(), newPlanCmd(), newRenderCmd(), newUsageCmd(), newCheckCmd(), newDiffCmd(), newSuggestCmd())
	for _, c := range root.Commands() {
		c.SilenceUsage = true
	}
	return root
}

// argsNone rejects positional arguments with a usage error.
func argsNone(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q (see '%s --help')", c.Name(), args[0], c.CommandPath())
	}
	return nil
}

// checkOutputs checks, before any work, that the files and directories a
// command is to write can be written there (see atomicfile.Set.Check);
// empty paths are skipped.
func checkOutputs(files, dirs []string) error {
	var s atomicfile.Set
	for _, f := range files {
		if f != "" {
			s.File(f)
		}
	}
	for _, d := range dirs {
		if d != "" {
			s.Dir(d)
		}
	}
	return s.Check()
}
