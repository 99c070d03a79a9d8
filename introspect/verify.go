package introspect

import (
	"github.com/seamsdev/seams/infer"
	"github.com/seamsdev/seams/schema"
)

// Verify checks each inferred reference of s whose score is at least
// threshold with run, which executes one infer.AntiJoin query and reports whether
// it returned a row, and records the result on the reference. A failed
// check (a timeout, a missing privilege) is recorded with its reason and
// does not stop the others; run returns a non-nil fatal error to stop (a
// lost connection, a cancelled context).
func Verify(s *schema.Snapshot, threshold float64, run func(query string, args []any) (orphans bool, err, fatal error)) error {
	dialect, _ := s.Source.Engine.Dialect()
	for i := range s.Inferred {
		r := &s.Inferred[i]
		if r.Score < threshold {
			continue
		}
		q, args := infer.AntiJoin(dialect, r)
		orphans, err, fatal := run(q, args)
		if fatal != nil {
			return fatal
		}
		v := &schema.Verification{Checked: err == nil, Orphans: orphans}
		if err != nil {
			v.Error = OneLine(err.Error())
		}
		r.Verified = v
	}
	return nil
}
