package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// DepositRequest is what the régisseur hands to the public accountant:
// cash (by denomination, or as a total when Count is empty) and cheques
// chosen among those held.
type DepositRequest struct {
	Cash      regie.Money
	Count     regie.CashCount
	Checks    []CheckRef
	Reference string
}

// CheckRef names one cheque tender: the payment and the tender's index.
type CheckRef struct {
	PaymentID string
	Tender    int
}

// Deposit records a versement from the open till. It cannot take more cash
// than the till holds nor a cheque that is not held.
func (c *Counter) Deposit(ctx context.Context, auth *Auth, req DepositRequest) (*regie.Deposit, error) {
	if !auth.agent.Role.CanSupervise() {
		return nil, regie.Errorf(regie.EForbidden, "Seul le régisseur ou son suppléant peut faire un versement.")
	}
	if err := req.Count.Validate(); err != nil {
		return nil, err
	}
	if len(req.Count) > 0 {
		req.Cash = req.Count.Total()
	}
	if req.Cash < 0 {
		return nil, regie.Errorf(regie.EInvalidAmount, "Le montant versé ne peut pas être négatif.")
	}
	var out *regie.Deposit
	err := c.store.Update(ctx, func(tx Tx) error {
		ident, err := tx.Identity()
		if err != nil {
			return err
		}
		now := c.instant()
		s, err := c.openSession(tx, c.day(now))
		if err != nil {
			return err
		}
		inTill, err := cashInSession(tx, s)
		if err != nil {
			return err
		}
		if req.Cash > inTill {
			return regie.Errorf(regie.EDepositTooLarge, "La caisse ne contient que %s en espèces : impossible d'en verser %s.", inTill, req.Cash)
		}
		held, err := tx.ChecksHeld()
		if err != nil {
			return err
		}
		out = &regie.Deposit{ID: c.newID(), Counter: ident.Code, Agent: auth.agent.ID, At: now, Day: s.Day,
			Cash: req.Cash, Count: req.Count.Normalized(), Checks: []regie.CheckLine{}, Reference: strings.TrimSpace(req.Reference)}
		for _, ref := range req.Checks {
			i := findCheck(held, ref)
			if i < 0 {
				return regie.Errorf(regie.ECheckNotHeld, "Ce chèque n'est pas (ou plus) en caisse : déjà versé ou annulé.")
			}
			out.Checks = append(out.Checks, held[i])
			// A cheque listed twice is handed over once: the second time it
			// is no longer held.
			held = slices.Delete(held, i, i+1)
		}
		out.Total = out.Cash + regie.ChecksTotal(out.Checks)
		if out.Total == 0 {
			return regie.Errorf(regie.ENothingToDeposit, "Rien à verser : indiquez les espèces ou choisissez des chèques.")
		}
		_, err = c.record(tx, regie.KindDeposit, out.ID, auth.agent.ID, now, out)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("app: deposit: %w", err)
	}
	return out, nil
}

// findCheck is the index of the cheque ref names among those held, -1 when
// it is not held.
func findCheck(held []regie.CheckLine, ref CheckRef) int {
	return slices.IndexFunc(held, func(h regie.CheckLine) bool {
		return h.PaymentID == ref.PaymentID && h.Tender == ref.Tender
	})
}

// cashInSession is the cash the till should hold now: the float plus cash
// taken, less cash refunded and deposited.
func cashInSession(tx Tx, s *regie.TillSession) (regie.Money, error) {
	f, err := tx.DayFigures(s.Day)
	if err != nil {
		return 0, err
	}
	return s.Float + f.Received[regie.Cash] - f.Refunded[regie.Cash] - f.CashDeposited, nil
}

// Warning is something the régisseur must act on soon, without blocking
// the counter.
type Warning struct {
	Code    string
	Message string
}

// The warnings' codes.
const (
	WarnCeiling       = "cash_ceiling"
	WarnDepositPeriod = "deposit_period"
)

// Holdings is what the till holds on behalf of the comptable, for the
// status bar and the deposit screen.
type Holdings struct {
	CashInTill  regie.Money
	Float       regie.Money
	Checks      []regie.CheckLine
	ChecksTotal regie.Money
	// Held is the takings not yet deposited (cash above the float, and
	// cheques): what the plafond d'encaisse limits.
	Held        regie.Money
	Ceiling     regie.Money
	LastDeposit string
	Warnings    []Warning
	// depositClock is the day the deposit period runs from.
	depositClock string
}

// Holdings computes what the till holds and the warnings on the plafond
// d'encaisse and on the deposit period.
func (c *Counter) Holdings(ctx context.Context) (*Holdings, error) {
	h := &Holdings{}
	err := c.store.View(ctx, func(tx Tx) error {
		settings, err := tx.Settings()
		if err != nil {
			return err
		}
		h.Float, h.Ceiling = settings.Float, settings.CashCeiling
		s, closed, err := tx.LastSession()
		if err != nil {
			return err
		}
		switch {
		case s != nil && !closed:
			if h.CashInTill, err = cashInSession(tx, s); err != nil {
				return err
			}
		case s != nil:
			cl, err := tx.LastClosing()
			if err != nil {
				return err
			}
			h.CashInTill = cl.CountedCash
		}
		if h.Checks, err = tx.ChecksHeld(); err != nil {
			return err
		}
		h.ChecksTotal = regie.ChecksTotal(h.Checks)
		h.Held = max(0, h.CashInTill-h.Float) + h.ChecksTotal
		last, err := tx.LastDeposit()
		if err != nil {
			return err
		}
		if last != nil {
			h.LastDeposit = last.Day
		} else if first, err := tx.Entries(1, 1); err != nil {
			return err
		} else if len(first) == 1 {
			// Never deposited: the period runs from the counter's first day.
			h.depositClock = c.day(first[0].At)
		}
		h.Warnings = c.warnings(h, settings, c.day(c.now()))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("app: holdings: %w", err)
	}
	return h, nil
}

func (c *Counter) warnings(h *Holdings, settings *regie.Regie, today string) []Warning {
	var out []Warning
	if h.Ceiling > 0 && h.Held > h.Ceiling {
		out = append(out, Warning{WarnCeiling, fmt.Sprintf(
			"Encaisse de %s au-dessus du plafond de %s : faites un versement au comptable.", h.Held, h.Ceiling)})
	}
	since := h.LastDeposit
	if since == "" {
		since = h.depositClock
	}
	if h.Held > 0 && since != "" {
		last, err1 := time.Parse(time.DateOnly, since)
		now, err2 := time.Parse(time.DateOnly, today)
		if err1 == nil && err2 == nil && int(now.Sub(last).Hours()/24) > settings.DepositPeriodDays {
			out = append(out, Warning{WarnDepositPeriod, fmt.Sprintf(
				"Aucun versement depuis le %s, il y a plus de %d jours : un versement au comptable est dû.",
				frenchDate(since), settings.DepositPeriodDays)})
		}
	}
	return out
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }
