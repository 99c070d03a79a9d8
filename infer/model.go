package infer

import (
	"slices"
	"strings"

	"github.com/gobuffalo/flect"
	"github.com/seamsdev/seams/schema"
)

// column is a column of a table of the model.
type column struct {
	name string // as the catalog spells it
	norm string // normalized: snake_case, lower case
	toks []string
	// rests[i] is toks[i:] joined: the name without i leading words;
	// offs[i] is where word i starts in norm.
	rests []string
	offs  []int
	fam   family
	tbl   *table
	// declared: the column is part of a declared foreign key.
	declared bool
	// pkAlone: the column is the whole primary key; generated: it has a
	// default or is an identity (the table numbers its own rows).
	pkAlone, generated bool
	// key: the column alone is a primary or unique key.
	key bool
}

// table is a table of the model (partitions are folded into their root).
type table struct {
	n    schema.TableName
	t    *schema.Table
	norm string
	toks []string
	// prefixes[i] is the first i+1 words of the name, joined.
	prefixes []string
	cols     []*column
	pk       *column   // the primary key when it has one column
	keys     []*column // single-column keys, the primary key first
	// composite are the keys of two or more columns.
	composite [][]*column
}

// keyNamed returns the single-column key of t whose normalized name is n.
func (t *table) keyNamed(n string) *column {
	for _, k := range t.keys {
		if k.norm == n {
			return k
		}
	}
	return nil
}

// mainKey is what a reference to the table as a whole points at: its
// primary key, or its only single-column unique key.
func (t *table) mainKey() *column {
	if t.pk != nil {
		return t.pk
	}
	if len(t.keys) == 1 {
		return t.keys[0]
	}
	return nil
}

// formKind says how a table name form was made.
type formKind int

const (
	formExact    formKind = iota // the name, singular or plural
	formStripped                 // with a common prefix or a table-marker suffix removed
)

type form struct {
	t    *table
	kind formKind
}

// model indexes a snapshot for inference.
type model struct {
	snap    *schema.Snapshot
	dialect string
	tables  []*table
	byName  map[schema.TableName]*table
	// folded maps a folded table name (no schema) to its tables.
	folded map[string][]*table
	// forms maps a normalized name form to the tables it names.
	forms map[string][]form
	// exact maps a normalized table name to its tables.
	exact map[string][]*table
	// keyCols maps the normalized name of a single-column key to the keys.
	keyCols map[string][]*column
	lk      *schema.Lookup
	in      inflector
}

// dialectOf is the snapshot's SQL dialect, "postgres" or "mysql" ("postgres"
// for an engine seams does not know).
func dialectOf(s *schema.Snapshot) string {
	if d, ok := s.Source.Engine.Dialect(); ok {
		return string(d)
	}
	return string(schema.DialectPostgres)
}

// normalize turns an identifier into lower snake_case: ArtistID and
// artistId become artist_id, "Order Lines" order_lines.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 4)
	prevLower, underscore := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			if (prevLower || (i+1 < len(s) && s[i+1] >= 'a' && s[i+1] <= 'z' && i > 0 && s[i-1] >= 'A' && s[i-1] <= 'Z')) && !underscore {
				b.WriteByte('_')
			}
			b.WriteByte(c + 32)
			prevLower = false
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteByte(c)
			prevLower = true
		default:
			if b.Len() > 0 && !underscore {
				b.WriteByte('_')
				underscore = true
			}
			prevLower = false
			continue
		}
		underscore = false
	}
	return strings.Trim(b.String(), "_")
}

// Words returns the words of an identifier as the name rules read them:
// normalized (see normalize: CustomerOrders and customer_orders alike),
// words ending in s made singular (orders: order; area and data stay as
// they are), numbers and one-letter words left out, in order, without
// repeats. Package tablegraph ties tables that share a word.
func Words(name string) []string {
	var out []string
	for _, w := range strings.Split(normalize(name), "_") {
		if len(w) < 2 || strings.Trim(w, "0123456789") == "" {
			continue
		}
		if strings.HasSuffix(w, "s") {
			if sg := flect.Singularize(w); sg != "" {
				w = sg
			}
		}
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// inflector inflects normalized names, remembering each last word.
type inflector map[string][2]string

// inflections returns the singular and plural of a normalized name: its
// last word inflected (by github.com/gobuffalo/flect), the others kept.
func (in inflector) inflections(n string) (singular, plural string) {
	head, last := "", n
	if i := strings.LastIndexByte(n, '_'); i >= 0 {
		head, last = n[:i+1], n[i+1:]
	}
	if strings.Trim(last, "0123456789") == "" {
		return n, n // a number is no word
	}
	w, ok := in[last]
	if !ok {
		w = [2]string{flect.Singularize(last), flect.Pluralize(last)}
		in[last] = w
	}
	return head + w[0], head + w[1]
}

// inflections inflects one name; see inflector.
func inflections(n string) (singular, plural string) {
	return inflector{}.inflections(n)
}

// tableMarkers are suffix words that mark a table rather than name it.
var tableMarkers = map[string]bool{"tbl": true, "table": true, "tab": true}

// newModel indexes s.
func newModel(s *schema.Snapshot) *model {
	m := &model{
		snap: s, dialect: dialectOf(s),
		byName:  make(map[schema.TableName]*table, len(s.Tables)),
		folded:  make(map[string][]*table, len(s.Tables)),
		forms:   make(map[string][]form, 3*len(s.Tables)),
		exact:   make(map[string][]*table, len(s.Tables)),
		keyCols: map[string][]*column{},
		lk:      schema.NewLookup(s),
		in:      inflector{},
	}
	families := map[string]family{}
	familyOf := func(typ string) family {
		f, ok := families[typ]
		if !ok {
			f = typeFamily(typ)
			families[typ] = f
		}
		return f
	}
	// The tables and columns live in two arenas: one allocation each
	// rather than one per column, which matters at 100,000 columns.
	nTables, nCols := 0, 0
	for i := range s.Tables {
		if !s.Tables[i].IsPartition() {
			nTables++
			nCols += len(s.Tables[i].Columns)
		}
	}
	tables := make([]table, 0, nTables)
	colArena := make([]column, 0, nCols)
	colPtrs := make([]*column, 0, nCols)
	declared := map[string]bool{}
	for i := range s.Tables {
		st := &s.Tables[i]
		if st.IsPartition() {
			continue
		}
		tables = append(tables, table{n: st.TableName(), t: st, norm: normalize(st.Name)})
		t := &tables[len(tables)-1]
		t.toks = strings.Split(t.norm, "_")
		for k := range t.toks {
			t.prefixes = append(t.prefixes, strings.Join(t.toks[:k+1], "_"))
		}
		clear(declared)
		for _, fk := range st.ForeignKeys {
			for _, c := range fk.Columns {
				declared[c] = true
			}
		}
		first := len(colPtrs)
		for j := range st.Columns {
			sc := &st.Columns[j]
			colArena = append(colArena, column{name: sc.Name, norm: normalize(sc.Name), fam: familyOf(sc.Type), tbl: t, declared: declared[sc.Name],
				generated: sc.Identity != "" || sc.Default != nil || sc.Generated != ""})
			c := &colArena[len(colArena)-1]
			c.toks = strings.Split(c.norm, "_")
			c.rests, c.offs = make([]string, len(c.toks)), make([]int, len(c.toks)+1)
			off := 0
			for k := range c.toks {
				c.rests[k], c.offs[k] = c.norm[off:], off
				off += len(c.toks[k]) + 1
			}
			c.offs[len(c.toks)] = off
			colPtrs = append(colPtrs, c)
		}
		t.cols = colPtrs[first:len(colPtrs):len(colPtrs)]
		addKey := func(names []string, primary bool) {
			var cols []*column
			for _, n := range names {
				c := t.column(n)
				if c == nil {
					return
				}
				cols = append(cols, c)
			}
			if len(cols) == 1 {
				cols[0].key = true
				if primary {
					cols[0].pkAlone = true
					t.pk = cols[0]
					t.keys = append([]*column{cols[0]}, t.keys...)
				} else if !containsCol(t.keys, cols[0]) {
					t.keys = append(t.keys, cols[0])
				}
				return
			}
			if len(cols) > 1 {
				t.composite = append(t.composite, cols)
			}
		}
		if st.PrimaryKey != nil {
			addKey(st.PrimaryKey.Columns, true)
		}
		for _, u := range st.Uniques {
			addKey(u.Columns, false)
		}
		for _, ix := range st.Indexes {
			if ix.Unique && !ix.Primary && ix.Predicate == "" {
				addKey(ix.Columns, false)
			}
		}
		m.tables = append(m.tables, t)
		m.byName[t.n] = t
		m.folded[strings.ToLower(t.n.Name)] = append(m.folded[strings.ToLower(t.n.Name)], t)
		m.exact[t.norm] = append(m.exact[t.norm], t)
		for _, k := range t.keys {
			m.keyCols[k.norm] = append(m.keyCols[k.norm], k)
		}
	}
	// A foreign key declared on partitions holds for their root.
	for i := range s.Tables {
		st := &s.Tables[i]
		if !st.IsPartition() {
			continue
		}
		if root := m.byName[m.lk.Root(st.TableName())]; root != nil {
			for _, fk := range st.ForeignKeys {
				for _, cn := range fk.Columns {
					if c := root.column(cn); c != nil {
						c.declared = true
					}
				}
			}
		}
	}
	m.indexForms()
	return m
}

// byNorm returns the first column of t whose normalized name is n.
func (t *table) byNorm(n string) *column {
	for _, c := range t.cols {
		if c.norm == n {
			return c
		}
	}
	return nil
}

// column returns the column of t with the catalog name n.
func (t *table) column(n string) *column {
	for _, c := range t.cols {
		if c.name == n {
			return c
		}
	}
	return nil
}

func containsCol(cs []*column, c *column) bool {
	for _, x := range cs {
		if x == c {
			return true
		}
	}
	return false
}

// indexForms fills m.forms: every table under its normalized name, its
// singular and plural, and the same with a common prefix (a first word
// shared by three or more tables that names no table, like ci_ or wp_)
// or a table-marker suffix (_tbl) removed.
func (m *model) indexForms() {
	prefixCount := map[string]int{}
	for _, t := range m.tables {
		if len(t.toks) > 1 {
			prefixCount[t.toks[0]]++
		}
	}
	in := m.in
	add := func(n string, t *table, kind formKind) {
		for _, f := range m.forms[n] {
			if f.t == t {
				return
			}
		}
		m.forms[n] = append(m.forms[n], form{t, kind})
	}
	addAll := func(n string, t *table, kind formKind) {
		sing, plur := in.inflections(n)
		add(n, t, kind)
		add(sing, t, kind)
		add(plur, t, kind)
	}
	for _, t := range m.tables {
		addAll(t.norm, t, formExact)
	}
	for _, t := range m.tables {
		if len(t.toks) < 2 {
			continue
		}
		if p := t.toks[0]; prefixCount[p] >= 3 && len(m.exact[p]) == 0 {
			addAll(strings.Join(t.toks[1:], "_"), t, formStripped)
		}
		if tableMarkers[t.toks[len(t.toks)-1]] {
			addAll(strings.Join(t.toks[:len(t.toks)-1], "_"), t, formStripped)
		}
	}
}

// resolveTable finds the model table a statement names: a qualified name
// exactly (without case on MySQL), an unqualified one among near (the
// tables the statement is known to read and write), else the only table of
// that name, else the one in the default schema.
func (m *model) resolveTable(n schema.TableName, near []schema.TableName, defaultSchema string) *table {
	fold := func(s string) string {
		if m.dialect == "mysql" {
			return strings.ToLower(s)
		}
		return s
	}
	root := func(n schema.TableName) *table { return m.byName[m.lk.Root(n)] }
	if n.Schema != "" {
		if t := root(n); t != nil {
			return t
		}
		for _, t := range m.folded[strings.ToLower(n.Name)] {
			if fold(t.n.Schema) == fold(n.Schema) && fold(t.n.Name) == fold(n.Name) {
				return t
			}
		}
		return nil
	}
	for _, x := range near {
		if fold(x.Name) == fold(n.Name) {
			if t := root(x); t != nil {
				return t
			}
		}
	}
	var cands []*table
	for _, t := range m.folded[strings.ToLower(n.Name)] {
		if fold(t.n.Name) == fold(n.Name) {
			cands = append(cands, t)
		}
	}
	if len(cands) == 1 {
		return cands[0]
	}
	for _, t := range cands {
		if t.n.Schema == defaultSchema {
			return t
		}
	}
	return nil
}

// defaultSchema is where unqualified names are looked up last: public on
// PostgreSQL, the database on MySQL.
func (m *model) defaultSchema() string {
	if m.dialect == "mysql" {
		return m.snap.Source.Database
	}
	return "public"
}
