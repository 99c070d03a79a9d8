package plan_test

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// TestMySQLRoutinesThatBreak: a MySQL routine resolves a table it names
// without a database in its own database; moving the table breaks it. seams
// does not rewrite routine bodies: the move step says which routine breaks
// and what to do, and the plan warns (the employees schema's
// current_manager() reads dept_manager this way).
func TestMySQLRoutinesThatBreak(t *testing.T) {
	s := snap(table("dept_manager", "id"), table("employees", "id"))
	s.Source.Engine = schema.MariaDB
	s.Routines = []schema.Routine{
		{Schema: "app", Name: "current_manager", Kind: "function", Language: "sql",
			Reads: []schema.TableName{name("dept_manager")}, Writes: []schema.TableName{}, ByPath: []schema.TableName{name("dept_manager")}},
		{Schema: "app", Name: "emp_name", Kind: "function", Language: "sql",
			Reads: []schema.TableName{name("employees")}, Writes: []schema.TableName{}, ByPath: []schema.TableName{name("employees")}},
	}
	p := build(t, s, "org: dept_manager; hr: employees")
	var notes []string
	for _, st := range p.Steps {
		if st.Slug == "separate_org" {
			notes = st.Notes
		}
	}
	got := strings.Join(notes, "\n")
	if !strings.Contains(got, "function app.current_manager names dept_manager without a database: after this step it fails") ||
		strings.Contains(got, "emp_name") {
		t.Errorf("separate_org notes:\n%s", got)
	}
	if !strings.Contains(strings.Join(p.Warnings, "\n"), "MySQL routine app.current_manager breaks") {
		t.Errorf("warnings %q", p.Warnings)
	}
}
