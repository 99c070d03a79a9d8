// Command suggestbench measures `seams suggest` on real schemas against a
// map of their tables by PostgreSQL schema (or MySQL database): for each
// snapshot, with and without the hints (shared name prefixes and words,
// schemas, modules), the suggested contexts, static and isolated tables,
// the modularity and crossing couplings of the suggestion next to those of
// the map by schema, and their agreement (adjusted Rand index), as a
// Markdown table. The map by schema is also what the hints' schema part
// weighs, so the run without hints is the fair one.
//
//	go run ./suggest/cmd/suggestbench --snapshot musicbrainz.json
//
// Exit codes: 0 success, 1 a file could not be read, 2 bad flags.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/suggest"
	"github.com/seamsdev/seams/tablegraph"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var snaps list
	flag.Var(&snaps, "snapshot", "snapshot file written by 'seams introspect -o' (repeatable)")
	resolution := flag.Float64("resolution", suggest.DefaultResolution, "the suggestion's resolution")
	flag.Parse()
	if len(snaps) == 0 || flag.NArg() > 0 || *resolution <= 0 {
		fmt.Fprintln(os.Stderr, "suggestbench: give --snapshot (repeatable) and a positive --resolution")
		os.Exit(2)
	}
	fmt.Println("| database | hints | tables | schemas | contexts | static | isolated | modularity (schemas → suggested) | crossing couplings (schemas → suggested) | agreement with the schemas (ARI) | contexts within one schema | schemas split |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|---|")
	for _, path := range snaps {
		s, err := schema.ReadFile(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "suggestbench: %v\n", err)
			os.Exit(1)
		}
		bySchema := contexts.BySchema(s)
		for _, hints := range []bool{true, false} {
			r, err := suggest.Suggest(ownership.New(s, bySchema, ownership.Options{}),
				suggest.Options{Resolution: *resolution, Graph: tablegraph.Options{NoHints: !hints}})
			if err != nil {
				fmt.Fprintf(os.Stderr, "suggestbench: %s: %v\n", path, err)
				os.Exit(1)
			}
			g := r.Given
			within, split := bySchemaOf(r)
			fmt.Printf("| %s | %v | %d | %d | %d | %d | %d | %.2f → %.2f | %d → %d of %d | %.2f | %d of %d | %s |\n", s.Source.Database, hints, r.Tables,
				len(bySchema.Contexts), len(r.Contexts), len(r.Static), len(r.Isolated), g.Modularity, r.Suggested.Modularity,
				g.Crossing, r.Suggested.Crossing, r.Suggested.Crossing+r.Suggested.Inside, g.Agreement, within, len(r.Contexts), split)
		}
	}
}

// bySchemaOf counts the suggested contexts whose tables are all in one
// schema, and says for each schema with tables in several contexts how
// many and what share the largest holds.
func bySchemaOf(r *suggest.Result) (within int, split string) {
	counts := map[string]map[string]int{}
	var order []string
	for _, c := range r.Contexts {
		schemas := map[string]bool{}
		for _, n := range c.Tables {
			schemas[n.Schema] = true
			if counts[n.Schema] == nil {
				counts[n.Schema] = map[string]int{}
				order = append(order, n.Schema)
			}
			counts[n.Schema][c.Name]++
		}
		if len(schemas) == 1 {
			within++
		}
	}
	slices.Sort(order)
	var parts []string
	for _, sc := range order {
		total, most := 0, 0
		for _, n := range counts[sc] {
			total += n
			most = max(most, n)
		}
		if len(counts[sc]) > 1 {
			parts = append(parts, fmt.Sprintf("%s %d tables in %d (%.0f%% in one)", sc, total, len(counts[sc]), 100*float64(most)/float64(total)))
		}
	}
	if len(parts) == 0 {
		return within, "none"
	}
	return within, strings.Join(parts, "; ")
}
