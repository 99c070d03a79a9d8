// Package diagramtest builds in-memory snapshots and assignments for the
// renderers' tests and benchmarks: a small MusicCorp-like shop, a schema
// whose names are hostile to every output format, and a synthetic schema of
// any size.
package diagramtest

import (
	"fmt"
	"time"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/schema"
)

// col is shorthand for a column.
func col(name, typ string, nullable bool) schema.Column {
	return schema.Column{Name: name, Type: typ, Nullable: nullable}
}

func fk(name string, cols []string, ref schema.TableName, refCols []string, onDelete schema.Action) schema.ForeignKey {
	return schema.ForeignKey{Name: name, Columns: cols, References: ref, RefColumns: refCols,
		OnDelete: onDelete, OnUpdate: schema.NoAction, Enforced: true, Valid: true}
}

func pk(table string, cols ...string) *schema.Key {
	return &schema.Key{Name: table + "_pkey", Columns: cols}
}

func tn(s, n string) schema.TableName { return schema.TableName{Schema: s, Name: n} }

// MusicCorp returns a small record shop split into four contexts
// (catalog, sales, warehouse, customers) with crossing foreign keys in both
// directions between sales and warehouse (a cycle), a shared table, a view
// and a trigger that cross contexts, a static table and an unassigned one.
func MusicCorp() (*schema.Snapshot, *contexts.Assignment) {
	const s = "public"
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	def := func(v string) *string { return &v }
	tables := []schema.Table{
		{Schema: s, Name: "artist", Kind: schema.KindTable, Comment: "Performers and bands",
			RowEstimate: schema.Int64(1200), SizeBytes: schema.Int64(163840),
			Columns:    []schema.Column{col("id", "integer", false), col("name", "text", false), col("country_code", "character(2)", true)},
			PrimaryKey: pk("artist", "id"),
			Indexes:    []schema.Index{{Name: "artist_pkey", Columns: []string{"id"}, Unique: true, Primary: true, Method: "btree"}},
			ForeignKeys: []schema.ForeignKey{
				fk("artist_country_code_fkey", []string{"country_code"}, tn(s, "country"), []string{"code"}, schema.NoAction),
			},
		},
		{Schema: s, Name: "album", Kind: schema.KindTable,
			RowEstimate: schema.Int64(5400),
			Columns: []schema.Column{col("id", "integer", false), col("artist_id", "integer", false), col("title", "character varying(200)", false),
				{Name: "released", Type: "date", Nullable: true, Comment: "first release date"}},
			PrimaryKey: pk("album", "id"),
			Indexes:    []schema.Index{{Name: "album_artist_id_idx", Columns: []string{"artist_id"}, Method: "btree"}, {Name: "album_pkey", Columns: []string{"id"}, Unique: true, Primary: true, Method: "btree"}},
			ForeignKeys: []schema.ForeignKey{
				fk("album_artist_id_fkey", []string{"artist_id"}, tn(s, "artist"), []string{"id"}, schema.Cascade),
			},
			Stats: &schema.TableStats{Source: "pg_stat_user_tables", SeqScans: schema.Int64(12), IdxScans: schema.Int64(3400), Inserted: schema.Int64(5400), Updated: schema.Int64(17), Deleted: schema.Int64(0)},
		},
		{Schema: s, Name: "sku", Kind: schema.KindTable,
			Columns:    []schema.Column{col("id", "integer", false), col("album_id", "integer", false), col("format", "text", false), {Name: "price_cents", Type: "integer", Default: def("0")}},
			PrimaryKey: pk("sku", "id"),
			ForeignKeys: []schema.ForeignKey{
				fk("sku_album_id_fkey", []string{"album_id"}, tn(s, "album"), []string{"id"}, schema.Restrict),
			},
		},
		{Schema: s, Name: "customer", Kind: schema.KindTable,
			Columns:    []schema.Column{col("id", "bigint", false), col("email", "text", false), col("country_code", "character(2)", true)},
			PrimaryKey: pk("customer", "id"),
			Uniques:    []schema.Key{{Name: "customer_email_key", Columns: []string{"email"}}},
			ForeignKeys: []schema.ForeignKey{
				fk("customer_country_code_fkey", []string{"country_code"}, tn(s, "country"), []string{"code"}, schema.NoAction),
			},
		},
		{Schema: s, Name: "address", Kind: schema.KindTable,
			Columns:    []schema.Column{col("id", "bigint", false), col("customer_id", "bigint", false), col("line1", "text", false)},
			PrimaryKey: pk("address", "id"),
			ForeignKeys: []schema.ForeignKey{
				fk("address_customer_id_fkey", []string{"customer_id"}, tn(s, "customer"), []string{"id"}, schema.Cascade),
			},
		},
		{Schema: s, Name: "orders", Kind: schema.KindTable,
			Columns: []schema.Column{col("id", "bigint", false), col("customer_id", "bigint", false), col("ship_to", "bigint", true),
				col("shipment_id", "bigint", true), {Name: "placed_at", Type: "timestamp with time zone", Default: def("now()")}},
			PrimaryKey: pk("orders", "id"),
			ForeignKeys: []schema.ForeignKey{
				fk("orders_customer_id_fkey", []string{"customer_id"}, tn(s, "customer"), []string{"id"}, schema.Restrict),
				fk("orders_ship_to_fkey", []string{"ship_to"}, tn(s, "address"), []string{"id"}, schema.SetNull),
				fk("orders_shipment_id_fkey", []string{"shipment_id"}, tn(s, "shipment"), []string{"id"}, schema.SetNull),
			},
		},
		{Schema: s, Name: "order_line", Kind: schema.KindTable,
			Columns:    []schema.Column{col("order_id", "bigint", false), col("line_no", "integer", false), col("sku_id", "integer", false), col("qty", "integer", false)},
			PrimaryKey: pk("order_line", "order_id", "line_no"),
			ForeignKeys: []schema.ForeignKey{
				fk("order_line_order_id_fkey", []string{"order_id"}, tn(s, "orders"), []string{"id"}, schema.Cascade),
				fk("order_line_sku_id_fkey", []string{"sku_id"}, tn(s, "sku"), []string{"id"}, schema.Restrict),
			},
		},
		{Schema: s, Name: "stock", Kind: schema.KindTable,
			Columns:    []schema.Column{col("sku_id", "integer", false), col("warehouse", "text", false), col("on_hand", "integer", false)},
			PrimaryKey: pk("stock", "sku_id", "warehouse"),
			ForeignKeys: []schema.ForeignKey{
				fk("stock_sku_id_fkey", []string{"sku_id"}, tn(s, "sku"), []string{"id"}, schema.Cascade),
			},
		},
		{Schema: s, Name: "shipment", Kind: schema.KindTable,
			Columns:    []schema.Column{col("id", "bigint", false), col("order_id", "bigint", false), col("shipped_at", "timestamp with time zone", true)},
			PrimaryKey: pk("shipment", "id"),
			ForeignKeys: []schema.ForeignKey{
				fk("shipment_order_id_fkey", []string{"order_id"}, tn(s, "orders"), []string{"id"}, schema.NoAction),
			},
		},
		{Schema: s, Name: "country", Kind: schema.KindTable, Comment: "ISO 3166 country codes",
			Columns:    []schema.Column{col("code", "character(2)", false), col("name", "text", false)},
			PrimaryKey: pk("country", "code"),
		},
		{Schema: s, Name: "audit_log", Kind: schema.KindTable,
			Columns:    []schema.Column{col("id", "bigint", false), col("entity", "text", false), col("at", "timestamp with time zone", false)},
			PrimaryKey: pk("audit_log", "id"),
		},
		{Schema: s, Name: "price_history", Kind: schema.KindTable,
			Columns: []schema.Column{col("sku_id", "integer", false), col("price_cents", "integer", false), col("since", "date", false)},
			ForeignKeys: []schema.ForeignKey{
				fk("price_history_sku_id_fkey", []string{"sku_id"}, tn(s, "sku"), []string{"id"}, schema.Cascade),
			},
		},
	}
	snap := &schema.Snapshot{
		Format:  schema.FormatVersion,
		Source:  schema.Source{Engine: schema.Postgres, ServerVersion: "15.19", Database: "musiccorp", Host: "127.0.0.1", CapturedAt: now, SeamsVersion: "test"},
		Schemas: []schema.Schema{{Name: s}},
		Tables:  tables,
		Views: []schema.View{{Schema: s, Name: "order_summary", Definition: "SELECT o.id, c.email, sum(l.qty) FROM orders o JOIN customer c ON c.id = o.customer_id JOIN order_line l ON l.order_id = o.id GROUP BY 1, 2",
			Reads: []schema.TableName{tn(s, "customer"), tn(s, "order_line"), tn(s, "orders")}}},
		Triggers: []schema.Trigger{{Schema: s, Name: "order_line_reserve_stock", Table: tn(s, "order_line"), Timing: "AFTER", Events: []string{"INSERT"}, Level: "ROW",
			Function: "public.reserve_stock()", Body: "UPDATE stock SET on_hand = on_hand - NEW.qty WHERE sku_id = NEW.sku_id",
			Writes: []schema.TableName{tn(s, "stock")}, Reads: []schema.TableName{}}},
	}
	snap.Normalize()
	a := Assign(map[string][]string{
		"catalog":   {"artist", "album", "sku", "price_history"},
		"customers": {"customer", "address"},
		"sales":     {"orders", "order_line", "sku"},
		"warehouse": {"stock", "shipment"},
	}, []string{"catalog", "customers", "sales", "warehouse"}, s)
	a.Claims[tn(s, "order_summary")] = []contexts.Claim{{Context: "sales"}}
	a.Static = map[schema.TableName]bool{tn(s, "country"): true}
	a.Unassigned = []schema.TableName{tn(s, "audit_log")}
	return snap, a
}

// Assign builds an assignment by hand: each context claims the named tables
// of schema s, in the given context order.
func Assign(claims map[string][]string, order []string, s string) *contexts.Assignment {
	a := &contexts.Assignment{
		Contexts: order,
		Info:     map[string]*contexts.Context{},
		Claims:   map[schema.TableName][]contexts.Claim{},
		Static:   map[schema.TableName]bool{},
		Ignored:  map[schema.TableName]bool{},
	}
	for _, c := range order {
		a.Info[c] = &contexts.Context{Name: c, Description: "The " + c + " context", Owner: "team-" + c}
		for _, t := range claims[c] {
			a.Claims[tn(s, t)] = append(a.Claims[tn(s, t)], contexts.Claim{Context: c})
		}
	}
	return a
}

// Hostile names are used in every name and comment of the Hostile schema.
var Hostile = []string{
	`<script>window.pwned=1</script>`,
	`quote"d`,
	`it's`,
	`br]acket`,
	`{brace}`,
	`pi|pe`,
	`a->b`,
	"new\nline",
	`naïve 東京 ü`,
	`back\slash\`,
	`#35;amp&amp;`,
}

// HostileSchema returns a snapshot whose schema, table, column, constraint
// and context names and comments are all hostile, with crossing foreign
// keys between two hostile contexts.
func HostileSchema() (*schema.Snapshot, *contexts.Assignment) {
	const s = `sch"<script>window.pwned=1</script>`
	var tables []schema.Table
	for i, h := range Hostile {
		t := schema.Table{Schema: s, Name: h, Kind: schema.KindTable, Comment: "comment " + h + `<img src=x onerror="window.pwned=1">`,
			Columns: []schema.Column{
				{Name: "id", Type: "integer"},
				{Name: h, Type: `character varying(10) "` + h, Nullable: true, Comment: h},
				{Name: "ref " + h, Type: "integer", Nullable: true},
			},
			PrimaryKey: &schema.Key{Name: h + "_pk", Columns: []string{"id"}},
			Indexes:    []schema.Index{{Name: "ix " + h, Columns: []string{h}, Predicate: h}},
		}
		if i > 0 {
			t.ForeignKeys = []schema.ForeignKey{fk("fk "+h, []string{"ref " + h}, tn(s, Hostile[i-1]), []string{"id"}, schema.Cascade)}
		}
		tables = append(tables, t)
	}
	snap := &schema.Snapshot{
		Format:  schema.FormatVersion,
		Source:  schema.Source{Engine: schema.Postgres, ServerVersion: "15", Database: `db<script>window.pwned=1</script>`, CapturedAt: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)},
		Schemas: []schema.Schema{{Name: s, Comment: `<script>window.pwned=1</script>`}},
		Tables:  tables,
		Views: []schema.View{{Schema: s, Name: `v<script>window.pwned=1</script>`, Definition: `SELECT '<script>window.pwned=1</script>'`,
			Reads: []schema.TableName{tn(s, Hostile[0]), tn(s, Hostile[1])}}},
		Triggers: []schema.Trigger{{Schema: s, Name: `tr"<b>`, Table: tn(s, Hostile[2]), Timing: "AFTER", Events: []string{"UPDATE"}, Level: "ROW",
			Body: `<script>window.pwned=1</script>`, Writes: []schema.TableName{tn(s, Hostile[5])}, Reads: []schema.TableName{}}},
	}
	snap.Normalize()
	ctxA, ctxB := `ctx <script>window.pwned=1</script>`, `ctx "b" {x}|y->z`
	claims := map[string][]string{}
	for i, h := range Hostile {
		c := ctxA
		if i%2 == 1 {
			c = ctxB
		}
		claims[c] = append(claims[c], h)
	}
	a := Assign(claims, []string{ctxA, ctxB}, s)
	a.Info[ctxA].Description = `<script>window.pwned=1</script>`
	return snap, a
}

// Synthetic returns a schema of n tables in contexts of about 50 tables
// each. Each table has six columns and one or two foreign keys, mostly to
// tables of its own context and one in ten to the previous context.
func Synthetic(n int) (*schema.Snapshot, *contexts.Assignment) {
	const s = "app"
	const per = 50
	tables := make([]schema.Table, n)
	claims := map[string][]string{}
	var order []string
	name := func(i int) string { return fmt.Sprintf("t%05d", i) }
	for i := range tables {
		c := fmt.Sprintf("ctx%03d", i/per)
		if i%per == 0 {
			order = append(order, c)
		}
		claims[c] = append(claims[c], name(i))
		t := schema.Table{Schema: s, Name: name(i), Kind: schema.KindTable,
			RowEstimate: schema.Int64(int64(i * 10)),
			Columns: []schema.Column{col("id", "bigint", false), col("parent_id", "bigint", true), col("other_id", "bigint", true),
				col("name", "text", false), col("created_at", "timestamp with time zone", false), col("note", "text", true)},
			PrimaryKey: pk(name(i), "id"),
		}
		if i%per != 0 {
			p := i - 1 - (i*7)%(i%per)
			t.ForeignKeys = append(t.ForeignKeys, fk(name(i)+"_parent_fkey", []string{"parent_id"}, tn(s, name(p)), []string{"id"}, schema.NoAction))
		}
		if i%10 == 3 && i >= per {
			t.ForeignKeys = append(t.ForeignKeys, fk(name(i)+"_other_fkey", []string{"other_id"}, tn(s, name(i-per+1)), []string{"id"}, schema.NoAction))
		}
		tables[i] = t
	}
	snap := &schema.Snapshot{
		Format:  schema.FormatVersion,
		Source:  schema.Source{Engine: schema.Postgres, ServerVersion: "15", Database: "synthetic", CapturedAt: time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)},
		Schemas: []schema.Schema{{Name: s}},
		Tables:  tables,
	}
	snap.Normalize()
	return snap, Assign(claims, order, s)
}
