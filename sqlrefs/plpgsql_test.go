package sqlrefs

import (
	"testing"

	"github.com/seamsdev/seams/schema"
)

// plpgsqlCases are function bodies as pg_proc.prosrc holds them (the text
// between the dollar quotes). TestPLpgSQLFromServer creates each one on the
// real server and checks the same result on the prosrc it reads back.
var plpgsqlCases = []refCase{
	// The functions a body calls: PERFORM, SELECT, assignments, CALL, FROM.
	{name: "calls", sql: `DECLARE x int; BEGIN
		PERFORM musicbrainz.a_upd_tag(NEW.id);
		SELECT count_tags(NEW.id) INTO x;
		x := "Mixed"(1) + lower('A')::int;
		CALL refresh_stats();
		PERFORM 1 FROM set_of_rows(2) r;
		RETURN NEW;
	END`, dynamic: []string{"CALL refresh_stats()"}, calls: []string{"Mixed", "count_tags", "lower", "musicbrainz.a_upd_tag", "refresh_stats", "set_of_rows"}},
	{name: "trigger audit", sql: `
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO audit.log (tbl, row_id, op) VALUES (TG_TABLE_NAME, OLD.id, TG_OP);
    RETURN OLD;
  END IF;
  NEW.updated_at := now();
  INSERT INTO audit.log (tbl, row_id, op) VALUES (TG_TABLE_NAME, NEW.id, TG_OP);
  RETURN NEW;
END`, writes: ts("audit.log")},
	{name: "cross context trigger", sql: `
DECLARE
  v_stock integer;
BEGIN
  SELECT qty INTO v_stock FROM warehouse.stock WHERE item_id = NEW.item_id FOR UPDATE;
  IF v_stock IS NULL OR v_stock < NEW.qty THEN
    RAISE EXCEPTION 'out of stock for %', NEW.item_id;
  ELSIF v_stock - NEW.qty < (SELECT reorder_level FROM warehouse.reorder WHERE item_id = NEW.item_id) THEN
    PERFORM pg_notify('reorder', NEW.item_id::text);
  END IF;
  UPDATE warehouse.stock SET qty = qty - NEW.qty WHERE item_id = NEW.item_id;
  RETURN NEW;
END`, reads: ts("warehouse.reorder", "warehouse.stock"), writes: ts("warehouse.stock")},
	{name: "loops perform and assignments", sql: `
DECLARE
  r record;
  n integer := (SELECT count(*) FROM counters);
  i integer;
  ids integer[];
BEGIN
  FOR r IN SELECT * FROM pending_jobs WHERE state = 'new' LOOP
    UPDATE pending_jobs SET state = 'taken' WHERE id = r.id;
    PERFORM 1 FROM job_locks WHERE job_id = r.id;
  END LOOP;
  FOR i IN 1..(SELECT max(id) FROM batches) LOOP
    n := n + (SELECT count(*) FROM batch_items WHERE batch_id = i);
  END LOOP;
  ids := ARRAY(SELECT id FROM tags);
  FOREACH i IN ARRAY ids LOOP
    DELETE FROM tag_cache WHERE tag_id = i;
  END LOOP;
  WHILE n > (SELECT lim FROM limits) LOOP
    n := n - 1;
  END LOOP;
  <<outer>>
  LOOP
    EXIT outer WHEN NOT EXISTS (SELECT 1 FROM queue);
    DELETE FROM queue WHERE id = (SELECT min(id) FROM queue);
  END LOOP;
  RAISE NOTICE 'left: %', (SELECT count(*) FROM leftovers);
  RETURN NULL;
END`, reads: ts("batch_items", "batches", "counters", "job_locks", "leftovers", "limits", "pending_jobs", "queue", "tags"),
		writes: ts("pending_jobs", "queue", "tag_cache")},
	{name: "return query and next", sql: `
DECLARE
  r record;
BEGIN
  RETURN QUERY SELECT a.* FROM catalog.album a JOIN catalog.artist ar ON ar.id = a.artist_id;
  FOR r IN SELECT * FROM catalog.single LOOP
    RETURN NEXT r;
  END LOOP;
  RETURN;
END`, reads: ts("catalog.album", "catalog.artist", "catalog.single")},
	{name: "execute", sql: `
DECLARE
  c refcursor;
  r record;
BEGIN
  EXECUTE 'DELETE FROM "Staging"."Raw Rows" WHERE done';
  EXECUTE 'INSERT INTO archive SELECT * FROM src WHERE id = $1' USING NEW.id;
  EXECUTE format('DELETE FROM %I.%I WHERE id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME) USING OLD.id;
  EXECUTE 'TRUNCATE ' || quote_ident(TG_ARGV[0]);
  FOR r IN EXECUTE 'SELECT * FROM ' || TG_ARGV[1] LOOP
  END LOOP;
  OPEN c FOR EXECUTE 'SELECT 1';
  OPEN c FOR EXECUTE 'SELECT * FROM ' || quote_ident(TG_ARGV[2]);
  OPEN c FOR SELECT * FROM cursor_source;
  RETURN NULL;
END`, reads: ts("cursor_source", "src"), writes: ts("archive", "Staging.Raw Rows"),
		dynamic: []string{
			"EXECUTE 'SELECT * FROM ' || TG_ARGV[1]",
			"EXECUTE 'SELECT * FROM ' || quote_ident(TG_ARGV[2])",
			"EXECUTE 'TRUNCATE ' || quote_ident(TG_ARGV[0])",
			"EXECUTE format('DELETE FROM %I.%I WHERE id = $1', TG_TABLE_SCHEMA, TG_TABLE_NAME)",
		}},
	{name: "blocks exceptions cursors and ctes", sql: `
DECLARE
  cur CURSOR (p integer) FOR SELECT * FROM invoices WHERE customer_id = p;
  total numeric := 0;
BEGIN
  BEGIN
    WITH moved AS (DELETE FROM inbox RETURNING *) INSERT INTO processed SELECT * FROM moved;
  EXCEPTION WHEN unique_violation THEN
    UPDATE failures SET n = n + 1;
  END;
  CASE (SELECT kind FROM kinds LIMIT 1)
    WHEN 'a' THEN INSERT INTO a_log VALUES (1);
    ELSE NULL;
  END CASE;
  GET DIAGNOSTICS total = ROW_COUNT;
  RETURN NEW;
END`, reads: ts("invoices", "kinds"), writes: ts("a_log", "failures", "inbox", "processed")},
	{name: "quoted identifiers", sql: `
BEGIN
  INSERT INTO "Finance"."Ledger ""Main""" SELECT * FROM "ünïcode";
  RETURN NEW;
END`, reads: ts("ünïcode"), writes: []schema.TableName{tq("Finance", `Ledger "Main"`)}},
	{name: "dollar quotes inside", sql: `
BEGIN
  INSERT INTO notes (body) VALUES ($seams$ FROM not_a_table $seams$);
  EXECUTE $x$UPDATE dq_target SET a = 1$x$;
  RETURN NEW;
END`, writes: ts("dq_target", "notes")},
}

func TestPLpgSQL(t *testing.T) {
	runCases(t, PLpgSQL, plpgsqlCases)
}

func TestPLpgSQLParameters(t *testing.T) {
	// prosrc does not declare the parameters; assigning them must work.
	runCases(t, PLpgSQL, []refCase{
		{name: "return query execute", sql: `
BEGIN
  RETURN QUERY EXECUTE 'SELECT * FROM ' || quote_ident(tbl) || ' WHERE id = $1' USING id;
  RETURN QUERY EXECUTE 'SELECT * FROM constant_src';
  RETURN QUERY SELECT * FROM plain_src WHERE plain_src.id = id;
END`, reads: ts("constant_src", "plain_src"),
			dynamic: []string{"EXECUTE 'SELECT * FROM ' || quote_ident(tbl) || ' WHERE id = $1'"}},
		{name: "sql call and nested do", sql: `
BEGIN
  CALL warehouse.restock(1);
  DELETE FROM ONLY stale WHERE at < now() - interval '1 day';
END`, writes: ts("stale"), dynamic: []string{"CALL warehouse.restock(1)"}},
		{name: "assign out parameters", sql: `
BEGIN
  total := (SELECT sum(amount) FROM payments WHERE customer_id = cust);
  result.n := 1;
  "Mixed" := 2;
END`, reads: ts("payments")},
	})
}

func TestPLpgSQLErrors(t *testing.T) {
	runErrCases(t, PLpgSQL, []errCase{
		{name: "plpgsql syntax", sql: `BEGIN IF x THEN END`, want: []string{`plpgsql: cannot parse "BEGIN IF x THEN END"`}},
		{name: "sql syntax inside", sql: `BEGIN INSERT INTO good VALUES (1); UPDATE SET x = 1; END`,
			want: []string{"plpgsql: cannot parse"}},
	})
}
