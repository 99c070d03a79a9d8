package ownership_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/schema"
)

func tn(name string) schema.TableName { return schema.TableName{Schema: "app", Name: name} }

// shop is a small schema: album <- line (order_line) -> orders -> customer,
// stock -> album, customer -> country, tiny -> nothing (a code list nobody
// declares), and item, which orders, stock and line share.
func shop() *schema.Snapshot {
	rows := func(n int64) *int64 { return &n }
	t := func(name string, est *int64, cols []string, fks ...schema.ForeignKey) schema.Table {
		tb := schema.Table{Schema: "app", Name: name, Kind: schema.KindTable, RowEstimate: est, ForeignKeys: fks,
			PrimaryKey: &schema.Key{Name: name + "_pkey", Columns: cols[:1]}}
		for _, c := range cols {
			tb.Columns = append(tb.Columns, schema.Column{Name: c, Type: "integer"})
		}
		return tb
	}
	fk := func(name string, cols []string, parent string, refs []string) schema.ForeignKey {
		return schema.ForeignKey{Name: name, Columns: cols, References: tn(parent), RefColumns: refs, Enforced: true, Valid: true}
	}
	s := &schema.Snapshot{Format: schema.FormatVersion, Source: schema.Source{Engine: schema.Postgres, Database: "shop"},
		Schemas: []schema.Schema{{Name: "app"}},
		Tables: []schema.Table{
			t("album", rows(5000), []string{"id", "title"}),
			t("item", rows(9000), []string{"id", "sku", "price", "stock_level", "location"}),
			t("orders", rows(50000), []string{"id", "customer_id", "item_id"},
				fk("orders_customer_fkey", []string{"customer_id"}, "customer", []string{"id"}),
				fk("orders_item_fkey", []string{"item_id"}, "item", []string{"id"})),
			t("line", rows(90000), []string{"id", "order_id", "album_id"},
				fk("line_order_fkey", []string{"order_id"}, "orders", []string{"id"}),
				fk("line_album_fkey", []string{"album_id"}, "album", []string{"id"})),
			t("stock", rows(7000), []string{"id", "album_id", "item_id"},
				fk("stock_album_fkey", []string{"album_id"}, "album", []string{"id"}),
				fk("stock_item_fkey", []string{"item_id"}, "item", []string{"id"})),
			t("customer", rows(20000), []string{"id", "country"}, fk("customer_country_fkey", []string{"country"}, "country", []string{"id"})),
			t("country", rows(249), []string{"id"}),
			t("tiny", rows(12), []string{"id"}),
		},
	}
	s.Normalize()
	return s
}

func resolve(t *testing.T, s *schema.Snapshot, yaml string) *contexts.Assignment {
	t.Helper()
	m, err := contexts.Parse("map.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestRules pins the ownership rule: for each map, where every table lives
// (Home, Place), what is static and shared, which contexts are proposed,
// and which references and table sets cross a context boundary.
func TestRules(t *testing.T) {
	const base = `
  catalog: {tables: [album]}
  sales: {tables: [orders, line, customer]}
  warehouse: {tables: [stock]}
`
	tests := []struct {
		name string
		yaml string
		opts ownership.Options
		// home and place: table -> "ctx,ctx|place"
		where map[string]string
		// static: table -> "declared"/"inferred"; absent: not static
		static map[string]string
		// shared: table -> "decision owner"
		shared   map[string]string
		proposed []string
		// crossing references: "child.fk" -> "from>to"
		refs map[string]string
		// crosses: "t1,t2" -> "ctx,ctx cross?"
		crosses map[string]string
	}{
		{
			name:   "one claimant each; undeclared small table referenced by one context is not static",
			yaml:   "contexts:" + base + "  stockroom: {tables: [item]}\n",
			where:  map[string]string{"album": "catalog|catalog", "item": "stockroom|stockroom", "country": "|(unassigned)", "tiny": "|(unassigned)"},
			static: map[string]string{},
			shared: map[string]string{},
			refs:   map[string]string{"line.line_album_fkey": "sales>catalog", "stock.stock_item_fkey": "warehouse>stockroom", "customer.customer_country_fkey": ""},
			crosses: map[string]string{"orders,line": "sales -", "orders,album": "catalog,sales cross", "orders,country": "sales -",
				"album,stock,item": "catalog,warehouse,stockroom cross"},
		},
		{
			name:    "declared static data has no home when shared, and no reference into it crosses",
			yaml:    "contexts:" + base + "  stockroom: {tables: [item]}\nstatic: [country]\n",
			where:   map[string]string{"country": "|(static)"},
			static:  map[string]string{"country": "declared"},
			refs:    map[string]string{"customer.customer_country_fkey": ""},
			crosses: map[string]string{"customer,country": "sales -"},
		},
		{
			name:   "a small table two contexts claim is inferred static and leaves them",
			yaml:   "contexts:\n  catalog: {tables: [album, tiny]}\n  sales: {tables: [orders, line, customer, tiny]}\n  warehouse: {tables: [stock, item]}\n",
			where:  map[string]string{"tiny": "|(static)"},
			static: map[string]string{"tiny": "inferred"},
			shared: map[string]string{},
		},
		{
			name:   "a higher threshold makes the 5,000-row album static: two contexts reference it",
			yaml:   "contexts:" + base + "  stockroom: {tables: [item]}\n",
			opts:   ownership.Options{StaticRowThreshold: 6000},
			where:  map[string]string{"album": "catalog|catalog"},
			static: map[string]string{"album": "inferred"},
			refs:   map[string]string{"line.line_album_fkey": "", "stock.stock_album_fkey": ""},
		},
		{
			name:   "shared without declarations: the first claimant owns it, the others depend on it",
			yaml:   "contexts:" + base + "  stockroom: {tables: [item]}\n  sales2: {tables: [item]}\n",
			where:  map[string]string{"item": "stockroom|stockroom"},
			shared: map[string]string{"item": "owner stockroom"},
			refs:   map[string]string{"orders.orders_item_fkey": "sales>stockroom"},
		},
		{
			name:   "shared, the only declared writer owns it",
			yaml:   "contexts:" + base + "  stockroom: {tables: [item]}\n  pricing: {tables: [{item: {access: write}}]}\n",
			where:  map[string]string{"item": "pricing|pricing"},
			shared: map[string]string{"item": "owner pricing"},
		},
		{
			name: "shared, two writers: a proposed context named after the table owns it",
			yaml: `contexts:
  catalog: {tables: [album, {item: {access: write}}]}
  sales: {tables: [orders, line, customer]}
  warehouse: {tables: [stock, {item: {access: readwrite}}]}
`,
			where:    map[string]string{"item": "item|item"},
			shared:   map[string]string{"item": "new item"},
			proposed: []string{"item"},
			refs:     map[string]string{"stock.stock_item_fkey": "warehouse>item", "orders.orders_item_fkey": "sales>item"},
			crosses:  map[string]string{"stock,item": "warehouse,item cross"},
		},
		{
			name: "shared by columns that barely overlap: split; keys into it stay inside each part",
			yaml: `contexts:
  catalog: {tables: [album, {item: {columns: [id, sku, price]}}]}
  sales: {tables: [orders, line, customer]}
  warehouse: {tables: [stock, {item: {columns: [id, stock_level, location]}}]}
`,
			where:   map[string]string{"item": "catalog,warehouse|catalog"},
			shared:  map[string]string{"item": "split catalog"},
			refs:    map[string]string{"stock.stock_item_fkey": "", "orders.orders_item_fkey": "sales>catalog"},
			crosses: map[string]string{"stock,item": "catalog,warehouse -", "album,item": "catalog,warehouse -"},
		},
		{
			name:  "ignored tables are nowhere",
			yaml:  "contexts:" + base + "ignore: [item, tiny]\n",
			where: map[string]string{"item": "|", "tiny": "|"},
			refs:  map[string]string{"stock.stock_item_fkey": ""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := shop()
			m := ownership.New(s, resolve(t, s, tt.yaml), tt.opts)
			for table, want := range tt.where {
				got := strings.Join(m.Home(tn(table)), ",") + "|" + m.Place(tn(table))
				if got != want {
					t.Errorf("%s: home|place %q, want %q", table, got, want)
				}
			}
			for _, tb := range s.Tables {
				want, ok := tt.static[tb.Name]
				sd := m.Static(tb.TableName())
				switch {
				case tt.static == nil:
				case !ok && sd != nil:
					t.Errorf("%s is static, want not", tb.Name)
				case ok && (sd == nil || sd.Declared != (want == "declared")):
					t.Errorf("%s: static %+v, want %s", tb.Name, sd, want)
				}
			}
			for _, tb := range s.Tables {
				want, ok := tt.shared[tb.Name]
				sh := m.Shared(tb.TableName())
				switch {
				case tt.shared == nil:
				case !ok && sh != nil:
					t.Errorf("%s is shared (%+v), want not", tb.Name, sh)
				case ok && (sh == nil || decision(sh) != want):
					t.Errorf("%s: shared %v, want %s", tb.Name, sh, want)
				}
			}
			var proposed []string
			for _, c := range m.Contexts() {
				if m.IsProposed(c) {
					proposed = append(proposed, c)
				}
			}
			if !slices.Equal(proposed, tt.proposed) {
				t.Errorf("proposed %v, want %v", proposed, tt.proposed)
			}
			for ref, want := range tt.refs {
				child, fkName, _ := strings.Cut(ref, ".")
				i := slices.IndexFunc(m.ForeignKeys(), func(r ownership.FK) bool { return r.Child == tn(child) && r.Key.Name == fkName })
				if i < 0 {
					t.Fatalf("no foreign key %s", ref)
				}
				from, to := m.Crossing(m.ForeignKeys()[i])
				got := ""
				if len(from) > 0 {
					got = strings.Join(from, ",") + ">" + strings.Join(to, ",")
				}
				if got != want {
					t.Errorf("%s crosses %q, want %q", ref, got, want)
				}
			}
			for set, want := range tt.crosses {
				var ns []schema.TableName
				for _, n := range strings.Split(set, ",") {
					ns = append(ns, tn(n))
				}
				ctxs, cross := m.Crosses(ns)
				got := strings.Join(ctxs, ",") + " -"
				if cross {
					got = strings.Join(ctxs, ",") + " cross"
				}
				if got != want {
					t.Errorf("Crosses(%s) = %q, want %q", set, got, want)
				}
			}
		})
	}
}

func decision(sh *ownership.Shared) string {
	switch sh.Decision {
	case ownership.NewContext:
		return "new " + sh.Owner
	case ownership.SplitByColumns:
		return "split " + sh.Owner
	}
	return fmt.Sprint("owner ", sh.Owner)
}

// TestNoMap: without a map nothing has a home and nothing crosses.
func TestNoMap(t *testing.T) {
	s := shop()
	m := ownership.New(s, nil, ownership.Options{})
	if len(m.Contexts()) != 0 || m.Place(tn("album")) != ownership.Unassigned {
		t.Errorf("contexts %v, album placed in %q", m.Contexts(), m.Place(tn("album")))
	}
	for _, r := range m.ForeignKeys() {
		if from, _ := m.Crossing(r); len(from) > 0 {
			t.Errorf("%s crosses without a map", r.Name())
		}
	}
}

// TestWithin: the contexts a set of tables stays inside keep every table;
// static data does not count, a table no one owns leaves none.
func TestWithin(t *testing.T) {
	s := shop()
	m := ownership.New(s, resolve(t, s, `contexts:
  catalog: {tables: [album, {item: {columns: [id, sku, price]}}]}
  sales: {tables: [orders, line, customer]}
  warehouse: {tables: [stock, {item: {columns: [id, stock_level, location]}}]}
static: [country]
`), ownership.Options{})
	for set, want := range map[string]string{
		"orders,line":      "sales",
		"customer,country": "sales",
		"album,item":       "catalog", // item is split: catalog keeps the original
		"stock,item":       "",
		"orders,tiny":      "", // tiny has no owner
		"country":          "",
	} {
		var ns []schema.TableName
		for _, n := range strings.Split(set, ",") {
			ns = append(ns, tn(n))
		}
		if got := strings.Join(m.Within(ns), ","); got != want {
			t.Errorf("Within(%s) = %q, want %q", set, got, want)
		}
	}
}
