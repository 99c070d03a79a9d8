//go:build integration

package ddl

import (
	"testing"

	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/fixtures/synth"
	"github.com/seamsdev/seams/schema"
)

// pgRich exercises what a PostgreSQL file can hold: schemas and the search
// path, partitions (PARTITION OF, ATTACH PARTITION, sub-partitions,
// partition keys and indexes), every kind of constraint named and unnamed,
// foreign keys inline, table-level and added later (NOT VALID, ONLY,
// deferrable, composite, to a partitioned table, across schemas),
// expression and partial indexes, serial, identity and generated columns,
// enums and domains, views and materialized views, triggers with PL/pgSQL
// bodies, inheritance, comments, and hostile names.
const pgRich = `
CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;
CREATE SCHEMA sales;
COMMENT ON SCHEMA sales IS 'orders and money';
CREATE SCHEMA "Odd ""Schema""";
CREATE TYPE sales.status AS ENUM ('new', 'paid', 'gone');
CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);

DO $$
BEGIN
    CREATE TYPE level AS ENUM ('low', 'high');
EXCEPTION
    WHEN duplicate_object THEN NULL;
END $$;
CREATE FUNCTION norm(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) $$;
CREATE TABLE country (code char(2) PRIMARY KEY, name varchar(100) NOT NULL UNIQUE);
COMMENT ON TABLE country IS 'ISO codes';
COMMENT ON COLUMN country.name IS 'English name';

CREATE TABLE customer (
    id serial PRIMARY KEY,
    email text NOT NULL,
    country_code char(2) REFERENCES country ON DELETE SET NULL,
    referred_by integer REFERENCES customer (id),
    credit numeric(12,2) DEFAULT 0 CHECK (credit >= 0),
    status varchar(20) NOT NULL DEFAULT 'ok',
    score double precision DEFAULT -1,
    tags text[] DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
    flag boolean DEFAULT 'yes',
    website varchar(255) DEFAULT NULL,
    nick text DEFAULT NULL,
    handle citext,
    doc json,
    body text,
    tsv tsvector,
    code varchar(10) CHECK (code ~ '^[A-Z]+$'),
    lvl level DEFAULT 'low',
    meta jsonb,
    CHECK (norm(code) <> '' AND status = code),
    CHECK (email <> '' AND credit < 1000000),
    CHECK (status IS NULL AND score = ANY (ARRAY[1, 2]) OR score <> ALL (ARRAY[3, 4])),
    CONSTRAINT analysed CHECK (status IN ('ok', 'gone') AND email NOT IN ('x', 'y') AND flag IN (true)
        AND credit BETWEEN 0 AND 100.5 AND country_code <> 'XX' AND created_at IS NOT NULL AND referred_by IN (-1, 2, 3)
        AND nick != '' AND id NOT IN (0)),
    UNIQUE (email, country_code)
);
CREATE UNIQUE INDEX customer_lower_email ON customer (lower(email)) WHERE status <> 'gone';
CREATE INDEX ON customer (created_at DESC, (credit * 2));
CREATE INDEX ON customer USING gin (tags);
CREATE INDEX customer_meta ON customer ((meta #>> '{a,b}'), norm(status), (meta ->> 'k'));

SET search_path = sales, public;
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY,
    customer_id integer NOT NULL,
    placed date NOT NULL,
    status sales.status NOT NULL DEFAULT 'new',
    net numeric(10,2) NOT NULL,
    tax numeric(10,2) NOT NULL DEFAULT 0,
    gross numeric(10,2) GENERATED ALWAYS AS (net + tax) STORED,
    qty positive_int,
    kind "char" DEFAULT 'n' CHECK (kind IN ('n', 'r')),
    CHECK (placed >= '2000-01-01' AND status IN ('new', 'paid')),
    PRIMARY KEY (id, placed)
) PARTITION BY RANGE (placed);
CREATE TABLE orders_2024 PARTITION OF orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE orders_2025 PARTITION OF orders (tax DEFAULT 1) FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
    PARTITION BY RANGE (placed);
CREATE TABLE orders_2025_h1 PARTITION OF orders_2025 FOR VALUES FROM ('2025-01-01') TO ('2025-07-01');
CREATE TABLE orders_2025_rest PARTITION OF orders_2025 DEFAULT;
CREATE TABLE orders_old (LIKE orders INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING CONSTRAINTS INCLUDING COMMENTS);
ALTER TABLE orders ATTACH PARTITION orders_old FOR VALUES FROM (MINVALUE) TO ('2024-01-01');
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES public.customer (id);
CREATE INDEX orders_status_idx ON orders (status) WHERE status <> 'gone';
COMMENT ON TABLE orders IS 'partitioned by day placed';

CREATE TABLE order_line (
    order_id bigint,
    placed date,
    line smallint,
    sku text NOT NULL,
    PRIMARY KEY (order_id, placed, line),
    FOREIGN KEY (order_id, placed) REFERENCES orders ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE payment (
    id bigserial,
    order_id bigint,
    placed date,
    amount numeric NOT NULL CHECK (amount > 0),
    paid_at timestamp(3) without time zone DEFAULT now(),
    during tsrange,
    CONSTRAINT payment_pk PRIMARY KEY (id),
    EXCLUDE USING gist (during WITH &&)
);
ALTER TABLE payment ADD FOREIGN KEY (order_id, placed) REFERENCES orders (id, placed) ON UPDATE CASCADE;
ALTER TABLE ONLY payment ADD CONSTRAINT payment_customer FOREIGN KEY (order_id) REFERENCES public.customer NOT VALID;

RESET search_path;

CREATE TABLE "Odd ""Schema"""."""Quoted"" Table" (
    "Id" integer PRIMARY KEY,
    "user" text,
    "order" integer CHECK ("order" > 0),
    "a b" text DEFAULT 'it''s',
    customer_id integer CONSTRAINT "fk to ""customer""" REFERENCES customer
);
COMMENT ON COLUMN "Odd ""Schema"""."""Quoted"" Table"."a b" IS 'spaced';

CREATE TABLE audit (id integer, at timestamptz DEFAULT now(), what text);
CREATE TABLE audit_2020 (extra text) INHERITS (audit);

CREATE TABLE a_table_name_that_is_long_enough_to_be_truncated_by_postgres_x (
    a_column_name_that_is_long_enough_to_be_truncated_too integer UNIQUE,
    another_column_with_quite_a_long_name_as_well integer,
    CHECK (a_column_name_that_is_long_enough_to_be_truncated_too > another_column_with_quite_a_long_name_as_well),
    CHECK (another_column_with_quite_a_long_name_as_well > 0),
    CHECK (another_column_with_quite_a_long_name_as_well < 100)
);

CREATE VIEW sales.open_orders AS
    SELECT o.id, c.email, o.net
    FROM sales.orders o JOIN customer c ON c.id = o.customer_id
    WHERE o.status = 'new';
COMMENT ON VIEW sales.open_orders IS 'what is not paid yet';
CREATE MATERIALIZED VIEW customer_totals AS
    SELECT c.id, sum(p.amount) AS paid FROM customer c
    LEFT JOIN sales.payment p ON p.order_id IN (SELECT id FROM sales.open_orders)
    GROUP BY c.id;
CREATE VIEW "Odd ""Schema""".v AS SELECT * FROM "Odd ""Schema"""."""Quoted"" Table";

CREATE FUNCTION sales.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit (id, what) VALUES (NEW.id, 'order');
    UPDATE customer SET credit = credit - NEW.net WHERE id = NEW.customer_id;
    RETURN NEW;
END $$;
CREATE FUNCTION log_payment() RETURNS trigger LANGUAGE plpgsql SET search_path = sales, public AS $body$
BEGIN
    PERFORM 1 FROM orders WHERE id = NEW.order_id;
    EXECUTE 'DELETE FROM ' || quote_ident(TG_ARGV[0]);
    RETURN NEW;
END
$body$;
CREATE TRIGGER orders_touch AFTER INSERT OR UPDATE ON sales.orders FOR EACH ROW EXECUTE FUNCTION sales.touch();
CREATE TRIGGER payment_log BEFORE INSERT OR DELETE ON sales.payment FOR EACH STATEMENT EXECUTE PROCEDURE log_payment('audit');
CREATE TRIGGER customer_noop BEFORE UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
CREATE TRIGGER customer_tsv BEFORE INSERT OR UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(tsv, 'pg_catalog.english', body);
CREATE UNIQUE INDEX customer_totals_id ON customer_totals (id);
CREATE TABLE doomed (id int);
DROP TABLE doomed;
`

func TestPostgresRichEquivalence(t *testing.T) {
	dsn, live := livePostgres(t, pgRich)
	dump := pgDump(t, dsn)

	t.Run("pg_dump", func(t *testing.T) {
		res := readDDL(t, "dump.sql", dump, schema.Postgres, "")
		assertSame(t, "pg_dump", live, res.Snapshot, "tree", nil)
		checkLocations(t, "dump.sql", dump, res.Snapshot)
	})
	t.Run("hand-written", func(t *testing.T) {
		res := readDDL(t, "rich.sql", pgRich, schema.Postgres, "")
		// Where the server adds casts pgAnalyze does not redo: an array
		// compared with a double precision column, arithmetic in an index.
		assertSame(t, "hand-written", live, res.Snapshot, "", map[string]bool{
			"table public.customer check customer_check2":              true,
			"table public.customer index customer_created_at_expr_idx": true,
		})
		checkLocations(t, "rich.sql", pgRich, res.Snapshot)
	})
}

func TestPostgresMusicCorpEquivalence(t *testing.T) {
	dsn, live := livePostgres(t, musiccorp.PostgresSQL)
	dump := pgDump(t, dsn)
	t.Run("pg_dump", func(t *testing.T) {
		res := readDDL(t, "musiccorp.dump.sql", dump, "", "")
		assertSame(t, "pg_dump", live, res.Snapshot, "tree", nil)
	})
	t.Run("postgres.sql", func(t *testing.T) {
		res := readDDL(t, "postgres.sql", musiccorp.PostgresSQL, "", "")
		assertSame(t, "postgres.sql", live, res.Snapshot, "", nil)
		checkLocations(t, "postgres.sql", musiccorp.PostgresSQL, res.Snapshot)
	})
}

// TestSynthEquivalence reads the synthetic schema of fixtures/synth
// (composite keys, self-references, views joining tables, triggers writing
// other tables) from its dump and its hand-written DDL, on both engines.
func TestSynthEquivalence(t *testing.T) {
	s, err := synth.Generate(synth.Options{Tables: 60, Contexts: 4, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	for _, engine := range []string{"postgres", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			ddl, err := s.SQL(engine)
			if err != nil {
				t.Fatal(err)
			}
			var dsn string
			var live *schema.Snapshot
			var dump string
			forced := schema.Postgres
			if engine == "postgres" {
				dsn, live = livePostgres(t, ddl)
				dump = pgDump(t, dsn)
			} else {
				dsn, live = liveMySQL(t, ddl)
				dump = myDump(t, dsn)
				forced = schema.MariaDB
			}
			res := readDDL(t, "dump.sql", dump, "", "")
			assertSame(t, "dump", live, res.Snapshot, "tree-if-postgres", nil)
			res = readDDL(t, "synth.sql", ddl, forced, live.Source.Database)
			assertSame(t, "hand-written", live, res.Snapshot, "", nil)
		})
	}
}

// pgMigrations is a schema grown by migrations: columns added, renamed,
// retyped and dropped, constraints renamed and dropped, tables renamed,
// defaults set and dropped, keys validated later.
const pgMigrations = `
CREATE TABLE account (id serial PRIMARY KEY, email varchar(100), legacy int, nick text);
CREATE TABLE invoice (id int GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account int, total numeric);
ALTER TABLE invoice ADD CONSTRAINT invoice_account FOREIGN KEY (account) REFERENCES account NOT VALID;
ALTER TABLE invoice VALIDATE CONSTRAINT invoice_account;
ALTER TABLE account ADD COLUMN created timestamptz NOT NULL DEFAULT now();
ALTER TABLE account RENAME COLUMN email TO mail;
ALTER TABLE account ALTER COLUMN mail TYPE varchar(200);
ALTER TABLE account ALTER COLUMN mail SET NOT NULL;
ALTER TABLE account DROP COLUMN legacy;
ALTER TABLE account ALTER COLUMN nick SET DEFAULT 'anon';
ALTER TABLE account ALTER COLUMN nick DROP DEFAULT;
ALTER TABLE account ADD CONSTRAINT mail_not_empty CHECK (mail <> '');
ALTER TABLE account RENAME CONSTRAINT mail_not_empty TO mail_present;
ALTER TABLE invoice ADD CONSTRAINT total_positive CHECK (total > 0);
ALTER TABLE invoice DROP CONSTRAINT total_positive;
ALTER TABLE invoice RENAME TO bill;
ALTER TABLE bill ADD COLUMN paid boolean DEFAULT false;
CREATE UNIQUE INDEX account_mail ON account (lower(mail));
ALTER INDEX account_mail RENAME TO account_mail_key;
CREATE TABLE scratch (id int);
DROP TABLE scratch;
CREATE INDEX bill_paid ON bill (paid) WHERE NOT paid;
DROP INDEX bill_paid;
`

func TestPostgresMigrationsEquivalence(t *testing.T) {
	dsn, live := livePostgres(t, pgMigrations)
	assertSame(t, "pg_dump", live, readDDL(t, "dump.sql", pgDump(t, dsn), "", "").Snapshot, "tree", nil)
	assertSame(t, "migrations", live, readDDL(t, "migrations.sql", pgMigrations, schema.Postgres, "").Snapshot, "", nil)
}
