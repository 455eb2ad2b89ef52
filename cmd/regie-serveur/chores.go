package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
)

// chore is work a running server does by itself, every so often: each is
// safe to run on several instances at once (it decides under the store's
// locks, never from what one process remembers — ARCHITECTURE rule 11).
type chore struct {
	name  string
	every time.Duration
	run   func(ctx context.Context, now time.Time) (int, error)
}

// chores are the server's periodic work.
func chores(st *store.Store) []chore {
	return []chore{
		// A server counter's day closes by itself soon after midnight,
		// even when no payment follows it.
		{"close server counters' days", 5 * time.Minute, func(ctx context.Context, now time.Time) (n int, err error) {
			err = st.Update(ctx, func(tx *store.Tx) error {
				n, err = ledger.CloseDays(tx, now)
				return err
			})
			return n, err
		}},
		// Citizens' sessions past their idle or absolute time are deleted
		// (a session read after its time is refused and deleted anyway).
		{"sweep portal sessions", 10 * time.Minute, func(ctx context.Context, now time.Time) (int, error) {
			return st.PortalSessions().SweepSessions(ctx, now.Add(-auth.SessionIdle), now.Add(-auth.SessionMaxAge))
		}},
	}
}

// runChores runs each chore once soon after start, then every its period,
// until ctx is done; a failure is logged and tried again next time.
func runChores(ctx context.Context, cs []chore, log *slog.Logger) {
	for _, c := range cs {
		go func() {
			t := time.NewTimer(10 * time.Second)
			defer t.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
				n, err := c.run(ctx, time.Now())
				if err != nil && ctx.Err() == nil {
					log.Error("chore", "chore", c.name, "err", err)
				} else if n > 0 {
					log.Info("chore", "chore", c.name, "done", n)
				}
				t.Reset(c.every)
			}
		}()
	}
}
