package contexts

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

func tbl(schemaName, name string, cols ...string) schema.Table {
	t := schema.Table{Schema: schemaName, Name: name, Kind: schema.KindTable}
	for _, c := range cols {
		t.Columns = append(t.Columns, schema.Column{Name: c, Type: "text"})
	}
	return t
}

func part(schemaName, name string, parent schema.TableName, cols ...string) schema.Table {
	t := tbl(schemaName, name, cols...)
	t.PartitionOf = &parent
	return t
}

func tn(schemaName, name string) schema.TableName {
	return schema.TableName{Schema: schemaName, Name: name}
}

// musicCorp is a small hand-built snapshot.
func musicCorp() *schema.Snapshot {
	events := tn("public", "events")
	events2024 := tn("public", "events_2024")
	return &schema.Snapshot{
		Format:  schema.FormatVersion,
		Schemas: []schema.Schema{{Name: "public"}, {Name: "billing", Comment: "Billing"}, {Name: "archive"}},
		Tables: []schema.Table{
			tbl("public", "album", "id", "title", "artist_id"),
			tbl("public", "artist", "id", "name"),
			tbl("public", "line_item", "id", "sku", "title", "price", "stock_level"),
			tbl("public", "ledger", "id", "amount"),
			tbl("public", "payment_card", "id", "number"),
			tbl("public", "payment_transfer", "id", "iban"),
			tbl("public", "country", "code", "name"),
			tbl("public", "schema_migrations", "version"),
			tbl("public", "customer", "id", "name"),
			tbl("public", "v1.users", "id"),
			{Schema: "public", Name: "events", Kind: schema.KindPartitioned, Columns: []schema.Column{{Name: "id"}, {Name: "at"}}},
			{Schema: "public", Name: "events_2024", Kind: schema.KindPartitioned, PartitionOf: &events, Columns: []schema.Column{{Name: "id"}, {Name: "at"}}},
			part("public", "events_2024_01", events2024, "id", "at"),
			part("public", "events_2023", events, "id", "at"),
			tbl("billing", "invoice", "id", "total"),
			tbl("billing", "invoice_line", "id", "invoice_id"),
			tbl("archive", "album", "id", "title"),
		},
		Views: []schema.View{{Schema: "public", Name: "sales_report"}},
	}
}

// dump writes an assignment as text, one fact a line, for exact assertions.
func dump(a *Assignment) string {
	var b strings.Builder
	fmt.Fprintf(&b, "contexts: %s\n", strings.Join(a.Contexts, ", "))
	names := make([]schema.TableName, 0, len(a.Claims))
	for n := range a.Claims {
		names = append(names, n)
	}
	slices.SortFunc(names, schema.TableName.Compare)
	for _, n := range names {
		fmt.Fprintf(&b, "%s:", n)
		for _, c := range a.Claims[n] {
			fmt.Fprintf(&b, " %s", c.Context)
			if c.Columns != nil {
				fmt.Fprintf(&b, "[%s]", strings.Join(c.Columns, ","))
			}
			if c.Access != AccessUnknown {
				fmt.Fprintf(&b, "(%s)", c.Access)
			}
		}
		b.WriteString("\n")
	}
	set := func(label string, m map[schema.TableName]bool) {
		var ns []string
		for n, ok := range m {
			if ok {
				ns = append(ns, n.String())
			}
		}
		slices.Sort(ns)
		if len(ns) > 0 {
			fmt.Fprintf(&b, "%s: %s\n", label, strings.Join(ns, ", "))
		}
	}
	set("static", a.Static)
	set("ignored", a.Ignored)
	if len(a.Unassigned) > 0 {
		ns := make([]string, len(a.Unassigned))
		for i, n := range a.Unassigned {
			ns[i] = n.String()
		}
		fmt.Fprintf(&b, "unassigned: %s\n", strings.Join(ns, ", "))
	}
	for _, w := range a.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.String()
}

func resolve(t *testing.T, src string, s *schema.Snapshot) (*Assignment, error) {
	t.Helper()
	m, err := Parse("c.yaml", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return Resolve(m, s)
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "issue example",
			src: `contexts:
  catalog:
    description: Everything to do with metadata about the items we offer for sale
    owner: team-catalog
    tables: [album, artist, line_item]
  finance:
    tables: [ledger, "payment_*"]
static: [country]
ignore: [schema_migrations]
`,
			want: `contexts: catalog, finance
archive.album: catalog
public.album: catalog
public.artist: catalog
public.ledger: finance
public.line_item: catalog
public.payment_card: finance
public.payment_transfer: finance
static: public.country
ignored: public.schema_migrations
unassigned: billing.invoice, billing.invoice_line, public.customer, public.events, public.v1.users
`,
		},
		{
			name: "schema.table, schema glob and name with a dot",
			src: `contexts:
  catalog:
    tables: [public.album, "v1.users"]
  billing:
    tables: ["billing.*", "*.ledger"]
  archive:
    tables: [archive.album]
`,
			want: `contexts: catalog, billing, archive
archive.album: archive
billing.invoice: billing
billing.invoice_line: billing
public.album: catalog
public.ledger: billing
public.v1.users: catalog
unassigned: public.artist, public.country, public.customer, public.events, public.line_item, public.payment_card, public.payment_transfer, public.schema_migrations
`,
		},
		{
			name: "ignore * wins over every claim",
			src: `contexts:
  catalog:
    tables:
      - line_item: {columns: [sku, title], access: read}
      - line_item: {columns: [title, price], access: write}
  finance:
    tables:
      - line_item: [price]
      - "line_*"
  warehouse:
    tables:
      - line_item: {columns: [sku, stock_level], access: readwrite}
ignore: ["*"]
`,
			want: `contexts: catalog, finance, warehouse
ignored: archive.album, billing.invoice, billing.invoice_line, public.album, public.artist, public.country, public.customer, public.events, public.ledger, public.line_item, public.payment_card, public.payment_transfer, public.schema_migrations, public.v1.users
warning: c.yaml:4:9: context "catalog": table line_item is also ignored (ignore: at line 13); ignore wins
warning: c.yaml:5:9: context "catalog": table line_item is also ignored (ignore: at line 13); ignore wins
warning: c.yaml:8:9: context "finance": table line_item is also ignored (ignore: at line 13); ignore wins
warning: c.yaml:12:9: context "warehouse": table line_item is also ignored (ignore: at line 13); ignore wins
`,
		},
		{
			name: "ignore wins, shared table with columns",
			src: `contexts:
  catalog:
    tables:
      - line_item: {columns: [sku, title], access: read}
      - line_item: {columns: [title, price], access: write}
      - schema_migrations
  finance:
    tables:
      - line_item: [price]
      - "line_*"
  warehouse:
    tables:
      - line_item: {columns: [sku, stock_level], access: readwrite}
      - "*"
ignore: [schema_migrations]
static: [country]
`,
			want: `contexts: catalog, finance, warehouse
archive.album: warehouse
billing.invoice: warehouse
billing.invoice_line: warehouse
public.album: warehouse
public.artist: warehouse
public.country: warehouse
public.customer: warehouse
public.events: warehouse
public.ledger: warehouse
public.line_item: catalog[sku,title,price](readwrite) finance[price] warehouse[sku,stock_level](readwrite)
public.payment_card: warehouse
public.payment_transfer: warehouse
public.v1.users: warehouse
static: public.country
ignored: public.schema_migrations
warning: c.yaml:6:9: context "catalog": table schema_migrations is also ignored (ignore: at line 15); ignore wins
`,
		},
		{
			name: "exact name beats glob of another context; overlapping globs shared",
			src: `contexts:
  legacy:
    tables: ["*"]
  finance:
    tables: [ledger, "payment_*"]
  catalog:
    tables: [album]
`,
			want: `contexts: legacy, finance, catalog
archive.album: catalog
billing.invoice: legacy
billing.invoice_line: legacy
public.album: catalog
public.artist: legacy
public.country: legacy
public.customer: legacy
public.events: legacy
public.ledger: finance
public.line_item: legacy
public.payment_card: legacy finance
public.payment_transfer: legacy finance
public.schema_migrations: legacy
public.v1.users: legacy
warning: c.yaml:5:22: context "finance": "payment_*" and "*" of context "legacy" both match 2 tables (first public.payment_card), which both contexts now share (the patterns are equally specific); name the tables exactly, or qualify one pattern with its schema, to give them to one context
`,
		},
		{
			// exact schema.table > exact table > schema.* or a qualified
			// glob > bare glob; a tie is shared, with a warning naming both
			// patterns when they are globs.
			name: "precedence: qualified glob beats bare glob, exact qualified beats exact",
			src: `contexts:
  ops:
    tables: ["billing.*"]
  money:
    tables: ["invoice*", "public.*"]
  archive:
    tables: [archive.album, "arch*.*"]
  catalog:
    tables: [album, "*"]
  items:
    tables: ["billing.invoice_l*"]
`,
			want: `contexts: ops, money, archive, catalog, items
archive.album: archive
billing.invoice: ops
billing.invoice_line: ops items
public.album: catalog
public.artist: money
public.country: money
public.customer: money
public.events: money
public.ledger: money
public.line_item: money
public.payment_card: money
public.payment_transfer: money
public.schema_migrations: money
public.v1.users: money
warning: c.yaml:11:14: context "items": "billing.invoice_l*" and "billing.*" of context "ops" both match table billing.invoice_line, which both contexts now share (the patterns are equally specific); name the tables exactly, or qualify one pattern with its schema, to give them to one context
`,
		},
		{
			name: "partitions go with their root",
			src: `contexts:
  tracking:
    tables: ["event*"]
  other:
    tables: [events_2024_01, "events_20*"]
`,
			want: `contexts: tracking, other
public.events: tracking
unassigned: archive.album, billing.invoice, billing.invoice_line, public.album, public.artist, public.country, public.customer, public.ledger, public.line_item, public.payment_card, public.payment_transfer, public.schema_migrations, public.v1.users
warning: c.yaml:5:14: context "other": "events_2024_01" matches only partitions (of public.events); partitions go with their parent table, list the parent instead
warning: c.yaml:5:30: context "other": "events_20*" matches only partitions (of public.events); partitions go with their parent table, list the parent instead
`,
		},
		{
			name: "did you mean",
			src: `contexts:
  catalog:
    tables: [albun, Artist, pubic.album, "paymnet_*", "billing.invoce", nothing_like_it, "zz*", sales_report]
  empty:
    tables: []
static: [countyr]
ignore: [schema_migration]
`,
			want: `contexts: catalog, empty
unassigned: archive.album, billing.invoice, billing.invoice_line, public.album, public.artist, public.country, public.customer, public.events, public.ledger, public.line_item, public.payment_card, public.payment_transfer, public.schema_migrations, public.v1.users
warning: c.yaml:3:14: context "catalog": no table matches "albun" (did you mean "album"?)
warning: c.yaml:3:21: context "catalog": no table matches "Artist" (did you mean "artist"?)
warning: c.yaml:3:29: context "catalog": no table matches "pubic.album" (did you mean "public.album"?)
warning: c.yaml:3:42: context "catalog": no table matches "paymnet_*" (did you mean "payment_*"?)
warning: c.yaml:3:55: context "catalog": no table matches "billing.invoce" (did you mean "billing.invoice"?)
warning: c.yaml:3:73: context "catalog": no table matches "nothing_like_it"
warning: c.yaml:3:90: context "catalog": no table matches "zz*"
warning: c.yaml:3:97: context "catalog": "sales_report" is a view, not a table; views are placed by the tables they read
warning: c.yaml:4:3: context "empty" lists no tables
warning: c.yaml:6:10: static: no table matches "countyr" (did you mean "country"?)
warning: c.yaml:7:10: ignore: no table matches "schema_migration" (did you mean "schema_migrations"?)
`,
		},
		{
			name: "empty map leaves every table unassigned",
			src:  "contexts: {}\nstatic: [country]\nignore: [schema_migrations]\n",
			want: `contexts: 
static: public.country
ignored: public.schema_migrations
unassigned: archive.album, billing.invoice, billing.invoice_line, public.album, public.artist, public.customer, public.events, public.ledger, public.line_item, public.payment_card, public.payment_transfer, public.v1.users
`,
		},
		{
			name: "map that claims every table, static ones too",
			src: `contexts:
  a:
    tables: ["*"]
static: [country, "payment_*"]
`,
			want: `contexts: a
archive.album: a
billing.invoice: a
billing.invoice_line: a
public.album: a
public.artist: a
public.country: a
public.customer: a
public.events: a
public.ledger: a
public.line_item: a
public.payment_card: a
public.payment_transfer: a
public.schema_migrations: a
public.v1.users: a
static: public.country, public.payment_card, public.payment_transfer
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := resolve(t, tt.src, musicCorp())
			if err != nil {
				t.Fatal(err)
			}
			if got := dump(a); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "unknown column with did you mean",
			src: `contexts:
  warehouse:
    tables:
      - album
      - line_item:
          columns: [sku, stok_level]
`,
			want: `c.yaml:6:26: table line_item has no column "stok_level" (did you mean "stock_level"?)`,
		},
		{
			// Missed before: a column written with its table, or with a
			// word added, got no suggestion.
			name: "column written with its table",
			src:  "contexts:\n  a:\n    tables:\n      - line_item: [line_item.stock_level]\n",
			want: `c.yaml:4:21: table line_item has no column "line_item.stock_level" (did you mean "stock_level"?)`,
		},
		{
			name: "column with a word added",
			src:  "contexts:\n  a:\n    tables:\n      - line_item: [sku, price_eur]\n",
			want: `c.yaml:4:26: table line_item has no column "price_eur" (did you mean "price"?)`,
		},
		{
			name: "unknown column without suggestion",
			src:  "contexts:\n  a:\n    tables:\n      - line_item: [sku, warehouse_code]\n",
			want: `c.yaml:4:26: table line_item has no column "warehouse_code"`,
		},
		{
			name: "unknown column through a glob names the table",
			src:  "contexts:\n  a:\n    tables:\n      - \"*album\": [title, artist_id]\n",
			want: `c.yaml:4:27: table archive.album has no column "artist_id"`,
		},
		{
			name: "unknown column on a qualified name",
			src:  "contexts:\n  a:\n    tables:\n      - billing.invoice: {columns: [totl]}\n",
			want: `c.yaml:4:37: table billing.invoice has no column "totl" (did you mean "total"?)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := resolve(t, tt.src, musicCorp())
			if err == nil {
				t.Fatalf("no error; got\n%s", dump(a))
			}
			var e *Error
			if !errors.As(err, &e) || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// Maps built in code are checked too.
func TestResolveMapInCode(t *testing.T) {
	tests := []struct {
		name string
		m    *Map
		want string
	}{
		{"duplicate context", &Map{File: "x", Contexts: []Context{{Name: "a"}, {Name: "a", Pos: Pos{3, 1}}}},
			`x:3:1: context "a" is defined twice`},
		{"empty name", &Map{File: "x", Contexts: []Context{{Name: ""}}}, "x: empty context name"},
		{"malformed glob", &Map{File: "x", Contexts: []Context{{Name: "a", Tables: []TableRef{{Pattern: "a[", Pos: Pos{2, 5}}}}}},
			`x:2:5: context "a": malformed glob "a[" (syntax error in pattern)`},
		{"unknown column without positions", &Map{File: "x", Contexts: []Context{{Name: "a",
			Tables: []TableRef{{Pattern: "album", Columns: []string{"nope"}, Pos: Pos{2, 5}}}}}},
			`x:2:5: table album has no column "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(tt.m, musicCorp())
			if err == nil || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

// A dotted name matches schema.table first, and a table whose own name
// has the dot only when no schema.table matches. The glob "v*.users"
// matches v1.users by its full name, where it yields to a's exact name.
func TestResolveFullNameFirst(t *testing.T) {
	s := &schema.Snapshot{Format: 1, Tables: []schema.Table{
		tbl("v1", "users"), tbl("public", "v1.users"), tbl("public", "v2.users"),
	}}
	a, err := resolve(t, "contexts:\n  a:\n    tables: [v1.users]\n  b:\n    tables: [v2.users, \"v*.users\"]\n", s)
	if err != nil {
		t.Fatal(err)
	}
	want := `contexts: a, b
public.v2.users: b
v1.users: a
unassigned: public.v1.users
`
	if got := dump(a); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestAssignmentHelpers(t *testing.T) {
	a, err := resolve(t, `contexts:
  catalog:
    tables:
      - album
      - line_item: {columns: [sku, title], access: read}
      - events
  finance:
    tables:
      - ledger
      - line_item: {columns: [price], access: readwrite}
  warehouse:
    tables:
      - line_item: [sku]
      - album
static: [country]
ignore: [schema_migrations]
`, musicCorp())
	if err != nil {
		t.Fatal(err)
	}
	primary := []struct {
		n    schema.TableName
		want string
		ok   bool
	}{
		{tn("public", "line_item"), "finance", true}, // the only writer
		{tn("public", "album"), "catalog", true},     // no writer: first in map order
		{tn("archive", "album"), "catalog", true},
		{tn("public", "ledger"), "finance", true},
		{tn("public", "events_2024_01"), "catalog", true}, // partition: its root's
		{tn("public", "country"), "", false},
		{tn("public", "schema_migrations"), "", false},
		{tn("public", "customer"), "", false},
		{tn("nowhere", "nothing"), "", false},
	}
	for _, p := range primary {
		got, ok := a.Primary(p.n)
		if got != p.want || ok != p.ok {
			t.Errorf("Primary(%s) = %q, %v; want %q, %v", p.n, got, ok, p.want, p.ok)
		}
	}
	if got, want := a.ContextsOf(tn("public", "events_2024_01")), []string{"catalog"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ContextsOf(partition) = %v, want %v", got, want)
	}
	if got, want := a.ContextsOf(tn("public", "line_item")), []string{"catalog", "finance", "warehouse"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ContextsOf(line_item) = %v, want %v", got, want)
	}
	if got, want := a.Root(tn("public", "events_2024_01")), tn("public", "events"); got != want {
		t.Errorf("Root = %v, want %v", got, want)
	}
	if !a.Shared(tn("public", "album")) || a.Shared(tn("public", "ledger")) {
		t.Error("Shared is wrong for album or ledger")
	}
	if !a.IsStatic(tn("public", "country")) || a.IsStatic(tn("public", "album")) {
		t.Error("IsStatic is wrong")
	}
	if !a.IsIgnored(tn("public", "schema_migrations")) || a.IsIgnored(tn("public", "album")) {
		t.Error("IsIgnored is wrong")
	}
	c, ok := a.ClaimOf(tn("public", "line_item"), "warehouse")
	if want := (Claim{Context: "warehouse", Columns: []string{"sku"}, Pos: Pos{Line: 13, Col: 9}}); !ok || !reflect.DeepEqual(c, want) {
		t.Errorf("ClaimOf = %#v, %v; want %#v", c, ok, want)
	}
	if _, ok := a.ClaimOf(tn("public", "ledger"), "catalog"); ok {
		t.Error("ClaimOf found a claim catalog does not make")
	}
	wantTables := map[string][]schema.TableName{
		"catalog":   {tn("archive", "album"), tn("public", "album"), tn("public", "events"), tn("public", "line_item")},
		"finance":   {tn("public", "ledger"), tn("public", "line_item")},
		"warehouse": {tn("archive", "album"), tn("public", "album"), tn("public", "line_item")},
		"nobody":    nil,
	}
	for ctx, want := range wantTables {
		if got := a.Tables(ctx); !reflect.DeepEqual(got, want) {
			t.Errorf("Tables(%s) = %v, want %v", ctx, got, want)
		}
		// The same answer from an Assignment built in code.
		hand := &Assignment{Claims: a.Claims}
		if got := hand.Tables(ctx); !reflect.DeepEqual(got, want) {
			t.Errorf("hand-built Tables(%s) = %v, want %v", ctx, got, want)
		}
	}
	if info := a.Info["catalog"]; info == nil || info.Name != "catalog" || len(info.Tables) != 3 {
		t.Errorf("Info[catalog] = %#v", info)
	}
}

func TestBySchema(t *testing.T) {
	a := BySchema(musicCorp())
	want := `contexts: archive, billing, public
archive.album: archive
billing.invoice: billing
billing.invoice_line: billing
public.album: public
public.artist: public
public.country: public
public.customer: public
public.events: public
public.ledger: public
public.line_item: public
public.payment_card: public
public.payment_transfer: public
public.schema_migrations: public
public.v1.users: public
`
	if got := dump(a); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if !a.BySchema {
		t.Error("BySchema not set")
	}
	if got := a.Info["billing"].Description; got != "Billing" {
		t.Errorf("billing description = %q", got)
	}
	if got, ok := a.Primary(tn("public", "events_2024_01")); got != "public" || !ok {
		t.Errorf("Primary(partition) = %q, %v", got, ok)
	}
	if got := a.Tables("billing"); !reflect.DeepEqual(got, []schema.TableName{tn("billing", "invoice"), tn("billing", "invoice_line")}) {
		t.Errorf("Tables(billing) = %v", got)
	}
	if got := dump(BySchema(&schema.Snapshot{})); got != "contexts: \n" {
		t.Errorf("empty snapshot: %q", got)
	}
}
