// Package source picks where a snapshot comes from — a live PostgreSQL or
// MySQL/MariaDB database named by its DSN, a snapshot file written by
// `seams introspect -o`, or a DDL file (a dump, a structure.sql, a
// schema.sql) — behind one small interface, so that every command reads
// its input the same way.
//
// The engines seams reads live are registered in one place (Engines): an
// engine that is not there is an error, never a fallback to another.
package source

import (
	"context"
	"fmt"

	"github.com/seamsdev/seams/ddl"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/introspect/mysql"
	"github.com/seamsdev/seams/introspect/postgres"
	"github.com/seamsdev/seams/refdata"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/usage"
)

// A Source is where a snapshot comes from.
type Source interface {
	// Snapshot reads the snapshot.
	Snapshot(ctx context.Context) (*schema.Snapshot, error)
	// String names the source for messages, never with a password.
	String() string
}

// Engine reads the live databases of one SQL dialect.
type Engine struct {
	Dialect schema.Dialect
	// Introspect reads the catalog into a snapshot.
	Introspect func(ctx context.Context, cfg *introspect.Config) (*schema.Snapshot, error)
	// ReadRows reads the rows of tables, at most limit each (static
	// reference data exported by the plan).
	ReadRows func(ctx context.Context, cfg *introspect.Config, tables []schema.TableName, limit int) ([]refdata.Table, error)
	// ReadUsage reads the server's statement statistics into b.
	ReadUsage func(ctx context.Context, cfg *introspect.Config, b *usage.Builder) error
}

// engines are the engines seams reads live, by dialect.
var engines = map[schema.Dialect]Engine{
	schema.DialectPostgres: {Dialect: schema.DialectPostgres, Introspect: postgres.Introspect, ReadRows: postgres.ReadRows, ReadUsage: usage.ReadPostgres},
	schema.DialectMySQL:    {Dialect: schema.DialectMySQL, Introspect: mysql.Introspect, ReadRows: mysql.ReadRows, ReadUsage: usage.ReadMySQL},
}

// EngineFor returns the engine that reads databases of dialect d.
func EngineFor(d schema.Dialect) (Engine, error) {
	e, ok := engines[d]
	if !ok {
		return Engine{}, fmt.Errorf("no engine reads %q databases", d)
	}
	return e, nil
}

// Live is a live database.
type Live struct {
	Config *introspect.Config
	Engine Engine
}

// NewLive returns the live database cfg names, read by the engine of its
// dialect.
func NewLive(cfg *introspect.Config) (*Live, error) {
	e, err := EngineFor(cfg.DSN.Dialect)
	if err != nil {
		return nil, fmt.Errorf("introspect %s: %w", cfg.DSN.Masked(), err)
	}
	return &Live{Config: cfg, Engine: e}, nil
}

// Snapshot reads the database's catalog.
func (l *Live) Snapshot(ctx context.Context) (*schema.Snapshot, error) {
	return l.Engine.Introspect(ctx, l.Config)
}

// String returns the DSN with its password masked.
func (l *Live) String() string { return l.Config.DSN.Masked() }

// File is a snapshot file.
type File struct{ Path string }

// Snapshot reads the file.
func (f File) Snapshot(context.Context) (*schema.Snapshot, error) { return schema.ReadFile(f.Path) }

// String returns the file's path.
func (f File) String() string { return f.Path }

// DDL is a DDL file — pg_dump --schema-only, a Rails structure.sql,
// mysqldump --no-data, a schema.sql — read with package ddl, with no
// database.
type DDL struct {
	Path    string
	Options ddl.Options
	// Warn, when set, is told (one line each) about the statements of the
	// file that were passed over because they could not be parsed or
	// applied.
	Warn func(msg string)
}

// maxWarnings is how many passed-over statements DDL names one by one.
const maxWarnings = 20

// Snapshot reads the file. A file with no schema in it is a *ddl.Error.
func (d DDL) Snapshot(context.Context) (*schema.Snapshot, error) {
	res, err := ddl.ReadFile(d.Path, d.Options)
	if err != nil {
		return nil, err
	}
	if d.Warn != nil {
		for _, w := range res.Warnings(d.Path, maxWarnings) {
			d.Warn(w)
		}
	}
	return res.Snapshot, nil
}

func (d DDL) String() string { return d.Path }
