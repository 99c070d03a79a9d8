package contexts

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// The map from the issue must always parse exactly like this.
func TestParseIssueExample(t *testing.T) {
	m, err := Load("testdata/issue.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Map{
		File: "testdata/issue.yaml",
		Contexts: []Context{
			{
				Name:        "catalog",
				Description: "Everything to do with metadata about the items we offer for sale",
				Owner:       "team-catalog",
				Tables: []TableRef{
					{Pattern: "album", Pos: Pos{5, 14}},
					{Pattern: "artist", Pos: Pos{5, 21}},
					{Pattern: "line_item", Pos: Pos{5, 29}},
				},
				Pos: Pos{2, 3},
			},
			{
				Name: "finance",
				Tables: []TableRef{
					{Pattern: "ledger", Pos: Pos{7, 14}},
					{Pattern: "payment_*", Pos: Pos{7, 22}},
				},
				Pos: Pos{6, 3},
			},
		},
		Static: []Pattern{{"country", Pos{8, 10}}},
		Ignore: []Pattern{{"schema_migrations", Pos{9, 10}}},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got\n%#v\nwant\n%#v", m, want)
	}
}

// Every accepted form, with anchors, shorthands and null values.
func TestParseFull(t *testing.T) {
	m, err := Load("testdata/full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := &Map{
		File:    "testdata/full.yaml",
		Version: 1,
		Contexts: []Context{
			{
				Name:        "catalog",
				Description: "Everything about the items we sell",
				Owner:       "team-catalog",
				Tables: []TableRef{
					{Pattern: "album", Pos: Pos{9, 9}},
					{Pattern: "public.artist", Pos: Pos{10, 9}},
					{Pattern: "reco_*", Pos: Pos{11, 9}},
					{Pattern: "line_item", Columns: []string{"sku", "title"}, Access: AccessRead, Pos: Pos{12, 9},
						ColumnPos: []Pos{{13, 21}, {13, 26}}},
					{Pattern: "stock", Columns: []string{"sku", "quantity"}, Pos: Pos{15, 9},
						ColumnPos: []Pos{{15, 17}, {15, 22}}},
					{Pattern: "price", Pos: Pos{16, 9}},
				},
				Roles: []string{"catalog_app", "catalog_ro"},
				Code:  []string{"src/catalog/**/*.go", "legacy/Catalog*.java"},
				Pos:   Pos{4, 3},
			},
			{
				Name:  "finance",
				Owner: "team-finance",
				Tables: []TableRef{
					{Pattern: "billing.*", Pos: Pos{22, 9}},
					{Pattern: "line_item", Columns: []string{"price"}, Access: AccessReadWrite, Pos: Pos{23, 9},
						ColumnPos: []Pos{{23, 31}}},
				},
				Pos: Pos{19, 3},
			},
			{Name: "warehouse", Pos: Pos{24, 3}},
			{Name: "reporting", Owner: "team-finance", Tables: []TableRef{}, Pos: Pos{25, 3}},
		},
		Static: []Pattern{{"country", Pos{28, 10}}, {"currency_*", Pos{28, 19}}},
		Ignore: []Pattern{{"schema_migrations", Pos{29, 10}}},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got\n%#v\nwant\n%#v", m, want)
	}
}

func TestParseAccepts(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Context
	}{
		{"empty contexts mapping", "contexts: {}\n", []Context{}},
		{"flow mapping entry in a flow list", "contexts:\n  a:\n    tables: [x, y: [c1], z: {access: write}]\n",
			[]Context{{Name: "a", Pos: Pos{2, 3}, Tables: []TableRef{
				{Pattern: "x", Pos: Pos{3, 14}},
				{Pattern: "y", Pos: Pos{3, 17}, Columns: []string{"c1"}, ColumnPos: []Pos{{3, 21}}},
				{Pattern: "z", Pos: Pos{3, 26}, Access: AccessWrite},
			}}}},
		{"explicit empty columns", "contexts:\n  a:\n    tables:\n      - x: {columns: []}\n",
			[]Context{{Name: "a", Pos: Pos{2, 3}, Tables: []TableRef{
				{Pattern: "x", Pos: Pos{4, 9}, Columns: []string{}, ColumnPos: []Pos{}},
			}}}},
		{"null columns and access", "contexts:\n  a:\n    tables:\n      - x: {columns: , access: }\n",
			[]Context{{Name: "a", Pos: Pos{2, 3}, Tables: []TableRef{{Pattern: "x", Pos: Pos{4, 9}}}}}},
		{"aliased table list", "contexts:\n  a:\n    tables: &t [x]\n  b:\n    tables: *t\n",
			[]Context{
				{Name: "a", Pos: Pos{2, 3}, Tables: []TableRef{{Pattern: "x", Pos: Pos{3, 17}}}},
				{Name: "b", Pos: Pos{4, 3}, Tables: []TableRef{{Pattern: "x", Pos: Pos{3, 17}}}},
			}},
		{"numeric and unicode names", "contexts:\n  \"2024\":\n    tables: [2024, Straße]\n",
			[]Context{{Name: "2024", Pos: Pos{2, 3}, Tables: []TableRef{
				{Pattern: "2024", Pos: Pos{3, 14}},
				{Pattern: "Straße", Pos: Pos{3, 20}},
			}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse("c.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(m.Contexts, tt.want) {
				t.Errorf("got\n%#v\nwant\n%#v", m.Contexts, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty file", "", "c.yaml: contexts map is empty: define at least one context under contexts:"},
		{"only comments", "# nothing yet\n\n", "c.yaml: contexts map is empty: define at least one context under contexts:"},
		{"null document", "~\n", "c.yaml: contexts map is empty: define at least one context under contexts:"},
		{"not a mapping", "- a\n- b\n", "c.yaml:1:1: a contexts map must be a mapping with a contexts: key, got a list"},
		{"no contexts key", "static: [country]\n", "c.yaml:1:1: no contexts: key: define at least one context under contexts:"},
		{"contexts left empty", "contexts:\nstatic: [country]\n",
			"c.yaml:1:1: contexts: is empty: define at least one context under it (or write contexts: {} to leave every table unassigned)"},
		{"contexts a list", "contexts:\n  - catalog\n", "c.yaml:2:3: contexts must be a mapping of context names to contexts, got a list"},
		{"syntax error", "contexts:\n  a:\n    tables: [x\n", "c.yaml:3: invalid YAML: did not find expected ',' or ']'"},
		{"unclosed list on line 1", "contexts: [a\n", "c.yaml:1: invalid YAML: did not find expected ',' or ']'"},
		{"bad dedent", "contexts:\n  a:\n    tables: [x]\n   b: {}\n", "c.yaml:4: invalid YAML: did not find expected key"},
		{"value after value", "contexts:\n  a: x: y\n", "c.yaml:2: invalid YAML: mapping values are not allowed in this context"},
		{"unknown anchor", "contexts:\n  a: *nope\n", "c.yaml: invalid YAML: unknown anchor 'nope' referenced"},
		{"error after a multi-line flow list", "contexts:\n  a:\n    tables: [x,\n      y]\n  b:\n    tables: [z]\n   c: {}\n",
			"c.yaml:7: invalid YAML: did not find expected key"},
		{"control character", "contexts:\n  a: \x01\n", "c.yaml: invalid YAML: control characters are not allowed"},
		{"two documents", "contexts: {}\n---\ncontexts:\n  a: {}\n", "c.yaml:3: a contexts map is one YAML document; remove the second one (after ---)"},
		{"bad second document", "contexts: {}\n---\ncontexts: [\n", "c.yaml:3: invalid YAML: did not find expected node content"},
		{"tab indent", "contexts:\n\ta: {}\n", "c.yaml:2: invalid YAML: found character that cannot start any token"},
		{"unknown top key near", "contexts: {}\nignroe: [x]\n", `c.yaml:2:1: unknown key "ignroe" (did you mean "ignore"?)`},
		{"unknown top key far", "contexts: {}\ndsn: postgres://x\n", `c.yaml:2:1: unknown key "dsn": want contexts, static, ignore, relations, version or budgets`},
		{"unknown context key tabels", "contexts:\n  catalog:\n    tabels: [album]\n",
			`c.yaml:3:5: unknown key "tabels" in context "catalog" (did you mean "tables"?)`},
		{"unknown context key prefix", "contexts:\n  catalog:\n    descr: x\n",
			`c.yaml:3:5: unknown key "descr" in context "catalog": want description, owner, tables, roles, code or max_crossing`},
		{"unknown context key case", "contexts:\n  catalog:\n    Owner: x\n",
			`c.yaml:3:5: unknown key "Owner" in context "catalog" (did you mean "owner"?)`},
		{"duplicate context", "contexts:\n  catalog:\n    tables: [a]\n  finance: {}\n  catalog:\n    tables: [b]\n",
			`c.yaml:5:3: context "catalog" is defined twice (first at line 2)`},
		{"duplicate context key", "contexts:\n  catalog:\n    tables: [a]\n    tables: [b]\n",
			`c.yaml:4:5: key "tables" is given twice in context "catalog" (first at line 3)`},
		{"duplicate top key", "contexts: {}\ncontexts: {}\n", `c.yaml:2:1: key "contexts" is given twice (first at line 1)`},
		{"empty context name", "contexts:\n  \"\":\n    tables: [a]\n", "c.yaml:2:3: empty context name"},
		{"null context name", "contexts:\n  ~:\n    tables: [a]\n", "c.yaml:2:3: empty context name"},
		{"blank context name", "contexts:\n  \"  \": {}\n", "c.yaml:2:3: empty context name"},
		{"context a list", "contexts:\n  catalog: [album]\n",
			`c.yaml:2:12: context "catalog" must be a mapping with tables:, got a list (put the list under tables:)`},
		{"context a string", "contexts:\n  catalog: album\n",
			`c.yaml:2:12: context "catalog" must be a mapping with tables:, got the string "album"`},
		{"tables a string", "contexts:\n  catalog:\n    tables: album\n",
			`c.yaml:3:13: context "catalog": tables must be a list, got the string "album" (write tables: [album])`},
		{"tables a mapping", "contexts:\n  catalog:\n    tables:\n      album: {}\n",
			`c.yaml:4:7: context "catalog": tables must be a list, got a mapping`},
		{"description a list", "contexts:\n  catalog:\n    description: [a, b]\n",
			`c.yaml:3:18: context "catalog": description must be a string, got a list`},
		{"owner a mapping", "contexts:\n  catalog:\n    owner: {team: x}\n",
			`c.yaml:3:12: context "catalog": owner must be a string, got a mapping`},
		{"null table entry", "contexts:\n  catalog:\n    tables:\n      -\n      - b\n",
			`c.yaml:4:8: context "catalog": empty table entry`},
		{"empty table name", "contexts:\n  catalog:\n    tables: [\"\"]\n",
			`c.yaml:3:14: context "catalog": empty table name`},
		{"trailing dot", "contexts:\n  catalog:\n    tables: [billing.]\n",
			`c.yaml:3:14: context "catalog": malformed table name "billing.": want table or schema.table`},
		{"nested list entry", "contexts:\n  catalog:\n    tables:\n      - [a, b]\n",
			`c.yaml:4:9: context "catalog": a table entry must be a table name or a one-key mapping like line_item: {columns: [sku]}, got a list`},
		{"two-key entry", "contexts:\n  catalog:\n    tables:\n      - a: [x]\n        b: [y]\n",
			`c.yaml:4:9: context "catalog": a table entry must be a table name or a one-key mapping like line_item: {columns: [sku]}; this one has 2 keys (a, b)`},
		{"columns not indented", "contexts:\n  catalog:\n    tables:\n      - line_item:\n        columns: [sku]\n",
			`c.yaml:4:9: context "catalog": a table entry must be a table name or a one-key mapping like line_item: {columns: [sku]}; this one has 2 keys (line_item, columns); indent columns under line_item:`},
		{"entry value a string", "contexts:\n  catalog:\n    tables:\n      - line_item: sku\n",
			`c.yaml:4:20: context "catalog", table line_item: want {columns: [...], access: ...} or a list of columns, got the string "sku"`},
		{"columns not a list", "contexts:\n  catalog:\n    tables:\n      - line_item: {columns: sku}\n",
			`c.yaml:4:30: context "catalog", table line_item: columns must be a list, got the string "sku" (write columns: [sku])`},
		{"column a mapping", "contexts:\n  catalog:\n    tables:\n      - line_item: {columns: [{a: b}]}\n",
			`c.yaml:4:31: context "catalog", table line_item: each column must be a name, got a mapping`},
		{"duplicate column", "contexts:\n  catalog:\n    tables:\n      - line_item: [sku, title, sku]\n",
			`c.yaml:4:33: context "catalog", table line_item: column "sku" is listed twice (first at line 4)`},
		{"empty column", "contexts:\n  catalog:\n    tables:\n      - line_item: [sku, \"\"]\n",
			`c.yaml:4:26: context "catalog", table line_item: empty column name`},
		{"unknown table key", "contexts:\n  catalog:\n    tables:\n      - line_item: {colums: [sku]}\n",
			`c.yaml:4:21: unknown key "colums" in context "catalog", table line_item (did you mean "columns"?)`},
		{"bad access near", "contexts:\n  catalog:\n    tables:\n      - line_item: {access: wirte}\n",
			`c.yaml:4:29: context "catalog", table line_item: bad access "wirte" (did you mean "write"?)`},
		{"bad access far", "contexts:\n  catalog:\n    tables:\n      - line_item: {access: owner}\n",
			`c.yaml:4:29: context "catalog", table line_item: bad access "owner": want read, write or readwrite`},
		{"access a list", "contexts:\n  catalog:\n    tables:\n      - line_item: {access: [read]}\n",
			`c.yaml:4:29: context "catalog", table line_item: access must be read, write or readwrite, got a list`},
		{"malformed glob", "contexts:\n  catalog:\n    tables: [\"reco_[\"]\n",
			`c.yaml:3:14: context "catalog": malformed glob "reco_[" (syntax error in pattern)`},
		{"malformed glob key", "contexts:\n  catalog:\n    tables:\n      - \"reco_[a-\": [x]\n",
			`c.yaml:4:9: context "catalog": malformed glob "reco_[a-" (syntax error in pattern)`},
		{"trailing backslash", "contexts:\n  catalog:\n    tables: ['reco\\']\n",
			`c.yaml:3:14: context "catalog": malformed glob "reco\\" (syntax error in pattern)`},
		{"roles a string", "contexts:\n  catalog:\n    roles: catalog_app\n",
			`c.yaml:3:12: context "catalog": roles must be a list, got the string "catalog_app" (write roles: [catalog_app])`},
		{"role a list", "contexts:\n  catalog:\n    roles: [[a]]\n",
			`c.yaml:3:13: context "catalog": each item of roles must be a role name, got a list`},
		{"empty role", "contexts:\n  catalog:\n    roles: [a, \"\"]\n",
			`c.yaml:3:16: context "catalog": empty role name in roles`},
		{"code a mapping", "contexts:\n  catalog:\n    code: {src: x}\n",
			`c.yaml:3:11: context "catalog": code must be a list, got a mapping`},
		{"code malformed glob", "contexts:\n  catalog:\n    code: [\"src/[\"]\n",
			`c.yaml:3:12: context "catalog": malformed glob "src/[" (syntax error in pattern)`},
		{"static a string", "contexts: {}\nstatic: country\n",
			`c.yaml:2:9: static must be a list of tables, got the string "country" (write static: [country])`},
		{"ignore item a mapping", "contexts: {}\nignore: [{a: b}]\n",
			`c.yaml:2:10: each item of ignore must be a table name or pattern, got a mapping`},
		{"static malformed glob", "contexts: {}\nstatic: [\"x[\"]\n",
			`c.yaml:2:10: static: malformed glob "x[" (syntax error in pattern)`},
		{"bad version", "version: 2\ncontexts: {}\n", "c.yaml:1:10: unsupported version 2: this seams reads version 1"},
		{"version a string", "version: one\ncontexts: {}\n", `c.yaml:1:10: version must be a number, got the string "one"`},
		{"merge key", "contexts:\n  a: &a {owner: x}\n  b:\n    <<: *a\n",
			`c.yaml:4:5: merge keys (<<) are not supported in context "b"`},
		{"context name a list", "contexts:\n  ? [a]\n  : {}\n", "c.yaml:2:5: a context name must be a string, got a list"},
		{"max_crossing a string", "contexts:\n  a:\n    max_crossing: three\n",
			`c.yaml:3:19: context "a": max_crossing must be a whole number, got the string "three"`},
		{"max_crossing negative", "contexts:\n  a:\n    max_crossing: -1\n",
			`c.yaml:3:19: context "a": max_crossing must not be negative, got -1`},
		{"max_crossing a float", "contexts:\n  a:\n    max_crossing: 2.5\n",
			`c.yaml:3:19: context "a": max_crossing must be a whole number, got the number 2.5`},
		{"budgets a mapping", "contexts: {a: {}, b: {}}\nbudgets: {a: 1}\n",
			`c.yaml:2:10: budgets must be a list of {between: [context, context], max_crossing: N}, got a mapping`},
		{"budget a string", "contexts: {a: {}, b: {}}\nbudgets: [a]\n",
			`c.yaml:2:11: budget 1 must be a mapping {between: [context, context], max_crossing: N}, got the string "a"`},
		{"budget unknown key", "contexts: {a: {}, b: {}}\nbudgets:\n  - between: [a, b]\n    max_crosing: 1\n",
			`c.yaml:4:5: unknown key "max_crosing" in budget 1 (did you mean "max_crossing"?)`},
		{"budget without between", "contexts: {a: {}, b: {}}\nbudgets:\n  - max_crossing: 1\n",
			`c.yaml:3:5: budget 1: no between: key: name the two contexts, between: [a, b]`},
		{"budget without max", "contexts: {a: {}, b: {}}\nbudgets:\n  - between: [a, b]\n",
			`c.yaml:3:5: budget 1: no max_crossing: key: give the most crossing couplings allowed`},
		{"budget of three", "contexts: {a: {}, b: {}, c: {}}\nbudgets:\n  - between: [a, b, c]\n    max_crossing: 1\n",
			`c.yaml:3:14: budget 1: between must name two contexts, got 3`},
		{"budget unknown context near", "contexts: {catalog: {}, finance: {}}\nbudgets:\n  - between: [catalog, fnance]\n    max_crossing: 1\n",
			`c.yaml:3:24: budget 1: no context "fnance" (did you mean "finance"?)`},
		{"budget unknown context far", "contexts: {catalog: {}, finance: {}}\nbudgets:\n  - between: [catalog, zzz]\n    max_crossing: 1\n",
			`c.yaml:3:24: budget 1: no context "zzz": want one of catalog or finance`},
		{"budget same context twice", "contexts: {a: {}, b: {}}\nbudgets:\n  - between: [a, a]\n    max_crossing: 1\n",
			`c.yaml:3:14: budget 1: between names "a" twice: for one context, put max_crossing under the context`},
		{"budget pair twice", "contexts: {a: {}, b: {}}\nbudgets:\n  - between: [a, b]\n    max_crossing: 1\n  - between: [b, a]\n    max_crossing: 2\n",
			`c.yaml:5:14: budget 2: the budget between b and a is given twice (first at line 3)`},
		{"budget max negative", "contexts: {a: {}, b: {}}\nbudgets:\n  - between: [a, b]\n    max_crossing: -2\n",
			`c.yaml:4:19: budget 1: max_crossing must not be negative, got -2`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse("c.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error; got %#v", m)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
			if m != nil {
				t.Errorf("map returned with an error: %#v", m)
			}
		})
	}
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want a not-exist error", err)
	}
}

func TestFind(t *testing.T) {
	write := func(t *testing.T, dir string, names ...string) {
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(dir, n), []byte("contexts: {}\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name  string
		files []string
		dirs  []string
		want  string // file name found, or "" for ErrNoMap
	}{
		{"both", []string{"seams.yaml", "contexts.yaml"}, nil, "seams.yaml"},
		{"seams only", []string{"seams.yaml"}, nil, "seams.yaml"},
		{"contexts only", []string{"contexts.yaml"}, nil, "contexts.yaml"},
		{"other names ignored", []string{"contexts.yml", "seams.yml"}, nil, ""},
		{"none", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, tt.files...)
			got, err := Find(dir)
			if tt.want == "" {
				want := "no contexts map in " + dir + ": create seams.yaml or contexts.yaml"
				if !errors.Is(err, ErrNoMap) || err.Error() != want {
					t.Fatalf("got %q, %v; want error %q", got, err, want)
				}
				return
			}
			if err != nil || got != filepath.Join(dir, tt.want) {
				t.Fatalf("got %q, %v; want %s", got, err, tt.want)
			}
		})
	}
	t.Run("directory named seams.yaml", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, "seams.yaml"), 0o755); err != nil {
			t.Fatal(err)
		}
		_, err := Find(dir)
		want := "contexts map " + filepath.Join(dir, "seams.yaml") + " is not a regular file"
		if err == nil || err.Error() != want {
			t.Fatalf("got %v, want %s", err, want)
		}
	})
}

func TestParseBudgets(t *testing.T) {
	src := `contexts:
  catalog:
    tables: [album]
    max_crossing: 3
  finance:
    tables: [ledger]
  warehouse:
    max_crossing: 0
budgets:
  - between: [finance, catalog]
    max_crossing: 1
  - {between: [warehouse, finance], max_crossing: 2}
`
	m, err := Parse("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []Budget{
		{Contexts: []string{"catalog"}, MaxCrossing: 3, Pos: Pos{Line: 4, Col: 19}},
		{Contexts: []string{"warehouse"}, MaxCrossing: 0, Pos: Pos{Line: 8, Col: 19}},
		{Contexts: []string{"finance", "catalog"}, MaxCrossing: 1, Pos: Pos{Line: 11, Col: 19}},
		{Contexts: []string{"warehouse", "finance"}, MaxCrossing: 2, Pos: Pos{Line: 12, Col: 51}},
	}
	if !reflect.DeepEqual(m.Budgets, want) {
		t.Errorf("budgets\n got %+v\nwant %+v", m.Budgets, want)
	}
	a, err := Resolve(m, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Budgets, want) || a.File != "c.yaml" {
		t.Errorf("the assignment has budgets %+v and file %q", a.Budgets, a.File)
	}
}
