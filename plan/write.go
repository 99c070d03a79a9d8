package plan

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/internal/jsonout"
	"github.com/seamsdev/seams/schema"
)

// Encode writes the plan as indented JSON: the `json` output of
// `seams plan`. The plan's slices are already sorted, so the bytes are the
// same for the same snapshot and map.
func (p *Plan) Encode(w io.Writer) error {
	if err := jsonout.Write(w, p); err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	return nil
}

// MultiStatementDir is the subdirectory of --sql-dir that holds, for a
// MySQL plan, the migration files for whole-file appliers (golang-migrate's
// mysql driver with multiStatements=true, go-sql-driver/mysql): the same
// files, with no DELIMITER lines. The files beside it run with the mysql and
// mariadb command-line clients.
const MultiStatementDir = "multi-statement"

// SQLFiles returns the migration files of the plan by name: for every step,
// NNNN_<slug>.up.sql and NNNN_<slug>.down.sql, numbered by the step's
// number, so that the numbers match the checklist. A step without SQL (its
// work is in the application) gets a pair that says so: comments only on
// PostgreSQL, comments and the no-op DO 0 on MySQL (a whole-file applier
// sends the file to the server, which rejects an empty query). This is the
// naming golang-migrate and similar tools read. Statements end with ";" and
// a blank line; the step's title, context, the appliers it was written
// for, notes and verification queries are comments.
//
// A MySQL statement with a compound body (a trigger's BEGIN ... END holds
// semicolons) is wrapped in DELIMITER lines, which the mysql and mariadb
// command-line clients read and the server does not: a MySQL plan's files
// run with `mariadb DB < FILE`, and MultiStatementDir holds the same files
// without DELIMITER lines for whole-file appliers.
func SQLFiles(p *Plan) map[string][]byte {
	out := map[string][]byte{}
	for _, s := range p.Steps {
		base := fmt.Sprintf("%04d_%s", s.N, s.Slug)
		for _, f := range []struct {
			name  string
			stmts []string
			up    bool
		}{{base + ".up.sql", s.Up, true}, {base + ".down.sql", s.Down, false}} {
			if p.Dialect != schema.DialectMySQL {
				out[f.name] = sqlFile(p.Dialect, s, f.stmts, f.up, formPostgres, f.name)
				continue
			}
			out[f.name] = sqlFile(p.Dialect, s, f.stmts, f.up, formClient, f.name)
			out[MultiStatementDir+"/"+f.name] = sqlFile(p.Dialect, s, f.stmts, f.up, formWholeFile, f.name)
		}
	}
	return out
}

// fileForm is who a migration file is written for.
type fileForm int

const (
	formPostgres  fileForm = iota // psql and whole-file appliers alike
	formClient                    // the mysql and mariadb command-line clients
	formWholeFile                 // MySQL whole-file appliers (multiStatements)
)

// The appliers each form was tested with (TestSQLFilesApplyWithClients),
// named in the files' headers.
const (
	appliersPostgres = "Applies as it is with psql (psql -X -v ON_ERROR_STOP=1 -1 -f FILE) and with whole-file appliers " +
		"(golang-migrate's postgres driver; tested with pgx, the whole file in one simple-protocol Exec)."
	appliersMySQLBoth = "Applies as it is with the mysql and mariadb command-line clients (mariadb DB < FILE) and with whole-file appliers " +
		"(golang-migrate's mysql driver with multiStatements=true; tested with go-sql-driver/mysql and the MariaDB client)."
	appliersMySQLClient = "Applies with the mysql and mariadb command-line clients (mariadb DB < FILE; tested with the MariaDB client): " +
		"the DELIMITER lines are theirs. For whole-file appliers (golang-migrate's mysql driver with multiStatements=true) use " +
		MultiStatementDir + "/%s, the same statements without them."
	appliersMySQLWholeFile = "Applies with whole-file appliers (golang-migrate's mysql driver with multiStatements=true; tested with " +
		"go-sql-driver/mysql). The command-line clients split at every semicolon: use ../%s, with DELIMITER lines, for them."
)

// sqlFile writes one migration file of step s: its header, stmts (each
// ending with ";", or in DELIMITER lines for the mysql client when it holds
// a semicolon) and, for an up file, the verification queries as comments.
func sqlFile(dialect schema.Dialect, s Step, stmts []string, up bool, form fileForm, name string) []byte {
	var b bytes.Buffer
	dir := "up"
	if !up {
		dir = "down (rolls back step " + fmt.Sprint(s.N) + ")"
	}
	comment(&b, fmt.Sprintf("Step %d, %s: %s", s.N, dir, s.Title))
	comment(&b, fmt.Sprintf("Context %s, phase %s.", s.Context, s.Phase))
	compound := dialect == schema.DialectMySQL && hasCompound(stmts)
	switch {
	case form == formPostgres:
		comment(&b, appliersPostgres)
	case !compound:
		comment(&b, appliersMySQLBoth)
	case form == formClient:
		comment(&b, fmt.Sprintf(appliersMySQLClient, name))
	default:
		comment(&b, fmt.Sprintf(appliersMySQLWholeFile, name))
	}
	if len(s.Up) == 0 && len(s.Down) == 0 {
		comment(&b, "This step has no SQL: its work is in the application (see the checklist). The file is here so that the numbers match the checklist.")
	}
	if up {
		for _, n := range s.Notes {
			comment(&b, "Note: "+n)
		}
	}
	b.WriteString("\n")
	if len(stmts) == 0 && dialect == schema.DialectMySQL {
		stmts = []string{"DO 0"}
	}
	for _, st := range stmts {
		if form == formClient && strings.Contains(st, ";") {
			d := delimiterFor(stmts)
			b.WriteString("DELIMITER " + d + "\n")
			b.WriteString(st)
			b.WriteString("\n" + d + "\nDELIMITER ;\n\n")
			continue
		}
		b.WriteString(st)
		b.WriteString(";\n\n")
	}
	if up && len(s.Verify) > 0 {
		comment(&b, "Verify (run after applying):")
		for _, v := range s.Verify {
			comment(&b, v.Query+";")
			comment(&b, "expect: "+v.Expect)
		}
	}
	return b.Bytes()
}

// delimiterFor returns a statement delimiter for the mysql client that no
// statement contains: $$, or $$ followed by as many $ as needed.
func delimiterFor(stmts []string) string {
	d := "$$"
	for slices.ContainsFunc(stmts, func(st string) bool { return strings.Contains(st, d) }) {
		d += "$"
	}
	return d
}

// comment writes text as SQL line comments, one per line of text. Every
// line break PostgreSQL or MySQL ends a comment at starts a new "-- ", so a
// hostile name in the text cannot escape the comment.
func comment(b *bytes.Buffer, text string) {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	for _, line := range strings.Split(text, "\n") {
		b.WriteString("-- ")
		b.WriteString(line)
		b.WriteString("\n")
	}
}

// WriteSQLDir writes the plan's migration files (see SQLFiles) into the
// directory dir. It writes them into a temporary directory beside dir and
// renames it into place, so that on failure nothing is left half-written.
// dir must not exist, be empty, or be one seams wrote (see package
// atomicfile).
func WriteSQLDir(p *Plan, dir string) error {
	return atomicfile.WriteDir(dir, "SQL", SQLFiles(p))
}

// hasCompound reports whether a MySQL statement list holds a statement
// with semicolons inside (a trigger's or routine's compound body), which
// the command-line clients would split.
func hasCompound(stmts []string) bool {
	return slices.ContainsFunc(stmts, func(st string) bool { return strings.Contains(st, ";") })
}
