package app

import (
	"context"
	"fmt"

	"github.com/regie-fr/regie"
)

// ClosingRequest is what the régisseur enters in the closing wizard.
type ClosingRequest struct {
	Count regie.CashCount
	// TerminalTotal is the card terminal's total for the day; nil when the
	// counter has no terminal to read it from.
	TerminalTotal *regie.Money
	Comment       string
}

// PrepareClosing computes the closing of the open session as it would be
// with req, without recording anything: the wizard shows it live.
func (c *Counter) PrepareClosing(ctx context.Context, req ClosingRequest) (*regie.Closing, error) {
	var out *regie.Closing
	err := c.store.View(ctx, func(tx Tx) error {
		var err error
		out, err = c.buildClosing(tx, req)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app: prepare closing: %w", err)
	}
	return out, nil
}

// Close records the arrêté de caisse of the open session's day and seals
// it: after this nothing more is recorded on that day. Only a régisseur or
// a suppléant closes; a difference needs a comment.
func (c *Counter) Close(ctx context.Context, auth *Auth, req ClosingRequest) (*regie.Closing, error) {
	if !auth.agent.Role.CanSupervise() {
		return nil, regie.Errorf(regie.EForbidden, "Seul le régisseur ou son suppléant peut clôturer la caisse.")
	}
	var out *regie.Closing
	err := c.store.Update(ctx, func(tx Tx) error {
		var err error
		if out, err = c.buildClosing(tx, req); err != nil {
			return err
		}
		if (out.Difference != 0 || out.CardDifference() != 0) && blank(req.Comment) {
			return regie.Errorf(regie.ECommentRequired, "Écart de %s en espèces et de %s en carte : un commentaire est obligatoire.",
				out.Difference, out.CardDifference())
		}
		out.ID, out.Agent, out.Comment = c.newID(), auth.agent.ID, req.Comment
		_, err = c.record(tx, regie.KindClosing, out.ID, auth.agent.ID, out.At, out)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app: close: %w", err)
	}
	return out, nil
}

func (c *Counter) buildClosing(tx Tx, req ClosingRequest) (*regie.Closing, error) {
	if err := req.Count.Validate(); err != nil {
		return nil, err
	}
	ident, err := tx.Identity()
	if err != nil {
		return nil, err
	}
	s, closed, err := tx.LastSession()
	if err != nil {
		return nil, err
	} else if s == nil || closed {
		return nil, regie.Errorf(regie.ENoSession, "Aucune caisse ouverte à clôturer.")
	}
	f, err := tx.DayFigures(s.Day)
	if err != nil {
		return nil, err
	}
	prev, err := tx.LastClosing()
	if err != nil {
		return nil, err
	}
	checks, err := tx.ChecksHeld()
	if err != nil {
		return nil, err
	}
	out := &regie.Closing{Counter: ident.Code, Day: s.Day, At: c.instant(), Sessions: []string{s.ID},
		Count: req.Count.Normalized(), Float: s.Float, TerminalTotal: req.TerminalTotal, Checks: checks,
		Payments: f.Payments, Cancellations: f.Cancellations, FirstReceipt: f.FirstReceipt, LastReceipt: f.LastReceipt}
	out.Compute(f, prev)
	return out, nil
}

// MonthTotals adds the closings of a month (YYYY-MM): monthly and yearly
// statements are built from the days, never counted apart.
func (c *Counter) MonthTotals(ctx context.Context, month string) (regie.ModeTotals, []regie.Closing, error) {
	return c.PeriodTotals(ctx, month+"-01", month+"-31")
}

// YearTotals adds the closings of a year (YYYY).
func (c *Counter) YearTotals(ctx context.Context, year string) (regie.ModeTotals, []regie.Closing, error) {
	return c.PeriodTotals(ctx, year+"-01-01", year+"-12-31")
}

// PeriodTotals adds the closings of the days from..to (YYYY-MM-DD,
// included).
func (c *Counter) PeriodTotals(ctx context.Context, from, to string) (regie.ModeTotals, []regie.Closing, error) {
	var cs []regie.Closing
	err := c.store.View(ctx, func(tx Tx) error {
		var err error
		cs, err = tx.Closings(from, to)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("app: period totals: %w", err)
	}
	return regie.SumClosings(cs), cs, nil
}
