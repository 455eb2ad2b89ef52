package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/sync/protocol"
)

// ErrNotEnrolled is returned by Sync before the counter has a server and a
// credential.
var ErrNotEnrolled = errors.New("sync: counter not enrolled")

// Sync runs one round now and waits for it: push every entry the server has
// not acknowledged, then pull every page of reference data. It updates
// State either way. Run calls it; tests and the "Synchroniser" button of a
// console tool may too.
func (c *Client) Sync(ctx context.Context) error {
	return c.runRound(ctx, func(p app.SyncPoint) (app.SyncPoint, error) {
		p, err := c.push(ctx, p)
		if err == nil {
			err = c.pull(ctx, p)
		}
		// New settings are journaled when they are applied: send that
		// entry now rather than at the next round.
		if err == nil {
			if p, err = c.local.SyncPoint(ctx); err == nil && p.Pending() > 0 {
				p, err = c.push(ctx, p)
			}
		}
		return p, err
	})
}

// Push sends what the server has not acknowledged, and pulls nothing: the
// round a Nudge brings.
func (c *Client) Push(ctx context.Context) error {
	return c.runRound(ctx, func(p app.SyncPoint) (app.SyncPoint, error) {
		if p.Pending() == 0 {
			return p, nil
		}
		return c.push(ctx, p)
	})
}

// runRound runs one round at a time: it marks State as syncing, runs work
// on an enrolled counter's sync point and records the outcome.
func (c *Client) runRound(ctx context.Context, work func(app.SyncPoint) (app.SyncPoint, error)) error {
	c.round.Lock()
	defer c.round.Unlock()
	c.mu.Lock()
	c.state.Syncing = true
	c.mu.Unlock()
	p, err := c.local.SyncPoint(ctx)
	if err == nil && !p.Enrolled() {
		err = ErrNotEnrolled
	}
	if err == nil {
		p, err = work(p)
	}
	if q, e := c.local.SyncPoint(ctx); e == nil {
		p = q
	}
	c.finish(p, err)
	return err
}

// finish records a round's outcome in State.
func (c *Client) finish(p app.SyncPoint, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.state.Syncing = false
	c.state.Configured = p.Enrolled()
	c.state.Pending = p.Pending()
	if err == nil {
		c.state.Online, c.state.LastError, c.state.LastSuccess = true, "", c.opt.Now()
		return
	}
	c.state.Online, c.state.LastError = describe(err)
}

// push sends the journal after the last acknowledged entry, batch after
// batch, recording each acknowledgement as it comes. When the server holds
// less than the counter thought (its database restored from a backup) it
// says so with its last seq, and the push starts again from there, once.
func (c *Client) push(ctx context.Context, p app.SyncPoint) (app.SyncPoint, error) {
	p, rewind, err := c.pushFrom(ctx, p)
	if rewind >= 0 {
		c.log.Warn("server holds less than acknowledged: pushing again from its last entry",
			"acked", p.Acked, "server_last", rewind)
		p.Acked = rewind
		p, _, err = c.pushFrom(ctx, p)
	}
	return p, err
}

// outgoing is a batch read from the counter file and encoded, ready to send.
type outgoing struct {
	body []byte
	last int64
	err  error
}

// pushFrom pushes from p.Acked on. The next batch is read and encoded while
// the server stores the current one, so that the counter's work and the
// server's overlap. It returns the server's last seq when the server holds
// less than p.Acked (rewind ≥ 0), else rewind = -1.
func (c *Client) pushFrom(ctx context.Context, p app.SyncPoint) (_ app.SyncPoint, rewind int64, _ error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan outgoing, 1)
	go func() {
		defer close(batches)
		after := p.Acked
		for {
			batch, err := c.local.JournalSince(ctx, after, c.opt.BatchSize)
			var out outgoing
			if err == nil && len(batch) == 0 {
				return
			} else if err == nil {
				out.last = batch[len(batch)-1].Seq
				out.body, err = protocol.MarshalPush(batch[0].Counter, batch)
			}
			out.err = err
			select {
			case batches <- out:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
			after = out.last
		}
	}()
	// Acknowledgements are written to the counter file by a goroutine of
	// their own, the latest one winning, so that the next batch leaves
	// without waiting for that write; an acknowledgement written late only
	// means a few entries sent again after a crash, which the server ignores.
	acks := make(chan int64, 1)
	ackErr := make(chan error, 1)
	go func() {
		var err error
		for seq := range acks {
			if err == nil {
				err = c.local.Acknowledge(context.WithoutCancel(ctx), seq)
			}
		}
		ackErr <- err
	}()
	ack := func(seq int64) {
		select {
		case acks <- seq:
		case <-acks: // replace a pending one with this later one
			acks <- seq
		}
	}
	finish := func(rewind int64, err error) (app.SyncPoint, int64, error) {
		close(acks)
		if e := <-ackErr; err == nil {
			err = e
		}
		return p, rewind, err
	}
	for b := range batches {
		if b.err != nil {
			return finish(-1, b.err)
		}
		var res protocol.PushResponse
		err := c.call(ctx, p, "POST", protocol.PathPush, b.body, &res)
		var pe *protocol.Error
		if errors.As(err, &pe) && pe.Body.Code == protocol.CodeSequenceGap && pe.Body.LastSeq < p.Acked {
			return finish(pe.Body.LastSeq, nil)
		}
		if err != nil {
			return finish(-1, err)
		}
		if res.LastSeq < b.last {
			return finish(-1, fmt.Errorf("sync: server acknowledged up to %d after a batch ending at %d", res.LastSeq, b.last))
		}
		ack(res.LastSeq)
		p.Acked = res.LastSeq
		c.log.Debug("pushed", "stored", res.Stored, "ignored", res.Ignored, "last_seq", res.LastSeq)
	}
	return finish(-1, nil)
}

// pull asks for every page changed since the cursor and applies each one,
// in order, before its cursor is saved, so a round cut short keeps what it
// got. The next page is fetched while the counter stores this one.
func (c *Client) pull(ctx context.Context, p app.SyncPoint) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type page struct {
		res *protocol.PullResponse
		err error
	}
	pages := make(chan page, 1)
	go func() {
		defer close(pages)
		cursor := p.Cursor
		for {
			res := &protocol.PullResponse{}
			path := fmt.Sprintf("%s?cursor=%s&limit=%d", protocol.PathPull, queryEscape(cursor), c.opt.PullLimit)
			err := c.call(ctx, p, "GET", path, nil, res)
			select {
			case pages <- page{res, err}:
			case <-ctx.Done():
				return
			}
			if err != nil || !res.More {
				return
			}
			cursor = res.Cursor
		}
	}()
	for pg := range pages {
		if pg.err != nil {
			return pg.err
		}
		if err := c.local.ApplyPull(ctx, fromWire(pg.res)); err != nil {
			return err
		}
	}
	return nil
}

// fromWire turns a pull page into what the counter stores.
func fromWire(res *protocol.PullResponse) app.Pull {
	out := app.Pull{Cursor: res.Cursor, Reference: app.Reference{AsOfSeq: res.AsOfSeq}}
	if res.Settings != nil && res.Counter != nil {
		s, c := res.Settings.ToRegie(), res.Counter.ToRegie()
		out.Settings, out.Counter = &s, &c
		out.Agents = make([]regie.Agent, len(res.Agents))
		for i, a := range res.Agents {
			out.Agents[i] = a.ToRegie()
		}
	}
	ref := &out.Reference
	ref.Households = make([]regie.Household, len(res.Households))
	for i, h := range res.Households {
		ref.Households[i] = h.ToRegie()
	}
	ref.Invoices = make([]regie.Invoice, len(res.Invoices))
	for i, inv := range res.Invoices {
		ref.Invoices[i] = inv.ToRegie()
	}
	ref.Items = make([]regie.CatalogueItem, len(res.Items))
	for i, it := range res.Items {
		ref.Items[i] = it.ToRegie()
	}
	return out
}
