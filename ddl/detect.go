package ddl

import (
	"strings"

	"github.com/seamsdev/seams/schema"
)

// detectWindow is how much of a file Detect looks at.
const detectWindow = 256 << 10

// Detect tells a MySQL or MariaDB file from a PostgreSQL one by the marks
// each dialect leaves: a dump's header, backquoted names, ENGINE=,
// executable comments and DELIMITER against pg_catalog.set_config, ::
// casts, dollar-quoted bodies, OWNER TO and psql meta-commands. MariaDB is
// told from MySQL by its name in a dump's header or executable comments
// of its own (/*M!); a MySQL file without either is read as MySQL. A file
// with no mark of either is read as PostgreSQL.
func Detect(src string) schema.Engine {
	head := src
	if len(head) > detectWindow {
		head = head[:detectWindow]
	}
	lower := strings.ToLower(head)
	switch {
	case strings.Contains(lower, "-- mariadb dump"), strings.Contains(head, "/*M!"):
		return schema.MariaDB
	case strings.Contains(lower, "-- mysql dump"):
		if strings.Contains(lower, "mariadb") {
			return schema.MariaDB
		}
		return schema.MySQL
	case strings.Contains(lower, "-- postgresql database dump"):
		return schema.Postgres
	}
	my := strings.Count(head, "`")/2 + 3*strings.Count(lower, "engine=") + 3*strings.Count(head, "/*!") +
		3*strings.Count(lower, "delimiter ") + strings.Count(lower, "auto_increment") + strings.Count(lower, "unsigned")
	pg := 3*strings.Count(lower, "set_config(") + strings.Count(head, "::") + 2*strings.Count(head, "$$") +
		3*strings.Count(lower, "owner to") + 3*strings.Count(head, "\n\\") + 2*strings.Count(lower, "search_path") +
		strings.Count(lower, "timestamptz") + strings.Count(lower, "jsonb") + strings.Count(lower, "as identity") +
		2*strings.Count(lower, "using btree") + strings.Count(lower, "create sequence") + strings.Count(lower, "bigserial")
	if my > pg {
		if strings.Contains(lower, "mariadb") || strings.Contains(lower, "current_timestamp()") || strings.Contains(lower, " persistent") {
			return schema.MariaDB
		}
		return schema.MySQL
	}
	return schema.Postgres
}
