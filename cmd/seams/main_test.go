package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seams runs the CLI in-process and returns its exit code and output.
func seams(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	t.Setenv("SEAMS_DSN", "")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"introspect", "--nope"}, "seams: unknown flag: --nope (see 'seams introspect --help')"},
		{"no input", []string{"introspect"}, "seams: no input: pass --dsn, set SEAMS_DSN, or pass --snapshot FILE"},
		{"unsupported scheme", []string{"introspect", "--dsn", "oracle://scott:tiger@db/orcl"}, `seams: unsupported DSN scheme "oracle://" (host db): use postgres://, postgresql:// or mysql://`},
		{"malformed", []string{"introspect", "--dsn", "app:tiger@tcp(db/shop"}, "seams: malformed MySQL DSN: invalid DSN: network address not terminated"},
		{"both inputs", []string{"introspect", "--dsn", "postgres://x@y/z", "--snapshot", "s.json"}, "seams: --dsn, --snapshot and --schema-file are mutually exclusive: give one"},
		{"schema on mysql", []string{"introspect", "--dsn", "mysql://root@127.0.0.1/x", "--schema", "a"}, "seams: --schema applies to PostgreSQL only"},
		{"bad pattern", []string{"introspect", "--dsn", "postgres://x@y/z", "--exclude", "[a-"}, `seams: --exclude "[a-": malformed pattern`},
		{"extra argument", []string{"version", "extra"}, `seams: version takes no arguments, got "extra"`},
		{"bad timeout", []string{"introspect", "--dsn", "postgres://x@y/z", "--statement-timeout", "soon"}, `seams: invalid argument "soon" for "--statement-timeout" flag`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := seams(t, tt.args...)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d (stderr %q)", code, exitUsage, stderr)
			}
			if !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("stderr = %q, want prefix %q", stderr, tt.want)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("error is not one line: %q", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if strings.Contains(stderr, "tiger") {
				t.Errorf("password shown: %q", stderr)
			}
		})
	}
}

func TestRuntimeErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"format": 1, "tabels": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
		code int
	}{
		{"unreachable", []string{"introspect", "--dsn", "postgres://app:tiger@127.0.0.1:1/shop", "--connect-timeout", "2s"}, "seams: introspect postgres://app:***@127.0.0.1:1/shop: cannot reach 127.0.0.1:1", exitFailure},
		// An input file missing or invalid is a mistake in what was given.
		{"missing snapshot", []string{"introspect", "--snapshot", filepath.Join(dir, "none.json")}, "seams: read snapshot: open ", exitUsage},
		{"bad snapshot", []string{"introspect", "--snapshot", bad}, "seams: " + bad + `: not a seams snapshot: unknown field "tabels" at byte 14`, exitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := seams(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.code, stderr)
			}
			if !strings.HasPrefix(stderr, tt.want) {
				t.Errorf("stderr = %q, want prefix %q", stderr, tt.want)
			}
			if strings.Contains(stderr, "tiger") {
				t.Errorf("password shown: %q", stderr)
			}
		})
	}
}

func TestVersionAndHelp(t *testing.T) {
	code, out, _ := seams(t, "version")
	if code != 0 || !strings.HasPrefix(out, "seams ") {
		t.Errorf("version: code %d, out %q", code, out)
	}
	for _, args := range [][]string{{"--help"}, {"introspect", "--help"}, {"version", "--help"}} {
		code, out, _ := seams(t, args...)
		if code != 0 || !strings.Contains(out, "Example") && !strings.Contains(out, "Examples") {
			t.Errorf("%v: code %d, no examples in %q", args, code, out)
		}
	}
}
