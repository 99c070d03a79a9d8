//go:build integration

package dialect

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/seamsdev/seams/schema"
)

// loadTriggers reads a MySQL table's triggers in action order, as the
// introspector records them.
func loadTriggers(s *server, n schema.TableName) []schema.Trigger {
	s.t.Helper()
	var out []schema.Trigger
	for _, r := range s.query(`SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT FROM information_schema.TRIGGERS
		WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ? ORDER BY EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER`, n.Schema, n.Name) {
		out = append(out, schema.Trigger{Schema: n.Schema, Name: r[0], Table: n, Timing: r[1], Events: []string{r[2]}, Level: "ROW", Body: r[3]})
	}
	return out
}

func TestMoveTableWithTriggers(t *testing.T) {
	for _, engine := range servers() {
		t.Run(engine, func(t *testing.T) {
			s := connect(t, engine)
			d := s.d
			ns1, ns2 := s.newNamespace(nsSource), s.newNamespace(nsTarget)
			_, child, _ := fixture(s, ns1, ns1)
			audit := schema.TableName{Schema: ns1, Name: "audit " + colG}
			s.mustExec("CREATE TABLE " + d.Table(audit) + " (id integer, what varchar(40))")
			var triggers []schema.Trigger
			if s.pg != nil {
				fn := schema.TableName{Schema: ns1, Name: "fn " + fkName}
				s.mustExec(`CREATE FUNCTION `+d.Table(fn)+`() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.`+d.Ident(colD)+` := NEW.`+d.Ident(colD)+` || '+1';
  INSERT INTO `+d.Table(audit)+` VALUES (NEW.id, 'it''s; -- done');
  RETURN NEW;
END $$`,
					"CREATE TRIGGER "+d.Ident("trg "+fkName)+" BEFORE INSERT ON "+d.Table(child)+" FOR EACH ROW EXECUTE FUNCTION "+d.Table(fn)+"()")
			} else {
				// Two triggers of one timing and event (their order must
				// survive), one with a compound body holding semicolons.
				s.mustExec(
					"CREATE TRIGGER "+d.Table(schema.TableName{Schema: ns1, Name: "trg1 " + fkName})+" BEFORE INSERT ON "+d.Table(child)+
						" FOR EACH ROW SET NEW."+d.Ident(colD)+" = CONCAT(NEW."+d.Ident(colD)+", '+1')",
					"CREATE TRIGGER "+d.Table(schema.TableName{Schema: ns1, Name: "trg0 " + colB})+" BEFORE INSERT ON "+d.Table(child)+
						" FOR EACH ROW FOLLOWS "+d.Ident("trg1 "+fkName)+" SET NEW."+d.Ident(colD)+" = CONCAT(NEW."+d.Ident(colD)+", '+2')",
					"CREATE TRIGGER "+d.Table(schema.TableName{Schema: ns1, Name: "trg3 " + colC})+" AFTER INSERT ON "+d.Table(child)+
						" FOR EACH ROW BEGIN\n  INSERT INTO "+d.Table(audit)+" VALUES (NEW.id, 'it''s; -- done');\n  INSERT INTO "+d.Table(audit)+" VALUES (NEW.id, '/* twice */');\nEND",
				)
				triggers = loadTriggers(s, child)
				if len(triggers) != 3 {
					t.Fatalf("setup: triggers %+v", triggers)
				}
				for i := range triggers {
					if strings.HasPrefix(triggers[i].Name, "trg3") {
						triggers[i].Writes = []schema.TableName{audit}
					}
				}
				// The trap this method exists for.
				err := s.applyErr(d.MoveTable(child, ns2).Up)
				if err == nil || !strings.Contains(err.Error(), "1435") {
					t.Fatalf("RENAME TABLE of a table with triggers: %v, want error 1435", err)
				}
			}
			c := d.MoveTableWithTriggers(child, ns2, triggers)
			if s.my != nil && !strings.Contains(strings.Join(c.Notes, "\n"), "trigger trg3 "+colC+" uses "+audit.String()) {
				t.Errorf("notes do not warn about the trigger's use of the old database: %q", c.Notes)
			}
			moved := schema.TableName{Schema: ns2, Name: child.Name}
			s.roundTrip(c, func() {
				if !s.tableExists(moved) {
					t.Fatalf("up: table not moved")
				}
				s.mustExec("INSERT INTO " + d.Table(moved) + " (id, " + d.Ident(colD) + ") VALUES (100, 'v')")
				want := "v+1+2"
				if s.pg != nil {
					want = "v+1"
				}
				if got := s.one("SELECT " + d.Ident(colD) + " FROM " + d.Table(moved) + " WHERE id = 100"); got != want {
					t.Errorf("up: the triggers gave %q, want %q", got, want)
				}
				if got := s.one("SELECT count(*) FROM " + d.Table(audit) + " WHERE id = 100"); got == "0" {
					t.Errorf("up: the trigger wrote no audit row")
				}
				s.mustExec("DELETE FROM "+d.Table(moved)+" WHERE id = 100", "DELETE FROM "+d.Table(audit))
			})
		})
	}
}

// TestMoveTableViews shows what happens to the views reading a moved
// table: PostgreSQL views follow the table; MySQL views break, unless the
// move re-creates them (MoveTableWithDependents).
func TestMoveTableViews(t *testing.T) {
	for _, engine := range servers() {
		t.Run(engine, func(t *testing.T) {
			s := connect(t, engine)
			d := s.d
			ns1, ns2 := s.newNamespace(nsSource), s.newNamespace(nsTarget)
			parent, child, _ := fixture(s, ns1, ns1)
			view := schema.TableName{Schema: ns1, Name: "view " + childT}
			join := schema.TableName{Schema: ns2, Name: "join " + colB}
			s.mustExec("CREATE VIEW "+d.Table(view)+" AS SELECT id, "+d.Ident(colD)+", "+d.Literal(d.Table(child))+" AS lit FROM "+d.Table(child),
				"CREATE VIEW "+d.Table(join)+" AS SELECT c.id, p."+d.Ident(colE)+", "+d.Table(child)+"."+d.Ident(colD)+" FROM "+d.Table(child)+
					" JOIN "+d.Table(parent)+" p ON p.id = "+d.Table(child)+"."+d.Ident(colA)+" JOIN "+d.Table(child)+" c ON c.id = "+d.Table(child)+".id")
			s.roundTrip(d.MoveTable(child, ns2), func() {
				err := s.exec("SELECT count(*) FROM " + d.Table(view))
				if s.pg != nil && err != nil {
					t.Errorf("up: the view no longer works on PostgreSQL: %v", err)
				}
				if s.my != nil && err == nil {
					t.Errorf("up: the view still works on MySQL: update MoveTable's documentation")
				}
			})
			var views []schema.View
			if s.my != nil {
				for _, ns := range []string{ns1, ns2} {
					for _, r := range s.query("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? ORDER BY 1", ns) {
						views = append(views, schema.View{Schema: ns, Name: r[0], Definition: r[1]})
					}
				}
				if len(views) != 2 {
					t.Fatalf("setup: views %+v", views)
				}
			}
			s.roundTrip(d.MoveTableWithDependents(child, ns2, nil, views), func() {
				if got := s.one("SELECT count(*) FROM " + d.Table(view)); got != "4" {
					t.Errorf("up: view gives %s rows, want 4", got)
				}
				if got := s.one("SELECT count(*) FROM " + d.Table(join)); got != "2" {
					t.Errorf("up: join view gives %s rows, want 2", got)
				}
				if got := s.one("SELECT max(lit) FROM " + d.Table(view)); got != d.Table(child) {
					t.Errorf("up: a string literal in the view changed: %q", got)
				}
			})
			if got := s.one("SELECT count(*) FROM " + d.Table(view)); got != "4" {
				t.Errorf("down: view gives %s rows, want 4", got)
			}
		})
	}
}

// TestMoveKeepsCreationSession: MySQL triggers keep the sql_mode, client
// character set and collation they were created with, and views their SQL
// SECURITY and CHECK OPTION. A move re-creates them: in Up and in Down they
// must come back with those, whatever the applying session's settings.
func TestMoveKeepsCreationSession(t *testing.T) {
	s := connect(t, "mysql")
	d := s.d
	ns1, ns2 := s.newNamespace(nsSource), s.newNamespace(nsTarget)
	tbl := schema.TableName{Schema: ns1, Name: "t"}
	trig := schema.TableName{Schema: ns1, Name: "t_ins"}
	view := schema.TableName{Schema: ns1, Name: "v"}
	mode := "STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO"
	s.mustExec("CREATE TABLE "+d.Table(tbl)+" (id int PRIMARY KEY, n int)",
		"SET SESSION sql_mode = '"+mode+"', SESSION character_set_client = utf8mb3, SESSION collation_connection = utf8mb3_general_ci",
		"CREATE TRIGGER "+d.Table(trig)+" BEFORE INSERT ON "+d.Table(tbl)+" FOR EACH ROW SET NEW.n = NEW.id * 2",
		"CREATE SQL SECURITY INVOKER VIEW "+d.Table(view)+" AS SELECT id, n FROM "+d.Table(tbl)+" WHERE n > 0 WITH CASCADED CHECK OPTION",
		"SET SESSION sql_mode = '', SESSION character_set_client = utf8mb4, SESSION collation_connection = utf8mb4_general_ci")
	var tr schema.Trigger
	for _, r := range s.query(`SELECT ACTION_STATEMENT, SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`, ns1) {
		tr = schema.Trigger{Schema: ns1, Name: "t_ins", Table: tbl, Timing: "BEFORE", Events: []string{"INSERT"}, Level: "ROW", Body: r[0],
			CreatedWith: &schema.CreatedWith{SQLMode: &r[1], CharacterSetClient: r[2], CollationConnection: r[3]}}
	}
	var v schema.View
	for _, r := range s.query(`SELECT VIEW_DEFINITION, SECURITY_TYPE, CHECK_OPTION, CHARACTER_SET_CLIENT, COLLATION_CONNECTION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`, ns1) {
		v = schema.View{Schema: ns1, Name: "v", Definition: r[0], Security: r[1], CheckOption: r[2],
			CreatedWith: &schema.CreatedWith{CharacterSetClient: r[3], CollationConnection: r[4]}}
	}
	if tr.Body == "" || v.Definition == "" {
		t.Fatalf("setup: trigger %+v view %+v", tr, v)
	}
	s.roundTrip(d.MoveTableWithDependents(tbl, ns2, []schema.Trigger{tr}, []schema.View{v}), func() {
		moved := s.query(`SELECT SQL_MODE, CHARACTER_SET_CLIENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`, ns2)
		if len(moved) != 1 || moved[0][0] != mode || moved[0][1] != "utf8mb3" {
			t.Errorf("moved trigger's session: %q", moved)
		}
		if got := s.query(`SELECT SECURITY_TYPE, CHECK_OPTION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`, ns1); len(got) != 1 || got[0][0] != "INVOKER" || got[0][1] != "CASCADED" {
			t.Errorf("re-created view: %q", got)
		}
	})
	// The applying session is as it was.
	if got := s.query("SELECT @@SESSION.sql_mode, @@SESSION.character_set_client"); got[0][0] != "" || got[0][1] != "utf8mb4" {
		t.Errorf("session after the change: %q", got)
	}
}

// TestMoveKeepsDefiners: a MySQL view and trigger re-created around a
// move keep the account they run as, a user with an awkward name, not the
// applying user's (root here), up and down.
func TestMoveKeepsDefiners(t *testing.T) {
	s := connect(t, "mysql")
	d := s.d
	ns1, ns2 := s.newNamespace(nsSource), s.newNamespace(nsTarget)
	_, child, _ := fixture(s, ns1, ns1)
	user := fmt.Sprintf("seams def`'%d", time.Now().UnixNano()%1e9)
	account := d.Ident(user) + "@" + d.Ident("%")
	s.mustExec("CREATE USER " + account)
	t.Cleanup(func() { s.applyErr([]string{"DROP USER IF EXISTS " + account}) })
	view := schema.TableName{Schema: ns1, Name: "v " + colG}
	trigger := schema.TableName{Schema: ns1, Name: "trg " + fkName}
	s.mustExec(
		"CREATE DEFINER = "+account+" SQL SECURITY DEFINER VIEW "+d.Table(view)+" AS SELECT id FROM "+d.Table(child),
		"CREATE DEFINER = "+account+" TRIGGER "+d.Table(trigger)+" BEFORE INSERT ON "+d.Table(child)+
			" FOR EACH ROW SET NEW."+d.Ident(colD)+" = CONCAT(NEW."+d.Ident(colD)+", '+1')")
	definers := func(ns string) (string, string) {
		t.Helper()
		var v, tr string
		for _, r := range s.query("SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", ns1, view.Name) {
			v = r[0]
		}
		for _, r := range s.query("SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ? AND TRIGGER_NAME = ?", ns, trigger.Name) {
			tr = r[0]
		}
		return v, tr
	}
	want := user + "@%"
	if v, tr := definers(ns1); v != want || tr != want {
		t.Fatalf("setup: definers %q and %q, want %q", v, tr, want)
	}
	triggers := loadTriggers(s, child)
	for i := range triggers {
		triggers[i].Definer = want
	}
	def := s.query("SELECT VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", ns1, view.Name)[0][0]
	views := []schema.View{{Schema: ns1, Name: view.Name, Definition: def, Security: "DEFINER", Definer: want}}
	c := d.MoveTableWithDependents(child, ns2, triggers, views)
	if !strings.Contains(strings.Join(c.Notes, "\n"), "with the DEFINER they have ("+want+")") {
		t.Errorf("notes do not name the definer: %q", c.Notes)
	}
	s.roundTrip(c, func() {
		if v, tr := definers(ns2); v != want || tr != want {
			t.Errorf("up: definers %q and %q, want %q", v, tr, want)
		}
	})
	if v, tr := definers(ns1); v != want || tr != want {
		t.Errorf("down: definers %q and %q, want %q", v, tr, want)
	}
}
