package source

import (
	"strings"
	"testing"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
)

// TestEngines: every dialect seams knows has one engine with every part
// set; any other is an error, never a fallback.
func TestEngines(t *testing.T) {
	for _, d := range schema.Dialects() {
		e, err := EngineFor(d)
		if err != nil || e.Dialect != d || e.Introspect == nil || e.ReadRows == nil || e.ReadUsage == nil {
			t.Errorf("EngineFor(%s) = %+v, %v", d, e, err)
		}
	}
	for _, d := range []schema.Dialect{"", "oracle", "mariadb"} {
		if _, err := EngineFor(d); err == nil || !strings.Contains(err.Error(), "no engine") {
			t.Errorf("EngineFor(%q): err %v", d, err)
		}
	}
}

func TestNewLive(t *testing.T) {
	for dsn, want := range map[string]schema.Dialect{
		"postgres://app:pw@db/shop":   schema.DialectPostgres,
		"mysql://app:pw@db:3306/shop": schema.DialectMySQL,
		"app:pw@tcp(db:3306)/shop":    schema.DialectMySQL,
	} {
		d, err := introspect.ParseDSN(dsn)
		if err != nil {
			t.Fatal(err)
		}
		l, err := NewLive(&introspect.Config{DSN: d})
		if err != nil || l.Engine.Dialect != want || strings.Contains(l.String(), "pw") {
			t.Errorf("NewLive(%s) = %v (%s), %v", dsn, l, l, err)
		}
	}
}
