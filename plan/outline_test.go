package plan_test

import (
	"bytes"
	"fmt"
	"slices"
	"testing"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/text"
	"github.com/seamsdev/seams/schema"
)

// TestOutline checks that a plan built without SQL (Options.Outline) takes
// every decision the full plan takes: the same findings, groups, order and
// steps, with only the statements, their checks and the dialect's notes
// left out, and the same text summary, plain and detailed. The schemas
// cover both dialects, shared tables split by columns, views and triggers
// moved with their tables, and partitions.
func TestOutline(t *testing.T) {
	type input struct {
		name string
		s    *schema.Snapshot
		a    *contexts.Assignment
	}
	var inputs []input
	for _, engine := range []string{"postgres", "mysql"} {
		s := musicCorpSnapshot(t, engine)
		inputs = append(inputs, input{"musiccorp-" + engine, s, resolveMusicCorp(t, s)})
		g, err := synth.Generate(synth.Options{Tables: 400, Contexts: 8, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		gs, err := g.Snapshot(engine)
		if err != nil {
			t.Fatal(err)
		}
		m, err := contexts.Parse("contexts.yaml", []byte(g.ContextsYAML()))
		if err != nil {
			t.Fatal(err)
		}
		ga, err := contexts.Resolve(m, gs)
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, input{"synth-" + engine, gs, ga})
	}
	for _, in := range inputs {
		t.Run(in.name, func(t *testing.T) {
			full, err := analysis.Run(in.s, in.a, analysis.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := analysis.Run(in.s, in.a, analysis.Options{Plan: plan.Options{Outline: true}})
			if err != nil {
				t.Fatal(err)
			}
			for _, write := range []func(*bytes.Buffer, *plan.Plan) error{
				func(w *bytes.Buffer, p *plan.Plan) error { return text.Write(w, p) },
				func(w *bytes.Buffer, p *plan.Plan) error { return text.WriteDetail(w, p) },
			} {
				var ft, ot bytes.Buffer
				if err := write(&ft, full.Plan); err != nil {
					t.Fatal(err)
				}
				if err := write(&ot, out.Plan); err != nil {
					t.Fatal(err)
				}
				if ft.String() != ot.String() {
					t.Errorf("text differs:\n--- full\n%s\n--- outline\n%s", ft.String(), ot.String())
				}
			}
			f, o := full.Plan, out.Plan
			if len(f.Steps) == 0 {
				t.Fatal("the full plan has no steps: nothing is compared")
			}
			withSQL := 0
			for _, s := range f.Steps {
				if len(s.Up) > 0 {
					withSQL++
				}
			}
			if withSQL == 0 {
				t.Fatal("no step of the full plan has SQL: nothing is left out")
			}
			if len(o.Steps) != len(f.Steps) {
				t.Fatalf("outline has %d steps, the full plan %d", len(o.Steps), len(f.Steps))
			}
			for i, fs := range f.Steps {
				os := o.Steps[i]
				if len(os.Up)+len(os.Down)+len(os.Verify) > 0 {
					t.Errorf("outline step %d carries SQL: %q %q %v", os.N, os.Up, os.Down, os.Verify)
				}
				for _, n := range os.Notes {
					if !slices.Contains(fs.Notes, n) {
						t.Errorf("outline step %d has a note the full plan's has not: %q", os.N, n)
					}
				}
				fs.Up, fs.Down, fs.Verify, fs.Notes = nil, nil, nil, nil
				os.Up, os.Down, os.Verify, os.Notes = nil, nil, nil, nil
				if a, b := fmt.Sprintf("%#v", fs), fmt.Sprintf("%#v", os); a != b {
					t.Errorf("step %d differs:\nfull    %s\noutline %s", fs.N, a, b)
				}
			}
			f.Steps, o.Steps = nil, nil // compared above; f and o are not used after
			var fj, oj bytes.Buffer
			if err := f.Encode(&fj); err != nil {
				t.Fatal(err)
			}
			if err := o.Encode(&oj); err != nil {
				t.Fatal(err)
			}
			if fj.String() != oj.String() {
				t.Errorf("the plans differ apart from their steps")
			}
		})
	}
}
