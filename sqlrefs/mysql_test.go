package sqlrefs

import (
	"testing"

	"github.com/seamsdev/seams/schema"
)

var myCases = []refCase{
	{name: "select", sql: "SELECT * FROM users WHERE id = ?", reads: ts("users")},
	{name: "joins", sql: "SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id " +
		"LEFT JOIN sales.regions r USING (region_id) STRAIGHT_JOIN settings, countries k NATURAL JOIN langs",
		reads: ts("countries", "customers", "langs", "orders", "settings", "sales.regions")},
	{name: "subqueries", sql: "SELECT (SELECT COUNT(*) FROM line_items li WHERE li.order_id = o.id) FROM orders o " +
		"WHERE o.customer_id IN (SELECT id FROM customers) AND EXISTS (SELECT 1 FROM refunds) " +
		"HAVING SUM(o.total) > (SELECT AVG(total) FROM order_stats) ORDER BY (SELECT MAX(at) FROM shipments)",
		reads: ts("customers", "line_items", "order_stats", "orders", "refunds", "shipments")},
	{name: "derived table", sql: "SELECT * FROM (SELECT id FROM a UNION SELECT id FROM b) x JOIN LATERAL (SELECT * FROM c WHERE c.id = x.id) y ON TRUE",
		reads: ts("a", "b", "c")},
	{name: "cte", sql: "WITH recent AS (SELECT * FROM orders), big AS (SELECT * FROM recent WHERE total > 9) " +
		"SELECT * FROM big JOIN customers ON TRUE", reads: ts("customers", "orders")},
	{name: "cte sees earlier cte, not itself", sql: "WITH orders AS (SELECT * FROM orders) SELECT * FROM orders, shop.orders",
		reads: ts("orders", "shop.orders")},
	{name: "recursive cte", sql: "WITH RECURSIVE tree AS (SELECT id FROM nodes UNION ALL SELECT n.id FROM nodes n JOIN tree t ON n.parent = t.id) SELECT * FROM tree",
		reads: ts("nodes")},
	{name: "insert values", sql: "INSERT INTO audit.events (kind) VALUES (?), (?)", writes: ts("audit.events")},
	{name: "insert select", sql: "INSERT INTO finance.ledger (item_id, amount) SELECT li.id, li.price FROM catalog.line_item li JOIN catalog.album a ON a.id = li.album_id",
		reads: ts("catalog.album", "catalog.line_item"), writes: ts("finance.ledger")},
	{name: "insert set and on duplicate key", sql: "INSERT INTO stock SET item = 1, qty = (SELECT 5 FROM defaults) ON DUPLICATE KEY UPDATE qty = qty + (SELECT inc FROM increments)",
		reads: ts("defaults", "increments"), writes: ts("stock")},
	{name: "replace", sql: "REPLACE INTO cache (k, v) SELECT k, v FROM source", reads: ts("source"), writes: ts("cache")},
	{name: "update in place", sql: "UPDATE accounts SET balance = balance + 1 WHERE id = ?", writes: ts("accounts")},
	{name: "update reads itself in a subquery", sql: "UPDATE accounts SET flag = 1 WHERE id IN (SELECT id FROM (SELECT id FROM accounts) x)",
		reads: ts("accounts"), writes: ts("accounts")},
	{name: "multi-table update by alias", sql: "UPDATE warehouse.stock s JOIN order_lines o ON o.item = s.item JOIN orders ON orders.id = o.order_id " +
		"SET s.qty = s.qty - o.qty, o.done = 1 WHERE orders.paid",
		reads: ts("orders"), writes: ts("order_lines", "warehouse.stock")},
	{name: "multi-table update by name", sql: "UPDATE items, prices SET items.price = prices.price WHERE items.id = prices.id",
		reads: ts("prices"), writes: ts("items")},
	{name: "multi-table update unqualified column", sql: "UPDATE items, prices SET price = 1 WHERE items.id = prices.id",
		reads: ts("prices"), writes: ts("items")},
	{name: "delete", sql: "DELETE FROM sessions WHERE expires < NOW() ORDER BY id LIMIT 100", writes: ts("sessions")},
	{name: "multi-table delete", sql: "DELETE s, l FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN logins l ON l.session_id = s.id WHERE u.banned",
		reads: ts("users"), writes: ts("logins", "sessions")},
	{name: "multi-table delete using", sql: "DELETE FROM t1 USING t1 JOIN t2 ON t1.id = t2.id WHERE t2.x IN (SELECT x FROM t3)",
		reads: ts("t2", "t3"), writes: ts("t1")},
	{name: "quoted identifiers", sql: "SELECT * FROM `Sales`.`Order Items` JOIN `weird``name` ON TRUE JOIN `ünïcode` ON TRUE " +
		"JOIN MixedCase ON TRUE JOIN `a.b` ON TRUE JOIN `select` ON TRUE",
		reads: []schema.TableName{n("MixedCase"), tq("", "a.b"), n("select"), n("weird`name"), n("ünïcode"), tq("Sales", "Order Items")}},
	{name: "functions and dual are not tables", sql: "SELECT NOW(), UUID(), JSON_EXTRACT(x, '$.a') FROM DUAL", reads: nil},
	{name: "json_table", sql: "SELECT j.* FROM docs, JSON_TABLE(docs.body, '$[*]' COLUMNS (a INT PATH '$.a')) AS j",
		reads: ts("docs")},
	{name: "truncate", sql: "TRUNCATE TABLE logs.old", writes: ts("logs.old")},
	{name: "create table select", sql: "CREATE TABLE report AS SELECT * FROM sales", reads: ts("sales"), writes: ts("report")},
	{name: "create view", sql: "CREATE OR REPLACE VIEW reporting.revenue AS SELECT a.title, SUM(l.amount) FROM catalog.album a JOIN finance.ledger l ON l.album_id = a.id GROUP BY 1",
		reads: ts("catalog.album", "finance.ledger")},
	{name: "set with subquery", sql: "SET @n = (SELECT COUNT(*) FROM users)", reads: ts("users")},
	{name: "select into variables", sql: "SELECT COUNT(*) INTO @n FROM users", reads: ts("users")},
	{name: "several statements", sql: "START TRANSACTION; INSERT INTO a VALUES (1); UPDATE b SET x = ';'; SELECT * FROM c; COMMIT",
		reads: ts("c"), writes: ts("a", "b")},
	{name: "ddl contributes nothing", sql: "ALTER TABLE t ADD COLUMN c INT; CREATE INDEX i ON t (c); DROP TABLE u; " +
		"CREATE TABLE v (id INT, FOREIGN KEY (id) REFERENCES w (id)); LOCK TABLES t READ; SHOW TABLES"},
	{name: "prepare and execute", sql: "PREPARE s1 FROM 'SELECT * FROM pt WHERE id = ?'; PREPARE s2 FROM @q; EXECUTE s2 USING @a",
		reads: ts("pt"), dynamic: []string{"EXECUTE s2 USING @a", "PREPARE s2 FROM @q"}},
	{name: "call", sql: "CALL billing.close_month(2026, 11)", dynamic: []string{"CALL billing.close_month(2026, 11)"}},
	{name: "performance_schema digest", sql: "SELECT `a` . `id` , `a` . `title` FROM `catalog` . `album` `a` WHERE `a` . `id` IN (...) AND `a` . `kind` = ? LIMIT ?",
		reads: ts("catalog.album")},
	{name: "digest insert", sql: "INSERT INTO `orders` ( `customer_id` , `total` ) VALUES (...) /* , ... */",
		writes: ts("orders")},
	{name: "digest text keeps strings", sql: "SELECT '(...)' FROM `t` WHERE `x` IN (...)", reads: ts("t")},
	{name: "comments and strings", sql: "/* FROM nope */ SELECT 'FROM x', \"FROM y\" -- FROM z\nFROM real_table # FROM w",
		reads: ts("real_table")},
	{name: "executable comment", sql: "SELECT /*!40001 SQL_NO_CACHE */ * FROM t", reads: ts("t")},
	{name: "except and intersect", sql: "SELECT 'except' FROM a EXCEPT SELECT `intersect` FROM b INTERSECT ALL (SELECT x FROM c)",
		reads: ts("a", "b", "c")},
	{name: "mariadb returning", sql: "DELETE FROM t WHERE id IN (SELECT id FROM u) RETURNING id, (SELECT 1)", reads: ts("u"), writes: ts("t")},
	{name: "mariadb insert returning", sql: "INSERT INTO t (a) SELECT a FROM `returning` RETURNING id", reads: ts("returning"), writes: ts("t")},
	{name: "load data", sql: "LOAD DATA LOCAL INFILE '/tmp/x.csv' REPLACE INTO TABLE `stage`.`Raw Rows` FIELDS TERMINATED BY ','",
		writes: []schema.TableName{tq("stage", "Raw Rows")}},
	{name: "window and order", sql: "SELECT id, ROW_NUMBER() OVER (PARTITION BY c ORDER BY id) FROM t ORDER BY id FOR UPDATE",
		reads: ts("t")},
}

func TestMySQL(t *testing.T) {
	runCases(t, MySQL, myCases)
}

func TestMySQLErrors(t *testing.T) {
	runErrCases(t, MySQL, []errCase{
		{name: "syntax error", sql: "SELEKT * FROM t", want: []string{`mysql: cannot parse "SELEKT * FROM t"`, "syntax error"}},
		{name: "truncated digest", sql: "SELECT `a` FROM `t` WHERE `b` = ? AND `c` = ? AND `d` = ? AND `e` = ? AND `f` ...",
			want: []string{"mysql: cannot parse \"SELECT `a` FROM `t` WHERE `b` = ? AND `c` = ? AND `d` = ? AN…\"", "syntax error at position 81"}},
		{name: "the failing statement is named, the others count", sql: "INSERT INTO a VALUES (1); UPDATE FROM b; SELECT * FROM c",
			want: []string{`cannot parse "UPDATE FROM b"`}, reads: ts("c"), writes: ts("a")},
		{name: "postgres syntax", sql: `SELECT * FROM t WHERE x = ANY($1::int[])`, want: []string{"cannot parse"}},
	})
}
