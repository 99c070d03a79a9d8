//go:build integration

package plan_test

import (
	"reflect"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/internal/testdb"
)

// TestMySQLViewsOnViewsMove moves a table that two views read, one of
// which also reads the other (the employees schema's current_dept_emp and
// dept_emp_latest_date): MySQL checks the views a re-created view reads,
// so the inner one must be re-created first, in Up and in Down.
func TestMySQLViewsOnViewsMove(t *testing.T) {
	dsn := testdb.MySQL(t)
	testdb.ExecMySQL(t, dsn, `CREATE TABLE dept_emp (emp_no int NOT NULL, dept_no char(4) NOT NULL, from_date date NOT NULL, PRIMARY KEY (emp_no, dept_no));
CREATE TABLE employees (emp_no int PRIMARY KEY);
CREATE VIEW b_latest AS SELECT emp_no, max(from_date) AS from_date FROM dept_emp GROUP BY emp_no;
CREATE VIEW a_current AS SELECT l.emp_no, d.dept_no FROM dept_emp d JOIN b_latest l ON d.emp_no = l.emp_no AND d.from_date = l.from_date;`)
	before := introspectDSN(t, "mysql", dsn)
	m, err := contexts.Parse("contexts.yaml", []byte("contexts:\n  org:\n    tables: [dept_emp]\n  hr:\n    tables: [employees]\n"))
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
	dropNamespacesAfter(t, "mysql", dsn, p)
	db := connect(t, "mysql", dsn)
	defer db.close()
	applySteps(t, "mysql", db, p, true)
	applySteps(t, "mysql", db, p, false)
	back := introspectDSN(t, "mysql", dsn)
	comparable(before)
	comparable(back)
	if !reflect.DeepEqual(before, back) {
		t.Errorf("snapshot after every down differs from the original:\n%s", diffSnapshots(before, back))
	}
}
