//go:build integration

package postgres

import (
	"fmt"
	"testing"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlident"
)

// verifyDDL has references no foreign key declares: one that holds in the
// data, one with an orphan, a polymorphic pair whose Photo rows are
// orphans and whose Post rows are not, and a table with a hostile name.
const verifyDDL = `
CREATE TABLE users (id int PRIMARY KEY);
CREATE TABLE posts (id int PRIMARY KEY, user_id int);
CREATE TABLE photos (id int PRIMARY KEY);
CREATE TABLE "we""ird; orders" (id int PRIMARY KEY, user_id int);
CREATE TABLE comments (id int PRIMARY KEY, commentable_type text CHECK (commentable_type IN ('Post', 'Photo')), commentable_id int);
INSERT INTO users VALUES (1), (2);
INSERT INTO posts VALUES (10, 1), (11, NULL);
INSERT INTO photos VALUES (20);
INSERT INTO "we""ird; orders" VALUES (1, 1), (2, 99);
INSERT INTO comments VALUES (1, 'Post', 10), (2, 'Photo', 21);
`

// verified returns the verification of each inferred reference by key.
func verified(s *schema.Snapshot) map[string]*schema.Verification {
	out := map[string]*schema.Verification{}
	for _, r := range s.Inferred {
		k := r.Key()
		if r.Discriminator != nil {
			k += " when " + r.Discriminator.Value
		}
		out[k] = r.Verified
	}
	return out
}

func TestVerifyData(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, verifyDDL)
	off := run(t, dsn)
	for _, r := range off.Inferred {
		if r.Verified != nil {
			t.Errorf("%s verified without --verify-data", r.Key())
		}
	}
	var log queryLog
	on := run(t, dsn, func(c *introspect.Config) { c.VerifyData = true; c.OnQuery = log.record })
	want := map[string]schema.Verification{
		"public.posts(user_id) -> public.users(id)":                       {Checked: true},
		`public.we"ird; orders(user_id) -> public.users(id)`:              {Checked: true, Orphans: true},
		"public.comments(commentable_id) -> public.posts(id) when Post":   {Checked: true},
		"public.comments(commentable_id) -> public.photos(id) when Photo": {Checked: true, Orphans: true},
	}
	got := verified(on)
	for k, w := range want {
		if g := got[k]; g == nil || *g != w {
			t.Errorf("%s: got %+v, want %+v (all: %v)", k, g, w, keysOf(got))
		}
	}
	n := 0
	for _, q := range log.names {
		if q == "verify" {
			n++
		}
	}
	if n != len(want) {
		t.Errorf("%d verify queries, want one per reference (%d)", n, len(want))
	}
}

// TestVerifyDataRefused: a role that may read the catalog but not the rows
// gets each check's refusal recorded, and the run goes on in the same
// transaction.
func TestVerifyDataRefused(t *testing.T) {
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, verifyDDL)
	rd := role(t, dsn, "seams_reader", "LOGIN")
	testdb.ExecPostgres(t, dsn, fmt.Sprintf("GRANT SELECT ON users, posts TO %s", sqlident.PostgresMinimal(rd)))
	s := run(t, asUser(t, dsn, rd), func(c *introspect.Config) { c.VerifyData = true })
	got := verified(s)
	if v := got["public.posts(user_id) -> public.users(id)"]; v == nil || !v.Checked {
		t.Errorf("granted check: %+v", v)
	}
	v := got["public.comments(commentable_id) -> public.posts(id) when Post"]
	if v == nil || v.Checked || v.Error == "" {
		t.Errorf("refused check: %+v", v)
	}
}

func keysOf(m map[string]*schema.Verification) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
