package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/store"
)

// TestPushCancelReasonsInForce: the server checks a cancellation's reason
// against the régie's lists as they were in its settings' history. A
// journal recorded while ENF had the default list is taken after ENF chose
// its own list without that reason; a régie that has had its own list from
// the start refuses a default reason it never offered, and takes its own.
func TestPushCancelReasonsInForce(t *testing.T) {
	st, c := open(t)
	ctx := context.Background()
	var bib *store.Counter
	if err := st.Update(ctx, func(tx *store.Tx) (err error) {
		if err := tx.UpsertHousehold(&regie.Household{ID: "H", Account: "A", Name: "N"}); err != nil {
			return err
		}
		for _, r := range []string{"ENF", "BIB"} {
			if r == "BIB" {
				b := regie.Regie{Code: "BIB", Name: "Bibliothèque", Modes: []regie.PaymentMode{regie.Cash}, DepositPeriodDays: 7,
					CancelReasons: []string{"Livre rendu", regie.OtherReason}}
				if err := tx.SaveRegie(&b, true); err != nil {
					return err
				}
			}
			if err := tx.UpsertInvoice(r, &regie.Invoice{ID: "I-" + r, Number: "FAC-" + r, HouseholdID: "H", Label: "L", Amount: 50_00}); err != nil {
				return err
			}
		}
		bib, err = tx.CreateCounter(regie.Counter{Code: "C01", Regie: "BIB", Name: "Prêt"}, "hb", time.Now().Add(time.Hour), time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-time.Hour)
	journal := func(regieCode, reason string) []regie.Entry {
		j := apptest.NewJournal(regieCode, "C01", "a")
		p := &regie.Payment{HouseholdID: "H", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 10_00}},
			Allocations: []regie.Allocation{{InvoiceID: "I-" + regieCode, Label: "L", Amount: 10_00}}}
		j.Pay(t, at, p)
		j.Cancel(t, at.Add(time.Minute), p, reason)
		return j.Take()
	}
	// ENF recorded "Demande de l'usager" under the default list, then its
	// administrator chose a list without it before the counter pushed.
	enf := journal("ENF", regie.CancelReasons[5])
	if err := st.Update(ctx, func(tx *store.Tx) error {
		r, err := tx.Regie("ENF")
		if err != nil {
			return err
		}
		r.CancelReasons = []string{"Erreur de saisie du montant", regie.OtherReason}
		return tx.SaveRegie(r, false)
	}); err != nil {
		t.Fatal(err)
	}
	if res, err := push(st, c, enf); err != nil || res.Stored != 3 {
		t.Fatalf("a reason of the list in force when recorded: %+v %v", res, err)
	}
	_, err := push(st, bib, journal("BIB", regie.CancelReasons[5]))
	if ee := (*store.EntryError)(nil); !errors.As(err, &ee) || ee.Seq != 3 || ee.Code != string(regie.EReasonRequired) {
		t.Fatalf("a reason the régie never offered: %v", err)
	}
	if res, err := push(st, bib, journal("BIB", "Livre rendu")); err != nil || res.Stored != 3 {
		t.Fatalf("the régie's own reason: %+v %v", res, err)
	}
}
