package plan_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// name parses "schema.table" or "table" (schema app).
func name(s string) schema.TableName {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return schema.TableName{Schema: s[:i], Name: s[i+1:]}
	}
	return schema.TableName{Schema: "app", Name: s}
}

// table makes a table whose first column is its primary key.
func table(n string, cols ...string) schema.Table {
	tn := name(n)
	t := schema.Table{Schema: tn.Schema, Name: tn.Name, Kind: schema.KindTable}
	for _, c := range cols {
		t.Columns = append(t.Columns, schema.Column{Name: c, Type: "integer", Nullable: c != cols[0]})
	}
	if len(cols) > 0 {
		t.PrimaryKey = &schema.Key{Name: tn.Name + "_pkey", Columns: cols[:1]}
	}
	return t
}

// fk adds a foreign key "cols -> parent(refs)" to t.
func fk(t schema.Table, fkName string, cols []string, parent string, refs []string, onDelete schema.Action) schema.Table {
	t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{
		Name: fkName, Columns: cols, References: name(parent), RefColumns: refs,
		OnDelete: onDelete, OnUpdate: schema.NoAction, Enforced: true, Valid: true,
	})
	return t
}

func snap(tables ...schema.Table) *schema.Snapshot {
	s := &schema.Snapshot{Format: 1, Source: schema.Source{Engine: schema.Postgres, Database: "shop"}, Tables: tables}
	s.Schemas = []schema.Schema{{Name: "app"}}
	s.Normalize()
	return s
}

// assign parses "ctx: t1, t2(c1,c2)+w; ctx2: t3; static: t4; ignore: t5"
// into an Assignment; "+w" declares readwrite access, "(cols)" columns.
func assign(s *schema.Snapshot, spec string) *contexts.Assignment {
	a := &contexts.Assignment{Claims: map[schema.TableName][]contexts.Claim{}, Static: map[schema.TableName]bool{}, Ignored: map[schema.TableName]bool{}, Info: map[string]*contexts.Context{}}
	claimed := map[schema.TableName]bool{}
	for _, part := range strings.Split(spec, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		ctx, list, _ := strings.Cut(part, ":")
		ctx = strings.TrimSpace(ctx)
		var items []string
		depth := 0
		cur := ""
		for _, r := range list {
			switch {
			case r == '(':
				depth++
			case r == ')':
				depth--
			}
			if r == ',' && depth == 0 {
				items = append(items, cur)
				cur = ""
				continue
			}
			cur += string(r)
		}
		items = append(items, cur)
		if ctx != "static" && ctx != "ignore" {
			a.Contexts = append(a.Contexts, ctx)
			a.Info[ctx] = &contexts.Context{Name: ctx, Roles: []string{ctx}} // a role named like the context
		}
		for _, it := range items {
			it = strings.TrimSpace(it)
			if it == "" {
				continue
			}
			c := contexts.Claim{Context: ctx}
			if strings.HasSuffix(it, "+w") {
				c.Access = contexts.AccessReadWrite
				it = strings.TrimSuffix(it, "+w")
			}
			if i := strings.IndexByte(it, '('); i >= 0 {
				c.Columns = strings.Split(strings.TrimSuffix(it[i+1:], ")"), ",")
				it = it[:i]
			}
			n := name(it)
			switch ctx {
			case "static":
				a.Static[n] = true
			case "ignore":
				a.Ignored[n] = true
			default:
				a.Claims[n] = append(a.Claims[n], c)
				claimed[n] = true
			}
		}
	}
	for _, t := range s.Tables {
		n := t.TableName()
		if !t.IsPartition() && !claimed[n] && !a.Static[n] && !a.Ignored[n] {
			a.Unassigned = append(a.Unassigned, n)
		}
	}
	return a
}

func build(t *testing.T, s *schema.Snapshot, spec string, opts ...ownership.Options) *plan.Plan {
	t.Helper()
	var o ownership.Options
	if len(opts) > 0 {
		o = opts[0]
	}
	p, err := planOf(s, assign(s, spec), o)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return p
}

// ids lists the IDs of the findings of a kind.
func ids(p *plan.Plan, k plan.Kind) []string {
	var out []string
	for _, f := range p.Findings {
		if f.Kind == k {
			out = append(out, f.ID)
		}
	}
	return out
}

func finding(t *testing.T, p *plan.Plan, id string) plan.Finding {
	t.Helper()
	for _, f := range p.Findings {
		if f.ID == id {
			return f
		}
	}
	var all []string
	for _, f := range p.Findings {
		all = append(all, f.ID)
	}
	t.Fatalf("no finding %s; have %v", id, all)
	return plan.Finding{}
}

func TestForeignKeyRule(t *testing.T) {
	album := table("album", "id", "title")
	tests := []struct {
		name     string
		tables   []schema.Table
		spec     string
		wantFK   []string
		wantCasc bool // the key's finding carries the cascade fact
		wantRec  string
		wantCols []string
		wantDeps string
	}{{
		name:    "restrict across contexts",
		tables:  []schema.Table{album, fk(table("ledger", "id", "album_id"), "ledger_album", []string{"album_id"}, "album", []string{"id"}, schema.Restrict)},
		spec:    "catalog: album; finance: ledger",
		wantFK:  []string{"fk/app/ledger/ledger_album"},
		wantRec: "Check before delete through an API", wantCols: []string{"album_id"},
		wantDeps: "finance->catalog:1",
	}, {
		name:     "cascade across contexts",
		tables:   []schema.Table{album, fk(table("listen", "id", "album_id"), "listen_album", []string{"album_id"}, "album", []string{"id"}, schema.Cascade)},
		spec:     "catalog: album; reco: listen",
		wantFK:   []string{"fk/app/listen/listen_album"},
		wantCasc: true,
		wantRec:  "Delete asynchronously on an event", wantCols: []string{"album_id"},
		wantDeps: "reco->catalog:1",
	}, {
		name:     "set null across contexts",
		tables:   []schema.Table{album, fk(table("listen", "id", "album_id"), "listen_album", []string{"album_id"}, "album", []string{"id"}, schema.SetNull)},
		spec:     "catalog: album; reco: listen",
		wantFK:   []string{"fk/app/listen/listen_album"},
		wantCasc: true,
		wantRec:  "Clear the reference asynchronously on an event", wantCols: []string{"album_id"},
		wantDeps: "reco->catalog:1",
	}, {
		name: "composite key is one finding",
		tables: []schema.Table{
			func() schema.Table {
				t := table("orders", "region", "no")
				t.PrimaryKey.Columns = []string{"region", "no"}
				return t
			}(),
			fk(table("picking", "id", "region", "no"), "picking_order", []string{"region", "no"}, "orders", []string{"region", "no"}, schema.NoAction),
		},
		spec:    "finance: orders; warehouse: picking",
		wantFK:  []string{"fk/app/picking/picking_order"},
		wantRec: "Check before delete through an API", wantCols: []string{"region", "no"},
		wantDeps: "warehouse->finance:1",
	}, {
		name:   "self reference is no finding",
		tables: []schema.Table{fk(table("genre", "id", "parent_id"), "genre_parent", []string{"parent_id"}, "genre", []string{"id"}, schema.Cascade)},
		spec:   "catalog: genre",
	}, {
		name:   "key inside one context is no finding",
		tables: []schema.Table{album, fk(table("track", "id", "album_id"), "track_album", []string{"album_id"}, "album", []string{"id"}, schema.Cascade)},
		spec:   "catalog: album, track",
	}, {
		name:   "key to an unassigned table is no cross-context finding",
		tables: []schema.Table{album, fk(table("gift", "id", "album_id"), "gift_album", []string{"album_id"}, "album", []string{"id"}, schema.Cascade)},
		spec:   "catalog: album",
	}, {
		name: "key of a partitioned table counts once, on the parent",
		tables: func() []schema.Table {
			parent := fk(table("event", "id", "album_id"), "event_album", []string{"album_id"}, "album", []string{"id"}, schema.Restrict)
			parent.Kind = schema.KindPartitioned
			var out = []schema.Table{album, parent}
			for _, p := range []string{"event_2025", "event_2026"} {
				c := fk(table(p, "id", "album_id"), "event_album", []string{"album_id"}, "album", []string{"id"}, schema.Restrict)
				pn := name("event")
				c.PartitionOf = &pn
				out = append(out, c)
			}
			return out
		}(),
		spec:    "catalog: album; reco: event",
		wantFK:  []string{"fk/app/event/event_album"},
		wantRec: "Check before delete through an API", wantCols: []string{"album_id"},
		wantDeps: "reco->catalog:1",
	}, {
		name: "key on a partition alone is the partition's, in its root's context",
		tables: func() []schema.Table {
			parent := table("event", "id", "album_id")
			parent.Kind = schema.KindPartitioned
			c := fk(table("event_2025", "id", "album_id"), "event_2025_album", []string{"album_id"}, "album", []string{"id"}, schema.Restrict)
			pn := name("event")
			c.PartitionOf = &pn
			return []schema.Table{album, parent, c}
		}(),
		spec:    "catalog: album; reco: event",
		wantFK:  []string{"fk/app/event_2025/event_2025_album"},
		wantRec: "Check before delete through an API", wantCols: []string{"album_id"},
		wantDeps: "reco->catalog:1",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(t, snap(tt.tables...), tt.spec)
			if got := ids(p, plan.KindForeignKey); !slices.Equal(got, tt.wantFK) {
				t.Errorf("fk findings %v, want %v", got, tt.wantFK)
			}
			// One coupling, one finding: a key whose action cascades
			// across the boundary is not reported a second time.
			for _, f := range p.Findings {
				if f.Kind != plan.KindForeignKey && f.Kind != plan.KindUnassigned {
					t.Errorf("finding %s (%s), want only the keys' findings", f.ID, f.Kind)
				}
			}
			if len(tt.wantFK) > 0 {
				f := finding(t, p, tt.wantFK[0])
				if f.Recommendation.Name != tt.wantRec || f.Recommendation.Pattern != "Move Foreign-Key Relationship to Code" {
					t.Errorf("recommendation %q (%s), want %q", f.Recommendation.Name, f.Recommendation.Pattern, tt.wantRec)
				}
				if !slices.Equal(f.Objects[0].Columns, tt.wantCols) {
					t.Errorf("columns %v, want %v", f.Objects[0].Columns, tt.wantCols)
				}
				wantSev, wantFacts := plan.Medium, []string(nil)
				if tt.wantCasc {
					wantSev, wantFacts = plan.High, []string{plan.FactCascade}
				}
				if f.Severity != wantSev || !slices.Contains(f.Patterns, "Drop Foreign Key Constraint") || !slices.Equal(f.Facts, wantFacts) {
					t.Errorf("severity %s patterns %v facts %v, want %s and facts %v", f.Severity, f.Patterns, f.Facts, wantSev, wantFacts)
				}
				if saga := slices.ContainsFunc(f.Alternatives, func(o plan.Option) bool { return o.Pattern == "Saga" }); saga != tt.wantCasc {
					t.Errorf("saga among the alternatives: %v, want %v", saga, tt.wantCasc)
				}
			}
			if got := deps(p); got != tt.wantDeps {
				t.Errorf("dependencies %q, want %q", got, tt.wantDeps)
			}
			if len(tt.wantFK) > 0 {
				st := stepFor(p, tt.wantFK[0])
				if st == nil || len(st.Up) != 1 || !strings.Contains(st.Up[0], "DROP CONSTRAINT") || len(st.Verify) != 1 || st.Verify[0].Expect != "0" {
					t.Errorf("no drop step for %s: %+v", tt.wantFK[0], st)
				}
			}
		})
	}
}

// deps writes the dependency edges as "from->to:weight" joined by spaces.
func deps(p *plan.Plan) string {
	var out []string
	for _, d := range p.Dependencies {
		out = append(out, d.From+"->"+d.To+":"+itoa(d.Weight()))
	}
	return strings.Join(out, " ")
}

func itoa(n int) string { return strconv.Itoa(n) }

// stepFor returns the step that resolves a finding.
func stepFor(p *plan.Plan, id string) *plan.Step {
	for i := range p.Steps {
		if slices.Contains(p.Steps[i].FindingIDs, id) {
			return &p.Steps[i]
		}
	}
	return nil
}

func TestStaticRule(t *testing.T) {
	country := table("country", "code", "name")
	artist := fk(table("artist", "id", "country_code"), "artist_country", []string{"country_code"}, "country", []string{"code"}, schema.Restrict)
	supplier := fk(table("supplier", "id", "country_code"), "supplier_country", []string{"country_code"}, "country", []string{"code"}, schema.Restrict)
	with := func(rows, writes int64) schema.Table {
		c := country
		c.RowEstimate = schema.Int64(rows)
		if writes >= 0 {
			c.Stats = &schema.TableStats{Source: "pg_stat_user_tables", Inserted: schema.Int64(writes), Updated: schema.Int64(0), Deleted: schema.Int64(0)}
		}
		return c
	}
	tests := []struct {
		name       string
		country    schema.Table
		spec       string
		threshold  int64
		wantStatic bool
		wantFKs    int // cross-context fk findings
	}{
		{"declared under static", country, "catalog: artist; warehouse: supplier; static: country", 0, true, 0},
		{"small, unwritten, used by two contexts", with(249, 0), "catalog: artist; warehouse: supplier; geo: country", 0, true, 0},
		{"small without counters", with(249, -1), "catalog: artist; warehouse: supplier; geo: country", 0, true, 0},
		{"empty table is no evidence", with(0, 0), "catalog: artist; warehouse: supplier; geo: country", 0, false, 2},
		{"empty but declared", with(0, 0), "catalog: artist; warehouse: supplier; static: country", 0, true, 0},
		{"too many rows", with(5000, 0), "catalog: artist; warehouse: supplier; geo: country", 0, false, 2},
		{"threshold raised", with(5000, 0), "catalog: artist; warehouse: supplier; geo: country", 10000, true, 0},
		{"written often", with(249, 900), "catalog: artist; warehouse: supplier; geo: country", 0, false, 2},
		{"small but used by one context", with(249, 0), "catalog: artist, supplier, country", 0, false, 0},
		{"declared writes are not static", with(249, 0), "catalog: artist; warehouse: supplier; geo: country+w", 0, false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(t, snap(tt.country, artist, supplier), tt.spec, ownership.Options{StaticRowThreshold: tt.threshold})
			got := ids(p, plan.KindStaticData)
			if tt.wantStatic != (len(got) == 1) {
				t.Fatalf("static findings %v, want static=%v", got, tt.wantStatic)
			}
			if n := len(ids(p, plan.KindForeignKey)); n != tt.wantFKs {
				t.Errorf("%d fk findings, want %d", n, tt.wantFKs)
			}
			if !tt.wantStatic {
				return
			}
			f := finding(t, p, "static/app/country")
			if f.Recommendation.Pattern != "Static Reference Data as Code" || f.Severity != plan.Low {
				t.Errorf("recommendation %+v", f.Recommendation)
			}
			var fks []string
			for _, o := range f.Objects {
				if o.Type == "foreign_key" {
					fks = append(fks, o.Name)
				}
			}
			if !slices.Equal(fks, []string{"artist_country", "supplier_country"}) {
				t.Errorf("evidence keys %v", fks)
			}
			if got := plan.StaticTables(p); len(got) != 1 || got[0] != name("country") {
				t.Errorf("StaticTables = %v", got)
			}
			// each context drops its own key to the static table
			var drops []string
			for _, s := range p.Steps {
				if slices.Contains(s.FindingIDs, f.ID) {
					drops = append(drops, s.Context+":"+strings.Join(s.Up, ""))
				}
			}
			if len(drops) != 2 || !strings.Contains(drops[0], "artist_country") || !strings.Contains(drops[1], "supplier_country") {
				t.Errorf("static steps %v", drops)
			}
		})
	}
}

func TestSharedTableRule(t *testing.T) {
	item := table("line_item", "id", "sku", "title", "price", "stock", "location", "cost", "margin")
	tests := []struct {
		name      string
		spec      string
		wantKind  plan.Kind
		wantRec   string
		wantSplit int // tables created by split steps
		wantEv    string
		wantStep  string
	}{{
		name:      "three contexts with disjoint columns: split",
		spec:      "catalog: line_item(id,sku,title,price); warehouse: line_item(id,stock,location); finance: line_item(id,cost,margin)",
		wantKind:  plan.KindSharedTable,
		wantRec:   "Split Table",
		wantSplit: 2, // catalog keeps the original
	}, {
		name:     "contested columns: one owner",
		spec:     "catalog: line_item(id,sku,title,price); warehouse: line_item(id,sku,title,price,stock)",
		wantKind: plan.KindSharedTable,
		wantRec:  "Change Data Ownership",
		wantEv:   "columns used by more than one context: sku, title, price",
	}, {
		name:     "columns not declared: one owner",
		spec:     "catalog: line_item; warehouse: line_item",
		wantKind: plan.KindSharedTable,
		wantRec:  "Change Data Ownership",
		wantEv:   "warehouse does not declare the columns it uses",
		wantStep: "use_catalog_api_for_line_item_in_warehouse",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(t, snap(item), tt.spec)
			f := finding(t, p, "shared-table/app/line_item")
			if f.Recommendation.Pattern != tt.wantRec {
				t.Errorf("recommendation %s, want %s", f.Recommendation.Pattern, tt.wantRec)
			}
			if tt.wantEv != "" && !slices.Contains(f.Evidence, tt.wantEv) {
				t.Errorf("evidence %q lacks %q", f.Evidence, tt.wantEv)
			}
			creates := 0
			for _, s := range p.Steps {
				for _, u := range s.Up {
					if strings.HasPrefix(u, "CREATE TABLE") {
						creates++
					}
				}
			}
			if creates != tt.wantSplit {
				t.Errorf("%d tables created, want %d", creates, tt.wantSplit)
			}
			if tt.wantStep != "" && !slices.ContainsFunc(p.Steps, func(s plan.Step) bool { return s.Slug == tt.wantStep && s.Context == "warehouse" }) {
				t.Errorf("no step %s", tt.wantStep)
			}
			if len(ids(p, plan.KindSharedMutable)) != 0 {
				t.Errorf("no writes declared, yet shared mutable data found")
			}
		})
	}
}

func TestSharedMutableRule(t *testing.T) {
	customer := table("customer", "id", "email", "paid", "address")
	payment := fk(table("payment", "id", "customer_id"), "payment_customer", []string{"customer_id"}, "customer", []string{"id"}, schema.Restrict)
	p := build(t, snap(customer, payment), "finance: payment, customer(id,email,paid)+w; warehouse: customer(id,address)+w")
	f := finding(t, p, "shared-data/app/customer")
	if f.Severity != plan.High || f.Recommendation.Pattern != "Change Data Ownership" || !strings.Contains(f.Recommendation.Name, "customer") {
		t.Errorf("finding %+v", f)
	}
	var proposed []string
	for _, c := range p.Contexts {
		if c.Proposed {
			proposed = append(proposed, c.Name)
		}
	}
	if !slices.Equal(proposed, []string{"customer"}) {
		t.Errorf("proposed contexts %v", proposed)
	}
	// finance's key to customer now crosses into the new context
	if got := ids(p, plan.KindForeignKey); !slices.Equal(got, []string{"fk/app/payment/payment_customer"}) {
		t.Errorf("fk findings %v", got)
	}
	if got := deps(p); got != "finance->customer:2 warehouse->customer:1" {
		t.Errorf("deps %q", got)
	}
	if p.Order[len(p.Order)-1] != "customer" {
		t.Errorf("order %v: the owner of shared data goes last", p.Order)
	}
}

func TestViewAndTriggerRules(t *testing.T) {
	ledger, album, artist, refund, stock := table("ledger", "id"), table("album", "id"), table("artist", "id"), table("refund", "id"), table("stock", "id")
	s := snap(ledger, album, artist, refund, stock)
	s.Views = []schema.View{
		{Schema: "app", Name: "sales", Reads: []schema.TableName{name("ledger"), name("summary")}},
		{Schema: "app", Name: "summary", Reads: []schema.TableName{name("album"), name("artist")}},
	}
	s.Triggers = []schema.Trigger{
		{Schema: "app", Name: "restock", Table: name("refund"), Timing: "AFTER", Events: []string{"INSERT"}, Level: "ROW", Writes: []schema.TableName{name("stock")}, Reads: []schema.TableName{}},
		{Schema: "app", Name: "peek", Table: name("refund"), Timing: "AFTER", Events: []string{"UPDATE"}, Level: "ROW", Writes: []schema.TableName{}, Reads: []schema.TableName{name("album")}},
		{Schema: "app", Name: "touch", Table: name("album"), Timing: "BEFORE", Events: []string{"UPDATE"}, Level: "ROW", Writes: []schema.TableName{name("album")}, Reads: []schema.TableName{name("artist")}},
	}
	s.Normalize()
	p := build(t, s, "catalog: album, artist; finance: ledger, refund; warehouse: stock")
	if got := ids(p, plan.KindView); !slices.Equal(got, []string{"view/app/sales"}) {
		t.Errorf("view findings %v (summary reads one context only)", got)
	}
	if f := finding(t, p, "view/app/sales"); !slices.Equal(f.Contexts, []string{"catalog", "finance"}) {
		t.Errorf("view contexts %v (read through the other view)", f.Contexts)
	}
	if got := ids(p, plan.KindTrigger); !slices.Equal(got, []string{"trigger/app/refund/restock", "trigger/app/refund/peek"}) {
		t.Errorf("trigger findings %v", got)
	}
	if f := finding(t, p, "trigger/app/refund/restock"); f.Severity != plan.High || f.Recommendation.Pattern != "Replace Trigger With Code" {
		t.Errorf("writing trigger %s %s", f.Severity, f.Recommendation.Pattern)
	}
	if f := finding(t, p, "trigger/app/refund/peek"); f.Severity != plan.Medium {
		t.Errorf("reading trigger %s", f.Severity)
	}
	if got := deps(p); got != "finance->catalog:1 finance->warehouse:1" {
		t.Errorf("deps %q", got)
	}
}

func TestUnassignedRule(t *testing.T) {
	order := table("orders", "id")
	payment := table("payment", "id")
	gift := fk(fk(table("gift", "id", "order_id", "payment_id"), "gift_order", []string{"order_id"}, "orders", []string{"id"}, schema.Restrict),
		"gift_payment", []string{"payment_id"}, "payment", []string{"id"}, schema.Restrict)
	audit, migrations := table("audit", "id"), table("schema_migrations", "v")
	p := build(t, snap(order, payment, gift, audit, migrations), "finance: orders, payment; ignore: schema_migrations")
	if got := ids(p, plan.KindUnassigned); !slices.Equal(got, []string{"unassigned/app/audit", "unassigned/app/gift"}) {
		t.Fatalf("unassigned %v", got)
	}
	if f := finding(t, p, "unassigned/app/gift"); f.Recommendation.Name != "Assign it to finance" || !slices.Equal(f.Contexts, []string{"finance"}) {
		t.Errorf("gift: %+v", f.Recommendation)
	}
	if f := finding(t, p, "unassigned/app/audit"); f.Recommendation.Name != "Assign it to a context" {
		t.Errorf("audit: %+v", f.Recommendation)
	}
	if len(p.Unassigned) != 2 {
		t.Errorf("Unassigned %v", p.Unassigned)
	}
}

// TestUnassignedHome checks that a table no context claims gets the home
// its couplings propose when no foreign key ties it: a view, a trigger,
// a statement, a unit of work, an inferred reference; the strongest wins
// and the evidence names the couplings.
func TestUnassignedHome(t *testing.T) {
	base := func() *schema.Snapshot {
		return snap(table("orders", "id"), table("payment", "id"), table("stock", "id"), table("notes", "id", "order_id"))
	}
	cases := []struct {
		name     string
		edit     func(s *schema.Snapshot)
		home     string
		evidence string
	}{
		{"nothing ties it", func(*schema.Snapshot) {}, "", ""},
		{"a view", func(s *schema.Snapshot) {
			s.Views = []schema.View{{Schema: "app", Name: "v", Reads: []schema.TableName{name("notes"), name("stock")}}}
		}, "warehouse", "tied to warehouse by 1 view (stock; weight 1.00)"},
		{"a trigger", func(s *schema.Snapshot) {
			s.Triggers = []schema.Trigger{{Schema: "app", Name: "t", Table: name("notes"), Timing: "AFTER", Events: []string{"INSERT"}, Level: "ROW",
				Writes: []schema.TableName{name("payment")}, Reads: []schema.TableName{}}}
		}, "finance", "tied to finance by 1 trigger (payment; weight 1.00)"},
		{"statements and a unit of work outweigh a view", func(s *schema.Snapshot) {
			s.Views = []schema.View{{Schema: "app", Name: "v", Reads: []schema.TableName{name("notes"), name("stock")}}}
			s.Usage = &schema.Usage{Statements: []schema.Statement{
				{ID: "code/1", Source: schema.SourceCode, Calls: 100, Reads: []schema.TableName{name("notes"), name("orders")}},
			}, Units: []schema.Unit{{Location: schema.Location{File: "a.go", Line: 1}, Writes: []schema.TableName{name("notes"), name("orders")}}}}
		}, "finance", "tied to finance by 1 statement, 1 unit of work (orders; weight 3.00)"},
		{"an inferred reference", func(s *schema.Snapshot) {
			s.Inferred = []schema.InferredReference{{Table: name("notes"), Columns: []string{"order_id"}, References: name("orders"),
				RefColumns: []string{"id"}, Score: 0.9, Evidence: []schema.Evidence{{Source: schema.EvidenceName, Detail: "order_id", Score: 0.9}}}}
		}, "finance", "tied to finance by 1 reference no foreign key declares (orders; weight 0.90)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := base()
			tc.edit(s)
			s.Normalize()
			p := build(t, s, "finance: orders, payment; warehouse: stock")
			f := finding(t, p, "unassigned/app/notes")
			if tc.home == "" {
				if f.Recommendation.Name != "Assign it to a context" || len(f.Evidence) != 1 {
					t.Errorf("%s: %+v", f.Recommendation.Name, f.Evidence)
				}
				return
			}
			if f.Recommendation.Name != "Assign it to "+tc.home || !slices.Equal(f.Contexts, []string{tc.home}) {
				t.Errorf("recommendation %q contexts %v, want %s", f.Recommendation.Name, f.Contexts, tc.home)
			}
			if !slices.Contains(f.Evidence, tc.evidence) {
				t.Errorf("evidence %q, want %q", f.Evidence, tc.evidence)
			}
		})
	}
}

func TestEmptyMap(t *testing.T) {
	album := table("album", "id")
	track := fk(table("track", "id", "album_id"), "track_album", []string{"album_id"}, "album", []string{"id"}, schema.Cascade)
	p := build(t, snap(album, track), "")
	if len(p.Contexts) != 0 || len(p.Steps) != 0 || len(p.Order) != 0 || len(p.Dependencies) != 0 {
		t.Errorf("contexts %v steps %d order %v", p.Contexts, len(p.Steps), p.Order)
	}
	if got := ids(p, plan.KindUnassigned); len(got) != 2 || len(p.Findings) != 2 {
		t.Errorf("findings %v", p.Findings)
	}
	p, err := planOf(snap(), nil)
	if err != nil || len(p.Findings) != 0 {
		t.Errorf("empty snapshot: %v %v", err, p)
	}
}

func TestMapClaimingEveryTable(t *testing.T) {
	album, artist := table("album", "id"), table("artist", "id")
	track := fk(table("track", "id", "album_id"), "track_album", []string{"album_id"}, "album", []string{"id"}, schema.Cascade)
	ledger := table("ledger", "id")
	p := build(t, snap(album, artist, track, ledger), "catalog: album, artist, track; finance: ledger")
	if len(p.Findings) != 0 {
		t.Errorf("findings %v", p.Findings)
	}
	var got []string
	for _, s := range p.Steps {
		got = append(got, s.Slug)
	}
	want := []string{"separate_catalog", "service_catalog", "separate_finance", "service_finance"}
	if !slices.Equal(got, want) {
		t.Errorf("steps %v, want %v", got, want)
	}
	if len(p.Steps[0].Up) != 4 || p.Steps[0].Up[0] != `CREATE SCHEMA "catalog"` || p.Steps[0].Verify[0].Expect != "3" {
		t.Errorf("separate catalog: %q", p.Steps[0].Up)
	}
}

func TestCycleOfThree(t *testing.T) {
	a1, a2 := table("a1", "id", "b"), table("a2", "id", "b")
	b1 := table("b1", "id", "c")
	c1, c2, c3 := table("c1", "id", "a"), table("c2", "id", "a"), table("c3", "id", "a")
	// a -> b twice, b -> c once, c -> a three times: break b -> c.
	a1 = fk(a1, "a1_b", []string{"b"}, "b1", []string{"id"}, schema.Restrict)
	a2 = fk(a2, "a2_b", []string{"b"}, "b1", []string{"id"}, schema.Restrict)
	b1 = fk(b1, "b1_c", []string{"c"}, "c1", []string{"id"}, schema.Restrict)
	c1 = fk(c1, "c1_a", []string{"a"}, "a1", []string{"id"}, schema.Restrict)
	c2 = fk(c2, "c2_a", []string{"a"}, "a1", []string{"id"}, schema.Restrict)
	c3 = fk(c3, "c3_a", []string{"a"}, "a2", []string{"id"}, schema.Restrict)
	p := build(t, snap(a1, a2, b1, c1, c2, c3), "a: a1, a2; b: b1; c: c1, c2, c3; d: ")
	if len(p.Cycles) != 1 || !slices.Equal(p.Cycles[0], []string{"a", "b", "c"}) {
		t.Fatalf("cycles %v", p.Cycles)
	}
	f := finding(t, p, "cycle/a+b+c")
	if len(f.Objects) != 1 || f.Objects[0].Name != "b1_c" {
		t.Errorf("cycle breaks at %+v, want b1_c", f.Objects)
	}
	if p.Steps[0].FindingIDs[len(p.Steps[0].FindingIDs)-1] != "fk/app/b1/b1_c" || !slices.Contains(p.Steps[0].FindingIDs, "cycle/a+b+c") {
		t.Errorf("first step %+v", p.Steps[0])
	}
	// with b -> c broken: c (nobody left depends on it) first, then a, then b.
	if !slices.Equal(p.Order, []string{"d", "c", "a", "b"}) {
		t.Errorf("order %v", p.Order)
	}
}

func TestDeterministic(t *testing.T) {
	mk := func(rev bool) []byte {
		tables := []schema.Table{
			table("album", "id"), table("artist", "id"),
			fk(table("ledger", "id", "album_id"), "ledger_album", []string{"album_id"}, "album", []string{"id"}, schema.Cascade),
			fk(table("listen", "id", "album_id"), "listen_album", []string{"album_id"}, "album", []string{"id"}, schema.SetNull),
			table("line_item", "id", "a", "b"),
		}
		if rev {
			slices.Reverse(tables)
		}
		s := &schema.Snapshot{Format: 1, Source: schema.Source{Engine: schema.MariaDB, Database: "shop"}, Tables: tables}
		p := build(t, s, "catalog: album, artist, line_item(id,a); finance: ledger, line_item(id,b); reco: listen")
		var buf bytes.Buffer
		if err := p.Encode(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := mk(false), mk(true)
	if !bytes.Equal(a, b) {
		t.Errorf("plan depends on the order of the snapshot's tables:\n%s\n---\n%s", a, b)
	}
	if !bytes.Contains(a, []byte("`shop_catalog`")) {
		t.Errorf("MySQL namespaces are <database>_<context>:\n%s", a)
	}
}

func claim(ctx string) contexts.Claim { return contexts.Claim{Context: ctx} }

// partitioned returns a partitioned table "event" with the given
// partitions, each carrying the keys that keys returns for it.
func partitioned(parts []string, keys func(part string) []schema.ForeignKey) []schema.Table {
	parent := table("event", "id", "album_id", "track_id")
	parent.Kind = schema.KindPartitioned
	out := []schema.Table{parent}
	for _, p := range parts {
		c := table(p, "id", "album_id", "track_id")
		pn := name("event")
		c.PartitionOf = &pn
		c.ForeignKeys = keys(p)
		out = append(out, c)
	}
	return out
}

func TestPartitionKeysRule(t *testing.T) {
	album := table("album", "id", "title")
	track := table("track", "id", "title")
	key := func(n, col, parent string, del schema.Action) schema.ForeignKey {
		return schema.ForeignKey{Name: n, Columns: []string{col}, References: name(parent), RefColumns: []string{"id"},
			OnDelete: del, OnUpdate: schema.NoAction, Enforced: true, Valid: true}
	}
	parts := []string{"event_2026", "event_2024", "event_2025"}
	tests := []struct {
		name    string
		keys    func(part string) []schema.ForeignKey
		wantFK  []string
		wantObj map[string][]string // finding -> constraint names among its objects
		wantUp  map[string]int      // finding -> statements of its step
	}{{
		name: "equivalent keys on every partition are one finding on the parent",
		keys: func(p string) []schema.ForeignKey {
			return []schema.ForeignKey{key(p+"_album_fkey", "album_id", "album", schema.Restrict)}
		},
		wantFK:  []string{"fk/app/event/partitions(album_id)"},
		wantObj: map[string][]string{"fk/app/event/partitions(album_id)": {"event_2024_album_fkey", "event_2025_album_fkey", "event_2026_album_fkey"}},
		wantUp:  map[string]int{"fk/app/event/partitions(album_id)": 3},
	}, {
		name: "two keys per partition give one finding each",
		keys: func(p string) []schema.ForeignKey {
			return []schema.ForeignKey{key(p+"_album", "album_id", "album", schema.Restrict), key(p+"_track", "track_id", "track", schema.Restrict)}
		},
		wantFK: []string{"fk/app/event/partitions(album_id)", "fk/app/event/partitions(track_id)"},
		wantObj: map[string][]string{
			"fk/app/event/partitions(album_id)": {"event_2024_album", "event_2025_album", "event_2026_album"},
			"fk/app/event/partitions(track_id)": {"event_2024_track", "event_2025_track", "event_2026_track"},
		},
		wantUp: map[string]int{"fk/app/event/partitions(album_id)": 3, "fk/app/event/partitions(track_id)": 3},
	}, {
		name: "keys with different actions are not equivalent",
		keys: func(p string) []schema.ForeignKey {
			act := schema.Restrict
			if p == "event_2026" {
				act = schema.Cascade
			}
			return []schema.ForeignKey{key(p+"_album", "album_id", "album", act)}
		},
		// The cascading key is of high severity: it sorts first.
		wantFK: []string{"fk/app/event_2026/event_2026_album", "fk/app/event/partitions(album_id)"},
		wantObj: map[string][]string{
			"fk/app/event/partitions(album_id)":  {"event_2024_album", "event_2025_album"},
			"fk/app/event_2026/event_2026_album": {"event_2026_album"},
		},
		wantUp: map[string]int{"fk/app/event/partitions(album_id)": 2, "fk/app/event_2026/event_2026_album": 1},
	}, {
		name: "a key on one partition only stays the partition's",
		keys: func(p string) []schema.ForeignKey {
			if p != "event_2025" {
				return nil
			}
			return []schema.ForeignKey{key(p+"_album", "album_id", "album", schema.Restrict)}
		},
		wantFK:  []string{"fk/app/event_2025/event_2025_album"},
		wantObj: map[string][]string{"fk/app/event_2025/event_2025_album": {"event_2025_album"}},
		wantUp:  map[string]int{"fk/app/event_2025/event_2025_album": 1},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(t, snap(append([]schema.Table{album, track}, partitioned(parts, tt.keys)...)...), "catalog: album, track; reco: event")
			if got := ids(p, plan.KindForeignKey); !slices.Equal(got, tt.wantFK) {
				t.Fatalf("fk findings %v, want %v", got, tt.wantFK)
			}
			for fid, want := range tt.wantObj {
				f := finding(t, p, fid)
				var got []string
				for _, o := range f.Objects {
					if o.Type == "foreign_key" {
						got = append(got, o.Name)
						if o.Context != "reco" {
							t.Errorf("%s: object %s in context %q, want reco", fid, o.Name, o.Context)
						}
					}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s: constraints %v, want %v", fid, got, want)
				}
				grouped := strings.Contains(fid, "partitions(")
				if ev := strings.Join(f.Evidence, "\n"); grouped != strings.Contains(ev, "declared on each partition separately") {
					t.Errorf("%s: evidence %q", fid, ev)
				}
				if grouped && !strings.Contains(f.Title, "on each of its") {
					t.Errorf("%s: title %q does not say the key is on each partition", fid, f.Title)
				}
				st := stepFor(p, fid)
				if st == nil || len(st.Up) != tt.wantUp[fid] || len(st.Down) != tt.wantUp[fid] {
					t.Fatalf("%s: step %+v, want %d drops and %d re-adds", fid, st, tt.wantUp[fid], tt.wantUp[fid])
				}
				for i, c := range want {
					if !strings.Contains(st.Up[i], `DROP CONSTRAINT "`+c+`"`) || !strings.Contains(st.Down[len(want)-1-i], `ADD CONSTRAINT "`+c+`"`) {
						t.Errorf("%s: up %q down %q do not drop and re-add %s in order", fid, st.Up, st.Down, c)
					}
				}
				if grouped && (len(st.Verify) != 1 || !strings.Contains(st.Verify[0].Query, `FROM "reco"."event" AS c`)) {
					t.Errorf("%s: verify %+v, want one orphan count on the parent", fid, st.Verify)
				}
			}
			if got := deps(p); got != "reco->catalog:"+itoa(len(tt.wantFK)) {
				t.Errorf("dependencies %q", got)
			}
		})
	}
}

func TestCascadeSeverity(t *testing.T) {
	album := table("album", "id", "code")
	album.Uniques = []schema.Key{{Name: "album_code_key", Columns: []string{"code"}}}
	key := func(ref string, del, upd schema.Action) schema.Table {
		l := table("listen", "id", "album_ref")
		l.ForeignKeys = []schema.ForeignKey{{Name: "listen_album", Columns: []string{"album_ref"}, References: name("album"), RefColumns: []string{ref},
			OnDelete: del, OnUpdate: upd, Enforced: true, Valid: true}}
		return l
	}
	tests := []struct {
		name      string
		child     schema.Table
		want      plan.Severity
		wantTitle string
		wantEv    string
	}{
		{"update cascade on the primary key", key("id", schema.NoAction, schema.Cascade), plan.Medium,
			"ON UPDATE CASCADE: only a change to the primary key of an app.album row (catalog) changes app.listen rows (reco)",
			"fires only when the primary key (id) of an app.album row changes"},
		{"update set null on the primary key", key("id", schema.Restrict, schema.SetNull), plan.Medium,
			"ON UPDATE SET NULL: only a change to the primary key", "reported as medium rather than high"},
		{"update cascade on another key", key("code", schema.NoAction, schema.Cascade), plan.High,
			"ON UPDATE CASCADE: only a change to the key of an app.album row", "are not the primary key of app.album"},
		{"delete cascade", key("id", schema.Cascade, schema.NoAction), plan.High,
			"foreign key listen_album of app.listen references app.album across contexts (reco -> catalog); deleting an app.album row (catalog) changes app.listen rows (reco) in the same transaction", "ON DELETE CASCADE spans"},
		{"delete set null and update cascade", key("id", schema.SetNull, schema.Cascade), plan.High,
			"deleting or updating an app.album row", "ON DELETE SET NULL, ON UPDATE CASCADE spans"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := build(t, snap(album, tt.child), "catalog: album; reco: listen")
			if len(p.Findings) != 1 {
				t.Fatalf("%d findings, want the key's one", len(p.Findings))
			}
			f := finding(t, p, "fk/app/listen/listen_album")
			if !slices.Equal(f.Facts, []string{plan.FactCascade}) {
				t.Errorf("facts %v, want the cascade", f.Facts)
			}
			if f.Severity != tt.want {
				t.Errorf("severity %s, want %s", f.Severity, tt.want)
			}
			if !strings.Contains(f.Title, tt.wantTitle) {
				t.Errorf("title %q, want it to contain %q", f.Title, tt.wantTitle)
			}
			if ev := strings.Join(f.Evidence, "\n"); !strings.Contains(ev, tt.wantEv) {
				t.Errorf("evidence %q, want it to contain %q", ev, tt.wantEv)
			}
		})
	}
}

// TestArticles checks the articles and possessives in generated text on
// names that start with a vowel and contexts that end in s.
func TestArticles(t *testing.T) {
	album := table("album", "id", "title")
	order := fk(table("order_line", "id", "album_id"), "order_album", []string{"album_id"}, "album", []string{"id"}, schema.Cascade)
	p := build(t, snap(album, order), "items: album; orders: order_line")
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, bad := range []string{"a album", "items's", "orders's", "a app.album"} {
		if strings.Contains(out, bad) {
			t.Errorf("plan text has %q", bad)
		}
	}
	for _, good := range []string{"an album row", "items' API", "deleting an app.album row"} {
		if !strings.Contains(out, good) {
			t.Errorf("plan text lacks %q", good)
		}
	}
}

func TestTriggerGroups(t *testing.T) {
	s := snap(table("refund", "id"), table("credit", "id"), table("stock", "id"), table("album", "id"))
	trig := func(n, on, event string, writes, reads []schema.TableName) schema.Trigger {
		return schema.Trigger{Schema: "app", Name: n, Table: name(on), Timing: "AFTER", Events: []string{event}, Level: "ROW", Writes: writes, Reads: reads}
	}
	stock, album := []schema.TableName{name("stock")}, []schema.TableName{name("album")}
	s.Triggers = []schema.Trigger{
		trig("restock_del", "refund", "DELETE", stock, nil),
		trig("restock_ins", "refund", "INSERT", stock, nil),
		trig("restock_upd", "refund", "UPDATE", stock, nil),
		trig("restock_audit", "refund", "UPDATE", stock, album),
		trig("peek", "refund", "UPDATE", nil, album),
		trig("credit_stock", "credit", "INSERT", stock, nil),
	}
	s.Normalize()
	p := build(t, s, "catalog: album; finance: refund, credit; warehouse: stock")
	group := "trigger/app/refund/restock_del+restock_ins+restock_upd"
	// restock_audit reaches catalog too, peek only reads, and credit_stock
	// is on another table: each is its own finding.
	want := []string{"trigger/app/credit/credit_stock", group, "trigger/app/refund/peek", "trigger/app/refund/restock_audit"}
	got := ids(p, plan.KindTrigger)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("trigger findings %v, want %v", got, want)
	}
	f := finding(t, p, group)
	var objs []string
	for _, o := range f.Objects {
		objs = append(objs, o.Name)
	}
	if !slices.Equal(objs, []string{"restock_del", "restock_ins", "restock_upd"}) {
		t.Errorf("objects %v", objs)
	}
	if f.Severity != plan.High || !strings.HasPrefix(f.Title, "3 triggers (restock_del, restock_ins, restock_upd) on app.refund (finance) change data of") {
		t.Errorf("group %s %q", f.Severity, f.Title)
	}
	ev := strings.Join(f.Evidence, "\n")
	for _, w := range []string{"restock_del: AFTER DELETE row on app.refund", "restock_ins: AFTER INSERT row on app.refund", "writes app.stock of warehouse"} {
		if !strings.Contains(ev, w) {
			t.Errorf("evidence %q lacks %q", ev, w)
		}
	}
	if strings.Count(ev, "writes app.stock of warehouse") != 1 {
		t.Errorf("evidence repeats the write: %q", ev)
	}
	st := stepFor(p, group)
	if st == nil || !strings.Contains(st.Title, "restock_del, restock_ins, restock_upd") || len(st.Up) != 0 {
		t.Errorf("step %+v", st)
	}
	if got := deps(p); got != "finance->catalog:2 finance->warehouse:5" {
		t.Errorf("deps %q (one per trigger)", got)
	}
}

// TestUnknownEngine: a snapshot of an engine seams does not know is an
// error, not a PostgreSQL or MySQL plan.
func TestUnknownEngine(t *testing.T) {
	s := snap(table("t", "id"))
	s.Source.Engine = "oracle"
	if _, err := planOf(s, nil); err == nil || !strings.Contains(err.Error(), `unknown engine "oracle"`) {
		t.Errorf("plan of an oracle snapshot: %v", err)
	}
}
