package usage

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/internal/termsafe"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// WriteText writes a readable summary of the attributed usage au: the
// sources and their notes, the context × table matrix, the statements that
// touch two or more contexts, the cross-context transactions, and the
// statements that were rejected or are dynamic.
func WriteText(w io.Writer, au *attribution.Usage) error {
	u := au.Facts
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintln(bw, "Sources")
	for _, s := range u.Sources {
		state := "available"
		if !s.Available {
			state = "UNAVAILABLE"
		}
		printf(bw, "  %s %s: %s; %d read, %d kept, %d rejected, %d dynamic, %d unattributed\n",
			s.Kind, s.Location, state, s.Statements, s.Kept, s.Rejected, s.Dynamic, au.Unattributed[s.Kind])
		if s.Since != "" {
			printf(bw, "    window since %s\n", s.Since)
		}
		for _, n := range s.Notes {
			printf(bw, "    note: %s\n", n)
		}
	}
	for _, n := range au.Notes {
		printf(bw, "  note: %s\n", n)
	}

	fmt.Fprintln(bw, "\nUsage matrix (calls; distinct statements in parentheses)")
	fmt.Fprintln(tw, "  context\ttable\treads\twrites\tORM mapped\t")
	for _, c := range au.Matrix {
		ctx := c.Context
		if ctx == "" {
			ctx = "(unattributed)"
		}
		printf(tw, "  %s\t%s\t%s\t%s\t%s\t\n", ctx, c.Table, count(c.Reads, c.ReadStatements), count(c.Writes, c.WriteStatements), mapped(c.Mapped))
	}
	tw.Flush()

	var cols []attribution.Cell
	for _, c := range au.Matrix {
		if len(c.Columns) > 0 {
			cols = append(cols, c)
		}
	}
	if len(cols) > 0 {
		fmt.Fprintln(bw, "\nColumns used by the statements on shared tables (written columns marked *)")
		for _, c := range cols {
			ctx := c.Context
			if ctx == "" {
				ctx = "(unattributed)"
			}
			var parts []string
			for _, col := range c.Columns {
				if slices.Contains(c.WrittenColumns, col) {
					col += "*"
				}
				parts = append(parts, col)
			}
			printf(bw, "  %s  %s: %s\n", ctx, c.Table, strings.Join(parts, ", "))
		}
	}

	var cross []schema.Statement
	for _, st := range u.Statements {
		if len(au.Touches(st.ID)) >= 2 {
			cross = append(cross, st)
		}
	}
	if len(cross) > 0 {
		printf(bw, "\nStatements touching two or more contexts (%d)\n", len(cross))
		for _, st := range cross {
			printf(bw, "  %s  %d calls  touches %s%s\n    %s\n", st.ID, st.Calls, strings.Join(au.Touches(st.ID), ", "), where(st), excerpt(st.Text, 120))
		}
	}
	if len(au.Transactions) > 0 {
		printf(bw, "\nUnits writing tables of two or more contexts (%d)\n", len(au.Transactions))
		for _, t := range au.Transactions {
			printf(bw, "  %s %s: writes %s (%s)\n    %s\n", t.Location, t.Location.Function, names(t.Writes), strings.Join(t.Contexts, ", "), t.Evidence)
		}
	}
	var rejected, dynamic []schema.Statement
	for _, st := range u.Statements {
		if st.Error != "" {
			rejected = append(rejected, st)
		}
		if len(st.Dynamic) > 0 {
			dynamic = append(dynamic, st)
		}
	}
	if len(rejected) > 0 {
		printf(bw, "\nRejected by the parser (%d)\n", len(rejected))
		for _, st := range rejected {
			printf(bw, "  %s%s: %s\n", st.ID, where(st), st.Error)
		}
	}
	if len(dynamic) > 0 {
		printf(bw, "\nDynamic SQL (%d)\n", len(dynamic))
		for _, st := range dynamic {
			printf(bw, "  %s%s: %s\n    %s\n", st.ID, where(st), strings.Join(st.Dynamic, "; "), excerpt(st.Text, 120))
		}
	}
	if len(u.Mappings) > 0 {
		printf(bw, "\nORM table declarations (%d)\n", len(u.Mappings))
		for i, m := range u.Mappings {
			known := ""
			if !m.Known {
				known = " (no such table in the snapshot)"
			}
			ctx := au.MappingContext(i)
			if ctx == "" {
				ctx = "(unattributed)"
			}
			printf(bw, "  %s  %s  %s  %s%s\n", m.Table, m.Kind, m.Location, ctx, known)
		}
	}
	return bw.Flush()
}

// printf is fmt.Fprintf with every string and Stringer argument made safe
// for a terminal: names, statements and notes come from the database and
// the code, and may hold escape sequences.
func printf(w io.Writer, format string, args ...any) {
	for i, a := range args {
		switch v := a.(type) {
		case string:
			args[i] = termsafe.String(v)
		case fmt.Stringer:
			args[i] = termsafe.String(v.String())
		}
	}
	fmt.Fprintf(w, format, args...)
}

func count(calls int64, stmts int) string {
	if calls == 0 && stmts == 0 {
		return "-"
	}
	return fmt.Sprintf("%d (%d)", calls, stmts)
}

func mapped(n int) string {
	if n == 0 {
		return "-"
	}
	return fmt.Sprint(n)
}

// where names a statement's first location and users, for messages.
func where(st schema.Statement) string {
	s := ""
	if len(st.Locations) > 0 {
		s = " at " + st.Locations[0].String()
		if len(st.Locations) > 1 {
			s += fmt.Sprintf(" (+%d more)", len(st.Locations)-1)
		}
	}
	if len(st.Users) > 0 {
		s += " by " + strings.Join(st.Users, ", ")
	}
	return s
}

func names(ns []schema.TableName) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = n.String()
	}
	return strings.Join(s, ", ")
}

// excerpt returns the first n characters of a statement on one line.
func excerpt(s string, n int) string {
	s = introspect.OneLine(s)
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
