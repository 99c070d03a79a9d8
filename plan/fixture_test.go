package plan_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// musicCorpSnapshot returns the checked-in snapshot of the MusicCorp
// fixture as introspected from the engine ("postgres" or "mysql").
func musicCorpSnapshot(t testing.TB, engine string) *schema.Snapshot {
	t.Helper()
	data := musiccorp.SnapshotJSON
	if engine == "mysql" {
		data = musiccorp.SnapshotMySQLJSON
	}
	s, err := schema.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return s
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
	if d, _ := s.Source.Engine.Dialect(); d == schema.DialectMySQL && s.Source.Database != "musiccorp" {
		musiccorp.RenameSchema(s, s.Source.Database, "musiccorp")
	}
	musiccorp.StableDefiners(s)
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

// planOf plans s under a as every command does (package analysis), with
// the ownership options opts (at most one; the defaults without).
func planOf(s *schema.Snapshot, a *contexts.Assignment, opts ...ownership.Options) (*plan.Plan, error) {
	var o analysis.Options
	if len(opts) > 0 {
		o.Ownership = opts[0]
	}
	an, err := analysis.Run(s, a, o)
	if err != nil {
		return nil, err
	}
	return an.Plan, nil
}
