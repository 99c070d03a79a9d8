package usage

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// maxSourceFile is the largest source file the scanner reads; larger files
// (generated code, bundles) are skipped and noted.
const maxSourceFile = 4 << 20

// skipDirs are directories the code scan never enters.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true, "node_modules": true, "vendor": true, "target": true,
	"build": true, "dist": true, "__pycache__": true, ".venv": true, "venv": true, ".idea": true, "bin": true, "obj": true,
}

// transactionEvidence labels the cross-context transaction heuristic.
const transactionEvidence = "heuristic: one function in code writes these tables (its extent is guessed from declaration lines, from one to the next)"

// ScanCode reads the source tree under root into b: SQL in string literals
// of Go, Java, Kotlin, C#, Python, Ruby, PHP and JavaScript/TypeScript files
// and in .sql files, and the ORM table declarations (JPA @Table, SQLAlchemy
// __tablename__, Django db_table, ActiveRecord table_name, GORM TableName(),
// Prisma @@map, Entity Framework [Table]). Every statement and declaration
// keeps its file (relative to root, which the contexts' code: globs are
// matched against when the usage is attributed) and line.
func ScanCode(root string, b *Builder) error {
	info, err := os.Stat(root)
	if err != nil {
		return fmt.Errorf("usage: code root: %w", err)
	}
	if !info.IsDir() {
		return fmt.Errorf("usage: code root %s is not a directory", root)
	}
	src := schema.UsageSource{Kind: schema.SourceCode, Location: root, Available: true}
	files, skipped := 0, 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != root && (skipDirs[d.Name()] || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		lang := languageOf(rel)
		isSQL := strings.EqualFold(filepath.Ext(rel), ".sql")
		isPrisma := strings.EqualFold(filepath.Ext(rel), ".prisma")
		if lang == nil && !isSQL && !isPrisma {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Size() > maxSourceFile {
			skipped++
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files++
		text := string(data)
		switch {
		case isSQL:
			src.Statements += scanSQLFile(b, rel, text)
		case isPrisma:
			scanMappings(b, rel, text, prismaMappings)
		default:
			src.Statements += scanSource(b, lang, rel, text)
			scanMappings(b, rel, text, ormMappings)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("usage: scanning %s: %w", root, err)
	}
	if skipped > 0 {
		src.Notes = append(src.Notes, fmt.Sprintf("%d files larger than %d MiB skipped", skipped, maxSourceFile>>20))
	}
	src.Notes = append(src.Notes, fmt.Sprintf("%d source files read", files))
	b.AddSource(src)
	return nil
}

// scanSource adds the SQL string literals of one source file to b and
// returns how many it found.
func scanSource(b *Builder, lang *language, rel, text string) int {
	lits := literals(lang, text)
	funcs := functionsOf(lang, strings.Split(text, "\n"), strings.Split(mask(text, lits), "\n"))
	n := 0
	for _, lit := range lits {
		if !looksLikeSQL(lit.text) {
			continue
		}
		n++
		sql := normalizePlaceholders(lit.text, b.Dialect(), lang.percentPlaceholders)
		loc := schema.Location{File: rel, Line: lit.line}
		r := Raw{Source: schema.SourceCode, Text: strings.TrimSpace(sql)}
		if f := funcs.at(lit.line); f != nil {
			loc.Function = f.name
			r.Unit = fmt.Sprintf("%s:%d %s", rel, f.line, f.name)
			r.UnitEvidence = transactionEvidence
			if f.marker != "" {
				r.UnitEvidence += "; explicit transaction marker " + f.marker + " in it"
			}
		}
		r.Location = &loc
		b.Add(r)
	}
	return n
}

// sqlStart matches the start of a SQL statement in a string literal: the
// keywords that begin the statements that read or write tables, with the
// word that must follow for English text not to pass for SQL.
var sqlStart = regexp.MustCompile(`(?is)^\s*\(?\s*(?:select\b.*\bfrom\b|insert\s+(?:ignore\s+)?into\b|update\s+\S+.*\bset\b|delete\s+from\b|with\s+(?:recursive\s+)?\w+.*\bas\s*\(|merge\s+into\b|replace\s+into\b|truncate\s+(?:table\s+)?\w|copy\s+\w+.*\b(?:from|to)\b)`)

// looksLikeSQL reports whether a literal holds a data statement.
func looksLikeSQL(s string) bool {
	if len(s) < 12 {
		return false
	}
	if len(s) > 4096 {
		return sqlStart.MatchString(s[:4096])
	}
	return sqlStart.MatchString(s)
}

// normalizePlaceholders rewrites the bind placeholders drivers and ORMs
// use (?, $1, :name, @name, %s, %(name)s, #{name}) outside quotes into the
// dialect's own ($1 for PostgreSQL, ? for MySQL), and format verbs into
// dynSentinel, so that the dialect's parser accepts the statement.
func normalizePlaceholders(s string, dialect schema.Dialect, percent bool) string {
	ph := "$1"
	if dialect == schema.DialectMySQL {
		ph = "?"
	}
	var b strings.Builder
	b.Grow(len(s))
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if quote != 0 {
			b.WriteByte(c)
			if c == quote {
				quote = 0
			}
			continue
		}
		switch {
		case c == '\'' || c == '"' || c == '`':
			quote = c
			b.WriteByte(c)
		case c == '?' && dialect != schema.DialectMySQL:
			b.WriteString(ph)
		case c == '$' && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' && dialect == schema.DialectMySQL:
			j := i + 1
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			b.WriteString(ph)
			i = j - 1
		case c == ':' && i+1 < len(s) && isIdentStart(s[i+1]) && (i == 0 || s[i-1] != ':') && !(i > 0 && isIdentPart(s[i-1]) && dialect == schema.DialectMySQL):
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			b.WriteString(ph)
			i = j - 1
		case c == '@' && i+1 < len(s) && isIdentStart(s[i+1]) && (i == 0 || s[i-1] != '@') && dialect != schema.DialectMySQL:
			j := i + 1
			for j < len(s) && isIdentPart(s[j]) {
				j++
			}
			b.WriteString(ph)
			i = j - 1
		case c == '#' && i+1 < len(s) && s[i+1] == '{':
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				b.WriteByte(c)
				continue
			}
			b.WriteString(ph)
			i += j
		case c == '%' && i+1 < len(s):
			j := i + 1
			if s[j] == '(' {
				k := strings.IndexByte(s[j:], ')')
				if k > 0 && j+k+1 < len(s) {
					j += k + 1
				}
			}
			switch s[j] {
			case 's', 'd', 'v', 'q', 'f':
				if percent {
					b.WriteString(ph)
				} else {
					b.WriteString(dynSentinel)
				}
				i = j
			default:
				b.WriteByte(c)
			}
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// scanSQLFile adds the statements of a .sql file to b, each with the line
// it starts on, and returns how many it found.
func scanSQLFile(b *Builder, rel, text string) int {
	n := 0
	for _, st := range splitSQL(text) {
		if strings.TrimSpace(st.text) == "" {
			continue
		}
		n++
		loc := schema.Location{File: rel, Line: st.line}
		b.Add(Raw{Source: schema.SourceCode, Text: strings.TrimSpace(st.text), Location: &loc})
	}
	return n
}

// sqlPiece is one statement of a script with its first line.
type sqlPiece struct {
	text string
	line int
}

// splitSQL cuts a script into statements at semicolons outside quotes,
// dollar quotes and comments, dropping the comments.
func splitSQL(text string) []sqlPiece {
	var out []sqlPiece
	var b strings.Builder
	line, startLine := 1, 0
	flush := func() {
		if s := strings.TrimSpace(b.String()); s != "" {
			out = append(out, sqlPiece{s, startLine})
		}
		b.Reset()
		startLine = 0
	}
	for i := 0; i < len(text); i++ {
		c := text[i]
		if startLine == 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r' && !strings.HasPrefix(text[i:], "--") && !strings.HasPrefix(text[i:], "/*") {
			startLine = line
		}
		switch {
		case c == '\n':
			line++
			b.WriteByte(c)
		case strings.HasPrefix(text[i:], "--"):
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				i = len(text)
			} else {
				i += j - 1
			}
		case strings.HasPrefix(text[i:], "/*"):
			j := strings.Index(text[i+2:], "*/")
			end := len(text)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			line += strings.Count(text[i:end], "\n")
			i = end - 1
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(text) {
				if text[j] == c {
					if j+1 < len(text) && text[j+1] == c {
						j += 2
						continue
					}
					break
				}
				if text[j] == '\\' && c != '"' {
					j++
				}
				j++
			}
			end := min(j+1, len(text))
			line += strings.Count(text[i:end], "\n")
			b.WriteString(text[i:end])
			i = end - 1
		case c == '$':
			tag := dollarTag(text[i:])
			if tag == "" {
				b.WriteByte(c)
				continue
			}
			j := strings.Index(text[i+len(tag):], tag)
			end := len(text)
			if j >= 0 {
				end = i + len(tag) + j + len(tag)
			}
			line += strings.Count(text[i:end], "\n")
			b.WriteString(text[i:end])
			i = end - 1
		case c == ';':
			flush()
		default:
			b.WriteByte(c)
		}
	}
	flush()
	return out
}

// dollarTag returns the PostgreSQL dollar-quote tag ($$, $body$) at the
// start of s, or "".
func dollarTag(s string) string {
	for j := 1; j < len(s) && j < 64; j++ {
		if s[j] == '$' {
			return s[:j+1]
		}
		if !isIdentPart(s[j]) || (j == 1 && s[j] >= '0' && s[j] <= '9') {
			return ""
		}
	}
	return ""
}

// ormPattern finds one kind of ORM table declaration.
type ormPattern struct {
	kind string
	re   *regexp.Regexp
}

var ormMappings = []ormPattern{
	{"JPA @Table", regexp.MustCompile(`@(?:javax\.persistence\.|jakarta\.persistence\.)?Table\s*\(\s*(?:[^)]*?\bname\s*=\s*)?"([^"]+)"`)},
	{"SQLAlchemy __tablename__", regexp.MustCompile(`__tablename__\s*=\s*['"]([^'"]+)['"]`)},
	{"Django db_table", regexp.MustCompile(`\bdb_table\s*=\s*['"]([^'"]+)['"]`)},
	{"ActiveRecord table_name", regexp.MustCompile(`self\.table_name\s*=\s*['"]([^'"]+)['"]`)},
	{"GORM TableName()", regexp.MustCompile(`(?s)\)\s*TableName\s*\(\s*\)\s*string\s*\{\s*return\s*"([^"]+)"`)},
	{"EF [Table]", regexp.MustCompile(`\[Table\s*\(\s*"([^"]+)"`)},
}

var prismaMappings = []ormPattern{
	{"Prisma @@map", regexp.MustCompile(`@@map\s*\(\s*(?:name\s*:\s*)?"([^"]+)"`)},
}

// scanMappings adds the ORM table declarations of a file to b.
func scanMappings(b *Builder, rel, text string, pats []ormPattern) {
	for _, p := range pats {
		for _, m := range p.re.FindAllStringSubmatchIndex(text, -1) {
			name := text[m[2]:m[3]]
			line := 1 + strings.Count(text[:m[2]], "\n")
			b.AddMapping(name, p.kind, schema.Location{File: rel, Line: line})
		}
	}
}

// function is a function or method declared in a source file.
type function struct {
	name string
	line int
	// marker is an explicit transaction marker found in its extent.
	marker string
}

// functions lists a file's functions by declaration line.
type functions []function

// at returns the function whose extent holds line (from its declaration to
// the next declaration), or nil.
func (fs functions) at(line int) *function {
	i, _ := slices.BinarySearchFunc(fs, line, func(f function, l int) int { return f.line - l })
	if i < len(fs) && fs[i].line == line {
		return &fs[i]
	}
	if i == 0 {
		return nil
	}
	return &fs[i-1]
}

// txMarker finds explicit transaction handling in code.
var txMarker = regexp.MustCompile(`@Transactional\b|\btransaction\.atomic\b|\.transaction\s*(?:do|\{|\()|\bBeginTx?\s*\(|\bbeginTransaction\s*\(|\bTransactionScope\b|\bwithTransaction\s*\(|\$transaction\b|\bsession\.begin\s*\(`)

// mask returns text with the literals blanked out (newlines kept), so that
// SQL in strings never passes for a declaration.
func mask(text string, lits []literal) string {
	b := []byte(text)
	for _, l := range lits {
		for i := l.start; i < l.end && i < len(b); i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
	}
	return string(b)
}

// functionsOf finds the declarations of functions in a file's lines (looked
// for in masked, the lines with literals blanked out) and the transaction
// markers in each one's extent. Annotations on the lines just above a
// declaration belong to it.
func functionsOf(l *language, lines, masked []string) functions {
	var fs functions
	for i, ln := range masked {
		if name, ok := l.funcDecl(ln); ok {
			fs = append(fs, function{name: name, line: i + 1})
		}
	}
	for k := range fs {
		from := fs[k].line - 1
		for from > 0 && strings.HasPrefix(strings.TrimSpace(lines[from-1]), "@") {
			from--
		}
		to := len(lines)
		if k+1 < len(fs) {
			to = fs[k+1].line - 1
		}
		if m := txMarker.FindString(strings.Join(lines[from:to], "\n")); m != "" {
			fs[k].marker = strings.TrimSpace(m)
		}
	}
	return fs
}

// declRe returns a funcDecl for a regular expression whose first group is
// the name.
func declRe(expr string) func(string) (string, bool) {
	re := regexp.MustCompile(expr)
	return func(line string) (string, bool) {
		m := re.FindStringSubmatch(line)
		if m == nil {
			return "", false
		}
		return m[1], true
	}
}

var (
	jvmDeclRe = regexp.MustCompile(`^\s*(?:(?:public|private|protected|internal|static|final|override|open|suspend|async|virtual|synchronized|abstract|sealed|extern|unsafe)\s+)*(?:fun\s+(?:<[^>]*>\s*)?(?:[\w.]+\.)?([A-Za-z_]\w*)|[\w.]+(?:<[^()]*>)?(?:\[\])*\??\s+([A-Za-z_]\w*))\s*\([^;]*$`)
	jsDeclRe  = regexp.MustCompile(`^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*([A-Za-z_$][\w$]*)|(?:(?:public|private|protected|static|async|readonly)\s+)*([A-Za-z_$][\w$]*)\s*\([^;]*\)\s*(?::\s*[^={]+)?\{|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>))`)
	notNames  = map[string]bool{"if": true, "for": true, "while": true, "switch": true, "catch": true, "return": true, "new": true, "else": true, "throw": true, "synchronized": true, "try": true, "using": true, "foreach": true, "lock": true}
)

func jvmDecl(line string) (string, bool) {
	m := jvmDeclRe.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	name := m[1] + m[2]
	t := strings.TrimSpace(line)
	if notNames[name] || strings.HasPrefix(t, "return ") || strings.HasPrefix(t, "new ") || strings.Contains(t, "=") && !strings.Contains(t[:strings.Index(t, "(")], "fun ") && strings.Index(t, "=") < strings.Index(t, "(") {
		return "", false
	}
	return name, true
}

func jsDecl(line string) (string, bool) {
	m := jsDeclRe.FindStringSubmatch(line)
	if m == nil {
		return "", false
	}
	name := m[1] + m[2] + m[3]
	if notNames[name] {
		return "", false
	}
	return name, true
}
