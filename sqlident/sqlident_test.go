package sqlident

import "testing"

func TestQuote(t *testing.T) {
	for _, c := range []struct {
		name, postgres, mysql, minimal string
	}{
		{"orders", `"orders"`, "`orders`", "orders"},
		{"", `""`, "``", `""`},
		{"Orders", `"Orders"`, "`Orders`", `"Orders"`},
		{"user", `"user"`, "`user`", `"user"`},
		{"order_2", `"order_2"`, "`order_2`", "order_2"},
		{"2fa", `"2fa"`, "`2fa`", `"2fa"`},
		{`a"b`, `"a""b"`, "`a\"b`", `"a""b"`},
		{"a`b", "\"a`b\"", "`a``b`", "\"a`b\""},
		{`x"; DROP TABLE t; --`, `"x""; DROP TABLE t; --"`, "`x\"; DROP TABLE t; --`", `"x""; DROP TABLE t; --"`},
		{"x`; DROP TABLE t; --", "\"x`; DROP TABLE t; --\"", "`x``; DROP TABLE t; --`", "\"x`; DROP TABLE t; --\""},
		{`back\slash`, `"back\slash"`, "`back\\slash`", `"back\slash"`},
		{"it's", `"it's"`, "`it's`", `"it's"`},
		{"new\nline", `U&"new\000Aline"`, "`new\nline`", `U&"new\000Aline"`},
		{"cr\r\x1b\u202e\\\"", `U&"cr\000D\001B\202E\\"""`, "`cr\r\x1b\u202e\\\"`", `U&"cr\000D\001B\202E\\"""`},
		{`""`, `""""""`, "`\"\"`", `""""""`},
		{"é", `"é"`, "`é`", `"é"`},
		{"größe", `"größe"`, "`größe`", `"größe"`},
		{"_x1", `"_x1"`, "`_x1`", "_x1"},
		{"a b", `"a b"`, "`a b`", `"a b"`},
		{"App", `"App"`, "`App`", `"App"`},
	} {
		if got := Postgres(c.name); got != c.postgres {
			t.Errorf("Postgres(%q) = %s, want %s", c.name, got, c.postgres)
		}
		if got := MySQL(c.name); got != c.mysql {
			t.Errorf("MySQL(%q) = %s, want %s", c.name, got, c.mysql)
		}
		if got := PostgresMinimal(c.name); got != c.minimal {
			t.Errorf("PostgresMinimal(%q) = %s, want %s", c.name, got, c.minimal)
		}
	}
}

func TestTable(t *testing.T) {
	for _, c := range []struct {
		schema, name, postgres, mysql string
	}{
		{"", "t", `"t"`, "`t`"},
		{"public", "t", `"public"."t"`, "`public`.`t`"},
		{"a.b", "c", `"a.b"."c"`, "`a.b`.`c`"},
		{`s"`, "t`", `"s"""."t` + "`\"", "`s\"`.`t```"},
	} {
		if got := PostgresTable(c.schema, c.name); got != c.postgres {
			t.Errorf("PostgresTable(%q, %q) = %s, want %s", c.schema, c.name, got, c.postgres)
		}
		if got := MySQLTable(c.schema, c.name); got != c.mysql {
			t.Errorf("MySQLTable(%q, %q) = %s, want %s", c.schema, c.name, got, c.mysql)
		}
	}
}
