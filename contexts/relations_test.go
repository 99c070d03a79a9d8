package contexts

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestRelations(t *testing.T) {
	src := `contexts:
  catalog:
    tables: [album, artist]
relations:
  confirm:
    - public.album.artist_id -> artist
  deny:
    - "billing.invoice_line(invoice_id) -> billing.invoice(id)"
  declare:
    - ledger.amount -> line_item.price
    - payment_card(number) -> customer
`
	// customer has no primary key: the declare entry without columns must
	// say so; with the columns it resolves.
	_, err := resolve(t, src, musicCorp())
	if err == nil || err.Error() != `c.yaml:11:7: relations: declare: name the columns of public.customer it references (it has no primary key of 1 column(s))` {
		t.Fatalf("got %v", err)
	}
	a, err := resolve(t, strings.Replace(src, "-> customer", "-> customer(id)", 1), musicCorp())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range a.Relations {
		got = append(got, fmt.Sprintf("%s %s%v -> %s%v @%d:%d", r.Kind, r.Table, r.Columns, r.References, r.RefColumns, r.Pos.Line, r.Pos.Col))
	}
	want := []string{
		"confirm public.album[artist_id] -> public.artist[] @6:7",
		"deny billing.invoice_line[invoice_id] -> billing.invoice[id] @8:7",
		"declare public.ledger[amount] -> public.line_item[price] @10:7",
		"declare public.payment_card[number] -> public.customer[id] @11:7",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !a.Relations[0].Matches(tn("public", "album"), []string{"artist_id"}, tn("public", "artist"), []string{"id"}) {
		t.Error("a confirm entry without columns matches any key of the table")
	}
}

func TestRelationErrors(t *testing.T) {
	head := "contexts: {}\nrelations:\n"
	tests := []struct{ name, src, want string }{
		{"not a mapping", head + "  - a.b -> c\n", `c.yaml:3:3: relations must be a mapping with confirm:, deny: or declare:, got a list`},
		{"unknown kind", head + "  confrim: []\n", `c.yaml:3:3: unknown key "confrim" in relations (did you mean "confirm"?)`},
		{"not a list", head + "  deny: a.b -> c\n", `c.yaml:3:9: relations: deny must be a list of references like "orders.customer_id -> customers", got the string "a.b -> c"`},
		{"no arrow", head + "  deny: [album.artist_id]\n", `c.yaml:3:10: relations: deny: "album.artist_id": want "table.column -> table" (an arrow -> between the two sides)`},
		{"no column", head + "  deny: [album -> artist]\n", `c.yaml:3:10: relations: deny: "album -> artist": left side: "album" names no column: write table.column or table(column, ...)`},
		{"column counts", head + "  declare: [\"a(x, y) -> b(z)\"]\n", `c.yaml:3:13: relations: declare: "a(x, y) -> b(z)": 2 column(s) on the left, 1 on the right`},
		{"unknown table", head + "  confirm: [albm.artist_id -> artist]\n", `c.yaml:3:13: relations: confirm: no table albm (did you mean "album"?)`},
		{"unknown column", head + "  confirm: [public.album.artst_id -> artist]\n", `c.yaml:3:13: relations: confirm: table public.album has no column "artst_id"`},
		{"unknown referenced column", head + "  declare: [public.album.artist_id -> artist.key]\n", `c.yaml:3:13: relations: declare: table public.artist has no column "key"`},
		{"ambiguous table", head + "  deny: [artist.name -> public.album]\n  confirm: [artist.id -> album]\n",
			`c.yaml:4:13: relations: confirm: table album is in several schemas (public.album, archive.album): write schema.table`},
		{"contradiction", head + "  confirm: [public.album.artist_id -> artist]\n  deny: [public.album.artist_id -> artist]\n",
			`c.yaml:4:10: relations: public.album.artist_id -> artist contradicts confirm at line 3`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse("c.yaml", []byte(tt.src))
			if err == nil {
				_, err = Resolve(m, musicCorp())
			}
			var e *Error
			if err == nil || !errors.As(err, &e) || err.Error() != tt.want {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}
