package usage

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// TestColumnUses checks how the columns a statement names resolve to the
// snapshot's tables: through aliases and table names, an unqualified
// column to the only table of the statement that has it, a self-join's
// columns to its one table; ambiguous columns and names that are no
// column of a snapshot table are left out.
func TestColumnUses(t *testing.T) {
	snap := func(engine schema.Engine, sch string) *schema.Snapshot {
		s := &schema.Snapshot{Format: schema.FormatVersion, Source: schema.Source{Engine: engine, Database: "shop"}}
		for name, cols := range map[string][]string{
			"customer": {"id", "email", "Name"},
			"orders":   {"id", "customer_id", "amount"},
		} {
			tb := schema.Table{Schema: sch, Name: name, Kind: schema.KindTable}
			for _, c := range cols {
				tb.Columns = append(tb.Columns, schema.Column{Name: c, Type: "text"})
			}
			s.Tables = append(s.Tables, tb)
		}
		return s
	}
	tests := []struct {
		engine schema.Engine
		sql    string
		want   string
	}{
		{schema.Postgres, "SELECT c.email, o.amount FROM customer c JOIN orders o ON o.customer_id = c.id WHERE c.id = $1",
			"public.customer read [email id]; public.orders read [amount customer_id]"},
		{schema.Postgres, "SELECT email, amount FROM customer JOIN orders ON orders.customer_id = customer.id",
			"public.customer read [email id]; public.orders read [amount customer_id]"},
		// id is in both tables: left out.
		{schema.Postgres, "SELECT id, email FROM customer, orders", "public.customer read [email]"},
		{schema.Postgres, "SELECT a.email FROM customer a JOIN customer b ON b.id = a.id", "public.customer read [email id]"},
		// An INSERT's own table is out of the scope of its SELECT...
		{schema.Postgres, "INSERT INTO orders (customer_id, amount) SELECT id, 0 FROM customer WHERE email = $1",
			"public.customer read [email id]; public.orders written [amount customer_id]"},
		// ...but not of its ON CONFLICT / ON DUPLICATE KEY UPDATE.
		{schema.Postgres, "INSERT INTO orders (id, amount) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET amount = amount + 1",
			"public.orders read [amount] written [amount id]"},
		{schema.MariaDB, "INSERT INTO orders (id, amount) SELECT id, 0 FROM customer ON DUPLICATE KEY UPDATE amount = amount + 1",
			"shop.customer read [id]; shop.orders read [amount] written [amount id]"},
		{schema.Postgres, "UPDATE public.orders SET amount = amount + $1 WHERE id = $2",
			"public.orders read [amount id] written [amount]"},
		{schema.Postgres, "SELECT nope, pg_class.relname FROM customer, pg_class", ""},
		// MySQL compares column names without case.
		{schema.MariaDB, "SELECT c.name, c.EMAIL FROM customer c WHERE c.id IN (...)", "shop.customer read [Name email id]"},
		{schema.MariaDB, "INSERT INTO shop.orders (customer_id, amount) VALUES (?, ?)", "shop.orders written [amount customer_id]"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s", tt.engine, tt.sql), func(t *testing.T) {
			sch := "public"
			if tt.engine != schema.Postgres {
				sch = "shop"
			}
			b := newBuilder(t, snap(tt.engine, sch))
			_, names, ok, err := b.read(tt.sql)
			if !ok || err != nil {
				t.Fatalf("does not read: %v", err)
			}
			var got []string
			for _, u := range b.columnUses(names, sch) {
				s := u.Table.String()
				if len(u.Read) > 0 {
					s += fmt.Sprintf(" read %v", u.Read)
				}
				if len(u.Written) > 0 {
					s += fmt.Sprintf(" written %v", u.Written)
				}
				got = append(got, s)
			}
			if g := strings.Join(got, "; "); g != tt.want {
				t.Errorf("got  %q\nwant %q", g, tt.want)
			}
		})
	}
}
