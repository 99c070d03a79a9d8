package main

import (
	"strings"
	"testing"
)

func TestIntrospectUsageFlagErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"introspect", "--snapshot", fixtureSnapshot, "--usage"}, "seams: --usage reads the server's statistics: use it with --dsn"},
		{[]string{"introspect", "--dsn", "postgres://x@y/z", "--code-root", "."}, "seams: --code-root and --log go with --usage"},
	} {
		code, _, stderr := seams(t, tt.args...)
		if code != exitUsage || !strings.HasPrefix(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
}
