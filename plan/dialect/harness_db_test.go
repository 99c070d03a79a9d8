//go:build integration

package dialect

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/internal/testdb"
	"github.com/seamsdev/seams/schema"
)

// servers returns the engines to run a test on, each with a fresh database.
func servers() []string { return []string{"postgres", "mysql"} }

// connect opens a fresh test database on the named engine.
func connect(t *testing.T, engine string) *server {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	s := &server{t: t, ctx: ctx}
	switch engine {
	case "postgres":
		s.d = Postgres
		conn, err := pgx.Connect(ctx, testdb.Postgres(t))
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		s.pg = conn
	case "mysql":
		s.d = MySQL
		dsn := testdb.MySQL(t)
		db, err := sql.Open("mysql", dsn)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		t.Cleanup(func() { conn.Close() })
		s.my = conn
		cfg, _ := gomysql.ParseDSN(dsn)
		s.namespaces = append(s.namespaces, cfg.DBName)
	default:
		t.Fatalf("unknown engine %s", engine)
	}
	return s
}

// applyErr runs statements and returns the first error.
func (s *server) applyErr(stmts []string) error {
	for _, st := range stmts {
		if err := s.exec(st); err != nil {
			return err
		}
	}
	return nil
}

// newNamespace creates a schema (PostgreSQL) or a database (MySQL) whose
// name is base plus a unique suffix on MySQL (databases are server-wide),
// and drops the database when the test ends.
func (s *server) newNamespace(base string) string {
	s.t.Helper()
	name := base
	if s.my != nil {
		name = base + testdb.Name("")
		s.dropAtEnd(name)
	}
	if s.my != nil {
		s.mustExec("CREATE DATABASE " + s.d.Ident(name) + " CHARACTER SET utf8mb4")
	} else {
		s.mustExec("CREATE SCHEMA " + s.d.Ident(name))
	}
	return name
}

// dropAtEnd drops a MySQL database when the test ends and adds it to the
// namespaces state describes.
func (s *server) dropAtEnd(name string) {
	if s.my == nil {
		return
	}
	s.namespaces = append(s.namespaces, name)
	s.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		// A key from another test database may reference this one.
		if _, err := s.my.ExecContext(ctx, "SET foreign_key_checks = 0"); err != nil {
			s.t.Errorf("drop database %s: %v", name, err)
		}
		if _, err := s.my.ExecContext(ctx, "DROP DATABASE IF EXISTS `"+strings.ReplaceAll(name, "`", "``")+"`"); err != nil {
			s.t.Errorf("drop database %s: %v", name, err)
		}
	})
}

// tableExists reports whether a base table exists.
func (s *server) tableExists(n schema.TableName) bool {
	s.t.Helper()
	if s.pg != nil {
		return s.one(`SELECT count(*) FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
			WHERE ns.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r','p')`, n.Schema, n.Name) == "1"
	}
	return s.one(`SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND TABLE_TYPE = 'BASE TABLE'`, n.Schema, n.Name) == "1"
}

// namespaceExists reports whether a schema or database exists.
func (s *server) namespaceExists(name string) bool {
	s.t.Helper()
	if s.pg != nil {
		return s.one(`SELECT count(*) FROM pg_namespace WHERE nspname = $1`, name) == "1"
	}
	return s.one(`SELECT count(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?`, name) == "1"
}

// foreignKeys lists the foreign keys of a table as "name -> parent (actions)".
func (s *server) foreignKeys(n schema.TableName) []string {
	s.t.Helper()
	var out []string
	if s.pg != nil {
		for _, r := range s.query(`SELECT k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k
			JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace ns ON ns.oid = c.relnamespace
			WHERE ns.nspname = $1 AND c.relname = $2 AND k.contype = 'f' ORDER BY 1`, n.Schema, n.Name) {
			out = append(out, r[0]+": "+r[1])
		}
		return out
	}
	for _, r := range s.query(`SELECT CONSTRAINT_NAME, UNIQUE_CONSTRAINT_SCHEMA, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE
		FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ? ORDER BY 1`, n.Schema, n.Name) {
		out = append(out, r[0]+": "+r[1]+"."+r[2]+" ON UPDATE "+r[3]+" ON DELETE "+r[4])
	}
	return out
}

// roundTrip checks a change on a live server: the state before Up, Up
// applied and checked by up, then Down applied and the state compared with
// the one before.
func (s *server) roundTrip(c Change, up func()) {
	s.t.Helper()
	if c.Err != nil {
		s.t.Fatalf("change: %v", c.Err)
	}
	if len(c.Up) == 0 || len(c.Down) == 0 {
		s.t.Fatalf("change has %d up and %d down statements", len(c.Up), len(c.Down))
	}
	before := s.state()
	s.apply("up", c.Up)
	if after := s.state(); after == before {
		s.t.Errorf("up changed nothing")
	}
	if up != nil {
		up()
	}
	s.apply("down", c.Down)
	if after := s.state(); after != before {
		s.t.Errorf("down did not restore the database:\n%s", diff(before, after))
	}
}

// movedTo returns to when n is from, else n.
func movedTo(n, from, to schema.TableName) schema.TableName {
	if n == from {
		return to
	}
	return n
}
