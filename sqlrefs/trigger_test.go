package sqlrefs

import (
	"strings"
	"testing"
)

func TestMySQLTriggerBody(t *testing.T) {
	runCases(t, MySQLTriggerBody, []refCase{
		{name: "single insert", sql: "INSERT INTO audit (a) VALUES (NEW.a)", writes: ts("audit")},
		{name: "single set", sql: "SET NEW.total = NEW.qty * NEW.price", reads: nil},
		{name: "set several with := and subqueries", sql: "SET NEW.a := (SELECT x FROM t1), @b = f(1, (SELECT y FROM t2)), c = 3",
			reads: ts("t1", "t2")},
		{name: "strings hold keywords and semicolons", sql: "BEGIN\n" +
			"  INSERT INTO log VALUES ('END IF; END; BEGIN', \"DELETE FROM x; \\\" END\", 'it\\'s; ''quoted''');\n" +
			"  UPDATE `weird;name` SET v = 'BEGIN' WHERE k = 'END';\n" +
			"END", writes: ts("log", "weird;name")},
		{name: "comments of every kind", sql: "BEGIN\n" +
			"  -- DELETE FROM dash; END;\n" +
			"  # DELETE FROM hash; END;\n" +
			"  /* DELETE FROM block;\n END; */\n" +
			"  DELETE FROM real_target WHERE id = OLD.id; -- trailing; comment\n" +
			"  SELECT 5--1 INTO @x FROM real_source; -- 5--1 is 5 - -1: no comment without a space\n" +
			"  ;\n" +
			"END", reads: ts("real_source"), writes: ts("real_target")},
		{name: "nested blocks labels and loops", sql: "outer_block: BEGIN\n" +
			"  DECLARE i INT DEFAULT 0;\n" +
			"  inner_block: BEGIN\n" +
			"    DECLARE j INT DEFAULT (SELECT COUNT(*) FROM counts);\n" +
			"    my_loop: LOOP\n" +
			"      SET i = i + 1;\n" +
			"      IF i > (SELECT lim FROM limits) THEN LEAVE my_loop; END IF;\n" +
			"      INSERT INTO ticks VALUES (i);\n" +
			"      ITERATE my_loop;\n" +
			"    END LOOP my_loop;\n" +
			"  END inner_block;\n" +
			"END outer_block", reads: ts("counts", "limits"), writes: ts("ticks")},
		{name: "handlers cursors fetch signal", sql: "BEGIN\n" +
			"  DECLARE done BOOL DEFAULT FALSE;\n" +
			"  DECLARE v INT;\n" +
			"  DECLARE no_such CONDITION FOR SQLSTATE '42S02';\n" +
			"  DECLARE c CURSOR FOR SELECT id FROM src1 UNION SELECT id FROM src2;\n" +
			"  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;\n" +
			"  DECLARE EXIT HANDLER FOR no_such, SQLWARNING, 1062 BEGIN INSERT INTO errors VALUES (1); END;\n" +
			"  OPEN c;\n" +
			"  read_loop: REPEAT\n" +
			"    FETCH c INTO v;\n" +
			"    UPDATE dst SET n = n + 1 WHERE id = v;\n" +
			"  UNTIL done END REPEAT read_loop;\n" +
			"  CLOSE c;\n" +
			"  IF NEW.x < 0 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative; no'; END IF;\n" +
			"  GET DIAGNOSTICS v = ROW_COUNT;\n" +
			"END", reads: ts("src1", "src2"), writes: ts("dst", "errors")},
		{name: "case with operand and searched case", sql: "BEGIN\n" +
			"  CASE NEW.kind\n" +
			"    WHEN 'a' THEN INSERT INTO a_rows VALUES (NEW.id);\n" +
			"    WHEN (SELECT k FROM kinds LIMIT 1) THEN BEGIN END;\n" +
			"    ELSE SET NEW.kind = CASE WHEN NEW.x THEN 'b' ELSE (SELECT d FROM defaults) END;\n" +
			"  END CASE;\n" +
			"END", reads: ts("defaults", "kinds"), writes: ts("a_rows")},
		{name: "case expressions inside conditions", sql: "BEGIN\n" +
			"  IF CASE WHEN NEW.a THEN (SELECT 1 FROM c1) ELSE 0 END THEN\n" +
			"    WHILE CASE NEW.b WHEN 1 THEN TRUE END DO LEAVE x; END WHILE;\n" +
			"  ELSEIF (SELECT CASE WHEN v THEN 1 END FROM c2) THEN SET @a = 1;\n" +
			"  END IF;\n" +
			"  REPEAT SET @b = 1; UNTIL CASE WHEN (SELECT 1 FROM c3) THEN TRUE END END REPEAT;\n" +
			"END", reads: ts("c1", "c2", "c3")},
		{name: "cross database", sql: "BEGIN INSERT INTO finance.ledger SELECT * FROM catalog.line_item WHERE id = NEW.id; END",
			reads: ts("catalog.line_item"), writes: ts("finance.ledger")},
		{name: "executable comment", sql: "BEGIN /*!50003 INSERT INTO versioned VALUES (1) */; END", writes: ts("versioned")},
		{name: "call and prepare", sql: "BEGIN CALL p(NEW.id); PREPARE s FROM 'DELETE FROM prepared'; END",
			writes: ts("prepared"), dynamic: []string{"CALL p(NEW.id)"}},
		{name: "with statements", sql: "BEGIN WITH x AS (SELECT id FROM src) DELETE FROM dst WHERE id IN (SELECT id FROM x); " +
			"INSERT INTO dst2 WITH y AS (SELECT * FROM src2) SELECT * FROM y; END",
			reads: ts("src", "src2"), writes: ts("dst", "dst2")},
		{name: "empty compound", sql: "BEGIN END"},
		{name: "procedure body", sql: "BEGIN\n" +
			"  START TRANSACTION;\n" +
			"  CREATE TEMPORARY TABLE tmp_ids AS SELECT id FROM orders WHERE paid;\n" +
			"  TRUNCATE TABLE staging;\n" +
			"  UPDATE orders o JOIN tmp_ids t ON t.id = o.id SET o.exported = 1;\n" +
			"  DROP TEMPORARY TABLE tmp_ids;\n" +
			"  COMMIT;\n" +
			"END", reads: ts("orders", "tmp_ids"), writes: ts("orders", "staging", "tmp_ids")},
		{name: "return in a function body", sql: "BEGIN RETURN (SELECT name FROM users WHERE id = 1); END", reads: ts("users")},
	})
}

func TestMySQLTriggerBodyErrors(t *testing.T) {
	runErrCases(t, MySQLTriggerBody, []errCase{
		{name: "unparsable statement is skipped and named", sql: "BEGIN\n INSERT INTO ok1 VALUES (1);\n UPDATE SET broken = 1;\n DELETE FROM ok2;\nEND",
			want:   []string{`mysql trigger body: skipped 1 statement(s): cannot parse "UPDATE SET broken = 1"`},
			writes: ts("ok1", "ok2")},
		{name: "unknown statement", sql: "BEGIN FROBNICATE everything; INSERT INTO ok VALUES (1); END",
			want:   []string{`unknown statement "FROBNICATE everything"`},
			writes: ts("ok")},
		{name: "bad expression", sql: "BEGIN IF (SELECT FROM) THEN DELETE FROM ok; END IF; END",
			want:   []string{`cannot parse expression "(SELECT FROM)"`},
			writes: ts("ok")},
	})
}

func TestMySQLTokens(t *testing.T) {
	// Every token lies inside the source and tokens do not overlap; no
	// input makes the tokenizer fail or loop.
	for _, src := range []string{
		"", "'unterminated", "`unterminated", "/* unterminated", "-- only a comment", "#", "\"a\\", "a\\",
		"ünïcode;`ü`", "1.5e3 0x1F", "*/", "/*!", "/*M!100000 x */",
	} {
		toks := mysqlTokens(src)
		end := 0
		for _, tk := range toks {
			if tk.start < end || tk.end > len(src) || tk.start >= tk.end {
				t.Errorf("%q: bad token %+v", src, tk)
			}
			end = tk.end
		}
		// And the splitter terminates on it.
		if _, err := MySQLTriggerBody(src); err != nil && strings.ContainsAny(err.Error(), "\n") {
			t.Errorf("%q: multi-line error %q", src, err)
		}
	}
}
