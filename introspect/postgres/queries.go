package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// Every query reads pg_catalog only and filters on the schema list in SQL
// ($1 = the schemas read). None is issued per table.

// serverInfo is what the first query returns.
type serverInfo struct {
	version    string
	versionNum int
	database   string
	// schemas are the non-system schemas; system names every schema, for
	// the check of --schema.
	schemas []schema.Schema
	system  []string
	// canViewDef and canProsrc tell whether the role may call
	// pg_get_viewdef and read pg_proc.prosrc.
	canViewDef bool
	canProsrc  bool
	// dbConfig is the database's own settings (pg_db_role_setting for
	// every role), "name=value".
	dbConfig []string
}

const infoSQL = `
SELECT current_setting('server_version'),
       current_setting('server_version_num')::int,
       current_database(),
       ARRAY(SELECT n.nspname::text FROM pg_namespace n
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
             ORDER BY n.nspname),
       ARRAY(SELECT coalesce(d.description, '') FROM pg_namespace n
             LEFT JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
               AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
             ORDER BY n.nspname),
       ARRAY(SELECT n.nspname::text FROM pg_namespace n
             WHERE n.nspname IN ('pg_catalog', 'information_schema')
                OR n.nspname LIKE 'pg\_toast%' OR n.nspname LIKE 'pg\_temp\_%'),
       has_function_privilege('pg_catalog.pg_get_viewdef(oid, boolean)', 'EXECUTE'),
       has_column_privilege('pg_catalog.pg_proc', 'prosrc', 'SELECT'),
       coalesce((SELECT s.setconfig FROM pg_db_role_setting s
                 WHERE s.setrole = 0 AND s.setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())), '{}')`

func (r *reader) readInfo(ctx context.Context) error {
	var names, comments []string
	return r.query(ctx, "server", infoSQL, func(rows pgx.Rows) error {
		in := &r.info
		if err := rows.Scan(&in.version, &in.versionNum, &in.database, &names, &comments, &in.system, &in.canViewDef, &in.canProsrc, &in.dbConfig); err != nil {
			return err
		}
		for i, n := range names {
			in.schemas = append(in.schemas, schema.Schema{Name: n, Comment: comments[i]})
		}
		return nil
	})
}

// pickSchemas settles the schemas to read: cfg.Schemas, each of which must
// exist, or every non-system schema.
func (r *reader) pickSchemas() error {
	var avail []string
	for _, s := range r.info.schemas {
		avail = append(avail, s.Name)
	}
	if len(r.cfg.Schemas) == 0 {
		r.schemas = avail
		return nil
	}
	var missing []string
	for _, s := range r.cfg.Schemas {
		if !slices.Contains(avail, s) && !slices.Contains(r.info.system, s) {
			missing = append(missing, fmt.Sprintf("%q", s))
		}
	}
	if len(missing) > 0 {
		what := "schema " + missing[0] + " does not exist"
		if len(missing) > 1 {
			what = "schemas " + strings.Join(missing, ", ") + " do not exist"
		}
		list := "none"
		if len(avail) > 0 {
			list = strings.Join(avail, ", ")
		}
		return &introspect.UsageError{Msg: fmt.Sprintf("introspect %s: %s in database %q; available schemas: %s",
			r.cfg.DSN.Masked(), what, r.info.database, list)}
	}
	r.schemas = slices.Sorted(slices.Values(slices.Compact(slices.Sorted(slices.Values(r.cfg.Schemas)))))
	// System schemas asked for by name are read too (without comment).
	for _, s := range r.schemas {
		if slices.Contains(r.info.system, s) {
			r.info.schemas = append(r.info.schemas, schema.Schema{Name: s})
		}
	}
	return nil
}

// Sizes are pg_class.relpages of the table, its TOAST table and all their
// indexes, times the block size: what VACUUM, ANALYZE and CREATE INDEX last
// recorded. pg_total_relation_size would be exact to the minute but opens
// every table and index (ACCESS SHARE lock, a relation cache entry, a stat()
// per file): 0.2-0.4 ms a table, most of the time budget on 2,000 tables,
// and a wait behind any concurrent DDL.
const tablesSQL = `
SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text,
       pn.nspname::text, pc.relname::text,
       coalesce(d.description, ''), c.reltuples::float8, c.relpages::int8,
       (c.relpages::int8 + coalesce(tt.relpages, 0)
        + coalesce((SELECT sum(ic.relpages)::int8 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
                    WHERE i.indrelid IN (c.oid, c.reltoastrelid)), 0))
       * current_setting('block_size')::int8
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class tt ON tt.oid = c.reltoastrelid
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1)`

func (r *reader) readTables(ctx context.Context) error {
	r.tables = make(map[uint32]int)
	return r.query(ctx, "tables", tablesSQL, func(rows pgx.Rows) error {
		var (
			oid                  uint32
			t                    schema.Table
			kind                 string
			parentNsp, parentRel *string
			reltuples            float64
			relpages, bytes      int64
		)
		if err := rows.Scan(&oid, &t.Schema, &t.Name, &kind, &parentNsp, &parentRel, &t.Comment, &reltuples, &relpages, &bytes); err != nil {
			return err
		}
		if r.cfg.Excluded(t.TableName()) {
			return nil
		}
		t.Kind = schema.KindTable
		if kind == "p" {
			t.Kind = schema.KindPartitioned
		}
		if parentNsp != nil && parentRel != nil {
			t.PartitionOf = &schema.TableName{Schema: *parentNsp, Name: *parentRel}
		}
		t.RowEstimate = rowEstimate(r.info.versionNum, reltuples, relpages)
		if t.RowEstimate != nil && kind != "p" {
			// Never vacuumed or analysed: the size is unknown too.
			t.SizeBytes = schema.Int64(bytes)
		}
		t.Columns = []schema.Column{}
		r.tables[oid] = len(r.snap.Tables)
		r.snap.Tables = append(r.snap.Tables, t)
		return nil
	}, r.schemas)
}

// rowEstimate turns pg_class.reltuples into an estimate, or nil when the
// table was never vacuumed or analysed: PostgreSQL 14 and later say so with
// -1; before 14, 0 tuples in 0 pages is the only sign.
func rowEstimate(versionNum int, reltuples float64, relpages int64) *int64 {
	if reltuples < 0 {
		return nil
	}
	if versionNum < 140000 && reltuples == 0 && relpages == 0 {
		return nil
	}
	return schema.Int64(int64(reltuples + 0.5))
}

// A default cannot refer to columns, so it is deparsed without its
// relation (pg_get_expr with a relation opens it: eight times slower); a
// generation expression can, and is deparsed with it.
const columnsSQL = `
SELECT a.attrelid, c.relkind::text, a.attnum, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(ad.adbin, CASE WHEN a.attgenerated <> '' THEN ad.adrelid ELSE 0 END, true),
       a.attgenerated::text, a.attidentity::text, coalesce(d.description, '')
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum`

// viewColumns holds the columns of views until the views are read.
type viewColumns map[uint32][]schema.Column

func (r *reader) readColumns(ctx context.Context) error {
	vcols := viewColumns{}
	err := r.query(ctx, "columns", columnsSQL, func(rows pgx.Rows) error {
		var (
			oid                 uint32
			kind                string
			attnum              int16
			c                   schema.Column
			notNull             bool
			def                 *string
			generated, identity string
		)
		if err := rows.Scan(&oid, &kind, &attnum, &c.Name, &c.Type, &notNull, &def, &generated, &identity, &c.Comment); err != nil {
			return err
		}
		r.attnames.add(oid, attnum, c.Name)
		c.Nullable = !notNull
		switch generated {
		case "s":
			c.Generated = "stored"
			if def != nil {
				c.Expression = *def
			}
		case "v":
			c.Generated = "virtual"
			if def != nil {
				c.Expression = *def
			}
		default:
			c.Default = def
		}
		switch identity {
		case "a":
			c.Identity = "always"
		case "d":
			c.Identity = "by default"
		}
		if kind == "v" || kind == "m" {
			vcols[oid] = append(vcols[oid], c)
			return nil
		}
		if i, ok := r.tables[oid]; ok {
			r.snap.Tables[i].Columns = append(r.snap.Tables[i].Columns, c)
		}
		return nil
	}, r.schemas)
	r.viewCols = vcols
	return err
}

// Constraint copies on partitions (conparentid <> 0: the primary key,
// unique and foreign keys a partition inherits, and the extra foreign keys
// PostgreSQL adds for each partition of a referenced partitioned table) are
// left out, so that a key on a partitioned table is one key on the parent.
// Inherited check constraints (not conislocal) are left out for the same
// reason. Key columns come as attribute numbers, named from the columns
// already read (a subquery per key doubles the time); only a key to a table
// outside the schemas read names its referenced columns in SQL. %s is
// pg_constraint.conenforced (PostgreSQL 18 and later) or true.
const constraintsSQL = `
SELECT c.conrelid, c.conname::text, c.contype::text, coalesce(c.conkey, '{}'),
       c.confrelid, fn.nspname::text, fc.relname::text, coalesce(c.confkey, '{}'),
       CASE WHEN c.contype = 'f' AND NOT fn.nspname = ANY($1) THEN
            ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                  JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord) END,
       c.confdeltype::text, c.confupdtype::text, c.condeferrable, c.condeferred, c.convalidated, %s,
       CASE WHEN c.contype = 'c' THEN pg_get_expr(c.conbin, c.conrelid, true) END
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
LEFT JOIN pg_class fc ON fc.oid = c.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE c.contype IN ('p', 'u', 'f', 'c') AND t.relkind IN ('r', 'p') AND n.nspname = ANY($1)
  AND c.conparentid = 0 AND (c.contype <> 'c' OR c.conislocal)`

func (r *reader) readConstraints(ctx context.Context) error {
	enforced := "true"
	if r.info.versionNum >= 180000 {
		enforced = "c.conenforced"
	}
	return r.query(ctx, "constraints", fmt.Sprintf(constraintsSQL, enforced), func(rows pgx.Rows) error {
		var (
			oid, refOid               uint32
			name, typ                 string
			key, refKey               []int16
			refNames                  []string
			refNsp, refRel            *string
			delType, updType          string
			deferrable, deferred, val bool
			enforcedFK                bool
			expr                      *string
		)
		if err := rows.Scan(&oid, &name, &typ, &key, &refOid, &refNsp, &refRel, &refKey, &refNames, &delType, &updType, &deferrable, &deferred, &val, &enforcedFK, &expr); err != nil {
			return err
		}
		i, ok := r.tables[oid]
		if !ok {
			return nil
		}
		cols := r.attnames.names(oid, key)
		t := &r.snap.Tables[i]
		switch typ {
		case "p":
			t.PrimaryKey = &schema.Key{Name: name, Columns: cols}
		case "u":
			t.Uniques = append(t.Uniques, schema.Key{Name: name, Columns: cols})
		case "c":
			ch := schema.Check{Name: name}
			if expr != nil {
				ch.Expression = *expr
			}
			t.Checks = append(t.Checks, ch)
		case "f":
			if refNsp == nil || refRel == nil {
				return nil
			}
			ref := schema.TableName{Schema: *refNsp, Name: *refRel}
			if r.cfg.Excluded(ref) {
				// The referenced table is excluded: the key goes with it.
				return nil
			}
			t.ForeignKeys = append(t.ForeignKeys, schema.ForeignKey{
				Name:              name,
				Columns:           cols,
				References:        ref,
				RefColumns:        refCols(refNames, r.attnames.names(refOid, refKey)),
				OnDelete:          Action(delType),
				OnUpdate:          Action(updType),
				Deferrable:        deferrable,
				InitiallyDeferred: deferred,
				Enforced:          enforcedFK,
				Valid:             val,
			})
		}
		return nil
	}, r.schemas)
}

// Action decodes a referential action letter: pg_constraint.confdeltype
// and confupdtype, and the parser's fk_del_action and fk_upd_action.
func Action(c string) schema.Action {
	switch c {
	case "r":
		return schema.Restrict
	case "c":
		return schema.Cascade
	case "n":
		return schema.SetNull
	case "d":
		return schema.SetDefault
	default:
		return schema.NoAction
	}
}

// Index partitions (the copies of an index on a partitioned table that each
// partition gets, relispartition) are left out. Plain key columns come as
// attribute numbers and are named from the columns already read; expression
// parts are deparsed by pg_get_indexdef, for expression indexes only.
// INCLUDE columns are not keys and are left out.
const indexesSQL = `
SELECT i.indrelid, ic.relname::text, (i.indkey::int2[])[0:i.indnkeyatts - 1],
       CASE WHEN i.indexprs IS NOT NULL THEN
            ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) END
                  FROM generate_series(1, i.indnkeyatts) k ORDER BY k) END,
       i.indisunique, i.indisprimary, coalesce(pg_get_expr(i.indpred, i.indrelid, true), ''), am.amname::text
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
JOIN pg_am am ON am.oid = ic.relam
WHERE t.relkind IN ('r', 'p') AND n.nspname = ANY($1) AND NOT ic.relispartition`

func (r *reader) readIndexes(ctx context.Context) error {
	return r.query(ctx, "indexes", indexesSQL, func(rows pgx.Rows) error {
		var (
			oid   uint32
			ix    schema.Index
			key   []int16
			exprs []*string
		)
		if err := rows.Scan(&oid, &ix.Name, &key, &exprs, &ix.Unique, &ix.Primary, &ix.Predicate, &ix.Method); err != nil {
			return err
		}
		ix.Columns = r.attnames.names(oid, key)
		for k, e := range exprs {
			if e != nil && k < len(ix.Columns) {
				ix.Columns[k] = *e
			}
		}
		if i, ok := r.tables[oid]; ok {
			r.snap.Tables[i].Indexes = append(r.snap.Tables[i].Indexes, ix)
		}
		return nil
	}, r.schemas)
}

// viewsSQL reads views and materialized views with the relations their
// rewrite rule depends on (pg_depend on pg_rewrite): unlike
// information_schema.view_table_usage this sees objects of every owner.
// %s is the definition expression.
const viewsSQL = `
SELECT c.oid, n.nspname::text, c.relname::text, c.relkind = 'm', %s, coalesce(d.description, ''),
       coalesce(deps.nsps, '{}'), coalesce(deps.names, '{}')
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN LATERAL (
    SELECT array_agg(rn.nspname::text ORDER BY rn.nspname, rc.relname) AS nsps,
           array_agg(rc.relname::text ORDER BY rn.nspname, rc.relname) AS names
    FROM (SELECT DISTINCT dep.refobjid
          FROM pg_rewrite rw
          JOIN pg_depend dep ON dep.classid = 'pg_rewrite'::regclass AND dep.objid = rw.oid
                            AND dep.refclassid = 'pg_class'::regclass AND dep.refobjid <> c.oid
          WHERE rw.ev_class = c.oid) x
    JOIN pg_class rc ON rc.oid = x.refobjid AND rc.relkind IN ('r', 'p', 'v', 'm', 'f')
    JOIN pg_namespace rn ON rn.oid = rc.relnamespace) deps ON true
WHERE c.relkind IN ('v', 'm') AND n.nspname = ANY($1)`

func (r *reader) readViews(ctx context.Context) error {
	def := "pg_get_viewdef(c.oid, true)"
	if !r.info.canViewDef {
		def = "NULL::text"
		r.unreadable("view definitions", "permission denied for function pg_get_viewdef: "+grantHint(r.user, r.database, "function", "pg_catalog.pg_get_viewdef(oid, boolean)"))
	}
	err := r.query(ctx, "views", fmt.Sprintf(viewsSQL, def), func(rows pgx.Rows) error {
		var (
			oid         uint32
			v           schema.View
			definition  *string
			nsps, names []string
		)
		if err := rows.Scan(&oid, &v.Schema, &v.Name, &v.Materialized, &definition, &v.Comment, &nsps, &names); err != nil {
			return err
		}
		if r.cfg.Excluded(v.TableName()) {
			return nil
		}
		if definition != nil {
			v.Definition = strings.TrimSpace(*definition)
		}
		v.Columns = r.viewCols[oid]
		v.Reads = make([]schema.TableName, 0, len(names))
		for i := range names {
			v.Reads = append(v.Reads, schema.TableName{Schema: nsps[i], Name: names[i]})
		}
		r.snap.Views = append(r.snap.Views, v)
		return nil
	}, r.schemas)
	r.viewCols = nil
	return err
}

// Triggers cloned onto partitions from a trigger on the partitioned parent
// (tgparentid <> 0) are left out: the trigger is recorded once, on the parent.
// %s is the body expression.
const triggersSQL = `
SELECT t.tgrelid, n.nspname::text, c.relname::text, t.tgname::text, t.tgtype::int,
       quote_ident(pn.nspname) || '.' || quote_ident(p.proname), l.lanname::text, %s,
       coalesce(p.proconfig, '{}')
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND n.nspname = ANY($1)`

func (r *reader) readTriggers(ctx context.Context) error {
	body := "p.prosrc"
	if !r.info.canProsrc {
		body = "NULL::text"
		r.unreadable("trigger bodies", "permission denied for column prosrc of pg_proc: "+grantHint(r.user, r.database, "column", "prosrc"))
	}
	return r.query(ctx, "triggers", fmt.Sprintf(triggersSQL, body), func(rows pgx.Rows) error {
		var (
			oid       uint32
			tr        TriggerSource
			tgtype    int
			src       *string
			proconfig []string
		)
		if err := rows.Scan(&oid, &tr.Schema, &tr.Table.Name, &tr.Name, &tgtype, &tr.Function, &tr.Language, &src, &proconfig); err != nil {
			return err
		}
		tr.Table.Schema = tr.Schema
		if r.cfg.Excluded(tr.Table) {
			return nil
		}
		tr.Timing, tr.Events, tr.Level = DecodeTgtype(tgtype)
		if src != nil {
			tr.Body = *src
			tr.BodyKnown = true
		}
		tr.SearchPath = searchPath(proconfig)
		r.pending = append(r.pending, tr)
		return nil
	}, r.schemas)
}

const statsSQL = `
SELECT s.relid, s.seq_scan, s.idx_scan, s.seq_tup_read + coalesce(s.idx_tup_fetch, 0),
       s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_live_tup,
       (SELECT d.stats_reset FROM pg_stat_database d WHERE d.datname = current_database())
FROM pg_stat_user_tables s
WHERE s.schemaname = ANY($1)`

// readStats reads the activity counters. They are optional: when the role
// may not read them the part is recorded as unreadable.
func (r *reader) readStats(ctx context.Context) error {
	// Counters are applied only once the query has succeeded: a query that
	// fails half-way leaves no table with counters.
	stats := map[int]*schema.TableStats{}
	ok, err := r.optional(ctx, "stats", func() error {
		return r.query(ctx, "stats", statsSQL, func(rows pgx.Rows) error {
			var (
				oid   uint32
				st    = schema.TableStats{Source: "pg_stat_user_tables"}
				reset pgtype.Timestamptz
			)
			if err := rows.Scan(&oid, &st.SeqScans, &st.IdxScans, &st.RowsRead, &st.Inserted, &st.Updated, &st.Deleted, &st.LiveRows, &reset); err != nil {
				return err
			}
			i, ok := r.tables[oid]
			if !ok || r.snap.Tables[i].Kind == schema.KindPartitioned {
				// A partitioned parent keeps no counters of its own (they
				// are always zero): leave them absent.
				return nil
			}
			if reset.Valid {
				ts := reset.Time.UTC().Truncate(time.Microsecond)
				st.StatsReset = &ts
			}
			stats[i] = &st
			return nil
		}, r.schemas)
	})
	if ok {
		for i, st := range stats {
			r.snap.Tables[i].Stats = st
		}
	}
	return err
}

// sumPartitionSizes gives each partitioned table the size of its partitions
// (a partitioned table stores nothing itself), summed over the partitions
// read whose size is known; nil when none is.
func (r *reader) sumPartitionSizes() {
	lk := schema.NewLookup(r.snap)
	var size func(n schema.TableName) *int64
	size = func(n schema.TableName) *int64 {
		t := lk.Table(n)
		if t == nil {
			return nil
		}
		if t.Kind != schema.KindPartitioned {
			return t.SizeBytes
		}
		var sum *int64
		for _, p := range lk.Partitions(n) {
			if s := size(p); s != nil {
				sum = schema.Int64(*s + valueOr(sum))
			}
		}
		return sum
	}
	for i := range r.snap.Tables {
		if t := &r.snap.Tables[i]; t.Kind == schema.KindPartitioned {
			t.SizeBytes = size(t.TableName())
		}
	}
}

func valueOr(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// attnames names the columns of the relations read, by attribute number.
type attnames map[uint32][]string

func (a attnames) add(oid uint32, attnum int16, name string) {
	cols := a[oid]
	for int(attnum) >= len(cols) {
		cols = append(cols, "")
	}
	cols[attnum] = name
	a[oid] = cols
}

// names returns the names of the attribute numbers key of relation oid;
// expression parts (0) and unknown numbers give "".
func (a attnames) names(oid uint32, key []int16) []string {
	cols := a[oid]
	out := make([]string, len(key))
	for i, k := range key {
		if k > 0 && int(k) < len(cols) {
			out[i] = cols[k]
		}
	}
	return out
}

// refCols returns the referenced column names: fromSQL when the server
// named them (a table outside the schemas read), else fromCatalog.
func refCols(fromSQL, fromCatalog []string) []string {
	if fromSQL != nil {
		return fromSQL
	}
	return fromCatalog
}
