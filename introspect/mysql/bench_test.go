package mysql

import (
	"sync"
)

// heapPeak samples the Go heap in use until stopped, keeping the maximum.
type heapPeak struct {
	done chan struct{}
	wg   sync.WaitGroup
	max  uint64
}
