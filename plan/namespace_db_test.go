//go:build integration

package plan_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
)

// TestLongNamespaces: a context's MySQL database is named after the source
// database and the context, and PostgreSQL schemas after the context; both
// engines limit names (MySQL to 64 characters, PostgreSQL to 63 bytes).
// A plan whose names would be longer shortens them, says so, and its steps
// apply and roll back on the real servers.
func TestLongNamespaces(t *testing.T) {
	long := "finance_and_accounting_for_the_whole_company_and_all_of_its_subsidiaries"
	for _, tt := range []struct {
		engine string
		limit  func(string) int
	}{
		{"mysql", utf8.RuneCountInString},
		{"postgres", func(s string) int { return len(s) }},
	} {
		t.Run(tt.engine, func(t *testing.T) {
			dsn, before := loadMusicCorp(t, tt.engine)
			m, err := contexts.Parse("contexts.yaml", []byte(strings.Replace(musiccorp.ContextsYAML, "\n  finance:", "\n  "+long+":", 1)))
			if err != nil {
				t.Fatal(err)
			}
			a, err := contexts.Resolve(m, before)
			if err != nil {
				t.Fatal(err)
			}
			p, err := planOf(before, a)
			if err != nil {
				t.Fatal(err)
			}
			var ns string
			for _, c := range p.Contexts {
				if c.Name == long {
					ns = c.Namespace
				}
			}
			if max := map[string]int{"mysql": 64, "postgres": 63}[tt.engine]; tt.limit(ns) > max || ns == "" {
				t.Fatalf("namespace %q: %d, over %d", ns, tt.limit(ns), max)
			}
			warned := false
			for _, w := range p.Warnings {
				warned = warned || strings.Contains(w, ns)
			}
			if !warned {
				t.Errorf("no warning names the shortened %q: %q", ns, p.Warnings)
			}
			dropNamespacesAfter(t, tt.engine, dsn, p)
			db := connect(t, tt.engine, dsn)
			defer db.close()
			applySteps(t, tt.engine, db, p, true)
			applySteps(t, tt.engine, db, p, false)
		})
	}
}
