package contexts

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// synthetic returns a snapshot of n tables in 5 schemas, named for 20
// contexts (c00_..c19_), each with 8 columns; every 50th table has two
// partitions.
func synthetic(n int) *schema.Snapshot {
	s := &schema.Snapshot{Format: schema.FormatVersion}
	for i := 0; i < 5; i++ {
		s.Schemas = append(s.Schemas, schema.Schema{Name: fmt.Sprintf("s%d", i)})
	}
	cols := make([]schema.Column, 8)
	for i := range cols {
		cols[i] = schema.Column{Name: fmt.Sprintf("col%d", i), Type: "int"}
	}
	for i := 0; i < n; i++ {
		t := schema.Table{Schema: fmt.Sprintf("s%d", i%5), Name: fmt.Sprintf("c%02d_t%05d", i%20, i), Kind: schema.KindTable, Columns: cols}
		s.Tables = append(s.Tables, t)
		if i%50 == 0 {
			parent := t.TableName()
			for p := 0; p < 2; p++ {
				s.Tables = append(s.Tables, schema.Table{Schema: t.Schema, Name: fmt.Sprintf("%s_p%d", t.Name, p),
					Kind: schema.KindTable, PartitionOf: &parent, Columns: cols})
			}
		}
	}
	return s
}

// syntheticMap writes a map of 20 contexts for synthetic: each claims its
// tables by a name glob and a schema.glob, a few by exact name, one with
// columns and access; the last context shares a table with the first.
func syntheticMap() string {
	var b strings.Builder
	b.WriteString("contexts:\n")
	for c := 0; c < 20; c++ {
		fmt.Fprintf(&b, "  ctx%02d:\n    owner: team-%02d\n    tables:\n", c, c)
		fmt.Fprintf(&b, "      - \"c%02d_t0*\"\n", c)
		fmt.Fprintf(&b, "      - \"s%d.c%02d_*\"\n", c%5, c)
		for k := 0; k < 5; k++ {
			i := 1000 + c + 20*k
			fmt.Fprintf(&b, "      - s%d.c%02d_t%05d\n", i%5, c, i)
		}
		fmt.Fprintf(&b, "      - c%02d_t%05d: {columns: [col1, col2], access: write}\n", c, 2000+c)
	}
	b.WriteString("      - c00_t02000: {columns: [col3], access: read}\n")
	b.WriteString("static: [\"c19_t0999*\"]\nignore: [\"c18_t09*\"]\n")
	return b.String()
}

func TestSyntheticResolves(t *testing.T) {
	s := synthetic(10000)
	m, err := Parse("bench.yaml", []byte(syntheticMap()))
	if err != nil {
		t.Fatal(err)
	}
	a, err := Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	// c%02d_t0* claims every table of its context with a 5-digit number
	// below 10000: all of them, except the ignored c18_t09xxx.
	ignored := 0
	for i := 0; i < 10000; i++ {
		if i%20 == 18 && i >= 9000 {
			ignored++
		}
	}
	if len(a.Claims) != 10000-ignored || len(a.Ignored) != ignored {
		t.Errorf("claims %d, ignored %d; want %d, %d", len(a.Claims), len(a.Ignored), 10000-ignored, ignored)
	}
	if len(a.Unassigned) != 0 || len(a.Warnings) != 0 {
		t.Errorf("unassigned %v, warnings %v", a.Unassigned, a.Warnings)
	}
	if got := a.ContextsOf(schema.TableName{Schema: "s0", Name: "c00_t02000"}); len(got) != 2 || got[0] != "ctx00" || got[1] != "ctx19" {
		t.Errorf("shared table contexts %v", got)
	}
	if got := a.Tables("ctx07"); len(got) != 500 {
		t.Errorf("ctx07 has %d tables, want 500", len(got))
	}
}

func BenchmarkResolve(b *testing.B) {
	s := synthetic(10000)
	m, err := Parse("bench.yaml", []byte(syntheticMap()))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Resolve(m, s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse(b *testing.B) {
	data := []byte(syntheticMap())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("bench.yaml", data); err != nil {
			b.Fatal(err)
		}
	}
}
