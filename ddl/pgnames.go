package ddl

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/seamsdev/seams/schema"
)

// namedatalen is PostgreSQL's NAMEDATALEN: names hold at most 63 bytes.
const namedatalen = 64

// The names PostgreSQL gives what the file leaves unnamed, as
// src/backend/commands/indexcmds.c and catalog/pg_constraint.c choose them.

// makeObjectName is makeObjectName: name1_name2_label, the longer of name1
// and name2 shortened until it fits in a name.
func makeObjectName(name1, name2, label string) string {
	n1, n2 := len(name1), len(name2)
	overhead := 0
	if label != "" {
		overhead = len(label) + 1
	}
	if name2 != "" {
		overhead++
	}
	avail := namedatalen - 1 - overhead
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	name := clip(name1, n1)
	if name2 != "" {
		name += "_" + clip(name2, n2)
	}
	if label != "" {
		name += "_" + label
	}
	return name
}

// clip cuts s to at most n bytes at a character boundary.
func clip(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// chooseRelationName is ChooseRelationName: the first of name1_name2_label,
// name1_name2_label1, ... that no relation of the schema has (nor, for a
// constraint's index, any constraint of the schema).
func (r *pgReader) chooseRelationName(schemaName, name1, name2, label string, isConstraint bool) string {
	mod := label
	for pass := 1; ; pass++ {
		name := makeObjectName(name1, name2, mod)
		_, taken := r.rels[schema.TableName{Schema: schemaName, Name: name}]
		if !taken && (!isConstraint || !r.conNames[schemaName][name]) {
			return name
		}
		mod = label + strconv.Itoa(pass)
	}
}

// chooseConstraintName is ChooseConstraintName: the first of
// name1_name2_label, name1_name2_label1, ... that no constraint of the
// schema has.
func (r *pgReader) chooseConstraintName(schemaName, name1, name2, label string) string {
	mod := label
	for pass := 1; ; pass++ {
		name := makeObjectName(name1, name2, mod)
		if !r.conNames[schemaName][name] {
			return name
		}
		mod = label + strconv.Itoa(pass)
	}
}

// indexNameAddition is ChooseIndexNameAddition (and
// ChooseForeignKeyConstraintNameAddition): the column names joined by
// underscores, stopping once they fill a name.
func indexNameAddition(names []string) string {
	var b strings.Builder
	for _, n := range names {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(clip(n, namedatalen-1))
		if b.Len() >= namedatalen {
			break
		}
	}
	return b.String()
}

func itoa(i int) string { return strconv.Itoa(i) }
