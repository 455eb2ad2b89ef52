package payfip

import (
	"context"
	"time"

	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// settleBatch bounds the orders one Settle asks about.
const settleBatch = 100

// Settle asks PayFiP about the orders that have waited PendingFor without
// an outcome — their notification never came, or came to an instance that
// failed — and records what it answers, as a notification would. Orders
// older than a week are left alone: PayFiP purges idOps long before. serve
// runs it every minute or so, on any number of instances (Check records
// each outcome once). It returns how many orders it settled.
func (s *Service) Settle(ctx context.Context, now time.Time) (int, error) {
	var orders []store.PayFiPOrder
	err := s.st.View(ctx, func(tx *store.Tx) (err error) {
		orders, err = tx.PayFiPToSettle(now.Add(-7*24*time.Hour), now.Add(-s.cfg.PendingFor), settleBatch)
		return err
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, o := range orders {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		out, err := s.Check(ctx, o.IdOp)
		if err != nil {
			s.log.Warn("payfip: settle", "idop", o.IdOp, "err", err)
			continue
		}
		if out.State != portal.OnlinePending {
			n++
		}
	}
	return n, nil
}
