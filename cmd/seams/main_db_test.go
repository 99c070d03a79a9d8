//go:build integration

package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/schema"
)

// TestIntrospectBothEngines reads a small schema on both servers through the
// CLI, writes snapshots, and reads them back.
func TestIntrospectBothEngines(t *testing.T) {
	const ddl = `CREATE TABLE artist (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE album (id INT PRIMARY KEY, artist_id INT NOT NULL REFERENCES artist (id), title VARCHAR(200));`
	const ddlMySQL = `CREATE TABLE artist (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL);
CREATE TABLE album (id INT PRIMARY KEY, artist_id INT NOT NULL, title VARCHAR(200), CONSTRAINT album_artist_id_fkey FOREIGN KEY (artist_id) REFERENCES artist (id));`
	pg := testdb.Postgres(t)
	testdb.ExecPostgres(t, pg, ddl)
	my := testdb.MySQL(t)
	testdb.ExecMySQL(t, my, ddlMySQL)
	for _, tt := range []struct{ name, dsn string }{
		{"postgres", pg},
		{"mysql-url", testdb.MySQLURL(my)},
		{"mysql-native", my},
	} {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "snap.json")
			code, stdout, stderr := seams(t, "introspect", "--dsn", tt.dsn, "-o", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if stdout != "" || stderr != "" {
				t.Errorf("unexpected output: %q %q", stdout, stderr)
			}
			s, err := schema.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if c := s.Counts(); c.Tables != 2 || c.ForeignKeys != 1 {
				t.Errorf("counts %+v", c)
			}
			code, stdout, stderr = seams(t, "introspect", "--snapshot", out)
			if code != 0 || !strings.Contains(stdout, "foreign keys             1") {
				t.Errorf("summary: exit %d, %q %q", code, stdout, stderr)
			}
		})
	}
	t.Run("SEAMS_DSN", func(t *testing.T) {
		t.Setenv("SEAMS_DSN", pg)
		code, stdout, stderr := seams(t, "introspect", "--exclude", "album")
		if code != 0 || !strings.Contains(stdout, "tables                   1") {
			t.Errorf("exit %d, %q %q", code, stdout, stderr)
		}
	})
}
