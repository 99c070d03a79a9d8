// Command checkdb checks, before the tests run, that the PostgreSQL and
// MySQL/MariaDB servers the integration tests need can be reached, and says
// how to start them when they cannot.
package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/seamsdev/seams/internal/testdb"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	failed := false
	pg := testdb.PostgresAdminDSN()
	if conn, err := pgx.Connect(ctx, pg); err != nil {
		fmt.Fprintf(os.Stderr, "PostgreSQL is not reachable (SEAMS_TEST_PG_DSN, default %s): %v\n", testdb.DefaultPostgres, err)
		failed = true
	} else {
		conn.Close(ctx)
	}
	cfg, err := mysql.ParseDSN(testdb.MySQLAdminDSN())
	if err != nil {
		fmt.Fprintf(os.Stderr, "SEAMS_TEST_MYSQL_DSN: %v\n", err)
		os.Exit(1)
	}
	db, _ := sql.Open("mysql", cfg.FormatDSN())
	if err := db.PingContext(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "MySQL/MariaDB is not reachable at %s (SEAMS_TEST_MYSQL_DSN, default %s): %v\n", cfg.Addr, testdb.DefaultMySQL, err)
		failed = true
	}
	db.Close()
	if failed {
		fmt.Fprintln(os.Stderr, `The integration tests need both servers. Start them with one of:
  bash .ci/run                         (starts the local services, then runs the tests)
  docker compose up -d                 (PostgreSQL 16 and MySQL 8.4; then export the DSNs it prints in the README)
or point SEAMS_TEST_PG_DSN / SEAMS_TEST_MYSQL_DSN at running servers.`)
		os.Exit(1)
	}
}
