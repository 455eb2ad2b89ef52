package app

import (
	"context"
	"fmt"

	"github.com/regie-fr/regie"
)

// Cancel annuls a payment of today with a reason from the list. A
// mandataire needs a régisseur's or suppléant's approval; the payment stays
// in the journal and the cancellation points to it.
func (c *Counter) Cancel(ctx context.Context, auth, approver *Auth, paymentID, reason, comment string) (*regie.Cancellation, error) {
	who, err := supervisor(auth, approver, "Une annulation")
	if err != nil {
		return nil, err
	}
	var out *regie.Cancellation
	err = c.store.Update(ctx, func(tx Tx) error {
		e, err := tx.Entry(paymentID)
		if err != nil {
			return err
		}
		if e != nil && e.Kind == regie.KindCancellation {
			return regie.Errorf(regie.ECancelOfCancel, "Une annulation ne peut pas être annulée : encaissez à nouveau si besoin.")
		}
		if e == nil || e.Kind != regie.KindPayment {
			return regie.Errorf(regie.EPaymentNotFound, "Paiement introuvable.")
		}
		p, err := tx.Payment(paymentID)
		if err != nil {
			return err
		}
		if prior, err := tx.CancellationOf(p.ID); err != nil {
			return err
		} else if prior != nil {
			return regie.Errorf(regie.EAlreadyCancelled, "Le reçu %s a déjà été annulé.", p.Receipt)
		}
		if n, err := tx.DepositedChecks(p.ID); err != nil {
			return err
		} else if n > 0 {
			return regie.Errorf(regie.ECheckDeposited, "Le chèque du reçu %s a déjà été versé au comptable : l'annulation ne peut plus se faire à la caisse.", p.Receipt)
		}
		now := c.instant()
		today := c.day(now)
		if p.Day != today {
			return regie.Errorf(regie.ECancelNotSameDay, "Le reçu %s date du %s : seul un paiement du jour peut être annulé à la caisse.", p.Receipt, frenchDate(p.Day))
		}
		if closed, err := tx.DayClosed(today); err != nil {
			return err
		} else if closed {
			return regie.Errorf(regie.EDayClosed, "La journée du %s est clôturée : plus aucune annulation n'est possible.", frenchDate(today))
		}
		out = &regie.Cancellation{ID: c.newID(), PaymentID: p.ID, Receipt: p.Receipt, Reason: reason,
			Comment: comment, Agent: auth.agent.ID, ApprovedBy: who.ID, At: now, Day: today, Refunds: p.Tenders}
		settings, _, err := c.config(tx)
		if err != nil {
			return err
		}
		if err := out.Validate(settings.Reasons()); err != nil {
			return err
		}
		_, err = c.record(tx, regie.KindCancellation, out.ID, auth.agent.ID, now, out)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app: cancel: %w", err)
	}
	return out, nil
}

// Reprint journals a duplicate of a receipt and returns the payment to print
// with "DUPLICATA", and its cancellation if it was cancelled ("ANNULÉ").
func (c *Counter) Reprint(ctx context.Context, auth *Auth, paymentID string) (*regie.Payment, *regie.Cancellation, error) {
	var p *regie.Payment
	var cancel *regie.Cancellation
	err := c.store.Update(ctx, func(tx Tx) error {
		var err error
		if p, err = tx.Payment(paymentID); err != nil {
			return err
		} else if p == nil {
			return regie.Errorf(regie.EPaymentNotFound, "Paiement introuvable.")
		}
		if cancel, err = tx.CancellationOf(p.ID); err != nil {
			return err
		}
		now := c.instant()
		r := &regie.Reprint{ID: c.newID(), PaymentID: p.ID, Receipt: p.Receipt, Agent: auth.agent.ID, At: now}
		_, err = c.record(tx, regie.KindReprint, r.ID, auth.agent.ID, now, r)
		return err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("app: reprint: %w", err)
	}
	return p, cancel, nil
}
