package testdb

import (
	"bytes"
	"net"
	"sync"
	"testing"
)

// StallingRelay listens on 127.0.0.1 and relays each connection to target
// (host:port) until the client sends marker (a statement's text, say):
// from then on it forwards nothing either way and keeps the connection
// open, like a server or a network that stops answering after the
// handshake. It returns the address to connect to; everything is closed
// when the test ends.
func StallingRelay(t testing.TB, target, marker string) string {
	return startRelay(t, target, marker, false)
}

// CuttingRelay is StallingRelay, except that it closes the connection when
// the client sends marker, like a server that dies.
func CuttingRelay(t testing.TB, target, marker string) string {
	return startRelay(t, target, marker, true)
}

func startRelay(t testing.TB, target, marker string, cut bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testdb: relay: %v", err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	track := func(c net.Conn) {
		mu.Lock()
		conns = append(conns, c)
		mu.Unlock()
	}
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", target)
			if err != nil {
				client.Close()
				continue
			}
			track(client)
			track(server)
			go relay(client, server, []byte(marker), cut)
		}
	}()
	return ln.Addr().String()
}

// relay copies between client and server until the client sends marker,
// then swallows what either side sends, or closes both when cut.
func relay(client, server net.Conn, marker []byte, cut bool) {
	var mu sync.Mutex
	stalled := false
	go func() {
		buf := make([]byte, 32<<10)
		for {
			n, err := server.Read(buf)
			mu.Lock()
			s := stalled
			mu.Unlock()
			if n > 0 && !s {
				if _, err := client.Write(buf[:n]); err != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	buf := make([]byte, 32<<10)
	var tail []byte // the end of what was sent, for a marker split across reads
	for {
		n, err := client.Read(buf)
		if n > 0 {
			mu.Lock()
			if !stalled {
				seen := append(tail, buf[:n]...)
				if bytes.Contains(seen, marker) {
					stalled = true
					if cut {
						client.Close()
						server.Close()
					}
				} else if _, werr := server.Write(buf[:n]); werr != nil {
					mu.Unlock()
					return
				}
				tail = seen[max(0, len(seen)-len(marker)):]
			}
			mu.Unlock()
		}
		if err != nil {
			return
		}
	}
}
