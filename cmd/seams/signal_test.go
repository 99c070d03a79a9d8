package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/seamsdev/seams/fixtures/synth"
)

// TestSignalsCleanUp stops the seams binary with SIGINT, SIGTERM and SIGHUP
// while it writes a site: each must stop it the same way, with a non-zero
// exit and one line on stderr, leaving no temporary directory and no site.
func TestSignalsCleanUp(t *testing.T) {
	gen, err := synth.Generate(synth.Options{Tables: 400, Seed: 16})
	if err != nil {
		t.Fatal(err)
	}
	snap, err := gen.Snapshot("postgres")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	snapPath := filepath.Join(dir, "snapshot.json")
	if err := snap.WriteFile(snapPath); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			parent := t.TempDir()
			cmd := exec.Command(seamsBinary(t), "render", "--snapshot", snapPath, "--out", filepath.Join(parent, "site"))
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Signal once the site is being written beside its target.
			deadline := time.Now().Add(time.Minute)
			for {
				if m, _ := filepath.Glob(filepath.Join(parent, ".site.tmp*")); len(m) > 0 {
					break
				}
				if time.Now().After(deadline) {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("no temporary site directory appeared; stderr: %s", stderr.String())
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != exitFailure {
				t.Errorf("after %s: %v, want exit status %d", sig, err, exitFailure)
			}
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			if last := lines[len(lines)-1]; !strings.HasPrefix(last, "seams: ") || !strings.Contains(last, "signal received") {
				t.Errorf("stderr %q, want its last line to say which signal stopped it", stderr.String())
			}
			if entries, _ := os.ReadDir(parent); len(entries) != 0 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("left behind after %s: %v", sig, names)
			}
		})
	}
}
