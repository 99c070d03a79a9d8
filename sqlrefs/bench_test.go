package sqlrefs

import (
	"testing"
)

// Typical OLTP statements as pg_stat_statements records them.
var pgOLTP = []string{
	`SELECT "id", "email", "name" FROM "customers" WHERE "id" = $1`,
	`SELECT o.id, o.total, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = $1 ORDER BY o.created_at DESC LIMIT $2`,
	`INSERT INTO orders (customer_id, total, status, created_at) VALUES ($1, $2, $3, now()) RETURNING id`,
	`UPDATE stock SET qty = qty - $1, updated_at = now() WHERE item_id = $2 AND qty >= $1`,
	`DELETE FROM sessions WHERE expires_at < $1`,
	`SELECT count(*) FROM line_items li WHERE li.order_id IN (SELECT id FROM orders WHERE customer_id = $1)`,
	`INSERT INTO finance.ledger (order_id, amount) SELECT id, total FROM orders WHERE id = $1 ON CONFLICT (order_id) DO NOTHING`,
	`UPDATE warehouse.picking p SET state = $1 FROM orders o WHERE o.id = p.order_id AND o.id = $2`,
	`WITH recent AS (SELECT * FROM orders WHERE created_at > now() - interval '1 day') SELECT r.id, c.email FROM recent r JOIN customers c ON c.id = r.customer_id`,
	`SELECT a.id, a.title, ar.name FROM catalog.album a JOIN catalog.artist ar ON ar.id = a.artist_id WHERE a.id = ANY($1)`,
}

// Typical OLTP statements as performance_schema digests record them.
var myOLTP = []string{
	"SELECT `id` , `email` , `name` FROM `customers` WHERE `id` = ?",
	"SELECT `o` . `id` , `o` . `total` , `c` . `name` FROM `orders` `o` JOIN `customers` `c` ON `c` . `id` = `o` . `customer_id` WHERE `o` . `status` = ? ORDER BY `o` . `created_at` DESC LIMIT ?",
	"INSERT INTO `orders` ( `customer_id` , `total` , `status` , `created_at` ) VALUES (...)",
	"UPDATE `stock` SET `qty` = `qty` - ? , `updated_at` = NOW ( ) WHERE `item_id` = ? AND `qty` >= ?",
	"DELETE FROM `sessions` WHERE `expires_at` < ?",
	"SELECT COUNT ( * ) FROM `line_items` `li` WHERE `li` . `order_id` IN ( SELECT `id` FROM `orders` WHERE `customer_id` = ? )",
	"INSERT INTO `finance` . `ledger` ( `order_id` , `amount` ) SELECT `id` , `total` FROM `orders` WHERE `id` = ?",
	"UPDATE `warehouse` . `picking` `p` JOIN `orders` `o` ON `o` . `id` = `p` . `order_id` SET `p` . `state` = ? WHERE `o` . `id` = ?",
	"SELECT `a` . `id` , `a` . `title` FROM `catalog` . `album` `a` WHERE `a` . `id` IN (...)",
	"REPLACE INTO `cache` ( `k` , `v` ) VALUES (...)",
}

func benchmark(b *testing.B, fn func(string) (Refs, error), stmts []string) {
	for _, s := range stmts {
		if _, err := fn(s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := fn(stmts[i%len(stmts)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stmts/s")
}

// BenchmarkPostgres measures statements per second on one core (issue 5
// asks for at least 20,000).
func BenchmarkPostgres(b *testing.B) { benchmark(b, Postgres, pgOLTP) }

// BenchmarkMySQL measures statements per second on one core.
func BenchmarkMySQL(b *testing.B) { benchmark(b, MySQL, myOLTP) }

// BenchmarkPLpgSQL measures trigger function bodies per second.
func BenchmarkPLpgSQL(b *testing.B) {
	bodies := make([]string, len(plpgsqlCases))
	for i, c := range plpgsqlCases {
		bodies[i] = c.sql
	}
	benchmark(b, PLpgSQL, bodies)
}

// BenchmarkMySQLTriggerBody measures trigger bodies per second.
func BenchmarkMySQLTriggerBody(b *testing.B) {
	bodies := make([]string, len(mariaTriggers))
	for i, tr := range mariaTriggers {
		bodies[i] = tr.body
	}
	benchmark(b, MySQLTriggerBody, bodies)
}

// BenchmarkPostgresTree measures the full tree walk alone (the path of
// statements with WITH, MERGE, COPY, SELECT INTO, utility statements).
func BenchmarkPostgresTree(b *testing.B) {
	benchmark(b, func(sql string) (Refs, error) {
		var c collector
		err := postgresTree(&c, sql)
		return c.refs(), err
	}, pgOLTP)
}
