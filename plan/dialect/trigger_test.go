package dialect

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

func TestRetargetMySQLView(t *testing.T) {
	from := schema.TableName{Schema: "a", Name: "t"}
	to := schema.TableName{Schema: "b`x", Name: "t"}
	tests := []struct {
		in, want string
		n        int
	}{
		{"select `a`.`t`.`id` AS `id` from `a`.`t`", "select `b``x`.`t`.`id` AS `id` from `b``x`.`t`", 2},
		{"select `x`.`id` AS `id` from `a`.`t` `x` join `a`.`tt` on 1", "select `x`.`id` AS `id` from `b``x`.`t` `x` join `a`.`tt` on 1", 1},
		{"select '`a`.`t`' AS `s` from a.t", "select '`a`.`t`' AS `s` from `b``x`.`t`", 1},
		{"select 'it''s `a`.`t`', \"`a`.`t`\" from `a` . `t`", "select 'it''s `a`.`t`', \"`a`.`t`\" from `b``x`.`t`", 1},
		{"select `z`.`a`.`t` from `z`.`a`", "select `z`.`a`.`t` from `z`.`a`", 0},
		{"select 1 /* `a`.`t` */ from `A`.`t`", "select 1 /* `a`.`t` */ from `A`.`t`", 0},
	}
	for _, tt := range tests {
		got, n := RetargetMySQLView(tt.in, from, to)
		if got != tt.want || n != tt.n {
			t.Errorf("RetargetMySQLView(%q) = %q, %d; want %q, %d", tt.in, got, n, tt.want, tt.n)
		}
	}
}

// TestMoveTableUnknownView checks that a view whose definition is unknown
// is reported, not silently left broken.
func TestMoveTableUnknownView(t *testing.T) {
	tbl := schema.TableName{Schema: "a", Name: "t"}
	c := MySQL.MoveTableWithDependents(tbl, "b", nil, []schema.View{{Schema: "a", Name: "v"}})
	if c.Err != nil || len(c.Up) != 1 || !strings.Contains(strings.Join(c.Notes, "\n"), "view a.v is not re-created") {
		t.Errorf("change %+v", c)
	}
	if c := Postgres.MoveTableWithDependents(tbl, "b", nil, []schema.View{{Schema: "a", Name: "v"}}); c.Err != nil || len(c.Up) != 1 || len(c.Notes) != 0 {
		t.Errorf("postgres change %+v", c)
	}
}
