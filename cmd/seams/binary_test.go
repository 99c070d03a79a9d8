package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// The seams binary, built once for the tests that run it as a process (as
// another user, or to send it a signal).
var (
	binOnce sync.Once
	binDir  string
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// seamsBinary builds the seams command into a directory every user may
// read and run, once per test run, and returns its path. SEAMS_TEST_BINARY
// names a binary built already (to run the tests as a user who cannot
// build, say).
func seamsBinary(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("SEAMS_TEST_BINARY"); p != "" {
		return p
	}
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "seams-bin")
		if binErr != nil {
			return
		}
		if binErr = os.Chmod(binDir, 0o755); binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "seams")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// account is who a process of the binary runs as.
type account struct {
	uid, gid int
}

// self is the user running the tests.
var self = account{os.Getuid(), os.Getgid()}

// otherUser returns a user id no account uses (and its group), for running
// seams as a second, unprivileged user. Switching users needs root: the
// test is skipped otherwise, and says so.
func otherUser(t *testing.T) account {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("running seams as a second user needs root (to set the process's user id); run the tests as root to cover this")
	}
	for uid := 61000; uid < 62000; uid++ {
		if _, err := user.LookupId(strconv.Itoa(uid)); err != nil {
			return account{uid, uid}
		}
	}
	t.Skip("no free user id between 61000 and 62000")
	return account{}
}

// userDir makes a directory owned by a with the given mode.
func userDir(t *testing.T, a account, mode os.FileMode, parts ...string) string {
	t.Helper()
	d := filepath.Join(parts...)
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(d, a.uid, a.gid); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(d, mode); err != nil {
		t.Fatal(err)
	}
	return d
}

// publicTempDir returns a temporary directory that every user may enter,
// removed when the test ends (t.TempDir's are closed to others).
func publicTempDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "seams-test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	if err := os.Chmod(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// runBinary runs the seams binary as a, in dir, with exactly the
// environment env (plus PATH), and returns its exit code and output.
func runBinary(t *testing.T, a account, dir string, env []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	cmd := exec.Command(seamsBinary(t), args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	if a != self {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(a.uid), Gid: uint32(a.gid)}}
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		code = ee.ExitCode()
	default:
		t.Fatalf("run seams: %v", err)
	}
	return code, out.String(), errb.String()
}

// readTestFile reads a file or fails the test.
func readTestFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
