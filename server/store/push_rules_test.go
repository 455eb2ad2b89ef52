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

// TestEveryPushAppliesTheRules: the store has one way to take a counter's
// journal, and it checks meaning for whoever calls it (the sync API, a
// tool, a test): well-chained journals as fixtures used to write them —
// no till opened, the day taken in UTC, a receipt number skipped — are
// refused whole with the rule's code and leave the database as it was; the
// same payments written as a counter records them are stored.
func TestEveryPushAppliesTheRules(t *testing.T) {
	st, c := open(t)
	ctx := context.Background()
	if err := st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.UpsertHousehold(&regie.Household{ID: "H", Account: "A", Name: "N"}); err != nil {
			return err
		}
		return tx.UpsertInvoice("ENF", &regie.Invoice{ID: "I", Number: "FAC-1", HouseholdID: "H", Label: "L", Amount: 50_00})
	}); err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 27 November is 00:30 on the 28th in Paris.
	at := time.Date(2026, 11, 27, 23, 30, 0, 0, time.UTC)
	session := &regie.TillSession{ID: "S", Counter: "C01", Agent: "a", OpenedAt: at, Day: "2026-11-28"}
	payment := func(n int, day string) *regie.Payment {
		return &regie.Payment{ID: "P", Receipt: regie.ReceiptNumber("ENF", "C01", 2026, n), Regie: "ENF", Counter: "C01",
			SessionID: "S", Agent: "a", At: at, Day: day, HouseholdID: "H", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 10_00}},
			Allocations: []regie.Allocation{{InvoiceID: "I", Label: "L", Amount: 10_00}}, Total: 10_00}
	}
	chain := func(objs ...any) []regie.Entry {
		var out []regie.Entry
		var prev *regie.Entry
		for _, o := range objs {
			kind, id := regie.KindPayment, "P"
			if s, ok := o.(*regie.TillSession); ok {
				kind, id = regie.KindSessionOpen, s.ID
			}
			e, err := regie.NewEntry(prev, "C01", kind, id, "a", at, o)
			if err != nil {
				t.Fatal(err)
			}
			out, prev = append(out, *e), e
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		entries []regie.Entry
		seq     int64
		code    regie.ErrorCode
	}{
		{"no till opened", chain(payment(1, "2026-11-28")), 1, regie.ENoSession},
		{"day of UTC", chain(session, payment(1, "2026-11-27")), 2, regie.EEntryIncoherent},
		{"receipt number skipped", chain(session, payment(2, "2026-11-28")), 2, regie.EReceiptNumber},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := push(st, c, tc.entries)
			var ee *store.EntryError
			if !errors.As(err, &ee) || !ee.Violation || ee.Seq != tc.seq || ee.Code != string(tc.code) {
				t.Fatalf("want entry %d refused with %s, got %v", tc.seq, tc.code, err)
			}
			var journal, payments int
			st.QueryRow(`SELECT count(*) FROM journal`).Scan(&journal)
			st.QueryRow(`SELECT count(*) FROM payments`).Scan(&payments)
			if journal != 0 || payments != 0 {
				t.Fatalf("a refused push wrote %d entries, %d payments", journal, payments)
			}
		})
	}
	j := apptest.NewJournal("ENF", "C01", "a")
	j.Pay(t, at, &regie.Payment{ID: "P", HouseholdID: "H", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 10_00}},
		Allocations: []regie.Allocation{{InvoiceID: "I", Label: "L", Amount: 10_00}}})
	good := j.Take()
	// Without the server's clock the rules would skip the clock's: refused.
	if err := st.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PushChecked(c, store.Batches(store.PrepareBatch(good)), store.PushOptions{})
		return err
	}); err == nil {
		t.Fatal("a push without the server's clock was taken")
	}
	if res, err := push(st, c, good); err != nil || res.LastSeq != 2 || res.Stored != 2 {
		t.Fatalf("as a counter records it: %+v, %v", res, err)
	}
}
