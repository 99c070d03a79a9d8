package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/internal/termsafe"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/suggest"
	"github.com/seamsdev/seams/tablegraph"
	"github.com/spf13/cobra"
)

// suggestFlags tune the suggestion (seams suggest, seams render --suggest).
type suggestFlags struct {
	resolution  float64
	maxContexts int
	minSize     int
	seed        uint64
	noHints     bool
}

func (f *suggestFlags) register(c *cobra.Command) {
	fs := c.Flags()
	fs.Float64Var(&f.resolution, "resolution", suggest.DefaultResolution, "granularity of the suggested contexts: above 1 more and smaller, below 1 fewer and larger")
	fs.IntVar(&f.maxContexts, "max-contexts", 0, "suggest at most this many contexts (lowers --resolution until it holds)")
	fs.IntVar(&f.minSize, "min-size", suggest.DefaultMinSize, "a group of fewer tables joins the context it is most tied to")
	fs.Uint64Var(&f.seed, "seed", suggest.DefaultSeed, "seed of the clustering's random order (the same seed gives the same suggestion)")
	fs.BoolVar(&f.noHints, "no-hints", false, "leave out the hints (shared name prefixes and words, schemas, modules of code): cluster by the couplings alone")
}

func (f *suggestFlags) options(inferThreshold float64) (suggest.Options, error) {
	switch {
	case f.resolution <= 0 || math.IsNaN(f.resolution) || math.IsInf(f.resolution, 0):
		return suggest.Options{}, usagef("--resolution %v: want a positive number", f.resolution)
	case f.maxContexts < 0:
		return suggest.Options{}, usagef("--max-contexts must not be negative")
	case f.minSize < 1:
		return suggest.Options{}, usagef("--min-size must be at least 1")
	case f.seed == 0:
		return suggest.Options{}, usagef("--seed must not be 0")
	}
	return suggest.Options{Resolution: f.resolution, MaxContexts: f.maxContexts, MinSize: f.minSize, Seed: f.seed,
		Graph: tablegraph.Options{InferThreshold: inferThreshold, NoHints: f.noHints}}, nil
}

func newSuggestCmd() *cobra.Command {
	var (
		in     analysisFlags
		sf     suggestFlags
		format string
		out    string
	)
	c := &cobra.Command{
		Use:   "suggest",
		Short: "Suggest bounded contexts from the schema and its usage: a contexts map to edit",
		Long: `suggest finds candidate bounded contexts: it builds a weighted graph of the tables from every
coupling seams knows (foreign keys, references no foreign key declares, views, triggers, the
statements and units of work of the usage, and as hints shared name prefixes and words, schemas
and modules of code), sets apart static reference data and hubs that everything references,
and clusters the rest with the Louvain method (gonum). It writes a contexts map that
'seams plan' reads as it is: each context named after the word its tables share or its central
table, with a comment saying why, static data under static:, and the isolated tables listed.

With --contexts, the given map's ignore:, static: and relations: are kept, and the result
compares it with the suggestion: homes for the tables it leaves unassigned, tables whose
coupling mostly goes to another context, modularity and crossing couplings side by side.

Formats: yaml (the contexts map, the default), json (with the scores; see
docs/suggest-format.md) and text (a terminal summary).`,
		Example: `  seams suggest --snapshot snapshot.json -o contexts.yaml
  seams suggest --schema-file db/structure.sql --max-contexts 8 -o contexts.yaml
  seams suggest --snapshot snapshot.json --contexts contexts.yaml --format text
  seams suggest --dsn postgres://app@staging/shop --usage shop-usage.json --format json -o suggestion.json`,
		Args: argsNone,
		RunE: func(c *cobra.Command, _ []string) error {
			if format != "yaml" && format != "json" && format != "text" {
				return usagef("--format %q: want yaml, json or text", format)
			}
			if err := checkOutputs([]string{out}, nil); err != nil {
				return err
			}
			p := newProgress(c.ErrOrStderr())
			in.outline = true // suggest measures the plan of the map it writes, never shows its steps' SQL
			_, res, err := in.suggest(c.Context(), c.ErrOrStderr(), p, &sf)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			switch format {
			case "yaml":
				var y []byte
				if y, err = res.YAML(); err == nil {
					buf.Write(y)
				}
			case "json":
				err = res.Encode(&buf)
			case "text":
				err = res.WriteText(&buf)
			}
			if err != nil {
				return err
			}
			if out == "" {
				_, err = c.OutOrStdout().Write(buf.Bytes())
				return err
			}
			if err := atomicfile.WriteFile(out, buf.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(c.OutOrStdout(), "wrote %s: %d contexts, %d static tables, %d isolated tables; modularity %.2f, %d crossing couplings\n",
				termsafe.String(out), len(res.Contexts), len(res.Static), len(res.Isolated), res.Suggested.Modularity, res.Suggested.Crossing)
			return nil
		},
	}
	in.src.register(c, true)
	fs := c.Flags()
	fs.StringVar(&in.cm.path, "contexts", "", "an existing contexts map: its ignore:, static: and relations: are kept, and the result compares it with the suggestion")
	fs.StringVar(&in.usageFile, "usage", "", "use the usage of this snapshot written by 'seams usage -o' (default: the usage in the snapshot read, if any)")
	fs.Int64Var(&in.threshold, "static-threshold", ownership.DefaultStaticRowThreshold, "row estimate under which a table may be static reference data")
	sf.register(c)
	fs.StringVar(&format, "format", "yaml", "output format: yaml (a contexts map), json or text")
	fs.StringVarP(&out, "output", "o", "", "write to this file instead of stdout")
	return c
}

// suggest reads the snapshot, the usage and the map given with --contexts
// (none by default: a suggestion needs no map), and suggests contexts.
// The analysis is the snapshot's under the suggested map.
func (f *analysisFlags) suggest(ctx context.Context, stderr io.Writer, p *progress, sf *suggestFlags) (*analysis.Analysis, *suggest.Result, error) {
	if f.threshold < 0 {
		return nil, nil, usagef("--static-threshold must not be negative")
	}
	opts, err := sf.options(f.src.inferThreshold)
	if err != nil {
		return nil, nil, err
	}
	opts.Outline = f.outline
	snap, err := f.src.load(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	if err := attachUsage(snap, f.usageFile); err != nil {
		return nil, nil, err
	}
	var given *contexts.Assignment
	if f.cm.path != "" {
		if given, err = f.cm.assignment(snap, stderr); err != nil {
			return nil, nil, err
		}
	}
	own := ownership.Options{StaticRowThreshold: f.threshold}
	res, err := suggest.Suggest(ownership.New(snap, given, own), opts)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(stderr, "seams: warning: %s\n", termsafe.String(w))
	}
	return res.Analysis(), res, nil
}
