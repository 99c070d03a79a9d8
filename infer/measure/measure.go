// Package measure measures package infer honestly on a real schema: it
// hides the declared foreign keys and counts how many of them inference
// recovers (recall) and how many of its references are declared ones
// (precision).
//
// Two settings: cold, every foreign key hidden (nothing to learn naming
// from), and warm, half of them hidden and half kept, from which inference
// learns; warm counts only the hidden half. Which half is kept is fixed by
// a hash of each key, so runs are repeatable. Each setting is measured with
// all evidence sources, with each source alone, and with the tbls-style
// baseline (a column named <singular table name>_id references that
// table, by its id column or a column of the same name: tbls's four
// naming strategies together).
//
// Foreign keys of partitions count once, for their partitioned root, and
// so do inferred references; a reference is right when its table, columns
// and referenced table are those of a hidden key.
package measure

import (
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"

	"github.com/gobuffalo/flect"
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/schema"
)

// Row is one measurement.
type Row struct {
	// Setting is "cold" or "warm".
	Setting string
	// Method is "all sources", a source name, or "tbls <singular>_id".
	Method string
	// Truth counts the hidden foreign keys, Found the references the
	// method reports (at the threshold), Right those that are hidden keys.
	Truth, Found, Right int
}

// Precision is Right/Found (1 when nothing is found).
func (r Row) Precision() float64 {
	if r.Found == 0 {
		return 1
	}
	return float64(r.Right) / float64(r.Found)
}

// Recall is Right/Truth (1 when there is nothing to find).
func (r Row) Recall() float64 {
	if r.Truth == 0 {
		return 1
	}
	return float64(r.Right) / float64(r.Truth)
}

// Baseline is the method name of the tbls-style baseline.
const Baseline = "tbls <singular>_id"

// AllSources is the method name of inference with every source.
const AllSources = "all sources"

// fk is a foreign key or inferred reference, by identity.
type fk struct {
	table   schema.TableName
	columns string
	parent  schema.TableName
}

// Run measures inference on s at threshold, cold and warm. s is not
// changed.
func Run(s *schema.Snapshot, threshold float64) []Row {
	rows, _ := RunDetail(s, threshold)
	return rows
}

// Miss is a wrong reference (found, not a hidden key) or a hidden key not
// found, of inference with all sources.
type Miss struct {
	Setting string
	// Wrong is true for a reference found that is no hidden key.
	Wrong bool
	Key   string
	// Evidence is the wrong reference's evidence.
	Evidence []schema.Evidence
	Score    float64
}

// RunDetail is Run, with the wrong and missed references of all sources.
func RunDetail(s *schema.Snapshot, threshold float64) ([]Row, []Miss) {
	var misses []Miss
	lk := schema.NewLookup(s)
	truth := map[fk]bool{}
	for i := range s.Tables {
		t := &s.Tables[i]
		for _, f := range t.ForeignKeys {
			truth[fk{lk.Root(t.TableName()), strings.Join(f.Columns, ","), lk.Root(f.References)}] = true
		}
	}
	var rows []Row
	for _, setting := range []string{"cold", "warm"} {
		hidden := map[fk]bool{}
		keep := func(k fk) bool { return setting == "warm" && half(k) }
		for k := range truth {
			if !keep(k) {
				hidden[k] = true
			}
		}
		cut := strip(s, lk, keep)
		methods := append([]string{AllSources}, infer.Sources...)
		for _, method := range methods {
			opt := infer.Options{}
			if method != AllSources {
				opt.Sources = []string{method}
			}
			var found []fk
			got := map[fk]bool{}
			for _, r := range infer.Infer(cut, opt) {
				if r.Score >= threshold {
					k := fk{lk.Root(r.Table), strings.Join(r.Columns, ","), lk.Root(r.References)}
					found = append(found, k)
					got[k] = true
					if method == AllSources && !hidden[k] {
						misses = append(misses, Miss{Setting: setting, Wrong: true, Key: r.Key(), Evidence: r.Evidence, Score: r.Score})
					}
				}
			}
			if method == AllSources {
				for k := range hidden {
					if !got[k] {
						misses = append(misses, Miss{Setting: setting, Key: k.table.String() + "(" + k.columns + ") -> " + k.parent.String()})
					}
				}
			}
			rows = append(rows, count(setting, method, hidden, found))
		}
		rows = append(rows, count(setting, Baseline, hidden, baseline(cut, lk)))
	}
	slices.SortFunc(misses, func(a, b Miss) int { return strings.Compare(a.Setting+a.Key, b.Setting+b.Key) })
	return rows, misses
}

// half reports whether a key is in the half kept in the warm setting.
func half(k fk) bool {
	// The low bits of FNV hashes are poor; a cryptographic hash splits
	// similar names evenly.
	h := sha256.Sum256([]byte(k.table.String() + "|" + k.columns + "|" + k.parent.String()))
	return h[0]&1 == 0
}

// strip returns a copy of s with the foreign keys keep rejects removed
// (and no stored inferred references).
func strip(s *schema.Snapshot, lk *schema.Lookup, keep func(fk) bool) *schema.Snapshot {
	c := *s
	c.Inferred = nil
	c.Tables = slices.Clone(s.Tables)
	for i := range c.Tables {
		t := &c.Tables[i]
		var kept []schema.ForeignKey
		for _, f := range t.ForeignKeys {
			if keep(fk{lk.Root(t.TableName()), strings.Join(f.Columns, ","), lk.Root(f.References)}) {
				kept = append(kept, f)
			}
		}
		t.ForeignKeys = kept
	}
	return &c
}

func count(setting, method string, hidden map[fk]bool, found []fk) Row {
	r := Row{Setting: setting, Method: method, Truth: len(hidden)}
	seen := map[fk]bool{}
	for _, f := range found {
		if seen[f] {
			continue
		}
		seen[f] = true
		r.Found++
		if hidden[f] {
			r.Right++
		}
	}
	return r
}

// baseline is tbls's detectVirtualRelations, with whichever of its four
// naming strategies finds the reference (the most favourable reading of
// it): a column <x>_id references the table named x or its plural, by
// that table's column id or by a column of its own name.
func baseline(s *schema.Snapshot, lk *schema.Lookup) []fk {
	byStem := map[string][]*schema.Table{}
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.IsPartition() {
			continue
		}
		byStem[t.Name] = append(byStem[t.Name], t)
		if sing := flect.Singularize(t.Name); sing != t.Name {
			byStem[sing] = append(byStem[sing], t)
		}
	}
	declared := map[fk]bool{} // by root table and columns
	for i := range s.Tables {
		t := &s.Tables[i]
		for _, f := range t.ForeignKeys {
			declared[fk{table: lk.Root(t.TableName()), columns: strings.Join(f.Columns, ",")}] = true
		}
	}
	var out []fk
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.IsPartition() {
			continue
		}
		for _, c := range t.Columns {
			stem, ok := strings.CutSuffix(c.Name, "_id")
			if !ok || declared[fk{table: t.TableName(), columns: c.Name}] {
				continue
			}
			for _, p := range byStem[stem] {
				if p.TableName() != t.TableName() && (p.Column("id") != nil || p.Column(c.Name) != nil) {
					out = append(out, fk{t.TableName(), c.Name, lk.Root(p.TableName())})
				}
			}
		}
	}
	return out
}

// Markdown renders rows as a Markdown table for one database.
func Markdown(name string, rows []Row) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | setting | method | hidden FKs | found | right | precision | recall |\n|---|---|---|---:|---:|---:|---:|---:|\n", "database")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %d | %d | %d | %.2f | %.2f |\n", name, r.Setting, r.Method, r.Truth, r.Found, r.Right, r.Precision(), r.Recall())
	}
	return b.String()
}
