package postgres

import (
	"sync"
	"testing"
	"time"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// fixedNow is the capture time of every test run, so that snapshots compare.
var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// config builds a Config for dsn; opts may change it.
func config(t testing.TB, dsn string, opts ...func(*introspect.Config)) *introspect.Config {
	t.Helper()
	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("ParseDSN(%s): %v", dsn, err)
	}
	cfg := &introspect.Config{DSN: d, SeamsVersion: "test", Now: func() time.Time { return fixedNow }}
	for _, o := range opts {
		o(cfg)
	}
	return cfg
}

// queryLog records the statements of a run.
type queryLog struct {
	mu    sync.Mutex
	names []string
}

func tableNames(snap *schema.Snapshot) []string {
	var ns []string
	for i := range snap.Tables {
		ns = append(ns, snap.Tables[i].TableName().String())
	}
	return ns
}
