package refdata

import (
	"bytes"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/seamsdev/seams/schema"
)

func s(v string) *string { return &v }

// hostile is a table whose name, columns and values try to break out of
// every format: quotes, backslashes, line breaks, comment closers, unicode
// escapes, non-ASCII, reserved words and names that sanitise alike.
func hostile() Table {
	return Table{
		Name:    schema.TableName{Schema: "odd schema", Name: "we\"ird */ tab\\le\n名前 class"},
		Columns: []string{"select", "1st col", "hashCode", "a-b", "a_b", "", "class", "名"},
		Rows: [][]*string{
			{s(`say "hi"`), s(`back\slash \u000a \n`), s("line\nbreak\r\nCRLF"), s("*/ /* -- ;"), s("non-ASCII: é 名前 😀 \u2028 \u2029"), s(""), nil, s("`${x}` '")},
			{s("a"), nil, s("b"), s("c"), s("d"), s("e"), s("f"), s("g")},
			{s(`"`), s(`\`), s("\t"), s("*/"), s("//"), s("</script>"), s("null"), s(" ")},
			{s("\x00NUL \x0b\x0c\x1b\x7f"), s("\u00a0\ufeff"), s("𝄞"), s("\\u000a"), s("\\"), s("\r"), s("'"), s("?")},
		},
	}
}

func country() Table {
	return Table{
		Name:    schema.TableName{Schema: "public", Name: "country"},
		Columns: []string{"code", "name"},
		Rows:    [][]*string{{s("AD"), s("Andorra")}, {s("CI"), s("Côte d'Ivoire")}, {s("ZW"), s("Zimbabwe")}},
	}
}

func empty() Table {
	return Table{Name: schema.TableName{Name: "select"}, Columns: []string{"id"}}
}

// values returns the rows as they should come back from a format that
// keeps NULL.
func values(t Table) [][]*string { return t.Rows }

func equalRows(t *testing.T, format string, got, want [][]*string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", format, len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("%s row %d: %d values, want %d", format, i, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			g, w := got[i][j], want[i][j]
			if (g == nil) != (w == nil) || (g != nil && *g != *w) {
				t.Errorf("%s row %d col %d: got %s, want %s", format, i, j, show(g), show(w))
			}
		}
	}
}

func show(p *string) string {
	if p == nil {
		return "NULL"
	}
	b, _ := json.Marshal(*p)
	return string(b)
}

var tables = []struct {
	name  string
	table Table
}{
	{"country", country()},
	{"hostile", hostile()},
	{"empty", empty()},
}

func TestJSONRoundTrip(t *testing.T) {
	for _, tt := range tables {
		t.Run(tt.name, func(t *testing.T) {
			data, err := JSON(tt.table)
			if err != nil {
				t.Fatal(err)
			}
			// Decode keeping key order: an array of objects, keys as the columns.
			dec := json.NewDecoder(bytes.NewReader(data))
			var raw []json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				t.Fatalf("invalid JSON: %v\n%s", err, data)
			}
			var got [][]*string
			for _, obj := range raw {
				d := json.NewDecoder(bytes.NewReader(obj))
				d.Token() // {
				var row []*string
				var keys []string
				for d.More() {
					k, _ := d.Token()
					keys = append(keys, k.(string))
					var v *string
					if err := d.Decode(&v); err != nil {
						t.Fatal(err)
					}
					row = append(row, v)
				}
				if !slices.Equal(keys, tt.table.Columns) {
					t.Errorf("keys %q, want %q", keys, tt.table.Columns)
				}
				got = append(got, row)
			}
			equalRows(t, "json", got, values(tt.table))
		})
	}
}

// parseRFC4180 is a strict reader of RFC 4180: records end with CRLF,
// fields holding a comma, quote, CR or LF are quoted, a quote inside one is
// doubled. Unlike encoding/csv it keeps CR and CRLF inside values.
func parseRFC4180(t *testing.T, data string) [][]string {
	t.Helper()
	var recs [][]string
	var rec []string
	i := 0
	for i < len(data) {
		var f strings.Builder
		if data[i] == '"' {
			i++
			for {
				if i >= len(data) {
					t.Fatalf("unterminated quoted field")
				}
				if data[i] == '"' {
					if i+1 < len(data) && data[i+1] == '"' {
						f.WriteByte('"')
						i += 2
						continue
					}
					i++
					break
				}
				f.WriteByte(data[i])
				i++
			}
		} else {
			for i < len(data) && data[i] != ',' && data[i] != '\r' {
				if data[i] == '"' || data[i] == '\n' {
					t.Fatalf("unquoted field holds %q at byte %d", data[i], i)
				}
				f.WriteByte(data[i])
				i++
			}
		}
		rec = append(rec, f.String())
		switch {
		case strings.HasPrefix(data[i:], ","):
			i++
		case strings.HasPrefix(data[i:], "\r\n"):
			recs = append(recs, rec)
			rec = nil
			i += 2
		default:
			t.Fatalf("byte %d: want a comma or CRLF after a field, got %q", i, data[i:min(i+10, len(data))])
		}
	}
	if rec != nil {
		t.Fatal("last record does not end with CRLF")
	}
	return recs
}

func TestCSVRoundTrip(t *testing.T) {
	for _, tt := range tables {
		t.Run(tt.name, func(t *testing.T) {
			data, err := CSV(tt.table)
			if err != nil {
				t.Fatal(err)
			}
			recs := parseRFC4180(t, string(data))
			if !slices.Equal(recs[0], tt.table.Columns) {
				t.Errorf("header %q, want %q", recs[0], tt.table.Columns)
			}
			// NULL is written as an empty field.
			var want [][]*string
			for _, r := range tt.table.Rows {
				var row []*string
				for _, v := range r {
					if v == nil {
						v = s("")
					}
					row = append(row, v)
				}
				want = append(want, row)
			}
			var got [][]*string
			for _, r := range recs[1:] {
				var row []*string
				for _, v := range r {
					row = append(row, s(v))
				}
				got = append(got, row)
			}
			equalRows(t, "csv", got, want)
			// encoding/csv, the common lenient reader, reads it too.
			if recs2, err := csv.NewReader(bytes.NewReader(data)).ReadAll(); err != nil || len(recs2) != len(recs) {
				t.Errorf("encoding/csv: %d records, %v", len(recs2), err)
			}
		})
	}
}

func TestStem(t *testing.T) {
	tests := []struct {
		in   []schema.TableName
		want []string
	}{
		{[]schema.TableName{{Schema: "public", Name: "country"}}, []string{"country"}},
		{[]schema.TableName{{Name: "Order Lines"}}, []string{"order_lines_"}},
		{[]schema.TableName{{Name: "名前"}}, []string{"t_"}},
		{[]schema.TableName{{Name: "1st"}}, []string{"t1st_"}},
		{[]schema.TableName{{Name: "../../etc/passwd"}}, []string{"etc_passwd_"}},
		{[]schema.TableName{{Schema: "a", Name: "x"}, {Schema: "b", Name: "x"}}, []string{"a_x_", "b_x_"}},
	}
	for _, tt := range tests {
		got := Stem(tt.in)
		for i, w := range tt.want {
			if got[i] != w && !(strings.HasSuffix(w, "_") && strings.HasPrefix(got[i], w) && len(got[i]) == len(w)+6) {
				t.Errorf("Stem(%v)[%d] = %q, want %q", tt.in, i, got[i], w)
			}
			if strings.ContainsAny(got[i], "/\\. ") {
				t.Errorf("Stem(%v)[%d] = %q is not a plain file name", tt.in, i, got[i])
			}
		}
	}
	// The hash keeps stems that sanitise alike apart.
	st := Stem([]schema.TableName{{Name: "a-b"}, {Name: "a b"}, {Name: "a_b"}})
	if st[0] == st[1] || st[2] != "a_b" {
		t.Errorf("stems %q", st)
	}
}

func TestWriteDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "static")
	if err := WriteDir(dir, []Table{country(), hostile()}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	stems := Stem([]schema.TableName{country().Name, hostile().Name})
	class, _ := JavaNames(hostile(), stems[1])
	want := []string{"Country.java", class + ".java", "country.csv", "country.go", "country.json", "country.ts",
		stems[1] + ".csv", stems[1] + ".go", stems[1] + ".json", stems[1] + ".ts"}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("files %q, want %q", names, want)
	}
	// A second write into a directory the user added a file to fails and
	// leaves it as it was, and no temporary directory behind.
	if err := os.WriteFile(filepath.Join(dir, "mine.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, []Table{empty()}); err == nil || !strings.Contains(err.Error(), "files seams did not write (mine.txt)") {
		t.Errorf("write into a directory with a file of the user's: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "select.json")); err == nil {
		t.Error("select.json written into a directory with a file of the user's")
	}
	// A bad table fails before anything is written.
	bad := filepath.Join(t.TempDir(), "bad")
	broken := Table{Name: schema.TableName{Name: "x"}, Columns: []string{"a", "b"}, Rows: [][]*string{{s("1")}}}
	if err := WriteDir(bad, []Table{country(), broken}); err == nil {
		t.Error("row with a missing value accepted")
	}
	if _, err := os.Stat(bad); err == nil {
		t.Error("directory created by a failed write")
	}
	// A directory whose parent is missing: error, nothing written.
	if err := WriteDir(filepath.Join(t.TempDir(), "no", "such"), []Table{country()}); err == nil {
		t.Error("write under a missing parent succeeded")
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %q", left)
	}
}

// run runs a command in dir and fails the test with its output on error.
func run(t *testing.T, dir, name string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

// hexRows decodes lines of space-separated values, "-" for NULL and the
// hex of the UTF-8 bytes otherwise ("" is written as "x").
func hexRows(t *testing.T, out []byte) [][]*string {
	t.Helper()
	var rows [][]*string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line == "" {
			continue
		}
		var row []*string
		for _, f := range strings.Fields(line) {
			switch f {
			case "-":
				row = append(row, nil)
			case "x":
				row = append(row, s(""))
			default:
				b, err := hex.DecodeString(f)
				if err != nil {
					t.Fatalf("bad output %q", line)
				}
				row = append(row, s(string(b)))
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// TestGoCompiles builds each generated Go file in a temporary module, vets
// it, and runs a program that prints its rows back.
func TestGoCompiles(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	mod := t.TempDir()
	if err := os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/ref\n\ngo 1.22\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var imports, prints strings.Builder
	for i, tt := range tables {
		stem := Stem([]schema.TableName{tt.table.Name})[0]
		pkg, _, fields := GoNames(tt.table, stem)
		dir := filepath.Join(mod, stem)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		src, err := Go(tt.table, stem)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, stem+".go"), src, 0o644); err != nil {
			t.Fatal(err)
		}
		alias := "p" + string(rune('a'+i))
		imports.WriteString("\t" + alias + " \"example.com/ref/" + stem + "\"\n")
		_ = pkg
		null := nullable(tt.table)
		prints.WriteString("\tfor _, r := range " + alias + ".Rows {\n")
		for j, f := range fields {
			if null[j] {
				prints.WriteString("\t\tp(r." + f + ")\n")
			} else {
				prints.WriteString("\t\tp(&r." + f + ")\n")
			}
		}
		prints.WriteString("\t\tfmt.Println()\n\t}\n\tfmt.Println(\"==\")\n")
	}
	main := "package main\n\nimport (\n\t\"encoding/hex\"\n\t\"fmt\"\n" + imports.String() + ")\n\n" +
		"func p(v *string) {\n\tswitch {\n\tcase v == nil:\n\t\tfmt.Print(\"- \")\n\tcase *v == \"\":\n\t\tfmt.Print(\"x \")\n\tdefault:\n\t\tfmt.Print(hex.EncodeToString([]byte(*v)), \" \")\n\t}\n}\n\n" +
		"func main() {\n" + prints.String() + "}\n"
	if err := os.WriteFile(filepath.Join(mod, "main.go"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, mod, "go", "vet", "./...")
	if out := run(t, mod, "sh", "-c", "gofmt -l */"); len(out) > 0 {
		t.Errorf("generated Go is not gofmt-clean: %s", out)
	}
	out := run(t, mod, "go", "run", ".")
	parts := strings.Split(string(out), "==\n")
	for i, tt := range tables {
		equalRows(t, "go "+tt.name, hexRows(t, []byte(parts[i])), tt.table.Rows)
	}
}

// TestJavaCompiles compiles each generated Java file with javac and runs a
// program that prints its rows back through the record's accessors.
func TestJavaCompiles(t *testing.T) {
	for _, tool := range []string{"javac", "java"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: the generated Java is not compiled by this test", tool)
		}
	}
	dir := t.TempDir()
	var prints strings.Builder
	args := []string{"-d", "out", "Main.java"}
	for _, tt := range tables {
		stem := Stem([]schema.TableName{tt.table.Name})[0]
		file, src, err := Java(tt.table, stem)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, file), src, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, file)
		class := strings.TrimSuffix(file, ".java")
		prints.WriteString("        dump(" + class + ".ROWS);\n")
	}
	main := `import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.List;

public class Main {
    static void dump(List<? extends Record> rows) throws Exception {
        for (Record r : rows) {
            StringBuilder b = new StringBuilder();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                String v = (String) c.getAccessor().invoke(r);
                if (v == null) { b.append("- "); continue; }
                if (v.isEmpty()) { b.append("x "); continue; }
                for (byte x : v.getBytes(StandardCharsets.UTF_8)) b.append(String.format("%02x", x));
                b.append(' ');
            }
            System.out.println(b);
        }
        System.out.println("==");
    }

    public static void main(String[] args) throws Exception {
` + prints.String() + `    }
}
`
	if err := os.WriteFile(filepath.Join(dir, "Main.java"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "javac", append([]string{"-encoding", "US-ASCII", "-Xlint:all", "-Werror"}, args...)...)
	out := run(t, dir, "java", "-cp", "out", "Main")
	parts := strings.Split(string(out), "==\n")
	for i, tt := range tables {
		equalRows(t, "java "+tt.name, hexRows(t, []byte(parts[i])), tt.table.Rows)
	}
}

// TestJavaLarge compiles a table big enough to need several helper
// methods (a single method's code is limited to 64 KB).
func TestJavaLarge(t *testing.T) {
	if _, err := exec.LookPath("javac"); err != nil {
		t.Skip("javac not found: the generated Java is not compiled by this test")
	}
	big := Table{Name: schema.TableName{Name: "big"}, Columns: []string{"id", "label"}}
	for i := range 5000 {
		big.Rows = append(big.Rows, []*string{s(strings.Repeat("9", i%7) + string(rune('a'+i%26))), s("label " + string(rune('A'+i%26)))})
	}
	dir := t.TempDir()
	file, src, err := Java(big, "big")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), src, 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "javac", "-d", "out", file)
}

// tsShape is the whole structure of a generated TypeScript file: a header
// comment, the exported `as const` array of one-line objects with quoted
// keys, and the exported row type.
var tsShape = regexp.MustCompile(`\A// Generated by seams from the table "(?:[^"\\\n]|\\.)*"\. Do not edit\.\n\n` +
	`/\*\* The rows of the table "(?:[^"\\\n]|\\.)*", in primary key order\. \*/\n` +
	`export const ([A-Za-z_$][A-Za-z0-9_$]*) = \[(?:\n  \{ (?:"(?:[^"\\\n]|\\.)*": (?:null|"(?:[^"\\\n]|\\.)*")(?:, )?)+ \},)*\n?\] as const;\n\n` +
	`/\*\* One row of the table "(?:[^"\\\n]|\\.)*"\. \*/\n` +
	`export type ([A-Z][A-Za-z0-9_]*) = \(typeof ([A-Za-z_$][A-Za-z0-9_$]*)\)\[number\];\n\z`)

// TestTypeScript checks the generated TypeScript structurally (no
// TypeScript compiler is available here), then checks its data: the array
// literal, with the TypeScript-only syntax (`as const`, the type line)
// taken off, is run by node, which must print the rows back exactly.
func TestTypeScript(t *testing.T) {
	node, nodeErr := exec.LookPath("node")
	for _, tt := range tables {
		t.Run(tt.name, func(t *testing.T) {
			stem := Stem([]schema.TableName{tt.table.Name})[0]
			src, err := TypeScript(tt.table, stem)
			if err != nil {
				t.Fatal(err)
			}
			m := tsShape.FindSubmatch(src)
			if m == nil {
				t.Fatalf("generated TypeScript does not have the expected structure:\n%s", src)
			}
			if string(m[1]) != string(m[3]) {
				t.Errorf("type refers to %s, constant is %s", m[3], m[1])
			}
			if jsReserved[string(m[1])] {
				t.Errorf("constant named with a reserved word %s", m[1])
			}
			for _, line := range strings.Split(string(src), "\n") {
				if strings.HasPrefix(line, "/**") && (strings.Count(line, "*/") != 1 || !strings.HasSuffix(line, "*/")) {
					t.Errorf("a name closes a comment early: %s", line)
				}
			}
			if nodeErr != nil {
				t.Skip("node not found: only the structure is checked")
			}
			js := strings.Replace(string(src), "] as const;", "];", 1)
			js = js[:strings.Index(js, "\n/** One row")] + "\n"
			js += "process.stdout.write(JSON.stringify(" + string(m[1]) + ".map(r => Object.values(r))));\n"
			file := filepath.Join(t.TempDir(), "rows.mjs")
			if err := os.WriteFile(file, []byte(js), 0o644); err != nil {
				t.Fatal(err)
			}
			out := run(t, filepath.Dir(file), node, file)
			var got [][]*string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("node output %q: %v", out, err)
			}
			equalRows(t, "ts", got, tt.table.Rows)
		})
	}
}

func TestIdentifiers(t *testing.T) {
	h := hostile()
	stem := Stem([]schema.TableName{h.Name})[0]
	pkg, typ, fields := GoNames(h, stem)
	goIdent := regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	for _, id := range append([]string{pkg, typ}, fields...) {
		if !goIdent.MatchString(id) {
			t.Errorf("Go identifier %q", id)
		}
	}
	if goKeywords[pkg] {
		t.Errorf("package %q is a keyword", pkg)
	}
	class, comps := JavaNames(h, stem)
	for _, c := range comps {
		if javaKeywords[c] || !goIdent.MatchString(c) {
			t.Errorf("Java component %q", c)
		}
	}
	if !slices.Contains(comps, "hashCode_") || !slices.Contains(comps, "class_") {
		t.Errorf("Java components %q: reserved names not renamed", comps)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(comps)))) != len(comps) {
		t.Errorf("Java components not distinct: %q", comps)
	}
	if class == "" || !goIdent.MatchString(class) {
		t.Errorf("Java class %q", class)
	}
	if c, _ := TypeScriptNames("class"); c != "classRows" {
		t.Errorf("TS constant for class = %q", c)
	}
	if p, _, _ := GoNames(empty(), "select"); p != "selectdata" {
		t.Errorf("Go package for select = %q", p)
	}
	if c, _ := JavaNames(Table{Columns: []string{"a"}}, "string"); c != "StringRow" {
		t.Errorf("Java class for string = %q", c)
	}
}

// TestMalformedTable checks that every format function, and Files, fails
// with an error naming the table when a row does not have one value per
// column, or there are no columns, instead of panicking or writing a
// broken file.
func TestMalformedTable(t *testing.T) {
	malformed := []struct {
		name  string
		table Table
		want  string
	}{
		{"wider row", Table{Name: schema.TableName{Schema: "s", Name: "wide"}, Columns: []string{"a"},
			Rows: [][]*string{{s("1")}, {s("2"), s("3")}}}, "s.wide: row 2 has 2 values for 1 columns"},
		{"narrower row", Table{Name: schema.TableName{Schema: "s", Name: "narrow"}, Columns: []string{"a", "b"},
			Rows: [][]*string{{s("1")}}}, "s.narrow: row 1 has 1 values for 2 columns"},
		{"no columns", Table{Name: schema.TableName{Schema: "s", Name: "none"}}, "s.none has no columns"},
	}
	formats := []struct {
		name string
		f    func(Table) error
	}{
		{"JSON", func(tb Table) error { _, err := JSON(tb); return err }},
		{"CSV", func(tb Table) error { _, err := CSV(tb); return err }},
		{"Go", func(tb Table) error { _, err := Go(tb, "x"); return err }},
		{"Java", func(tb Table) error { _, _, err := Java(tb, "x"); return err }},
		{"TypeScript", func(tb Table) error { _, err := TypeScript(tb, "x"); return err }},
		{"Files", func(tb Table) error { _, err := Files([]Table{country(), tb}); return err }},
	}
	for _, tt := range malformed {
		for _, f := range formats {
			t.Run(tt.name+"/"+f.name, func(t *testing.T) {
				err := f.f(tt.table)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("err = %v, want one containing %q", err, tt.want)
				}
			})
		}
	}
}

// TestJavaTypes compiles a record whose fields are typed by the columns'
// SQL types and prints each value's Java class and text; a column with a
// value its type cannot hold stays String.
func TestJavaTypes(t *testing.T) {
	for _, tool := range []string{"javac", "java"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s not found: the generated Java is compiled by this test (install a JDK)", tool)
		}
	}
	tb := Table{Name: schema.TableName{Schema: "public", Name: "rate"},
		Columns: []string{"id", "big", "amount", "active", "ratio", "valid_from", "code", "odd", "zerofill", "huge", "small"},
		Types:   []string{"int4", "int8", "numeric", "bool", "float8", "date", "text", "numeric", "INT", "UNSIGNED BIGINT", "float4"},
		Rows: [][]*string{
			{s("1"), s("9007199254740993"), s("12.50"), s("t"), s("0.25"), s("2024-02-29"), s("EUR"), s("1.5"), s("0042"), s("18446744073709551615"), s("Infinity")},
			{s("-2"), nil, s("-0.001"), s("f"), s("1e+300"), nil, nil, s("NaN"), s("7"), s("1"), s("NaN")},
		}}
	file, src, err := Java(tb, "rate")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Integer id", "Long big", "java.math.BigDecimal amount", "Boolean active", "Double ratio",
		"java.time.LocalDate validFrom", "String code", "String odd", "String zerofill", "java.math.BigInteger huge", "Float small"} {
		if !strings.Contains(string(src), want) {
			t.Errorf("Java file lacks %q:\n%s", want, src)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, file), src, 0o644); err != nil {
		t.Fatal(err)
	}
	main := `import java.lang.reflect.RecordComponent;

public class Main {
    public static void main(String[] args) throws Exception {
        for (Record r : Rate.ROWS) {
            StringBuilder b = new StringBuilder();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object v = c.getAccessor().invoke(r);
                b.append(v == null ? "null" : v.getClass().getSimpleName() + ":" + v).append(' ');
            }
            System.out.println(b.toString().trim());
        }
    }
}
`
	if err := os.WriteFile(filepath.Join(dir, "Main.java"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	run(t, dir, "javac", "-encoding", "US-ASCII", "-Xlint:all", "-Werror", "-d", "out", "Main.java", file)
	got := string(run(t, dir, "java", "-cp", "out", "Main"))
	want := "Integer:1 Long:9007199254740993 BigDecimal:12.50 Boolean:true Double:0.25 LocalDate:2024-02-29 String:EUR String:1.5 String:0042 BigInteger:18446744073709551615 Float:Infinity\n" +
		"Integer:-2 null BigDecimal:-0.001 Boolean:false Double:1.0E300 null null String:NaN String:7 BigInteger:1 Float:NaN\n"
	if got != want {
		t.Errorf("java printed\n%s\nwant\n%s", got, want)
	}
}
