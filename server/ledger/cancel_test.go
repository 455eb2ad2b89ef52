package ledger_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/bank"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
)

func cancel(t *testing.T, st *store.Store, req ledger.CancelRequest, now time.Time) error {
	t.Helper()
	return st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := ledger.Cancel(tx, req, now)
		return err
	})
}

// TestCancelABackOfficePayment: a transfer entered by mistake is cancelled
// the same day by a new entry; what it paid is owed again, once; an online
// payment, another day's, or one without a valid reason is not cancelled.
func TestCancelABackOfficePayment(t *testing.T) {
	st := newStore(t)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, paris)
	tr := online("FORM-1", 30_00)
	tr.Channel, tr.Source = regie.ChannelBackOffice, ledger.SourceBackOffice
	tr.Tenders[0].Mode = regie.Transfer
	p, _, err := record(t, st, tr, now)
	if err != nil {
		t.Fatal(err)
	}
	po, _, err := record(t, st, online("IDOP-9", 5_00), now)
	if err != nil {
		t.Fatal(err)
	}
	req := ledger.CancelRequest{Regie: "ENF", PaymentID: p.ID, Reason: "Erreur de foyer ou de facture", Agent: "s-0001"}
	for _, c := range []struct {
		name string
		req  ledger.CancelRequest
		at   time.Time
		want regie.ErrorCode
	}{
		{"no reason", ledger.CancelRequest{Regie: "ENF", PaymentID: p.ID, Agent: "s-0001"}, now, regie.EReasonRequired},
		{"other reason without comment", ledger.CancelRequest{Regie: "ENF", PaymentID: p.ID, Reason: regie.OtherReason, Agent: "s-0001"}, now, regie.ECommentRequired},
		{"an online payment", ledger.CancelRequest{Regie: "ENF", PaymentID: po.ID, Reason: req.Reason, Agent: "s-0001"}, now, regie.EPaymentNotFound},
		{"another régie", ledger.CancelRequest{Regie: "PIS", PaymentID: p.ID, Reason: req.Reason, Agent: "s-0001"}, now, regie.ENotFound},
		{"the next day", req, now.Add(24 * time.Hour), regie.ECancelNotSameDay},
	} {
		if err := cancel(t, st, c.req, c.at); regie.ErrorCodeOf(err) != c.want {
			t.Errorf("%s: %v, want %s", c.name, err, c.want)
		}
	}
	if got := remaining(t, st, "i-0001-1"); got != 61_60-35_00 {
		t.Fatalf("remaining after refusals %s", got)
	}
	if err := cancel(t, st, req, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := cancel(t, st, req, now.Add(2*time.Hour)); regie.ErrorCodeOf(err) != regie.EAlreadyCancelled {
		t.Fatalf("twice: %v", err)
	}
	if got := remaining(t, st, "i-0001-1"); got != 61_60-5_00 {
		t.Fatalf("remaining after cancellation %s", got)
	}
	verifyClean(t, st)
}

// TestBankPaymentsAreNotCancelledHere: a payment matched from a bank
// statement is tied to its entry, which cannot be assigned again: it is
// refused here rather than left paid by nothing.
func TestBankPaymentsAreNotCancelledHere(t *testing.T) {
	st := newStore(t)
	data, err := os.ReadFile("../bank/testdata/enf-camt053-001-02.xml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := bank.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, paris)
	if err := st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := bank.Record(tx, &bank.Import{Regie: "ENF", StaffID: "s-0001", Filename: "r.xml", Data: data, Statement: s}, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	id := ledger.PaymentID("ENF", ledger.SourceBank, "2026120100001")
	err = cancel(t, st, ledger.CancelRequest{Regie: "ENF", PaymentID: id, Reason: "Erreur de foyer ou de facture", Agent: "s-0001"}, now)
	if regie.ErrorCodeOf(err) != regie.EForbidden {
		t.Fatalf("cancel of a bank payment: %v", err)
	}
	if got := remaining(t, st, "i-0001-1"); got != 0 {
		t.Fatalf("remaining %s: the statement's credit did not pay the invoice", got)
	}
}
