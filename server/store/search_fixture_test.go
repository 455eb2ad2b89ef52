package store

import (
	"context"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/store/storetest"
)

// searchWorld is a server file with two régies, ENF (counters C01 and C02)
// and PIS (counter P01), households with names that fold ("Lefèvre",
// "LEFEVRE-Martin", "D'Arc"), invoices of each régie, and journals written
// the way counters write them and stored through the one checked push.
type searchWorld struct {
	t        *testing.T
	st       *Store
	counters map[string]*Counter
	journals map[string]*apptest.Journal
	at       time.Time
	paid     map[string]*regie.Payment
}

func newSearchWorld(t *testing.T) *searchWorld {
	t.Helper()
	ctx := context.Background()
	st, err := Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &searchWorld{t: t, st: st, counters: map[string]*Counter{}, journals: map[string]*apptest.Journal{},
		at: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), paid: map[string]*regie.Payment{}}
	err = st.Update(ctx, func(tx *Tx) error {
		for _, r := range []regie.Regie{{Code: "ENF", Name: "Régie Enfance"}, {Code: "PIS", Name: "Régie Piscine"}} {
			r.Modes = regie.Modes[:5]
			r.DepositPeriodDays, r.AnonymousSales, r.Timezone = 7, true, "Europe/Paris"
			if err := tx.SaveRegie(&r, true); err != nil {
				return err
			}
			if err := tx.SaveItem(r.Code, &regie.CatalogueItem{Code: "TICKET", Label: "Ticket", Price: 1_00}); err != nil {
				return err
			}
			if err := tx.SaveAgent(r.Code, &regie.Agent{ID: "ag-" + r.Code, Login: "agent", Name: "Agent " + r.Name,
				Role: "regisseur", Active: true, PINHash: "x"}); err != nil {
				return err
			}
		}
		for _, h := range []regie.Household{{ID: "H1", Account: "F001", Name: "Famille Lefèvre"},
			{ID: "H2", Account: "F002", Name: "LEFEVRE-Martin Julie"}, {ID: "H3", Account: "F003", Name: "Jeanne D'Arc"},
			{ID: "H4", Account: "F004", Name: "=HYPERLINK(\"x\")"}} {
			if err := tx.UpsertHousehold(&h); err != nil {
				return err
			}
		}
		for _, inv := range []struct {
			regie string
			inv   regie.Invoice
		}{{"ENF", regie.Invoice{ID: "I1", Number: "FAC-1", HouseholdID: "H1", Label: "Cantine", Amount: 100_00}},
			{"ENF", regie.Invoice{ID: "I2", Number: "FAC-2", HouseholdID: "H2", Label: "Garderie", Amount: 100_00}},
			{"PIS", regie.Invoice{ID: "I3", Number: "FAC-3", HouseholdID: "H1", Label: "Abonnement", Amount: 100_00}},
			{"PIS", regie.Invoice{ID: "I4", Number: "FAC-4", HouseholdID: "H4", Label: "Abonnement", Amount: 100_00}}} {
			if err := tx.UpsertInvoice(inv.regie, &inv.inv); err != nil {
				return err
			}
		}
		for _, c := range []regie.Counter{{Code: "C01", Regie: "ENF"}, {Code: "C02", Regie: "ENF"}, {Code: "P01", Regie: "PIS"}} {
			c.Name = "Guichet " + c.Code
			k, err := tx.CreateCounter(c, "enrol-"+c.Code, time.Now().Add(time.Hour), time.Now())
			if err != nil {
				return err
			}
			w.counters[c.Code] = k
			w.journals[c.Code] = apptest.NewJournal(c.Regie, c.Code, "ag-"+c.Regie)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// pay records a payment at the counter a minute after the last one and
// pushes it.
func (w *searchWorld) pay(counter, id, household string, tenders []regie.Tender, allocs ...regie.Allocation) *regie.Payment {
	w.t.Helper()
	w.at = w.at.Add(time.Minute)
	p := &regie.Payment{ID: id, HouseholdID: household, Tenders: tenders, Allocations: allocs}
	if household != "" {
		p.Account = map[string]string{"H1": "F001", "H2": "F002", "H3": "F003", "H4": "F004"}[household]
	}
	w.journals[counter].Pay(w.t, w.at, p)
	w.push(counter)
	w.paid[id] = p
	return p
}

func (w *searchWorld) cancel(counter, id string) {
	w.t.Helper()
	w.at = w.at.Add(time.Minute)
	w.journals[counter].Cancel(w.t, w.at, w.paid[id], "Erreur de saisie du montant")
	w.push(counter)
}

// reprint records a DUPLICATA of the payment: the counter's entry, which
// apptest.Journal does not write, chained after its last one.
func (w *searchWorld) reprint(counter, id string) {
	w.t.Helper()
	w.at = w.at.Add(time.Minute)
	j, p := w.journals[counter], w.paid[id]
	r := &regie.Reprint{ID: id + "-dup", PaymentID: id, Receipt: p.Receipt, Agent: j.Agent, At: regie.JournalTime(w.at)}
	w.push(counter)
	e, err := regie.NewEntry(j.Last(), counter, regie.KindReprint, r.ID, j.Agent, w.at, r)
	if err != nil {
		w.t.Fatal(err)
	}
	w.pushEntries(counter, []regie.Entry{*e})
	j.Follow(e)
}

func (w *searchWorld) push(counter string) {
	w.t.Helper()
	w.pushEntries(counter, w.journals[counter].Take())
}

func (w *searchWorld) pushEntries(counter string, es []regie.Entry) {
	w.t.Helper()
	if len(es) == 0 {
		return
	}
	err := w.st.Update(context.Background(), func(tx *Tx) error {
		_, err := tx.PushChecked(w.counters[counter], Batches(PrepareBatch(es)), PushOptions{Now: w.at.Add(time.Second)})
		return err
	})
	if err != nil {
		w.t.Fatalf("push %s: %v", counter, err)
	}
}

func cash(c int64) regie.Tender {
	return regie.Tender{Mode: regie.Cash, Amount: regie.Money(c), Tendered: regie.Money(c)}
}
func check(c int64) regie.Tender {
	return regie.Tender{Mode: regie.Check, Amount: regie.Money(c), CheckNumber: "1234567", Bank: "Banque", Drawer: "Tireur"}
}
func card(c int64) regie.Tender {
	return regie.Tender{Mode: regie.Card, Amount: regie.Money(c), Authorisation: "A1", MaskedPAN: "XXXXXXXXXXXX1234"}
}
func inv(id, number string, c int64) regie.Allocation {
	return regie.Allocation{InvoiceID: id, InvoiceNumber: number, Label: "Facture " + number, Amount: regie.Money(c)}
}
func ticket(c int64) regie.Allocation {
	return regie.Allocation{ItemCode: "TICKET", Quantity: int(c / 100), Label: "Ticket", Amount: regie.Money(c)}
}
