package app_test

import (
	"sync/atomic"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// TestOnRecordedFollowsTheJournal: the hook runs once per committed
// transaction that appended to the journal (a login, a session, a payment),
// never for a refused payment nor for the sync's own bookkeeping.
func TestOnRecordedFollowsTheJournal(t *testing.T) {
	f := newFixture(t)
	var n atomic.Int32
	f.c.OnRecorded(func() { n.Add(1) })
	want := func(w int32, what string) {
		t.Helper()
		if got := n.Swap(0); got != w {
			t.Fatalf("%s: %d notifications, want %d", what, got, w)
		}
	}
	reg := f.regisseur()
	want(1, "login")
	f.open(reg)
	want(1, "session opened")
	f.pay(reg, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 20}},
		Allocations: []regie.Allocation{item("PHOTOCOP", 1, 20)}})
	want(1, "payment")
	_, err := f.c.RecordPayment(f.ctx, reg, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: -5}}})
	if err == nil {
		t.Fatal("a negative payment was recorded")
	}
	want(0, "refused payment")
	p, err := f.c.SyncPoint(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.c.Acknowledge(f.ctx, p.Last); err != nil {
		t.Fatal(err)
	}
	want(0, "acknowledgement")
	f.c.OnRecorded(nil)
	f.regisseur()
	want(0, "after the hook was removed")
}
