package postgres

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// heapPeak samples the Go heap while a run goes on and keeps the highest
// value seen.
type heapPeak struct {
	max  atomic.Uint64
	done chan struct{}
	wg   sync.WaitGroup
}

func (h *heapPeak) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	for {
		old := h.max.Load()
		if m.HeapInuse <= old || h.max.CompareAndSwap(old, m.HeapInuse) {
			return
		}
	}
}
