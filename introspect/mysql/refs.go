package mysql

import (
	"fmt"
	"strings"

	"github.com/seamsdev/seams/introspect"
	"github.com/seamsdev/seams/schema"
	"github.com/seamsdev/seams/sqlrefs"
)

// ViewReads returns the tables and views a view definition reads (names may
// be unqualified) and, when the list may be incomplete, why. It is used
// where the server does not list a view's dependencies (MariaDB, MySQL
// before 8.0.13): the definition is parsed with a MySQL parser.
func ViewReads(def string) ([]schema.TableName, string) {
	refs, err := sqlrefs.MySQL(def)
	if err != nil {
		return refs.Reads, "definition not fully parsed: " + introspect.OneLine(err.Error())
	}
	return refs.Reads, dynamicReason(refs.Dynamic)
}

// TriggerRefs returns the tables a trigger body writes and reads (names may
// be unqualified) and, when the lists may be incomplete, why.
func TriggerRefs(body string) (writes, reads []schema.TableName, unresolved string) {
	refs, err := sqlrefs.MySQLTriggerBody(body)
	var why []string
	if err != nil {
		why = append(why, "body not fully parsed: "+introspect.OneLine(err.Error()))
	}
	if d := dynamicReason(refs.Dynamic); d != "" {
		why = append(why, d)
	}
	return refs.Writes, refs.Reads, strings.Join(why, "; ")
}

// dynamicNote is how dynamicReason says statements were not followed.
const dynamicNote = "not followed (procedure calls or dynamic SQL)"

// dynamicReason says which statements could not be followed statically.
func dynamicReason(dynamic []string) string {
	if len(dynamic) == 0 {
		return ""
	}
	return fmt.Sprintf("%d statement(s) "+dynamicNote+": %s", len(dynamic), listNames(dynamic, 3))
}
