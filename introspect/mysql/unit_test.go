package mysql

import (
	"database/sql"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

func TestNormalizeDefault(t *testing.T) {
	null := sql.NullString{}
	s := func(v string) sql.NullString { return sql.NullString{String: v, Valid: true} }
	tests := []struct {
		engine   schema.Engine
		def      sql.NullString
		dataType string
		extra    string
		want     any // string or nil
	}{
		// MariaDB quotes literals itself and says NULL for DEFAULT NULL.
		{schema.MariaDB, null, "int", "", nil},
		{schema.MariaDB, s("NULL"), "varchar", "", nil},
		{schema.MariaDB, s("'NULL'"), "varchar", "", "'NULL'"},
		{schema.MariaDB, s("'it''s'"), "varchar", "", "'it''s'"},
		{schema.MariaDB, s("3"), "int", "", "3"},
		{schema.MariaDB, s("current_timestamp()"), "datetime", "on update current_timestamp()", "CURRENT_TIMESTAMP"},
		{schema.MariaDB, s("current_timestamp(3)"), "datetime", "", "CURRENT_TIMESTAMP(3)"},
		{schema.MariaDB, s("rand()"), "double", "", "rand()"},
		{schema.MariaDB, s("b'101'"), "bit", "", "b'101'"},
		// MySQL 8 gives literals bare and marks expressions DEFAULT_GENERATED.
		{schema.MySQL, null, "int", "", nil},
		{schema.MySQL, s("NULL"), "varchar", "", "'NULL'"},
		{schema.MySQL, s("it's"), "varchar", "", "'it''s'"},
		{schema.MySQL, s(`a\b`), "varchar", "", `'a\\b'`},
		{schema.MySQL, s(""), "varchar", "", "''"},
		{schema.MySQL, s("3"), "int", "", "3"},
		{schema.MySQL, s("0.00"), "decimal", "", "0.00"},
		{schema.MySQL, s("2020-01-01"), "date", "", "'2020-01-01'"},
		{schema.MySQL, s("y"), "enum", "", "'y'"},
		{schema.MySQL, s("b'101'"), "bit", "", "b'101'"},
		{schema.MySQL, s("0x616263"), "varbinary", "", "0x616263"},
		{schema.MySQL, s("0x61"), "varchar", "", "'0x61'"},
		{schema.MySQL, s("CURRENT_TIMESTAMP"), "timestamp", "DEFAULT_GENERATED ON UPDATE CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP"},
		{schema.MySQL, s("CURRENT_TIMESTAMP(3)"), "datetime", "DEFAULT_GENERATED", "CURRENT_TIMESTAMP(3)"},
		{schema.MySQL, s("rand()"), "double", "DEFAULT_GENERATED", "rand()"},
	}
	for _, tc := range tests {
		got := normalizeDefault(tc.engine, tc.def, tc.dataType, tc.extra)
		var g any
		if got != nil {
			g = *got
		}
		if g != tc.want {
			t.Errorf("%s %q (%s, %q) = %#v, want %#v", tc.engine, tc.def.String, tc.dataType, tc.extra, g, tc.want)
		}
	}
}

func TestParseVersion(t *testing.T) {
	tests := []struct {
		v                   string
		major, minor, patch int
	}{
		{"8.0.36", 8, 0, 36},
		{"8.4.0-commercial", 8, 4, 0},
		{"10.11.19-MariaDB-0+deb12u1", 10, 11, 19},
		{"5.5.5-10.6.12-MariaDB", 10, 6, 12},
		{"", 0, 0, 0},
	}
	for _, tc := range tests {
		a, b, c := parseVersion(tc.v)
		if a != tc.major || b != tc.minor || c != tc.patch {
			t.Errorf("parseVersion(%q) = %d.%d.%d", tc.v, a, b, c)
		}
	}
}

func TestAction(t *testing.T) {
	for rule, want := range map[string]schema.Action{
		"CASCADE": schema.Cascade, "SET NULL": schema.SetNull, "SET DEFAULT": schema.SetDefault,
		"RESTRICT": schema.Restrict, "NO ACTION": schema.NoAction, "": schema.NoAction,
	} {
		if got := action(rule); got != want {
			t.Errorf("action(%q) = %q, want %q", rule, got, want)
		}
	}
}

func TestParseGrant(t *testing.T) {
	tests := []struct {
		line   string
		privs  []string
		target string
		ok     bool
	}{
		{"GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION", []string{"ALL PRIVILEGES"}, "*.*", true},
		{"GRANT SELECT, SHOW VIEW, TRIGGER ON `shop`.* TO `app`@`%`", []string{"SELECT", "SHOW VIEW", "TRIGGER"}, "`shop`.*", true},
		{"GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*D8218'", []string{"USAGE"}, "*.*", true},
		{"GRANT SELECT (`a ON b`, c), INSERT ON `db`.`t` TO `u`@`%`", []string{"SELECT", "INSERT"}, "`db`.`t`", true},
		{"GRANT TRIGGER ON `we``ird db`.* TO `r`", []string{"TRIGGER"}, "`we``ird db`.*", true},
		{"GRANT `role` TO `u`@`%`", nil, "", false},
		{"SET DEFAULT ROLE `r` FOR `u`@`%`", nil, "", false},
	}
	for _, tc := range tests {
		privs, target, ok := parseGrant(tc.line)
		if ok != tc.ok || target != tc.target || !slices.Equal(privs, tc.privs) {
			t.Errorf("parseGrant(%q) = %q, %q, %v; want %q, %q, %v", tc.line, privs, target, ok, tc.privs, tc.target, tc.ok)
		}
	}
}

func TestGrantCovers(t *testing.T) {
	tests := []struct {
		target, db string
		want       bool
	}{
		{"*.*", "shop", true},
		{"`shop`.*", "shop", true},
		{"`shop`.*", "Shop", false},
		{"`shop`.`orders`", "shop", false},
		{"`sh_p`.*", "shop", true},
		{"`sh\\_p`.*", "shop", false},
		{"`sh\\_p`.*", "sh_p", true},
		{"`s%`.*", "shop", true},
		{"`s%`.*", "tshop", false},
		{"`we``ird db`.*", "we`ird db", true},
		{"`%`.*", "", true},
	}
	for _, tc := range tests {
		if got := grantCovers(tc.target, tc.db); got != tc.want {
			t.Errorf("grantCovers(%q, %q) = %v, want %v", tc.target, tc.db, got, tc.want)
		}
	}
}

func TestDriverConfig(t *testing.T) {
	tests := []struct {
		dsn, wantAttrs string
		timeout        time.Duration
		wantTimeout    time.Duration
	}{
		{"app:pw@tcp(db:3306)/shop", "program_name:seams", 0, introspect.DefaultConnectTimeout},
		{"mysql://app:pw@db/shop", "program_name:seams", 3 * time.Second, 3 * time.Second},
		{"app:pw@tcp(db:3306)/shop?connectionAttributes=team:dba&multiStatements=true", "team:dba,program_name:seams", 0, introspect.DefaultConnectTimeout},
	}
	for _, tc := range tests {
		d, err := introspect.ParseDSN(tc.dsn)
		if err != nil {
			t.Fatal(err)
		}
		mc := driverConfig(&introspect.Config{DSN: d, ConnectTimeout: tc.timeout})
		if mc.ConnectionAttributes != tc.wantAttrs || mc.Timeout != tc.wantTimeout || mc.MultiStatements || mc.DBName != "shop" {
			t.Errorf("%s: attrs %q, timeout %v, multi %v, db %q", tc.dsn, mc.ConnectionAttributes, mc.Timeout, mc.MultiStatements, mc.DBName)
		}
		if d.MySQLConfig().ConnectionAttributes == mc.ConnectionAttributes {
			t.Errorf("%s: the DSN's own configuration was changed", tc.dsn)
		}
	}
}

func TestStripParens(t *testing.T) {
	for in, want := range map[string]string{
		"(`qty` > 0)":             "`qty` > 0",
		"((`qty` > 0))":           "`qty` > 0",
		"`qty` > 0":               "`qty` > 0",
		"(`a` > 0) and (`b` > 0)": "(`a` > 0) and (`b` > 0)",
		"(`a` in (')(', 'x'))":    "`a` in (')(', 'x')",
		"('a\\')' = `b`)":         "'a\\')' = `b`",
		"(`we)ird` > 0)":          "`we)ird` > 0",
		"json_valid(`j`)":         "json_valid(`j`)",
		"(json_valid(`j`))":       "json_valid(`j`)",
		"":                        "",
	} {
		if got := StripParens(in); got != want {
			t.Errorf("StripParens(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPerfSchemaOff checks which settings stop performance_schema from
// counting table I/O: the counts are then zeros that mean nothing.
func TestPerfSchemaOff(t *testing.T) {
	yes := sql.NullString{String: "YES", Valid: true}
	no := sql.NullString{String: "NO", Valid: true}
	absent := sql.NullString{}
	tests := []struct {
		name                 string
		instrument, consumer sql.NullString
		want                 []string // fragments of the reason; none: counting
	}{
		{"both on", yes, yes, nil},
		{"instrument off", no, yes, []string{"wait/io/table/sql/handler"}},
		{"consumer off", yes, no, []string{"global_instrumentation"}},
		{"both off", no, no, []string{"wait/io/table/sql/handler", "global_instrumentation"}},
		{"instrument unknown", absent, yes, []string{"wait/io/table/sql/handler"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := perfSchemaOff(tc.instrument, tc.consumer)
			if (got == "") != (tc.want == nil) {
				t.Fatalf("perfSchemaOff = %q, want fragments %q", got, tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("perfSchemaOff = %q, want it to name %q", got, w)
				}
			}
		})
	}
}
