package usage

import (
	"testing"
)

// FuzzLiterals checks that no source text makes the literal scanner, the
// placeholder rewriter or the SQL splitter panic, in any language.
func FuzzLiterals(f *testing.F) {
	for _, seed := range []string{
		"q := `SELECT a FROM t` + \"x\" + y",
		"x = <<~SQL\n  SELECT #{a} FROM t\nSQL\n",
		"$h = <<<'SQL'\nSELECT 1\nSQL;\n",
		"f\"SELECT {a} FROM {b}\" '''x''' r'\\'",
		"var a = @\"SELECT \"\"x\"\"\" + $\"{t}\";",
		"`SELECT ${a} FROM ${",
		"'\\", "\"unterminated", "<<~", "<<<", "/* open", "${{{", "#{",
		"SELECT $$ a; $$; -- x\n/* y */ 'q'';'",
	} {
		f.Add(seed)
	}
	langs := []string{"x.go", "x.java", "x.kt", "x.cs", "x.py", "x.rb", "x.php", "x.ts"}
	f.Fuzz(func(t *testing.T, src string) {
		for _, file := range langs {
			lang := languageOf(file)
			lits := literals(lang, src)
			for _, l := range lits {
				if l.start > l.end || l.end > len(src) || l.line < 1 {
					t.Fatalf("%s: bad literal %+v", file, l)
				}
				normalizePlaceholders(l.text, "postgres", lang.percentPlaceholders)
				normalizePlaceholders(l.text, "mysql", lang.percentPlaceholders)
			}
			functionsOf(lang, splitLines(src), splitLines(mask(src, lits)))
		}
		splitSQL(src)
	})
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
