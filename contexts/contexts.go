// Package contexts reads the contexts map (contexts.yaml): which tables
// belong to which bounded context, which tables are static reference data
// and which to ignore, and resolves it against a schema snapshot.
package contexts

import (
	"fmt"

	"github.com/seamsdev/seams/schema"
)

// Map is a parsed contexts map, as written by the user.
type Map struct {
	// File is the path the map was read from, for messages.
	File     string
	Contexts []Context
	// Static lists tables the user declares as static reference data.
	Static []Pattern
	// Ignore lists tables to leave out of the analysis.
	Ignore []Pattern
	// Version is the map's version: key, 0 when absent.
	Version int
	// Relations are what the map says about references no foreign key
	// declares: confirmed, denied and declared ones, in the map's order
	// (confirm:, then deny:, then declare:).
	Relations []Relation
	// Budgets cap the crossing couplings of contexts and of pairs of
	// contexts: those of the contexts' max_crossing keys, in the map's
	// order, then those of the budgets: list.
	Budgets []Budget
}

// Budget caps the couplings that cross a context boundary: those of one
// context with all the others, or those between two contexts. seams check
// fails when a budget is exceeded.
type Budget struct {
	// Contexts is one context, or two (a pair, in the order written).
	Contexts []string
	// MaxCrossing is the most crossing couplings allowed.
	MaxCrossing int
	// Pos is the position of the max_crossing value.
	Pos Pos
}

// Pos is a position in the map file, 1-based.
type Pos struct {
	Line int
	Col  int
}

// Context is one bounded context of the map.
type Context struct {
	Name        string
	Description string
	// Owner is the team that owns the context.
	Owner  string
	Tables []TableRef
	// Roles are the database roles the context's code connects as.
	Roles []string
	// Code holds globs of the context's source files.
	Code []string
	Pos  Pos
	// MaxCrossing is the context's budget of crossing couplings; nil when
	// the map sets none. MaxCrossingPos is where.
	MaxCrossing    *int
	MaxCrossingPos Pos
}

// Access is how a context uses a table, when the map declares it.
type Access string

// Declared access. AccessUnknown means the map does not say.
const (
	AccessUnknown   Access = ""
	AccessRead      Access = "read"
	AccessWrite     Access = "write"
	AccessReadWrite Access = "readwrite"
)

// Writes reports whether the access includes writing.
func (a Access) Writes() bool { return a == AccessWrite || a == AccessReadWrite }

// TableRef is one entry of a context's tables: a name, schema.table or a
// glob, optionally with the columns the context uses and its access.
type TableRef struct {
	Pattern string
	// Columns are the columns of the table this context uses; nil when the
	// map does not say.
	Columns []string
	Access  Access
	Pos     Pos
	// ColumnPos holds the position of each of Columns, for messages; it
	// may be nil in a map built in code.
	ColumnPos []Pos
}

// Pattern is a table pattern with its position, for static: and ignore:.
type Pattern struct {
	Pattern string
	Pos     Pos
}

// Error is a problem in the map file, reported as file:line:col: message.
type Error struct {
	File string
	Pos  Pos
	Msg  string
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	if e.Pos.Col == 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Pos.Line, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Col, e.Msg)
}

// Claim is one context's claim on a table.
type Claim struct {
	Context string
	// Columns the context uses; nil when not declared.
	Columns []string
	Access  Access
	// Pos is where the map names the table for this context: its most
	// specific entry (the first of that rank); zero in a claim built in
	// code or from schemas.
	Pos Pos
}

// Assignment is a contexts map resolved against a snapshot.
type Assignment struct {
	// Contexts are the context names, in the map's order.
	Contexts []string
	// Info holds each context's description, owner and roles by name.
	Info map[string]*Context
	// Claims maps each claimed table to its claims, in context order.
	// Partitions are never keys: they belong to their root table.
	Claims map[schema.TableName][]Claim
	// Static holds the tables declared under static:.
	Static map[schema.TableName]bool
	// Ignored holds the tables matched by ignore:.
	Ignored map[schema.TableName]bool
	// Unassigned lists, sorted, the tables (partitions excluded) that no
	// context claims and that are neither static nor ignored.
	Unassigned []schema.TableName
	// Warnings are non-fatal problems (patterns matching nothing...).
	Warnings []*Error
	// BySchema is true when the assignment was made from schemas, not a map.
	BySchema bool
	// Relations are the map's relations: entries, resolved.
	Relations []ResolvedRelation
	// File is the path of the map resolved, as Map.File; empty when the
	// assignment was made from schemas or in code.
	File string
	// Budgets are the map's budgets (Map.Budgets).
	Budgets []Budget

	// roots maps each partition to its root table; nil in an Assignment
	// built in code, where partitions are then looked up as given.
	roots map[schema.TableName]schema.TableName
	// byContext lists each context's tables, sorted; nil in an Assignment
	// built in code (Tables then computes the list from Claims).
	byContext map[string][]schema.TableName
}

// ContextsOf returns the contexts that claim table n, in map order. For a
// partition it returns its root table's contexts (in an Assignment made by
// Resolve or BySchema; in one built in code the caller resolves the root).
func (a *Assignment) ContextsOf(n schema.TableName) []string {
	cs := a.Claims[a.Root(n)]
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Context
	}
	return out
}
