package plan_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/introspect/mysql"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/schema"
)

var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// introspectDSN reads the snapshot of a live database.
func introspectDSN(t testing.TB, engine, dsn string) *schema.Snapshot {
	t.Helper()
	if engine == "mysql" {
		dsn = testdb.MySQLURL(dsn)
	}
	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("ParseDSN: %v", err)
	}
	cfg := &introspect.Config{DSN: d, SeamsVersion: "test", Now: func() time.Time { return fixedNow }}
	var s *schema.Snapshot
	if engine == "mysql" {
		s, err = mysql.Introspect(context.Background(), cfg)
	} else {
		s, err = postgres.Introspect(context.Background(), cfg)
	}
	if err != nil {
		t.Fatalf("introspect %s: %v", engine, err)
	}
	return s
}

// loadMusicCorp loads the MusicCorp fixture into a fresh database of the
// engine ("postgres" or "mysql") and returns its DSN and snapshot.
func loadMusicCorp(t testing.TB, engine string) (string, *schema.Snapshot) {
	t.Helper()
	var dsn string
	if engine == "mysql" {
		dsn = testdb.MySQL(t)
		testdb.ExecMySQL(t, dsn, musiccorp.MySQLSQL)
	} else {
		dsn = testdb.Postgres(t)
		testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL)
	}
	return dsn, introspectDSN(t, engine, dsn)
}

// resolveMusicCorp resolves the fixture's contexts map against s.
func resolveMusicCorp(t testing.TB, s *schema.Snapshot) *contexts.Assignment {
	t.Helper()
	m, err := contexts.Parse("contexts.yaml", []byte(musiccorp.ContextsYAML))
	if err != nil {
		t.Fatalf("parse contexts: %v", err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatalf("resolve contexts: %v", err)
	}
	return a
}

// stable clears what changes from one load to the next (the database's
// name, the server, the counters and estimates), so that outputs can be
// compared with golden files.
func stable(s *schema.Snapshot) {
	if s.Source.Engine.Dialect() == "mysql" && s.Source.Database != "musiccorp" {
		renameSchema(s, s.Source.Database, "musiccorp")
	}
	s.Source.Database = "musiccorp"
	s.Source.Host = ""
	s.Source.ServerVersion = ""
	s.Source.CapturedAt = fixedNow
	for i := range s.Tables {
		s.Tables[i].Stats = nil
		s.Tables[i].SizeBytes = nil
		s.Tables[i].RowEstimate = nil
	}
}

// renameSchema renames schema from to to everywhere in s: a MySQL test
// database has a random name, which goldens must not show.
func renameSchema(s *schema.Snapshot, from, to string) {
	fix := func(n *schema.TableName) {
		if n.Schema == from {
			n.Schema = to
		}
	}
	fixAll := func(ns []schema.TableName) {
		for i := range ns {
			fix(&ns[i])
		}
	}
	for i := range s.Schemas {
		if s.Schemas[i].Name == from {
			s.Schemas[i].Name = to
		}
	}
	for i := range s.Tables {
		t := &s.Tables[i]
		if t.Schema == from {
			t.Schema = to
		}
		if t.PartitionOf != nil {
			fix(t.PartitionOf)
		}
		for j := range t.ForeignKeys {
			fix(&t.ForeignKeys[j].References)
		}
	}
	for i := range s.Views {
		v := &s.Views[i]
		if v.Schema == from {
			v.Schema = to
		}
		v.Definition = strings.ReplaceAll(v.Definition, "`"+from+"`", "`"+to+"`")
		fixAll(v.Reads)
	}
	for i := range s.Triggers {
		tr := &s.Triggers[i]
		if tr.Schema == from {
			tr.Schema = to
		}
		tr.Body = strings.ReplaceAll(tr.Body, "`"+from+"`", "`"+to+"`")
		fix(&tr.Table)
		fixAll(tr.Writes)
		fixAll(tr.Reads)
	}
}
