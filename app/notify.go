package app

import (
	"context"
	"sync/atomic"

	"github.com/regie-fr/regie"
)

// OnRecorded sets f to be called after every transaction that committed at
// least one journal entry, whichever use case wrote it: the sync client
// pushes a new payment within seconds instead of at its next round. f runs
// on the caller's goroutine after the commit and must not block (the sync
// client's nudge is a non-blocking channel send). nil stops the calls.
func (c *Counter) OnRecorded(f func()) {
	if f == nil {
		c.recorded.Store(nil)
		return
	}
	c.recorded.Store(&f)
}

// watchedStore is the counter's store seen through its use cases: Update
// notes whether the transaction appended to the journal and, once it has
// committed, says so to OnRecorded's function. Watching the store rather
// than each use case means no write path can forget to tell.
type watchedStore struct {
	Store
	recorded *atomic.Pointer[func()]
}

func (w watchedStore) Update(ctx context.Context, fn func(Tx) error) error {
	t := &watchedTx{}
	err := w.Store.Update(ctx, func(tx Tx) error {
		t.Tx, t.appended = tx, false // a retried transaction starts afresh
		return fn(t)
	})
	if err == nil && t.appended {
		if f := w.recorded.Load(); f != nil {
			(*f)()
		}
	}
	return err
}

// watchedTx notes an Append.
type watchedTx struct {
	Tx
	appended bool
}

func (t *watchedTx) Append(e *regie.Entry, obj any) error {
	err := t.Tx.Append(e, obj)
	if err == nil {
		t.appended = true
	}
	return err
}
