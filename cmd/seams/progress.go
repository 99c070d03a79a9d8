package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/seamsdev/seams/introspect"
)

// progress prints steps of long work on stderr when it is a terminal and
// stays quiet in pipes and CI.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool
	start time.Time
	last  int
}

func newProgress(w io.Writer) *progress {
	return &progress{w: w, on: isTerminal(w) && os.Getenv("CI") == "", start: time.Now()}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// Step shows the current step, overwriting the previous one.
func (p *progress) Step(msg string) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	line := fmt.Sprintf("%5.1fs %s", time.Since(p.start).Seconds(), msg)
	pad := p.last - len(line)
	if pad < 0 {
		pad = 0
	}
	fmt.Fprintf(p.w, "\r%s%*s", line, pad, "")
	p.last = len(line)
}

// Done clears the progress line.
func (p *progress) Done() {
	if p == nil || !p.on || p.last == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r%*s\r", p.last, "")
	p.last = 0
}

// Warn prints a warning on stderr, on a line of its own.
func (p *progress) Warn(msg string) {
	if p == nil {
		return
	}
	p.Done()
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "seams: warning: %s\n", introspect.OneLine(msg))
}
