package usage

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/seamsdev/seams/schema"
)

// ReadLog reads a query log file into b: a PostgreSQL server log written
// with log_statement = 'all' (or 'mod'), or a MySQL/MariaDB general query
// log, by the snapshot's dialect. Each statement keeps its line in the file
// and, when the log says, the user and application that ran it (matched
// against the contexts' roles:). Statements between BEGIN (or START
// TRANSACTION) and COMMIT of one session form a transaction, the strongest
// evidence of writes that span contexts.
//
// For PostgreSQL the user, database and application are read from the
// log_line_prefix forms %u@%d and user=%u, db=%d, app=%a; a prefix without
// them leaves statements unattributed, and the source's notes say so.
func ReadLog(path string, b *Builder) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("usage: query log: %w", err)
	}
	defer f.Close()
	src := schema.UsageSource{Kind: schema.SourceLog, Location: path, Available: true}
	var lr logReader
	if b.Dialect() == schema.DialectMySQL {
		lr = &mysqlLog{threads: map[string]*session{}}
	} else {
		lr = &pgLog{sessions: map[string]*session{}}
	}
	n, withUser, err := readEntries(f, path, lr, b)
	if err != nil {
		return err
	}
	src.Statements = n
	if n == 0 {
		src.Notes = append(src.Notes, "no statements found: PostgreSQL needs log_statement = 'all' (or 'mod' for writes only); MySQL/MariaDB the general log (general_log = ON, log_output = FILE)")
	} else if withUser < n {
		src.Notes = append(src.Notes, fmt.Sprintf("%d of %d statements have no user or application in the log (PostgreSQL: put %%u@%%d or user=%%u,app=%%a in log_line_prefix)", n-withUser, n))
	}
	b.AddSource(src)
	return nil
}

// session is one connection's state in a log.
type session struct {
	user, app, db string
	// tx counts the transactions begun; inTx is true inside one.
	tx   int
	inTx bool
}

// logReader turns the entries of one log format into observations.
type logReader interface {
	// start reports whether line begins a new entry.
	start(line string) bool
	// entry handles one entry (its lines joined by newlines) starting at
	// the given line; it returns the statement, if the entry is one.
	entry(text string, line int) (r Raw, ok bool)
}

// readEntries splits the log into entries and adds the statements to b.
func readEntries(rd io.Reader, path string, lr logReader, b *Builder) (n, withUser int, err error) {
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	var cur strings.Builder
	curLine, lineNo := 0, 0
	flush := func() {
		if curLine == 0 {
			return
		}
		r, ok := lr.entry(cur.String(), curLine)
		cur.Reset()
		if !ok {
			return
		}
		n++
		if r.User != "" || r.App != "" {
			withUser++
		}
		r.Source = schema.SourceLog
		loc := schema.Location{File: path, Line: curLine}
		r.Location = &loc
		b.Add(r)
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimRight(sc.Text(), "\r")
		if lr.start(line) {
			flush()
			curLine = lineNo
			cur.WriteString(line)
			continue
		}
		if curLine != 0 {
			cur.WriteByte('\n')
			cur.WriteString(line)
		}
	}
	flush()
	if err := sc.Err(); err != nil {
		return n, withUser, fmt.Errorf("usage: reading %s:%d: %w", path, lineNo, err)
	}
	return n, withUser, nil
}

var (
	pgEntryStart = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}`)
	pgStatement  = regexp.MustCompile(`(?s)^(.*?)\bLOG:\s+(?:duration: [\d.]+ ms\s+)?(?:statement|execute [^:]*):\s(.*)$`)
	pgUserAtDB   = regexp.MustCompile(`\s([A-Za-z_][\w$.-]*)@([A-Za-z_][\w$.-]*)\s`)
	pgUserKV     = regexp.MustCompile(`\buser=([^,\s\]]+)`)
	pgAppKV      = regexp.MustCompile(`\bapp=([^,\s\]]+)`)
	pgPid        = regexp.MustCompile(`\[(\d+)\]`)
)

// pgLog reads a PostgreSQL server log.
type pgLog struct {
	sessions map[string]*session
}

func (*pgLog) start(line string) bool { return pgEntryStart.MatchString(line) }

func (l *pgLog) entry(text string, line int) (Raw, bool) {
	m := pgStatement.FindStringSubmatch(text)
	if m == nil || strings.Contains(m[1], "ERROR:") {
		return Raw{}, false
	}
	prefix := m[1] + " "
	sql := strings.TrimSpace(m[2])
	var r Raw
	if u := pgUserKV.FindStringSubmatch(prefix); u != nil {
		r.User = u[1]
	} else if u := pgUserAtDB.FindStringSubmatch(prefix); u != nil && !strings.Contains(u[1], "[") {
		r.User = u[1]
	}
	if a := pgAppKV.FindStringSubmatch(prefix); a != nil {
		r.App = a[1]
	}
	pid := ""
	if p := pgPid.FindStringSubmatch(prefix); p != nil {
		pid = p[1]
	}
	r.Text = sql
	unit(l.sessions, pid, sql, &r)
	return r, true
}

// txStart and txEnd recognise transaction control statements.
var (
	txStart = regexp.MustCompile(`(?i)^\s*(?:begin\b|start\s+transaction\b)`)
	txEnd   = regexp.MustCompile(`(?i)^\s*(?:commit|rollback|end)\b`)
)

// unit tracks the transactions of one session and sets r's unit.
func unit(sessions map[string]*session, id, sql string, r *Raw) {
	if id == "" {
		return
	}
	s := sessions[id]
	if s == nil {
		s = &session{}
		sessions[id] = s
	}
	switch {
	case txStart.MatchString(sql):
		s.tx++
		s.inTx = true
	case txEnd.MatchString(sql):
		s.inTx = false
	case s.inTx:
		r.Unit = fmt.Sprintf("session %s transaction %d", id, s.tx)
		r.UnitEvidence = fmt.Sprintf("one transaction in the query log (BEGIN … COMMIT in session %s)", id)
	}
}

var (
	myEntry = regexp.MustCompile(`^(?:\d{4}-\d{2}-\d{2}T\S+|\d{6}\s+\d{1,2}:\d{2}:\d{2})?\s+(\d+)\s+(Connect|Query|Execute|Init DB|Quit|Prepare|Close stmt|Field List|Statistics|Ping|Change user)\t?(.*)$`)
	myConn  = regexp.MustCompile(`^([^@\s]+)@(\S*)(?:.*?\bon\s+(\S+))?`)
)

// mysqlLog reads a MySQL or MariaDB general query log.
type mysqlLog struct {
	threads map[string]*session
}

func (*mysqlLog) start(line string) bool { return myEntry.MatchString(line) }

func (l *mysqlLog) entry(text string, line int) (Raw, bool) {
	first, rest, _ := strings.Cut(text, "\n")
	m := myEntry.FindStringSubmatch(first)
	if m == nil {
		return Raw{}, false
	}
	id, cmd, arg := m[1], m[2], m[3]
	if rest != "" {
		arg += "\n" + rest
	}
	s := l.threads[id]
	if s == nil {
		s = &session{}
		l.threads[id] = s
	}
	switch cmd {
	case "Connect", "Change user":
		if c := myConn.FindStringSubmatch(strings.TrimSpace(arg)); c != nil {
			s.user = c[1]
			if c[3] != "" {
				s.db = c[3]
			}
		}
		return Raw{}, false
	case "Init DB":
		s.db = strings.TrimSpace(arg)
		return Raw{}, false
	case "Query", "Execute":
	default:
		return Raw{}, false
	}
	r := Raw{Text: strings.TrimSpace(arg), User: s.user, Schema: s.db}
	unit(l.threads, id, r.Text, &r)
	return r, true
}
