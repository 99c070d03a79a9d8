//go:build integration

package plan_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

const hostilePG = `
CREATE TABLE "we""ird; --tab" ("id" int PRIMARY KEY, "sp ace" text, "select" int);
CREATE TABLE "ünï` + "`" + `code select" (
  "id" int PRIMARY KEY,
  "ref" int CONSTRAINT "fk; DROP TABLE x; --" REFERENCES "we""ird; --tab" ("id") ON DELETE CASCADE
);
CREATE TABLE "sha're/d" (
  "id" int PRIMARY KEY,
  "pri""ce" numeric(10,2) NOT NULL DEFAULT 0 CONSTRAINT "pos;itive" CHECK ("pri""ce" >= 0),
  "stock level" int,
  "from" text
);
INSERT INTO "we""ird; --tab" VALUES (1, 'a', 1), (2, 'b', 2);
INSERT INTO "ünï` + "`" + `code select" VALUES (1, 1), (2, 2);
INSERT INTO "sha're/d" VALUES (1, 9.5, 3, 'x'), (2, 1, 4, 'y');
`

const hostileMySQL = "CREATE TABLE `we\"ird; --tab` (`id` int PRIMARY KEY, `sp ace` text, `select` int) ENGINE=InnoDB;\n" +
	"CREATE TABLE `ünï``code select` (`id` int PRIMARY KEY, `ref` int, CONSTRAINT `fk; DROP TABLE x; --` FOREIGN KEY (`ref`) REFERENCES `we\"ird; --tab` (`id`) ON DELETE CASCADE) ENGINE=InnoDB;\n" +
	"CREATE TABLE `sha're/d` (`id` int PRIMARY KEY, `pri\"ce` decimal(10,2) NOT NULL DEFAULT 0, `stock level` int, `from` text, CONSTRAINT `pos;itive` CHECK (`pri\"ce` >= 0)) ENGINE=InnoDB;\n" +
	"INSERT INTO `we\"ird; --tab` VALUES (1, 'a', 1), (2, 'b', 2);\n" +
	"INSERT INTO `ünï``code select` VALUES (1, 1), (2, 2);\n" +
	"INSERT INTO `sha're/d` VALUES (1, 9.5, 3, 'x'), (2, 1, 4, 'y');\n"

// hostileAssignment puts the parent and the shared table's price in
// context A and the child and the shared table's stock in context B.
func hostileAssignment(s *schema.Snapshot) *contexts.Assignment {
	sc := s.Tables[0].Schema
	n := func(t string) schema.TableName { return schema.TableName{Schema: sc, Name: t} }
	return &contexts.Assignment{
		Contexts: []string{hostileCtxA, hostileCtxB},
		Claims: map[schema.TableName][]contexts.Claim{
			n(hostileParent): {{Context: hostileCtxA}},
			n(hostileChild):  {{Context: hostileCtxB}},
			n(hostileShared): {
				{Context: hostileCtxA, Columns: []string{"id", `pri"ce`}},
				{Context: hostileCtxB, Columns: []string{"id", "stock level", "from"}},
			},
		},
	}
}

func TestHostileNamesApply(t *testing.T) {
	for _, engine := range []string{"postgres", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			var dsn string
			if engine == "mysql" {
				dsn = testdb.MySQL(t)
				testdb.ExecMySQL(t, dsn, hostileMySQL)
			} else {
				dsn = testdb.Postgres(t)
				testdb.ExecPostgres(t, dsn, hostilePG)
			}
			before := introspectDSN(t, engine, dsn)
			if len(before.Tables) != 3 {
				t.Fatalf("fixture: %d tables", len(before.Tables))
			}
			// Threshold 1: these tiny tables are not to be taken for static data.
			p, err := planOf(before, hostileAssignment(before), ownership.Options{StaticRowThreshold: 1})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p, plan.KindForeignKey); len(got) != 1 {
				t.Fatalf("fk findings %v", got)
			}
			if got := ids(p, plan.KindSharedTable); len(got) != 1 {
				t.Fatalf("shared findings %v", got)
			}
			dropNamespacesAfter(t, engine, dsn, p)
			db := connect(t, engine, dsn)
			defer db.close()
			applySteps(t, engine, db, p, true)
			after := introspectAll(t, engine, dsn, p)
			assertSeparated(t, after, p)
			// the data moved with the split: B's part holds both rows.
			for _, tb := range after.Tables {
				if tb.Name == hostileShared && tb.Schema == p.Contexts[1].Namespace && len(tb.Columns) != 3 {
					t.Errorf("B's part of the shared table: %v", tb.Columns)
				}
				if tb.Name == hostileShared && tb.Schema == p.Contexts[0].Namespace && len(tb.Columns) != 2 {
					t.Errorf("A's part of the shared table: %v", tb.Columns)
				}
			}
			applySteps(t, engine, db, p, false)
			back := introspectDSN(t, engine, dsn)
			comparable(before)
			comparable(back)
			if !reflect.DeepEqual(before, back) {
				t.Errorf("snapshot after every down differs:\n%s", diffSnapshots(before, back))
			}
			got, err := db.query1(t.Context(), `SELECT count(*) FROM `+quoteFor(engine, hostileShared)+` WHERE `+quoteFor(engine, "stock level")+` IS NOT NULL`)
			if err != nil || got != "2" {
				t.Errorf("rolled-back column refilled: %s %v", got, err)
			}
		})
	}
}

// quoteFor quotes a name for a test query (the plan's SQL never uses this).
func quoteFor(engine, s string) string {
	if engine == "mysql" {
		return "`" + strings.ReplaceAll(s, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// TestSplitThreeContextsApply splits one table among three contexts where
// the owner (first in the map) is extracted first, so the original moves
// to it only after the two others have their parts.
func TestSplitThreeContextsApply(t *testing.T) {
	const pg = `CREATE TABLE item (id int PRIMARY KEY, sku text NOT NULL, title text, price numeric(8,2) CHECK (price >= 0),
  stock int NOT NULL DEFAULT 0 CHECK (stock >= 0), location text, cost numeric(8,2), margin numeric(8,2));
INSERT INTO item VALUES (1, 'a', 'A', 1, 2, 'x', 0.5, 0.1), (2, 'b', 'B', 3, 4, NULL, 1, 0.2);`
	const my = "CREATE TABLE item (id int PRIMARY KEY, sku varchar(20) NOT NULL, title text, price decimal(8,2) CHECK (price >= 0), " +
		"stock int NOT NULL DEFAULT 0 CHECK (stock >= 0), location text, cost decimal(8,2), margin decimal(8,2)) ENGINE=InnoDB;\n" +
		"INSERT INTO item VALUES (1, 'a', 'A', 1, 2, 'x', 0.5, 0.1), (2, 'b', 'B', 3, 4, NULL, 1, 0.2);"
	for _, engine := range []string{"postgres", "mysql"} {
		t.Run(engine, func(t *testing.T) {
			var dsn string
			if engine == "mysql" {
				dsn = testdb.MySQL(t)
				testdb.ExecMySQL(t, dsn, my)
			} else {
				dsn = testdb.Postgres(t)
				testdb.ExecPostgres(t, dsn, pg)
			}
			before := introspectDSN(t, engine, dsn)
			n := before.Tables[0].TableName()
			a := &contexts.Assignment{Contexts: []string{"catalog", "warehouse", "finance"}, Claims: map[schema.TableName][]contexts.Claim{n: {
				{Context: "catalog", Columns: []string{"id", "sku", "title", "price"}},
				{Context: "warehouse", Columns: []string{"id", "stock", "location"}},
				{Context: "finance", Columns: []string{"id", "cost", "margin"}},
			}}}
			p, err := planOf(before, a, ownership.Options{StaticRowThreshold: 1})
			if err != nil {
				t.Fatal(err)
			}
			var slugs []string
			for _, s := range p.Steps {
				slugs = append(slugs, s.Slug)
			}
			if want := "split_item_warehouse contract_item_for_warehouse service_warehouse split_item_finance contract_item_for_finance separate_item_catalog service_catalog service_finance"; strings.Join(slugs, " ") != want {
				t.Errorf("steps %v, want %s in order", slugs, want)
			}
			dropNamespacesAfter(t, engine, dsn, p)
			db := connect(t, engine, dsn)
			defer db.close()
			applySteps(t, engine, db, p, true)
			after := introspectAll(t, engine, dsn, p)
			cols := map[string]int{}
			for _, tb := range after.Tables {
				cols[tb.Schema] = len(tb.Columns)
			}
			for _, c := range p.Contexts {
				want := map[string]int{"catalog": 4, "warehouse": 3, "finance": 3}[c.Name]
				if cols[c.Namespace] != want {
					t.Errorf("%s's part has %d columns, want %d (%v)", c.Name, cols[c.Namespace], want, cols)
				}
			}
			applySteps(t, engine, db, p, false)
			back := introspectDSN(t, engine, dsn)
			comparable(before)
			comparable(back)
			if !reflect.DeepEqual(before, back) {
				t.Errorf("snapshot after every down differs:\n%s", diffSnapshots(before, back))
			}
		})
	}
}

// TestPartitionsApply moves a partitioned table with its partitions and
// breaks the key it references across contexts, on PostgreSQL (MySQL
// partitions are not tables of their own).
// TestPartitionsApply applies the plan of a partitioned table whose key is
// inherited from the parent (one key, on the parent) and of one whose
// partitions each declare their own equivalent key (one finding, one step
// dropping every partition's key), then rolls it back.
func TestPartitionsApply(t *testing.T) {
	const tables = `CREATE TABLE album (id int PRIMARY KEY);
CREATE TABLE listen (id int, at date, album_id int %s, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE listen_2025 PARTITION OF listen FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE listen_2026 PARTITION OF listen FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
%s
INSERT INTO album VALUES (1), (2);
INSERT INTO listen VALUES (1, '2025-05-01', 1), (2, '2026-05-01', 2);`
	tests := []struct {
		name, ddl string
		wantFK    string
		wantDrops int
	}{{
		name:   "inherited",
		ddl:    fmt.Sprintf(tables, "REFERENCES album (id) ON DELETE CASCADE", ""),
		wantFK: "fk/public/listen/listen_album_id_fkey", wantDrops: 1,
	}, {
		name: "declared per partition",
		ddl: fmt.Sprintf(tables, "", `ALTER TABLE listen_2025 ADD CONSTRAINT "listen 2025 album" FOREIGN KEY (album_id) REFERENCES album (id) ON DELETE CASCADE;
ALTER TABLE listen_2026 ADD CONSTRAINT listen_2026_album FOREIGN KEY (album_id) REFERENCES album (id) ON DELETE CASCADE;`),
		wantFK: "fk/public/listen/partitions(album_id)", wantDrops: 2,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dsn := testdb.Postgres(t)
			testdb.ExecPostgres(t, dsn, tt.ddl)
			before := introspectDSN(t, "postgres", dsn)
			a := &contexts.Assignment{Contexts: []string{"catalog", "reco"}, Claims: map[schema.TableName][]contexts.Claim{
				{Schema: "public", Name: "album"}:  {{Context: "catalog"}},
				{Schema: "public", Name: "listen"}: {{Context: "reco"}},
			}}
			p, err := planOf(before, a, ownership.Options{StaticRowThreshold: 1})
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(p, plan.KindForeignKey); len(got) != 1 || got[0] != tt.wantFK {
				t.Fatalf("fk findings %v, want [%s]", got, tt.wantFK)
			}
			if st := stepFor(p, tt.wantFK); st == nil || len(st.Up) != tt.wantDrops || len(st.Down) != tt.wantDrops {
				t.Fatalf("step for %s: %+v, want %d drops and %d re-adds", tt.wantFK, st, tt.wantDrops, tt.wantDrops)
			}
			db := connect(t, "postgres", dsn)
			defer db.close()
			applySteps(t, "postgres", db, p, true)
			after := introspectDSN(t, "postgres", dsn)
			for _, tb := range after.Tables {
				if want := map[string]string{"album": "catalog", "listen": "reco", "listen_2025": "reco", "listen_2026": "reco"}[tb.Name]; tb.Schema != want {
					t.Errorf("%s is in %s, want %s", tb.Name, tb.Schema, want)
				}
				if len(tb.ForeignKeys) > 0 {
					t.Errorf("%s still has %v", tb.TableName(), tb.ForeignKeys)
				}
			}
			applySteps(t, "postgres", db, p, false)
			back := introspectDSN(t, "postgres", dsn)
			comparable(before)
			comparable(back)
			if !reflect.DeepEqual(before, back) {
				t.Errorf("snapshot after every down differs:\n%s", diffSnapshots(before, back))
			}
		})
	}
}
