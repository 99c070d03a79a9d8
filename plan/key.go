package plan

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/seamsdev/seams/schema"
)

// Keys: the identity of a finding that survives renames.
//
// A finding's ID names the objects as the catalog does, constraint and
// trigger names included, so renaming a constraint changes it. Its Key
// names only what the coupling is made of: the tables, columns and
// referenced tables of a foreign key, the tables a trigger touches. A
// baseline of accepted findings (package baseline) is keyed by Key, so a
// renamed constraint is the same coupling, not a new one. The forms:
//
//	fk:S.T(c1,c2)->S.P(r1,r2)          cross_context_fk: child table and columns, parent table and columns
//	inferred:S.T(c1)->S.P(r1)[=v]      cross_context_inferred_reference: the same, =v for one target of a polymorphic pair
//	static:S.T  shared-table:S.T  shared-data:S.T  unassigned:S.T  unused:S.T
//	view:S.V                           cross_context_view: the view's name
//	trigger:S.T[writes:S.A+S.B]        cross_context_trigger: its table, whether the triggers write, and the other contexts' tables they touch
//	cycle:a+b+c                        dependency_cycle: its contexts, sorted
//	query:S.A+S.B[writes:S.B]@F        cross_context_query: its tables, those it writes, and the file of code it is in (@F only for code)
//	transaction:F#fn                   cross_context_transaction: its file and function, or F[writes:S.A+S.B] when the function is unknown
//	implied:S.A+S.B                    implied_coupling: the two tables
//
// S is a schema, T a table; every name is written as the catalog spells it
// with the characters that structure a key (% . : ( ) [ ] , + > # @ = and
// white space and control characters) percent-encoded, so "." separates a
// schema from its table and nothing else. Two findings with the same key
// (two statements of one file over the same tables) are told apart by
// "#2", "#3"... in the order of their IDs.

// keyName writes one name of a key, escaping the characters that structure
// keys and any that cannot be shown.
func keyName(s string) string {
	if !strings.ContainsFunc(s, keyEscaped) && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || keyEscaped(r) {
			for _, c := range []byte(s[i : i+size]) {
				fmt.Fprintf(&b, "%%%02X", c)
			}
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func keyEscaped(r rune) bool {
	return strings.ContainsRune("%.:()[],+>#@=", r) || unicode.IsSpace(r) || !unicode.IsPrint(r)
}

// keyTable writes schema.table.
func keyTable(n schema.TableName) string { return keyName(n.Schema) + "." + keyName(n.Name) }

// keyTables writes tables joined by "+", sorted.
func keyTables(ns []schema.TableName) string {
	ns = slices.Clone(ns)
	slices.SortFunc(ns, schema.TableName.Compare)
	ns = slices.Compact(ns)
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = keyTable(n)
	}
	return strings.Join(parts, "+")
}

func keyNames(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = keyName(n)
	}
	return strings.Join(parts, ",")
}

// tableKey is the key of a finding about one table or view.
func tableKey(prefix string, n schema.TableName) string { return prefix + ":" + keyTable(n) }

// fkKey is the key of a reference: "fk" for a foreign key, "inferred" for
// one no key declares.
func fkKey(prefix string, child schema.TableName, cols []string, parent schema.TableName, refCols []string) string {
	return fmt.Sprintf("%s:%s(%s)->%s(%s)", prefix, keyTable(child), keyNames(cols), keyTable(parent), keyNames(refCols))
}

// inferredKey is the key of a reference no foreign key declares: as a
// foreign key's, and "=<value>" for one target of a polymorphic pair.
func inferredKey(r schema.InferredReference) string {
	k := fkKey("inferred", r.Table, r.Columns, r.References, r.RefColumns)
	if r.Discriminator != nil && r.Discriminator.Value != "" {
		k += "=" + keyName(r.Discriminator.Value)
	}
	return k
}

// triggerKey is the key of the triggers on table that read (or write) the
// tables touched of other contexts.
func triggerKey(table schema.TableName, writes bool, touched []schema.TableName) string {
	verb := "reads"
	if writes {
		verb = "writes"
	}
	return fmt.Sprintf("trigger:%s[%s:%s]", keyTable(table), verb, keyTables(touched))
}

// cycleKey is the key of a cycle between contexts (sorted).
func cycleKey(members []string) string {
	parts := make([]string, len(members))
	for i, m := range members {
		parts[i] = keyName(m)
	}
	return "cycle:" + strings.Join(parts, "+")
}

// queryKey is the key of a statement over tables, writing writes, found in
// file (empty when it was not found in code).
func queryKey(tables, writes []schema.TableName, file string) string {
	k := "query:" + keyTables(tables)
	if len(writes) > 0 {
		k += "[writes:" + keyTables(writes) + "]"
	}
	if file != "" {
		k += "@" + keyName(file)
	}
	return k
}

// transactionKey is the key of a unit of work in file (and function, when
// known) writing tables.
func transactionKey(l schema.Location, writes []schema.TableName) string {
	if l.Function != "" {
		return "transaction:" + keyName(l.File) + "#" + keyName(l.Function)
	}
	return "transaction:" + keyName(l.File) + "[writes:" + keyTables(writes) + "]"
}

// impliedKey is the key of two tables used together with no foreign key.
func impliedKey(a, b schema.TableName) string {
	return "implied:" + keyTables([]schema.TableName{a, b})
}

// uniqueKeys tells apart findings that share a key by adding "#2", "#3"...
// in the order of their IDs.
func uniqueKeys(fs []Finding) {
	byKey := map[string][]int{}
	for i := range fs {
		byKey[fs[i].Key] = append(byKey[fs[i].Key], i)
	}
	for k, is := range byKey {
		if len(is) < 2 {
			continue
		}
		slices.SortFunc(is, func(x, y int) int { return strings.Compare(fs[x].ID, fs[y].ID) })
		for n, i := range is[1:] {
			fs[i].Key = fmt.Sprintf("%s#%d", k, n+2)
		}
	}
}

// LooseKey returns the identity of a coupling that survives the plan's
// own steps: without the schemas of its tables (the first steps move them
// to their contexts' schemas), and the same for a reference whether a
// foreign key declares it or not (dropping the constraint leaves the
// column, and the reference, in place: "fk:" and "inferred:" keys both
// become "ref:"). Keys of cycles, statements and units of work, which name
// no table by schema first, are returned as they are.
func LooseKey(key string) string {
	kind, rest, ok := strings.Cut(key, ":")
	if !ok {
		return key
	}
	switch kind {
	case "cycle", "query", "transaction":
		return key
	case "fk", "inferred":
		kind = "ref"
	}
	var b strings.Builder
	b.WriteString(kind)
	b.WriteByte(':')
	start := 0 // start of the current name
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == '.':
			start = i + 1 // drop the schema written since start
		case strings.IndexByte(":()[],+>#@=", c) >= 0:
			b.WriteString(rest[start : i+1])
			start = i + 1
		}
	}
	b.WriteString(rest[start:])
	return b.String()
}
