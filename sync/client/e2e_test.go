package client_test

import (
	"context"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/sync/client"
)

// TestTwoCountersCashTheSameInvoiceOffline is the acceptance test of the
// sync issue: two counters cash the same invoice while offline; after they
// sync the server holds both payments, the invoice is paid and the excess is
// a credit; a third counter pulls and sees the invoice paid.
func TestTwoCountersCashTheSameInvoiceOffline(t *testing.T) {
	ctx := context.Background()
	srv := newServer(t, "C01", "C02", "C03")
	c1 := newCounter(t, srv, "C01", client.Options{})
	c2 := newCounter(t, srv, "C02", client.Options{})
	c1.mustSync()
	c2.mustSync()

	const inv, hh = "i-0001-1", "h-0001"
	due := c1.invoice(inv).Remaining
	if due != 61_60 || c2.invoice(inv).Remaining != due {
		t.Fatalf("after the first pull the invoice is due for %s and %s, want 61,60 €", due, c2.invoice(inv).Remaining)
	}
	// Offline: neither knows of the other's payment.
	p1 := c1.cash(hh, inv, due)
	p2 := c2.cash(hh, inv, due)
	if c1.invoice(inv).Remaining != 0 || c2.invoice(inv).Remaining != 0 {
		t.Fatal("each counter should see the invoice paid by its own payment")
	}
	c1.mustSync()
	c2.mustSync()

	ids, err := srv.st.InvoicePayments(ctx, inv)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != p1.ID || ids[1] != p2.ID {
		t.Fatalf("server holds payments %v, want both %s and %s", ids, p1.ID, p2.ID)
	}
	st := srv.invoice(inv)
	if st.Remaining != 0 || st.Paid != 2*due || st.Credit != due {
		t.Fatalf("server invoice: remaining %s, paid %s, credit %s; want 0, %s, %s", st.Remaining, st.Paid, st.Credit, 2*due, due)
	}
	var credit regie.Money
	srv.st.View(ctx, func(tx *store.Tx) (err error) { credit, err = tx.HouseholdCredit(hh); return err })
	if credit != due {
		t.Fatalf("household credit %s, want %s", credit, due)
	}

	c3 := newCounter(t, srv, "C03", client.Options{})
	c3.mustSync()
	if got := c3.invoice(inv).Remaining; got != 0 {
		t.Fatalf("third counter sees %s remaining, want the invoice paid", got)
	}
	open, err := c3.c.OpenInvoices(ctx, hh)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range open {
		if o.ID == inv {
			t.Fatalf("third counter still lists %s as open", inv)
		}
	}
	// The first counter learns of the other payment too: still paid, and
	// its own payment is not counted twice.
	c1.mustSync()
	if got := c1.invoice(inv).Remaining; got != 0 {
		t.Fatalf("C01 sees %s remaining after the pull", got)
	}
	if s := c1.sync.State(); !s.Configured || !s.Online || s.Pending != 0 || s.LastError != "" || s.LastSuccess.IsZero() {
		t.Fatalf("C01 state after sync: %+v", s)
	}
	srv.verifyAll()
}

// TestPartialPaymentsAcrossCounters checks as_of_seq: what a counter cashed
// after the server computed the remaining amount still counts locally, and
// is not counted twice once the server has it.
func TestPartialPaymentsAcrossCounters(t *testing.T) {
	srv := newServer(t, "C01", "C02")
	c1 := newCounter(t, srv, "C01", client.Options{})
	c2 := newCounter(t, srv, "C02", client.Options{})
	c1.mustSync()
	c2.mustSync()
	const inv, hh = "i-0002-2", "h-0002"
	due := c1.invoice(inv).Remaining // 32,00 €
	c1.cash(hh, inv, 10_00)
	c1.mustSync() // the server now has it; as_of_seq covers it
	c1.cash(hh, inv, 5_00)
	if got := c1.invoice(inv).Remaining; got != due-15_00 {
		t.Fatalf("C01 sees %s, want %s", got, due-15_00)
	}
	c2.mustSync()
	if got := c2.invoice(inv).Remaining; got != due-10_00 {
		t.Fatalf("C02 sees %s, want %s (only what reached the server)", got, due-10_00)
	}
	c1.mustSync()
	c2.mustSync()
	if a, b := c1.invoice(inv).Remaining, c2.invoice(inv).Remaining; a != due-15_00 || b != due-15_00 {
		t.Fatalf("after both synced: C01 %s, C02 %s, want %s", a, b, due-15_00)
	}
	if st := srv.invoice(inv); st.Remaining != due-15_00 || st.Credit != 0 {
		t.Fatalf("server: remaining %s credit %s", st.Remaining, st.Credit)
	}
}
