package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/seamsdev/seams/baseline"
	"github.com/seamsdev/seams/check"
	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/render/ghactions"
	"github.com/seamsdev/seams/render/junit"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/render/sarif"
	"github.com/seamsdev/seams/render/text"
	"github.com/spf13/cobra"
)

// checkFormats are the formats of seams check's reports.
var checkFormats = []string{"text", "json", "sarif", "junit", "github", "markdown"}

// checkFailed is the error of a check that found something new or an
// exceeded budget: exit code exitCheckFailed.
type checkFailed struct{ summary string }

func (e checkFailed) Error() string { return "check failed: " + e.summary }
func (checkFailed) gate()           {}

func newCheckCmd() *cobra.Command {
	var (
		in           analysisFlags
		baselineFile string
		update       bool
		accept       bool
		format       string
		out          string
		reports      []string
	)
	c := &cobra.Command{
		Use:   "check",
		Short: "Fail when coupling appears that the baseline does not accept, or a budget is exceeded",
		Long: `check guards a split in continuous integration. It plans the split as 'seams plan' does and
compares the findings with a baseline of accepted ones (--baseline, a small sorted JSON file
to keep in the repository): every crossing foreign key, cascade, view, trigger, shared table,
unassigned table, cycle and, with usage, cross-context statement and unit of work must be in
it. Findings are matched by their keys (docs/plan-format.md), so renaming a constraint is not
a new coupling. Budgets in the contexts map (max_crossing under a context, budgets: between
two contexts) cap the crossing couplings.

It exits with 0 when nothing is new and no budget is exceeded, and with 3 otherwise, listing
only what is new. Findings fixed since the baseline are reported as progress;
--update-baseline removes them from the baseline. It never adds a finding to the baseline
unless --accept is given too.

Formats: text (the default), json, sarif (GitHub code scanning: upload it with
github/codeql-action/upload-sarif), junit (JUnit XML for CI test reports), github (GitHub
Actions annotations) and markdown (a short summary for a pull-request comment). --report
FORMAT=FILE writes more reports in one run.`,
		Example: `  # Create the baseline from today's schema, and review it in a pull request
  seams check --snapshot snapshot.json --contexts contexts.yaml --baseline seams-baseline.json --update-baseline --accept

  # In CI: fail on anything new, annotate the pull request, upload SARIF
  seams check --snapshot snapshot.json --contexts contexts.yaml --baseline seams-baseline.json \
    --format github --report sarif=seams.sarif --report junit=seams-junit.xml

  # After fixing couplings, remove them from the baseline
  seams check --dsn postgres://seams@staging/shop --baseline seams-baseline.json --update-baseline`,
		Args: argsNone,
		RunE: func(c *cobra.Command, _ []string) error {
			if !slices.Contains(checkFormats, format) {
				return usagef("--format %q: want %s", format, strings.Join(checkFormats, ", "))
			}
			extra, err := parseReports(reports)
			if err != nil {
				return err
			}
			switch {
			case accept && !update:
				return usagef("--accept adds the new findings to the baseline: it needs --update-baseline")
			case update && baselineFile == "":
				return usagef("--update-baseline needs --baseline FILE")
			}
			// Every output is checked before any work, and all are written
			// together at the end (the baseline too), or none.
			var outs atomicfile.Set
			var outFile, baseFile *atomicfile.Item
			if out != "" {
				outFile = outs.File(out)
			}
			reportFiles := make([]*atomicfile.Item, len(extra))
			for i, rep := range extra {
				reportFiles[i] = outs.File(rep.path)
			}
			if update {
				baseFile = outs.File(baselineFile)
			}
			if err := outs.Check(); err != nil {
				return err
			}
			var base *baseline.Baseline
			if baselineFile != "" {
				base, err = baseline.Read(baselineFile)
				switch {
				case errors.Is(err, fs.ErrNotExist) && update:
					base, err = baseline.New(nil), nil
				case errors.Is(err, fs.ErrNotExist):
					return usagef("baseline %s does not exist: create it with --update-baseline --accept, and review it", baselineFile)
				case err != nil:
					return inputError(err)
				}
			}
			p := newProgress(c.ErrOrStderr())
			in.outline = true // check reports findings, never the steps' SQL
			an, err := in.run(c.Context(), c.ErrOrStderr(), p)
			if err != nil {
				return err
			}
			r := check.Run(an, base, baselineFile)
			r.MapFiles(displayPath)
			changed := ""
			if update {
				// The reports describe the check against the baseline as
				// written; what changed in it goes to stderr once written.
				updated := r.Updated(accept)
				baseFile.Write = updated.Encode
				changed = fmt.Sprintf("seams: baseline %s: %d findings (%s)\n", baselineFile, len(updated.Findings), baselineChanges(r, accept))
				r = check.Run(an, updated, baselineFile)
				r.MapFiles(displayPath)
			}
			primary, err := renderCheck(format, r)
			if err != nil {
				return err
			}
			for i, rep := range extra {
				data, err := renderCheck(rep.format, r)
				if err != nil {
					return err
				}
				reportFiles[i].Write = bytesWriter(data)
			}
			if outFile != nil {
				outFile.Write = bytesWriter(primary)
			}
			if err := outs.CommitContext(c.Context()); err != nil {
				return err
			}
			fmt.Fprint(c.ErrOrStderr(), changed)
			if outFile == nil {
				if _, err := c.OutOrStdout().Write(primary); err != nil {
					return err
				}
			}
			if !r.Passed {
				return checkFailed{r.Summary()}
			}
			return nil
		},
	}
	in.register(c, false)
	flags := c.Flags()
	flags.StringVar(&baselineFile, "baseline", "", "the baseline of accepted findings (JSON); without it every finding is new")
	flags.BoolVar(&update, "update-baseline", false, "rewrite the baseline: remove the findings fixed since it was written (new ones only with --accept)")
	flags.BoolVar(&accept, "accept", false, "with --update-baseline: add the new findings to the baseline")
	flags.StringVar(&format, "format", "text", "report format: "+strings.Join(checkFormats, ", "))
	flags.StringVarP(&out, "output", "o", "", "write the report to this file instead of stdout")
	flags.StringArrayVar(&reports, "report", nil, "also write a report as FORMAT=FILE, e.g. sarif=seams.sarif (repeatable)")
	return c
}

// report is one --report FORMAT=FILE.
type report struct{ format, path string }

func parseReports(specs []string) ([]report, error) {
	var out []report
	seen := map[string]bool{}
	for _, s := range specs {
		f, path, ok := strings.Cut(s, "=")
		if !ok || path == "" {
			return nil, usagef("--report %q: want FORMAT=FILE, e.g. sarif=seams.sarif", s)
		}
		if !slices.Contains(checkFormats, f) {
			return nil, usagef("--report %q: unknown format %q: want %s", s, f, strings.Join(checkFormats, ", "))
		}
		if seen[path] {
			return nil, usagef("--report %q: %s is named twice", s, path)
		}
		seen[path] = true
		out = append(out, report{f, path})
	}
	return out, nil
}

// renderCheck writes the check's report in a format.
func renderCheck(format string, r *check.Result) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	switch format {
	case "text":
		err = text.WriteCheck(&buf, r)
	case "json":
		err = r.Encode(&buf)
	case "sarif":
		err = sarif.Write(&buf, r, sarif.Options{Version: seamsVersion()})
	case "junit":
		err = junit.Write(&buf, r)
	case "github":
		err = ghactions.Write(&buf, r)
	case "markdown":
		err = markdown.WriteCheck(&buf, r)
	}
	return buf.Bytes(), err
}

// baselineChanges says what updating the baseline changed.
func baselineChanges(r *check.Result, accept bool) string {
	var parts []string
	if accept && len(r.New) > 0 {
		parts = append(parts, fmt.Sprintf("%d added", len(r.New)))
	}
	if len(r.Fixed) > 0 {
		keys := make([]string, 0, len(r.Fixed))
		for _, e := range r.Fixed {
			keys = append(keys, e.Key)
		}
		parts = append(parts, fmt.Sprintf("%d fixed removed: %s", len(r.Fixed), firstFew(keys, 5)))
	}
	if len(r.Moved) > 0 {
		parts = append(parts, fmt.Sprintf("%d under new keys", len(r.Moved)))
	}
	if !accept && len(r.New) > 0 {
		parts = append(parts, fmt.Sprintf("%d new not added: pass --accept to add them", len(r.New)))
	}
	if len(parts) == 0 {
		return "unchanged"
	}
	return strings.Join(parts, ", ")
}

// bytesWriter writes data, as an atomicfile.Item's Write.
func bytesWriter(data []byte) func(io.Writer) error {
	return func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}
}

// displayPath writes a path inside the working directory relative to it,
// as CI systems want the files they annotate; other paths as they are.
func displayPath(p string) string {
	if p == "" || !filepath.IsAbs(p) {
		return p
	}
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	rel, err := filepath.Rel(wd, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return p
	}
	return rel
}

// firstFew joins the first n items and counts the rest.
func firstFew(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}
