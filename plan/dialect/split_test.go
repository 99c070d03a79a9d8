package dialect

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// TestChangeErrors checks inputs that cannot give a correct change.
func TestChangeErrors(t *testing.T) {
	tbl := &schema.Table{Schema: "s", Name: "t", Columns: []schema.Column{{Name: "id", Type: "integer"}, {Name: "a", Type: "text"}}}
	fk := schema.ForeignKey{Name: "fk", Columns: []string{"a"}, References: schema.TableName{Schema: "s", Name: "p"}}
	for _, d := range []Dialect{Postgres, MySQL} {
		tests := []struct {
			name string
			c    Change
			want string
		}{
			{"unknown column", d.CreateTableAs(tbl.TableName(), tbl, []string{"id", "nope"}, []string{"id"}), `no column "nope"`},
			{"no columns", d.CreateTableAs(tbl.TableName(), tbl, nil, []string{"id"}), "no columns"},
			{"pk not copied", d.CreateTableAs(tbl.TableName(), tbl, []string{"a"}, []string{"id"}), `primary key column "id"`},
			{"twice", d.CreateTableAs(tbl.TableName(), tbl, []string{"a", "a"}, []string{"a"}), "given twice"},
			{"drop key", d.DropColumns(tbl, []string{"id"}, tbl.TableName(), []string{"id"}), "also dropped"},
			{"unknown key", d.DropColumns(tbl, []string{"a"}, tbl.TableName(), []string{"k"}), `no column "k"`},
			{"fk columns", d.DropForeignKey(tbl.TableName(), fk), "1 columns reference 0"},
			{"unnamed fk", d.DropForeignKey(tbl.TableName(), schema.ForeignKey{Columns: []string{"a"}, RefColumns: []string{"id"}}), "no name"},
			{"no schema", d.MoveTable(schema.TableName{Name: "t"}, "x"), "must be named"},
		}
		for _, tt := range tests {
			if tt.c.Err == nil || !strings.Contains(tt.c.Err.Error(), tt.want) {
				t.Errorf("%s %s: err %v, want %q", d.Name(), tt.name, tt.c.Err, tt.want)
			}
			if len(tt.c.Up)+len(tt.c.Down) != 0 {
				t.Errorf("%s %s: statements with an error", d.Name(), tt.name)
			}
		}
	}
}
