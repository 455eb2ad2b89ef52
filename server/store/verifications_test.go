package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/store"
)

// deskDay writes a day of C01 through the checked push: 150 € float, two
// cash payments of 10 €, a cheque of 25 €, one cash payment cancelled;
// the day is left open.
func deskDay(t *testing.T, st *store.Store, c *store.Counter) {
	t.Helper()
	j := apptest.NewJournal("ENF", "C01", "a")
	j.Float = 150_00
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, apptest.Paris)
	item := func(m regie.PaymentMode, amount regie.Money) *regie.Payment {
		tender := regie.Tender{Mode: m, Amount: amount}
		if m == regie.Check {
			tender.CheckNumber, tender.Bank, tender.Drawer = "0001", "Banque", "Tireur"
		}
		return &regie.Payment{Tenders: []regie.Tender{tender}, Allocations: []regie.Allocation{{ItemCode: "X", Label: "X", Amount: amount}}}
	}
	j.Pay(t, at, item(regie.Cash, 10_00))
	p := item(regie.Cash, 10_00)
	j.Pay(t, at.Add(time.Minute), p)
	j.Pay(t, at.Add(2*time.Minute), item(regie.Check, 25_00))
	j.Cancel(t, at.Add(3*time.Minute), p, regie.CancelReasons[0])
	if err := st.Update(context.Background(), func(tx *store.Tx) error {
		r := regie.Regie{Code: "ENF", Name: "Régie", Modes: []regie.PaymentMode{regie.Cash, regie.Check}, DepositPeriodDays: 7,
			AnonymousSales: true}
		if err := tx.SaveRegie(&r, false); err != nil {
			return err
		}
		return tx.SaveItem("ENF", &regie.CatalogueItem{Code: "X", Label: "X", Price: 1, Active: true})
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := push(st, c, j.Take()); err != nil {
		t.Fatal(err)
	}
}

func verificationOf(id string) *regie.CashVerification {
	return &regie.CashVerification{ID: id, Regie: "ENF", Agent: "s-regisseur", Verifier: "Jeanne Lefèvre",
		VerifierTitle: "Comptable public", Regisseur: "Marie Dupont",
		Lines: []regie.VerificationLine{{Counter: "C01", CountedCash: 159_00, CountedChecks: 25_00, CountedCount: 1}}}
}

// TestRecordVerification: the expected amounts come from the journal, the
// procès-verbal is the first entry of the régie's back-office counter
// (created then, never enrollable), verify accepts that journal, and a
// stale form or a desk counter pushing the same kind writes nothing.
func TestRecordVerification(t *testing.T) {
	st, c := open(t)
	ctx := context.Background()
	deskDay(t, st, c)
	now := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)

	// A counter that never recorded anything holds nothing to check.
	if err := st.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.CreateCounter(regie.Counter{Code: "C02", Regie: "ENF", Name: "C02"}, "h2", now.Add(time.Hour), now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var hs []store.CounterHolding
	if err := st.View(ctx, func(tx *store.Tx) (err error) { hs, err = tx.Holdings("ENF"); return err }); err != nil {
		t.Fatal(err)
	}
	if len(hs) != 1 || hs[0].Holding.Cash != 160_00 || regie.ChecksTotal(hs[0].Holding.Checks) != 25_00 {
		t.Fatalf("holdings %+v, want C01 holding 160,00 € and a 25,00 € cheque", hs)
	}
	head := hs[0].Holding.Seq

	// A form shown before the counter's last entry is refused.
	err := st.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.RecordVerification(verificationOf("pv-stale"), map[string]int64{"C01": head - 1}, now)
		return err
	})
	var re *regie.Error
	if !errors.As(err, &re) || re.Code != regie.EConflict {
		t.Fatalf("stale form: %v", err)
	}

	var e *regie.Entry
	if err := st.Update(ctx, func(tx *store.Tx) (err error) {
		e, err = tx.RecordVerification(verificationOf("pv-1"), map[string]int64{"C01": head}, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if e.Counter != "GESTION" || e.Seq != 1 || e.Kind != regie.KindVerification {
		t.Fatalf("entry %+v, want the first of GESTION", e)
	}
	var rows []store.VerificationRow
	if err := st.View(ctx, func(tx *store.Tx) (err error) { rows, err = tx.Verifications([]string{"ENF"}); return err }); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].Hash != e.Hash {
		t.Fatalf("verifications %+v", rows)
	}
	l := rows[0].Verification.Lines[0]
	if l.ExpectedCash != 160_00 || l.CashDifference != -1_00 || l.ExpectedChecks != 25_00 || l.CheckDifference != 0 || l.AsOfSeq != head {
		t.Fatalf("line %+v", l)
	}
	// Another régie's list does not hold it.
	if err := st.View(ctx, func(tx *store.Tx) (err error) { rows, err = tx.Verifications([]string{"PIS"}); return err }); err != nil || len(rows) != 0 {
		t.Fatalf("another régie sees %d procès-verbaux (%v)", len(rows), err)
	}
	// A second one chains after the first.
	if err := st.Update(ctx, func(tx *store.Tx) (err error) {
		e, err = tx.RecordVerification(verificationOf("pv-2"), map[string]int64{"C01": head}, now.Add(time.Hour))
		return err
	}); err != nil || e.Seq != 2 {
		t.Fatalf("second procès-verbal: %v %+v", err, e)
	}

	reports, err := st.Verify(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range reports {
		if !r.OK() {
			t.Errorf("verify: %s", r)
		}
		seen[r.Counter] = true
	}
	if !seen["GESTION"] {
		t.Error("verify did not check the back-office counter")
	}

	// The back-office counter never enrols; its code is not a desk's.
	err = st.Update(ctx, func(tx *store.Tx) error { return tx.NewEnrolCode("ENF", "GESTION", "hash", now.Add(time.Hour)) })
	if !errors.As(err, &re) || re.Code != regie.EForbidden {
		t.Errorf("the back-office counter got an enrolment code: %v", err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error { return tx.RevokeCounter("ENF", "GESTION", now) })
	if !errors.As(err, &re) || re.Code != regie.EForbidden {
		t.Errorf("the back-office counter was revoked: %v", err)
	}
	// Under the code, the database itself refuses a credential.
	if _, err := st.Exec(`UPDATE counters SET credential_hash = 'x' WHERE code = 'GESTION'`); err == nil {
		t.Error("the database took a credential for the back-office counter")
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.CreateCounter(regie.Counter{Code: "ENLIGNE", Regie: "ENF", Name: "x"}, "h2", now.Add(time.Hour), now)
		return err
	})
	if !errors.As(err, &re) || re.Code != regie.EInvalid {
		t.Errorf("a desk counter took a reserved code: %v", err)
	}
}

// TestDeskCounterCannotPushVerification: a desk counter's push holding a
// procès-verbal is refused whole by the shared rules.
func TestDeskCounterCannotPushVerification(t *testing.T) {
	st, c := open(t)
	v := verificationOf("pv-desk")
	v.Counter = "C01"
	v.At = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	v.Lines[0].ExpectedCash = 159_00
	v.Compute()
	e, err := regie.NewEntry(nil, "C01", regie.KindVerification, v.ID, v.Agent, v.At, v)
	if err != nil {
		t.Fatal(err)
	}
	_, err = push(st, c, []regie.Entry{*e})
	var ee *store.EntryError
	if !errors.As(err, &ee) || !ee.Violation || ee.Code != string(regie.EForbidden) || !strings.Contains(ee.Message, "poste de gestion") {
		t.Fatalf("push: %v", err)
	}
	var n int
	if err := st.QueryRow(`SELECT count(*) FROM journal`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d entries stored (%v)", n, err)
	}
}
