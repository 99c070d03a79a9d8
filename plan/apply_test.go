package plan_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"

	gomysql "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"

	"github.com/seamsdev/seams/plan"
	"github.com/seamsdev/seams/schema"
)

// execer runs one statement on a live database.
type execer interface {
	exec(ctx context.Context, stmt string) error
	query1(ctx context.Context, q string) (string, error)
	close()
}

type pgExec struct{ c *pgx.Conn }

func (p pgExec) exec(ctx context.Context, s string) error {
	_, err := p.c.Exec(ctx, s, pgx.QueryExecModeSimpleProtocol)
	return err
}
func (p pgExec) query1(ctx context.Context, q string) (string, error) {
	var v any
	if err := p.c.QueryRow(ctx, q, pgx.QueryExecModeSimpleProtocol).Scan(&v); err != nil {
		return "", err
	}
	return fmt.Sprint(v), nil
}
func (p pgExec) close() { p.c.Close(context.Background()) }

type myExec struct{ db *sql.DB }

func (m myExec) exec(ctx context.Context, s string) error {
	_, err := m.db.ExecContext(ctx, s)
	return err
}
func (m myExec) query1(ctx context.Context, q string) (string, error) {
	var v sql.RawBytes
	rows, err := m.db.QueryContext(ctx, q)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	if !rows.Next() {
		return "", fmt.Errorf("no row")
	}
	if err := rows.Scan(&v); err != nil {
		return "", err
	}
	return string(v), rows.Err()
}
func (m myExec) close() { m.db.Close() }

func connect(t *testing.T, engine, dsn string) execer {
	t.Helper()
	if engine == "mysql" {
		cfg, err := gomysql.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("mysql", cfg.FormatDSN())
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		return myExec{db}
	}
	c, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	return pgExec{c}
}

func handedOver(p *plan.Plan, n schema.TableName) bool {
	for _, c := range p.Contexts {
		if c.Proposed && slices.Contains(c.Tables, n) {
			return true
		}
	}
	return false
}
