package dialect

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/golden"
	"github.com/seamsdev/seams/schema"
)

// goldenTable is a hostile table as each engine's snapshot describes it.
func goldenTable(d Dialect) *schema.Table {
	def := func(s string) *string { return &s }
	t := &schema.Table{Schema: nsSource, Name: childT, Kind: schema.KindTable}
	if d.Name() == schema.DialectPostgres {
		t.Columns = []schema.Column{
			{Name: "id", Type: "integer", Identity: "always"},
			{Name: colA, Type: "integer", Default: def("7")},
			{Name: colD, Type: "character varying(30)", Default: def(`'it''s \ here'::character varying`)},
			{Name: colE, Type: "text", Nullable: true, Comment: comment},
			{Name: colG, Type: "integer", Nullable: true, Generated: "stored", Expression: `("a b" * 2)`},
			{Name: colC, Type: "integer", Default: def(`nextval('"src ""q"""."order_seq"'::regclass)`)},
		}
	} else {
		t.Columns = []schema.Column{
			{Name: "id", Type: "int(11)", Identity: "auto_increment"},
			{Name: colA, Type: "int(11)", Default: def("7")},
			{Name: colD, Type: "varchar(30)", Default: def(`'it''s \\ here'`)},
			{Name: colE, Type: "text", Nullable: true, Comment: comment},
			{Name: colG, Type: "int(11)", Nullable: true, Generated: "stored", Expression: "`a b` * 2"},
			{Name: colC, Type: "varchar(36)", Nullable: true, Default: def("uuid()")},
		}
	}
	return t
}

// TestGolden writes the SQL of every method for hostile names, to be read
// by eye: testdata/<dialect>.golden (go test -run Golden -update).
func TestGolden(t *testing.T) {
	for _, d := range []Dialect{Postgres, MySQL} {
		t.Run(string(d.Name()), func(t *testing.T) {
			var b strings.Builder
			tbl := goldenTable(d)
			parent := schema.TableName{Schema: nsTarget, Name: parentT}
			child := tbl.TableName()
			fk := schema.ForeignKey{Name: fkName, Columns: []string{colA, colD}, References: parent, RefColumns: []string{"id", colKey},
				OnDelete: schema.Cascade, OnUpdate: schema.SetNull, Enforced: true, Valid: true}
			deferred := fk
			deferred.OnDelete, deferred.OnUpdate, deferred.Deferrable, deferred.InitiallyDeferred, deferred.Valid = schema.NoAction, schema.Restrict, true, true, false
			split := schema.TableName{Schema: nsTarget, Name: "split " + childT}
			trigger := schema.Trigger{Schema: nsSource, Name: "trg " + fkName, Table: child, Timing: "AFTER", Events: []string{"INSERT"}, Level: "ROW",
				Body:   "BEGIN\n  INSERT INTO `audit` VALUES (NEW.id, 'it''s; -- \\\\ done');\nEND",
				Writes: []schema.TableName{{Schema: nsSource, Name: "audit"}}}
			write := func(title string, c Change) {
				fmt.Fprintf(&b, "### %s\n", title)
				if c.Err != nil {
					fmt.Fprintf(&b, "-- error: %v\n\n", c.Err)
					return
				}
				for _, part := range []struct {
					name  string
					stmts []string
				}{{"up", c.Up}, {"down", c.Down}} {
					fmt.Fprintf(&b, "-- %s\n", part.name)
					for _, s := range part.stmts {
						b.WriteString(s + ";\n")
					}
				}
				for _, n := range c.Notes {
					fmt.Fprintf(&b, "-- note: %s\n", n)
				}
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "-- Ident: %s\n-- Table: %s\n", d.Ident(childT), d.Table(child))
			for _, s := range []string{"it's", `a\b`, "é表 -- /*"} {
				fmt.Fprintf(&b, "-- Literal(%q): %s\n", s, d.Literal(s))
			}
			fmt.Fprintf(&b, "-- ObjectName: %s\n\n", d.ObjectName(strings.Repeat("long name é ", 8), "pkey"))
			write("CreateNamespace", d.CreateNamespace(nsTarget))
			write("MoveTable", d.MoveTable(child, nsTarget))
			write("MoveTableWithTriggers", d.MoveTableWithTriggers(child, nsTarget, []schema.Trigger{trigger}))
			view := schema.View{Schema: nsSource, Name: "v " + colG,
				Definition: "select `src \"q\" ;``b`` -- /* é.x\\y 表`.`order \"item\"; --`.`id` AS `id`, '--' AS `x` from `src \"q\" ;``b`` -- /* é.x\\y 表`.`order \"item\"; --`"}
			write("MoveTableWithDependents", d.MoveTableWithDependents(child, nsTarget, nil, []schema.View{view}))
			// Re-created in the session they were created in, with their
			// options (MySQL).
			mode := "STRICT_ALL_TABLES,NO_ZERO_DATE"
			own := trigger
			own.CreatedWith = &schema.CreatedWith{SQLMode: &mode, CharacterSetClient: "utf8mb4", CollationConnection: "utf8mb4_general_ci"}
			ownView := view
			ownView.Security, ownView.CheckOption, ownView.Algorithm = "INVOKER", "CASCADED", "MERGE"
			ownView.CreatedWith = &schema.CreatedWith{CharacterSetClient: "latin1", CollationConnection: "latin1_swedish_ci"}
			write("MoveTableWithDependents, own session", d.MoveTableWithDependents(child, nsTarget, []schema.Trigger{own}, []schema.View{ownView}))
			// With their definers (MySQL), hostile: the host is what follows
			// the last @.
			own.Definer, ownView.Definer = "app`@'x'@%", "report@reports.example`; DROP DATABASE x; --"
			write("MoveTableWithDependents, own definers", d.MoveTableWithDependents(child, nsTarget, []schema.Trigger{own}, []schema.View{ownView}))
			write("DropForeignKey", d.DropForeignKey(child, fk))
			write("DropForeignKey deferrable, not valid", d.DropForeignKey(child, deferred))
			fmt.Fprintf(&b, "### OrphanCount\n%s;\n\n", d.OrphanCount(child, fk))
			write("CreateTableAs", d.CreateTableAs(split, tbl, []string{"id", colD, colE, colG, colC}, []string{"id"}))
			write("DropColumns", d.DropColumns(tbl, []string{colD, colE, colG, colC}, split, []string{"id"}))
			write("DropColumns identity", d.DropColumns(tbl, []string{"id"}, split, []string{colA}))
			write("DropColumns unknown column", d.DropColumns(tbl, []string{"nope"}, split, []string{"id"}))

			golden.Assert(t, filepath.Join("testdata", string(d.Name())+".golden"), []byte(b.String()))
		})
	}
}
