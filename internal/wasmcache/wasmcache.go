// Package wasmcache keeps the native code that go-graphviz compiles from
// its WebAssembly in a directory that only the user running seams can
// write, or in memory.
//
// go-graphviz compiles Graphviz's WebAssembly to native code when the
// program starts and caches the result in $TMPDIR/go-graphviz, a shared
// directory that any user can create first and fill: the next user's seams
// would run the code found there (the cache is checked by CRC only), or
// crash on a directory it cannot write. go-graphviz reads the location
// from os.TempDir() in its package initialisation, so this package, which
// Go initialises before it (packages are initialised in import-path order
// once their imports are, and this one needs nothing go-graphviz does not),
// points TMPDIR at the user's own cache directory for that moment, and
// Restore, called by the importer of go-graphviz, puts TMPDIR back.
//
// The cache is os.UserCacheDir()/seams/graphviz-wasm, created 0700. It is
// used only when it is a real directory owned by the user, closed to group
// and others, inside directories that only the user or root can change (or
// sticky ones, like /tmp), and writable. Otherwise go-graphviz compiles in
// memory: slower to start, never code from elsewhere, never a crash.
package wasmcache

import (
	"errors"
	"os"
)

// tmpdirEnv is the variable os.TempDir reads on Unix.
const tmpdirEnv = "TMPDIR"

// noCache is a TMPDIR under which go-graphviz can neither find nor create
// its cache directory, so that it compiles in memory.
const noCache = "/dev/null/seams-no-wasm-cache"

var (
	// dir is the cache directory handed to go-graphviz; "" means memory.
	dir string
	// reason says why the cache is in memory.
	reason error
	// saved is TMPDIR as the program was started with it.
	saved    string
	hadSaved bool
	restored bool
)

func init() {
	saved, hadSaved = os.LookupEnv(tmpdirEnv)
	dir, reason = prepare()
	if reason != nil {
		dir = ""
		os.Setenv(tmpdirEnv, noCache)
		return
	}
	os.Setenv(tmpdirEnv, dir)
}

// Restore puts TMPDIR back as the program was started with it. The package
// that imports go-graphviz calls it from its own initialisation, which Go
// runs after go-graphviz's.
func Restore() {
	if restored {
		return
	}
	restored = true
	if hadSaved {
		os.Setenv(tmpdirEnv, saved)
	} else {
		os.Unsetenv(tmpdirEnv)
	}
}

// Dir returns the directory go-graphviz keeps its compiled code in, or an
// error that says why it compiles in memory.
func Dir() (string, error) {
	if reason != nil {
		return "", reason
	}
	if dir == "" {
		return "", errors.New("no cache directory")
	}
	return dir, nil
}
