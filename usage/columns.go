package usage

import (
	"encoding/json"
	"slices"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
	"vitess.io/vitess/go/vt/sqlparser"
)

// tableRef is a table named in a statement, with its alias.
type tableRef struct {
	name  schema.TableName
	alias string
}

// colRef is a column named in a statement: qualified by a table or alias
// (qual, and qualSchema for schema.table.column) or not.
type colRef struct {
	qualSchema, qual, col string
	write                 bool
	// target is the table a written column belongs to (INSERT, UPDATE).
	target *tableRef
}

// pgColumns finds the tables and columns a PostgreSQL statement names.
func pgColumns(sql string) ([]tableRef, []colRef, bool) {
	out, err := pg_query.ParseToJSON(sql)
	if err != nil {
		return nil, nil, false
	}
	var root any
	if err := json.Unmarshal([]byte(out), &root); err != nil {
		return nil, nil, false
	}
	var tables []tableRef
	var cols []colRef
	rangeVar := func(m map[string]any) *tableRef {
		name, _ := m["relname"].(string)
		if name == "" {
			return nil
		}
		t := tableRef{name: schema.TableName{Name: name}}
		t.name.Schema, _ = m["schemaname"].(string)
		if a, ok := m["alias"].(map[string]any); ok {
			t.alias, _ = a["aliasname"].(string)
		}
		tables = append(tables, t)
		return &tables[len(tables)-1]
	}
	targets := func(list any, target *tableRef) {
		for _, item := range asList(list) {
			rt, _ := asMap(item)["ResTarget"].(map[string]any)
			if name, _ := rt["name"].(string); name != "" && target != nil {
				t := *target
				cols = append(cols, colRef{col: name, write: true, target: &t})
			}
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch n := v.(type) {
		case []any:
			for _, x := range n {
				walk(x)
			}
		case map[string]any:
			if rv, ok := n["RangeVar"].(map[string]any); ok {
				rangeVar(rv)
				return
			}
			if cr, ok := n["ColumnRef"].(map[string]any); ok {
				var names []string
				for _, f := range asList(cr["fields"]) {
					s, ok := asMap(f)["String"].(map[string]any)
					if !ok {
						names = nil // A_Star
						break
					}
					sv, _ := s["sval"].(string)
					names = append(names, sv)
				}
				switch len(names) {
				case 1:
					cols = append(cols, colRef{col: names[0]})
				case 2:
					cols = append(cols, colRef{qual: names[0], col: names[1]})
				case 3:
					cols = append(cols, colRef{qualSchema: names[0], qual: names[1], col: names[2]})
				}
				return
			}
			for _, kind := range []string{"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"} {
				st, ok := n[kind].(map[string]any)
				if !ok {
					continue
				}
				var target *tableRef
				if rel, ok := st["relation"].(map[string]any); ok {
					target = rangeVar(rel)
				}
				switch kind {
				case "InsertStmt":
					targets(st["cols"], target)
				case "UpdateStmt":
					targets(st["targetList"], target)
				}
				for k, x := range st {
					if k == "relation" || (kind == "InsertStmt" && k == "cols") {
						continue
					}
					if kind == "UpdateStmt" && k == "targetList" {
						for _, item := range asList(x) {
							rt, _ := asMap(item)["ResTarget"].(map[string]any)
							walk(rt["val"])
						}
						continue
					}
					walk(x)
				}
				return
			}
			for _, x := range n {
				walk(x)
			}
		}
	}
	walk(root)
	return tables, cols, true
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// columnParser is the Vitess parser for column extraction.
var columnParser = func() *sqlparser.Parser {
	p, err := sqlparser.New(sqlparser.Options{MySQLServerVersion: "8.4.0"})
	if err != nil {
		panic(err)
	}
	return p
}()

// myColumns finds the tables and columns a MySQL statement names.
func myColumns(sql string) (tables []tableRef, cols []colRef, ok bool) {
	defer func() {
		if recover() != nil {
			tables, cols, ok = nil, nil, false
		}
	}()
	stmt, err := columnParser.Parse(sqlrefs.DigestLists(sql))
	if err != nil {
		return nil, nil, false
	}
	skip := map[*sqlparser.ColName]bool{}
	addTable := func(t *sqlparser.AliasedTableExpr) *tableRef {
		tn, ok := t.Expr.(sqlparser.TableName)
		if !ok {
			return nil
		}
		tables = append(tables, tableRef{name: schema.TableName{Schema: tn.Qualifier.String(), Name: tn.Name.String()}, alias: t.As.String()})
		return &tables[len(tables)-1]
	}
	err = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		switch n := node.(type) {
		case *sqlparser.AliasedTableExpr:
			addTable(n)
		case *sqlparser.Insert:
			if n.Table != nil {
				if t := addTable(n.Table); t != nil {
					tt := *t
					for _, c := range n.Columns {
						cols = append(cols, colRef{col: c.String(), write: true, target: &tt})
					}
				}
			}
		case *sqlparser.UpdateExpr:
			if n.Name != nil {
				skip[n.Name] = true
				cols = append(cols, colRef{qual: n.Name.Qualifier.Name.String(), qualSchema: n.Name.Qualifier.Qualifier.String(), col: n.Name.Name.String(), write: true})
			}
		case *sqlparser.ColName:
			if !skip[n] {
				cols = append(cols, colRef{qual: n.Qualifier.Name.String(), qualSchema: n.Qualifier.Qualifier.String(), col: n.Name.String()})
			}
		}
		return true, nil
	}, stmt)
	return tables, cols, err == nil
}

// columnUses resolves the columns of a statement to snapshot tables: a
// qualified column through the statement's aliases and table names, an
// unqualified one to the only table of the statement that has it. Columns
// that resolve to no column of a snapshot table are left out.
func (b *Builder) columnUses(sql, defaultSchema string) []schema.ColumnUse {
	var tables []tableRef
	var cols []colRef
	var ok bool
	if b.dialect == schema.DialectMySQL {
		tables, cols, ok = myColumns(sql)
	} else {
		tables, cols, ok = pgColumns(sql)
	}
	if !ok || len(cols) == 0 {
		return nil
	}
	type resolved struct {
		ref tableRef
		t   *schema.Table
	}
	var rs []resolved
	for _, tr := range tables {
		n, ok := b.resolve(tr.name, defaultSchema)
		if !ok {
			continue
		}
		if t := b.lk.Table(n); t != nil {
			rs = append(rs, resolved{tr, t})
		}
	}
	has := func(t *schema.Table, col string) string {
		for _, c := range t.Columns {
			if c.Name == col || (b.dialect == schema.DialectMySQL && strings.EqualFold(c.Name, col)) {
				return c.Name
			}
		}
		return ""
	}
	use := map[schema.TableName]*schema.ColumnUse{}
	add := func(t *schema.Table, col string, write bool) {
		n := b.lk.Root(t.TableName())
		u := use[n]
		if u == nil {
			u = &schema.ColumnUse{Table: n}
			use[n] = u
		}
		if write {
			u.Written = append(u.Written, col)
		} else {
			u.Read = append(u.Read, col)
		}
	}
	for _, c := range cols {
		var cands []resolved
		switch {
		case c.target != nil:
			for _, r := range rs {
				if r.ref.name == c.target.name {
					cands = append(cands, r)
					break
				}
			}
		case c.qual != "":
			for _, r := range rs {
				if b.fold(r.ref.alias) == b.fold(c.qual) || (r.ref.alias == "" && b.fold(r.ref.name.Name) == b.fold(c.qual) &&
					(c.qualSchema == "" || b.fold(c.qualSchema) == b.fold(r.t.Schema))) {
					cands = append(cands, r)
				}
			}
		default:
			for _, r := range rs {
				if has(r.t, c.col) != "" {
					cands = append(cands, r)
				}
			}
		}
		// One table, or several references to the same one (a self-join).
		if len(cands) == 0 || slices.ContainsFunc(cands, func(r resolved) bool { return r.t != cands[0].t }) {
			continue
		}
		if name := has(cands[0].t, c.col); name != "" {
			add(cands[0].t, name, c.write)
		}
	}
	out := make([]schema.ColumnUse, 0, len(use))
	for _, u := range use {
		slices.Sort(u.Read)
		u.Read = slices.Compact(u.Read)
		slices.Sort(u.Written)
		u.Written = slices.Compact(u.Written)
		out = append(out, *u)
	}
	slices.SortFunc(out, func(x, y schema.ColumnUse) int { return x.Table.Compare(y.Table) })
	return out
}
