package plan_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/seamsdev/seams/plan"
)

// TestEveryKindDescribed: every Kind constant of the package is listed by
// Kinds with a description.
func TestEveryKindDescribed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var consts []plan.Kind
	for _, f := range files {
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(af, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Kind" {
				for _, v := range vs.Values {
					if lit, ok := v.(*ast.BasicLit); ok {
						s, _ := strconv.Unquote(lit.Value)
						consts = append(consts, plan.Kind(s))
					}
				}
			}
			return true
		})
	}
	if len(consts) < 13 {
		t.Fatalf("found %d Kind constants: the test no longer finds them", len(consts))
	}
	for _, k := range consts {
		if !slices.Contains(plan.Kinds(), k) || k.Description() == "" {
			t.Errorf("kind %s is not listed by Kinds with a description", k)
		}
	}
	if len(plan.Kinds()) != len(consts) {
		t.Errorf("Kinds lists %d kinds, the package declares %d", len(plan.Kinds()), len(consts))
	}
}
