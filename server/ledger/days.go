package ledger

import (
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// openDay is the server counter's session of at's day, opened now if it
// has none. The days before it that were left open are closed first: a
// server counter's day opens by itself with its first payment and closes
// by itself (CloseDays) with its totals, no cash to count — the journal
// rules refuse a day opened while an earlier one is still open.
func openDay(tx *store.Tx, c *store.Counter, h regie.JournalHistory, at time.Time, loc *time.Location) (*regie.TillSession, error) {
	day := regie.DayOf(at, loc)
	last, err := h.LastSession()
	if err != nil {
		return nil, err
	}
	if last != nil && last.Day == day {
		if sealed, err := h.Sealed(day); err != nil {
			return nil, err
		} else if !sealed {
			return last, nil
		}
		return nil, regie.Errorf(regie.EDayClosed, "La journée du %s du poste %s est déjà clôturée.", day, c.Code)
	}
	if last != nil && last.Day > day {
		return nil, regie.Errorf(regie.EDayClosed, "Le poste %s a déjà enregistré la journée du %s : l'horloge du serveur a reculé.", c.Code, last.Day)
	}
	if _, err := closeDay(tx, c, h, last, at); err != nil {
		return nil, err
	}
	s := &regie.TillSession{ID: newID(), Counter: c.Code, Agent: System, OpenedAt: at, Day: day, Float: 0}
	if _, err := tx.AppendServerEntry(c, regie.KindSessionOpen, s.ID, System, at, s); err != nil {
		return nil, err
	}
	return s, nil
}

// closeDay records the closing of session s's day at at, unless s is nil,
// its day is at's or it is already sealed; it tells whether it closed.
// The figures are regie.Closing.Compute's from the journal, as at a desk.
func closeDay(tx *store.Tx, c *store.Counter, h regie.JournalHistory, s *regie.TillSession, at time.Time) (bool, error) {
	if s == nil {
		return false, nil
	}
	if sealed, err := h.Sealed(s.Day); err != nil || sealed {
		return false, err
	}
	f, err := h.DayFigures(s.Day)
	if err != nil {
		return false, err
	}
	prev, err := h.LastClosing()
	if err != nil {
		return false, err
	}
	cl := &regie.Closing{ID: newID(), Counter: c.Code, Day: s.Day, Agent: System, At: at, Sessions: []string{s.ID},
		Float: s.Float, Payments: f.Payments, Cancellations: f.Cancellations, FirstReceipt: f.FirstReceipt,
		LastReceipt: f.LastReceipt, Comment: "Clôture automatique du poste tenu par le serveur."}
	cl.Compute(f, prev)
	if _, err := tx.AppendServerEntry(c, regie.KindClosing, cl.ID, System, at, cl); err != nil {
		return false, err
	}
	return true, nil
}

// CloseDays closes, at now, every day before today left open on the
// server counters of every régie: what serve runs every few minutes, so a
// server counter's day is sealed soon after midnight even when no payment
// follows it. It returns how many days it closed.
func CloseDays(tx *store.Tx, now time.Time) (int, error) {
	regies, err := tx.Regies()
	if err != nil {
		return 0, err
	}
	at := regie.JournalTime(now)
	n := 0
	for i := range regies {
		reg := &regies[i]
		day := regie.DayOf(at, store.RegieLocation(reg))
		for _, ch := range []regie.Channel{regie.ChannelBackOffice, regie.ChannelOnline} {
			c, err := tx.CounterByCode(reg.Code, store.ServerCounterCode(string(ch)))
			if err != nil {
				return n, err
			} else if c == nil {
				continue
			}
			if k, err := tx.CounterKind(c.ID); err != nil {
				return n, err
			} else if k != string(ch) {
				continue
			}
			if err := tx.LockCounter(c); err != nil {
				return n, err
			}
			h := tx.CounterHistory(c)
			last, err := h.LastSession()
			if err != nil {
				return n, err
			}
			if last == nil || last.Day >= day {
				continue
			}
			closed, err := closeDay(tx, c, h, last, at)
			if err != nil {
				return n, err
			}
			if closed {
				n++
			}
		}
	}
	return n, nil
}
