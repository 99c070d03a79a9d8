// Package refdata writes the rows of static reference data tables (country
// codes, currencies...) as files a team ships with its services instead of
// reading them from a shared table: JSON and CSV data files, and constant
// lists in Go, Java and TypeScript.
//
// For each table it writes, under a file stem derived from the table name
// (see Stem):
//
//	<stem>.json   an array of objects, one per row, keys in column order;
//	              NULL is null
//	<stem>.csv    RFC 4180 (CRLF line ends) with a header row; NULL and the
//	              empty string are both empty fields
//	<stem>.go     package <stem without underscores>: a struct type and a
//	              slice of it; a column holding a NULL is a *string
//	<Type>.java   a record and a List of it, in the default package; the
//	              file is named after the record, as javac wants; fields
//	              are typed by the columns' SQL types (Integer, Long,
//	              BigDecimal, Boolean, Double, LocalDate...), String for
//	              the others
//	<stem>.ts     an `as const` array of objects and its element type
//
// Values are the database's text form of each value. Names from the
// database are hostile input: every identifier is sanitised for its
// language (reserved words, leading digits, characters that cannot appear
// in one) and every value is escaped for its language, so quotes,
// backslashes, line breaks, comment closers and non-ASCII text come back
// exactly as they were read.
//
// Each Go file declares its own package: copy it into a directory of its
// own to use it.
package refdata

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/schema"
)

// DefaultLimit is the largest number of rows the engines' ReadRows read
// from one table unless told otherwise: a table larger than that is not
// reference data to ship as a constant list.
const DefaultLimit = 10000

// TooManyRows is the error of the engines' ReadRows for a table with more
// rows than the limit it was given.
type TooManyRows struct {
	Table schema.TableName
	Limit int
}

func (e *TooManyRows) Error() string {
	return fmt.Sprintf("table %s has more than %d rows: too many to export as reference data", e.Table, e.Limit)
}

// Table is the rows of one table, every value in the database's text form.
type Table struct {
	// Name is the table's name as in the snapshot.
	Name schema.TableName
	// Columns are the column names, in the table's order.
	Columns []string
	// Types are the columns' SQL types as the database driver names them
	// (PostgreSQL's pg_type names: int4, numeric, bool...; MySQL's: INT,
	// DECIMAL, UNSIGNED BIGINT...), in the same order; nil or "" when
	// unknown. The Java file types its fields by them.
	Types []string
	// Rows are the rows, in primary key order; a nil value is NULL.
	Rows [][]*string
}

// check reports a table whose rows do not have one value per column.
func (t Table) check() error {
	if len(t.Columns) == 0 {
		return fmt.Errorf("refdata: table %s has no columns", t.Name)
	}
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return fmt.Errorf("refdata: table %s: row %d has %d values for %d columns", t.Name, i+1, len(r), len(t.Columns))
		}
	}
	return nil
}

// Stem returns the file stem of each table, in order: the table's name
// when it is a plain lower-case identifier ([a-z][a-z0-9_]*) and no other
// table of the list has the same name; otherwise the name's ASCII letters
// and digits in lower-case words joined by "_" (prefixed by the schema's
// when two tables share a name) and a short hash of the full name, so that
// distinct tables never share a stem.
func Stem(tables []schema.TableName) []string {
	count := map[string]int{}
	for _, t := range tables {
		count[t.Name]++
	}
	out := make([]string, len(tables))
	for i, t := range tables {
		full := t.Name
		if count[t.Name] > 1 {
			full = t.Schema + "." + t.Name
		}
		if count[t.Name] == 1 && isPlain(t.Name) {
			out[i] = t.Name
			continue
		}
		w := strings.ToLower(strings.Join(words(full), "_"))
		if w == "" || !isLetter(w[0]) {
			w = "t" + w
		}
		sum := sha256.Sum256([]byte(t.Schema + "\x00" + t.Name))
		out[i] = w + "_" + hex.EncodeToString(sum[:3])
	}
	return out
}

// isPlain reports whether s is [a-z][a-z0-9_]* and at most 100 bytes.
func isPlain(s string) bool {
	if s == "" || len(s) > 100 || !isLower(s[0]) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isLower(s[i]) && !isDigit(s[i]) && s[i] != '_' {
			return false
		}
	}
	return true
}

func isLower(c byte) bool  { return c >= 'a' && c <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return isLower(c) || (c >= 'A' && c <= 'Z') }

// words splits s into its runs of ASCII letters and digits, also cutting
// at a lower-to-upper case change (orderLine -> order, Line). Anything
// else separates words and is dropped.
func words(s string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isLetter(c) || isDigit(c):
			if c >= 'A' && c <= 'Z' && len(cur) > 0 && (isLower(cur[len(cur)-1]) || isDigit(cur[len(cur)-1])) {
				flush()
			}
			cur = append(cur, c)
		default:
			flush()
		}
	}
	flush()
	if len(out) > 8 { // keep generated names readable
		out = out[:8]
	}
	return out
}

// pascal joins words capitalised: ["order", "line"] -> "OrderLine".
func pascal(ws []string) string {
	var b strings.Builder
	for _, w := range ws {
		b.WriteString(strings.ToUpper(w[:1]))
		b.WriteString(strings.ToLower(w[1:]))
	}
	return b.String()
}

// camel is pascal with the first word in lower case.
func camel(ws []string) string {
	if len(ws) == 0 {
		return ""
	}
	return strings.ToLower(ws[0]) + pascal(ws[1:])
}

// uniqueNames makes names distinct by appending _2, _3... to repeats, in
// order; taken holds names already used (by the language or the file).
func uniqueNames(names []string, taken map[string]bool) []string {
	used := map[string]bool{}
	for k := range taken {
		used[k] = true
	}
	out := make([]string, len(names))
	for i, n := range names {
		c := n
		for k := 2; used[c]; k++ {
			c = fmt.Sprintf("%s_%d", n, k)
		}
		used[c] = true
		out[i] = c
	}
	return out
}

// Files returns every file of the tables by name (see the package
// comment). It fails when a table's rows do not match its columns.
func Files(tables []Table) (map[string][]byte, error) {
	names := make([]schema.TableName, len(tables))
	for i, t := range tables {
		names[i] = t.Name
	}
	stems := Stem(names)
	out := map[string][]byte{}
	add := func(name string, data []byte) error {
		if _, dup := out[name]; dup {
			return fmt.Errorf("refdata: two tables give the file %s", name)
		}
		out[name] = data
		return nil
	}
	for i, t := range tables {
		if err := t.check(); err != nil {
			return nil, err
		}
		stem := stems[i]
		c, err := csvFile(t)
		if err != nil {
			return nil, err
		}
		g, err := goFile(t, stem)
		if err != nil {
			return nil, err
		}
		javaName, java := javaFile(t, stem)
		for _, f := range []struct {
			name string
			data []byte
		}{
			{stem + ".json", jsonFile(t)},
			{stem + ".csv", c},
			{stem + ".go", g},
			{javaName, java},
			{stem + ".ts", tsFile(t, stem)},
		} {
			if err := add(f.name, f.data); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// WriteDir writes the files of the tables (see Files) into dir, which must
// not exist, be empty, or be one seams wrote (see package atomicfile). The files are written into a temporary directory
// beside dir that is then renamed into place, so that a failure leaves
// nothing half-written.
func WriteDir(dir string, tables []Table) error {
	files, err := Files(tables)
	if err != nil {
		return err
	}
	return atomicfile.WriteDir(dir, "reference data", files)
}
