//go:build integration

package ddl

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/internal/testdb"
)

// prettyCases are expressions over the columns of prettyTable, chosen to
// cover every rule of pgPretty: operators of each precedence, booleans,
// null tests, casts of constants and of expressions, ANY/ALL, DISTINCT,
// CASE, COALESCE, functions, negative numbers and collations.
var prettyCases = []string{
	"a > 0",
	"((a > 0))",
	"a + b * c > 0",
	"(a + b) * c > 0",
	"a - (b - c) > 0",
	"(a - b) - c > 0",
	"a * b / c > 1",
	"a / (b * c) > 1",
	"a % 3 = 1",
	"-a < 0",
	"- (a + b) < 0",
	"a > 0 AND b > 0 OR c > 0",
	"a > 0 AND (b > 0 OR c > 0)",
	"NOT (a > 0 AND b > 0)",
	"NOT a > 0",
	"(a > 0) = (b > 0)",
	"(a || 'x') = 'y'",
	"t || 'x' = 'y'",
	// Not "(t || 'x')::varchar = 'y'": varchar to text is a relabelling,
	// which the pretty printer parenthesises when its argument is an
	// operator, where a cast by a function (int to numeric, below) is not;
	// the text cannot tell them apart (see exprNode.simple).
	"lower(t) = 'x'",
	"lower(t || 'x') <> ''",
	"t IS NOT NULL",
	"(a + b) IS NOT NULL",
	"a IS DISTINCT FROM b",
	"(a + b) IS DISTINCT FROM c",
	"flag IS TRUE",
	"n >= 0",
	"n >= -1",
	"n > -1.5",
	"n * 2 > (n + 1) * 3",
	"a IN (1, 2, 3)",
	"t IN ('a', 'b')",
	"v IN ('a', 'b')",
	"a = ANY (ARRAY[1, 2])",
	"a + 1 = ANY (ARRAY[b, c])",
	"b IS NULL AND a = ANY (ARRAY[1, 2]) OR a <> ALL (ARRAY[3, 4])",
	"a BETWEEN 1 AND 10",
	"t LIKE 'a%'",
	"CASE WHEN a > 0 THEN b ELSE c END > 0",
	"COALESCE(a, b + 1) > 0",
	"GREATEST(a, b) > c",
	"NULLIF(a, b + 1) > 0",
	"ts > now() - '1 day'::interval",
	"ts::date > '2020-01-01'",
	"(ts AT TIME ZONE 'UTC') > '2020-01-01'",
	"length(t COLLATE \"C\") > 0",
	"(t COLLATE \"C\") > 'a'",
	"a::numeric > n",
	"(a + b)::numeric > n",
	"ARRAY[a, b] <> ARRAY[c]",
	"char_length(t) BETWEEN 1 AND 5 AND t ~ '^[a-z]+$'",
	"(a > 0) IS TRUE",
	"a > 0 AND b > 0 AND c > 0",
	"a > 0 OR (b > 0 AND NOT c > 0)",
	"abs(a - b) <= 3",
	"(a)::bigint > 0",
	"a - -b > 0",
	"v::text = ANY (ARRAY['x'::varchar, 'y'::varchar]::text[])",
}

// TestPrettyMatchesServer checks pgPretty against PostgreSQL itself: each
// expression is stored as a check constraint; the plain text pg_dump gets
// (pg_get_constraintdef) turned pretty must be the text the introspector
// reads (pg_get_expr with pretty on).
func TestPrettyMatchesServer(t *testing.T) {
	dsn := testdb.Postgres(t)
	var ddl strings.Builder
	ddl.WriteString("CREATE TABLE pretty_t (a int, b int, c int, n numeric, t text, v varchar(10), ts timestamptz, flag boolean")
	for i, e := range prettyCases {
		fmt.Fprintf(&ddl, ",\n CONSTRAINT c%02d CHECK (%s)", i, e)
	}
	ddl.WriteString(");\nCREATE INDEX pretty_ix ON pretty_t ((a + b), lower(t), (t || 'x'), (a * (b + c)), ((v)::text)) WHERE (a > 0 AND (b IS NULL OR c < 2));")
	testdb.ExecPostgres(t, dsn, ddl.String())

	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SET search_path = pg_catalog"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, `SELECT conname, pg_get_constraintdef(oid), pg_get_expr(conbin, conrelid, true)
FROM pg_constraint WHERE conrelid = 'public.pretty_t'::regclass ORDER BY conname`)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		var name, plain, pretty string
		if err := rows.Scan(&name, &plain, &pretty); err != nil {
			t.Fatal(err)
		}
		n++
		inner := strings.TrimSuffix(strings.TrimPrefix(plain, "CHECK ("), ")")
		if got := pgPretty(inner); got != pretty {
			t.Errorf("%s: pgPretty(%q)\n got %q\nwant %q", name, inner, got, pretty)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(prettyCases) {
		t.Fatalf("read %d constraints, want %d", n, len(prettyCases))
	}
}
