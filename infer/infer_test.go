package infer

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

// tbl builds a table from column specs "name type [pk|unique|serial]..."
// and foreign keys "col->table.col"; the name may be schema.table.
func tbl(name string, specs ...string) schema.Table {
	t := schema.Table{Schema: "public", Name: name, Kind: schema.KindTable}
	if s, n, ok := strings.Cut(name, "."); ok {
		t.Schema, t.Name = s, n
	}
	for _, spec := range specs {
		if child, parent, ok := strings.Cut(spec, "->"); ok {
			pt, pc, _ := strings.Cut(parent, ".")
			ref := schema.TableName{Schema: t.Schema, Name: pt}
			if s, n, ok := strings.Cut(pc, "."); ok {
				ref, pc = schema.TableName{Schema: pt, Name: s}, n
			}
			t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{Name: t.Name + "_" + child + "_fkey",
				Columns: strings.Split(child, ","), References: ref, RefColumns: strings.Split(pc, ",")})
			continue
		}
		f := strings.Fields(spec)
		c := schema.Column{Name: f[0], Type: f[1], Nullable: true}
		for _, flag := range f[2:] {
			switch flag {
			case "pk":
				if t.PrimaryKey == nil {
					t.PrimaryKey = &schema.Key{Name: t.Name + "_pkey"}
				}
				t.PrimaryKey.Columns = append(t.PrimaryKey.Columns, c.Name)
			case "unique":
				t.Uniques = append(t.Uniques, schema.Key{Name: t.Name + "_" + c.Name + "_key", Columns: []string{c.Name}})
			case "serial":
				d := "nextval('" + t.Name + "_seq')"
				c.Default = &d
			}
		}
		t.Columns = append(t.Columns, c)
	}
	return t
}

func snap(engine schema.Engine, tables ...schema.Table) *schema.Snapshot {
	s := &schema.Snapshot{Format: schema.FormatVersion, Source: schema.Source{Engine: engine, Database: "shop"}, Tables: tables}
	s.Normalize()
	return s
}

// keys renders the references of at least threshold score as
// "table(cols) -> ref(cols) [source,...]" (sources sorted, polymorphic
// marked with the discriminator value).
func keys(refs []schema.InferredReference, threshold float64) []string {
	out := []string{}
	for _, r := range refs {
		if r.Score < threshold {
			continue
		}
		var srcs []string
		for _, e := range r.Evidence {
			if !slices.Contains(srcs, e.Source) {
				srcs = append(srcs, e.Source)
			}
		}
		slices.Sort(srcs)
		k := r.Key() + " [" + strings.Join(srcs, ",") + "]"
		if r.Polymorphic {
			k += " when " + r.Discriminator.Column + "=" + r.Discriminator.Value
		}
		out = append(out, k)
	}
	return out
}

var nameCases = []struct {
	name   string
	tables []schema.Table
	want   []string
}{
	{"singular_id to a plural table, irregular plurals",
		[]schema.Table{tbl("users", "id bigint pk serial"), tbl("people", "id int pk serial"), tbl("children", "id int pk serial"),
			tbl("posts", "id int pk serial", "user_id integer", "person_id int", "child_id int", "title text")},
		[]string{"public.posts(child_id) -> public.children(id) [name]", "public.posts(person_id) -> public.people(id) [name]",
			"public.posts(user_id) -> public.users(id) [name]"}},
	{"<table>_<key>, a column named like a table, a role prefix",
		[]schema.Table{tbl("country", "code char(2) pk"), tbl("artist_credit", "id int pk serial"),
			tbl("release", "id int pk serial", "artist_credit int", "billing_country_code varchar(2)", "country_code text")},
		[]string{"public.release(artist_credit) -> public.artist_credit(id) [name]",
			"public.release(billing_country_code) -> public.country(code) [name]",
			"public.release(country_code) -> public.country(code) [name]"}},
	{"the specific name of another table's key",
		[]schema.Table{tbl("customer_order", "order_id bigint pk serial"), tbl("payment", "payment_id bigint pk serial", "order_id bigint")},
		[]string{"public.payment(order_id) -> public.customer_order(order_id) [name]"}},
	{"incompatible types and declared keys are never candidates",
		[]schema.Table{tbl("users", "id int pk serial"), tbl("tags", "id int pk serial"),
			tbl("posts", "id int pk serial", "user_id text", "tag_id int", "tag_id->tags.id")},
		[]string{}},
	{"own prefix added: ci_builds.runner_id, artist.type",
		[]schema.Table{tbl("ci_runners", "id int pk serial"), tbl("ci_builds", "id int pk serial", "runner_id int"),
			tbl("artist_type", "id int pk serial"), tbl("artist", "id int pk serial", "type int")},
		[]string{"public.artist(type) -> public.artist_type(id) [name]", "public.ci_builds(runner_id) -> public.ci_runners(id) [name]"}},
	{"common prefix stripped",
		[]schema.Table{tbl("wp_users", "id int pk serial"), tbl("wp_posts", "id int pk serial"), tbl("wp_options", "id int pk serial"),
			tbl("audit", "id int pk serial", "user_id int")},
		[]string{"public.audit(user_id) -> public.wp_users(id) [name]"}},
	{"schema-aware: the referencing table's own schema wins",
		[]schema.Table{tbl("a.users", "id int pk serial"), tbl("b.users", "id int pk serial"), tbl("a.posts", "id int pk serial", "user_id int"),
			tbl("c.posts", "id int pk serial", "user_id int")},
		[]string{"a.posts(user_id) -> a.users(id) [name]"}},
	{"parent, a one-to-one extension, a numbered column",
		[]schema.Table{tbl("genre", "id int pk serial", "parent int"), tbl("artist", "id int pk serial"), tbl("artist_meta", "id int pk", "rating int"),
			tbl("tag", "id int pk serial"), tbl("tag_relation", "tag1 int pk", "tag2 int pk")},
		[]string{"public.artist_meta(id) -> public.artist(id) [name]", "public.genre(parent) -> public.genre(id) [name]",
			"public.tag_relation(tag1) -> public.tag(id) [name]", "public.tag_relation(tag2) -> public.tag(id) [name]"}},
	{"numbered columns of a table named after tables",
		[]schema.Table{tbl("area", "id int pk serial"), tbl("artist", "id int pk serial"),
			tbl("l_area_artist", "id int pk serial", "entity0 int", "entity1 int")},
		[]string{"public.l_area_artist(entity0) -> public.area(id) [name]", "public.l_area_artist(entity1) -> public.artist(id) [name]"}},
	{"a weak entity's composite key",
		[]schema.Table{tbl("customer_order", "order_id int pk serial"),
			tbl("order_line", "order_id int pk", "line_no int pk", "order_id->customer_order.order_id"),
			tbl("refund", "refund_id int pk serial", "order_id int", "line_no int")},
		[]string{"public.refund(order_id,line_no) -> public.order_line(order_id,line_no) [name]"}},
	{"a generic word after a role prefix names no table",
		[]schema.Table{tbl("pending_keys", "id int pk serial"), tbl("pending_data", "id int pk serial"), tbl("pending_ts", "id int pk serial"),
			tbl("sitemap", "id int pk serial", "sitemap_suffix_key int")},
		[]string{}},
	{"a plural beside a table is a count",
		[]schema.Table{tbl("vote", "id int pk serial"), tbl("election", "id int pk serial", "yes_votes int", "votes int")},
		[]string{}},
}

func TestNames(t *testing.T) {
	for _, c := range nameCases {
		t.Run(c.name, func(t *testing.T) {
			got := keys(Infer(snap(schema.Postgres, c.tables...), Options{}), DefaultThreshold)
			if !slices.Equal(got, c.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(c.want, "\n  "))
			}
		})
	}
}

func TestLearnedFromDeclaredKeys(t *testing.T) {
	s := snap(schema.Postgres,
		tbl("users", "id int pk serial"), tbl("namespaces", "id int pk serial"), tbl("groups", "id int pk serial"),
		tbl("issues", "id int pk serial", "author_id int", "group_id int", "author_id->users.id", "group_id->namespaces.id"),
		tbl("notes", "id int pk serial", "author_id int", "group_id int", "author_id->users.id", "group_id->namespaces.id"),
		tbl("epics", "id int pk serial", "author_id int", "group_id int"))
	got := keys(Infer(s, Options{}), DefaultThreshold)
	want := []string{"public.epics(author_id) -> public.users(id) [learned]", "public.epics(group_id) -> public.namespaces(id) [learned]"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Naming alone would say groups: the declared keys outvote it.
	for _, r := range Infer(s, Options{}) {
		if r.Key() == "public.epics(group_id) -> public.namespaces(id)" && r.Evidence[0].Source != "learned" {
			t.Errorf("learned evidence should lead: %+v", r.Evidence)
		}
	}
}

// TestLearnedLift: a name that carries a declared key on few of its
// columns, while most columns with keys declare them, teaches nothing about
// its other columns (4 of 12 gid columns reference deleted_entity in a
// schema that declares keys on most referencing columns).
func TestLearnedLift(t *testing.T) {
	tables := []schema.Table{tbl("deleted_entity", "gid uuid pk"), tbl("users", "id int pk serial")}
	for i := 0; i < 12; i++ {
		specs := []string{"id int pk serial", "gid uuid", "user_id int", "user_id->users.id"}
		if i < 4 {
			specs = append(specs, "gid->deleted_entity.gid")
		}
		tables = append(tables, tbl(fmt.Sprintf("t%02d", i), specs...))
	}
	if got := keys(Infer(snap(schema.Postgres, tables...), Options{}), DefaultThreshold); len(got) != 0 {
		t.Errorf("got %q, want nothing", got)
	}
}

func TestPolymorphic(t *testing.T) {
	comments := tbl("comments", "id int pk serial", "commentable_type varchar(20)", "commentable_id int", "body text")
	comments.Checks = []schema.Check{{Name: "comments_type_check",
		Expression: "((commentable_type)::text = ANY ((ARRAY['Post'::character varying, 'App\\Models\\Photo'::character varying])::text[]))"}}
	s := snap(schema.Postgres, tbl("posts", "id int pk serial"), tbl("photos", "id int pk serial"), comments)
	want := []string{"public.comments(commentable_id) -> public.photos(id) [polymorphic] when commentable_type=App\\Models\\Photo",
		"public.comments(commentable_id) -> public.posts(id) [polymorphic] when commentable_type=Post"}
	if got := keys(Infer(s, Options{}), DefaultThreshold); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// MySQL ENUM values name the targets too.
	my := tbl("taggings", "id int pk", "taggable_type enum('Post','Photo')", "taggable_id int")
	s = snap(schema.MySQL, tbl("posts", "id int pk"), tbl("photos", "id int pk"), my)
	s.Tables[0].Schema, s.Tables[1].Schema, s.Tables[2].Schema = "shop", "shop", "shop"
	if got := keys(Infer(s, Options{}), DefaultThreshold); len(got) != 2 {
		t.Errorf("enum targets: got %q", got)
	}
}

func TestJoins(t *testing.T) {
	s := snap(schema.Postgres, tbl("clients", "id int pk serial"), tbl("orders", "id int pk serial", "buyer int", "seller int"),
		tbl("sellers_tbl", "sid int pk serial"), tbl("audit", "id int pk serial", "ref int"))
	s.Views = []schema.View{{Schema: "public", Name: "v", Definition: "SELECT o.id FROM orders o JOIN clients c ON c.id = o.buyer",
		Reads: []schema.TableName{{Schema: "public", Name: "orders"}, {Schema: "public", Name: "clients"}}}}
	s.Triggers = []schema.Trigger{{Schema: "public", Name: "t", Table: schema.TableName{Schema: "public", Name: "audit"},
		Body:  "BEGIN PERFORM 1 FROM orders WHERE id = NEW.ref; RETURN NEW; END",
		Reads: []schema.TableName{{Schema: "public", Name: "orders"}}}}
	s.Usage = &schema.Usage{Statements: []schema.Statement{{ID: "code/1", Source: "code",
		Text:  "SELECT 1 FROM orders o, sellers_tbl s WHERE o.seller = s.sid AND o.buyer = 1",
		Reads: []schema.TableName{{Schema: "public", Name: "orders"}, {Schema: "public", Name: "sellers_tbl"}}}}}
	want := []string{"public.audit(ref) -> public.orders(id) [trigger]", "public.orders(buyer) -> public.clients(id) [view]",
		"public.orders(seller) -> public.sellers_tbl(sid) [name,usage]"}
	if got := keys(Infer(s, Options{}), 0.5); !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// One source alone.
	if got := keys(Infer(s, Options{Sources: []string{srcView}}), 0.5); !slices.Equal(got, want[1:2]) {
		t.Errorf("view alone: got %q", got)
	}
}

func TestDenyAndDeterminism(t *testing.T) {
	tables := []schema.Table{tbl("users", "id int pk serial"), tbl("posts", "id int pk serial", "user_id int", "editor_user_id int"),
		tbl("tags", "id int pk serial"), tbl("post_tags", "post_id int pk", "tag_id int pk")}
	first := Infer(snap(schema.Postgres, tables...), Options{})
	for i := 0; i < 5; i++ {
		shuffled := slices.Clone(tables)
		rand.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		if again := Infer(snap(schema.Postgres, shuffled...), Options{}); !reflect.DeepEqual(first, again) {
			t.Fatalf("not deterministic:\n%v\n%v", keys(first, 0), keys(again, 0))
		}
	}
	deny := []Denied{{Table: schema.TableName{Schema: "public", Name: "posts"}, Columns: []string{"user_id"}}}
	for _, r := range Infer(snap(schema.Postgres, tables...), Options{Deny: deny}) {
		if r.Table.Name == "posts" && r.Columns[0] == "user_id" {
			t.Errorf("denied reference inferred: %s", r.Key())
		}
	}
	for _, r := range first {
		if r.Score < 0 || r.Score > 1 || len(r.Evidence) == 0 {
			t.Errorf("%s: score %v, evidence %v", r.Key(), r.Score, r.Evidence)
		}
	}
}

func TestTypeFamily(t *testing.T) {
	for _, c := range []struct {
		typ  string
		want family
	}{
		{"integer", famInteger}, {"bigint(20) unsigned", famInteger}, {"int(11)", famInteger}, {"numeric(10,0)", famInteger},
		{"character varying(255)", famText}, {"char(3)", famText}, {"enum('a','b')", famText}, {"uuid", famUUID},
		{"timestamp(3) without time zone", famNone}, {"integer[]", famNone}, {"boolean", famNone}, {"jsonb", famNone},
		{"public.mpaa_rating", "user:mpaa_rating"}, {"binary(16)", famBinary},
	} {
		if got := typeFamily(c.typ); got != c.want {
			t.Errorf("typeFamily(%q) = %q, want %q", c.typ, got, c.want)
		}
	}
}

func TestWords(t *testing.T) {
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"customer_orders", []string{"customer", "order"}},
		{"CustomerOrder", []string{"customer", "order"}},
		{"l_area_artist", []string{"area", "artist"}},
		{"ctx07_order_01234", []string{"ctx07", "order"}},
		{"statuses", []string{"status"}},
		{"data", []string{"data"}},
		{"order_order_line", []string{"order", "line"}},
		{"", nil},
	} {
		if got := Words(tc.name); !slices.Equal(got, tc.want) {
			t.Errorf("Words(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
