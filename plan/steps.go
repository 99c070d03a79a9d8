package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/seamsdev/seams/contexts"
	"github.com/seamsdev/seams/ownership"
	"github.com/seamsdev/seams/plan/dialect"
	"github.com/seamsdev/seams/schema"
)

// stepper writes the checklist. It follows where each table lives as the
// steps move it, and what each table still holds as steps drop columns, so
// that every statement names the table as it is when the step runs.
type stepper struct {
	b *builder
	d dialect.Dialect
	// loc maps a table's name in the snapshot to its name now.
	loc map[schema.TableName]schema.TableName
	// cur holds the current definition of the root tables the steps change.
	cur map[schema.TableName]*schema.Table
	// taken are the table and view names in use now.
	taken map[schema.TableName]bool
	// spaces are the namespaces that exist now.
	spaces map[string]bool
	// dropped are the foreign keys dropped so far.
	dropped map[*schema.ForeignKey]bool
	// remaining are, for each split table, the contexts still sharing it.
	remaining map[schema.TableName][]string
	// done are the findings whose application-only step is written.
	done map[string]bool
	// processed are the contexts whose steps are written.
	processed map[string]bool
	// ownedBy lists, for each context, the root tables it may own alone,
	// sorted: its home tables and the split tables it keeps.
	ownedBy map[string][]schema.TableName
	// tablesIn counts the tables in each namespace now.
	tablesIn map[string]int
	// pendingService are the contexts whose service step waits for a
	// split table to be theirs alone.
	pendingService map[string]bool
	// viewDefs are the definitions of the views the steps re-created.
	viewDefs map[schema.TableName]string
	// leftOut are, for each context, the tables a step could not move into
	// its namespace, with why and the step that says so.
	leftOut map[string][]leftOut
	// paths are the search paths the steps gave routines (by index in the
	// snapshot's Routines).
	paths map[int][]string
	// incoming are the foreign keys into each root table.
	incoming map[schema.TableName][]ownership.FK
	// outgoing are the foreign keys of each root table and its partitions.
	outgoing map[schema.TableName][]ownership.FK
	steps    []Step
}

func (b *builder) steps(order []string, cycles []cycle) ([]Step, error) {
	d := dialect.For(b.s.Source.Engine)
	if b.opts.Outline {
		d = dialect.Outline(d)
	}
	st := &stepper{
		b: b, d: d,
		loc:       map[schema.TableName]schema.TableName{},
		cur:       map[schema.TableName]*schema.Table{},
		taken:     map[schema.TableName]bool{},
		spaces:    map[string]bool{},
		dropped:   map[*schema.ForeignKey]bool{},
		remaining: map[schema.TableName][]string{},
		done:      map[string]bool{},
		processed: map[string]bool{},
		ownedBy:   map[string][]schema.TableName{},
		tablesIn:  map[string]int{},
		viewDefs:  map[schema.TableName]string{},
		leftOut:   map[string][]leftOut{},
		paths:     map[int][]string{},

		pendingService: map[string]bool{},
		incoming:       map[schema.TableName][]ownership.FK{},
		outgoing:       map[schema.TableName][]ownership.FK{},
	}
	if st.d == nil {
		b.warnings = append(b.warnings, fmt.Sprintf("engine %q is not one seams writes SQL for: the steps carry no SQL", b.s.Source.Engine))
	}
	for _, sc := range b.s.Schemas {
		st.spaces[sc.Name] = true
	}
	for i := range b.s.Tables {
		n := b.s.Tables[i].TableName()
		st.loc[n] = n
		st.taken[n] = true
		st.tablesIn[n.Schema]++
	}
	for _, t := range b.own.Roots() { // sorted
		n := t.TableName()
		if h := b.own.Home(n); len(h) == 1 {
			st.ownedBy[h[0]] = append(st.ownedBy[h[0]], n)
		} else if sp := b.split(n); sp != nil {
			st.ownedBy[sp.Owner] = append(st.ownedBy[sp.Owner], n)
		}
	}
	for i := range b.s.Views {
		st.taken[b.s.Views[i].TableName()] = true
	}
	for _, r := range b.own.ForeignKeys() {
		st.outgoing[r.Root] = append(st.outgoing[r.Root], r)
		if p := b.lk.Root(r.Key.References); p != r.Root {
			st.incoming[p] = append(st.incoming[p], r)
		}
	}
	for _, sp := range b.own.SharedTables() {
		if sp.Split != nil {
			st.remaining[sp.Table] = slices.Clone(b.own.Home(sp.Table))
		}
	}
	slices.SortFunc(b.fks, func(x, y *crossFK) int { return strings.Compare(x.id, y.id) })

	for _, cy := range cycles {
		for _, e := range cy.broken {
			for _, cf := range b.fks {
				if st.dropped[cf.Key] || !slices.Contains(cf.from, e[0]) || !slices.Contains(cf.to, e[1]) {
					continue
				}
				why := fmt.Sprintf("%s and %s depend on each other in a cycle (%s); this key is on the cheapest edge to break, %s -> %s, so it goes first.",
					e[0], e[1], strings.Join(cy.members, ", "), e[0], e[1])
				if err := st.breakFK(e[0], cf, why, "cycle/"+strings.Join(cy.members, "+")); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, c := range order {
		if err := st.context(c); err != nil {
			return nil, err
		}
	}
	return nonNil(st.steps), nil
}

// move returns the change moving table n, now named from, into namespace
// ns, with its triggers and the views that read it, and records the views'
// new definitions (MySQL views name their tables; PostgreSQL's follow).
func (st *stepper) move(n, from schema.TableName, ns string) dialect.Change {
	views := []schema.View{} // none is not "not given"
	to := schema.TableName{Schema: ns, Name: from.Name}
	for _, i := range st.viewOrder(st.b.readers[n]) {
		v := &st.b.s.Views[i]
		cur := *v
		if d, ok := st.viewDefs[v.TableName()]; ok {
			cur.Definition = d
		}
		views = append(views, cur)
		if st.d.Name() == schema.DialectMySQL {
			st.viewDefs[v.TableName()], _ = dialect.RetargetMySQLView(cur.Definition, from, to)
		}
	}
	return st.d.MoveTableWithDependents(from, ns, st.triggersOf(n, from), views)
}

// viewOrder returns the views (indexes into the snapshot's Views) so that
// a view comes after the views of the list it reads: MySQL checks, when a
// view is re-created, that the views it reads are valid, and the views
// re-created around a move are valid only in that order (employees'
// current_dept_emp reads dept_emp_latest_date, both read dept_emp). The
// order is otherwise the list's.
func (st *stepper) viewOrder(idx []int) []int {
	in := map[schema.TableName]int{}
	for _, i := range idx {
		in[st.b.s.Views[i].TableName()] = i
	}
	var out []int
	state := map[int]int{} // 1 visiting, 2 done
	var visit func(i int)
	visit = func(i int) {
		if state[i] != 0 {
			return // done, or a cycle (the server refuses those anyway)
		}
		state[i] = 1
		for _, r := range st.b.s.Views[i].Reads {
			if j, ok := in[r]; ok && j != i {
				visit(j)
			}
		}
		state[i] = 2
		out = append(out, i)
	}
	for _, i := range idx {
		visit(i)
	}
	return out
}

// rename records that table n moved from one name to another.
func (st *stepper) rename(n, from, to schema.TableName) {
	delete(st.taken, from)
	st.tablesIn[from.Schema]--
	st.taken[to] = true
	st.tablesIn[to.Schema]++
	st.loc[n] = to
	if t := st.cur[n]; t != nil {
		t.Schema, t.Name = to.Schema, to.Name
	}
}

// at returns where table n lives now.
func (st *stepper) at(n schema.TableName) schema.TableName {
	if l, ok := st.loc[n]; ok {
		return l
	}
	return n
}

// table returns the current definition of root table n.
func (st *stepper) table(n schema.TableName) *schema.Table {
	if t := st.cur[n]; t != nil {
		return t
	}
	orig := st.b.lk.Table(n)
	if orig == nil {
		return nil
	}
	// The copy shares the snapshot's slices: a step that changes one
	// (dropColumns) replaces it with a changed copy.
	t := *orig
	l := st.at(n)
	t.Schema, t.Name = l.Schema, l.Name
	st.cur[n] = &t
	return &t
}

// fkNow returns fk with its parent named as it is now.
func (st *stepper) fkNow(fk *schema.ForeignKey) schema.ForeignKey {
	f := *fk
	f.References = st.at(fk.References)
	return f
}

// owners returns the contexts that own root table n now.
func (st *stepper) owners(n schema.TableName) []string {
	if r, ok := st.remaining[n]; ok {
		return r
	}
	return st.b.own.Home(n)
}

// add appends a step made of changes: Up in order, Down in reverse order.
func (st *stepper) add(s Step, changes ...dialect.Change) error {
	for _, c := range changes {
		if c.Err != nil {
			return fmt.Errorf("step %q: %w", s.Title, c.Err)
		}
		s.Up = append(s.Up, c.Up...)
		for _, n := range c.Notes {
			if !slices.Contains(s.Notes, n) {
				s.Notes = append(s.Notes, n)
			}
		}
	}
	for i := len(changes) - 1; i >= 0; i-- {
		s.Down = append(s.Down, changes[i].Down...)
	}
	if st.b.opts.Outline {
		s.Verify = nil // queries the stepper writes itself
	}
	s.N = len(st.steps) + 1
	s.Slug = slug(s.Slug)
	s.AppWork = nonNil(s.AppWork)
	s.Up, s.Down, s.Verify, s.Notes = nonNil(s.Up), nonNil(s.Down), nonNil(s.Verify), nonNil(s.Notes)
	s.FindingIDs = sorted(s.FindingIDs)
	st.steps = append(st.steps, s)
	return nil
}

// ensureSpace returns the change creating namespace ns if it does not exist.
func (st *stepper) ensureSpace(ns string) []dialect.Change {
	if st.spaces[ns] || st.d == nil {
		return nil
	}
	st.spaces[ns] = true
	return []dialect.Change{st.d.CreateNamespace(ns)}
}

// context writes the steps of one context, in order: separate its schema,
// break the foreign keys into and out of it, split or hand over the shared
// tables, move the static data it uses into code, replace the cross-context
// triggers and views, and run it as a service.
func (st *stepper) context(c string) error {
	b := st.b
	ns := b.namespace(c)
	// A trigger that reaches into another context breaks once either
	// side's tables move: replace it with code first.
	st.appOnly(c, KindTrigger)
	if err := st.separate(c, ns); err != nil {
		return err
	}
	for _, cf := range b.fks {
		if st.dropped[cf.Key] || !slices.Contains(cf.from, c) && !slices.Contains(cf.to, c) {
			continue
		}
		why := fmt.Sprintf("The constraint ties %s to %s inside one database; once %s data lives in its own database no constraint can span the two.",
			strings.Join(cf.from, ", "), strings.Join(cf.to, ", "), possessive(c))
		if err := st.breakFK(c, cf, why); err != nil {
			return err
		}
	}
	st.breakHidden(c)
	for _, t := range b.own.Roots() {
		n := t.TableName()
		if sp := b.split(n); sp != nil && c != sp.Owner && slices.Contains(st.remaining[n], c) && len(st.remaining[n]) > 1 {
			if err := st.split(c, ns, n, sp); err != nil {
				return err
			}
		}
	}
	st.handOver(c)
	if err := st.staticData(c); err != nil {
		return err
	}
	st.appOnly(c, KindView)
	st.service(c, ns)
	st.processed[c] = true
	return nil
}

// separate moves the tables c alone owns into its namespace.
func (st *stepper) separate(c, ns string) error {
	b := st.b
	var moves []schema.TableName
	for _, n := range st.ownedBy[c] {
		if o := st.owners(n); len(o) != 1 || o[0] != c {
			continue
		}
		moves = append(moves, n)
		if st.d == nil || st.d.Name() == schema.DialectPostgres {
			moves = append(moves, st.partitionsOf(n)...)
		}
	}
	var space, changes []dialect.Change // CREATE SCHEMA; the moves
	var names []string
	var clashes []leftOut
	moved := map[schema.TableName]schema.TableName{} // snapshot name -> where it was
	for _, n := range moves {
		from := st.at(n)
		if from.Schema == ns {
			continue
		}
		to := schema.TableName{Schema: ns, Name: from.Name}
		if st.taken[to] {
			clashes = append(clashes, st.clash(c, n, from, to))
			continue
		}
		space = append(space, st.ensureSpace(ns)...)
		if st.d != nil {
			changes = append(changes, st.move(n, from, ns))
		}
		st.rename(n, from, to)
		names = append(names, from.String())
		moved[n] = from
	}
	if len(names) == 0 && len(clashes) == 0 {
		return nil
	}
	// The routines' paths change before the tables move: an overloaded
	// routine is named by its arguments, which may be a moving table's row
	// type; Down then sets them back after the tables are back.
	pathChanges, pathNotes := st.followSearchPaths(moved, ns)
	changes = slices.Concat(space, pathChanges, changes)
	count := st.tablesIn[ns]
	s := Step{
		Slug: "separate_" + c, Context: c, Phase: Expand,
		Title: fmt.Sprintf("Move the tables of %s into %s %s", c, st.spaceWord(), ns),
		Why:   fmt.Sprintf("Separating the schema first, while the application is still one, makes the boundary of %s visible and cheap to roll back before any code moves.", c),
		AppWork: []string{
			fmt.Sprintf("Qualify the tables %s with %s %s in the application's SQL (or add %s to the search path of its connections), and grant the application's role access to it.",
				strings.Join(names, ", "), st.spaceWord(), ns, ns),
		},
	}
	if st.spaceWord() == "database" {
		s.AppWork[0] = fmt.Sprintf("Qualify the tables %s with database %s in the application's SQL, and grant the application's user access to it.",
			strings.Join(names, ", "), ns)
	}
	if len(names) == 0 {
		s.Title = fmt.Sprintf("Rename the tables of %s that cannot move into %s %s", c, st.spaceWord(), ns)
		s.Why = fmt.Sprintf("Every table of %s left to move has a name that is taken in %s: they stay where they are until renamed.", c, ns)
		s.AppWork = nil
	}
	for _, l := range clashes {
		s.Notes = append(s.Notes, l.why)
		s.AppWork = append(s.AppWork, fmt.Sprintf("Rename %s (or the table it clashes with) in the application and the database, then move it into %s %s by hand: this step leaves it where it is.", l.table, st.spaceWord(), ns))
	}
	st.noteLeftOut(c, clashes)
	s.Notes = append(s.Notes, pathNotes...)
	if st.d != nil && len(names) > 0 {
		s.Verify = []Check{{
			Query:  "SELECT count(*) FROM information_schema.tables WHERE table_schema = " + st.d.Literal(ns) + " AND table_type = " + st.d.Literal("BASE TABLE"),
			Expect: fmt.Sprint(count),
		}}
	}
	for _, f := range b.findings {
		if f.Kind == KindSharedMutable && slices.Contains(b.own.Home(tableOf(f)), c) && b.own.IsProposed(c) {
			s.AppWork = append(s.AppWork, fmt.Sprintf("Create the %s module that owns %s: every read and write of it goes through its API.", c, tableOf(f)))
			s.FindingIDs = append(s.FindingIDs, f.ID)
		}
	}
	return st.add(s, changes...)
}

// followSearchPaths returns the changes that keep working the routines
// that reach moved tables by search path (their bodies name them without a
// schema): each gets a search_path with ns placed right after the schema
// the table left, and Down gives it back the one it had. moved maps the
// tables moved (snapshot names) to where they were. PostgreSQL only: a
// MySQL routine names tables in its own database, and seams does not read
// MySQL routines.
func (st *stepper) followSearchPaths(moved map[schema.TableName]schema.TableName, ns string) ([]dialect.Change, []string) {
	if st.d == nil || len(moved) == 0 {
		return nil, nil
	}
	if st.d.Name() != "postgres" {
		return nil, st.brokenRoutines(moved, ns)
	}
	var changes []dialect.Change
	var names []string
	for i := range st.b.s.Routines {
		rt := &st.b.s.Routines[i]
		path, own := st.paths[i]
		if !own {
			path = rt.SearchPath
		}
		prev := path // nil: the routine sets none
		if path == nil {
			path = st.b.s.SearchPath
		}
		if len(path) == 0 {
			path = slices.Compact([]string{rt.Schema, "public"})
		}
		next := slices.Clone(path)
		var left []string // the schemas the routine's moved tables left
		for _, n := range rt.ByPath {
			if from, ok := moved[n]; ok {
				left = append(left, from.Schema)
			}
		}
		if rt.Dynamic {
			// SQL built at run time may name any table of its path.
			for _, from := range moved {
				if slices.Contains(path, from.Schema) {
					left = append(left, from.Schema)
				}
			}
		}
		if len(left) > 0 && !slices.Contains(next, ns) {
			// Right after the first of those schemas on the path.
			at := len(next) - 1
			for _, from := range left {
				if i := slices.Index(next, from); i >= 0 && i < at {
					at = i
				}
			}
			next = slices.Insert(next, at+1, ns)
		}
		if slices.Equal(next, path) {
			continue
		}
		changes = append(changes, st.d.SetSearchPath(*rt, st.uniqueRoutine(rt), next, prev))
		st.paths[i] = next
		names = append(names, rt.Schema+"."+rt.Name+"("+rt.Arguments+")")
	}
	if len(names) == 0 {
		return nil, nil
	}
	what := "function " + names[0] + " names tables this step moves without a schema (or runs SQL built at run time, which may): its search_path now lists %[2]s too, so that it finds them (Down sets back the path it had)"
	if len(names) > 1 {
		what = "functions %[1]s name tables this step moves without a schema (or run SQL built at run time, which may): their search_path now lists %[2]s too, so that they find them (Down sets back the path each had)"
	}
	return changes, []string{fmt.Sprintf(what, strings.Join(names, ", "), ns)}
}

// brokenRoutines says which MySQL routines a move breaks: those whose
// bodies name a moved table without its database (it resolves in the
// routine's database, where the table no longer is) or run SQL built at
// run time. seams does not rewrite routine bodies: the note says what to
// do, and the plan warns.
func (st *stepper) brokenRoutines(moved map[schema.TableName]schema.TableName, ns string) []string {
	var notes []string
	for i := range st.b.s.Routines {
		rt := &st.b.s.Routines[i]
		var names []string
		for _, n := range rt.ByPath {
			if _, ok := moved[n]; ok {
				names = append(names, n.Name)
			}
		}
		if len(names) == 0 && !rt.Dynamic {
			continue
		}
		what := "names " + strings.Join(sorted(names), ", ") + " without a database"
		if len(names) == 0 {
			what = "runs SQL built at run time, which may name the moved tables"
		}
		n := fmt.Sprintf("%s %s.%s %s: after this step it fails, since they are in %s now. seams does not rewrite routine bodies: qualify them with %s in its body (or re-create it there) when you apply this step, and back in Down",
			rt.Kind, rt.Schema, rt.Name, what, ns, ns)
		notes = append(notes, n)
		st.b.warnings = append(st.b.warnings, "MySQL routine "+rt.Schema+"."+rt.Name+" breaks when its tables move to "+ns+": see the step's notes")
	}
	return notes
}

// uniqueRoutine reports whether no other routine of the snapshot shares
// rt's schema and name: ALTER FUNCTION can then name it without its
// arguments, whose types may be row types of tables that moved.
func (st *stepper) uniqueRoutine(rt *schema.Routine) bool {
	n := 0
	for i := range st.b.s.Routines {
		if o := &st.b.s.Routines[i]; o.Schema == rt.Schema && o.Name == rt.Name {
			n++
		}
	}
	return n == 1
}

// leftOut is a table a step could not move into its context's namespace.
type leftOut struct {
	table schema.TableName // where it is now
	why   string
	step  int // the step that says so
}

// clash records that table n, now named from, cannot move to to, whose
// name is taken, and returns what to say about it.
func (st *stepper) clash(c string, n, from, to schema.TableName) leftOut {
	why := fmt.Sprintf("%s is left out: %s already exists (", from, to)
	for orig, now := range st.loc {
		if now == to && orig != n {
			if orig != now {
				why += fmt.Sprintf("%s moves there", orig)
			} else {
				why += "a table of the same name already there"
			}
			break
		}
	}
	if strings.HasSuffix(why, "(") {
		why += "a view or a table of the same name"
	}
	why += fmt.Sprintf("), and %s %s cannot hold two tables of that name; rename one of them, then move it", st.spaceWord(), to.Schema)
	st.b.warnings = append(st.b.warnings, fmt.Sprintf("context %s: %s", c, why))
	return leftOut{table: from, why: why}
}

// noteLeftOut records the tables the next step leaves out, for the steps
// after it, which must not claim the context's tables all moved.
func (st *stepper) noteLeftOut(c string, ls []leftOut) {
	for _, l := range ls {
		l.step = len(st.steps) + 1
		st.leftOut[c] = append(st.leftOut[c], l)
	}
}

// spaceWord names a namespace for the dialect.
func (st *stepper) spaceWord() string {
	if dialectOf(st.b.s) == schema.DialectMySQL {
		return "database"
	}
	return "schema"
}

// partitionsOf returns all partitions under n, depth first, sorted.
func (st *stepper) partitionsOf(n schema.TableName) []schema.TableName {
	ps := slices.Clone(st.b.lk.Partitions(n))
	sortNames(ps)
	var out []schema.TableName
	for _, p := range ps {
		out = append(out, p)
		out = append(out, st.partitionsOf(p)...)
	}
	return out
}

// triggersOf returns the triggers on table n, named as they are now.
func (st *stepper) triggersOf(n, now schema.TableName) []schema.Trigger {
	var out []schema.Trigger
	for _, i := range st.b.triggersOn[n] {
		tr := st.b.s.Triggers[i]
		tr.Table = now
		tr.Schema = now.Schema
		out = append(out, tr)
	}
	return out
}

// breakFK drops one cross-context foreign key.
func (st *stepper) breakFK(c string, cf *crossFK, why string, extraIDs ...string) error {
	st.dropped[cf.Key] = true
	fk := st.fkNow(cf.Key)
	child := st.at(cf.Child)
	from, to := strings.Join(cf.from, ", "), strings.Join(cf.to, ", ")
	cols, refs := strings.Join(fk.Columns, ", "), strings.Join(fk.RefColumns, ", ")
	pn := cf.Key.References.Name
	work := []string{
		fmt.Sprintf("In %s: replace every join from %s (%s) to %s (%s) with a call to %s API that returns %s rows by key (in batches for lists).",
			from, cf.Child.Name, cols, pn, refs, possessive(to), pn),
		fmt.Sprintf("In %s: before writing %s.%s, check through %s API that the %s row exists.", from, cf.Child.Name, cols, possessive(to), pn),
	}
	switch cf.Key.OnDelete {
	case schema.Cascade:
		work = append(work, fmt.Sprintf("%s publishes an event when it deletes %s row; %s deletes the %s rows that reference it when it receives the event (this replaces ON DELETE CASCADE).", to, article(pn), from, cf.Child.Name))
	case schema.SetNull, schema.SetDefault:
		work = append(work, fmt.Sprintf("%s publishes an event when it deletes %s row; %s sets %s.%s to %s when it receives the event (this replaces ON DELETE %s).",
			to, article(pn), from, cf.Child.Name, cols, strings.TrimPrefix(string(cf.Key.OnDelete), "SET "), cf.Key.OnDelete))
	default:
		work = append(work, fmt.Sprintf("%s asks %s API whether any %s row still references %s row before deleting it, or marks it deleted instead (this replaces ON DELETE %s).",
			to, possessive(from), cf.Child.Name, article(pn), action(cf.Key.OnDelete)))
	}
	if u := cf.Key.OnUpdate; u == schema.Cascade || u == schema.SetNull || u == schema.SetDefault {
		work = append(work, fmt.Sprintf("%s publishes an event when a key of %s changes; %s applies it to %s.%s (this replaces ON UPDATE %s).", to, pn, from, cf.Child.Name, cols, u))
	}
	s := Step{
		Slug: "drop_fk_" + cf.Child.Name + "_" + cf.Name(), Context: c, Phase: Migrate,
		Title:      fmt.Sprintf("Drop foreign key %s from %s to %s", cf.Key.Name, cf.Child.Name, pn),
		Why:        why,
		AppWork:    work,
		FindingIDs: append([]string{cf.id}, extraIDs...),
	}
	if len(cf.Parts) > 0 {
		s.Slug = "drop_fk_" + cf.Child.Name + "_" + strings.Join(cf.Key.Columns, "_") + "_partitions"
		s.Title = fmt.Sprintf("Drop the foreign keys (%s) to %s from the %d partitions of %s", cols, pn, len(cf.Parts), cf.Child.Name)
	}
	s.FindingIDs = slices.DeleteFunc(s.FindingIDs, func(x string) bool { return !st.b.hasFinding(x) })
	var changes []dialect.Change
	if st.d != nil {
		changes = append(changes, st.dropKey(cf.FK)...)
		s.Verify = []Check{{Query: st.d.OrphanCount(child, fk), Expect: "0"}}
	}
	return st.add(s, changes...)
}

// dropKey returns the changes dropping the constraints of r, named as they
// are now: the key, or each partition's key.
func (st *stepper) dropKey(r ownership.FK) []dialect.Change {
	var out []dialect.Change
	for _, m := range r.Members() {
		st.dropped[m.Key] = true
		out = append(out, st.d.DropForeignKeyOf(st.table(m.Child), st.fkNow(m.Key)))
	}
	return out
}

// hasFinding reports whether a finding with that ID exists.
func (b *builder) hasFinding(fid string) bool {
	if b.ids == nil {
		b.ids = make(map[string]bool, len(b.findings))
		for _, f := range b.findings {
			b.ids[f.ID] = true
		}
	}
	return b.ids[fid]
}

// split gives context c its own table with its columns of shared table n
// (expand), then drops from n the columns nobody else uses (contract).
func (st *stepper) split(c, ns string, n schema.TableName, sp *ownership.Shared) error {
	b := st.b
	cur := st.table(n)
	fid := id("shared-table", n)
	var cols []string
	for _, col := range cur.Columns {
		if slices.Contains(sp.Split.Key, col.Name) || slices.Contains(sp.Split.Columns[c], col.Name) {
			cols = append(cols, col.Name)
		}
	}
	to := schema.TableName{Schema: ns, Name: n.Name}
	if st.taken[to] && st.d != nil {
		to.Name = st.d.ObjectName(n.Name, c)
	}
	if st.taken[to] {
		b.warnings = append(b.warnings, fmt.Sprintf("cannot split %s for %s: %s already exists", n, c, to))
		return nil
	}
	st.taken[to] = true
	st.tablesIn[to.Schema]++
	changes := st.ensureSpace(ns)
	var notes []string
	if st.d != nil {
		changes = append(changes, st.d.CreateTableAs(to, cur, cols, sp.Split.Key))
		// Keep the keys of c's own columns on c's table.
		for _, r := range st.outgoing[n] {
			p := b.lk.Root(r.Key.References)
			if r.Child != n || len(r.Parts) > 0 || p == n || st.dropped[r.Key] || !containsAll(cols, r.Key.Columns) || !slices.Contains(b.own.Home(p), c) && !slices.Contains(st.owners(p), c) {
				continue
			}
			changes = append(changes, st.d.AddForeignKey(to, st.fkNow(r.Key)))
		}
	}
	others := slices.DeleteFunc(slices.Clone(st.remaining[n]), func(x string) bool { return x == c })
	s := Step{
		Slug: "split_" + n.Name + "_" + c, Context: c, Phase: Expand,
		Title: fmt.Sprintf("Create %s with the columns of %s that %s uses", to, n.Name, c),
		Why:   fmt.Sprintf("%s is shared by %s; %s gets a table of its own with the key and its columns (%s), filled from %s.", n, strings.Join(st.remaining[n], ", "), c, strings.Join(cols, ", "), n.Name),
		AppWork: []string{
			fmt.Sprintf("In %s: write %s to both %s and %s until the switch, then read and write them in %s only.", c, strings.Join(cols, ", "), n.Name, to, to),
			fmt.Sprintf("Agree on who issues the key (%s) of new rows: the context that creates them publishes it; the others follow its events.", strings.Join(sp.Split.Key, ", ")),
		},
		FindingIDs: []string{fid},
	}
	if st.d != nil {
		s.Verify = []Check{{
			Query:  fmt.Sprintf("SELECT (SELECT count(*) FROM %s) - (SELECT count(*) FROM %s)", st.d.Table(to), st.d.Table(cur.TableName())),
			Expect: "0",
		}}
	}
	if err := st.add(s, changes...); err != nil {
		return err
	}

	// Contract: drop the columns only c used.
	keep := map[string]bool{}
	for _, k := range sp.Split.Key {
		keep[k] = true
	}
	for _, o := range others {
		for _, col := range sp.Split.Columns[o] {
			keep[col] = true
		}
	}
	for _, r := range st.incoming[n] {
		for _, col := range r.Key.RefColumns {
			keep[col] = true
		}
	}
	var drop []string
	for _, col := range cols {
		if !keep[col] && slices.Contains(sp.Split.Columns[c], col) {
			drop = append(drop, col)
		}
	}
	st.remaining[n] = others
	var cc []dialect.Change
	var repointed []string
	for _, r := range st.incoming[n] {
		if st.dropped[r.Key] || !sameSet(r.Key.RefColumns, sp.Split.Key) || !slices.Contains(b.own.UsersOf(r.Root, r.Key.Columns), c) {
			continue
		}
		st.dropped[r.Key] = true
		for _, m := range r.Members() {
			st.dropped[m.Key] = true
			if st.d != nil {
				moved := st.fkNow(m.Key)
				moved.References = to
				cc = append(cc, st.d.DropForeignKeyOf(st.table(m.Child), st.fkNow(m.Key)), st.d.AddForeignKeyOf(st.table(m.Child), moved))
			}
			repointed = append(repointed, fmt.Sprintf("%s.%s", m.Child.Name, m.Key.Name))
		}
	}
	for _, r := range st.outgoing[n] {
		if st.dropped[r.Key] || !slices.ContainsFunc(r.Key.Columns, func(x string) bool { return slices.Contains(drop, x) }) {
			continue
		}
		st.dropped[r.Key] = true
		if st.d != nil {
			cc = append(cc, st.dropKey(r)...)
		}
		for _, m := range r.Members() {
			notes = append(notes, fmt.Sprintf("foreign key %s on %s goes with the dropped columns; Down re-adds it", m.Key.Name, m.Child.Name))
		}
	}
	if st.d != nil && len(drop) > 0 {
		cc = append(cc, st.d.DropColumns(cur, drop, to, sp.Split.Key))
	}
	if len(cc) == 0 {
		return st.handBack(n, sp)
	}
	for _, i := range b.readers[n] {
		v := &b.s.Views[i]
		notes = append(notes, fmt.Sprintf("view %s reads %s: change it first if it uses %s", v.TableName(), n.Name, strings.Join(drop, ", ")))
	}
	s = Step{
		Slug: "contract_" + n.Name + "_for_" + c, Context: c, Phase: Contract,
		Title:      fmt.Sprintf("Make %s the only home of %s part of %s", to, possessive(c), n.Name),
		Why:        fmt.Sprintf("Once %s reads and writes %s only, what it still has in %s is dead weight that could drift.", c, to, n.Name),
		Notes:      notes,
		FindingIDs: []string{fid},
	}
	if len(repointed) > 0 {
		s.AppWork = append(s.AppWork, fmt.Sprintf("Point the foreign keys %s at %s: %s rows now reference its own part.", strings.Join(repointed, ", "), to, possessive(c)))
	}
	if len(drop) > 0 {
		s.Title = fmt.Sprintf("Drop the columns %s moved to %s from %s", c, to, n.Name)
		s.AppWork = append(s.AppWork, fmt.Sprintf("Check that no code outside %s reads or writes %s.%s any more.", c, n.Name, strings.Join(drop, ", "+n.Name+".")))
	}
	if st.d != nil && len(drop) > 0 {
		lits := make([]string, len(drop))
		for i, d := range drop {
			lits[i] = st.d.Literal(d)
		}
		s.Verify = []Check{{
			Query: fmt.Sprintf("SELECT count(*) FROM information_schema.columns WHERE table_schema = %s AND table_name = %s AND column_name IN (%s)",
				st.d.Literal(cur.Schema), st.d.Literal(cur.Name), strings.Join(lits, ", ")),
			Expect: "0",
		}}
	}
	cur.Columns = slices.DeleteFunc(slices.Clone(cur.Columns), func(col schema.Column) bool { return slices.Contains(drop, col.Name) })
	gone := dialect.ChecksOn(cur, drop)
	cur.Checks = slices.DeleteFunc(slices.Clone(cur.Checks), func(c schema.Check) bool {
		return slices.ContainsFunc(gone, func(g schema.Check) bool { return g.Name == c.Name })
	})
	if err := st.add(s, cc...); err != nil {
		return err
	}
	return st.handBack(n, sp)
}

// handBack moves a split table into its owner's namespace once the other
// contexts have their own parts, if the owner's schema step is already
// written (otherwise that step moves it).
func (st *stepper) handBack(n schema.TableName, sp *ownership.Shared) error {
	if len(st.remaining[n]) != 1 || !st.processed[sp.Owner] {
		return nil
	}
	ns := st.b.namespace(sp.Owner)
	from := st.at(n)
	to := schema.TableName{Schema: ns, Name: from.Name}
	if from.Schema == ns {
		return nil
	}
	if st.taken[to] {
		l := st.clash(sp.Owner, n, from, to)
		st.noteLeftOut(sp.Owner, []leftOut{l})
		if st.pendingService[sp.Owner] {
			defer st.service(sp.Owner, ns)
		}
		return st.add(Step{
			Slug: "rename_" + n.Name + "_" + sp.Owner, Context: sp.Owner, Phase: Expand,
			Title:      fmt.Sprintf("Rename %s, now %s alone, before it can move into %s %s", from, possessive(sp.Owner), st.spaceWord(), ns),
			Why:        l.why + ".",
			AppWork:    []string{fmt.Sprintf("Rename %s (or the table it clashes with) in the application and the database, then move it into %s %s by hand.", from, st.spaceWord(), ns)},
			Notes:      []string{l.why},
			FindingIDs: []string{id("shared-table", n)},
		})
	}
	changes := st.ensureSpace(ns)
	pathChanges, pathNotes := st.followSearchPaths(map[schema.TableName]schema.TableName{n: from}, ns)
	changes = append(changes, pathChanges...)
	if st.d != nil {
		changes = append(changes, st.move(n, from, ns))
	}
	st.rename(n, from, to)
	if st.pendingService[sp.Owner] {
		defer st.service(sp.Owner, ns)
	}
	return st.add(Step{
		Slug: "separate_" + n.Name + "_" + sp.Owner, Context: sp.Owner, Phase: Expand,
		Title:      fmt.Sprintf("Move %s, now %s alone, into %s %s", from, possessive(sp.Owner), st.spaceWord(), ns),
		Why:        fmt.Sprintf("The other contexts have their own parts of %s; what is left belongs to %s.", n.Name, sp.Owner),
		AppWork:    []string{fmt.Sprintf("Qualify %s with %s %s in %s SQL.", n.Name, st.spaceWord(), ns, possessive(sp.Owner))},
		Notes:      pathNotes,
		FindingIDs: []string{id("shared-table", n)},
	}, changes...)
}

// handOver writes the application step for the shared tables c claims but
// the plan gives to another context.
func (st *stepper) handOver(c string) {
	b := st.b
	for _, f := range b.findings {
		if f.Kind != KindSharedTable && f.Kind != KindSharedMutable {
			continue
		}
		n := tableOf(f)
		if b.split(n) != nil || !slices.ContainsFunc(b.own.Claims(n), func(x contexts.Claim) bool { return x.Context == c }) {
			continue
		}
		owner := b.own.Home(n)[0]
		if owner == c || st.done["handover/"+n.String()+"/"+c] {
			continue
		}
		st.done["handover/"+n.String()+"/"+c] = true
		var ids []string
		for _, g := range b.findings {
			if (g.Kind == KindSharedTable || g.Kind == KindSharedMutable) && tableOf(g) == n {
				ids = append(ids, g.ID)
			}
		}
		st.add(Step{
			Slug: "use_" + owner + "_api_for_" + n.Name + "_in_" + c, Context: c, Phase: Migrate,
			Title: fmt.Sprintf("Use %s API for %s in %s", possessive(owner), n.Name, c),
			Why:   fmt.Sprintf("%s goes to %s; %s must stop reading and writing it with SQL before the table moves.", n, owner, c),
			AppWork: []string{
				fmt.Sprintf("Add to %s the operations %s needs on %s (if they do not exist yet).", owner, c, n.Name),
				fmt.Sprintf("In %s: replace every query on %s with calls to that API; replace joins to %s with lookups by key.", c, n.Name, n.Name),
			},
			FindingIDs: ids,
		})
	}
}

// staticData drops the foreign keys from c's tables into static tables.
func (st *stepper) staticData(c string) error {
	b := st.b
	for _, sd := range b.own.StaticData() {
		n := sd.Table
		var changes []dialect.Change
		var checks []Check
		var joins []string
		for _, r := range sd.Refs {
			if st.dropped[r.Key] || !slices.Contains(b.own.UsersOf(r.Root, r.Key.Columns), c) {
				continue
			}
			st.dropped[r.Key] = true
			fk := st.fkNow(r.Key)
			if st.d != nil {
				changes = append(changes, st.dropKey(r)...)
				checks = append(checks, Check{Query: st.d.OrphanCount(st.at(r.Child), fk), Expect: "0"})
			}
			joins = append(joins, fmt.Sprintf("%s.%s", r.Child.Name, strings.Join(r.Key.Columns, ", ")))
		}
		if len(joins) == 0 {
			continue
		}
		s := Step{
			Slug: "static_" + n.Name + "_in_" + c, Context: c, Phase: Migrate,
			Title: fmt.Sprintf("Ship %s with %s as code and drop its foreign keys to it", n.Name, c),
			Why:   fmt.Sprintf("%s is static reference data: %s keeps its own copy in code, so no constraint needs to reach the shared table.", n, c),
			AppWork: []string{
				fmt.Sprintf("Export the rows of %s (seams writes them as a data file) and ship them with %s as configuration or an enumeration.", n, c),
				fmt.Sprintf("Validate %s against that list when writing, and replace joins to %s with lookups in it.", strings.Join(joins, "; "), n.Name),
			},
			Verify:     checks,
			FindingIDs: []string{id("static", n)},
		}
		if err := st.add(s, changes...); err != nil {
			return err
		}
	}
	return nil
}

// appOnly writes the steps for cross-context triggers and views that
// involve c and have no step yet: application work, no SQL.
func (st *stepper) appOnly(c string, kind Kind) {
	for _, f := range st.b.findings {
		if f.Kind != kind || st.done[f.ID] || !slices.Contains(f.Contexts, c) {
			continue
		}
		st.done[f.ID] = true
		o := f.Objects[0]
		s := Step{Context: c, Phase: Migrate, Why: f.Title + ".", AppWork: []string{f.Recommendation.Description}, FindingIDs: []string{f.ID}}
		if f.Kind == KindTrigger && len(f.Objects) > 1 {
			var names []string
			for _, t := range f.Objects {
				names = append(names, t.Name)
			}
			s.Slug = "replace_triggers_on_" + o.Table
			s.Title = fmt.Sprintf("Replace the triggers %s on %s with code", strings.Join(names, ", "), o.Table)
			s.Why = f.Title + "; their bodies name tables that the next steps move to other schemas, so the code must take over before they move."
			s.Notes = []string{"seams writes no SQL for this step: drop the triggers with your migration tool once the code replaces them (the schema steps below still carry them along if they are there)"}
		} else if f.Kind == KindTrigger {
			s.Slug = "replace_trigger_" + o.Name
			s.Title = fmt.Sprintf("Replace trigger %s on %s with code", o.Name, o.Table)
			s.Why = f.Title + "; the trigger's body names tables that the next steps move to other schemas, so the code must take over before they move."
			s.Notes = []string{"seams writes no SQL for this step: drop the trigger with your migration tool once the code replaces it (the schema steps below still carry it along if it is there)"}
		} else {
			s.Slug = "replace_view_" + o.Name
			s.Title = fmt.Sprintf("Rebuild view %s outside the shared schema", o.Name)
			s.Notes = []string{"seams writes no SQL for this step: drop the view with your migration tool once nothing reads it"}
		}
		st.add(s)
	}
}

// service writes the last step of a context: run it as a service. While
// a table the context keeps from a split is still shared, the step waits
// for handBack.
func (st *stepper) service(c, ns string) {
	for _, sp := range st.b.own.SharedTables() {
		if n := sp.Table; sp.Split != nil && sp.Owner == c && len(st.remaining[n]) > 1 {
			st.pendingService[c] = true
			return
		}
	}
	delete(st.pendingService, c)
	if len(st.b.own.Tables(c)) == 0 {
		return
	}
	work := []string{
		fmt.Sprintf("Deploy %s as its own service with its own database credentials, granted on %s %s only.", c, st.spaceWord(), ns),
		fmt.Sprintf("Other contexts reach %s data only through its API (the calls added in the steps above).", possessive(c)),
	}
	if info := st.b.a.Info[c]; info != nil && len(info.Roles) > 0 {
		work = append(work, fmt.Sprintf("Revoke from the roles of the other contexts their grants on %s; %s connects as %s.", ns, c, strings.Join(info.Roles, ", ")))
	}
	why := fmt.Sprintf("Its tables are in %s and no foreign key crosses its boundary any more: the database no longer holds %s to the monolith.", ns, c)
	if ls := st.leftOut[c]; len(ls) > 0 {
		var names []string
		for _, l := range ls {
			names = append(names, fmt.Sprintf("%s (step %d)", l.table, l.step))
		}
		why = fmt.Sprintf("No foreign key crosses its boundary any more, and its tables are in %s except %s, which could not move because of a name clash: rename and move them first, or the service keeps a table in the monolith's %s.",
			ns, strings.Join(names, ", "), st.spaceWord())
		work = append([]string{fmt.Sprintf("Before the split: rename and move %s into %s %s (see the steps named).", strings.Join(names, ", "), st.spaceWord(), ns)}, work...)
	}
	st.add(Step{
		Slug: "service_" + c, Context: c, Phase: Split,
		Title:   fmt.Sprintf("Run %s as its own service", c),
		Why:     why,
		AppWork: work,
	})
}

// tableOf returns the table of a finding about one table.
func tableOf(f Finding) schema.TableName {
	for _, o := range f.Objects {
		if o.Type == "table" {
			return schema.TableName{Schema: o.Schema, Name: o.Name}
		}
	}
	return schema.TableName{}
}

// slug makes a file-name-safe step name: lower-case ASCII letters, digits
// and single underscores, at most 60 bytes.
func slug(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	out := strings.TrimRight(b.String(), "_")
	if len(out) > 60 {
		out = strings.TrimRight(out[:60], "_")
	}
	if out == "" {
		return "step"
	}
	return out
}
