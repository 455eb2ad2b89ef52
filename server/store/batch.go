package store

import (
	"runtime"
	"sync"

	"github.com/regie-fr/regie"
)

// Batch is a run of a counter's journal entries made ready for PushChecked outside
// the write transaction: each entry's link to the one before it in the
// batch checked (regie.CheckLink, which recomputes its hash), and what it
// records decoded. That work is pure computation, so it is spread over the
// processors and keeps the single writer busy only with writing.
type Batch struct {
	entries []regie.Entry
	links   []error // links[i]: CheckLink(&entries[i-1], &entries[i]); links[0] is checked in PushChecked, against the stored head
	objs    []any   // what regie.DecodeEntry gives, nil when it failed
	decode  []error // what it said then
}

// PrepareBatch checks and decodes entries, given in order with consecutive
// sequence numbers.
func PrepareBatch(entries []regie.Entry) *Batch {
	b := &Batch{entries: entries, links: make([]error, len(entries)), objs: make([]any, len(entries)),
		decode: make([]error, len(entries))}
	workers := min(runtime.GOMAXPROCS(0), max(len(entries)/64, 1))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(entries); i += workers {
				b.prepare(i)
			}
		}()
	}
	wg.Wait()
	return b
}

func (b *Batch) prepare(i int) {
	e := &b.entries[i]
	if i > 0 {
		b.links[i] = regie.CheckLink(&b.entries[i-1], e)
	}
	b.objs[i], b.decode[i] = regie.DecodeEntry(e)
}
