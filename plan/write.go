package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/seamsdev/seams/internal/atomicfile"
	"github.com/seamsdev/seams/schema"
)

// Encode writes the plan as indented JSON: the `json` output of
// `seams plan`. The plan's slices are already sorted, so the bytes are the
// same for the same snapshot and map.
func (p *Plan) Encode(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// SQLFiles returns the migration files of the plan by name: for each step
// with SQL, NNNN_<slug>.up.sql and NNNN_<slug>.down.sql, numbered by the
// step's number (steps without SQL get no files, so numbers may skip; the
// numbers still match the checklist). This is the naming golang-migrate and
// similar tools read. Statements end with ";" and a blank line; the step's
// title, context, notes and verification queries lead as comments.
func SQLFiles(p *Plan) map[string][]byte {
	out := map[string][]byte{}
	for _, s := range p.Steps {
		if len(s.Up) == 0 && len(s.Down) == 0 {
			continue
		}
		base := fmt.Sprintf("%04d_%s", s.N, s.Slug)
		out[base+".up.sql"] = sqlFile(p.Dialect, s, s.Up, true)
		out[base+".down.sql"] = sqlFile(p.Dialect, s, s.Down, false)
	}
	return out
}

// compoundNote heads a MySQL file whose statements have BEGIN ... END
// bodies with semicolons inside: tools that send the file to the server
// whole run it as it is; the mysql command-line client splits at every
// semicolon and needs DELIMITER lines.
const compoundNote = "This file creates triggers whose bodies hold semicolons. Apply it with a tool that sends statements whole " +
	"(golang-migrate's mysql driver with multiStatements=true, or go-sql-driver/mysql); with the mysql command-line client, " +
	"set DELIMITER $$ before each CREATE TRIGGER and end it with $$."

func sqlFile(dialect schema.Dialect, s Step, stmts []string, up bool) []byte {
	var b bytes.Buffer
	dir := "up"
	if !up {
		dir = "down (rolls back step " + fmt.Sprint(s.N) + ")"
	}
	comment(&b, fmt.Sprintf("Step %d, %s: %s", s.N, dir, s.Title))
	comment(&b, fmt.Sprintf("Context %s, phase %s.", s.Context, s.Phase))
	if up {
		for _, n := range s.Notes {
			comment(&b, "Note: "+n)
		}
	}
	if dialect == schema.DialectMySQL && hasCompound(stmts) {
		comment(&b, "Note: "+compoundNote)
	}
	b.WriteString("\n")
	for _, st := range stmts {
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

// hasCompound reports whether a MySQL statement list creates a trigger (the
// only statements seams writes whose bodies may hold semicolons).
func hasCompound(stmts []string) bool {
	for _, st := range stmts {
		if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(st)), "CREATE TRIGGER") && strings.Contains(st, ";") {
			return true
		}
	}
	return false
}
