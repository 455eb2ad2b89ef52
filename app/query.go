package app

import (
	"context"
	"fmt"

	"github.com/regie-fr/regie"
)

// view runs fn in a read transaction and names the use case in errors.
func (c *Counter) view(ctx context.Context, what string, fn func(Tx) error) error {
	if err := c.store.View(ctx, fn); err != nil {
		return fmt.Errorf("app: %s: %w", what, err)
	}
	return nil
}

// Search finds households by name, account number, member or invoice
// number, offline, from the local copy.
func (c *Counter) Search(ctx context.Context, q string) (hs []regie.Household, err error) {
	err = c.view(ctx, "search", func(tx Tx) error {
		hs, err = tx.SearchHouseholds(q, 50)
		return err
	})
	return hs, err
}

// OpenInvoices lists what a household still owes, with the remaining
// amounts as this counter knows them.
func (c *Counter) OpenInvoices(ctx context.Context, householdID string) (inv []regie.Invoice, err error) {
	err = c.view(ctx, "open invoices", func(tx Tx) error {
		inv, err = tx.OpenInvoices(householdID)
		return err
	})
	return inv, err
}

// Catalogue lists the tariffs that can be sold without an invoice.
func (c *Counter) Catalogue(ctx context.Context) (items []regie.CatalogueItem, err error) {
	err = c.view(ctx, "catalogue", func(tx Tx) error {
		items, err = tx.Catalogue()
		return err
	})
	return items, err
}

// Agents lists who may log in at this counter.
func (c *Counter) Agents(ctx context.Context) (as []regie.Agent, err error) {
	err = c.view(ctx, "agents", func(tx Tx) error {
		as, err = tx.Agents()
		return err
	})
	return as, err
}

// Payment reads one payment and its cancellation, if any.
func (c *Counter) Payment(ctx context.Context, id string) (p *regie.Payment, cancel *regie.Cancellation, err error) {
	err = c.view(ctx, "payment", func(tx Tx) error {
		if p, err = tx.Payment(id); err != nil {
			return err
		} else if p == nil {
			return regie.Errorf(regie.EPaymentNotFound, "Paiement introuvable.")
		}
		cancel, err = tx.CancellationOf(id)
		return err
	})
	return p, cancel, err
}

// DayJournal lists every journal entry of a day (YYYY-MM-DD), from the
// till's opening on, in order.
func (c *Counter) DayJournal(ctx context.Context, day string) (es []regie.Entry, err error) {
	err = c.view(ctx, "day journal", func(tx Tx) error {
		from, to, err := tx.DaySpan(day)
		if err != nil || from == 0 {
			return err
		}
		es, err = tx.Entries(from, to)
		return err
	})
	return es, err
}

// DayFigures gives a day's takings per mode, cancellations, deposits.
func (c *Counter) DayFigures(ctx context.Context, day string) (f *regie.DayFigures, err error) {
	err = c.view(ctx, "day figures", func(tx Tx) error {
		f, err = tx.DayFigures(day)
		return err
	})
	return f, err
}

// TillState is the till as the status bar shows it.
type TillState struct {
	Session *regie.TillSession
	Open    bool
	Today   string
}

// Till says whether the till is open and for which day.
func (c *Counter) Till(ctx context.Context) (st TillState, err error) {
	st.Today = c.day(c.now())
	err = c.view(ctx, "till", func(tx Tx) error {
		s, closed, err := tx.LastSession()
		st.Session, st.Open = s, s != nil && !closed
		return err
	})
	return st, err
}

// Today is the régie's current day (YYYY-MM-DD).
func (c *Counter) Today() string { return c.day(c.now()) }
