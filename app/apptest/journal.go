package apptest

import (
	"fmt"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

// Journal writes a counter's journal the way the counter records it: the
// till opened on each day before its first payment, the day the régie's
// local day of the entry's instant, receipt numbers in order per year, each
// entry chained to the one before, and each day closed (its arrêté, the
// cash counted as expected) before the next one opens. What it writes meets regie.JournalRules
// (given reference data that knows the households, invoices and items the
// payments name), so the server stores it through its one, checked, push.
//
// It is for tests and benchmarks that need payments at fixed instants, or
// too many to record through app.Counter (one transaction and one fsync
// each): a year of a counter, a million payments. The entries are kept
// until Take, so that a long journal can be pushed in batches.
type Journal struct {
	Regie, Counter, Agent string
	// Loc is the régie's time zone (Paris when nil).
	Loc *time.Location
	// Float is the fonds de caisse of each till opened.
	Float regie.Money

	last     *regie.Entry
	taken    []regie.Entry
	session  *regie.TillSession
	figures  *regie.DayFigures // of the open session's day
	closing  *regie.Closing    // the last one, for the perpetual totals
	receipts map[int]int
	n        int
}

// NewJournal starts an empty journal of a counter of the régie, recorded
// by agent.
func NewJournal(regieCode, counter, agent string) *Journal {
	return &Journal{Regie: regieCode, Counter: counter, Agent: agent, receipts: map[int]int{}}
}

// Follow continues the journal after prev, the last entry of one already
// recorded (a counter file seeded by app/demo), which has no payment.
func (j *Journal) Follow(prev *regie.Entry) { j.last = prev }

// Pay records p at instant at, opening the day's till first when it is not
// open yet. It fills what the counter fills: the régie, counter, agent,
// instant, day, session, receipt number, the id when empty and the total
// when zero (the tenders'). The entry is returned; p is the recorded
// payment.
func (j *Journal) Pay(tb testing.TB, at time.Time, p *regie.Payment) *regie.Entry {
	tb.Helper()
	at = regie.JournalTime(at)
	day := regie.DayOf(at, j.loc())
	if j.session == nil || j.session.Day != day {
		j.Close(tb, at)
		s := &regie.TillSession{ID: fmt.Sprintf("%s-%s-s-%s", j.Regie, j.Counter, day), Counter: j.Counter, Agent: j.Agent,
			OpenedAt: at, Day: day, Float: j.Float}
		j.add(tb, regie.KindSessionOpen, s.ID, at, s)
		j.session = s
		j.figures = &regie.DayFigures{Received: regie.ModeTotals{}, Refunded: regie.ModeTotals{}}
	}
	j.n++
	if p.ID == "" {
		p.ID = fmt.Sprintf("%s-%s-p%07d", j.Regie, j.Counter, j.n)
	}
	year := at.In(j.loc()).Year()
	j.receipts[year]++
	p.Receipt = regie.ReceiptNumber(j.Regie, j.Counter, year, j.receipts[year])
	p.Regie, p.Counter, p.Agent, p.SessionID, p.At, p.Day = j.Regie, j.Counter, j.Agent, j.session.ID, at, day
	if p.Total == 0 {
		p.Total = p.TendersTotal()
	}
	for _, t := range p.Tenders {
		j.figures.Received[t.Mode] += t.Amount
	}
	j.figures.Payments++
	if j.figures.FirstReceipt == "" {
		j.figures.FirstReceipt = p.Receipt
	}
	j.figures.LastReceipt = p.Receipt
	return j.add(tb, regie.KindPayment, p.ID, at, p)
}

// Cancel records the cancellation of p (recorded by this journal, on its
// day) at at, for reason (one of regie.CancelReasons), refunding its
// tenders, approved by the journal's agent.
func (j *Journal) Cancel(tb testing.TB, at time.Time, p *regie.Payment, reason string) *regie.Entry {
	tb.Helper()
	j.n++
	c := &regie.Cancellation{ID: fmt.Sprintf("%s-%s-x%07d", j.Regie, j.Counter, j.n), PaymentID: p.ID, Receipt: p.Receipt,
		Reason: reason, Agent: j.Agent, ApprovedBy: j.Agent, At: regie.JournalTime(at), Day: p.Day, Refunds: p.Tenders}
	if j.figures != nil && j.session.Day == p.Day {
		for _, t := range p.Tenders {
			j.figures.Refunded[t.Mode] += t.Amount
		}
		j.figures.Cancellations++
	}
	return j.add(tb, regie.KindCancellation, c.ID, at, c)
}

// Close records the arrêté of the open day at instant at (that day or a
// later one), the cash counted exactly as expected; it does nothing when no
// day is open. Pay calls it before opening a new day.
func (j *Journal) Close(tb testing.TB, at time.Time) *regie.Entry {
	tb.Helper()
	if j.session == nil || j.figures == nil {
		return nil
	}
	s, f := j.session, j.figures
	c := &regie.Closing{ID: fmt.Sprintf("%s-%s-z-%s", j.Regie, j.Counter, s.Day), Counter: j.Counter, Day: s.Day,
		Agent: j.Agent, At: regie.JournalTime(at), Sessions: []string{s.ID}, Float: s.Float}
	c.Count = countOf(s.Float + f.Received[regie.Cash] - f.Refunded[regie.Cash] - f.CashDeposited)
	c.Compute(f, j.closing)
	c.Payments, c.Cancellations, c.FirstReceipt, c.LastReceipt = f.Payments, f.Cancellations, f.FirstReceipt, f.LastReceipt
	j.closing, j.figures = c, nil
	return j.add(tb, regie.KindClosing, c.ID, at, c)
}

// countOf is a billetage worth amount, largest denominations first.
func countOf(amount regie.Money) regie.CashCount {
	count := regie.CashCount{}
	for _, d := range regie.Denominations {
		if n := amount / d; n > 0 {
			count = append(count, regie.CashLine{Value: d, Count: int64(n)})
			amount -= n * d
		}
	}
	return count
}

// Take gives the entries written since the last Take.
func (j *Journal) Take() []regie.Entry {
	out := j.taken
	j.taken = nil
	return out
}

// Last is the journal's last entry, nil when empty.
func (j *Journal) Last() *regie.Entry { return j.last }

func (j *Journal) add(tb testing.TB, kind regie.EntryKind, id string, at time.Time, obj any) *regie.Entry {
	tb.Helper()
	e, err := regie.NewEntry(j.last, j.Counter, kind, id, j.Agent, at, obj)
	if err != nil {
		tb.Fatal(err)
	}
	j.last = e
	j.taken = append(j.taken, *e)
	return e
}

func (j *Journal) loc() *time.Location {
	if j.Loc == nil {
		return Paris
	}
	return j.Loc
}
