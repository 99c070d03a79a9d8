package ddl

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// tableNames lists the tables of a snapshot as schema.name.
func tableNames(s *schema.Snapshot) []string {
	var out []string
	for _, t := range s.Tables {
		out = append(out, t.TableName().String())
	}
	return out
}

// TestSkipsWhatSeamsDoesNotNeed: what a dump holds besides the schema is
// passed over without a word, COPY data included, however much it looks
// like SQL.
func TestSkipsWhatSeamsDoesNotNeed(t *testing.T) {
	cases := []struct {
		name, engine, src string
		want              []string
	}{{
		name: "pg_dump", engine: "postgres",
		src: `--
-- PostgreSQL database dump
--
\restrict abc123
SET statement_timeout = 0;
SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;
COMMENT ON EXTENSION pgcrypto IS 'cryptographic functions';
CREATE TABLE public.a (id integer NOT NULL, body text);
ALTER TABLE public.a OWNER TO app;
COPY public.a (id, body) FROM stdin;
1	CREATE TABLE fake (x int);
2	it's a ; semicolon \\ and a $$ dollar
3	\N
\.
INSERT INTO public.a VALUES (4, 'DROP TABLE a;');
GRANT SELECT ON TABLE public.a TO reader;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader;
CREATE POLICY p ON public.a USING (true);
ALTER TABLE public.a ENABLE ROW LEVEL SECURITY;
CREATE PUBLICATION pub FOR TABLE public.a;
SELECT pg_catalog.setval('public.a_id_seq', 1, false);
\unrestrict abc123
`,
		want: []string{"public.a"},
	}, {
		name: "mysqldump", engine: "mysql",
		src: `/*M!999999\- enable the sandbox mode */
-- MariaDB dump 10.19  Distrib 10.11.19-MariaDB
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40103 SET TIME_ZONE='+00:00' */;
DROP TABLE IF EXISTS ` + "`a`" + `;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE ` + "`a`" + ` (` + "`id`" + ` int(11) NOT NULL, PRIMARY KEY (` + "`id`" + `)) ENGINE=InnoDB;
LOCK TABLES ` + "`a`" + ` WRITE;
/*!40000 ALTER TABLE ` + "`a`" + ` DISABLE KEYS */;
INSERT INTO ` + "`a`" + ` VALUES (1),(2);
/*!40000 ALTER TABLE ` + "`a`" + ` ENABLE KEYS */;
UNLOCK TABLES;
DELIMITER ;;
CREATE DEFINER=` + "`root`@`%`" + ` PROCEDURE ` + "`p`" + `()
BEGIN
  SELECT 1; SELECT 2;
END ;;
DELIMITER ;
GRANT SELECT ON db.* TO 'reader'@'%';
SET @x = 1;
`,
		want: []string{"db.a"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Read("f.sql", []byte(c.src), Options{Database: "db"})
			if err != nil {
				t.Fatal(err)
			}
			if got := string(res.Snapshot.Source.Engine); !strings.HasPrefix(got, c.engine[:2]) && !(c.engine == "mysql" && got == "mariadb") {
				t.Errorf("engine %s, want %s", got, c.engine)
			}
			if got := tableNames(res.Snapshot); !slices.Equal(got, c.want) {
				t.Errorf("tables %v, want %v", got, c.want)
			}
			if len(res.Unparsed)+len(res.NotApplied) > 0 {
				t.Errorf("passed over with a word: %+v %+v", res.Unparsed, res.NotApplied)
			}
		})
	}
}

// TestUnparsableStatementsListed: a statement the parser rejects is
// counted and named by line and column; the rest is read.
func TestUnparsableStatementsListed(t *testing.T) {
	cases := []struct {
		name, src string
		engine    schema.Engine
		want      []string // line:col of each unparsed statement
		tables    []string
	}{{
		name:   "postgres",
		engine: schema.Postgres,
		src:    "CREATE TABLE a (id int);\nCREATE TABLE b (id int,, x int);\nCREATE TABEL c (id int);\nCREATE TABLE d (id int REFERENCES a);\n",
		want:   []string{"2:24", "3:8"},
		tables: []string{"public.a", "public.d"},
	}, {
		name:   "mysql",
		engine: schema.MySQL,
		src:    "CREATE TABLE a (id int);\nCREATE TABLE b (id int,, x int);\nCREATE TABLE d (id int, FOREIGN KEY (id) REFERENCES a (id));\n",
		want:   []string{"2:25"},
		tables: []string{"f.a", "f.d"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := Read("f.sql", []byte(c.src), Options{Engine: c.engine})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range res.Unparsed {
				got = append(got, fmt.Sprintf("%d:%d", p.Line, p.Col))
				if p.Msg == "" {
					t.Errorf("no reason for %d:%d", p.Line, p.Col)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("unparsed at %v, want %v (%+v)", got, c.want, res.Unparsed)
			}
			if names := tableNames(res.Snapshot); !slices.Equal(names, c.tables) {
				t.Errorf("tables %v, want %v", names, c.tables)
			}
		})
	}
}

// TestWrongFile: a file seams cannot read at all is one error line that
// says where.
func TestWrongFile(t *testing.T) {
	cases := []struct {
		name string
		src  []byte
		opts Options
		want string
	}{
		{"yaml", []byte("contexts:\n  catalog:\n    tables: [album]\n"), Options{Engine: schema.Postgres}, "f.sql:1:1: not a PostgreSQL schema: syntax error at or near \"contexts\""},
		{"yaml as mysql", []byte("contexts:\n  catalog:\n    tables: [album]\n"), Options{Engine: schema.MySQL}, "f.sql:1:"},
		{"binary", []byte("CREATE TABLE a (id int);\n\xff\xfe"), Options{}, "f.sql:2:1: not a SQL file: invalid UTF-8"},
		{"data only", []byte("INSERT INTO a VALUES (1);\n"), Options{}, "f.sql:1:1: no CREATE TABLE found"},
		{"empty", []byte(""), Options{}, "f.sql:1:1: no CREATE TABLE found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Read("f.sql", c.src, c.opts)
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
			if !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q, want one line starting %q", err, c.want)
			}
		})
	}
}

// TestOptions: --schema and --exclude apply to a file as to a database.
func TestOptions(t *testing.T) {
	src := []byte(`CREATE SCHEMA app;
CREATE TABLE app.a (id int PRIMARY KEY);
CREATE TABLE public.b (id int REFERENCES app.a);
CREATE TABLE public.tmp_x (id int REFERENCES app.a);
CREATE VIEW public.v AS SELECT * FROM public.b JOIN public.tmp_x USING (id);
`)
	res, err := Read("f.sql", src, Options{Schemas: []string{"public"}, Exclude: []string{"tmp_*"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := tableNames(res.Snapshot); !slices.Equal(got, []string{"public.b"}) {
		t.Errorf("tables %v", got)
	}
	if fks := res.Snapshot.Tables[0].ForeignKeys; len(fks) != 1 || fks[0].References.String() != "app.a" {
		t.Errorf("a key to a schema left out stays: %+v", fks)
	}
	if reads := res.Snapshot.Views[0].Reads; len(reads) != 1 || reads[0].String() != "public.b" {
		t.Errorf("view reads %v", reads)
	}
	_, err = Read("f.sql", src, Options{Schemas: []string{"nope"}})
	if !introspect.IsUsage(err) || !strings.Contains(err.Error(), `"nope" not defined`) {
		t.Errorf("unknown schema: %v", err)
	}
	if _, err := Read("f.sql", src, Options{Exclude: []string{"[x"}}); !introspect.IsUsage(err) {
		t.Errorf("bad pattern: %v", err)
	}
}

func TestDetect(t *testing.T) {
	cases := []struct {
		src  string
		want schema.Engine
	}{
		{"--\n-- PostgreSQL database dump\n--\nCREATE TABLE a (id int);", schema.Postgres},
		{"-- MySQL dump 10.13  Distrib 8.0.36\nCREATE TABLE `a` (`id` int);", schema.MySQL},
		{"-- MySQL dump 10.19  Distrib 10.11.6-MariaDB\nCREATE TABLE `a` (`id` int);", schema.MariaDB},
		{"/*M!999999\\- enable the sandbox mode */\nCREATE TABLE `a` (`id` int);", schema.MariaDB},
		{"CREATE TABLE `a` (`id` int unsigned AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;", schema.MySQL},
		{"CREATE TABLE a (id bigserial PRIMARY KEY, at timestamptz DEFAULT now()::timestamptz);", schema.Postgres},
		{"CREATE TABLE a (id int);", schema.Postgres},
	}
	for _, c := range cases {
		if got := Detect(c.src); got != c.want {
			t.Errorf("Detect(%.40q) = %s, want %s", c.src, got, c.want)
		}
	}
}
