// Package summary prints a one-screen summary of a schema snapshot: where it
// came from, how much it holds, and its largest tables.
package summary

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/internal/termsafe"
	"github.com/seamsdev/seams/schema"
)

// Largest is how many of the largest tables the summary lists.
const Largest = 10

// Write prints the summary of s to w.
func Write(w io.Writer, s *schema.Snapshot) error {
	bw := bufio.NewWriter(w)
	src := s.Source
	engine := string(src.Engine)
	if src.ServerVersion != "" {
		engine += " " + src.ServerVersion
	}
	fmt.Fprintf(bw, "%s, database %s", engine, printable(src.Database))
	if src.Host != "" {
		fmt.Fprintf(bw, " on %s", printable(src.Host))
	}
	if src.File != "" {
		// A snapshot read from a DDL file: it has no sizes or counters.
		fmt.Fprintf(bw, ", read from the file %s\n", printable(src.File))
	} else {
		fmt.Fprintf(bw, ", captured %s\n", src.CapturedAt.Format("2006-01-02 15:04:05 MST"))
	}
	c := s.Counts()
	fmt.Fprintf(bw, "\n  %-18s %7d\n", "schemas", c.Schemas)
	tables := fmt.Sprintf("%7d", c.Tables)
	if c.Partitions > 0 {
		tables += fmt.Sprintf("  (+%d partitions)", c.Partitions)
	}
	fmt.Fprintf(bw, "  %-18s %s\n", "tables", tables)
	for _, r := range []struct {
		name string
		n    int
	}{
		{"columns", c.Columns}, {"indexes", c.Indexes}, {"foreign keys", c.ForeignKeys},
		{"views", c.Views}, {"materialized views", c.MaterializedViews}, {"triggers", c.Triggers},
	} {
		fmt.Fprintf(bw, "  %-18s %7d\n", r.name, r.n)
	}
	if used, all := inferredCounts(s); all > 0 {
		fmt.Fprintf(bw, "  %-18s %7d  (%d scoring %.1f or more; no foreign key declares them)\n", "inferred refs", all, used, infer.DefaultThreshold)
	}
	if len(s.Unreadable) > 0 {
		fmt.Fprintf(bw, "\nNot readable with this role:\n")
		for _, u := range s.Unreadable {
			fmt.Fprintf(bw, "  %s: %s\n", printable(u.Part), printable(u.Reason))
		}
	}
	if top := largest(s, Largest); len(top) > 0 {
		fmt.Fprintf(bw, "\nLargest tables:\n")
		fmt.Fprintf(bw, "  %-40s %12s %10s\n", "table", "rows (est.)", "size")
		for _, t := range top {
			fmt.Fprintf(bw, "  %-40s %12s %10s\n", printable(t.TableName().String()), count(t.RowEstimate), size(t.SizeBytes))
		}
	}
	return bw.Flush()
}

// largest returns up to n non-partition tables, largest first by size, then rows, then name.
func largest(s *schema.Snapshot, n int) []*schema.Table {
	var ts []*schema.Table
	for i := range s.Tables {
		if !s.Tables[i].IsPartition() {
			ts = append(ts, &s.Tables[i])
		}
	}
	val := func(p *int64) int64 {
		if p == nil {
			return -1
		}
		return *p
	}
	slices.SortStableFunc(ts, func(a, b *schema.Table) int {
		if d := val(b.SizeBytes) - val(a.SizeBytes); d != 0 {
			return sign(d)
		}
		if d := val(b.RowEstimate) - val(a.RowEstimate); d != 0 {
			return sign(d)
		}
		return strings.Compare(a.TableName().String(), b.TableName().String())
	})
	if len(ts) > n {
		ts = ts[:n]
	}
	return ts
}

func sign(d int64) int {
	if d < 0 {
		return -1
	}
	return 1
}

func count(p *int64) string {
	if p == nil {
		return "?"
	}
	return fmt.Sprintf("%d", *p)
}

func size(p *int64) string {
	if p == nil {
		return "?"
	}
	return Bytes(*p)
}

// Bytes formats a size in bytes for people: whole bytes below 1 KiB, else
// one decimal in binary units (KiB, MiB, GiB, TiB; 1 KiB = 1024 B), as in
// "3.0 MiB".
func Bytes(n int64) string {
	v := float64(n)
	for _, unit := range []string{"B", "KiB", "MiB", "GiB", "TiB"} {
		if v < 1024 || unit == "TiB" {
			if unit == "B" {
				return fmt.Sprintf("%d B", n)
			}
			return fmt.Sprintf("%.1f %s", v, unit)
		}
		v /= 1024
	}
	return ""
}

// printable keeps hostile names from moving the terminal's cursor or
// colouring the screen.
func printable(s string) string { return termsafe.String(s) }

// inferredCounts counts the snapshot's inferred references, and those
// scoring at least the default threshold.
func inferredCounts(s *schema.Snapshot) (used, all int) {
	for _, r := range s.Inferred {
		all++
		if r.Score >= infer.DefaultThreshold {
			used++
		}
	}
	return used, all
}
