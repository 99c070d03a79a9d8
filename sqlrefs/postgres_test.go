package sqlrefs

import (
	"reflect"
	"testing"

	"github.com/seamsdev/seams/schema"
)

var pgCases = []refCase{
	{name: "select", sql: `SELECT * FROM users WHERE id = $1`, reads: ts("users")},
	{name: "joins", sql: `SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id
			LEFT JOIN sales.regions r USING (region_id) CROSS JOIN public.settings, countries k`,
		reads: ts("countries", "customers", "orders", "public.settings", "sales.regions")},
	{name: "subqueries everywhere", sql: `SELECT (SELECT count(*) FROM line_items li WHERE li.order_id = o.id),
			  CASE WHEN EXISTS (SELECT 1 FROM refunds r WHERE r.order_id = o.id) THEN 1 END
			FROM orders o
			WHERE o.customer_id IN (SELECT id FROM customers WHERE country = ANY (SELECT code FROM countries))
			GROUP BY 1 HAVING sum(o.total) > (SELECT avg(total) FROM order_stats)
			ORDER BY coalesce((SELECT max(at) FROM shipments s WHERE s.order_id = o.id), now())`,
		reads: ts("countries", "customers", "line_items", "order_stats", "orders", "refunds", "shipments")},
	{name: "derived table and lateral", sql: `SELECT * FROM (SELECT id FROM a) x,
			LATERAL (SELECT * FROM b WHERE b.a_id = x.id LIMIT 1) y, LATERAL unnest(ARRAY(SELECT v FROM c)) u`,
		reads: ts("a", "b", "c")},
	{name: "set operations", sql: `SELECT id FROM a UNION SELECT id FROM b INTERSECT SELECT id FROM c EXCEPT (SELECT id FROM d)`,
		reads: ts("a", "b", "c", "d")},
	{name: "values with subquery", sql: `VALUES (1, (SELECT max(id) FROM seq_holder))`, reads: ts("seq_holder")},
	{name: "functions are not tables", sql: `SELECT now(), lower(x.name), public.f(1) FROM generate_series(1, 10) g,
			public.set_returning_func($1) x, json_to_recordset($2) AS r(a int), ROWS FROM (unnest($3)) z`},
	{name: "cte", sql: `WITH recent AS (SELECT * FROM orders WHERE at > now() - interval '1 day')
			SELECT * FROM recent JOIN customers ON customers.id = recent.customer_id`,
		reads: ts("customers", "orders")},
	{name: "cte sees earlier cte, not itself", sql: `WITH orders AS (SELECT * FROM orders WHERE open),
			big AS (SELECT * FROM orders WHERE total > 100)
			SELECT * FROM big, orders, archive.big`,
		reads: ts("orders", "archive.big")},
	{name: "recursive cte", sql: `WITH RECURSIVE tree(id) AS (SELECT id FROM nodes WHERE parent IS NULL
			UNION ALL SELECT n.id FROM nodes n JOIN tree t ON n.parent = t.id) SELECT * FROM tree`,
		reads: ts("nodes")},
	{name: "cte scope ends with its statement", sql: `SELECT (WITH x AS (SELECT 1 FROM a) SELECT count(*) FROM x) FROM x`,
		reads: ts("a", "x")},
	{name: "writable cte", sql: `WITH moved AS (DELETE FROM inbox WHERE done RETURNING *),
			touched AS (UPDATE counters SET n = n + 1 WHERE id = 1 RETURNING id)
			INSERT INTO archive SELECT m.* FROM moved m, touched`,
		writes: ts("archive", "counters", "inbox")},
	{name: "insert values", sql: `INSERT INTO audit.events (kind, at) VALUES ($1, now())`, writes: ts("audit.events")},
	{name: "insert select", sql: `INSERT INTO finance.ledger (item_id, amount)
			SELECT li.id, li.price FROM catalog.line_item li JOIN catalog.album a ON a.id = li.album_id WHERE li.sold`,
		reads: ts("catalog.album", "catalog.line_item"), writes: ts("finance.ledger")},
	{name: "insert on conflict", sql: `INSERT INTO stock (item, qty) VALUES ($1, $2)
			ON CONFLICT (item) DO UPDATE SET qty = stock.qty + EXCLUDED.qty
			WHERE stock.qty < (SELECT max_qty FROM limits) RETURNING (SELECT name FROM items WHERE id = item)`,
		reads: ts("items", "limits"), writes: ts("stock")},
	{name: "update in place", sql: `UPDATE accounts SET balance = balance + 1 WHERE id = $1`, writes: ts("accounts")},
	{name: "update reads itself in a subquery", sql: `UPDATE accounts SET balance = (SELECT max(balance) FROM accounts)`,
		reads: ts("accounts"), writes: ts("accounts")},
	{name: "update from", sql: `UPDATE warehouse.stock s SET qty = s.qty - o.qty FROM order_lines o, orders
			WHERE o.item = s.item AND orders.id = o.order_id RETURNING s.item`,
		reads: ts("order_lines", "orders"), writes: ts("warehouse.stock")},
	{name: "delete using", sql: `DELETE FROM sessions s USING users u WHERE s.user_id = u.id AND u.banned
			AND s.id NOT IN (SELECT session_id FROM pinned)`,
		reads: ts("pinned", "users"), writes: ts("sessions")},
	{name: "delete only", sql: `DELETE FROM ONLY logs WHERE at < $1`, writes: ts("logs")},
	{name: "merge", sql: `MERGE INTO customer_account ca
			USING recent_transactions t ON t.customer_id = ca.customer_id
			WHEN MATCHED AND t.amount > (SELECT cap FROM caps) THEN UPDATE SET balance = balance + t.amount
			WHEN NOT MATCHED THEN INSERT (customer_id, balance) VALUES (t.customer_id, t.amount)`,
		reads: ts("caps", "recent_transactions"), writes: ts("customer_account")},
	{name: "merge from subquery", sql: `MERGE INTO stock USING (SELECT item, sum(qty) q FROM deliveries GROUP BY item) d
			ON d.item = stock.item WHEN MATCHED THEN DELETE`,
		reads: ts("deliveries"), writes: ts("stock")},
	{name: "quoted identifiers", sql: `SELECT * FROM "Sales"."Order Items" JOIN "weird""name" ON true
			JOIN "ünïcode" ON true JOIN MixedCase ON true JOIN "MixedCase" ON true JOIN "a.b" ON true JOIN "select" ON true`,
		reads: []schema.TableName{n("MixedCase"), tq("", "a.b"), n("mixedcase"), n("select"), n(`weird"name`), n("ünïcode"), tq("Sales", "Order Items")}},
	{name: "catalog qualifier dropped", sql: `SELECT * FROM mydb.public.t`, reads: ts("public.t")},
	{name: "system catalogs are tables", sql: `SELECT relname FROM pg_catalog.pg_class JOIN pg_namespace n ON true`,
		reads: ts("pg_namespace", "pg_catalog.pg_class")},
	{name: "select into", sql: `SELECT * INTO backup_orders FROM orders`, reads: ts("orders"), writes: ts("backup_orders")},
	{name: "create table as", sql: `CREATE TABLE report.daily AS SELECT * FROM sales`, reads: ts("sales"), writes: ts("report.daily")},
	{name: "create materialized view", sql: `CREATE MATERIALIZED VIEW mv AS SELECT * FROM sales`, reads: ts("sales")},
	{name: "create view", sql: `CREATE OR REPLACE VIEW reporting.revenue AS
			SELECT a.title, sum(l.amount) FROM catalog.album a JOIN finance.ledger l ON l.album_id = a.id GROUP BY 1`,
		reads: ts("catalog.album", "finance.ledger")},
	{name: "truncate", sql: `TRUNCATE a, s.b RESTART IDENTITY`, writes: ts("a", "s.b")},
	{name: "copy from", sql: `COPY staging.items (id, name) FROM STDIN WITH (FORMAT csv)`, writes: ts("staging.items")},
	{name: "copy to", sql: `COPY items TO STDOUT`, reads: ts("items")},
	{name: "copy query", sql: `COPY (SELECT * FROM items JOIN prices USING (id)) TO STDOUT`, reads: ts("items", "prices")},
	{name: "for update of alias", sql: `SELECT * FROM jobs j JOIN queues q ON q.id = j.queue_id WHERE j.state = 'new'
			FOR UPDATE OF j SKIP LOCKED`, reads: ts("jobs", "queues")},
	{name: "several statements", sql: `BEGIN; INSERT INTO a VALUES (1); UPDATE b SET x = 1; SELECT * FROM c; COMMIT;`,
		reads: ts("c"), writes: ts("a", "b")},
	{name: "ddl contributes nothing", sql: `ALTER TABLE t ADD COLUMN c int; CREATE INDEX ON t (c); DROP TABLE u;
			CREATE TABLE v (id int REFERENCES w); LOCK TABLE t; GRANT SELECT ON t TO r; SET search_path = x;
			VACUUM t; COMMENT ON TABLE t IS 'x'`},
	{name: "explain", sql: `EXPLAIN (ANALYZE) UPDATE t SET a = 1 FROM u`, reads: ts("u"), writes: ts("t")},
	{name: "prepare and execute", sql: `PREPARE q(int) AS SELECT * FROM t WHERE id = $1; EXECUTE q(1)`,
		reads: ts("t"), dynamic: []string{"EXECUTE q(1)"}},
	{name: "declare cursor", sql: `DECLARE c CURSOR FOR SELECT * FROM big_table`, reads: ts("big_table")},
	{name: "call", sql: `CALL billing.close_month(2026, 11)`, dynamic: []string{"CALL billing.close_month(2026, 11)"}},
	{name: "do block", sql: `DO $$ BEGIN INSERT INTO log SELECT * FROM src; EXECUTE 'TRUNCATE ' || 'x'; END $$`,
		reads: ts("src"), writes: ts("log"), dynamic: []string{"EXECUTE 'TRUNCATE ' || 'x'"}},
	{name: "rule actions", sql: `CREATE RULE r AS ON INSERT TO a DO ALSO INSERT INTO a_log SELECT * FROM b`,
		reads: ts("b"), writes: ts("a_log")},
	{name: "pg_stat_statements text", sql: `SELECT "a"."id", "a"."title" FROM "catalog"."album" AS "a" WHERE "a"."id" = ANY($1) LIMIT $2`,
		reads: ts("catalog.album")},
	// PostgreSQL 18's pg_stat_statements writes savepoint names as
	// placeholders, which the parser rejects.
	{name: "normalized savepoint", sql: `SAVEPOINT $1`},
	{name: "normalized release", sql: `RELEASE SAVEPOINT $1`},
	{name: "normalized rollback to", sql: `ROLLBACK TO SAVEPOINT $2`},
	{name: "comments and strings", sql: `/* FROM nope */ SELECT 'FROM x' -- FROM y
			FROM real_table`, reads: ts("real_table")},
}

func TestPostgres(t *testing.T) {
	runCases(t, Postgres, pgCases)
}

func TestPostgresErrors(t *testing.T) {
	runErrCases(t, Postgres, []errCase{
		{name: "syntax error", sql: `SELEKT * FROM t`, want: []string{`postgres: cannot parse "SELEKT * FROM t"`, "syntax error"}},
		{name: "long statement is cut to 60 characters", sql: "SELECT a, b, c FROM t WHERE\n x = 1 AND y = 2 AND z = 3 AND w = (((( 4",
			want: []string{`"SELECT a, b, c FROM t WHERE x = 1 AND y = 2 AND z = 3 AND w…"`}},
		{name: "the failing statement is named, the others count", sql: `INSERT INTO a VALUES (1); UPDATE FROM b; SELECT * FROM c`,
			want:  []string{`cannot parse "UPDATE FROM b"`},
			reads: ts("c"), writes: ts("a")},
		{name: "mysql syntax", sql: "SELECT * FROM `t`", want: []string{"cannot parse"}},
		{name: "a placeholder is no savepoint name elsewhere", sql: "SELECT $1 $2", want: []string{"cannot parse"}},
	})
}

// TestPostgresFastPathAgrees checks that the summary fast path gives what
// the full tree walk gives, on every statement it accepts.
func TestPostgresFastPathAgrees(t *testing.T) {
	var inputs []string
	for _, c := range pgCases {
		inputs = append(inputs, c.sql)
	}
	inputs = append(inputs, pgOLTP...)
	inputs = append(inputs,
		`SELECT * FROM a TABLESAMPLE SYSTEM (10) JOIN b ON true`,
		`SELECT * FROM ONLY parent, child*`,
		`SELECT (SELECT 1 FROM x WHERE x.id = t.id) FROM t WHERE EXISTS (SELECT 1 FROM y) ORDER BY (SELECT 2 FROM z)`,
		`UPDATE t SET (a, b) = (SELECT a, b FROM src WHERE src.id = t.id)`,
		`UPDATE t SET a = 1 WHERE id IN (SELECT id FROM t WHERE b)`,
		`INSERT INTO t SELECT * FROM t`,
		`DELETE FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.t_id = t.id) RETURNING (SELECT 1 FROM v)`,
		`SELECT * FROM xmltable('/r' PASSING (SELECT doc FROM docs) COLUMNS a int)`,
		`SELECT * FROM json_table((SELECT j FROM js), '$[*]' COLUMNS (a int PATH '$.a')) jt`,
		`SELECT * FROM a WHERE x = ANY(ARRAY(SELECT y FROM b)) FOR UPDATE OF a`,
		`SELECT count(*) FILTER (WHERE x IN (SELECT x FROM f)) OVER (PARTITION BY (SELECT 1 FROM w)) FROM m`,
		`SELECT 1; INSERT INTO a VALUES (1); DELETE FROM b`,
	)
	fast := 0
	for _, sql := range inputs {
		var cf, ct collector
		if !postgresFast(&cf, sql) {
			continue
		}
		fast++
		if err := postgresTree(&ct, sql); err != nil {
			t.Errorf("%q: fast path accepted what the tree walk rejects: %v", sql, err)
			continue
		}
		if f, tr := cf.refs(), ct.refs(); !reflect.DeepEqual(f, tr) {
			t.Errorf("%q:\nfast %+v\ntree %+v", sql, f, tr)
		}
	}
	t.Logf("fast path answered %d of %d inputs", fast, len(inputs))
	if fast < 30 {
		t.Errorf("the fast path answered only %d of %d inputs", fast, len(inputs))
	}
}

// TestPostgresTree runs every case through the full tree walk alone, so
// that it is tested also where the fast path would answer.
func TestPostgresTree(t *testing.T) {
	runCases(t, func(sql string) (Refs, error) {
		var c collector
		err := postgresTree(&c, sql)
		return c.refs(), err
	}, pgCases)
}

func TestHasWord(t *testing.T) {
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"WITH x AS (SELECT 1) SELECT * FROM x", true},
		{"select 1 from t\nwith", true},
		{"(with x as (select 1) select 1)", true},
		{"SELECT width, withdrawn, bandwith_, $with FROM t", false},
		{"SELECT w FROM wi", false},
		{"", false},
	} {
		if got := hasWord(c.s, "with"); got != c.want {
			t.Errorf("hasWord(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}
