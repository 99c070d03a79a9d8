package site_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/render/diagram/diagramtest"
	"github.com/seamsdev/seams/render/site"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/usage"
)

// musicCorpUsageInput builds the site input of the bundled MusicCorp
// snapshot with contexts-usage.yaml and the usage found by scanning the
// MusicCorp application's code (no database needed). withUsage false
// leaves the usage out.
func musicCorpUsageInput(t testing.TB, withUsage bool) site.Input {
	return musicCorpUsageMap(t, withUsage, nil)
}

// musicCorpUsageMap is musicCorpUsageInput with edit applied to the text
// of contexts-usage.yaml.
func musicCorpUsageMap(t testing.TB, withUsage bool, edit func(string) string) site.Input {
	t.Helper()
	s, err := schema.Decode(bytes.NewReader(musiccorp.SnapshotJSON))
	if err != nil {
		t.Fatal(err)
	}
	text, err := os.ReadFile("../../fixtures/musiccorp/contexts-usage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		text = []byte(edit(string(text)))
	}
	m, err := contexts.Parse("contexts-usage.yaml", text)
	if err != nil {
		t.Fatal(err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatal(err)
	}
	if withUsage {
		b, err := usage.NewBuilder(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := usage.ScanCode("../../fixtures/musiccorp/app/src", b); err != nil {
			t.Fatal(err)
		}
		s.Usage = b.Build()
	}
	an := diagramtest.Analyse(t, s, a)
	return site.Input{Analysis: an, Renderer: renderer(t), Workers: 2}
}

func tablePage(t *testing.T, dir, name string) string {
	t.Helper()
	return read(t, dir, "tables", diagram.Slug(schema.TableName{Schema: "public", Name: name})+".html")
}

func contextPage(t *testing.T, dir, name string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "contexts", "*.html"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "<title>Context "+name+" · seams</title>") {
			return string(b)
		}
	}
	t.Fatalf("no page for context %s", name)
	return ""
}

// section returns the part of page from the heading with id to the next h2.
func section(page, id string) string {
	i := strings.Index(page, `<h2 id="`+id+`">`)
	if i < 0 {
		return ""
	}
	s := page[i+len(id)+10:]
	if j := strings.Index(s, "<h2 "); j >= 0 {
		s = s[:j]
	}
	return s
}

// TestMusicCorpUsageSite renders the usage found in the MusicCorp
// application's code on the index, the context pages and the table pages.
func TestMusicCorpUsageSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if out := os.Getenv("SEAMS_TEST_OUT"); out != "" {
		dir = filepath.Join(out, "musiccorp-usage-site")
		os.RemoveAll(dir)
		t.Logf("site written to %s", dir)
	}
	in := musicCorpUsageInput(t, true)
	if err := site.Write(context.Background(), dir, in); err != nil {
		t.Fatal(err)
	}
	m := diagram.NewModel(in.Analysis.Ownership, diagram.Options{})
	tests := []struct {
		name, page string
		want       []string
		not        []string
	}{
		{"index", section(read(t, dir, "index.html"), "usage"), []string{
			"34 distinct, 34 calls, on 23 tables",
			// 10 touch tables of two or more contexts; 2 more are run by
			// one context on another's tables only (PlaceOrder's INSERT
			// INTO picking, restock's UPDATE customer_order).
			"12 crossing a context boundary",
			`<span class="crossing">1</span> (listed below)`,
			"<td>code</td><td>../../fixtures/musiccorp/app/src</td><td>yes</td><td>34</td><td>34</td><td>1</td><td>3</td><td>2</td>",
			"11 source files read",
			"catalog/catalog/queries.py:36", "syntax error at end of input",
		}, nil},
		// customer: shared by finance and warehouse, both declared readwrite.
		{"customer", section(tablePage(t, dir, "customer"), "usage"), []string{
			"Who reads and writes it",
			`>finance</a></td><td>–</td><td>2 / 2</td>`,
			"<td>–</td><td>2 / 2</td><td>customer_id, last_payment_at*, last_refund_at*, total_paid*, total_refunded*</td><td>readwrite</td><td>matches the declaration</td>",
			"<td>–</td><td>1 / 1</td><td>customer_id, last_dispatched_at*</td><td>readwrite</td><td>matches the declaration</td>",
			"UPDATE customer SET total_paid = total_paid &#43; $1, last_payment_at = now() WHERE customer_id = $2",
			"finance/orders/orders.go:54",
			"warehouse/src/main/java/com/musiccorp/warehouse/DispatchService.java:32",
			`<span class="tag">writes</span>`,
		}, []string{"No usage data", "No observed statement"}},
		// picking: warehouse's table that finance's PlaceOrder writes.
		{"picking", section(tablePage(t, dir, "picking"), "usage"), []string{
			`crossing: writes a table of warehouse that it does not claim`,
			"finance/orders/orders.go:32</code> PlaceOrder",
			"JPA @Table at <code>warehouse/src/main/java/com/musiccorp/warehouse/Picking.java:9</code>",
			"Code writing it together with tables of other contexts",
		}, nil},
		// line_item: catalog writes the price, a column it declares; the
		// declared column lists of the shared table are compared.
		{"line_item", section(tablePage(t, dir, "line_item"), "usage"), []string{
			"price*, sku</td><td>claimed, access not declared</td><td>matches the declaration</td>",
			"stock_level*",
		}, nil},
		{"gift_card unattributed", section(tablePage(t, dir, "gift_card"), "usage"), []string{
			"(no context)", "no context: roles or code that no context lists", "ActiveRecord table_name at <code>admin/gift_cards.rb:3</code>",
		}, nil},
		{"unused table", section(tablePage(t, dir, "audit_log"), "usage"), []string{
			"No observed statement, code or ORM declaration reads or writes this table.",
		}, []string{"Who reads and writes it"}},
		{"finance context", section(contextPage(t, dir, "finance"), "usage"), []string{
			"<code>finance/**</code>",
			"Tables its roles and code read and write",
			"crossing: writes a table of warehouse that it does not claim", // picking
			"crossing: uses a table of catalog that it does not claim",     // album, artist
			"Statements crossing a context boundary",
			"SELECT ar.name AS artist, sum(l.amount) AS sales FROM ledger l",
			"finance/sql/reports.sql:4",
			"finance/orders/orders.go:32</code> PlaceOrder",
			"warehouse/src/main/java/com/musiccorp/warehouse/DispatchService.java:38</code> restock", // writes finance's customer_order
			"public.country</a> <span class=\"muted\">(static)</span></td><td>1 / 1</td><td>–</td><td></td><td>not claimed</td><td>reads static reference data</td>",
		}, []string{"No usage data"}},
		{"recommendation context", section(contextPage(t, dir, "recommendation"), "usage"), []string{
			"recommendation/src/similar.ts:6", "reco_similar_album",
		}, []string{"PlaceOrder"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.page == "" {
				t.Fatal("page has no usage section")
			}
			for _, w := range tt.want {
				if !strings.Contains(tt.page, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(tt.page, w) {
					t.Errorf("has %q", w)
				}
			}
			if t.Failed() {
				t.Logf("section:\n%s", tt.page)
			}
		})
	}
	// Every table page has a usage section; the page count is unchanged.
	pages, _ := filepath.Glob(filepath.Join(dir, "tables", "*.html"))
	if len(pages) != len(m.Tables()) {
		t.Errorf("%d table pages, want %d", len(pages), len(m.Tables()))
	}
	for _, p := range pages {
		b, _ := os.ReadFile(p)
		if section(string(b), "usage") == "" {
			t.Errorf("%s has no usage section", p)
		}
	}
	checkLinks(t, dir)
}

// TestNoUsageSite: without usage in the snapshot, the pages say so and the
// index has no usage summary.
func TestNoUsageSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := site.Write(context.Background(), dir, musicCorpUsageInput(t, false)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(read(t, dir, "index.html"), `<h2 id="usage">`) {
		t.Error("index has a usage summary without usage")
	}
	for name, page := range map[string]string{"customer": tablePage(t, dir, "customer"), "finance": contextPage(t, dir, "finance")} {
		if u := section(page, "usage"); !strings.Contains(u, "No usage data: the snapshot holds none.") {
			t.Errorf("%s: usage section %q", name, u)
		}
	}
}

// TestUsageAgainstMap: a context whose observed use differs from what the
// map declares is marked on the table page.
func TestUsageAgainstMap(t *testing.T) {
	// finance declares customer read-only, without the columns it writes;
	// warehouse declares write access to supplier, which it only reads.
	in := musicCorpUsageMap(t, true, func(s string) string {
		s = strings.Replace(s, `credit_status]
          access: readwrite`, `credit_status]
          access: read`, 1)
		s = strings.Replace(s, "total_paid, total_refunded,\n                    last_payment_at, last_refund_at, ", "", 1)
		return strings.Replace(s, "      - supplier\n", "      - supplier: {access: write}\n", 1)
	})
	dir := filepath.Join(t.TempDir(), "site")
	if err := site.Write(context.Background(), dir, in); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]string{
		"customer": `<td>read</td><td><span class="crossing">writes it, declared read; uses columns it does not declare: last_payment_at, last_refund_at, total_paid, total_refunded</span></td>`,
		"supplier": `<td>write</td><td><span class="crossing">only reads it, declared write</span></td>`,
	} {
		if u := section(tablePage(t, dir, table), "usage"); !strings.Contains(u, want) {
			t.Errorf("%s lacks %q:\n%s", table, want, u)
		}
	}
}
