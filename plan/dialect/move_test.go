//go:build integration

package dialect

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

func TestDropForeignKey(t *testing.T) {
	type setup func(s *server, ns1, ns2 string) (child schema.TableName, fk schema.ForeignKey)
	tests := []struct {
		name    string
		engines []string
		setup   setup
	}{
		{"composite cascade set null", servers(), func(s *server, ns1, _ string) (schema.TableName, schema.ForeignKey) {
			_, child, fk := fixture(s, ns1, ns1)
			return child, fk
		}},
		{"parent in another namespace", servers(), func(s *server, ns1, ns2 string) (schema.TableName, schema.ForeignKey) {
			_, child, fk := fixture(s, ns2, ns1)
			return child, fk
		}},
		{"self reference restrict", servers(), func(s *server, ns1, _ string) (schema.TableName, schema.ForeignKey) {
			d := s.d
			n := schema.TableName{Schema: ns1, Name: colG}
			s.mustExec("CREATE TABLE "+d.Table(n)+" (id integer PRIMARY KEY, "+d.Ident(colA)+" integer, CONSTRAINT "+d.Ident(fkName)+
				" FOREIGN KEY ("+d.Ident(colA)+") REFERENCES "+d.Table(n)+" (id) ON UPDATE RESTRICT ON DELETE SET NULL)",
				"INSERT INTO "+d.Table(n)+" VALUES (1, NULL), (2, 1), (3, 2)")
			return n, schema.ForeignKey{Name: fkName, Columns: []string{colA}, References: n, RefColumns: []string{"id"},
				OnUpdate: schema.Restrict, OnDelete: schema.SetNull, Enforced: true, Valid: true}
		}},
		{"deferrable initially deferred", []string{"postgres"}, func(s *server, ns1, _ string) (schema.TableName, schema.ForeignKey) {
			parent, child, fk := fixture(s, ns1, ns1)
			s.mustExec("ALTER TABLE " + s.d.Table(child) + " DROP CONSTRAINT " + s.d.Ident(fkName))
			s.mustExec("ALTER TABLE " + s.d.Table(child) + " ADD CONSTRAINT " + s.d.Ident(fkName) + " FOREIGN KEY (" + s.d.Ident(colA) + ", " + s.d.Ident(colB) +
				") REFERENCES " + s.d.Table(parent) + " (id, " + s.d.Ident(colKey) + ") DEFERRABLE INITIALLY DEFERRED")
			fk.OnUpdate, fk.OnDelete, fk.Deferrable, fk.InitiallyDeferred = schema.NoAction, schema.NoAction, true, true
			return child, fk
		}},
		{"not valid with an orphan", []string{"postgres"}, func(s *server, ns1, _ string) (schema.TableName, schema.ForeignKey) {
			parent, child, fk := fixture(s, ns1, ns1)
			s.mustExec("ALTER TABLE "+s.d.Table(child)+" DROP CONSTRAINT "+s.d.Ident(fkName),
				"INSERT INTO "+s.d.Table(child)+" VALUES (99, 42, 'nope', 'orphan')",
				"ALTER TABLE "+s.d.Table(child)+" ADD CONSTRAINT "+s.d.Ident(fkName)+" FOREIGN KEY ("+s.d.Ident(colA)+", "+s.d.Ident(colB)+
					") REFERENCES "+s.d.Table(parent)+" (id, "+s.d.Ident(colKey)+") ON DELETE RESTRICT NOT VALID")
			fk.OnUpdate, fk.OnDelete, fk.Valid = schema.NoAction, schema.Restrict, false
			return child, fk
		}},
	}
	for _, tt := range tests {
		for _, engine := range tt.engines {
			t.Run(tt.name+"/"+engine, func(t *testing.T) {
				s := connect(t, engine)
				ns1, ns2 := s.newNamespace(nsSource), s.newNamespace(nsTarget)
				child, fk := tt.setup(s, ns1, ns2)
				if len(s.foreignKeys(child)) != 1 {
					t.Fatalf("setup: foreign keys %q", s.foreignKeys(child))
				}
				s.roundTrip(s.d.DropForeignKey(child, fk), func() {
					if got := s.foreignKeys(child); len(got) != 0 {
						t.Errorf("up: foreign keys left: %q", got)
					}
					// The key no longer holds: an orphan goes in.
					vals := make([]string, len(fk.Columns))
					for i := range vals {
						vals[i] = "'777'"
					}
					ins := "INSERT INTO " + s.d.Table(child) + " (id, " + list(fk.Columns, s.d.Ident) + ") VALUES (777, " + strings.Join(vals, ", ") + ")"
					s.mustExec(ins, "DELETE FROM "+s.d.Table(child)+" WHERE id = 777")
				})
			})
		}
	}
}

func TestAddForeignKeyFailsOnOrphans(t *testing.T) {
	for _, engine := range servers() {
		t.Run(engine, func(t *testing.T) {
			s := connect(t, engine)
			ns := s.newNamespace(nsSource)
			_, child, fk := fixture(s, ns, ns)
			c := s.d.DropForeignKey(child, fk)
			s.apply("up", c.Up)
			s.mustExec("INSERT INTO " + s.d.Table(child) + " VALUES (50, 1, 'k2', 'orphan')")
			if err := s.applyErr(c.Down); err == nil {
				t.Errorf("down re-added a valid key over an orphan row")
			}
		})
	}
}

func TestOrphanCount(t *testing.T) {
	tests := []struct {
		name   string
		insert string // child rows added after the key is dropped
		want   string
	}{
		{"none", "", "0"},
		{"missing parent", "(20, 3, 'k3', NULL)", "1"},
		// Each column matches some parent, the pair matches none.
		{"composite mismatch", "(21, 1, 'k2', NULL)", "1"},
		// A key with a null column references nothing.
		{"partly null", "(22, NULL, 'zz', NULL), (23, 9, NULL, NULL)", "0"},
		{"mixed", "(20, 3, 'k3', NULL), (21, 1, 'k2', NULL), (22, NULL, 'zz', NULL), (24, 2, 'k2', NULL)", "2"},
	}
	for _, engine := range servers() {
		t.Run(engine, func(t *testing.T) {
			s := connect(t, engine)
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					s.t = t
					ns := s.newNamespace(nsSource + tt.name)
					_, child, fk := fixture(s, ns, ns)
					q := s.d.OrphanCount(child, fk)
					if got := s.one(q); got != "0" {
						t.Fatalf("with the key in place: %s orphans", got)
					}
					s.apply("drop", s.d.DropForeignKey(child, fk).Up)
					if tt.insert != "" {
						s.mustExec("INSERT INTO " + s.d.Table(child) + " VALUES " + tt.insert)
					}
					if got := s.one(q); got != tt.want {
						t.Errorf("%s = %s, want %s", q, got, tt.want)
					}
				})
			}
		})
	}
}

func TestMoveTable(t *testing.T) {
	tests := []struct {
		name string
		// move returns the table to move; the fixture's parent and child
		// are in ns1.
		move func(parent, child schema.TableName) schema.TableName
	}{
		{"child", func(_, child schema.TableName) schema.TableName { return child }},
		{"parent", func(parent, _ schema.TableName) schema.TableName { return parent }},
	}
	for _, tt := range tests {
		for _, engine := range servers() {
			t.Run(tt.name+"/"+engine, func(t *testing.T) {
				s := connect(t, engine)
				ns1, ns2 := s.newNamespace(nsSource), s.newNamespace(nsTarget)
				parent, child, _ := fixture(s, ns1, ns1)
				from := tt.move(parent, child)
				to := schema.TableName{Schema: ns2, Name: from.Name}
				rows := s.one("SELECT count(*) FROM " + s.d.Table(from))
				fks := s.foreignKeys(child)
				s.roundTrip(s.d.MoveTable(from, ns2), func() {
					if s.tableExists(from) || !s.tableExists(to) {
						t.Errorf("up: %s not moved to %s", from, to)
					}
					if got := s.one("SELECT count(*) FROM " + s.d.Table(to)); got != rows {
						t.Errorf("up: %s rows after the move, want %s", got, rows)
					}
					// The key follows the moved table, and still holds.
					childNow := child
					if from == child {
						childNow = to
					}
					if got := s.foreignKeys(childNow); len(got) != 1 {
						t.Errorf("up: foreign keys of %s: %q (before %q)", childNow, got, fks)
					}
					if err := s.exec("INSERT INTO " + s.d.Table(childNow) + " VALUES (500, 5, 'k5', NULL)"); err == nil {
						t.Errorf("up: an orphan went in after the move")
					}
					s.mustExec("DELETE FROM " + s.d.Table(movedTo(parent, from, to)) + " WHERE id = 1")
					if got := s.one("SELECT count(*) FROM " + s.d.Table(childNow)); got != "3" {
						t.Errorf("up: ON DELETE CASCADE across the move: %s child rows, want 3", got)
					}
					s.mustExec("INSERT INTO " + s.d.Table(movedTo(parent, from, to)) + " VALUES (1, 'k1', 'one')")
					s.mustExec("INSERT INTO " + s.d.Table(childNow) + " VALUES (10, 1, 'k1', 'x')")
				})
			})
		}
	}
}

// TestDropForeignKeyKeepsImplicitIndex: InnoDB names the index it creates
// for an unnamed key after the column; re-adding the key as DropForeignKey's
// Down does would rename it after the constraint (t_ibfk_1). The Down of
// DropForeignKeyOf brings it back under its own name, also when a step
// re-points the key at another table in between (a split).
func TestDropForeignKeyKeepsImplicitIndex(t *testing.T) {
	for _, engine := range servers() {
		for _, repoint := range []bool{false, true} {
			name := engine
			if repoint {
				name += "/re-pointed"
			}
			t.Run(name, func(t *testing.T) {
				s := connect(t, engine)
				ns := s.newNamespace(nsSource)
				d := s.d
				parent, other := schema.TableName{Schema: ns, Name: "p"}, schema.TableName{Schema: ns, Name: "p2"}
				child := schema.TableName{Schema: ns, Name: "c"}
				col := "order id"
				s.mustExec("CREATE TABLE "+d.Table(parent)+" (id integer PRIMARY KEY)",
					"CREATE TABLE "+d.Table(other)+" (id integer PRIMARY KEY)",
					"CREATE TABLE "+d.Table(child)+" (id integer PRIMARY KEY, "+d.Ident(col)+" integer, FOREIGN KEY ("+d.Ident(col)+") REFERENCES "+d.Table(parent)+" (id))")
				fkName := "c_order id_fkey"
				tbl := &schema.Table{Schema: ns, Name: "c", Columns: []schema.Column{{Name: "id", Type: "integer"}, {Name: col, Type: "integer", Nullable: true}}}
				if engine == "mysql" {
					fkName = "c_ibfk_1"
					tbl.Indexes = []schema.Index{{Name: col, Columns: []string{col}, Method: "BTREE"}}
				}
				fk := schema.ForeignKey{Name: fkName, Columns: []string{col}, References: parent, RefColumns: []string{"id"}, Enforced: true, Valid: true}
				c := d.DropForeignKeyOf(tbl, fk)
				if repoint {
					moved := fk
					moved.References = other
					a := d.AddForeignKeyOf(tbl, moved)
					c.Up, c.Down = append(c.Up, a.Up...), append(a.Down, c.Down...)
				}
				s.roundTrip(c, nil)
			})
		}
	}
}
