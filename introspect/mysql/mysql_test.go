package mysql

import (
	"context"
	"testing"
	"time"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// fixedNow is the capture time of every test snapshot.
var fixedNow = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// config returns a run configuration for a go-sql-driver DSN.
func config(t testing.TB, dsn string) *introspect.Config {
	t.Helper()
	d, err := introspect.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("parse DSN: %v", err)
	}
	return &introspect.Config{DSN: d, SeamsVersion: "test", Now: func() time.Time { return fixedNow }}
}

// run introspects dsn and fails the test on error.
func run(t testing.TB, cfg *introspect.Config) *schema.Snapshot {
	t.Helper()
	snap, err := Introspect(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Introspect: %v", err)
	}
	return snap
}
