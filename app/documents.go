package app

import (
	"context"
	"encoding/json"

	"github.com/regie-fr/regie"
)

// ReceiptInfo is everything a receipt shows besides the payment itself:
// who, for whom, what remains due, and the journal hash that proves it.
type ReceiptInfo struct {
	Regie        regie.Regie
	Counter      regie.Counter
	Payment      *regie.Payment
	Cancellation *regie.Cancellation
	Hash         string
	AgentName    string
	CancelledBy  string
	Household    *regie.Household
	// Remaining is what each settled invoice still owes now, as this
	// counter knows it.
	Remaining map[string]regie.Money
}

// ReceiptInfo gathers what printing a payment's receipt needs.
func (c *Counter) ReceiptInfo(ctx context.Context, paymentID string) (*ReceiptInfo, error) {
	out := &ReceiptInfo{Remaining: map[string]regie.Money{}}
	err := c.view(ctx, "receipt info", func(tx Tx) error {
		settings, ident, err := c.config(tx)
		if err != nil {
			return err
		}
		out.Regie, out.Counter = *settings, *ident
		e, err := tx.Entry(paymentID)
		if err != nil {
			return err
		} else if e == nil || e.Kind != regie.KindPayment {
			return regie.Errorf(regie.EPaymentNotFound, "Paiement introuvable.")
		}
		out.Hash = e.Hash
		var p regie.Payment
		if err := json.Unmarshal(e.Data, &p); err != nil {
			return err
		}
		out.Payment = &p
		if out.Cancellation, err = tx.CancellationOf(p.ID); err != nil {
			return err
		}
		out.AgentName = c.agentName(tx, p.Agent)
		if out.Cancellation != nil {
			out.CancelledBy = c.agentName(tx, out.Cancellation.ApprovedBy)
		}
		if p.HouseholdID != "" {
			if out.Household, err = tx.Household(p.HouseholdID); err != nil {
				return err
			}
		}
		for _, a := range p.Allocations {
			if a.InvoiceID == "" {
				continue
			}
			inv, err := tx.Invoice(a.InvoiceID)
			if err != nil {
				return err
			} else if inv != nil {
				out.Remaining[a.InvoiceID] = inv.Remaining
			}
		}
		return nil
	})
	return out, err
}

// ClosingInfo gathers what printing the Z report of a closed day needs,
// from the journal alone (ClosingInfoFromJournal): the same report as the
// server rebuilds from its copy, byte for byte.
func (c *Counter) ClosingInfo(ctx context.Context, cl *regie.Closing) (*ClosingInfo, error) {
	var out *ClosingInfo
	err := c.view(ctx, "closing info", func(tx Tx) error {
		settings, ident, err := c.config(tx)
		if err != nil {
			return err
		}
		closing, err := tx.Entry(cl.ID)
		if err != nil {
			return err
		} else if closing == nil || closing.Kind != regie.KindClosing {
			return regie.Errorf(regie.ENotFound, "Arrêté de caisse introuvable.")
		}
		versions, err := tx.SettingsEntries(closing.Seq)
		if err != nil {
			return err
		}
		from, to, err := tx.DaySpan(cl.Day)
		if err != nil {
			return err
		}
		day, err := tx.Entries(from, to)
		if err != nil {
			return err
		}
		out, err = ClosingInfoFromJournal(ident.Name, settings, versions, day, closing)
		return err
	})
	return out, err
}

func (c *Counter) agentName(tx Tx, id string) string {
	if a, err := tx.Agent(id); err == nil && a != nil {
		return a.Name
	}
	return id
}
