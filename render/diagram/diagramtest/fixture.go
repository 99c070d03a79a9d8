package diagramtest

import (
	"bytes"
	"testing"

	"github.com/seamsdev/seams/analysis"
	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/fixtures/musiccorp"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/render/diagram"
	"github.com/seamsdev/seams/schema"
)

// Fixture is the MusicCorp fixture analysed under its contexts map.
type Fixture struct {
	*analysis.Analysis
}

// LoadMusicCorp reads the MusicCorp fixture from its checked-in snapshot
// (fixtures/musiccorp/snapshot.json, which a test keeps equal to what the
// live database gives), resolves its contexts map and analyses it. What
// changes between captures (server, counters, estimates) is cleared so that
// outputs can be compared with golden files. It needs no database.
func LoadMusicCorp(t testing.TB) *Fixture {
	t.Helper()
	s, err := schema.Decode(bytes.NewReader(musiccorp.SnapshotJSON))
	if err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	s.Source.Database, s.Source.Host, s.Source.ServerVersion, s.Source.SeamsVersion = "musiccorp", "", "", "test"
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
	an, err := analysis.Run(s, a, analysis.Options{})
	if err != nil {
		t.Fatalf("analysis: %v", err)
	}
	return &Fixture{Analysis: an}
}

// Analyse analyses s under a with the default options, failing the test on
// an error.
func Analyse(t testing.TB, s *schema.Snapshot, a *contexts.Assignment) *analysis.Analysis {
	t.Helper()
	an, err := analysis.Run(s, a, analysis.Options{})
	if err != nil {
		t.Fatalf("analysis: %v", err)
	}
	return an
}

// Model indexes s under a for drawing, with the default ownership rules.
func Model(s *schema.Snapshot, a *contexts.Assignment, opts diagram.Options) *diagram.Model {
	return diagram.NewModel(ownership.New(s, a, ownership.Options{}), opts)
}

// HostileProposal returns the Hostile schema with its first table written
// by both hostile contexts: the ownership model then proposes a context
// named like the table, the most hostile name of all.
func HostileProposal() (*schema.Snapshot, *contexts.Assignment) {
	s, a := HostileSchema()
	n := schema.TableName{Schema: s.Tables[0].Schema, Name: Hostile[0]}
	a.Claims[n] = []contexts.Claim{{Context: a.Contexts[0], Access: contexts.AccessWrite}, {Context: a.Contexts[1], Access: contexts.AccessWrite}}
	return s, a
}
