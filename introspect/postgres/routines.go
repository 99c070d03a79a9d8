package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
)

// RoutineSource is a routine as the catalog (or a DDL file) gives it,
// before its body is analysed.
type RoutineSource struct {
	schema.Routine
	// Body is the routine's source; BodyKnown reports whether it was read.
	Body      string
	BodyKnown bool
}

// The routines with a body in text (SQL and PL/pgSQL; a BEGIN ATOMIC body
// is bound to its tables when created and has an empty prosrc), functions
// and procedures, without those of extensions. %s is the body expression.
const routinesSQL = `
SELECT n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid), p.prokind::text, l.lanname::text, %s,
       coalesce(p.proconfig, '{}')
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname = ANY($1) AND l.lanname IN ('sql', 'plpgsql') AND p.prokind IN ('f', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')`

func (r *reader) readRoutines(ctx context.Context) error {
	body := "p.prosrc"
	if !r.info.canProsrc {
		body = "NULL::text"
		r.unreadable("routine bodies", "permission denied for column prosrc of pg_proc: "+grantHint(r.user, r.database, "column", "prosrc"))
	}
	return r.query(ctx, "routines", fmt.Sprintf(routinesSQL, body), func(rows pgx.Rows) error {
		var (
			p         RoutineSource
			kind      string
			src       *string
			proconfig []string
		)
		if err := rows.Scan(&p.Schema, &p.Name, &p.Arguments, &kind, &p.Language, &src, &proconfig); err != nil {
			return err
		}
		p.Kind = "function"
		if kind == "p" {
			p.Kind = "procedure"
		}
		if src != nil {
			p.Body, p.BodyKnown = *src, true
		}
		p.SearchPath = searchPath(proconfig)
		r.routines = append(r.routines, p)
		return nil
	}, r.schemas)
}

// pathOf returns the search path names in a body resolve through: the
// routine's own, else the database's, else its schema then public.
func pathOf(snap *schema.Snapshot, own []string, schemaName string) []string {
	switch {
	case own != nil:
		return own
	case len(snap.SearchPath) > 0:
		return snap.SearchPath
	}
	return []string{schemaName, "public"}
}

// analyseRoutines turns the pending routines into snapshot routines, with
// the tables each body reaches and the routines it calls.
func (r *reader) analyseRoutines() {
	r.snap.Routines = append(r.snap.Routines, AnalyseRoutines(r.snap, r.routines)...)
	r.routines = nil
}

// AnalyseRoutines turns routine sources into snapshot routines, with the
// tables each SQL or PL/pgSQL body reaches (resolved through the routine's
// own search path, else the database's, else its schema then public), those
// it reaches by search path, and the routines of sources it calls.
func AnalyseRoutines(snap *schema.Snapshot, sources []RoutineSource) []schema.Routine {
	known := knownRelations(snap)
	names := map[schema.TableName]bool{} // routines by schema and name
	for _, p := range sources {
		names[schema.TableName{Schema: p.Schema, Name: p.Name}] = true
	}
	out := make([]schema.Routine, 0, len(sources))
	for _, p := range sources {
		rt := p.Routine
		rt.Reads, rt.Writes = []schema.TableName{}, []schema.TableName{}
		var refs sqlrefs.Refs
		var err error
		switch {
		case !p.BodyKnown:
			rt.Unresolved = "body unreadable"
		case strings.TrimSpace(p.Body) == "":
			rt.Unresolved = "BEGIN ATOMIC body: bound to its tables when created, not analysed"
		case p.Language == "plpgsql":
			refs, err = sqlrefs.PLpgSQL(p.Body)
		default:
			refs, err = sqlrefs.Postgres(p.Body)
		}
		if p.BodyKnown && strings.TrimSpace(p.Body) != "" {
			var notes []string
			if err != nil {
				notes = append(notes, "body not fully parsed: "+introspect.OneLine(err.Error()))
			}
			for _, d := range refs.Dynamic {
				notes = append(notes, "dynamic SQL not analysed: "+introspect.OneLine(d))
			}
			path := pathOf(snap, p.SearchPath, p.Schema)
			rt.Reads, notes = resolve(refs.Reads, path, known, notes)
			rt.Writes, notes = resolve(refs.Writes, path, known, notes)
			rt.ByPath = byPath(append(slices.Clone(refs.Reads), refs.Writes...), path, known)
			rt.Calls = resolveCalls(refs.Calls, path, names)
			rt.Dynamic = len(refs.Dynamic) > 0
			rt.Unresolved = strings.Join(notes, "; ")
		}
		out = append(out, rt)
	}
	return out
}

// knownRelations returns the tables and views of the snapshot.
func knownRelations(snap *schema.Snapshot) map[schema.TableName]bool {
	known := make(map[schema.TableName]bool, len(snap.Tables)+len(snap.Views))
	for i := range snap.Tables {
		known[snap.Tables[i].TableName()] = true
	}
	for i := range snap.Views {
		known[snap.Views[i].TableName()] = true
	}
	return known
}

// byPath resolves the unqualified names among ns through path: the tables
// a body reaches by search path.
func byPath(ns []schema.TableName, path []string, known map[schema.TableName]bool) []schema.TableName {
	var unq []schema.TableName
	for _, n := range ns {
		if n.Schema == "" {
			unq = append(unq, n)
		}
	}
	out, _ := resolve(unq, path, known, nil)
	if len(out) == 0 {
		return nil
	}
	return out
}

// resolveCalls returns the routines of names that calls reach, as
// "schema.name": a qualified call as written, an unqualified one through
// path. Calls of anything else (built-in functions) are left out.
func resolveCalls(calls, path []string, names map[schema.TableName]bool) []string {
	var out []string
	for _, c := range calls {
		if s, n, ok := strings.Cut(c, "."); ok {
			if names[schema.TableName{Schema: s, Name: n}] {
				out = append(out, c)
			}
			continue
		}
		for _, s := range path {
			if names[schema.TableName{Schema: s, Name: c}] {
				out = append(out, s+"."+c)
				break
			}
		}
	}
	return out
}

// reach returns the reads and writes of the routines that calls reach,
// directly or through the routines they call, and the routines followed,
// sorted.
func reach(calls []string, routines []schema.Routine) (reads, writes []schema.TableName, followed []string) {
	byName := map[string][]*schema.Routine{}
	for i := range routines {
		rt := &routines[i]
		k := rt.Schema + "." + rt.Name
		byName[k] = append(byName[k], rt)
	}
	seen := map[string]bool{}
	queue := slices.Clone(calls)
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if seen[c] {
			continue
		}
		seen[c] = true
		followed = append(followed, c)
		for _, rt := range byName[c] {
			reads = append(reads, rt.Reads...)
			writes = append(writes, rt.Writes...)
			queue = append(queue, rt.Calls...)
		}
	}
	slices.Sort(followed)
	return reads, writes, followed
}
