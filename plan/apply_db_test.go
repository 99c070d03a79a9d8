//go:build integration

package plan_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// dropNamespacesAfter drops, when the test ends, the MySQL databases the
// plan may create beside the test database (they are server-wide).
func dropNamespacesAfter(t *testing.T, engine, dsn string, p *plan.Plan) {
	if engine != "mysql" {
		return
	}
	t.Cleanup(func() {
		db := connect(t, engine, dsn)
		defer db.close()
		for _, c := range p.Contexts {
			db.exec(context.Background(), "DROP DATABASE IF EXISTS `"+strings.ReplaceAll(c.Namespace, "`", "``")+"`")
		}
	})
}

// applySteps runs the Up (or, in reverse step order, the Down) statements
// of every step, each step in a transaction on PostgreSQL, and runs the
// verification queries after each Up.
func applySteps(t *testing.T, engine string, db execer, p *plan.Plan, up bool) {
	t.Helper()
	ctx := context.Background()
	steps := slices.Clone(p.Steps)
	if !up {
		slices.Reverse(steps)
	}
	for _, s := range steps {
		stmts := s.Up
		if !up {
			stmts = s.Down
		}
		if len(stmts) == 0 {
			continue
		}
		tx := engine == "postgres"
		if tx {
			if err := db.exec(ctx, "BEGIN"); err != nil {
				t.Fatal(err)
			}
		}
		for _, st := range stmts {
			if err := db.exec(ctx, st); err != nil {
				t.Fatalf("step %d %s (up=%v): %v\n%s", s.N, s.Slug, up, err, st)
			}
		}
		if tx {
			if err := db.exec(ctx, "COMMIT"); err != nil {
				t.Fatalf("step %d %s: commit: %v", s.N, s.Slug, err)
			}
		}
		if !up {
			continue
		}
		for _, v := range s.Verify {
			got, err := db.query1(ctx, v.Query)
			if err != nil {
				t.Fatalf("step %d %s: verify: %v\n%s", s.N, s.Slug, err, v.Query)
			}
			if got != v.Expect {
				t.Errorf("step %d %s: verify got %s, want %s\n%s", s.N, s.Slug, got, v.Expect, v.Query)
			}
		}
	}
}

// comparable clears what a round trip may change without changing the
// schema: counters, estimates, capture details, and the order of columns
// (PostgreSQL re-adds dropped columns at the end of the table).
func comparable(s *schema.Snapshot) {
	stable(s)
	for i := range s.Tables {
		slices.SortFunc(s.Tables[i].Columns, func(a, b schema.Column) int { return strings.Compare(a.Name, b.Name) })
	}
	for i := range s.Views {
		s.Views[i].Columns = nil
		s.Views[i].Definition = ""
	}
	s.Normalize()
}

func TestMigrationsApply(t *testing.T) {
	for _, engine := range []string{"postgres", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			dsn, before := loadMusicCorp(t, engine)
			a := resolveMusicCorp(t, before)
			p, err := planOf(before, a)
			if err != nil {
				t.Fatal(err)
			}
			dropNamespacesAfter(t, engine, dsn, p)
			db := connect(t, engine, dsn)
			defer db.close()

			applySteps(t, engine, db, p, true)
			after := introspectAll(t, engine, dsn, p)
			assertSeparated(t, after, p)

			applySteps(t, engine, db, p, false)
			back := introspectDSN(t, engine, dsn)
			comparable(before)
			comparable(back)
			if !reflect.DeepEqual(before, back) {
				t.Errorf("snapshot after every down differs from the original:\n%s", diffSnapshots(before, back))
			}
		})
	}
}

// introspectAll reads every namespace the plan uses: all schemas on
// PostgreSQL; on MySQL each context's database, merged into one snapshot.
func introspectAll(t *testing.T, engine, dsn string, p *plan.Plan) *schema.Snapshot {
	t.Helper()
	s := introspectDSN(t, engine, dsn)
	if engine != "mysql" {
		return s
	}
	cfg, _ := gomysql.ParseDSN(dsn)
	for _, c := range p.Contexts {
		c2 := cfg.Clone()
		c2.DBName = c.Namespace
		db := connect(t, engine, c2.FormatDSN())
		_, err := db.query1(context.Background(), "SELECT 1")
		db.close()
		if err != nil {
			continue // the plan did not create it
		}
		o := introspectDSN(t, engine, c2.FormatDSN())
		s.Schemas = append(s.Schemas, o.Schemas...)
		s.Tables = append(s.Tables, o.Tables...)
		s.Views = append(s.Views, o.Views...)
		s.Triggers = append(s.Triggers, o.Triggers...)
	}
	s.Normalize()
	return s
}

// assertSeparated checks that every context's tables are in its namespace
// and that no foreign key leaves a context's namespace.
func assertSeparated(t *testing.T, s *schema.Snapshot, p *plan.Plan) {
	t.Helper()
	spaces := map[string]string{}
	for _, c := range p.Contexts {
		spaces[c.Namespace] = c.Name
	}
	have := map[schema.TableName]bool{}
	for _, tb := range s.Tables {
		have[tb.TableName()] = true
	}
	for _, c := range p.Contexts {
		for _, n := range c.Tables {
			// A shared table handed over to a proposed context is checked
			// with its new owner; any other table of c, or c's part of a
			// split table, must be in c's namespace.
			if slices.Contains(c.Shared, n) && handedOver(p, n) {
				continue
			}
			if !have[schema.TableName{Schema: c.Namespace, Name: n.Name}] {
				t.Errorf("context %s: table %s (or its part) is not in %s", c.Name, n, c.Namespace)
			}
		}
	}
	crossing := 0
	for _, tb := range s.Tables {
		from, ok := spaces[tb.Schema]
		if !ok {
			continue // tables of no context (unassigned) stay behind
		}
		for _, fk := range tb.ForeignKeys {
			to := spaces[fk.References.Schema]
			if fk.References.Schema != tb.Schema {
				crossing++
				t.Errorf("foreign key %s of %s (%s) references %s (%s)", fk.Name, tb.TableName(), from, fk.References, to)
			}
		}
	}
	t.Logf("%d tables, %d foreign keys leaving a context's namespace", len(s.Tables), crossing)
}

// diffSnapshots describes the first differences between two snapshots.
func diffSnapshots(a, b *schema.Snapshot) string {
	var out []string
	ta := map[schema.TableName]schema.Table{}
	for _, x := range a.Tables {
		ta[x.TableName()] = x
	}
	for _, y := range b.Tables {
		x, ok := ta[y.TableName()]
		if !ok {
			out = append(out, "extra table "+y.TableName().String())
			continue
		}
		delete(ta, y.TableName())
		if !reflect.DeepEqual(x, y) {
			out = append(out, fmt.Sprintf("table %s:\n  was %+v\n  now %+v", y.TableName(), x, y))
		}
	}
	for n := range ta {
		out = append(out, "missing table "+n.String())
	}
	if !reflect.DeepEqual(a.Views, b.Views) {
		out = append(out, fmt.Sprintf("views:\n  was %+v\n  now %+v", a.Views, b.Views))
	}
	if !reflect.DeepEqual(a.Triggers, b.Triggers) {
		out = append(out, fmt.Sprintf("triggers:\n  was %+v\n  now %+v", a.Triggers, b.Triggers))
	}
	if !reflect.DeepEqual(a.Schemas, b.Schemas) {
		out = append(out, fmt.Sprintf("schemas: was %v now %v", a.Schemas, b.Schemas))
	}
	return strings.Join(out, "\n")
}
