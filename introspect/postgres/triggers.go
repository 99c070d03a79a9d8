package postgres

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
)

// TriggerSource is a trigger as the catalog (or a DDL file) gives it,
// before the body of its function is analysed.
type TriggerSource struct {
	schema.Trigger
	// Language is the trigger function's language: plpgsql, c, internal...
	Language string
	// BodyKnown reports whether Body holds the function's source.
	BodyKnown bool
	// SearchPath is the function's own SET search_path, if any (nil when
	// it sets none).
	SearchPath []string
}

// pg_trigger.tgtype bits (src/include/catalog/pg_trigger.h).
const (
	tgRow      = 1 << 0
	tgBefore   = 1 << 1
	tgInsert   = 1 << 2
	tgDelete   = 1 << 3
	tgUpdate   = 1 << 4
	tgTruncate = 1 << 5
	tgInstead  = 1 << 6
)

// DecodeTgtype decodes pg_trigger.tgtype into timing, events (in the order
// INSERT, UPDATE, DELETE, TRUNCATE) and level.
func DecodeTgtype(t int) (timing string, events []string, level string) {
	switch {
	case t&tgInstead != 0:
		timing = "INSTEAD OF"
	case t&tgBefore != 0:
		timing = "BEFORE"
	default:
		timing = "AFTER"
	}
	events = []string{}
	for _, e := range []struct {
		bit  int
		name string
	}{{tgInsert, "INSERT"}, {tgUpdate, "UPDATE"}, {tgDelete, "DELETE"}, {tgTruncate, "TRUNCATE"}} {
		if t&e.bit != 0 {
			events = append(events, e.name)
		}
	}
	level = "STATEMENT"
	if t&tgRow != 0 {
		level = "ROW"
	}
	return timing, events, level
}

// searchPath extracts the schemas of a function's SET search_path from
// pg_proc.proconfig ("search_path=a, \"B\""). $user and pg_temp are left
// out; nil when the function sets none.
func searchPath(proconfig []string) []string {
	for _, c := range proconfig {
		if v, ok := strings.CutPrefix(c, "search_path="); ok {
			return SearchPath(v)
		}
	}
	return nil
}

// SearchPath reads a search_path setting ("a, \"B\", $user") into its
// schemas, as the server does: names split on commas, unquoted ones folded
// to lower case, $user and pg_temp (no schema of the database's catalog)
// and empty entries left out. It never returns nil.
func SearchPath(v string) []string {
	path := []string{}
	for _, part := range SplitIdentifiers(v, ',') {
		if part == "$user" || part == "pg_temp" || part == "" {
			continue
		}
		path = append(path, part)
	}
	return path
}

// SplitIdentifiers splits s on sep outside double quotes, as PostgreSQL's
// SplitIdentifierString does: a quoted part is unquoted ("" is a quote),
// an unquoted one trimmed and folded to lower case.
func SplitIdentifiers(s string, sep byte) []string {
	var (
		parts  []string
		cur    strings.Builder
		quoted bool
		inQ    bool
	)
	flush := func() {
		p := cur.String()
		if !quoted {
			p = strings.ToLower(strings.TrimSpace(p))
		}
		parts = append(parts, p)
		cur.Reset()
		quoted = false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' && inQ && i+1 < len(s) && s[i+1] == '"':
			cur.WriteByte('"')
			i++
		case c == '"':
			inQ = !inQ
			quoted = true
		case c == sep && !inQ:
			flush()
		case (c == ' ' || c == '\t') && !inQ:
			// unquoted blanks around names are not part of them
		default:
			cur.WriteByte(c)
		}
	}
	flush()
	return parts
}

// analyseTriggers adds the pending triggers to the snapshot, analysed.
func (r *reader) analyseTriggers() {
	r.snap.Triggers = append(r.snap.Triggers, AnalyseTriggers(r.snap, r.pending)...)
	r.pending = nil
}

// AnalyseTriggers turns trigger sources into snapshot triggers, with the
// tables each PL/pgSQL body reads and writes, and those the routines of
// snap it calls read and write. Unqualified names are resolved against the
// function's own search path, else the database's (snap.SearchPath), else
// the trigger's schema then public, among the tables and views of snap; a
// name found in none is left out and noted in Unresolved, as are bodies
// that are unreadable, in another language, or not fully parsed.
func AnalyseTriggers(snap *schema.Snapshot, sources []TriggerSource) []schema.Trigger {
	known := knownRelations(snap)
	routines := map[schema.TableName]bool{}
	for _, rt := range snap.Routines {
		routines[schema.TableName{Schema: rt.Schema, Name: rt.Name}] = true
	}
	// The same function often serves many triggers: analyse each body once.
	type result struct {
		refs sqlrefs.Refs
		err  error
	}
	cache := map[string]result{}
	out := make([]schema.Trigger, 0, len(sources))
	for _, p := range sources {
		tr := p.Trigger
		tr.Reads, tr.Writes = []schema.TableName{}, []schema.TableName{}
		switch {
		case !p.BodyKnown:
			tr.Unresolved = "function body unreadable"
		case p.Language != "plpgsql":
			// internal, c and the other procedural languages. There is
			// no sql case: PostgreSQL refuses trigger functions in SQL
			// (TestNoSQLTriggerFunctions).
			tr.Unresolved = fmt.Sprintf("function in language %s: body not analysed", p.Language)
		default:
			res, ok := cache[p.Body]
			if !ok {
				res.refs, res.err = sqlrefs.PLpgSQL(p.Body)
				cache[p.Body] = res
			}
			// On an error the refs hold what could be resolved.
			var notes []string
			if res.err != nil {
				notes = append(notes, "body not fully parsed: "+introspect.OneLine(res.err.Error()))
			}
			for _, d := range res.refs.Dynamic {
				notes = append(notes, "dynamic SQL not analysed: "+introspect.OneLine(d))
			}
			path := pathOf(snap, p.SearchPath, tr.Schema)
			tr.Reads, notes = resolve(res.refs.Reads, path, known, notes)
			tr.Writes, notes = resolve(res.refs.Writes, path, known, notes)
			// What the functions it calls (PERFORM f(), SELECT f()...) read
			// and write, the trigger does.
			if reads, writes, followed := reach(resolveCalls(res.refs.Calls, path, routines), snap.Routines); len(followed) > 0 {
				tr.Reads = append(tr.Reads, reads...)
				tr.Writes = append(tr.Writes, writes...)
				notes = append(notes, "includes what the functions it calls read and write: "+strings.Join(followed, ", "))
			}
			tr.Unresolved = strings.Join(notes, "; ")
		}
		out = append(out, tr)
	}
	return out
}

// resolve qualifies the unqualified names against the search path and the
// tables and views of the snapshot. A name found on no schema of the path is
// left out and noted.
func resolve(names []schema.TableName, path []string, known map[schema.TableName]bool, notes []string) ([]schema.TableName, []string) {
	out := make([]schema.TableName, 0, len(names))
	for _, n := range names {
		if n.Schema != "" {
			out = append(out, n)
			continue
		}
		found := false
		for _, s := range path {
			q := schema.TableName{Schema: s, Name: n.Name}
			if known[q] {
				out = append(out, q)
				found = true
				break
			}
		}
		if !found {
			note := fmt.Sprintf("table %q not found in schemas %s", n.Name, strings.Join(path, ", "))
			if !slices.Contains(notes, note) {
				notes = append(notes, note)
			}
		}
	}
	return out, notes
}

// dropExcludedReferences removes excluded tables from what views and
// triggers read and write, so that the snapshot never names a table it
// left out on purpose. Keys to excluded tables are dropped as they are read.
func (r *reader) dropExcludedReferences() {
	if len(r.cfg.Exclude) == 0 {
		return
	}
	keep := func(ns []schema.TableName) []schema.TableName {
		return slices.DeleteFunc(ns, r.cfg.Excluded)
	}
	for i := range r.snap.Views {
		r.snap.Views[i].Reads = keep(r.snap.Views[i].Reads)
	}
	for i := range r.snap.Triggers {
		r.snap.Triggers[i].Reads = keep(r.snap.Triggers[i].Reads)
		r.snap.Triggers[i].Writes = keep(r.snap.Triggers[i].Writes)
	}
	for i := range r.snap.Routines {
		rt := &r.snap.Routines[i]
		rt.Reads, rt.Writes, rt.ByPath = keep(rt.Reads), keep(rt.Writes), keep(rt.ByPath)
	}
}
