package ledger

import (
	"time"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// CancelRequest is the cancellation of a payment the régie's back-office
// counter recorded (a transfer or direct debit entered by hand or matched
// from a statement), by the régisseur or suppléant who answers for it.
type CancelRequest struct {
	Regie     string
	PaymentID string
	Reason    string // one of the régie's cancellation reasons
	Comment   string
	Agent     string // the staff member's id: they record and approve
}

// Cancel records req at now as a new entry of the back-office counter's
// journal (the payment itself never changes), under the same rules as a
// desk's cancellation: a payment of the day, its day not closed, a reason
// from the régie's list, the tenders handed back exactly. Online payments
// are not cancelled here: their refund is made with PayFiP or Publik, and
// recorded as such. The cancellation's id is made from the payment's, so
// a form sent twice cancels once (the second is told it already is).
func Cancel(tx *store.Tx, req CancelRequest, now time.Time) (*regie.Cancellation, error) {
	reg, err := tx.Regie(req.Regie)
	if err != nil {
		return nil, err
	} else if reg == nil {
		return nil, regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", req.Regie)
	}
	c, err := tx.CounterByCode(req.Regie, store.ServerCounterCode(string(regie.ChannelBackOffice)))
	if err != nil {
		return nil, err
	} else if c == nil {
		return nil, regie.Errorf(regie.EPaymentNotFound, "Seul un paiement saisi au poste de gestion de la régie s'annule ici.")
	}
	if err := tx.LockCounter(c); err != nil {
		return nil, err
	}
	h := tx.CounterHistory(c)
	p, err := h.Payment(req.PaymentID)
	if err != nil {
		return nil, err
	} else if p == nil {
		return nil, regie.Errorf(regie.EPaymentNotFound, "Seul un paiement saisi au poste de gestion de la régie s'annule ici.")
	}
	if bank, err := tx.FromBankStatement(p.ID); err != nil {
		return nil, err
	} else if bank {
		return nil, regie.Errorf(regie.EForbidden, "Le reçu %s vient d'une écriture du relevé bancaire, qui ne peut pas être affectée de nouveau : il ne s'annule pas ici.", p.Receipt)
	}
	if by, err := h.Cancelled(p.ID); err != nil {
		return nil, err
	} else if by > 0 {
		return nil, regie.Errorf(regie.EAlreadyCancelled, "Le reçu %s a déjà été annulé.", p.Receipt)
	}
	at := regie.JournalTime(now)
	today := regie.DayOf(at, store.RegieLocation(reg))
	if p.Day != today {
		return nil, regie.Errorf(regie.ECancelNotSameDay, "Le reçu %s date du %s : seul un paiement du jour s'annule ; pour un autre jour, la correction passe par le comptable.", p.Receipt, p.Day)
	}
	x := &regie.Cancellation{ID: uuid.NewSHA1(namespace, []byte("cancel\x00"+p.ID)).String(), PaymentID: p.ID,
		Receipt: p.Receipt, Reason: req.Reason, Comment: req.Comment, Agent: req.Agent, ApprovedBy: req.Agent,
		At: at, Day: today, Refunds: p.Tenders}
	if err := x.Validate(reg.Reasons()); err != nil {
		return nil, err
	}
	if _, err := tx.AppendServerEntry(c, regie.KindCancellation, x.ID, req.Agent, at, x); err != nil {
		return nil, err
	}
	return x, nil
}
