// Package plan joins a schema snapshot with a resolved contexts map and
// produces the refactoring plan: the findings (every foreign key, cascade,
// view, trigger and table that crosses a bounded-context boundary), the
// context dependency graph, the order in which to extract the contexts, and
// a checklist of expand/migrate/contract steps, each with the SQL to apply
// it and to roll it back in the source database's dialect.
//
// A Plan is plain data: the renderers (text, Markdown, JSON via Encode,
// SQL migration files via WriteSQLDir) only read it. Every list in a Plan
// has a defined order (documented on its field) that does not depend on
// the order of the snapshot's slices or of Go's maps, so the same snapshot
// and map always give the same plan, byte for byte.
package plan

import (
	"time"

	"github.com/seamsdev/seams/schema"
)

// FormatVersion is the version of the plan's JSON structure. It changes when
// a field is renamed or removed or its meaning changes; adding a field does
// not change it.
const FormatVersion = 1

// UnusedMinWindow is the shortest observed window after which a table
// nothing used is reported as unused: a week, so that weekly jobs show.
// Month-end and year-end jobs need longer; the finding says so.
const UnusedMinWindow = 7 * 24 * time.Hour

// Plan is the whole refactoring plan. Its JSON encoding is the `json` output
// of `seams plan`.
type Plan struct {
	// Format is FormatVersion.
	Format int `json:"format"`
	// Source is the snapshot's source (engine, database, capture time).
	Source schema.Source `json:"source"`
	// Dialect is the SQL dialect of every statement: "postgres" or "mysql".
	Dialect schema.Dialect `json:"dialect"`
	// StaticRowThreshold is the threshold the static-data rule used.
	StaticRowThreshold int64 `json:"static_row_threshold"`
	// Contexts are the bounded contexts, in the map's order, followed by
	// the contexts the plan proposes (Proposed true).
	Contexts []ContextInfo `json:"contexts"`
	// Dependencies are the edges of the context dependency graph, sorted by
	// From then To.
	Dependencies []Dependency `json:"dependencies"`
	// Cycles are the strongly connected groups of two or more contexts in
	// the dependency graph, each sorted by name; the groups are sorted too.
	Cycles [][]string `json:"cycles"`
	// Order is the extraction order: context names, the first to extract
	// first.
	Order []string `json:"order"`
	// Findings are sorted by severity (high first), then kind, then ID.
	Findings []Finding `json:"findings"`
	// Groups roll the findings up (see Group): every finding is in exactly
	// one group. They are sorted by severity (high first), then the
	// largest first, then kind, contexts and recommendation.
	Groups []Group `json:"groups"`
	// Steps are the checklist, numbered from 1, in the order to apply them.
	Steps []Step `json:"steps"`
	// Unassigned lists the tables (partitions excluded) that no context
	// claims and that are neither static nor ignored, sorted.
	Unassigned []schema.TableName `json:"unassigned"`
	// References are the references no foreign key declares that the plan
	// uses, crossing contexts or not: the snapshot's inferred references
	// whose score reaches the threshold, those the contexts map confirms,
	// and those it declares; never a denied one. Sorted by table, columns
	// and referenced table.
	References []Reference `json:"references"`
	// InferThreshold is the score from which the plan used an inferred
	// reference.
	InferThreshold float64 `json:"infer_threshold"`
	// Warnings are non-fatal problems met while planning and the map's
	// warnings, one line each.
	Warnings []string `json:"warnings"`
}

// ContextInfo describes one bounded context of the plan.
type ContextInfo struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Owner       string `json:"owner,omitempty"`
	// Proposed is true for a context the plan proposes (the missing domain
	// concept behind shared mutable data), not one from the map.
	Proposed bool `json:"proposed,omitempty"`
	// Namespace is the PostgreSQL schema or MySQL database the context's
	// tables move to.
	Namespace string `json:"namespace"`
	// Tables are the root tables the context claims, sorted (partitions
	// belong to their root and are not listed).
	Tables []schema.TableName `json:"tables"`
	// Shared are the tables of Tables that other contexts claim too.
	Shared []schema.TableName `json:"shared"`
}

// Dependency is an edge of the context dependency graph: From depends on To
// (a table of From references a table of To, a view of From reads one of
// To's tables, a trigger on a table of From touches a table of To, or From
// uses a shared table that To owns).
type Dependency struct {
	From string `json:"from"`
	To   string `json:"to"`
	// ForeignKeys counts the foreign keys from From's tables to To's.
	ForeignKeys int `json:"foreign_keys"`
	// Views counts the views that make From read To's tables.
	Views int `json:"views"`
	// Triggers counts the triggers on From's tables that read or write To's.
	Triggers int `json:"triggers"`
	// SharedTables counts the tables From uses that the plan gives to To.
	SharedTables int `json:"shared_tables"`
	// Inferred counts the references no foreign key declares (inferred at
	// or above the threshold, or confirmed or declared by the map) from
	// From's tables to To's.
	Inferred int `json:"inferred_references"`
	// FindingIDs are the findings behind the edge, sorted.
	FindingIDs []string `json:"finding_ids"`
}

// Weight is the number of couplings on the edge.
func (d Dependency) Weight() int {
	return d.ForeignKeys + d.Views + d.Triggers + d.SharedTables + d.Inferred
}

// Kind is the kind of a finding.
type Kind string

// The kinds of finding.
const (
	// KindForeignKey is a foreign key whose child and parent tables are in
	// different contexts.
	KindForeignKey Kind = "cross_context_fk"
	// KindStaticData is small, rarely written reference data used by two or
	// more contexts, or declared under static:.
	KindStaticData Kind = "shared_static_data"
	// KindSharedTable is a table claimed by two or more contexts.
	KindSharedTable Kind = "shared_table"
	// KindSharedMutable is a shared table that two or more contexts write:
	// a domain concept missing from the code.
	KindSharedMutable Kind = "shared_mutable_data"
	// KindView is a view that reads tables of two or more contexts, or of
	// a context other than its own.
	KindView Kind = "cross_context_view"
	// KindTrigger is a trigger whose body reads or writes a table of
	// another context than its table's.
	KindTrigger Kind = "cross_context_trigger"
	// KindInferred is a reference no foreign key declares (inferred, or
	// declared by the contexts map) whose tables are in different contexts.
	KindInferred Kind = "cross_context_inferred_reference"
	// KindUnassigned is a table that no context claims.
	KindUnassigned Kind = "unassigned_table"
	// KindCycle is a cycle in the context dependency graph.
	KindCycle Kind = "dependency_cycle"
)

// Severity ranks findings. Its JSON form is the lower-case word.
type Severity string

// The severities, from most to least urgent.
const (
	High   Severity = "high"
	Medium Severity = "medium"
	Low    Severity = "low"
	Info   Severity = "info"
)

// Rank orders severities: 0 for high up to 3 for info.
func (s Severity) Rank() int {
	switch s {
	case High:
		return 0
	case Medium:
		return 1
	case Low:
		return 2
	}
	return 3
}

// Finding is one coupling across a context boundary (or a gap in the map).
type Finding struct {
	// ID is stable across runs on the same schema and map:
	// "<kind prefix>/<schema>/<table>[/<constraint|trigger>]", for example
	// "fk/finance/ledger/fk_ledger_line_item", "static/...",
	// "shared-table/...", "shared-data/...", "view/...", "trigger/...",
	// "unassigned/...", and "cycle/<ctx>+<ctx>+..." for cycles. A key
	// declared on each partition of a partitioned table is
	// "fk/<schema>/<parent>/partitions(<col>,...)"; the
	// triggers of one table grouped in one finding are
	// "trigger/<schema>/<table>/<name>+<name>+...".
	ID string `json:"id"`
	// Key is the finding's identity without constraint or trigger names
	// (see key.go and docs/plan-format.md): the same coupling keeps its
	// key when a constraint is renamed. Keys are unique in a plan.
	Key      string   `json:"key"`
	Kind     Kind     `json:"kind"`
	Severity Severity `json:"severity"`
	// Title is a one-line summary.
	Title string `json:"title"`
	// Contexts are the contexts involved, sorted.
	Contexts []string `json:"contexts"`
	// Objects are the database objects involved, with their schemas as in
	// the snapshot (before any step moves them).
	Objects []Object `json:"objects"`
	// Evidence says what in the snapshot shows the coupling: the
	// constraint, the view's or trigger's reads and writes, the counters.
	Evidence []string `json:"evidence"`
	// Patterns are the established names of the refactorings that apply
	// (Newman's and Ambler/Sadalage's), recommended one first.
	Patterns []string `json:"patterns"`
	// Recommendation is the option the plan's steps follow.
	Recommendation Option `json:"recommendation"`
	// Alternatives are the other options, with their trade-offs.
	Alternatives []Option `json:"alternatives"`
	// Facts are the other aspects of the coupling, as stable words (see
	// FactCascade), sorted; empty when there are none.
	Facts []string `json:"facts,omitempty"`
}

// FactCascade is the fact on a cross_context_fk finding whose ON DELETE or
// ON UPDATE action changes rows across the boundary: one transaction
// spanning both contexts. Such a key is one finding, of the higher of the
// key's and the cascade's severities, not a second finding.
const FactCascade = "cascade"

// Object is a database object named in a finding.
type Object struct {
	// Type is "table", "foreign_key", "view", "trigger" or "column".
	Type   string `json:"type"`
	Schema string `json:"schema"`
	// Name is the object's own name (the constraint's, the trigger's...).
	Name string `json:"name"`
	// Table is the table a foreign key, trigger or column belongs to; empty
	// for tables and views.
	Table string `json:"table,omitempty"`
	// Columns are the columns involved (a key's columns, a split's
	// columns); empty when not relevant.
	Columns []string `json:"columns,omitempty"`
	// Context is the context the object belongs to; empty when none.
	Context string `json:"context,omitempty"`
	// Location is where the DDL file the snapshot was read from defines
	// the object (a table, foreign key, view or trigger); nil for a
	// snapshot of a live database.
	Location *schema.Location `json:"location,omitempty"`
}

// Option is one way to resolve a finding.
type Option struct {
	// Name is a short imperative ("Check before delete through an API").
	Name string `json:"name"`
	// Pattern is the established name of the refactoring.
	Pattern string `json:"pattern"`
	// Description says what to do, naming the tables and columns.
	Description string `json:"description"`
	// TradeOffs says what it costs.
	TradeOffs string `json:"trade_offs"`
}

// Reference is a reference no foreign key declares that the plan uses.
type Reference struct {
	schema.InferredReference
	// Status is "inferred" (at or above the threshold), "confirmed" (by
	// the contexts map) or "declared" (by the contexts map).
	Status string `json:"status"`
}

// Phase is where a step sits in the expand / migrate / contract cycle.
type Phase string

// The phases of a step.
const (
	// Expand adds (a new schema, a new table) without breaking the
	// running application.
	Expand Phase = "expand"
	// Migrate moves a rule or data from the database to the application.
	Migrate Phase = "migrate"
	// Contract removes what nothing uses any more.
	Contract Phase = "contract"
	// Split deploys the context as its own service.
	Split Phase = "split"
)

// Step is one checklist item: what to do and why, the application work, the
// SQL to apply and to roll back, and how to verify it.
type Step struct {
	// N is the step number, from 1.
	N int `json:"n"`
	// Slug names the step in file names: lower-case ASCII letters, digits
	// and underscores, at most 60 bytes.
	Slug string `json:"slug"`
	// Context is the context the step belongs to.
	Context string `json:"context"`
	Phase   Phase  `json:"phase"`
	// Title says what to do, in one line.
	Title string `json:"title"`
	// Why says why, in one or two sentences.
	Why string `json:"why"`
	// AppWork is the application-side work in plain words: the API to
	// add, the joins to replace (naming tables and columns).
	AppWork []string `json:"app_work"`
	// Up are the SQL statements that apply the step, in order, without
	// trailing semicolons. Empty for application-only steps.
	Up []string `json:"up"`
	// Down are the statements that roll the step back, in order.
	Down []string `json:"down"`
	// Verify are the checks to run after the step.
	Verify []Check `json:"verify"`
	// Notes are what to know before applying the SQL (statements that are
	// not atomic on MySQL, what a rollback cannot bring back).
	Notes []string `json:"notes"`
	// FindingIDs are the findings the step resolves, sorted.
	FindingIDs []string `json:"finding_ids"`
}

// Check is a verification query and what it should return.
type Check struct {
	// Query is one SQL statement, without a trailing semicolon.
	Query string `json:"query"`
	// Expect says what a good result is ("0").
	Expect string `json:"expect"`
}

// StaticTables returns the tables of the plan's static-reference-data
// findings, sorted: the tables whose rows a team exports as a data file to
// ship with its services.
func StaticTables(p *Plan) []schema.TableName {
	var out []schema.TableName
	for _, f := range p.Findings {
		if f.Kind != KindStaticData {
			continue
		}
		for _, o := range f.Objects {
			if o.Type == "table" {
				out = append(out, schema.TableName{Schema: o.Schema, Name: o.Name})
				break
			}
		}
	}
	sortNames(out)
	return out
}
