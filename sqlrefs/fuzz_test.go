package sqlrefs

import (
	"strings"
	"testing"
)

// FuzzMySQLTriggerBody checks that no input makes the splitter panic, loop
// or return a multi-line error. go test runs the seeds; go test -fuzz
// explores further.
func FuzzMySQLTriggerBody(f *testing.F) {
	for _, tr := range mariaTriggers {
		f.Add(tr.body)
	}
	f.Add("BEGIN IF (x THEN END")
	f.Add("SET = , = ;")
	f.Add("DECLARE EXIT HANDLER FOR")
	f.Add("lbl: lbl: :")
	f.Fuzz(func(t *testing.T, body string) {
		_, err := MySQLTriggerBody(body)
		if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
			t.Errorf("multi-line error %q", err)
		}
	})
}

// FuzzMySQL checks the MySQL path the same way.
func FuzzMySQL(f *testing.F) {
	for _, v := range mariaViews {
		f.Add(v.def)
	}
	f.Add("SELECT 1 EXCEPT")
	f.Add("SELECT * FROM t WHERE x IN (...")
	f.Fuzz(func(t *testing.T, sql string) {
		_, err := MySQL(sql)
		if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
			t.Errorf("multi-line error %q", err)
		}
	})
}

// FuzzEqualities checks the four equality walkers the same way: no
// panic, no multi-line error, whatever the input.
func FuzzEqualities(f *testing.F) {
	for _, c := range pgEqCases {
		f.Add(c.sql)
	}
	for _, c := range myEqCases {
		f.Add(c.sql)
	}
	f.Add("SELECT 1 FROM a JOIN b USING (")
	f.Add("BEGIN IF NEW.x = (SELECT id FROM t WHERE t.y = OLD.z) THEN END IF; END")
	f.Fuzz(func(t *testing.T, sql string) {
		for _, fn := range []func(string) ([]Equality, error){PostgresEqualities, PLpgSQLEqualities, MySQLEqualities, MySQLTriggerBodyEqualities} {
			if _, err := fn(sql); err != nil && strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("multi-line error %q", err)
			}
		}
	})
}
