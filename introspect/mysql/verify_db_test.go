//go:build integration

package mysql

import (
	"fmt"
	"testing"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/schema"
)

// verifyScript has references no foreign key declares: one that holds in
// the data, one with an orphan (in a table with a hostile name), and a
// polymorphic pair (ENUM type column) whose Photo rows are orphans.
const verifyScript = "CREATE TABLE users (id int PRIMARY KEY);" +
	"CREATE TABLE posts (id int PRIMARY KEY, user_id int);" +
	"CREATE TABLE photos (id int PRIMARY KEY);" +
	"CREATE TABLE `we``ird; orders` (id int PRIMARY KEY, user_id bigint);" +
	"CREATE TABLE comments (id int PRIMARY KEY, commentable_type enum('Post','Photo'), commentable_id int);" +
	"INSERT INTO users VALUES (1), (2); INSERT INTO posts VALUES (10, 1), (11, NULL); INSERT INTO photos VALUES (20);" +
	"INSERT INTO `we``ird; orders` VALUES (1, 1), (2, 99);" +
	"INSERT INTO comments VALUES (1, 'Post', 10), (2, 'Photo', 21);"

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
	dsn := testdb.MySQL(t)
	testdb.ExecMySQL(t, dsn, verifyScript)
	db := dbName(t, dsn)
	for _, r := range run(t, config(t, dsn)).Inferred {
		if r.Verified != nil {
			t.Errorf("%s verified without --verify-data", r.Key())
		}
	}
	cfg := config(t, dsn)
	cfg.VerifyData = true
	n := 0
	cfg.OnQuery = func(name string) {
		if name == "verify" {
			n++
		}
	}
	got := verified(run(t, cfg))
	want := map[string]schema.Verification{
		db + ".posts(user_id) -> " + db + ".users(id)":                       {Checked: true},
		db + ".we`ird; orders(user_id) -> " + db + ".users(id)":              {Checked: true, Orphans: true},
		db + ".comments(commentable_id) -> " + db + ".posts(id) when Post":   {Checked: true},
		db + ".comments(commentable_id) -> " + db + ".photos(id) when Photo": {Checked: true, Orphans: true},
	}
	for k, w := range want {
		if g := got[k]; g == nil || *g != w {
			t.Errorf("%s: got %+v, want %+v (all: %v)", k, g, w, got)
		}
	}
	if n != len(want) {
		t.Errorf("%d verify queries, want one per reference (%d)", n, len(want))
	}
}

// TestVerifyDataRefused: a user that sees a table in the catalog but may
// not read it gets that check's refusal recorded, and the others still run.
func TestVerifyDataRefused(t *testing.T) {
	dsn := testdb.MySQL(t)
	testdb.ExecMySQL(t, dsn, verifyScript)
	db := dbName(t, dsn)
	// INSERT alone shows photos in the catalog but refuses to read it.
	user := createUser(t, dsn, "pw-Verify-1", fmt.Sprintf("SELECT ON `%s`.`users`", db), fmt.Sprintf("SELECT ON `%s`.`posts`", db),
		fmt.Sprintf("SELECT ON `%s`.`comments`", db), fmt.Sprintf("INSERT ON `%s`.`photos`", db))
	cfg := config(t, withUser(t, dsn, user, "pw-Verify-1"))
	cfg.VerifyData = true
	got := verified(run(t, cfg))
	if v := got[db+".posts(user_id) -> "+db+".users(id)"]; v == nil || !v.Checked {
		t.Errorf("granted check: %+v (all %v)", v, got)
	}
	failed := 0
	for k, v := range got {
		if v != nil && !v.Checked {
			failed++
			if v.Error == "" {
				t.Errorf("%s: a failed check without its reason", k)
			}
		}
	}
	if failed == 0 {
		t.Errorf("no refused check recorded: %v", got)
	}
}
