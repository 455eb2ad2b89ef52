package ledger_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// paris is 10:00 on a December day in the régie's time zone.
var paris = func() *time.Location { l, _ := time.LoadLocation("Europe/Paris"); return l }()

func newStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	return st
}

func online(key string, amount regie.Money) ledger.Request {
	return ledger.Request{Regie: "ENF", Channel: regie.ChannelOnline, Source: ledger.SourcePayFiP, Key: key,
		HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Online, Amount: amount, Reference: key}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", InvoiceNumber: "FAC-2026-00101", Label: "Restauration", Amount: amount}}}
}

func record(t *testing.T, st *store.Store, req ledger.Request, now time.Time) (*regie.Payment, bool, error) {
	t.Helper()
	var p *regie.Payment
	var created bool
	err := st.Update(context.Background(), func(tx *store.Tx) (err error) {
		p, created, err = ledger.Record(tx, req, now)
		return err
	})
	return p, created, err
}

func remaining(t *testing.T, st *store.Store, id string) regie.Money {
	t.Helper()
	var m regie.Money
	if err := st.View(context.Background(), func(tx *store.Tx) error {
		inv, err := tx.Invoice(id)
		if err == nil {
			m = inv.Remaining
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

func verifyClean(t *testing.T, st *store.Store) []store.ChainReport {
	t.Helper()
	reports, err := st.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if r.Broken != nil || len(r.Problems) > 0 {
			t.Fatalf("verify %s/%s: broken %v, problems %v", r.Regie, r.Counter, r.Broken, r.Problems)
		}
	}
	return reports
}

func TestRecordOnceWhateverTheRepeats(t *testing.T) {
	st := newStore(t)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, paris)
	p, created, err := record(t, st, online("IDOP-1", 20_00), now)
	if err != nil || !created {
		t.Fatalf("first record: %v %v", created, err)
	}
	if p.Receipt != "R-ENF-ENLIGNE-2026-000001" || p.Counter != "ENLIGNE" || p.Day != "2026-12-03" {
		t.Fatalf("payment %+v", p)
	}
	if p.ID != ledger.PaymentID("ENF", ledger.SourcePayFiP, "IDOP-1") {
		t.Fatalf("id %s is not the source's", p.ID)
	}
	// The notification, the return and a resend: one payment.
	for i := 0; i < 3; i++ {
		again, created, err := record(t, st, online("IDOP-1", 20_00), now.Add(time.Duration(i+1)*time.Minute))
		if err != nil || created || again.Receipt != p.Receipt {
			t.Fatalf("repeat %d: %v %v %v", i, again, created, err)
		}
	}
	if got := remaining(t, st, "i-0001-1"); got != 61_60-20_00 {
		t.Fatalf("remaining %s", got)
	}
	// Another amount under the same reference is a conflict, not a payment.
	_, _, err = record(t, st, online("IDOP-1", 21_00), now.Add(time.Hour))
	var re *regie.Error
	if !errors.As(err, &re) || re.Code != regie.EConflict {
		t.Fatalf("conflict: %v", err)
	}
	// The same key from another source is another payment.
	pub := online("IDOP-1", 5_00)
	pub.Source = ledger.SourcePublik
	p2, created, err := record(t, st, pub, now.Add(2*time.Hour))
	if err != nil || !created || p2.Receipt != "R-ENF-ENLIGNE-2026-000002" {
		t.Fatalf("publik: %v %v %v", p2, created, err)
	}
	verifyClean(t, st)
}

func TestEachServerCounterTakesItsModes(t *testing.T) {
	st := newStore(t)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, paris)
	cases := []struct {
		name string
		ch   regie.Channel
		mode regie.PaymentMode
		ok   bool
	}{
		{"online at the online counter", regie.ChannelOnline, regie.Online, true},
		{"transfer at the online counter", regie.ChannelOnline, regie.Transfer, false},
		{"transfer at the back-office", regie.ChannelBackOffice, regie.Transfer, true},
		{"direct debit at the back-office", regie.ChannelBackOffice, regie.DirectDebit, true},
		{"online at the back-office", regie.ChannelBackOffice, regie.Online, false},
		{"cash at the back-office", regie.ChannelBackOffice, regie.Cash, false},
		{"card online", regie.ChannelOnline, regie.Card, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := online("K-"+tc.name, 1_00)
			req.Channel, req.Source = tc.ch, ledger.SourceBackOffice
			req.Tenders[0].Mode = tc.mode
			if tc.mode == regie.Card {
				req.Tenders[0].Authorisation = "123456"
			}
			before := remaining(t, st, "i-0001-1")
			_, _, err := record(t, st, req, now.Add(time.Duration(i)*time.Minute))
			if tc.ok != (err == nil) {
				t.Fatalf("ok %v, err %v", tc.ok, err)
			}
			var re *regie.Error
			if !tc.ok && (!errors.As(err, &re) || re.Code != regie.EModeNotAllowed) {
				t.Fatalf("refusal: %v", err)
			}
			if after := remaining(t, st, "i-0001-1"); tc.ok != (after == before-1_00) {
				t.Fatalf("remaining %s → %s", before, after)
			}
		})
	}
	// A desk refuses the online mode whatever the régie's settings say.
	if err := (&regie.Payment{Tenders: []regie.Tender{{Mode: regie.Online, Amount: 1, Reference: "x"}},
		Allocations: []regie.Allocation{{ItemCode: "X", Amount: 1}}}).Validate(&regie.Regie{Modes: regie.Modes, AnonymousSales: true}); err == nil {
		t.Fatal("a desk took an online payment")
	}
	verifyClean(t, st)
}

func TestDaysOpenAndCloseByThemselves(t *testing.T) {
	st := newStore(t)
	day1 := time.Date(2026, 12, 3, 23, 50, 0, 0, paris)
	if _, _, err := record(t, st, online("A", 10_00), day1); err != nil {
		t.Fatal(err)
	}
	// After midnight in Paris (still the 3rd in UTC), the next payment is
	// on a new day: the 3rd is closed first with its totals.
	day2 := time.Date(2026, 12, 4, 0, 10, 0, 0, paris)
	p, _, err := record(t, st, online("B", 5_00), day2)
	if err != nil || p.Day != "2026-12-04" || p.Receipt != "R-ENF-ENLIGNE-2026-000002" {
		t.Fatalf("day 2: %+v %v", p, err)
	}
	rows := closings(t, st)
	if len(rows) != 1 || rows[0].Day != "2026-12-03" || rows[0].Totals[regie.Online] != 10_00 || rows[0].Payments != 1 {
		t.Fatalf("closings after day 2: %+v", rows)
	}
	// Nothing more on the 4th: the periodic closing seals it on the 5th,
	// once only, with the perpetual grand total.
	for i := 0; i < 2; i++ {
		var n int
		if err := st.Update(context.Background(), func(tx *store.Tx) (err error) {
			n, err = ledger.CloseDays(tx, time.Date(2026, 12, 5, 0, 1, i, 0, paris))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if want := 1 - i; n != want {
			t.Fatalf("CloseDays run %d closed %d days, want %d", i, n, want)
		}
	}
	rows = closings(t, st)
	if len(rows) != 2 || rows[0].Day != "2026-12-04" || rows[0].GrandTotals[regie.Online] != 15_00 {
		t.Fatalf("closings: %+v", rows)
	}
	// A day once closed takes nothing more, even from a clock gone back.
	if _, _, err := record(t, st, online("C", 1_00), day2.Add(time.Hour)); err == nil {
		t.Fatal("recorded on a closed day")
	}
	verifyClean(t, st)
}

// closings are the online counter's closings, latest day first.
func closings(t *testing.T, st *store.Store) []regie.Closing {
	t.Helper()
	var out []regie.Closing
	if err := st.View(context.Background(), func(tx *store.Tx) error {
		rows, err := tx.Closings([]string{"ENF"}, "2026-01-01", "2026-12-31")
		for _, r := range rows {
			if r.Counter == "ENLIGNE" {
				out = append(out, r.Closing)
			}
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestInvoiceNumbersFilledIn: a caller that names invoices by id only gets
// them numbered and labelled as the server knows them (receipts, portal
// and exports show the number); a wrong number is still refused.
func TestInvoiceNumbersFilledIn(t *testing.T) {
	st := newStore(t)
	now := time.Date(2026, 12, 3, 10, 0, 0, 0, paris)
	req := online("IDOP-N", 5_00)
	req.Allocations[0].InvoiceNumber, req.Allocations[0].Label = "", ""
	p, _, err := record(t, st, req, now)
	if err != nil {
		t.Fatal(err)
	}
	if a := p.Allocations[0]; a.InvoiceNumber != "FAC-2026-00101" || a.Label != "Restauration scolaire – octobre 2026" {
		t.Fatalf("allocation %+v", a)
	}
	if req.Allocations[0].InvoiceNumber != "" {
		t.Fatal("the caller's request was changed")
	}
	bad := online("IDOP-M", 5_00)
	bad.Allocations[0].InvoiceNumber = "FAC-2026-00102"
	if _, _, err := record(t, st, bad, now); regie.ErrorCodeOf(err) != regie.EHouseholdMismatch {
		t.Fatalf("wrong number: %v", err)
	}
	verifyClean(t, st)
}
