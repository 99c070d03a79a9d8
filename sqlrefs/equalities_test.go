package sqlrefs

import (
	"slices"
	"strings"
	"testing"
)

// eqString renders an equality for comparison: each side as table.column,
// ?column[t1,t2|t3] for an unqualified one (levels separated by |), or
// new.column; the two sides sorted.
func eqString(e Equality) string {
	side := func(c Column) string {
		switch {
		case c.Record != "":
			return c.Record + "." + c.Name
		case c.Table.Name != "":
			return c.Table.String() + "." + c.Name
		}
		var levels []string
		for _, l := range c.InScope {
			var names []string
			for _, t := range l {
				names = append(names, t.String())
			}
			levels = append(levels, strings.Join(names, ","))
		}
		return "?" + c.Name + "[" + strings.Join(levels, "|") + "]"
	}
	s := []string{side(e.Left), side(e.Right)}
	slices.Sort(s)
	return s[0] + " = " + s[1]
}

func eqStrings(eqs []Equality) []string {
	out := []string{}
	for _, e := range eqs {
		out = append(out, eqString(e))
	}
	slices.Sort(out)
	return out
}

type eqCase struct {
	name, sql string
	want      []string
}

var pgEqCases = []eqCase{
	{"join on with aliases", `SELECT 1 FROM orders o JOIN customers c ON c.id = o.customer_id`,
		[]string{"customers.id = orders.customer_id"}},
	{"where, schema-qualified, casts", `SELECT 1 FROM sales.orders, public.customers c WHERE c.id::bigint = orders.customer_id AND c.name = 'x'`,
		[]string{"public.customers.id = sales.orders.customer_id"}},
	{"using and nested joins", `SELECT 1 FROM a JOIN b USING (k) JOIN c ON c.b_id = b.id JOIN d USING (k)`,
		[]string{"?k[a,b,c] = d.k", "a.k = b.k", "b.id = c.b_id"}},
	{"unqualified in a correlated subquery", `SELECT 1 FROM recording r WHERE NOT EXISTS (SELECT 1 FROM track WHERE recording = r.id)`,
		[]string{"?recording[track|recording] = recording.id"}},
	{"in subquery", `SELECT 1 FROM orders o WHERE o.customer_id IN (SELECT c.id FROM customers c WHERE c.vip)`,
		[]string{"customers.id = orders.customer_id"}},
	{"derived table and cte sides are left out", `WITH x AS (SELECT id FROM a) SELECT 1 FROM x JOIN b ON b.a_id = x.id,
			(SELECT id FROM c) d JOIN e ON e.c_id = d.id`, []string{}},
	{"cte body and update from", `WITH m AS (SELECT * FROM a JOIN b ON b.a_id = a.id) UPDATE s SET q = 1 FROM t WHERE t.s_id = s.id`,
		[]string{"a.id = b.a_id", "s.id = t.s_id"}},
	{"delete using, self join", `DELETE FROM node n USING node p WHERE n.parent = p.id`,
		[]string{"node.id = node.parent"}},
	{"column to constant is no equality", `SELECT 1 FROM a WHERE a.x = 1 AND a.y = $1 AND a.z < a.w`, []string{}},
}

func TestPostgresEqualities(t *testing.T) {
	for _, c := range pgEqCases {
		t.Run(c.name, func(t *testing.T) {
			eqs, err := PostgresEqualities(c.sql)
			if err != nil {
				t.Fatal(err)
			}
			if got := eqStrings(eqs); !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
	if _, err := PostgresEqualities("SELECT FROM WHERE ("); err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("want a one-line error, got %v", err)
	}
}

func TestPLpgSQLEqualities(t *testing.T) {
	body := `
DECLARE v int;
BEGIN
    IF (SELECT link_type FROM link WHERE id = OLD.link) = 356 THEN
        PERFORM 1 FROM recording outer_r WHERE id = NEW.recording
          AND NOT EXISTS (SELECT TRUE FROM l_area_recording WHERE entity1 = outer_r.id);
    END IF;
    v := (SELECT count(*) FROM track t JOIN medium m ON m.id = t.medium);
    RETURN NULL;
END;`
	eqs, err := PLpgSQLEqualities(body)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"?entity1[l_area_recording|recording] = recording.id", "?id[link] = old.link", "?id[recording] = new.recording", "medium.id = track.medium"}
	if got := eqStrings(eqs); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

var myEqCases = []eqCase{
	{"join on with aliases", "SELECT 1 FROM `shop`.`orders` o JOIN customers AS c ON c.id = o.customer_id",
		[]string{"customers.id = shop.orders.customer_id"}},
	{"case-insensitive aliases", `SELECT 1 FROM orders O, customers c WHERE C.id = o.customer_id`,
		[]string{"customers.id = orders.customer_id"}},
	{"using", `SELECT 1 FROM film_actor JOIN actor USING (actor_id)`, []string{"actor.actor_id = film_actor.actor_id"}},
	{"in subquery and derived table", `SELECT 1 FROM a WHERE a.b_id IN (SELECT b.id FROM b) AND a.x IN (SELECT d.y FROM (SELECT y FROM c) d)`,
		[]string{"a.b_id = b.id"}},
	{"update and delete", `UPDATE a JOIN b ON b.a_id = a.id SET a.n = 1; DELETE x FROM x JOIN y ON y.id = x.y_id`,
		[]string{"a.id = b.a_id", "x.y_id = y.id"}},
	{"union and correlated subquery", `SELECT 1 FROM p WHERE EXISTS (SELECT 1 FROM q WHERE q.p_id = p.id) UNION SELECT 1 FROM r JOIN s ON s.r = r.id`,
		[]string{"p.id = q.p_id", "r.id = s.r"}},
}

func TestMySQLEqualities(t *testing.T) {
	for _, c := range myEqCases {
		t.Run(c.name, func(t *testing.T) {
			eqs, err := MySQLEqualities(c.sql)
			if err != nil {
				t.Fatal(err)
			}
			if got := eqStrings(eqs); !slices.Equal(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestMySQLTriggerBodyEqualities(t *testing.T) {
	body := `BEGIN
  DECLARE n INT DEFAULT (SELECT count(*) FROM rental r WHERE r.inventory_id = NEW.inventory_id);
  IF EXISTS (SELECT 1 FROM inventory i JOIN film f ON f.film_id = i.film_id WHERE i.inventory_id = OLD.inventory_id) THEN
    UPDATE film_text SET title = NEW.title WHERE film_id = NEW.film_id;
  END IF;
END`
	eqs, err := MySQLTriggerBodyEqualities(body)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"?film_id[film_text] = new.film_id", "film.film_id = inventory.film_id", "inventory.inventory_id = old.inventory_id", "new.inventory_id = rental.inventory_id"}
	if got := eqStrings(eqs); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
