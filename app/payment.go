package app

import (
	"context"
	"fmt"

	"github.com/regie-fr/regie"
)

// PaymentRequest is what the cashier screen hands over when the agent
// validates. ID may be set by the caller so that a retry after a crash is
// recognised instead of recorded twice.
type PaymentRequest struct {
	ID          string
	HouseholdID string
	Payer       string
	Tenders     []regie.Tender
	Allocations []regie.Allocation
	// CreditApproval is the régisseur's or suppléant's consent to cash more
	// than an invoice's remaining amount (trop-perçu); not needed when the
	// agent is one.
	CreditApproval *Auth
}

// RecordPayment checks a payment against the régie's rules and the till's
// state, gives it the next receipt number and records it durably, all in
// one transaction: when it returns, the receipt can be printed.
func (c *Counter) RecordPayment(ctx context.Context, auth *Auth, req PaymentRequest) (*regie.Payment, error) {
	var p *regie.Payment
	err := c.store.Update(ctx, func(tx Tx) error {
		if req.ID != "" {
			if done, err := tx.Payment(req.ID); err != nil || done != nil {
				p = done
				return err
			}
		}
		settings, ident, err := c.config(tx)
		if err != nil {
			return err
		}
		now := c.instant()
		today := c.day(now)
		session, err := c.openSession(tx, today)
		if err != nil {
			return err
		}
		p = &regie.Payment{ID: req.ID, Regie: settings.Code, Counter: ident.Code, SessionID: session.ID,
			Agent: auth.agent.ID, At: now, Day: today, HouseholdID: req.HouseholdID, Payer: req.Payer,
			Tenders: append([]regie.Tender(nil), req.Tenders...)}
		if p.ID == "" {
			p.ID = c.newID()
		}
		if err := c.allocate(tx, settings, auth, req, p); err != nil {
			return err
		}
		if err := p.Validate(settings); err != nil {
			return err
		}
		p.Total = p.TendersTotal()
		n, err := tx.LastReceiptNumber(now.In(c.loc).Year())
		if err != nil {
			return err
		}
		p.Receipt = regie.ReceiptNumber(settings.Code, ident.Code, now.In(c.loc).Year(), n+1)
		_, err = c.record(tx, regie.KindPayment, p.ID, auth.agent.ID, now, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app: record payment: %w", err)
	}
	return p, nil
}

// allocate fills the payment's allocations from the store: the household,
// each invoice's remaining amount, each item's tariff.
func (c *Counter) allocate(tx Tx, settings *regie.Regie, auth *Auth, req PaymentRequest, p *regie.Payment) error {
	if p.HouseholdID != "" {
		h, err := tx.HouseholdRef(p.HouseholdID)
		if err != nil {
			return err
		} else if h == nil {
			return regie.Errorf(regie.EHouseholdNotFound, "Foyer introuvable : il a peut-être été supprimé lors de la dernière synchronisation.")
		}
		p.Account = h.Account
		if p.Payer == "" {
			p.Payer = h.Name
		}
	}
	seen := map[string]bool{}
	for _, a := range req.Allocations {
		a.Credit = 0
		switch {
		case a.InvoiceID != "" && a.ItemCode == "":
			if seen[a.InvoiceID] {
				return regie.Errorf(regie.EInvalid, "La même facture est réglée deux fois dans ce paiement.")
			}
			seen[a.InvoiceID] = true
			inv, err := tx.Invoice(a.InvoiceID)
			if err != nil {
				return err
			} else if inv == nil {
				return regie.Errorf(regie.EInvoiceNotFound, "Facture introuvable.")
			}
			if inv.HouseholdID != p.HouseholdID {
				return regie.Errorf(regie.EHouseholdMismatch, "La facture %s n'appartient pas à ce foyer.", inv.Number)
			}
			a.InvoiceNumber, a.Label = inv.Number, inv.Label
			approver, err := checkRemaining(settings, auth, req, inv, &a)
			if err != nil {
				return err
			} else if approver != "" {
				p.CreditApprovedBy = approver
			}
		case a.ItemCode != "" && a.InvoiceID == "":
			it, err := tx.Item(a.ItemCode)
			if err != nil {
				return err
			} else if it == nil || !it.Active {
				return regie.Errorf(regie.EItemNotFound, "Article « %s » introuvable au catalogue.", a.ItemCode)
			}
			if a.Quantity <= 0 {
				a.Quantity = 1
			}
			if it.Price > 0 && a.Amount != it.Price*regie.Money(a.Quantity) {
				return regie.Errorf(regie.ETenderMismatch, "%d × %s coûte %s, pas %s.", a.Quantity, it.Label, it.Price*regie.Money(a.Quantity), a.Amount)
			}
			a.Label = it.Label
		default:
			return regie.Errorf(regie.EAllocationTarget, "Chaque ligne doit régler soit une facture, soit un article du catalogue.")
		}
		p.Allocations = append(p.Allocations, a)
	}
	return nil
}

// checkRemaining applies the rules on the amount paid against an invoice
// (regie.SettleInvoice, the same on every write path): more than remains
// needs a supervisor's consent and becomes a credit; less needs the régie
// to allow partial payments. It returns who accepted the credit, if any.
func checkRemaining(settings *regie.Regie, auth *Auth, req PaymentRequest, inv *regie.Invoice, a *regie.Allocation) (string, error) {
	var who *regie.Agent
	if a.Amount > inv.Remaining {
		who, _ = supervisor(auth, req.CreditApproval, "Un trop-perçu")
	}
	credit, err := regie.SettleInvoice(settings, inv.Number, inv.Remaining, a.Amount, who != nil)
	if err != nil || credit == 0 {
		return "", err
	}
	a.Credit = credit
	return who.ID, nil
}
