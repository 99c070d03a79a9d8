package contexts

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// FileNames are the names Find looks for, in order.
var FileNames = []string{"seams.yaml", "contexts.yaml"}

// ErrNoMap is returned (wrapped) by Find when the directory holds no map.
var ErrNoMap = errors.New("no contexts map")

// Find returns the path of the default contexts map in dir: seams.yaml if
// it exists, else contexts.yaml. When neither exists the error wraps
// ErrNoMap and names both files.
func Find(dir string) (string, error) {
	for _, name := range FileNames {
		p := filepath.Join(dir, name)
		fi, err := os.Stat(p)
		switch {
		case err == nil && fi.Mode().IsRegular():
			return p, nil
		case err == nil:
			return "", fmt.Errorf("contexts map %s is not a regular file", p)
		case !errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("find contexts map: %w", err)
		}
	}
	return "", fmt.Errorf("%w in %s: create %s or %s", ErrNoMap, dir, FileNames[0], FileNames[1])
}

// Limits on what a contexts map can make seams do: a map is a few
// kilobytes, even for thousands of tables.
const (
	// MaxFileSize is the largest map Load reads.
	MaxFileSize = 4 << 20
	// MaxAliasExpansion is the most YAML nodes a map may hold once its
	// aliases are expanded.
	MaxAliasExpansion = 100_000
	// MaxWarnings is the most warnings Resolve returns; one more line
	// counts the rest.
	MaxWarnings = 100
)

// Load reads and parses the contexts map at path. A problem in the file is
// an *Error, as is a file larger than MaxFileSize (or a device that never
// ends); a file that cannot be read is reported with its path.
func Load(path string) (*Map, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read contexts map: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read contexts map: %w", err)
	}
	if len(data) > MaxFileSize {
		return nil, &Error{File: path, Msg: fmt.Sprintf("the contexts map is larger than %d MiB", MaxFileSize>>20)}
	}
	return Parse(path, data)
}

// Keys accepted in a contexts map, in the order they are suggested.
var (
	topKeys     = []string{"contexts", "static", "ignore", "relations", "version", "budgets"}
	contextKeys = []string{"description", "owner", "tables", "roles", "code", "max_crossing"}
	budgetKeys  = []string{"between", "max_crossing"}
	tableKeys   = []string{"columns", "access"}
	accessNames = []string{string(AccessRead), string(AccessWrite), string(AccessReadWrite)}
)

// Version is the contexts map version this package reads; a map may say
// version: 1 and may leave it out.
const Version = 1

// Parse reads a contexts map from data. file names the map in errors and
// is stored in Map.File. Every problem is an *Error with the file, the
// line and column, and a one-line reason; the first one found is returned.
// A YAML syntax error has a line but no column (yaml.v3 does not report
// it). Parse checks the form of the map; Resolve checks it against a
// snapshot (tables that exist, columns, did-you-mean warnings).
//
// The accepted form:
//
//	version: 1                # optional; only 1 is known
//	contexts:                 # required; {} is allowed (every table unassigned)
//	  catalog:                # context name, non-empty, unique
//	    description: text     # optional string
//	    owner: team-catalog   # optional string
//	    tables:               # list (may be empty)
//	      - album             # table name, in any schema
//	      - public.artist     # schema.table (or a table whose name has a dot)
//	      - "reco_*"          # glob (path.Match syntax), also "billing.*"
//	      - line_item:        # one-key mapping: a table with the columns
//	          columns: [sku, title]   # the context uses and/or its access:
//	          access: read            # read, write or readwrite
//	      - stock: [sku, qty] # shorthand for stock: {columns: [sku, qty]}
//	      - price:            # null value: the same as - price
//	    roles: [catalog_app]  # optional list of database role names
//	    code: ["src/catalog/**"]  # optional list of source globs
//	    max_crossing: 3       # optional budget: at most 3 crossing couplings
//	  empty_ctx:              # a null context is a context without tables
//	static: [country]         # optional list of table patterns
//	ignore: [schema_migrations]
//	relations:                # optional: references no foreign key declares
//	  confirm: ["stock_movement.refund_id -> refund"]   # an inferred one is real
//	  deny: ["audit_log.what -> customer"]              # never infer it again
//	  declare: ["history(itemid) -> items(itemid)"]     # a virtual foreign key
//	budgets:                  # optional budgets between two contexts
//	  - between: [catalog, finance]
//	    max_crossing: 1
//
// Names are case-sensitive. An empty file (or one holding only comments)
// is an error, as is a file without a contexts: key, with contexts: left
// empty (null), or with a second YAML document. Unknown keys are errors
// (with a "did you mean" for near misses), as are duplicate keys and
// context names, values of the wrong type, empty names, a column listed
// twice, a bad access and a malformed glob. YAML merge keys (<<) are not
// supported; anchors and aliases are.
func Parse(file string, data []byte) (*Map, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(file, data, err)
	}
	if doc.Kind == yaml.DocumentNode {
		if err := oneDocument(file, data); err != nil {
			return nil, err
		}
	}
	p := &parser{file: file}
	if err := p.checkAliases(&doc); err != nil {
		return nil, err
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	root = deref(root)
	if root.Kind == 0 || root.Kind == yaml.DocumentNode || isNull(root) {
		return nil, &Error{File: file, Msg: "contexts map is empty: define at least one context under contexts:"}
	}
	if root.Kind != yaml.MappingNode {
		return nil, p.errf(root, "a contexts map must be a mapping with a contexts: key, got %s", kindOf(root))
	}
	fields, err := p.fields(root, "", topKeys)
	if err != nil {
		return nil, err
	}
	m := &Map{File: file}
	if f, ok := fields["version"]; ok {
		v := f.value
		n, err := strconv.Atoi(v.Value)
		if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil {
			return nil, p.errf(v, "version must be a number, got %s", kindOf(v))
		}
		if n != Version {
			return nil, p.errf(v, "unsupported version %d: this seams reads version %d", n, Version)
		}
		m.Version = n
	}
	f, ok := fields["contexts"]
	if !ok {
		return nil, p.errf(root, "no contexts: key: define at least one context under contexts:")
	}
	if m.Contexts, err = p.contexts(f.key, f.value); err != nil {
		return nil, err
	}
	if f, ok := fields["static"]; ok {
		if m.Static, err = p.patterns("static", f.value); err != nil {
			return nil, err
		}
	}
	if f, ok := fields["ignore"]; ok {
		if m.Ignore, err = p.patterns("ignore", f.value); err != nil {
			return nil, err
		}
	}
	if f, ok := fields["relations"]; ok {
		if m.Relations, err = p.relations(f.value); err != nil {
			return nil, err
		}
	}
	for _, c := range m.Contexts {
		if c.MaxCrossing != nil {
			m.Budgets = append(m.Budgets, Budget{Contexts: []string{c.Name}, MaxCrossing: *c.MaxCrossing, Pos: c.MaxCrossingPos})
		}
	}
	if f, ok := fields["budgets"]; ok {
		bs, err := p.budgets(f.value, m.Contexts)
		if err != nil {
			return nil, err
		}
		m.Budgets = append(m.Budgets, bs...)
	}
	return m, nil
}

var yamlLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// parserProblems are the problems yaml.v3's parser (not its scanner)
// reports. For these yaml.v3 prints a 0-based line number, and none at all
// for the first line; scanner errors have 1-based lines.
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// yamlError turns a yaml.v3 syntax error into an *Error with its 1-based
// line. yaml.v3 does not report the column of a syntax error.
func yamlError(file string, data []byte, err error) *Error {
	msg := err.Error()
	m := yamlLine.FindStringSubmatch(msg)
	if m == nil {
		return &Error{File: file, Msg: "invalid YAML: " + msg}
	}
	line, _ := strconv.Atoi(m[1]) // 0 when absent
	if contains(parserProblems, m[2]) {
		line = problemLine(data, msg, line+1)
	}
	// A problem at the end of the file (an unclosed list) is reported on
	// the empty line after the last newline: point at the last line.
	if n := bytes.Count(data, []byte("\n")); line > n && n > 0 && bytes.HasSuffix(data, []byte("\n")) {
		line = n
	}
	return &Error{File: file, Pos: Pos{Line: line}, Msg: "invalid YAML: " + m[2]}
}

// oneDocument reports a second YAML document (after ---) in data, which
// would otherwise be ignored.
func oneDocument(file string, data []byte) *Error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var first, second yaml.Node
	if dec.Decode(&first) != nil {
		return nil
	}
	if err := dec.Decode(&second); err != nil {
		if err == io.EOF {
			return nil
		}
		return yamlError(file, data, err)
	}
	line := second.Line
	if len(second.Content) > 0 {
		line = second.Content[0].Line
	}
	return &Error{File: file, Pos: Pos{Line: line}, Msg: "a contexts map is one YAML document; remove the second one (after ---)"}
}

// problemLine finds the line where a parser error appears. yaml.v3 reports
// the line where the enclosing construct starts (a mapping several lines
// up, say); the line where the problem appears is the end of the shortest
// prefix of the file that gives the same error. fallback is returned for
// a large file or when no prefix does.
func problemLine(data []byte, msg string, fallback int) int {
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 5000 {
		return fallback
	}
	end := 0
	var node yaml.Node
	for i, l := range lines {
		end += len(l)
		if i+1 < fallback {
			continue
		}
		if err := yaml.Unmarshal(data[:end], &node); err != nil && err.Error() == msg {
			return i + 1
		}
	}
	return fallback
}

type parser struct {
	file string
}

func (p *parser) errf(n *yaml.Node, format string, args ...any) *Error {
	return &Error{File: p.file, Pos: posOf(n), Msg: fmt.Sprintf(format, args...)}
}

func posOf(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

// checkAliases counts the nodes of the document with every alias expanded,
// in document order, and reports the alias that takes the count over
// MaxAliasExpansion (or that names a node holding itself).
func (p *parser) checkAliases(doc *yaml.Node) error {
	size := map[*yaml.Node]int{} // expanded size; -1 while being counted
	total := 0
	var walk func(n *yaml.Node) (int, error)
	walk = func(n *yaml.Node) (int, error) {
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			s, ok := size[n.Alias]
			if s < 0 {
				return 0, p.errf(n, "alias *%s refers to a node that holds it", n.Value)
			}
			if !ok {
				var err error
				if s, err = walk(n.Alias); err != nil {
					return 0, err
				}
			}
			if total += s; total > MaxAliasExpansion {
				return 0, p.errf(n, "the aliases expand the map to more than %d entries: write the entries out, or use fewer aliases", MaxAliasExpansion)
			}
			return s, nil
		}
		if s, ok := size[n]; ok && s >= 0 {
			return s, nil
		}
		size[n] = -1
		s := 1
		for _, c := range n.Content {
			cs, err := walk(c)
			if err != nil {
				return 0, err
			}
			s += cs
		}
		size[n] = s
		return s, nil
	}
	_, err := walk(doc)
	return err
}

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// kindOf names the kind of a node for messages.
func kindOf(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!int", "!!float":
			return fmt.Sprintf("the number %s", n.Value)
		case "!!bool":
			return fmt.Sprintf("the boolean %s", n.Value)
		}
		return fmt.Sprintf("the string %q", n.Value)
	}
	return "an alias"
}

type field struct {
	key, value *yaml.Node
}

// fields reads the keys of mapping n, which must all be in known. where
// names the mapping in messages ("" for the top level).
func (p *parser) fields(n *yaml.Node, where string, known []string) (map[string]field, error) {
	in := ""
	if where != "" {
		in = " in " + where
	}
	out := make(map[string]field, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode || isNull(k) {
			return nil, p.errf(k, "want a key name%s, got %s", in, kindOf(k))
		}
		if k.Tag == "!!merge" {
			return nil, p.errf(k, "merge keys (<<) are not supported%s", in)
		}
		if !contains(known, k.Value) {
			if s, ok := suggest(k.Value, known); ok {
				return nil, p.errf(k, "unknown key %q%s (did you mean %q?)", k.Value, in, s)
			}
			return nil, p.errf(k, "unknown key %q%s: want %s", k.Value, in, orList(known))
		}
		if prev, dup := out[k.Value]; dup {
			return nil, p.errf(k, "key %q is given twice%s (first at line %d)", k.Value, in, prev.key.Line)
		}
		out[k.Value] = field{k, v}
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// orList writes a, b or c.
func orList(list []string) string {
	if len(list) == 1 {
		return list[0]
	}
	return strings.Join(list[:len(list)-1], ", ") + " or " + list[len(list)-1]
}

func (p *parser) contexts(key, n *yaml.Node) ([]Context, error) {
	if isNull(n) {
		return nil, p.errf(key, "contexts: is empty: define at least one context under it (or write contexts: {} to leave every table unassigned)")
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, "contexts must be a mapping of context names to contexts, got %s", kindOf(n))
	}
	out := make([]Context, 0, len(n.Content)/2)
	first := make(map[string]int)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], deref(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			return nil, p.errf(k, "a context name must be a string, got %s", kindOf(k))
		}
		if k.Tag == "!!merge" {
			return nil, p.errf(k, "merge keys (<<) are not supported in contexts")
		}
		if isNull(k) || strings.TrimSpace(k.Value) == "" {
			return nil, p.errf(k, "empty context name")
		}
		name := k.Value
		if line, dup := first[name]; dup {
			return nil, p.errf(k, "context %q is defined twice (first at line %d)", name, line)
		}
		first[name] = k.Line
		c, err := p.context(name, k, v)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (p *parser) context(name string, key, n *yaml.Node) (Context, error) {
	c := Context{Name: name, Pos: posOf(key)}
	if isNull(n) {
		return c, nil
	}
	where := fmt.Sprintf("context %q", name)
	if n.Kind != yaml.MappingNode {
		hint := ""
		if n.Kind == yaml.SequenceNode {
			hint = " (put the list under tables:)"
		}
		return c, p.errf(n, "%s must be a mapping with tables:, got %s%s", where, kindOf(n), hint)
	}
	fields, err := p.fields(n, where, contextKeys)
	if err != nil {
		return c, err
	}
	if f, ok := fields["description"]; ok {
		if c.Description, err = p.str(where, "description", f.value); err != nil {
			return c, err
		}
	}
	if f, ok := fields["owner"]; ok {
		if c.Owner, err = p.str(where, "owner", f.value); err != nil {
			return c, err
		}
	}
	if f, ok := fields["tables"]; ok {
		if c.Tables, err = p.tables(where, f.value); err != nil {
			return c, err
		}
	}
	if f, ok := fields["roles"]; ok {
		if c.Roles, err = p.strs(where, "roles", "role name", f.value, nil); err != nil {
			return c, err
		}
	}
	if f, ok := fields["code"]; ok {
		if c.Code, err = p.strs(where, "code", "glob", f.value, checkGlob); err != nil {
			return c, err
		}
	}
	if f, ok := fields["max_crossing"]; ok {
		n, err := p.count(where, "max_crossing", f.value)
		if err != nil {
			return c, err
		}
		c.MaxCrossing, c.MaxCrossingPos = &n, posOf(f.value)
	}
	return c, nil
}

// count reads a number that is zero or more.
func (p *parser) count(where, key string, n *yaml.Node) (int, error) {
	v, err := strconv.Atoi(n.Value)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || err != nil {
		return 0, p.errf(n, "%s: %s must be a whole number, got %s", where, key, kindOf(n))
	}
	if v < 0 {
		return 0, p.errf(n, "%s: %s must not be negative, got %d", where, key, v)
	}
	return v, nil
}

// budgets reads the budgets: list, each between two contexts of cs.
func (p *parser) budgets(n *yaml.Node, cs []Context) ([]Budget, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, p.errf(n, "budgets must be a list of {between: [context, context], max_crossing: N}, got %s", kindOf(n))
	}
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	first := map[[2]string]int{}
	var out []Budget
	for i, e := range n.Content {
		e = deref(e)
		where := fmt.Sprintf("budget %d", i+1)
		if e.Kind != yaml.MappingNode {
			return nil, p.errf(e, "%s must be a mapping {between: [context, context], max_crossing: N}, got %s", where, kindOf(e))
		}
		fields, err := p.fields(e, where, budgetKeys)
		if err != nil {
			return nil, err
		}
		bf, ok := fields["between"]
		if !ok {
			return nil, p.errf(e, "%s: no between: key: name the two contexts, between: [a, b]", where)
		}
		mf, ok := fields["max_crossing"]
		if !ok {
			return nil, p.errf(e, "%s: no max_crossing: key: give the most crossing couplings allowed", where)
		}
		pair, err := p.strs(where, "between", "context name", bf.value, nil)
		if err != nil {
			return nil, err
		}
		if len(pair) != 2 {
			return nil, p.errf(bf.value, "%s: between must name two contexts, got %d", where, len(pair))
		}
		for j, c := range pair {
			if contains(names, c) {
				continue
			}
			at := deref(bf.value.Content[j])
			if s, ok := suggest(c, names); ok {
				return nil, p.errf(at, "%s: no context %q (did you mean %q?)", where, c, s)
			}
			return nil, p.errf(at, "%s: no context %q: want one of %s", where, c, orList(names))
		}
		if pair[0] == pair[1] {
			return nil, p.errf(bf.value, "%s: between names %q twice: for one context, put max_crossing under the context", where, pair[0])
		}
		k := [2]string{pair[0], pair[1]}
		if k[0] > k[1] {
			k[0], k[1] = k[1], k[0]
		}
		if line, dup := first[k]; dup {
			return nil, p.errf(bf.value, "%s: the budget between %s and %s is given twice (first at line %d)", where, pair[0], pair[1], line)
		}
		first[k] = bf.value.Line
		max, err := p.count(where, "max_crossing", mf.value)
		if err != nil {
			return nil, err
		}
		out = append(out, Budget{Contexts: pair, MaxCrossing: max, Pos: posOf(mf.value)})
	}
	return out, nil
}

// str reads an optional string; null is "".
func (p *parser) str(where, key string, n *yaml.Node) (string, error) {
	if isNull(n) {
		return "", nil
	}
	if n.Kind != yaml.ScalarNode {
		return "", p.errf(n, "%s: %s must be a string, got %s", where, key, kindOf(n))
	}
	return n.Value, nil
}

// strs reads a list of non-empty strings, each checked by check if not nil.
func (p *parser) strs(where, key, what string, n *yaml.Node, check func(string) error) ([]string, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		hint := ""
		if n.Kind == yaml.ScalarNode {
			hint = fmt.Sprintf(" (write %s: [%s])", key, n.Value)
		}
		return nil, p.errf(n, "%s: %s must be a list, got %s%s", where, key, kindOf(n), hint)
	}
	out := make([]string, 0, len(n.Content))
	for _, e := range n.Content {
		e = deref(e)
		if e.Kind != yaml.ScalarNode {
			return nil, p.errf(e, "%s: each item of %s must be a %s, got %s", where, key, what, kindOf(e))
		}
		if isNull(e) || e.Value == "" {
			return nil, p.errf(e, "%s: empty %s in %s", where, what, key)
		}
		if check != nil {
			if err := check(e.Value); err != nil {
				return nil, p.errf(e, "%s: %v", where, err)
			}
		}
		out = append(out, e.Value)
	}
	return out, nil
}

// checkGlob reports a malformed glob.
func checkGlob(g string) error {
	if _, err := path.Match(g, ""); err != nil {
		return fmt.Errorf("malformed glob %q (%v)", g, err)
	}
	return nil
}

// isGlob reports whether p has glob metacharacters.
func isGlob(p string) bool { return strings.ContainsAny(p, `*?[\`) }

// checkPattern reports a table pattern that can never work.
func checkPattern(p string) error {
	if strings.TrimSpace(p) == "" {
		return errors.New("empty table name")
	}
	if strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".") {
		return fmt.Errorf("malformed table name %q: want table or schema.table", p)
	}
	return checkGlob(p)
}

func (p *parser) patterns(key string, n *yaml.Node) ([]Pattern, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		hint := ""
		if n.Kind == yaml.ScalarNode {
			hint = fmt.Sprintf(" (write %s: [%s])", key, n.Value)
		}
		return nil, p.errf(n, "%s must be a list of tables, got %s%s", key, kindOf(n), hint)
	}
	out := make([]Pattern, 0, len(n.Content))
	for _, e := range n.Content {
		e = deref(e)
		if e.Kind != yaml.ScalarNode || isNull(e) {
			return nil, p.errf(e, "each item of %s must be a table name or pattern, got %s", key, kindOf(e))
		}
		if err := checkPattern(e.Value); err != nil {
			return nil, p.errf(e, "%s: %v", key, err)
		}
		out = append(out, Pattern{Pattern: e.Value, Pos: posOf(e)})
	}
	return out, nil
}

func (p *parser) tables(where string, n *yaml.Node) ([]TableRef, error) {
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		hint := ""
		if n.Kind == yaml.ScalarNode {
			hint = fmt.Sprintf(" (write tables: [%s])", n.Value)
		}
		return nil, p.errf(n, "%s: tables must be a list, got %s%s", where, kindOf(n), hint)
	}
	out := make([]TableRef, 0, len(n.Content))
	for _, e := range n.Content {
		r, err := p.tableRef(where, deref(e))
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

const tableEntryForm = "a table name or a one-key mapping like line_item: {columns: [sku]}"

func (p *parser) tableRef(where string, n *yaml.Node) (TableRef, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		if isNull(n) {
			return TableRef{}, p.errf(n, "%s: empty table entry", where)
		}
		if err := checkPattern(n.Value); err != nil {
			return TableRef{}, p.errf(n, "%s: %v", where, err)
		}
		return TableRef{Pattern: n.Value, Pos: posOf(n)}, nil
	case yaml.MappingNode:
	default:
		return TableRef{}, p.errf(n, "%s: a table entry must be %s, got %s", where, tableEntryForm, kindOf(n))
	}
	if len(n.Content) != 2 {
		keys := make([]string, 0, len(n.Content)/2)
		indent := false
		for i := 0; i < len(n.Content); i += 2 {
			keys = append(keys, n.Content[i].Value)
			indent = indent || (i > 0 && contains(tableKeys, n.Content[i].Value))
		}
		hint := ""
		if indent && len(keys) > 0 {
			hint = fmt.Sprintf("; indent %s under %s:", strings.Join(keys[1:], " and "), keys[0])
		}
		return TableRef{}, p.errf(n, "%s: a table entry must be %s; this one has %d keys (%s)%s",
			where, tableEntryForm, len(keys), strings.Join(keys, ", "), hint)
	}
	k, v := n.Content[0], deref(n.Content[1])
	if k.Kind != yaml.ScalarNode || isNull(k) {
		return TableRef{}, p.errf(k, "%s: a table entry must be %s, got a key that is %s", where, tableEntryForm, kindOf(k))
	}
	if err := checkPattern(k.Value); err != nil {
		return TableRef{}, p.errf(k, "%s: %v", where, err)
	}
	r := TableRef{Pattern: k.Value, Pos: posOf(k)}
	where = fmt.Sprintf("%s, table %s", where, k.Value)
	switch v.Kind {
	case yaml.SequenceNode:
		err := p.columns(where, v, &r)
		return r, err
	case yaml.MappingNode:
	default:
		if isNull(v) {
			return r, nil
		}
		return r, p.errf(v, "%s: want {columns: [...], access: ...} or a list of columns, got %s", where, kindOf(v))
	}
	fields, err := p.fields(v, where, tableKeys)
	if err != nil {
		return r, err
	}
	if f, ok := fields["columns"]; ok && !isNull(f.value) {
		if f.value.Kind != yaml.SequenceNode {
			hint := ""
			if f.value.Kind == yaml.ScalarNode {
				hint = fmt.Sprintf(" (write columns: [%s])", f.value.Value)
			}
			return r, p.errf(f.value, "%s: columns must be a list, got %s%s", where, kindOf(f.value), hint)
		}
		if err := p.columns(where, f.value, &r); err != nil {
			return r, err
		}
	}
	if f, ok := fields["access"]; ok && !isNull(f.value) {
		v := f.value
		if v.Kind != yaml.ScalarNode {
			return r, p.errf(v, "%s: access must be %s, got %s", where, orList(accessNames), kindOf(v))
		}
		if !contains(accessNames, v.Value) {
			if s, ok := suggest(v.Value, accessNames); ok {
				return r, p.errf(v, "%s: bad access %q (did you mean %q?)", where, v.Value, s)
			}
			return r, p.errf(v, "%s: bad access %q: want %s", where, v.Value, orList(accessNames))
		}
		r.Access = Access(v.Value)
	}
	return r, nil
}

func (p *parser) columns(where string, n *yaml.Node, r *TableRef) error {
	r.Columns = make([]string, 0, len(n.Content))
	r.ColumnPos = make([]Pos, 0, len(n.Content))
	seen := make(map[string]int, len(n.Content))
	for _, e := range n.Content {
		e = deref(e)
		if e.Kind != yaml.ScalarNode {
			return p.errf(e, "%s: each column must be a name, got %s", where, kindOf(e))
		}
		if isNull(e) || e.Value == "" {
			return p.errf(e, "%s: empty column name", where)
		}
		if line, dup := seen[e.Value]; dup {
			return p.errf(e, "%s: column %q is listed twice (first at line %d)", where, e.Value, line)
		}
		seen[e.Value] = e.Line
		r.Columns = append(r.Columns, e.Value)
		r.ColumnPos = append(r.ColumnPos, posOf(e))
	}
	return nil
}
