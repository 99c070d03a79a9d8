package sqlrefs

import (
	"fmt"
	"strings"

	pg_query "github.com/pganalyze/pg_query_go/v6"
	"github.com/seamsdev/seams/schema"
	"vitess.io/vitess/go/vt/sqlparser"
)

// Names are the tables and columns one statement names, as it writes
// them: what a caller that knows the schema resolves to the columns the
// statement reads and writes (package usage).
type Names struct {
	Tables  []NamedTable
	Columns []NamedColumn
}

// NamedTable is a table a statement names, with the alias it gives it.
type NamedTable struct {
	Table schema.TableName
	Alias string
	// Insert is true for the table an INSERT writes, which the columns of
	// its SELECT or VALUES do not name unqualified (those of an ON
	// CONFLICT or ON DUPLICATE KEY UPDATE do).
	Insert bool
}

// NamedColumn is a column a statement names: column, table.column (table
// being a table's name or an alias) or schema.table.column.
type NamedColumn struct {
	Schema, Table, Column string
	// Write is true for a column the statement writes: an INSERT's
	// columns, an UPDATE's SET targets.
	Write bool
	// Into is the table an INSERT writes the column into, nil otherwise.
	Into *schema.TableName
}

// Reader reads one statement: what it reads and writes, as a Parser
// does, and the names it uses, from the same parse. namesOK is false when
// the names could not be read (a text that does not parse as a whole).
type Reader func(sql string) (refs Refs, names Names, namesOK bool, err error)

// ReaderFor returns the reader of a dialect; an unknown dialect is an
// error.
func ReaderFor(d schema.Dialect) (Reader, error) {
	switch d {
	case schema.DialectPostgres:
		return PostgresReader, nil
	case schema.DialectMySQL:
		return MySQLReader, nil
	}
	return nil, fmt.Errorf("no SQL parser for dialect %q", d)
}

// PostgresReader reads a PostgreSQL statement from libpg_query's parse
// tree, read once with this package's JSON reader: the references as
// Postgres's tree path finds them, the names from the same tree. A text
// that does not parse as a whole goes through Postgres, without names.
func PostgresReader(sql string) (refs Refs, names Names, namesOK bool, err error) {
	defer guard("postgres", sql, &err)
	out, perr := pg_query.ParseToJSON(sql)
	var root any
	if perr == nil {
		root, perr = parseJSON(out)
	}
	if perr != nil {
		refs, err = Postgres(sql)
		return refs, Names{}, false, err
	}
	var c collector
	err = postgresWalk(&c, sql, root)
	return c.refs(), postgresNames(root), true, err
}

// postgresNames reads the names of libpg_query's parse tree root.
func postgresNames(root any) (n Names) {
	rangeVar := func(o jobj) *NamedTable {
		name, _ := o.get("relname").(string)
		if name == "" {
			return nil
		}
		t := NamedTable{Table: schema.TableName{Name: name}}
		t.Table.Schema, _ = o.get("schemaname").(string)
		if a, ok := o.get("alias").(jobj); ok {
			t.Alias, _ = a.get("aliasname").(string)
		}
		n.Tables = append(n.Tables, t)
		return &n.Tables[len(n.Tables)-1]
	}
	targets := func(items any, into *NamedTable) {
		if into == nil {
			return
		}
		for _, item := range list(items) {
			rt, _ := asObj(item).get("ResTarget").(jobj)
			if name, _ := rt.get("name").(string); name != "" {
				t := into.Table
				n.Columns = append(n.Columns, NamedColumn{Column: name, Write: true, Into: &t})
			}
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e)
			}
		case jobj:
			if rv, ok := x.get("RangeVar").(jobj); ok {
				rangeVar(rv)
				return
			}
			if cr, ok := x.get("ColumnRef").(jobj); ok {
				var parts []string
				for _, f := range list(cr.get("fields")) {
					s, ok := asObj(f).get("String").(jobj)
					if !ok {
						parts = nil // A_Star
						break
					}
					sv, _ := s.get("sval").(string)
					parts = append(parts, sv)
				}
				switch len(parts) {
				case 1:
					n.Columns = append(n.Columns, NamedColumn{Column: parts[0]})
				case 2:
					n.Columns = append(n.Columns, NamedColumn{Table: parts[0], Column: parts[1]})
				case 3:
					n.Columns = append(n.Columns, NamedColumn{Schema: parts[0], Table: parts[1], Column: parts[2]})
				}
				return
			}
			for _, kind := range []string{"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"} {
				st, ok := x.get(kind).(jobj)
				if !ok {
					continue
				}
				var into *NamedTable
				if rel, ok := st.get("relation").(jobj); ok {
					into = rangeVar(rel)
					if into != nil && kind == "InsertStmt" {
						into.Insert = true
					}
				}
				switch kind {
				case "InsertStmt":
					targets(st.get("cols"), into)
				case "UpdateStmt":
					targets(st.get("targetList"), into)
				}
				for _, kv := range st {
					switch {
					case kv.k == "relation", kind == "InsertStmt" && kv.k == "cols":
					case kind == "UpdateStmt" && kv.k == "targetList":
						for _, item := range list(kv.v) {
							rt, _ := asObj(item).get("ResTarget").(jobj)
							walk(rt.get("val"))
						}
					default:
						walk(kv.v)
					}
				}
				return
			}
			for _, kv := range x {
				walk(kv.v)
			}
		}
	}
	walk(root)
	return n
}

// MySQLReader reads a MySQL statement (a digest's collapsed lists read
// as one value each: see DigestLists), parsed once for its references and
// its names. A text of several statements is read as MySQL reads it,
// without names.
func MySQLReader(sql string) (refs Refs, names Names, namesOK bool, err error) {
	defer guard("mysql", sql, &err)
	if strings.IndexByte(sql, ';') >= 0 {
		if pieces, serr := mysqlParser.SplitStatementToPieces(sql); serr != nil || len(pieces) > 1 {
			refs, err = MySQL(sql)
			return refs, Names{}, false, err
		}
	}
	stmt, err := mysqlParse(sql)
	if err != nil || stmt == nil {
		return Refs{}, Names{}, false, err
	}
	var c collector
	w := myWalker{c: &c, src: sql}
	w.statement(stmt)
	names, namesOK = mysqlNames(stmt)
	return c.refs(), names, namesOK, w.err
}

// mysqlNames reads the names of a Vitess syntax tree.
func mysqlNames(stmt sqlparser.Statement) (n Names, ok bool) {
	defer func() {
		if recover() != nil {
			n, ok = Names{}, false
		}
	}()
	skip := map[*sqlparser.ColName]bool{}
	var inserted *sqlparser.AliasedTableExpr // the table an INSERT writes
	err := sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		switch x := node.(type) {
		case *sqlparser.AliasedTableExpr:
			if tn, ok := x.Expr.(sqlparser.TableName); ok {
				n.Tables = append(n.Tables, NamedTable{Table: schema.TableName{Schema: tn.Qualifier.String(), Name: tn.Name.String()}, Alias: x.As.String(), Insert: x == inserted})
			}
		case *sqlparser.Insert:
			// The walk visits its table as an AliasedTableExpr.
			if x.Table == nil {
				break
			}
			inserted = x.Table
			if tn, ok := x.Table.Expr.(sqlparser.TableName); ok {
				into := schema.TableName{Schema: tn.Qualifier.String(), Name: tn.Name.String()}
				for _, c := range x.Columns {
					n.Columns = append(n.Columns, NamedColumn{Column: c.String(), Write: true, Into: &into})
				}
			}
		case *sqlparser.UpdateExpr:
			if x.Name != nil {
				skip[x.Name] = true
				n.Columns = append(n.Columns, NamedColumn{Schema: x.Name.Qualifier.Qualifier.String(), Table: x.Name.Qualifier.Name.String(), Column: x.Name.Name.String(), Write: true})
			}
		case *sqlparser.ColName:
			if !skip[x] {
				n.Columns = append(n.Columns, NamedColumn{Schema: x.Qualifier.Qualifier.String(), Table: x.Qualifier.Name.String(), Column: x.Name.String()})
			}
		}
		return true, nil
	}, stmt)
	return n, err == nil
}
