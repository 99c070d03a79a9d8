// Command inferbench measures reference inference on real schemas: it hides
// their declared foreign keys and reports how many inference recovers, cold
// (all hidden) and warm (half hidden), overall, per evidence source and for
// the tbls-style <singular>_id baseline, as a Markdown table.
//
//	go run ./infer/cmd/inferbench --dsn postgres://user@host/db
//	go run ./infer/cmd/inferbench --snapshot shop.json --snapshot other.json
//
// Exit codes: 0 success, 1 a database or file could not be read, 2 bad
// flags.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/infer/measure"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/source"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var dsns, snaps list
	flag.Var(&dsns, "dsn", "database to read (repeatable): postgres://... or mysql://...")
	flag.Var(&snaps, "snapshot", "snapshot file written by 'seams introspect -o' (repeatable)")
	threshold := flag.Float64("infer-threshold", infer.DefaultThreshold, "score from which a reference counts as found")
	detail := flag.Bool("misses", false, "also list, after each table, the wrong references (with their evidence) and the missed keys")
	flag.Parse()
	if len(dsns)+len(snaps) == 0 || flag.NArg() > 0 || *threshold < 0 || *threshold > 1 {
		fmt.Fprintln(os.Stderr, "inferbench: give --dsn or --snapshot (repeatable), and --infer-threshold in [0,1]")
		os.Exit(2)
	}
	first := true
	run := func(name string, s *schema.Snapshot) {
		rows, misses := measure.RunDetail(s, *threshold)
		md := measure.Markdown(name, rows)
		if !first {
			md = md[strings.Index(md, "\n|---")+1:]
			md = md[strings.Index(md, "\n")+1:]
		}
		first = false
		fmt.Print(md)
		if *detail {
			for _, m := range misses {
				if m.Wrong {
					fmt.Printf("%s wrong %.3f %s\n", m.Setting, m.Score, m.Key)
					for _, e := range m.Evidence {
						fmt.Printf("    %s %.3f %s\n", e.Source, e.Score, e.Detail)
					}
				} else {
					fmt.Printf("%s missed %s\n", m.Setting, m.Key)
				}
			}
		}
	}
	for _, d := range dsns {
		s, err := load(context.Background(), d)
		if err != nil {
			fmt.Fprintln(os.Stderr, "inferbench:", introspect.OneLine(err.Error()))
			os.Exit(exitCode(err))
		}
		run(s.Source.Database, s)
	}
	for _, f := range snaps {
		s, err := schema.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, "inferbench:", introspect.OneLine(err.Error()))
			os.Exit(1)
		}
		run(s.Source.Database, s)
	}
}

func exitCode(err error) int {
	if introspect.IsUsage(err) {
		return 2
	}
	return 1
}

// load introspects the database a DSN names, read-only.
func load(ctx context.Context, raw string) (*schema.Snapshot, error) {
	d, err := introspect.ParseDSN(raw)
	if err != nil {
		return nil, err
	}
	live, err := source.NewLive(&introspect.Config{DSN: d})
	if err != nil {
		return nil, err
	}
	return live.Snapshot(ctx)
}
