package api_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/api"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestTwoCountersOverpayAnInvoice: two counters, offline, each cash the
// same 50 € invoice (30 € at one, 50 € at the other), then push. Both
// payments are kept — they happened — and the 30 € paid beyond the invoice
// becomes the household's credit; the remaining amount served by the pull
// and the portal is 0, never below. Cancelling either payment gives the
// credit back exactly, and cancelling both brings the invoice back to 50 €.
func TestTwoCountersOverpayAnInvoice(t *testing.T) {
	e := newEnv(t, api.Options{Now: func() time.Time { return day0.Add(2 * time.Hour) }})
	e.seedReference()
	b1, b2 := newBook(t, "C01"), newBook(t, "C02")
	b1.open()
	b2.open()
	p1, p2 := b1.payment("PA", 30_00), b2.payment("PB", 50_00)
	b1.pay(p1)
	b2.pay(p2)
	sent := map[string]int{}
	push := func(b *book) {
		t.Helper()
		if status, body := e.pushEntries(b.counter, b.entries[sent[b.counter]:]); status != http.StatusOK {
			t.Fatalf("%s: push refused: %d %+v", b.counter, status, body)
		}
		sent[b.counter] = len(b.entries)
	}
	check := func(step string, paid, remaining, credit regie.Money) {
		t.Helper()
		var inv *store.InvoiceState
		var hc regie.Money
		err := e.st.View(context.Background(), func(tx *store.Tx) (err error) {
			if inv, err = tx.Invoice("I1"); err != nil {
				return err
			}
			hc, err = tx.HouseholdCredit("H1")
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if inv.Paid != paid || inv.Remaining != remaining || hc != credit || inv.Credit != credit {
			t.Errorf("%s: paid %s, remaining %s, credit %s (invoice %s); want %s, %s, %s", step, inv.Paid, inv.Remaining, hc, inv.Credit, paid, remaining, credit)
		}
		var pull protocol.PullResponse
		if status := e.do("GET", protocol.PathPull, e.creds["C01"], nil, &pull); status != http.StatusOK {
			t.Fatalf("pull: %d", status)
		}
		found := false
		for _, w := range pull.Invoices {
			if w.ID == "I1" {
				found = true
				if w.Remaining != int64(remaining) {
					t.Errorf("%s: pull serves remaining %d, want %d", step, w.Remaining, remaining)
				}
			}
		}
		if !found {
			t.Errorf("%s: the pull does not serve I1", step)
		}
		list, err := e.st.Portal().Invoices(context.Background(), "H1")
		if err != nil {
			t.Fatal(err)
		}
		shown := false
		for _, pi := range list {
			if pi.ID == "I1" {
				shown = true
				if pi.Remaining != remaining {
					t.Errorf("%s: the portal shows remaining %s, want %s", step, pi.Remaining, remaining)
				}
			}
		}
		if !shown {
			t.Errorf("%s: the portal does not list I1", step)
		}
	}
	check("before", 0, 50_00, 0)
	push(b1)
	check("first payment", 30_00, 20_00, 0)
	push(b2)
	check("both payments", 80_00, 0, 30_00)
	b1.add(regie.KindCancellation, "XA", b1.cancellation("XA", p1))
	push(b1)
	check("first cancelled", 50_00, 0, 0)
	b2.add(regie.KindCancellation, "XB", b2.cancellation("XB", p2))
	push(b2)
	check("both cancelled", 0, 50_00, 0)
}

// TestOverpaymentCancelledInTheOtherOrder: the payment that made the excess
// is cancelled first.
func TestOverpaymentCancelledInTheOtherOrder(t *testing.T) {
	e := newEnv(t, api.Options{Now: func() time.Time { return day0.Add(2 * time.Hour) }})
	e.seedReference()
	b1, b2 := newBook(t, "C01"), newBook(t, "C02")
	b1.open()
	b2.open()
	p1, p2 := b1.payment("PA", 50_00), b2.payment("PB", 50_00)
	b1.pay(p1)
	b2.pay(p2)
	b2.add(regie.KindCancellation, "XB", b2.cancellation("XB", p2))
	for _, b := range []*book{b1, b2} {
		if status, body := e.pushEntries(b.counter, b.entries); status != http.StatusOK {
			t.Fatalf("%s: %d %+v", b.counter, status, body)
		}
	}
	err := e.st.View(context.Background(), func(tx *store.Tx) error {
		inv, err := tx.Invoice("I1")
		if err != nil {
			return err
		}
		hc, err := tx.HouseholdCredit("H1")
		if inv.Paid != 50_00 || inv.Remaining != 0 || hc != 0 {
			t.Errorf("paid %s remaining %s credit %s", inv.Paid, inv.Remaining, hc)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
