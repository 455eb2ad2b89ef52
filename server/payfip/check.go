package payfip

import (
	"context"
	"errors"
	"fmt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// Agent is who records a PayFiP payment in the journal.
const Agent = string(ledger.SourcePayFiP)

// Check asks PayFiP how the payment idOp went and records its outcome
// once: the notification, the citizen's return and the settle job all
// come here, in any order, any number of times, on any instance. An idOp
// the store does not know is regie.ENotFound and nothing is asked nor
// written, so a forged notification costs nothing. A paid order is never
// asked again; any other is, since only PayFiP knows better.
func (s *Service) Check(ctx context.Context, idOp string) (*portal.OnlineOutcome, error) {
	o, err := s.order(ctx, idOp)
	if err != nil {
		return nil, err
	}
	if o.State == store.PayFiPPaid || o.State == store.PayFiPAnomaly {
		return outcome(o), nil
	}
	d, err := s.c.Detail(ctx, idOp)
	now := s.cfg.Now()
	age := now.Sub(o.CreatedAt)
	switch {
	case errors.Is(err, ErrPending):
		if age < s.cfg.ExpireAfter {
			return outcome(o), nil
		}
		return s.record(ctx, o, store.PayFiPEvent{State: store.PayFiPExpired, Note: "P5", At: now}, nil)
	case errors.Is(err, ErrUnknownOperation):
		if age < s.cfg.PendingFor {
			return outcome(o), nil
		}
		return s.record(ctx, o, store.PayFiPEvent{State: store.PayFiPExpired, Note: "P1", At: now}, nil)
	case err != nil:
		s.log.Warn("payfip: status call failed", "idop", idOp, "err", err)
		return outcome(o), err
	}
	ev := store.PayFiPEvent{Result: string(d.Result), At: now}
	switch {
	case d.IdOp != o.IdOp || d.Numcli != o.Numcli || d.Refdet != o.Refdet:
		ev.State, ev.Note = store.PayFiPAnomaly, fmt.Sprintf("Le statut de PayFiP ne correspond pas à la commande (idOp %s, client %s, référence %s).", d.IdOp, d.Numcli, d.Refdet)
	case d.Result.Paid() && d.Amount != o.Amount:
		ev.State, ev.Note = store.PayFiPAnomaly, fmt.Sprintf("PayFiP annonce %s payés pour une commande de %s.", d.Amount, o.Amount)
	case d.Result.Paid():
		ev.State = store.PayFiPPaid
	case d.Result.Refused():
		ev.State = store.PayFiPRefused
	case d.Result.Cancelled():
		ev.State = store.PayFiPCancelled
	default:
		ev.State, ev.Note = store.PayFiPAnomaly, fmt.Sprintf("Résultat PayFiP inconnu : %q.", d.Result)
	}
	if ev.State == store.PayFiPAnomaly {
		s.log.Error("payfip: status disagrees with the order, left to the régisseur", "idop", idOp, "regie", o.Regie,
			"result", string(d.Result), "amount", int64(d.Amount), "ordered", int64(o.Amount))
	}
	return s.record(ctx, o, ev, d)
}

func (s *Service) order(ctx context.Context, idOp string) (*store.PayFiPOrder, error) {
	var o *store.PayFiPOrder
	err := s.st.View(ctx, func(tx *store.Tx) (err error) {
		o, err = tx.PayFiPOrder(idOp)
		return err
	})
	if err != nil {
		return nil, err
	}
	if o == nil {
		return nil, regie.Errorf(regie.ENotFound, "Paiement en ligne inconnu.")
	}
	return o, nil
}

// record appends ev to the order in one transaction — with the payment on
// the régie's online counter when ev says paid — unless the order is
// already in that state, or paid or in anomaly (what another instance may
// have written since it was read: the order is read again inside).
func (s *Service) record(ctx context.Context, read *store.PayFiPOrder, ev store.PayFiPEvent, d *Detail) (*portal.OnlineOutcome, error) {
	var out *store.PayFiPOrder
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		o, err := tx.PayFiPOrder(read.IdOp)
		if err != nil {
			return err
		}
		out = o
		if o.State == store.PayFiPPaid || o.State == store.PayFiPAnomaly || o.State == ev.State {
			return nil
		}
		if ev.State == store.PayFiPPaid {
			p, err := s.pay(tx, o, d)
			var re *regie.Error
			if errors.As(err, &re) {
				// Money was taken and the ledger refuses it (the régie no
				// longer allows the mode, the key holds another payment):
				// the régisseur must settle it by hand.
				s.log.Error("payfip: paid order refused by the ledger, left to the régisseur", "idop", o.IdOp, "code", string(re.Code), "err", err)
				ev.State, ev.Note = store.PayFiPAnomaly, re.Message
			} else if err != nil {
				return err
			} else {
				ev.PaymentID, ev.Note = p.ID, p.Receipt
			}
		}
		if err := tx.AppendPayFiPEvent(o.IdOp, ev); err != nil {
			return err
		}
		out, err = tx.PayFiPOrder(o.IdOp)
		return err
	})
	if err != nil {
		return nil, err
	}
	if out.State != read.State {
		s.log.Info("payfip: order settled", "idop", out.IdOp, "state", out.State, "result", out.Result)
	}
	return outcome(out), nil
}

// pay records the paid order on the régie's online counter. The ledger
// names the payment after the idOp, so a second record is the same
// payment, never another.
func (s *Service) pay(tx *store.Tx, o *store.PayFiPOrder, d *Detail) (*regie.Payment, error) {
	h, err := tx.Household(o.HouseholdID)
	if err != nil {
		return nil, err
	}
	req := ledger.Request{Regie: o.Regie, Channel: regie.ChannelOnline, Source: ledger.SourcePayFiP, Key: o.IdOp, Agent: Agent,
		HouseholdID: o.HouseholdID,
		Tenders:     []regie.Tender{{Mode: regie.Online, Amount: o.Amount, Reference: o.IdOp, Authorisation: d.Authorisation}},
		Allocations: []regie.Allocation{{InvoiceID: o.InvoiceID, InvoiceNumber: o.InvoiceNumber, Label: "Facture " + o.InvoiceNumber, Amount: o.Amount}}}
	if h != nil {
		req.Account, req.Payer = h.Account, h.Name
	}
	if inv, err := tx.Invoice(o.InvoiceID); err != nil {
		return nil, err
	} else if inv != nil && inv.Label != "" {
		req.Allocations[0].Label = inv.Label
	}
	p, _, err := ledger.Record(tx, req, s.cfg.Now())
	return p, err
}
