package dialect

import "github.com/seamsdev/seams/schema"

// Outline returns a dialect that quotes and names objects as d does but
// writes no statements: every Change it returns is empty (no Up, Down,
// Notes or Err) and every query is "". The plan's steps take the same
// decisions with it as with d, since they depend on the dialect's name and
// its names for objects, never on the statements. Outline(nil) is nil.
func Outline(d Dialect) Dialect {
	if d == nil {
		return nil
	}
	return outline{d}
}

// outline is the Dialect of Outline: d's Name, Ident, Table, Literal and
// ObjectName, and empty changes.
type outline struct{ Dialect }

func (outline) CreateNamespace(string) Change             { return Change{} }
func (outline) MoveTable(schema.TableName, string) Change { return Change{} }
func (outline) MoveTableWithTriggers(schema.TableName, string, []schema.Trigger) Change {
	return Change{}
}
func (outline) MoveTableWithDependents(schema.TableName, string, []schema.Trigger, []schema.View) Change {
	return Change{}
}
func (outline) DropForeignKey(schema.TableName, schema.ForeignKey) Change { return Change{} }
func (outline) DropForeignKeyOf(*schema.Table, schema.ForeignKey) Change  { return Change{} }
func (outline) AddForeignKey(schema.TableName, schema.ForeignKey) Change  { return Change{} }
func (outline) AddForeignKeyOf(*schema.Table, schema.ForeignKey) Change   { return Change{} }
func (outline) OrphanCount(schema.TableName, schema.ForeignKey) string    { return "" }
func (outline) SetSearchPath(schema.Routine, bool, []string, []string) Change {
	return Change{}
}
func (outline) CreateTableAs(schema.TableName, *schema.Table, []string, []string) Change {
	return Change{}
}
func (outline) DropColumns(*schema.Table, []string, schema.TableName, []string) Change {
	return Change{}
}
