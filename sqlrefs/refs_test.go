package sqlrefs

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// refCase is one table-driven case: the SQL and the exact references.
type refCase struct {
	name    string
	sql     string
	reads   []schema.TableName
	writes  []schema.TableName
	dynamic []string
	// calls, when not nil, are the exact calls expected ([]string{} for
	// none); nil leaves them unchecked.
	calls []string
}

// n is a table name; n("a.b") is schema a, table b; n("b") is unqualified.
// Names that hold a dot themselves are written with tq.
func n(s string) schema.TableName {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return schema.TableName{Schema: s[:i], Name: s[i+1:]}
	}
	return schema.TableName{Name: s}
}

func tq(schemaName, name string) schema.TableName {
	return schema.TableName{Schema: schemaName, Name: name}
}

func ts(ss ...string) []schema.TableName {
	out := make([]schema.TableName, len(ss))
	for i, s := range ss {
		out[i] = n(s)
	}
	return out
}

func fmtNames(ns []schema.TableName) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = fmt.Sprintf("%q.%q", n.Schema, n.Name)
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// checkRefs compares got with the case's expectations, exactly.
func checkRefs(tb testing.TB, c refCase, got Refs) {
	tb.Helper()
	if !slices.Equal(got.Reads, c.reads) {
		tb.Errorf("%s: reads = %s, want %s", c.name, fmtNames(got.Reads), fmtNames(c.reads))
	}
	if !slices.Equal(got.Writes, c.writes) {
		tb.Errorf("%s: writes = %s, want %s", c.name, fmtNames(got.Writes), fmtNames(c.writes))
	}
	if !slices.Equal(got.Dynamic, c.dynamic) {
		tb.Errorf("%s: dynamic = %q, want %q", c.name, got.Dynamic, c.dynamic)
	}
	if c.calls != nil && !slices.Equal(got.Calls, c.calls) && (len(got.Calls) > 0 || len(c.calls) > 0) {
		tb.Errorf("%s: calls = %q, want %q", c.name, got.Calls, c.calls)
	}
}

// runCases runs fn on every case and checks the result; a case must not fail.
func runCases(tb *testing.T, fn func(string) (Refs, error), cases []refCase) {
	tb.Helper()
	for _, c := range cases {
		tb.Run(c.name, func(tb *testing.T) {
			got, err := fn(c.sql)
			if err != nil {
				tb.Fatalf("unexpected error: %v", err)
			}
			checkRefs(tb, c, got)
			// The result is deterministic.
			for range 3 {
				again, _ := fn(c.sql)
				if !reflect.DeepEqual(again, got) {
					tb.Fatalf("second run gave %+v, first %+v", again, got)
				}
			}
		})
	}
}

// errCase is input that must be rejected with an error naming it.
type errCase struct {
	name string
	sql  string
	// want are substrings the one-line error must hold.
	want []string
	// reads are the references still found in the rest of the input.
	reads, writes []schema.TableName
}

func runErrCases(tb *testing.T, fn func(string) (Refs, error), cases []errCase) {
	tb.Helper()
	for _, c := range cases {
		tb.Run(c.name, func(tb *testing.T) {
			got, err := fn(c.sql)
			if err == nil {
				tb.Fatalf("no error; refs %+v", got)
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") {
				tb.Errorf("error is not one line: %q", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					tb.Errorf("error %q does not contain %q", msg, w)
				}
			}
			checkRefs(tb, refCase{name: c.name, reads: c.reads, writes: c.writes}, got)
		})
	}
}

func TestExcerpt(t *testing.T) {
	long := "SELECT a, b, c, d, e, f, g FROM some_table_with_a_long_name WHERE x = 1 AND y = 2"
	if got, want := excerpt(long), "SELECT a, b, c, d, e, f, g FROM some_table_with_a_long_name…"; got != want {
		t.Errorf("excerpt = %q, want %q", got, want)
	}
	if got, want := excerpt("SELECT\n\t1"), "SELECT 1"; got != want {
		t.Errorf("excerpt = %q, want %q", got, want)
	}
	if got, want := excerpt("ünïcode ünïcode ünïcode ünïcode ünïcode ünïcode ünïcode ünïcode"), "ünïcode ünïcode ünïcode ünïcode ünïcode ünïcode ünïcode ünïc…"; got != want {
		t.Errorf("excerpt = %q, want %q", got, want)
	}
}

// TestConcurrent runs the analysers from many goroutines at once: the
// parsers are shared (Vitess) or thread-local (libpg_query) and the results
// must not change.
func TestConcurrent(t *testing.T) {
	type job struct {
		fn   func(string) (Refs, error)
		c    refCase
		want Refs
	}
	var jobs []job
	add := func(fn func(string) (Refs, error), cases []refCase) {
		for _, c := range cases {
			want, _ := fn(c.sql)
			jobs = append(jobs, job{fn, c, want})
		}
	}
	add(Postgres, pgCases)
	add(PLpgSQL, plpgsqlCases)
	for _, v := range mariaViews {
		add(MySQL, []refCase{{name: v.name, sql: v.def}})
	}
	for _, tr := range mariaTriggers {
		add(MySQLTriggerBody, []refCase{{name: tr.name, sql: tr.body}})
	}
	done := make(chan string, 8)
	for g := range 8 {
		go func() {
			for i := range jobs {
				j := jobs[(i+g*7)%len(jobs)]
				got, _ := j.fn(j.c.sql)
				if !reflect.DeepEqual(got, j.want) {
					done <- fmt.Sprintf("%s: concurrent run gave %+v, want %+v", j.c.name, got, j.want)
					return
				}
			}
			done <- ""
		}()
	}
	for range 8 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}
