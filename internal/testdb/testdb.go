// Package testdb gives each test a fresh, uniquely named database on the
// real PostgreSQL and MariaDB/MySQL servers, and drops it when the test ends.
//
// The servers are found through SEAMS_TEST_PG_DSN and SEAMS_TEST_MYSQL_DSN,
// defaulting to the local services. A server that cannot be reached fails the
// test with a message that says how to start it: integration tests are never
// skipped silently.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
)

// Default server addresses, used when the environment names none.
const (
	DefaultPostgres = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	DefaultMySQL    = "root@tcp(127.0.0.1:3306)/"
)

const howToStart = "start the local services (bash .ci/run starts them), or point SEAMS_TEST_PG_DSN / SEAMS_TEST_MYSQL_DSN at running servers, or run `docker compose up -d`"

// PostgresAdminDSN returns the DSN of the PostgreSQL server used by tests.
func PostgresAdminDSN() string {
	if v := os.Getenv("SEAMS_TEST_PG_DSN"); v != "" {
		return v
	}
	return DefaultPostgres
}

// PostgresHost returns the host:port of the PostgreSQL server used by
// tests, as its DSN names it (127.0.0.1:5432 by default).
func PostgresHost() string {
	u, err := url.Parse(PostgresAdminDSN())
	if err != nil || u.Host == "" {
		return "127.0.0.1:5432"
	}
	if u.Port() == "" {
		return u.Host + ":5432"
	}
	return u.Host
}

// MySQLAdminDSN returns the go-sql-driver DSN of the MySQL/MariaDB server used by tests.
func MySQLAdminDSN() string {
	if v := os.Getenv("SEAMS_TEST_MYSQL_DSN"); v != "" {
		return v
	}
	return DefaultMySQL
}

// Name returns a fresh database name with the given prefix.
func Name(prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return fmt.Sprintf("%s_%d_%s", prefix, time.Now().Unix()%100000, hex.EncodeToString(b[:]))
}

// Postgres creates an empty PostgreSQL database for the test and returns a
// postgres:// DSN for it. The database is dropped when the test ends.
func Postgres(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := PostgresAdminDSN()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("testdb: PostgreSQL at %s is not reachable: %v; %s", maskURL(admin), err, howToStart)
	}
	defer conn.Close(ctx)
	name := Name("seams_test")
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// Dropping waits for catalog locks other tests may hold for a while.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("testdb: SEAMS_TEST_PG_DSN: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// PostgresVersionNum returns the server_version_num of the PostgreSQL
// server used by tests (150013 for 15.13), for the tests that check a
// behaviour a version changed.
func PostgresVersionNum(t testing.TB) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, PostgresAdminDSN())
	if err != nil {
		t.Fatalf("testdb: PostgreSQL at %s is not reachable: %v; %s", maskURL(PostgresAdminDSN()), err, howToStart)
	}
	defer conn.Close(ctx)
	var v int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&v); err != nil {
		t.Fatalf("testdb: server_version_num: %v", err)
	}
	return v
}

// ExecPostgres runs a script of SQL statements (several allowed) on dsn.
func ExecPostgres(t testing.TB, dsn, script string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	defer conn.Close(ctx)
	// The simple protocol runs a multi-statement script in one round trip.
	if _, err := conn.Exec(ctx, script, pgx.QueryExecModeSimpleProtocol); err != nil {
		t.Fatalf("testdb: run script: %v", err)
	}
}

// MySQLOff is the value of SEAMS_TEST_MYSQL_DSN that turns the MySQL
// halves of the tests off, on purpose: the PostgreSQL version matrix
// (.ci/pg-versions) runs the PostgreSQL halves against each version and has
// run the MySQL ones once already.
const MySQLOff = "off"

// MySQL creates an empty MySQL/MariaDB database for the test and returns a
// go-sql-driver DSN for it. The database is dropped when the test ends.
// With SEAMS_TEST_MYSQL_DSN=off the test is skipped, saying why.
func MySQL(t testing.TB) string {
	t.Helper()
	if MySQLAdminDSN() == MySQLOff {
		t.Skip("MySQL tests turned off (SEAMS_TEST_MYSQL_DSN=off)")
	}
	cfg, err := mysql.ParseDSN(MySQLAdminDSN())
	if err != nil {
		t.Fatalf("testdb: SEAMS_TEST_MYSQL_DSN: %v", err)
	}
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		t.Fatalf("testdb: MySQL/MariaDB at %s is not reachable: %v; %s", cfg.Addr, err, howToStart)
	}
	name := Name("seams_test")
	if _, err := db.ExecContext(ctx, "CREATE DATABASE `"+name+"` CHARACTER SET utf8mb4"); err != nil {
		t.Fatalf("testdb: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
			return
		}
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS `" + name + "`"); err != nil {
			t.Errorf("testdb: drop %s: %v", name, err)
		}
	})
	c := cfg.Clone()
	c.DBName = name
	return c.FormatDSN()
}

// ExecMySQL runs a script of SQL statements (several allowed, separated by
// semicolons; no DELIMITER lines) on a go-sql-driver dsn.
func ExecMySQL(t testing.TB, dsn, script string) {
	t.Helper()
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	cfg.MultiStatements = true
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if _, err := db.ExecContext(ctx, script); err != nil {
		t.Fatalf("testdb: run script: %v", err)
	}
}

// MySQLURL turns a go-sql-driver DSN into the mysql:// URL form seams accepts.
func MySQLURL(dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return dsn
	}
	u := url.URL{Scheme: "mysql", Host: cfg.Addr, Path: "/" + cfg.DBName}
	if cfg.Passwd != "" {
		u.User = url.UserPassword(cfg.User, cfg.Passwd)
	} else {
		u.User = url.User(cfg.User)
	}
	return u.String()
}

func maskURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		return strings.Replace(u.String(), u.User.String()+"@", u.User.Username()+":***@", 1)
	}
	return u.String()
}
