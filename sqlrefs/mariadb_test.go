package sqlrefs

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// mariaView is a view created on MariaDB 10.11 and the VIEW_DEFINITION that
// information_schema.VIEWS gave for it, captured verbatim from the server
// (note what MariaDB rewrites: A EXCEPT B INTERSECT C becomes a derived
// table, NOT IN becomes !(... in ...), LIMIT 10 OFFSET 2 becomes LIMIT 2,10)
// in database seams_scratch_sqlrefs (with a second database
// seams_scratch_sqlrefs_other). In reads, "DB." and "OTHER." stand for the
// two databases. TestMariaDBViewsFromServer creates the same views again.
type mariaView struct {
	name   string
	create string // the query of CREATE VIEW; OTHERDB stands for the second database
	def    string // VIEW_DEFINITION as captured
	reads  []schema.TableName
}

var mariaViews = []mariaView{
	{name: "v_simple", create: "SELECT id, name FROM customer WHERE id > 10",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`id` AS `id`,`seams_scratch_sqlrefs`.`customer`.`name` AS `name` from `seams_scratch_sqlrefs`.`customer` where `seams_scratch_sqlrefs`.`customer`.`id` > 10",
		reads: ts("DB.customer")},
	{name: "v_join", create: "SELECT c.name, SUM(o.amount) AS total FROM customer c JOIN `Order Items` o ON o.customer_id = c.id GROUP BY c.name",
		def:   "select `c`.`name` AS `name`,sum(`o`.`amount`) AS `total` from (`seams_scratch_sqlrefs`.`customer` `c` join `seams_scratch_sqlrefs`.`Order Items` `o` on(`o`.`customer_id` = `c`.`id`)) group by `c`.`name`",
		reads: ts("DB.Order Items", "DB.customer")},
	{name: "v_cross", create: "SELECT c.name, k.name AS country FROM customer c LEFT JOIN OTHERDB.country k ON k.code = c.country",
		def:   "select `c`.`name` AS `name`,`k`.`name` AS `country` from (`seams_scratch_sqlrefs`.`customer` `c` left join `seams_scratch_sqlrefs_other`.`country` `k` on(`k`.`code` = `c`.`country`))",
		reads: ts("DB.customer", "OTHER.country")},
	{name: "v_sub", create: "SELECT * FROM customer WHERE id IN (SELECT customer_id FROM `Order Items`) AND EXISTS (SELECT 1 FROM `ünïcode` u WHERE u.id = customer.id)",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`id` AS `id`,`seams_scratch_sqlrefs`.`customer`.`name` AS `name`,`seams_scratch_sqlrefs`.`customer`.`country` AS `country` from `seams_scratch_sqlrefs`.`customer` where `seams_scratch_sqlrefs`.`customer`.`id` in (select `seams_scratch_sqlrefs`.`Order Items`.`customer_id` from `seams_scratch_sqlrefs`.`Order Items`) and exists(select 1 from `seams_scratch_sqlrefs`.`ünïcode` `u` where `u`.`id` = `seams_scratch_sqlrefs`.`customer`.`id` limit 1)",
		reads: ts("DB.Order Items", "DB.customer", "DB.ünïcode")},
	{name: "v_union", create: "SELECT id FROM customer UNION ALL SELECT id FROM `back``tick`",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`id` AS `id` from `seams_scratch_sqlrefs`.`customer` union all select `seams_scratch_sqlrefs`.`back``tick`.`id` AS `id` from `seams_scratch_sqlrefs`.`back``tick`",
		reads: ts("DB.back`tick", "DB.customer")},
	{name: "v_view", create: "SELECT * FROM v_simple",
		def:   "select `v_simple`.`id` AS `id`,`v_simple`.`name` AS `name` from `seams_scratch_sqlrefs`.`v_simple`",
		reads: ts("DB.v_simple")},
	{name: "v_cte", create: "WITH big AS (SELECT customer_id, amount FROM `Order Items` WHERE amount > 100) SELECT c.name, b.amount FROM customer c JOIN big b ON b.customer_id = c.id",
		def:   "with big as (select `seams_scratch_sqlrefs`.`Order Items`.`customer_id` AS `customer_id`,`seams_scratch_sqlrefs`.`Order Items`.`amount` AS `amount` from `seams_scratch_sqlrefs`.`Order Items` where `seams_scratch_sqlrefs`.`Order Items`.`amount` > 100)select `c`.`name` AS `name`,`b`.`amount` AS `amount` from (`seams_scratch_sqlrefs`.`customer` `c` join `big` `b` on(`b`.`customer_id` = `c`.`id`))",
		reads: ts("DB.Order Items", "DB.customer")},
	{name: "v_derived", create: "SELECT d.n FROM (SELECT COUNT(*) AS n FROM customer) d",
		def:   "select `d`.`n` AS `n` from (select count(0) AS `n` from `seams_scratch_sqlrefs`.`customer`) `d`",
		reads: ts("DB.customer")},
	{name: "v_str", create: "SELECT 'it''s; a -- string /* x */' AS s, `we\"ird` FROM `ünïcode`",
		def:   "select 'it\\'s; a -- string /* x */' AS `s`,`seams_scratch_sqlrefs`.`ünïcode`.`we\"ird` AS `we\"ird` from `seams_scratch_sqlrefs`.`ünïcode`",
		reads: ts("DB.ünïcode")},
	{name: "v mixed Case", create: "SELECT name AS `Name With Space` FROM customer",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`name` AS `Name With Space` from `seams_scratch_sqlrefs`.`customer`",
		reads: ts("DB.customer")},
	{name: "v_recursive", create: "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r WHERE n < 5) SELECT n FROM r",
		def:   "with recursive r(`n`) as (select 1 AS `n` union all select `r`.`n` + 1 AS `n+1` from `r` where `r`.`n` < 5)select `r`.`n` AS `n` from `r`",
		reads: nil},
	{name: "v_window", create: "SELECT id, ROW_NUMBER() OVER (PARTITION BY country ORDER BY id) AS rn FROM customer",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`id` AS `id`,row_number() over ( partition by `seams_scratch_sqlrefs`.`customer`.`country` order by `seams_scratch_sqlrefs`.`customer`.`id`) AS `rn` from `seams_scratch_sqlrefs`.`customer`",
		reads: ts("DB.customer")},
	{name: "v_nofrom", create: "SELECT 1 AS one",
		def:   "select 1 AS `one`",
		reads: nil},
	{name: "v_dual", create: "SELECT NOW() AS t FROM DUAL",
		def:   "select current_timestamp() AS `t`",
		reads: nil},
	{name: "v_agg", create: "SELECT country, GROUP_CONCAT(DISTINCT name ORDER BY name SEPARATOR '; ') AS names, COUNT(DISTINCT id) AS n FROM customer GROUP BY country WITH ROLLUP HAVING COUNT(*) > 0",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`country` AS `country`,group_concat(distinct `seams_scratch_sqlrefs`.`customer`.`name` order by `seams_scratch_sqlrefs`.`customer`.`name` ASC separator '; ') AS `names`,count(distinct `seams_scratch_sqlrefs`.`customer`.`id`) AS `n` from `seams_scratch_sqlrefs`.`customer` group by `seams_scratch_sqlrefs`.`customer`.`country` with rollup having count(0) > 0",
		reads: ts("DB.customer")},
	{name: "v_distinct", create: "SELECT DISTINCT c.country FROM customer c STRAIGHT_JOIN `Order Items` o ON o.customer_id = c.id WHERE c.name IS NOT NULL ORDER BY 1 LIMIT 10 OFFSET 2",
		def:   "select distinct `c`.`country` AS `country` from (`seams_scratch_sqlrefs`.`customer` `c` straight_join `seams_scratch_sqlrefs`.`Order Items` `o` on(`o`.`customer_id` = `c`.`id`)) where `c`.`name` is not null order by 1 limit 2,10",
		reads: ts("DB.Order Items", "DB.customer")},
	{name: "v_except", create: "SELECT id FROM customer EXCEPT SELECT customer_id FROM `Order Items` INTERSECT SELECT id FROM customer",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`id` AS `id` from `seams_scratch_sqlrefs`.`customer` except select `__5`.`customer_id` AS `customer_id` from (select `seams_scratch_sqlrefs`.`Order Items`.`customer_id` AS `customer_id` from `seams_scratch_sqlrefs`.`Order Items` intersect select `seams_scratch_sqlrefs`.`customer`.`id` AS `id` from `seams_scratch_sqlrefs`.`customer`) `__5`",
		reads: ts("DB.Order Items", "DB.customer")},
	{name: "v_expr", create: "SELECT CAST(amount AS CHAR) AS a, CONVERT(amount, DECIMAL(12,3)) AS b, IF(amount > 10, 'big', _utf8mb4'small' COLLATE utf8mb4_bin) AS c, DATE_FORMAT(NOW() - INTERVAL 1 DAY, '%Y') AS d, amount DIV 2 AS e, amount REGEXP '^1' AS f, 'x' LIKE 'y%' ESCAPE '!' AS g, CASE WHEN amount IS NULL THEN 0 ELSE amount END AS h, COALESCE(customer_id, 0) AS i, CONCAT_WS(',', 'a', 'b') AS j, JSON_OBJECT('k', amount) AS k, amount BETWEEN 1 AND 2 AS l, TRIM(LEADING 'x' FROM 'xxa') AS m, SUBSTRING('abc' FROM 2) AS n, EXTRACT(YEAR FROM NOW()) AS o, `Order Items`.amount * -1 AS p, NOT (amount <=> NULL) AS q FROM `Order Items`",
		def:   "select cast(`seams_scratch_sqlrefs`.`Order Items`.`amount` as char charset utf8mb3) AS `a`,cast(`seams_scratch_sqlrefs`.`Order Items`.`amount` as decimal(12,3)) AS `b`,if(`seams_scratch_sqlrefs`.`Order Items`.`amount` > 10,'big','small' collate utf8mb4_bin) AS `c`,date_format(current_timestamp() - interval 1 day,'%Y') AS `d`,`seams_scratch_sqlrefs`.`Order Items`.`amount` DIV 2 AS `e`,`seams_scratch_sqlrefs`.`Order Items`.`amount` regexp '^1' AS `f`,'x' like 'y%' escape '!' AS `g`,case when `seams_scratch_sqlrefs`.`Order Items`.`amount` is null then 0 else `seams_scratch_sqlrefs`.`Order Items`.`amount` end AS `h`,coalesce(`seams_scratch_sqlrefs`.`Order Items`.`customer_id`,0) AS `i`,concat_ws(',','a','b') AS `j`,json_object('k',`seams_scratch_sqlrefs`.`Order Items`.`amount`) AS `k`,`seams_scratch_sqlrefs`.`Order Items`.`amount` between 1 and 2 AS `l`,trim(leading 'x' from 'xxa') AS `m`,substr('abc',2) AS `n`,extract(year from current_timestamp()) AS `o`,`seams_scratch_sqlrefs`.`Order Items`.`amount` * -1 AS `p`,!(`seams_scratch_sqlrefs`.`Order Items`.`amount` <=> NULL) AS `q` from `seams_scratch_sqlrefs`.`Order Items`",
		reads: ts("DB.Order Items")},
	{name: "v_in_list", create: "SELECT * FROM customer WHERE country IN ('DE', 'FR') AND id NOT IN (SELECT customer_id FROM `Order Items` WHERE customer_id IS NOT NULL)",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`id` AS `id`,`seams_scratch_sqlrefs`.`customer`.`name` AS `name`,`seams_scratch_sqlrefs`.`customer`.`country` AS `country` from `seams_scratch_sqlrefs`.`customer` where `seams_scratch_sqlrefs`.`customer`.`country` in ('DE','FR') and !(`seams_scratch_sqlrefs`.`customer`.`id` in (select `seams_scratch_sqlrefs`.`Order Items`.`customer_id` from `seams_scratch_sqlrefs`.`Order Items` where `seams_scratch_sqlrefs`.`Order Items`.`customer_id` is not null))",
		reads: ts("DB.Order Items", "DB.customer")},
	{name: "v_json", create: "SELECT jt.* FROM customer, JSON_TABLE('[{\"a\":1}]', '$[*]' COLUMNS (a INT PATH '$.a')) AS jt",
		def:   "select `jt`.`a` AS `a` from `seams_scratch_sqlrefs`.`customer` join JSON_TABLE('[{\"a\":1}]', '$[*]' COLUMNS (`a` int(11) PATH '$.a')) `jt`",
		reads: ts("DB.customer")},
	{name: "v_natural", create: "SELECT customer.name, c2.country FROM customer NATURAL JOIN `Order Items` JOIN customer c2 USING (id)",
		def:   "select `seams_scratch_sqlrefs`.`customer`.`name` AS `name`,`c2`.`country` AS `country` from ((`seams_scratch_sqlrefs`.`customer` join `seams_scratch_sqlrefs`.`Order Items` on(`seams_scratch_sqlrefs`.`customer`.`id` = `seams_scratch_sqlrefs`.`Order Items`.`id`)) join `seams_scratch_sqlrefs`.`customer` `c2` on(`seams_scratch_sqlrefs`.`customer`.`id` = `c2`.`id`))",
		reads: ts("DB.Order Items", "DB.customer")},
	{name: "v_seq", create: "SELECT NEXTVAL(seq1) AS nv",
		def:   "select nextval(`seams_scratch_sqlrefs`.`seq1`) AS `nv`",
		reads: nil},
	{name: "v_union_paren", create: "(SELECT id FROM customer) UNION (SELECT id FROM `Order Items`) ORDER BY id",
		def:   "(select `seams_scratch_sqlrefs`.`customer`.`id` AS `id` from `seams_scratch_sqlrefs`.`customer`) union (select `seams_scratch_sqlrefs`.`Order Items`.`id` AS `id` from `seams_scratch_sqlrefs`.`Order Items`) order by `id`",
		reads: ts("DB.Order Items", "DB.customer")},
	{name: "v_win", create: "SELECT id, SUM(amount) OVER w AS s, LAG(amount, 1) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS l FROM `Order Items` WINDOW w AS (PARTITION BY customer_id)",
		def:   "select `seams_scratch_sqlrefs`.`Order Items`.`id` AS `id`,sum(`seams_scratch_sqlrefs`.`Order Items`.`amount`) over ( partition by `seams_scratch_sqlrefs`.`Order Items`.`customer_id`) AS `s`,lag(`seams_scratch_sqlrefs`.`Order Items`.`amount`,1) over ( order by `seams_scratch_sqlrefs`.`Order Items`.`id` rows between 1 preceding  and  current row ) AS `l` from `seams_scratch_sqlrefs`.`Order Items`",
		reads: ts("DB.Order Items")},
}

// inDatabases replaces the DB and OTHER schema placeholders.
func inDatabases(ns []schema.TableName, db, other string) []schema.TableName {
	if ns == nil {
		return nil
	}
	out := make([]schema.TableName, len(ns))
	for i, n := range ns {
		switch n.Schema {
		case "DB":
			n.Schema = db
		case "OTHER":
			n.Schema = other
		}
		out[i] = n
	}
	return sortNames(out)
}

func TestMariaDBViewDefinitions(t *testing.T) {
	var cases []refCase
	for _, v := range mariaViews {
		cases = append(cases, refCase{name: v.name, sql: v.def,
			reads: inDatabases(v.reads, "seams_scratch_sqlrefs", "seams_scratch_sqlrefs_other")})
	}
	runCases(t, MySQL, cases)
}

// mariaTrigger is a trigger created on MariaDB 10.11 and its body exactly as
// information_schema.TRIGGERS.ACTION_STATEMENT gave it (captured with the
// second database named seams_scratch_sqlrefs_other, written OTHERDB here).
// TestMariaDBTriggersFromServer creates the same triggers again.
type mariaTrigger struct {
	name        string
	mariadbOnly bool   // MariaDB syntax (FOR loops)
	on          string // timing, event and table
	body        string
	reads       []schema.TableName
	writes      []schema.TableName
	dynamic     []string
}

var mariaTriggers = []mariaTrigger{
	{name: "trg_simple", on: "AFTER INSERT ON customer",
		body:  "INSERT INTO audit_log(tbl, note, at) VALUES ('customer', CONCAT('new; customer ', NEW.name), NOW())",
		reads: nil, writes: ts("audit_log"), dynamic: nil},
	{name: "trg_compound", on: "BEFORE INSERT ON `Order Items`",
		body:  "BEGIN\n  -- a comment; with a semicolon\n  DECLARE v_qty INT DEFAULT 0;\n  DECLARE msg VARCHAR(100) DEFAULT 'it''s; \"quoted\" END;';\n  /* block comment; END IF; */\n  SELECT qty INTO v_qty FROM stock WHERE item_id = NEW.id;\n  IF v_qty < 1 THEN\n    SET NEW.amount = 0;\n    INSERT INTO audit_log(tbl, note) VALUES ('Order Items', 'out of stock; BEGIN END');\n  ELSEIF v_qty < 5 THEN\n    UPDATE stock SET qty = qty - 1 WHERE item_id = NEW.id;\n  ELSE\n    UPDATE stock s JOIN customer c ON c.id = NEW.customer_id SET s.qty = s.qty - 1 WHERE s.item_id = NEW.id;\n  END IF;\n  INSERT INTO OTHERDB.ledger (customer_id, amount)\n    SELECT id, NEW.amount FROM customer WHERE id = NEW.customer_id;\n  SET @last = (SELECT MAX(id) FROM audit_log);\nEND",
		reads: ts("audit_log", "customer", "stock"), writes: ts("audit_log", "stock", "OTHER.ledger"), dynamic: nil},
	{name: "trg_delete", on: "AFTER DELETE ON customer",
		body:  "lbl: BEGIN\n  DECLARE done INT DEFAULT FALSE;\n  DECLARE cur CURSOR FOR SELECT item_id FROM stock;\n  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;\n  IF OLD.id = 0 THEN LEAVE lbl; END IF;\n  DELETE FROM `Order Items` WHERE customer_id = OLD.id;\n  CASE OLD.country WHEN 'DE' THEN DELETE FROM `ünïcode` WHERE id = OLD.id; ELSE BEGIN END; END CASE;\n  WHILE done = FALSE DO\n    SET done = TRUE;\n  END WHILE;\n  REPLACE INTO audit_log (id, tbl) VALUES (OLD.id, \"cust\"\"omer\");\nEND",
		reads: ts("stock"), writes: ts("Order Items", "audit_log", "ünïcode"), dynamic: nil},
	{name: "trg_case_repeat", on: "BEFORE UPDATE ON customer",
		body:  "BEGIN\n  DECLARE n INT DEFAULT (SELECT COUNT(*) FROM stock);\n  DECLARE EXIT HANDLER FOR SQLSTATE '23000', SQLEXCEPTION\n    BEGIN\n      INSERT INTO audit_log (tbl, note) VALUES ('customer', 'failed # not a comment');\n    END;\n  # hash comment; DELETE FROM customer;\n  CASE\n    WHEN NEW.country = 'DE' THEN UPDATE stock SET qty = 0 WHERE item_id = NEW.id;\n    WHEN NEW.country IN (SELECT code FROM OTHERDB.country) THEN SET NEW.name = UPPER(NEW.name);\n    ELSE SET NEW.name = (SELECT name FROM `Order Items` oi JOIN customer c ON c.id = oi.customer_id LIMIT 1);\n  END CASE;\n  REPEAT\n    SET n = n - 1;\n  UNTIL n <= (SELECT 0 FROM `back``tick` LIMIT 1) END REPEAT;\n  IF NOT EXISTS (SELECT 1 FROM OTHERDB.ledger WHERE customer_id = NEW.id) THEN\n    INSERT INTO OTHERDB.ledger (customer_id, amount) VALUES (NEW.id, 0);\n  END IF;\nEND",
		reads: ts("Order Items", "back`tick", "customer", "stock", "OTHER.country", "OTHER.ledger"), writes: ts("audit_log", "stock", "OTHER.ledger"), dynamic: nil},
	{name: "trg_set", on: "BEFORE INSERT ON stock",
		body:  "SET NEW.qty = COALESCE(NEW.qty, (SELECT MIN(amount) FROM `Order Items`)), @seen = 1",
		reads: ts("Order Items"), writes: nil, dynamic: nil},
	{name: "trg_for", mariadbOnly: true, on: "AFTER UPDATE ON stock",
		body:  "main: BEGIN\n  FOR r IN (SELECT id FROM `ünïcode` WHERE id > NEW.qty) DO\n    DELETE FROM audit_log WHERE id = r.id;\n  END FOR;\n  counting: FOR i IN 1 .. 3 DO\n    ITERATE counting;\n  END FOR counting;\n  CALL OTHERDB.recount(NEW.item_id);\n  WHILE (SELECT COUNT(*) FROM customer WHERE id = NEW.item_id) > 0 DO\n    LEAVE main;\n  END WHILE;\nEND",
		reads: ts("customer", "ünïcode"), writes: ts("audit_log"), dynamic: []string{"CALL OTHERDB.recount(NEW.item_id)"}},
}

func TestMariaDBTriggerBodies(t *testing.T) {
	var cases []refCase
	for _, tr := range mariaTriggers {
		body := strings.ReplaceAll(tr.body, "OTHERDB", "seams_scratch_sqlrefs_other")
		var dyn []string
		for _, d := range tr.dynamic {
			dyn = append(dyn, strings.ReplaceAll(d, "OTHERDB", "seams_scratch_sqlrefs_other"))
		}
		cases = append(cases, refCase{name: tr.name, sql: body,
			reads:   inDatabases(tr.reads, "", "seams_scratch_sqlrefs_other"),
			writes:  inDatabases(tr.writes, "", "seams_scratch_sqlrefs_other"),
			dynamic: dyn})
	}
	runCases(t, MySQLTriggerBody, cases)
}
