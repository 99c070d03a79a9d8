package diagramtest

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/render/markdown"
	"github.com/seamsdev/seams/schema"
)

// Fixture is the MusicCorp fixture read from a live database, with its
// contexts map, plan and plan Markdown.
type Fixture struct {
	Snapshot     *schema.Snapshot
	Assignment   *contexts.Assignment
	Plan         *plan.Plan
	PlanMarkdown string
}

// LoadMusicCorp loads the MusicCorp fixture into a fresh PostgreSQL
// database, introspects it, resolves its contexts map and builds its plan.
// What changes between loads (database name, server, counters, estimates)
// is cleared so that outputs can be compared with golden files.
func LoadMusicCorp(t testing.TB) *Fixture {
	t.Helper()
	dsn := testdb.Postgres(t)
	testdb.ExecPostgres(t, dsn, musiccorp.PostgresSQL)
	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("ParseDSN: %v", err)
	}
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s, err := postgres.Introspect(context.Background(), &introspect.Config{DSN: d, SeamsVersion: "test", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("introspect: %v", err)
	}
	s.Source.Database, s.Source.Host, s.Source.ServerVersion = "musiccorp", "", ""
	for i := range s.Tables {
		s.Tables[i].Stats, s.Tables[i].SizeBytes, s.Tables[i].RowEstimate = nil, nil, nil
	}
	m, err := contexts.Parse("contexts.yaml", []byte(musiccorp.ContextsYAML))
	if err != nil {
		t.Fatalf("parse contexts: %v", err)
	}
	a, err := contexts.Resolve(m, s)
	if err != nil {
		t.Fatalf("resolve contexts: %v", err)
	}
	p, err := plan.Build(s, a, plan.Options{})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	var md bytes.Buffer
	if err := markdown.Write(&md, p); err != nil {
		t.Fatalf("markdown: %v", err)
	}
	return &Fixture{Snapshot: s, Assignment: a, Plan: p, PlanMarkdown: md.String()}
}
