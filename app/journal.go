package app

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/regie-fr/regie"
)

// JournalLine is one journal entry as the day's journal screen lists it:
// decoded, with what a régisseur looks for.
type JournalLine struct {
	Seq       int64
	Kind      regie.EntryKind
	At        string // local time, 15:04:05
	Agent     string // agent's id
	Receipt   string
	Payer     string
	Household string
	Amount    regie.Money
	Modes     []regie.PaymentMode
	PaymentID string // for a payment, a cancellation or a reprint
	Cancelled bool   // a payment cancelled later that day
	Summary   string // French, one line
}

// DayLines lists a day's journal decoded for display, cancellations marked
// on the payments they cancel.
func (c *Counter) DayLines(ctx context.Context, day string) ([]JournalLine, error) {
	es, err := c.DayJournal(ctx, day)
	if err != nil {
		return nil, err
	}
	out := make([]JournalLine, 0, len(es))
	byPayment := map[string]int{}
	for _, e := range es {
		l := JournalLine{Seq: e.Seq, Kind: e.Kind, At: e.At.In(c.loc).Format("15:04:05"), Agent: e.Agent}
		if err := c.describe(&e, &l); err != nil {
			return nil, fmt.Errorf("app: day lines: entry %d: %w", e.Seq, err)
		}
		if l.Kind == regie.KindPayment {
			byPayment[l.PaymentID] = len(out)
		}
		if i, ok := byPayment[l.PaymentID]; ok && l.Kind == regie.KindCancellation {
			out[i].Cancelled = true
		}
		out = append(out, l)
	}
	return out, nil
}

func (c *Counter) describe(e *regie.Entry, l *JournalLine) error {
	switch e.Kind {
	case regie.KindPayment:
		var p regie.Payment
		if err := json.Unmarshal(e.Data, &p); err != nil {
			return err
		}
		l.Receipt, l.Payer, l.Household, l.Amount, l.PaymentID = p.Receipt, p.Payer, p.HouseholdID, p.Total, p.ID
		for _, t := range p.Tenders {
			l.Modes = append(l.Modes, t.Mode)
		}
		l.Summary = "Encaissement"
	case regie.KindCancellation:
		var x regie.Cancellation
		if err := json.Unmarshal(e.Data, &x); err != nil {
			return err
		}
		for _, t := range x.Refunds {
			l.Amount -= t.Amount
			l.Modes = append(l.Modes, t.Mode)
		}
		l.Receipt, l.PaymentID, l.Summary = x.Receipt, x.PaymentID, "Annulation : "+x.Reason
	case regie.KindReprint:
		var x regie.Reprint
		if err := json.Unmarshal(e.Data, &x); err != nil {
			return err
		}
		l.Receipt, l.PaymentID, l.Summary = x.Receipt, x.PaymentID, "Duplicata imprimé"
	case regie.KindSessionOpen:
		var s regie.TillSession
		if err := json.Unmarshal(e.Data, &s); err != nil {
			return err
		}
		l.Amount, l.Summary = s.Float, "Ouverture de caisse (fonds de caisse)"
	case regie.KindClosing:
		var x regie.Closing
		if err := json.Unmarshal(e.Data, &x); err != nil {
			return err
		}
		l.Amount, l.Summary = x.Totals.Total(), fmt.Sprintf("Clôture de la journée (écart %s)", x.Difference)
	case regie.KindDeposit:
		var d regie.Deposit
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return err
		}
		l.Amount, l.Summary = d.Total, fmt.Sprintf("Versement au comptable (%d chèque(s))", len(d.Checks))
	case regie.KindLogin:
		var x regie.Login
		if err := json.Unmarshal(e.Data, &x); err != nil {
			return err
		}
		l.Summary = "Connexion"
		if !x.Success {
			l.Summary = "Code erroné"
		}
	case regie.KindSettings:
		l.Summary = "Paramètres de la régie reçus"
	}
	return nil
}

// Settings gives the régie's settings and this counter's identity, for the
// screens that adapt to them (modes offered, partial payments, labels).
func (c *Counter) Settings(ctx context.Context) (s *regie.Regie, ident *regie.Counter, err error) {
	err = c.view(ctx, "settings", func(tx Tx) error {
		s, ident, err = c.config(tx)
		return err
	})
	return s, ident, err
}
