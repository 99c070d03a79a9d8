package plan

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/attribution"
	"github.com/seamsdev/seams/schema"
)

// The kinds of finding that come from observed usage (schema.Usage: server
// statement statistics, the application's code, query logs). Shared mutable
// data observed in use is a KindSharedMutable finding; static data confirmed
// by zero writes adds evidence to its KindStaticData finding.
const (
	// KindCrossQuery is one statement that reads or writes tables of two or
	// more contexts (a join across the boundary).
	KindCrossQuery Kind = "cross_context_query"
	// KindCrossTransaction is one unit of work (a function in code, a
	// transaction in a query log) that writes tables of two or more contexts.
	KindCrossTransaction Kind = "cross_context_transaction"
	// KindUnused is a table that no observed statement, code or ORM
	// declaration reads or writes.
	KindUnused Kind = "unused_table"
	// KindImpliedCoupling is two tables of different contexts used together
	// in statements although no foreign key (nor chain of them among the
	// statement's tables) relates them.
	KindImpliedCoupling Kind = "implied_coupling"
)

const (
	patDropTable = "Drop Table"
	patSplitTx   = "Split the transaction: Saga"
)

// maxUsageEvidence bounds the statements quoted as evidence of one finding.
const maxUsageEvidence = 5

// findUsage adds the findings that the snapshot's usage shows. It runs after
// the schema findings, so that it can add evidence to them and use the
// tables' owners as the plan has them.
func (b *builder) findUsage() {
	au := b.usage
	if au == nil {
		return
	}
	u := au.Facts
	for _, n := range au.Notes {
		b.warnings = append(b.warnings, "usage: "+n)
	}
	if !slices.ContainsFunc(u.Sources, func(s schema.UsageSource) bool { return s.Available }) {
		b.warnings = append(b.warnings, "usage: no usage source was available; no usage findings")
		return
	}
	b.usageSharedWrites(au)
	b.usageColumns(au)
	b.usageCrossQueries(au)
	b.usageTransactions(au)
	b.usageStatic(au)
	b.usageUnused(au)
	b.usageImplied(u)
}

// usageSources describes the available sources, for evidence.
func usageSources(u *schema.Usage) string {
	var parts []string
	for _, s := range u.Sources {
		if !s.Available {
			continue
		}
		p := s.Kind
		if s.Location != "" {
			p += " " + s.Location
		}
		if s.Since != "" {
			p += " since " + s.Since
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// stmtEvidence quotes a statement for a finding's evidence.
func stmtEvidence(st *schema.Statement) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", st.ID, plural(int(min(st.Calls, 1<<31)), "call", "calls"), excerpt(st.Text, 100))
	if len(st.Locations) > 0 {
		b.WriteString(" at " + st.Locations[0].String())
		if f := st.Locations[0].Function; f != "" {
			b.WriteString(" in " + f)
		}
		if n := len(st.Locations) - 1; n > 0 {
			fmt.Fprintf(&b, " (+%d more)", n)
		}
	}
	if len(st.Users) > 0 {
		b.WriteString(" by " + strings.Join(st.Users, ", "))
	}
	return b.String()
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// usageSharedWrites reports tables that two or more contexts write.
func (b *builder) usageSharedWrites(au *attribution.Usage) {
	u := au.Facts
	type w struct {
		calls int64
		stmts int
		ev    []string
	}
	writers := map[schema.TableName]map[string]*w{}
	for _, c := range au.Matrix {
		if c.Context == "" || c.Writes == 0 {
			continue
		}
		n := b.lk.Root(c.Table)
		if b.own.IsIgnored(n) {
			continue
		}
		if writers[n] == nil {
			writers[n] = map[string]*w{}
		}
		x := writers[n][c.Context]
		if x == nil {
			x = &w{}
			writers[n][c.Context] = x
		}
		x.calls += c.Writes
		x.stmts += c.WriteStatements
		x.ev = append(x.ev, c.Evidence...)
	}
	for _, n := range sortedTables(writers) {
		ws := writers[n]
		home := b.own.Home(n)
		if len(ws) < 2 {
			// One writer: a finding only when it is not the table's owner.
			var only string
			for c := range ws {
				only = c
			}
			if len(home) == 0 || slices.Contains(home, only) {
				continue
			}
		}
		names := make([]string, 0, len(ws))
		for c := range ws {
			names = append(names, c)
		}
		names = b.own.Order(names)
		var ev []string
		for _, c := range names {
			x := ws[c]
			ev = append(ev, fmt.Sprintf("observed: %s writes it (%s, %s)", c, plural(int(x.calls), "call", "calls"), plural(x.stmts, "statement", "statements")))
			for _, id := range firstN(x.ev, 2) {
				if st := u.Statement(id); st != nil && len(st.Writes) > 0 {
					ev = append(ev, "  "+stmtEvidence(st))
				}
			}
		}
		fid := id("shared-data", n)
		if i := slices.IndexFunc(b.findings, func(f Finding) bool { return f.ID == fid }); i >= 0 {
			b.findings[i].Evidence = append(b.findings[i].Evidence, ev...)
			continue
		}
		if b.split(n) != nil {
			// The plan splits the table by the columns each context uses:
			// writes by each are expected, each to its own part.
			if i := slices.IndexFunc(b.findings, func(f Finding) bool { return f.ID == id("shared-table", n) }); i >= 0 {
				b.findings[i].Evidence = append(b.findings[i].Evidence, ev...)
			}
			continue
		}
		claimers := b.own.Claimants(n)
		tbl := Object{Type: "table", Schema: n.Schema, Name: n.Name, Context: strings.Join(home, ",")}
		f := Finding{
			ID: fid, Key: tableKey("shared-data", n), Kind: KindSharedMutable, Severity: High,
			Title:    fmt.Sprintf("%s%s is written by %s (observed)", n, ownedBy(home), strings.Join(names, " and ")),
			Contexts: sorted(append(slices.Clone(names), claimers...)), Objects: []Object{tbl},
			Evidence: ev,
			Patterns: []string{patChangeOwnership, patSplitTable},
		}
		var others []string
		owner := ""
		if len(home) == 1 {
			owner = home[0]
		}
		for _, c := range names {
			if c != owner {
				others = append(others, c)
			}
		}
		switch {
		case owner != "":
			f.Recommendation = Option{
				Name: fmt.Sprintf("Route %s writes to %s through %s API", possessive(strings.Join(others, " and ")), n.Name, possessive(owner)), Pattern: patChangeOwnership,
				Description: fmt.Sprintf("%s owns %s. Add to %s the operations that %s perform on it today and replace their SQL writes with calls to them.",
					owner, n.Name, owner, strings.Join(others, " and ")),
				TradeOffs: "One context keeps the rules for this data; the others depend on its API and its availability.",
			}
		case len(claimers) >= 2:
			f.Recommendation = Option{
				Name: fmt.Sprintf("Make %s a context of its own", n.Name), Pattern: patChangeOwnership,
				Description: fmt.Sprintf("Two or more contexts write %s: it is a domain concept missing from the code. Create %s context that owns it and offers an API for what %s do with it; "+
					"declare `access: write` for the writers in the contexts map so that the plan's steps hand the table over.", n.Name, article(n.Name), strings.Join(names, " and ")),
				TradeOffs: "One owner keeps the rules for this data in one place; the other contexts depend on its API.",
			}
		default:
			f.Recommendation = Option{
				Name: fmt.Sprintf("Give %s to one of its writers", n.Name), Pattern: patChangeOwnership,
				Description: fmt.Sprintf("Choose the context that owns %s (%s write it), claim it in the contexts map, and route the other writes through its API.", n.Name, strings.Join(names, " and ")),
				TradeOffs:   "No new service; the owner ends up with rules that belong to the other writers.",
			}
		}
		f.Alternatives = []Option{{
			Name: "Split the table by writer", Pattern: patSplitTable,
			Description: fmt.Sprintf("Give each writer its own table with the columns it writes, keyed like %s (the observed columns are in the usage matrix when the statements name them).", n.Name),
			TradeOffs:   "Each context owns its columns; columns used by several writers must be given to one of them first.",
		}}
		b.findings = append(b.findings, f)
	}
}

// usageColumns adds to each shared table finding the columns each claiming
// context was observed to use, those the map does not declare for it, and
// the columns used by more than one context: what a split by columns
// must settle.
func (b *builder) usageColumns(au *attribution.Usage) {
	obs := map[schema.TableName]map[string]attribution.Cell{}
	for _, c := range au.Matrix {
		if c.Context == "" || len(c.Columns) == 0 {
			continue
		}
		n := b.lk.Root(c.Table)
		if obs[n] == nil {
			obs[n] = map[string]attribution.Cell{}
		}
		obs[n][c.Context] = c
	}
	for i := range b.findings {
		f := &b.findings[i]
		if f.Kind != KindSharedTable {
			continue
		}
		n := tableOf(*f)
		cells := obs[n]
		if len(cells) == 0 {
			continue
		}
		var pk []string
		if t := b.lk.Table(n); t != nil && t.PrimaryKey != nil {
			pk = t.PrimaryKey.Columns
		}
		users := map[string][]string{}
		for _, cl := range b.own.Claims(n) {
			c, ok := cells[cl.Context]
			if !ok {
				continue
			}
			line := fmt.Sprintf("observed columns of %s: %s", cl.Context, strings.Join(c.Columns, ", "))
			if len(c.WrittenColumns) > 0 {
				line += " (writes " + strings.Join(c.WrittenColumns, ", ") + ")"
			}
			f.Evidence = append(f.Evidence, line)
			if cl.Columns != nil {
				var extra []string
				for _, col := range c.Columns {
					if !slices.Contains(cl.Columns, col) {
						extra = append(extra, col)
					}
				}
				if len(extra) > 0 {
					f.Evidence = append(f.Evidence, fmt.Sprintf("%s uses columns the contexts map does not declare for it: %s", cl.Context, strings.Join(extra, ", ")))
				}
			}
			for _, col := range c.Columns {
				if !slices.Contains(pk, col) {
					users[col] = append(users[col], cl.Context)
				}
			}
		}
		var contested []string
		for col, cs := range users {
			if len(cs) > 1 {
				contested = append(contested, col)
			}
		}
		slices.Sort(contested)
		if len(contested) > 0 {
			f.Evidence = append(f.Evidence, "observed columns used by more than one context: "+strings.Join(contested, ", "))
		}
	}
}

// ownedBy says who owns a table, for titles.
func ownedBy(home []string) string {
	if len(home) == 0 {
		return ""
	}
	return " (owned by " + strings.Join(home, ", ") + ")"
}

// usageCrossQueries reports statements whose tables belong to two or more
// contexts.
func (b *builder) usageCrossQueries(au *attribution.Usage) {
	u := au.Facts
	for i := range u.Statements {
		st := &u.Statements[i]
		tables := st.Tables()
		if len(tables) < 2 {
			continue
		}
		ctxs, cross := b.own.Crosses(tables)
		if !cross {
			continue
		}
		var objs []Object
		for _, n := range tables {
			objs = append(objs, Object{Type: "table", Schema: n.Schema, Name: n.Name, Context: strings.Join(b.own.Home(b.lk.Root(n)), ",")})
		}
		sev := Medium
		if len(st.Writes) > 0 {
			sev = High
		}
		verb := "reads"
		if len(st.Writes) > 0 {
			verb = "reads and writes"
		}
		ev := []string{stmtEvidence(st)}
		if cs := au.Contexts(st.ID); len(cs) > 0 {
			ev = append(ev, "run by "+strings.Join(cs, ", "))
		}
		for _, l := range firstN(st.Locations, maxUsageEvidence)[min(1, len(st.Locations)):] {
			ev = append(ev, "also at "+l.String())
		}
		b.findings = append(b.findings, Finding{
			ID: "query/" + st.ID, Key: queryKey(tables, st.Writes, codeFile(st)), Kind: KindCrossQuery, Severity: sev,
			Title:    fmt.Sprintf("Statement %s %s tables of %s (%s)", where(st), verb, strings.Join(ctxs, ", "), plural(int(min(st.Calls, 1<<31)), "call", "calls")),
			Contexts: sorted(ctxs), Objects: objs, Evidence: ev,
			Patterns: []string{patAPIComposition, patDatabaseView, patReportingDB},
			Recommendation: Option{
				Name: "Replace the join with calls to the owners' APIs", Pattern: patAPIComposition,
				Description: fmt.Sprintf("Fetch %s part of this statement from its API and combine the results in code (statement %s).", possessive(strings.Join(ctxs[1:], " and ")), where(st)),
				TradeOffs:   "No SQL join across services; more round trips, and no single consistent read of both contexts.",
			},
			Alternatives: []Option{
				{Name: "Serve it from a view the owner publishes", Pattern: patDatabaseView, Description: "For a read-only query, let the owning context publish a view (or a read-only copy) of the columns the statement needs.",
					TradeOffs: "Keeps the query fast and simple; the contexts stay coupled through the view's shape."},
				{Name: "Move it to a reporting database", Pattern: patReportingDB, Description: "For reporting, feed the data of both contexts into a reporting database and run the statement there.",
					TradeOffs: "Reports stop depending on the services; the data lags behind."},
			},
		})
	}
}

// codeFile is the file of code a statement was found in, or "" for a
// statement the server or a log recorded.
func codeFile(st *schema.Statement) string {
	for _, c := range st.Callers {
		if c.File != "" {
			return c.File
		}
	}
	return ""
}

// where names a statement's first location, or its ID.
func where(st *schema.Statement) string {
	if len(st.Locations) > 0 {
		return "at " + st.Locations[0].String()
	}
	return st.ID
}

// usageTransactions reports units of work that write tables of two or more
// contexts.
func (b *builder) usageTransactions(au *attribution.Usage) {
	u := au.Facts
	for _, t := range au.Transactions {
		ctxs := t.Contexts
		var objs []Object
		for _, n := range t.Writes {
			objs = append(objs, Object{Type: "table", Schema: n.Schema, Name: n.Name, Context: strings.Join(b.own.Home(b.lk.Root(n)), ",")})
		}
		unit := t.Location.String()
		if t.Location.Function != "" {
			unit = t.Location.Function + " (" + unit + ")"
		}
		ev := []string{t.Evidence}
		for _, sid := range firstN(t.Statements, maxUsageEvidence) {
			if st := u.Statement(sid); st != nil {
				ev = append(ev, stmtEvidence(st))
			}
		}
		b.findings = append(b.findings, Finding{
			ID: "transaction/" + t.Location.String(), Key: transactionKey(t.Location, t.Writes), Kind: KindCrossTransaction, Severity: High,
			Title:    fmt.Sprintf("%s writes tables of %s in one unit of work", unit, strings.Join(ctxs, " and ")),
			Contexts: sorted(ctxs), Objects: objs, Evidence: ev,
			Patterns: []string{patSaga, patChangeOwnership},
			Recommendation: Option{
				Name: "Split the unit into a saga", Pattern: patSaga,
				Description: fmt.Sprintf("Let each context write its own tables in its own transaction: %s writes its part and publishes an event, the others react to it, with a compensating action for each step that can fail.", ctxs[0]),
				TradeOffs:   "No distributed transaction; the data is consistent only eventually and every step needs a compensation.",
			},
			Alternatives: []Option{{
				Name: "Keep the tables in one context", Pattern: patChangeOwnership,
				Description: "If the rows must change atomically, move them into one context that owns the whole operation.",
				TradeOffs:   "Keeps the transaction; that context grows.",
			}},
		})
	}
}

// usageStatic adds what usage says to the static reference data findings:
// confirmed by zero writes, or contradicted by observed writes.
func (b *builder) usageStatic(au *attribution.Usage) {
	u := au.Facts
	reads := map[schema.TableName][]string{}
	writes := map[schema.TableName]int64{}
	writers := map[schema.TableName][]string{}
	for _, c := range au.Matrix {
		n := b.lk.Root(c.Table)
		if c.Reads > 0 && c.Context != "" {
			reads[n] = append(reads[n], c.Context)
		}
		if c.Writes > 0 {
			writes[n] += c.Writes
			who := c.Context
			if who == "" {
				who = "unattributed code or users"
			}
			writers[n] = append(writers[n], who)
		}
	}
	for i := range b.findings {
		f := &b.findings[i]
		if f.Kind != KindStaticData {
			continue
		}
		n := tableOf(*f)
		if w := writes[n]; w > 0 {
			f.Evidence = append(f.Evidence, fmt.Sprintf("usage contradicts it: %s observed (by %s); check the data is really static before moving it into code",
				plural(int(w), "write", "writes"), strings.Join(sorted(writers[n]), ", ")))
			continue
		}
		ev := "usage confirms it: no writes observed (" + usageSources(u) + ")"
		if r := sorted(reads[n]); len(r) > 0 {
			ev += "; read by " + strings.Join(r, ", ")
		}
		f.Evidence = append(f.Evidence, ev)
	}
}

// usageImplied reports tables of different contexts used together in a
// statement with no foreign key path between them among its tables.
func (b *builder) usageImplied(u *schema.Usage) {
	linked := map[[2]schema.TableName]bool{}
	for _, r := range b.own.ForeignKeys() {
		p := b.lk.Root(r.Key.References)
		linked[[2]schema.TableName{r.Root, p}] = true
		linked[[2]schema.TableName{p, r.Root}] = true
	}
	type pair struct {
		calls int64
		stmts []string
	}
	pairs := map[[2]schema.TableName]*pair{}
	for i := range u.Statements {
		st := &u.Statements[i]
		var ts []schema.TableName
		for _, n := range st.Tables() {
			r := b.lk.Root(n)
			if !b.own.IsStatic(r) && len(b.own.Home(r)) > 0 {
				ts = append(ts, r)
			}
		}
		ts = slices.Compact(ts)
		if len(ts) < 2 {
			continue
		}
		// Components of the statement's tables joined by foreign keys.
		comp := make([]int, len(ts))
		for i := range comp {
			comp[i] = i
		}
		var find func(int) int
		find = func(i int) int {
			for comp[i] != i {
				i = comp[i]
			}
			return i
		}
		for x := range ts {
			for y := x + 1; y < len(ts); y++ {
				if linked[[2]schema.TableName{ts[x], ts[y]}] {
					comp[find(x)] = find(y)
				}
			}
		}
		for x := range ts {
			for y := x + 1; y < len(ts); y++ {
				if find(x) == find(y) {
					continue
				}
				hx, hy := b.own.Home(ts[x]), b.own.Home(ts[y])
				if slices.ContainsFunc(hx, func(c string) bool { return slices.Contains(hy, c) }) {
					continue
				}
				k := [2]schema.TableName{ts[x], ts[y]}
				if k[0].Compare(k[1]) > 0 {
					k[0], k[1] = k[1], k[0]
				}
				p := pairs[k]
				if p == nil {
					p = &pair{}
					pairs[k] = p
				}
				p.calls += st.Calls
				p.stmts = append(p.stmts, st.ID)
			}
		}
	}
	keys := make([][2]schema.TableName, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y [2]schema.TableName) int {
		return cmp.Or(x[0].Compare(y[0]), x[1].Compare(y[1]))
	})
	for _, k := range keys {
		p := pairs[k]
		ctxs := b.own.Order(append(slices.Clone(b.own.Home(k[0])), b.own.Home(k[1])...))
		ev := []string{fmt.Sprintf("no foreign key relates %s and %s; %s (%s) use them together", k[0], k[1],
			plural(len(p.stmts), "statement", "statements"), plural(int(min(p.calls, 1<<31)), "call", "calls"))}
		slices.Sort(p.stmts)
		for _, sid := range firstN(p.stmts, maxUsageEvidence) {
			if st := u.Statement(sid); st != nil {
				ev = append(ev, stmtEvidence(st))
			}
		}
		b.findings = append(b.findings, Finding{
			ID: id("implied", k[0], k[1].Schema, k[1].Name), Key: impliedKey(k[0], k[1]), Kind: KindImpliedCoupling, Severity: Medium,
			Title:    fmt.Sprintf("%s and %s are used together with no foreign key between them", k[0], k[1]),
			Contexts: sorted(ctxs),
			Objects: []Object{
				{Type: "table", Schema: k[0].Schema, Name: k[0].Name, Context: strings.Join(b.own.Home(k[0]), ",")},
				{Type: "table", Schema: k[1].Schema, Name: k[1].Name, Context: strings.Join(b.own.Home(k[1]), ",")},
			},
			Evidence: ev,
			Patterns: []string{patMoveFK, patAPIComposition},
			Recommendation: Option{
				Name: "Make the relationship explicit in code", Pattern: patMoveFK,
				Description: fmt.Sprintf("The code relates %s and %s by a column the schema does not declare. Name it in the contracts between %s, and replace the joins with lookups through the owner's API.",
					k[0].Name, k[1].Name, strings.Join(ctxs, " and ")),
				TradeOffs: "The dependency becomes visible and testable; the application checks what no constraint ever checked.",
			},
		})
	}
}

func firstN[T any](s []T, n int) []T {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func sortedTables[V any](m map[schema.TableName]V) []schema.TableName {
	out := make([]schema.TableName, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sortNames(out)
	return out
}
