package mysql

import (
	"context"
	"database/sql"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// readStats reads the table activity counters: from performance_schema when
// it is on, readable and counting table I/O, else from MariaDB's
// TABLE_STATISTICS when userstat is on. Counters that cannot be read stay
// nil, and the reason is recorded.
func (r *reader) readStats(ctx context.Context) error {
	r.setStep("table statistics")
	var reasons []string
	if r.server.perfSchema {
		why, err := r.readPerfSchema(ctx)
		if err != nil {
			return err
		}
		if why == "" {
			return nil
		}
		reasons = append(reasons, why)
	} else {
		reasons = append(reasons, "performance_schema is OFF (set performance_schema=ON in my.cnf and restart the server)")
	}
	if r.server.engine == schema.MariaDB {
		ok, err := r.readTableStatistics(ctx)
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		reasons = append(reasons, "userstat is OFF (SET GLOBAL userstat=ON, or userstat=ON in my.cnf)")
	}
	r.unreadable(partStats, strings.Join(reasons, "; "))
	return nil
}

// The performance_schema tables the counters are read from: the summary,
// and the two settings without which its counts stay at zero.
var perfSchemaTables = []string{
	"performance_schema.table_io_waits_summary_by_table",
	"performance_schema.setup_instruments",
	"performance_schema.setup_consumers",
}

// readPerfSchema reads performance_schema's table I/O summary. The summary
// holds a row for a table once the server has opened it since startup
// (creating it opens it) in a schema that setup_objects instruments; its
// counts start then. So a table with a row gets its counts, zeros included:
// the server watched it and saw no I/O. A table without a row gets no
// counters (nil): the server has not watched it, which says nothing about
// its activity. The counts are only kept while the table I/O instrument
// and the global_instrumentation consumer are enabled, so they are read
// together with those two settings, and when either is off no counter is
// recorded: zeros would be invented. It returns why the counters could not
// be read, or "" when they were.
func (r *reader) readPerfSchema(ctx context.Context) (string, error) {
	rows, err := r.query(ctx, "performance_schema table io", `SELECT i.ENABLED, c.ENABLED, t.OBJECT_NAME, t.COUNT_READ, t.COUNT_INSERT, t.COUNT_UPDATE, t.COUNT_DELETE
 FROM (SELECT 1 AS one) AS d
 LEFT JOIN performance_schema.setup_instruments i ON i.NAME = 'wait/io/table/sql/handler'
 LEFT JOIN performance_schema.setup_consumers c ON c.NAME = 'global_instrumentation'
 LEFT JOIN performance_schema.table_io_waits_summary_by_table t ON t.OBJECT_TYPE = 'TABLE' AND t.OBJECT_SCHEMA = DATABASE()`)
	if err != nil {
		if isAccessDenied(err) {
			return r.perfSchemaDenied(), nil
		}
		return "", err
	}
	defer rows.Close()
	stats := make(map[string]*schema.TableStats)
	var instrument, consumer sql.NullString
	for rows.Next() {
		var name sql.NullString
		var read, ins, upd, del sql.NullInt64
		if err := rows.Scan(&instrument, &consumer, &name, &read, &ins, &upd, &del); err != nil {
			return "", err
		}
		if name.Valid {
			stats[name.String] = &schema.TableStats{Source: "performance_schema", RowsRead: ptr(read), Inserted: ptr(ins), Updated: ptr(upd), Deleted: ptr(del)}
		}
	}
	if err := rows.Err(); err != nil {
		if isAccessDenied(err) {
			return r.perfSchemaDenied(), nil
		}
		return "", err
	}
	if why := perfSchemaOff(instrument, consumer); why != "" {
		return why, nil
	}
	for name, s := range stats {
		if t := r.table(name); t != nil {
			t.Stats = s
		}
	}
	return "", nil
}

// perfSchemaDenied says which grants reading the counters needs.
func (r *reader) perfSchemaDenied() string {
	grants := make([]string, len(perfSchemaTables))
	for i, t := range perfSchemaTables {
		grants[i] = r.grantTo("SELECT", t)
	}
	return "performance_schema is not readable: " + strings.Join(grants, ", ")
}

// perfSchemaOff says why performance_schema keeps no table I/O counts, from
// the ENABLED columns of the table I/O instrument and the
// global_instrumentation consumer, or returns "" when it keeps them.
func perfSchemaOff(instrument, consumer sql.NullString) string {
	var off []string
	if instrument.String != "YES" {
		off = append(off, "UPDATE performance_schema.setup_instruments SET ENABLED = 'YES' WHERE NAME = 'wait/io/table/sql/handler'")
	}
	if consumer.String != "YES" {
		off = append(off, "UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME = 'global_instrumentation'")
	}
	if len(off) == 0 {
		return ""
	}
	return "performance_schema is ON but does not count table I/O (" + strings.Join(off, ", ") + ")"
}

// readTableStatistics reads MariaDB's TABLE_STATISTICS together with
// @@userstat (one row even when no table has counters). It reports false
// when userstat is off: the counters are then not maintained.
func (r *reader) readTableStatistics(ctx context.Context) (bool, error) {
	rows, err := r.query(ctx, "table statistics", `SELECT @@global.userstat, s.TABLE_NAME, s.ROWS_READ, s.ROWS_CHANGED
 FROM (SELECT 1 AS one) AS d LEFT JOIN information_schema.TABLE_STATISTICS s ON s.TABLE_SCHEMA = DATABASE()`)
	if err != nil {
		if isAccessDenied(err) {
			return false, nil
		}
		return false, err
	}
	defer rows.Close()
	type counters struct{ read, changed sql.NullInt64 }
	got := make(map[string]counters)
	on := false
	for rows.Next() {
		var userstat sql.NullString
		var name sql.NullString
		var c counters
		if err := rows.Scan(&userstat, &name, &c.read, &c.changed); err != nil {
			return false, err
		}
		on = userstat.String == "1" || strings.EqualFold(userstat.String, "ON")
		if name.Valid {
			got[name.String] = c
		}
	}
	if err := rows.Err(); err != nil {
		return false, err
	}
	if !on {
		return false, nil
	}
	for name, c := range got {
		if t := r.table(name); t != nil {
			t.Stats = &schema.TableStats{Source: "table_statistics", RowsRead: ptr(c.read), Changed: ptr(c.changed)}
		}
	}
	return true, nil
}

func ptr(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return schema.Int64(n.Int64)
}
