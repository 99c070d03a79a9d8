//go:build !unix

package wasmcache

import "errors"

// prepare refuses: without Unix owners and modes the cache cannot be
// checked, so go-graphviz compiles in memory.
func prepare() (string, error) {
	return "", errors.New("no private cache directory on this system")
}
