package infer

import (
	"testing"

	"github.com/seamsdev/seams/schema"
)

func TestAntiJoin(t *testing.T) {
	r := &schema.InferredReference{Table: schema.TableName{Schema: "app", Name: `we"ird`}, Columns: []string{"a`b", "c"},
		References: schema.TableName{Schema: "app", Name: "p"}, RefColumns: []string{"x", "y"},
		Discriminator: &schema.Discriminator{Column: "kind", Value: "Post"}}
	for _, c := range []struct {
		dialect schema.Dialect
		want    string
	}{
		{schema.DialectPostgres, `SELECT 1 FROM "app"."we""ird" c WHERE c."a` + "`" + `b" IS NOT NULL AND c."c" IS NOT NULL AND c."kind" = $1 AND NOT EXISTS (SELECT 1 FROM "app"."p" p WHERE p."x" = c."a` + "`" + `b" AND p."y" = c."c") LIMIT 1`},
		{schema.DialectMySQL, "SELECT 1 FROM `app`.`we\"ird` c WHERE c.`a``b` IS NOT NULL AND c.`c` IS NOT NULL AND c.`kind` = ? AND NOT EXISTS (SELECT 1 FROM `app`.`p` p WHERE p.`x` = c.`a``b` AND p.`y` = c.`c`) LIMIT 1"},
	} {
		q, args := AntiJoin(c.dialect, r)
		if q != c.want || len(args) != 1 || args[0] != "Post" {
			t.Errorf("%s:\n got %s %v\nwant %s", c.dialect, q, args, c.want)
		}
	}
}

func TestAntiJoinText(t *testing.T) {
	r := &schema.InferredReference{Table: schema.TableName{Name: "c"}, Columns: []string{"x_id"}, References: schema.TableName{Name: "p"},
		RefColumns: []string{"id"}, Discriminator: &schema.Discriminator{Column: "x_type", Value: `O'Neil\`}}
	if got := AntiJoinText(schema.DialectPostgres, r); got != `SELECT 1 FROM "c" c WHERE c."x_id" IS NOT NULL AND c."x_type" = 'O''Neil\' AND NOT EXISTS (SELECT 1 FROM "p" p WHERE p."id" = c."x_id") LIMIT 1` {
		t.Errorf("postgres: %s", got)
	}
	if got := AntiJoinText(schema.DialectMySQL, r); got != "SELECT 1 FROM `c` c WHERE c.`x_id` IS NOT NULL AND c.`x_type` = 'O''Neil\\\\' AND NOT EXISTS (SELECT 1 FROM `p` p WHERE p.`id` = c.`x_id`) LIMIT 1" {
		t.Errorf("mysql: %s", got)
	}
}
