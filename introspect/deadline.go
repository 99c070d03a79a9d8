package introspect

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// The client's own deadlines. The server's statement timeout ends a slow
// statement with a clear message; these end a run whose server or network
// stops answering, which no server setting can: a reply deadline on every
// wait for the server, and a deadline for the whole run.

// DefaultRunTimeout bounds a whole run when Config.RunTimeout is zero.
const DefaultRunTimeout = 15 * time.Minute

// RunTimeoutOrDefault returns the deadline of the whole run.
func (c *Config) RunTimeoutOrDefault() time.Duration {
	if c.RunTimeout > 0 {
		return c.RunTimeout
	}
	return DefaultRunTimeout
}

// ReplyTimeout is how long a wait for the server may make no progress:
// the statement timeout, plus as much again (at least 1 s, at most 5 s) so
// that the server's own timeout, which says more, comes first.
func (c *Config) ReplyTimeout() time.Duration {
	st := c.StatementTimeoutOrDefault()
	return st + min(max(st, time.Second), 5*time.Second)
}

// runTimeout is the cause of a run context that reached its deadline.
type runTimeout struct{ d time.Duration }

func (e *runTimeout) Error() string {
	return fmt.Sprintf("the run took longer than %s (--timeout)", e.d)
}

// RunContext returns ctx bounded by the run's deadline. An engine runs
// everything in it and explains its errors with Interrupted.
func (c *Config) RunContext(ctx context.Context) (context.Context, context.CancelFunc) {
	d := c.RunTimeoutOrDefault()
	return context.WithTimeoutCause(ctx, d, &runTimeout{d})
}

// Interrupted says why err ended a run in the run context ctx when one of
// the client's deadlines did: the run's (ctx's cause), or a reply the
// guard g waited for in vain. It returns "" for other errors.
func Interrupted(ctx context.Context, g *ReplyGuard, err error) string {
	var rt *runTimeout
	if errors.As(context.Cause(ctx), &rt) {
		return rt.Error()
	}
	if g != nil && g.Stalled() {
		return fmt.Sprintf("the server stopped answering: no reply within %s (the statement timeout and a margin; the server or the network is stuck)", g.Timeout)
	}
	return ""
}

// ReplyGuard bounds every wait for the server on the connections it dials:
// a read or a write that makes no progress for Timeout fails, and Stalled
// reports it. A deadline the driver sets itself (to cancel a statement)
// still applies when it is earlier.
type ReplyGuard struct {
	Timeout time.Duration
	stalled atomic.Bool
}

// NewReplyGuard returns a guard with the reply timeout of c.
func (c *Config) NewReplyGuard() *ReplyGuard { return &ReplyGuard{Timeout: c.ReplyTimeout()} }

// Stalled reports whether a wait for the server timed out.
func (g *ReplyGuard) Stalled() bool { return g.stalled.Load() }

// Dial wraps a dial function: the connections it returns are guarded.
// dial nil means a net.Dialer's.
func (g *ReplyGuard) Dial(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	if dial == nil {
		dial = (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext
	}
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return &guardedConn{Conn: c, g: g}, nil
	}
}

// guardedConn sets a deadline Timeout from now before each read and write,
// or the driver's own deadline when that is earlier.
type guardedConn struct {
	net.Conn
	g *ReplyGuard

	mu              sync.Mutex
	readDL, writeDL time.Time // deadlines the driver set
}

func (c *guardedConn) Read(b []byte) (int, error) {
	c.mu.Lock()
	err := c.Conn.SetReadDeadline(earlier(c.readDL, time.Now().Add(c.g.Timeout)))
	c.mu.Unlock()
	if err != nil {
		return 0, err
	}
	n, err := c.Conn.Read(b)
	c.check(err, &c.readDL)
	return n, err
}

func (c *guardedConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	err := c.Conn.SetWriteDeadline(earlier(c.writeDL, time.Now().Add(c.g.Timeout)))
	c.mu.Unlock()
	if err != nil {
		return 0, err
	}
	n, err := c.Conn.Write(b)
	c.check(err, &c.writeDL)
	return n, err
}

// check records a timeout that the guard's deadline, not the driver's,
// caused.
func (c *guardedConn) check(err error, driverDL *time.Time) {
	var ne net.Error
	if err == nil || !errors.As(err, &ne) || !ne.Timeout() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if driverDL.IsZero() || time.Now().Before(*driverDL) {
		c.g.stalled.Store(true)
	}
}

func (c *guardedConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readDL, c.writeDL = t, t
	return c.Conn.SetDeadline(t)
}

func (c *guardedConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readDL = t
	return c.Conn.SetReadDeadline(t)
}

func (c *guardedConn) SetWriteDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writeDL = t
	return c.Conn.SetWriteDeadline(t)
}

// earlier returns the earlier of a driver's deadline (zero: none) and t.
func earlier(driver, t time.Time) time.Time {
	if !driver.IsZero() && driver.Before(t) {
		return driver
	}
	return t
}
