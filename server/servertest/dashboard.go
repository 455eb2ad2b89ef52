package servertest

import (
	"context"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
)

// Dashboard is a server seeded with journals that give the back-office's
// dashboard something to say of every kind, at Now (Friday 20 November
// 2026, 10:00 in Paris). On the demo régie ENF (plafond 3 000 €, float
// 150 €, a deposit every 7 days at most):
//   - G1 opened on 2 November (a card payment), never deposited since: a
//     deposit overdue; took a cheque (n° 0001234, 45 €, drawer Jeanne
//     Citoyenne) on 18 November, held since; and 3 300 € in cash on the
//     19th, a day it never closed: 3 345 € held, above the plafond.
//   - G2 took 50 € in cash on 16 November, deposited 40 € that day, and
//     closed it with 2 € missing (a déficit) and its comment.
//   - G3 took a card payment on 19 November and closed the day; Late is a
//     payment of that closed day chained after it, which the rules refuse.
//
// On régie PIS (the demo's settings under another code), P1 took 30 € in
// cash on 18 November and never closed that day. Counters are enrolled
// with Credentials' credentials; nothing is pushed by the API here.
type Dashboard struct {
	Now         time.Time
	Credentials map[string]string // "ENF/G1" → credential
	// Late is G3's next entry, refused because its day is closed.
	Late []regie.Entry
}

// DashboardComment is G2's closing comment.
const DashboardComment = "Erreur de rendu de monnaie à 17 h"

// DashboardScenario builds the scenario on a seeded store (Seed); it
// creates régie PIS unless it exists.
func DashboardScenario(tb testing.TB, st *store.Store) *Dashboard {
	tb.Helper()
	ctx := context.Background()
	d := &Dashboard{Now: time.Date(2026, 11, 20, 10, 0, 0, 0, apptest.Paris), Credentials: map[string]string{}}
	err := st.Update(ctx, func(tx *store.Tx) error {
		if r, err := tx.Regie("PIS"); err != nil {
			return err
		} else if r == nil {
			p := demo.Regie()
			p.Code, p.Name = "PIS", "Régie Piscine"
			if err := tx.SaveRegie(&p, true); err != nil {
				return err
			}
		}
		if err := tx.SaveItem("PIS", &regie.CatalogueItem{Code: "PISC-ENT", Label: "Entrée", Category: "Piscine", Price: 4_20, Active: true}); err != nil {
			return err
		}
		for _, c := range [][2]string{{"ENF", "G1"}, {"ENF", "G2"}, {"ENF", "G3"}, {"PIS", "P1"}} {
			enrol := credential.NewEnrolCode()
			if _, err := tx.CreateCounter(regie.Counter{Regie: c[0], Code: c[1], Name: "Guichet " + c[1]},
				credential.HashEnrolCode(enrol), d.Now.Add(time.Hour), d.Now); err != nil {
				return err
			}
			cred := credential.NewCredential()
			if _, err := tx.Enrol(credential.HashEnrolCode(enrol), credential.Hash(cred), d.Now); err != nil {
				return err
			}
			d.Credentials[c[0]+"/"+c[1]] = cred
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	// The counters pushed at 7:00 that morning.
	pushed := d.Now.Add(-3 * time.Hour)
	at := func(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, apptest.Paris) }
	item := func(m regie.Tender) *regie.Payment {
		return &regie.Payment{Tenders: []regie.Tender{m},
			Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Label: "Entrée", Amount: m.Amount}}}
	}
	card := regie.Tender{Mode: regie.Card, Amount: 10_00, Authorisation: "A1"}

	g1 := apptest.NewJournal("ENF", "G1", "agent")
	g1.Float = 150_00
	g1.Pay(tb, at(2, 9), item(card))
	g1.Pay(tb, at(18, 9), item(regie.Tender{Mode: regie.Check, Amount: 45_00, CheckNumber: "0001234",
		Bank: "La Banque Postale", Drawer: "Jeanne Citoyenne"}))
	for i := range 11 {
		g1.Pay(tb, at(19, 9).Add(time.Duration(i)*time.Minute), item(regie.Tender{Mode: regie.Cash, Amount: 300_00}))
	}
	Push(tb, st, "ENF", "G1", g1.Take(), pushed)

	g2 := apptest.NewJournal("ENF", "G2", "agent")
	g2.Float = 150_00
	p := item(regie.Tender{Mode: regie.Cash, Amount: 50_00})
	g2.Pay(tb, at(16, 9), p)
	dep := &regie.Deposit{ID: "G2-dep-1", Counter: "G2", Agent: "agent", At: regie.JournalTime(at(16, 12)), Day: "2026-11-16",
		Cash: 40_00, Total: 40_00, Checks: []regie.CheckLine{}}
	last := chain(tb, g2.Last(), "G2", regie.KindDeposit, dep.ID, dep.At, dep)
	figures := &regie.DayFigures{Received: regie.ModeTotals{regie.Cash: 50_00}, Refunded: regie.ModeTotals{}, CashDeposited: 40_00,
		Payments: 1, FirstReceipt: p.Receipt, LastReceipt: p.Receipt}
	cl := &regie.Closing{ID: "G2-z-16", Counter: "G2", Day: "2026-11-16", Agent: "agent", At: regie.JournalTime(at(16, 18)),
		Sessions: []string{p.SessionID}, Float: 150_00, Count: regie.CashCount{{Value: 100_00, Count: 1}, {Value: 50_00, Count: 1},
			{Value: 5_00, Count: 1}, {Value: 2_00, Count: 1}, {Value: 1_00, Count: 1}}, Comment: DashboardComment,
		Payments: 1, FirstReceipt: p.Receipt, LastReceipt: p.Receipt}
	cl.Compute(figures, nil)
	last2 := chain(tb, last, "G2", regie.KindClosing, cl.ID, cl.At, cl)
	Push(tb, st, "ENF", "G2", append(g2.Take(), *last, *last2), pushed)

	g3 := apptest.NewJournal("ENF", "G3", "agent")
	g3.Float = 150_00
	p3 := item(regie.Tender{Mode: regie.Card, Amount: 12_00, Authorisation: "A3"})
	g3.Pay(tb, at(19, 9), p3)
	g3.Close(tb, at(19, 18))
	Push(tb, st, "ENF", "G3", g3.Take(), pushed)
	late := *p3
	late.ID, late.Receipt = "G3-late", regie.ReceiptNumber("ENF", "G3", 2026, 2)
	late.At = regie.JournalTime(at(19, 19))
	d.Late = []regie.Entry{*chain(tb, g3.Last(), "G3", regie.KindPayment, late.ID, late.At, &late)}

	p1 := apptest.NewJournal("PIS", "P1", "agent")
	p1.Float = 150_00
	p1.Pay(tb, at(18, 9), item(regie.Tender{Mode: regie.Cash, Amount: 30_00}))
	Push(tb, st, "PIS", "P1", p1.Take(), pushed)
	return d
}

// chain writes obj as the entry after prev.
func chain(tb testing.TB, prev *regie.Entry, counter string, kind regie.EntryKind, id string, at time.Time, obj any) *regie.Entry {
	tb.Helper()
	e, err := regie.NewEntry(prev, counter, kind, id, "agent", at, obj)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}
