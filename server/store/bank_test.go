package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// TestBankTablesAppendOnly: statements, entries and decisions are never
// changed nor deleted, an account's reference is one entry, and an entry
// has at most one decision that records a payment — the store refuses
// whatever the code above it does.
func TestBankTablesAppendOnly(t *testing.T) {
	st, _ := open(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	iban := "FR7330001004900000012345005"
	entry := &store.BankEntry{ID: "e1", Regie: "ENF", IBAN: iban, Ref: "R1", StatementID: "s1", Idx: 1, BookingDay: "2026-12-01",
		ValueDay: "2026-12-01", Amount: 10_00, Direction: "credit", Mode: regie.Transfer, Outcome: store.BankUnmatched}
	err := st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.BindBankAccount(iban, "ENF", now); err != nil {
			return err
		}
		if err := tx.InsertBankStatement(&store.BankStatement{ID: "s1", Regie: "ENF", IBAN: iban, Format: "csv", At: now}); err != nil {
			return err
		}
		if err := tx.InsertBankEntry(entry); err != nil {
			return err
		}
		return tx.InsertBankDecision(&store.BankDecision{ID: "d1", EntryID: "e1", Regie: "ENF", Kind: "assign", PaymentID: "p1", Receipt: "R", At: now})
	})
	if err != nil {
		t.Fatal(err)
	}
	// A second entry under the same reference of the account, and a
	// second paying decision, are refused.
	dup := *entry
	dup.ID = "e2"
	err = st.Update(ctx, func(tx *store.Tx) error { return tx.InsertBankEntry(&dup) })
	if err == nil {
		t.Error("two entries under one reference")
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		return tx.InsertBankDecision(&store.BankDecision{ID: "d2", EntryID: "e1", Regie: "ENF", Kind: "split", PaymentID: "p2", Receipt: "R2", At: now})
	})
	var re *regie.Error
	if !errors.As(err, &re) || re.Code != regie.EConflict {
		t.Errorf("second paying decision: %v", err)
	}
	for _, q := range []string{
		`UPDATE bank_accounts SET regie = 'PIS'`, `DELETE FROM bank_accounts`,
		`UPDATE bank_statements SET added = 0`, `DELETE FROM bank_statements`,
		`UPDATE bank_entries SET amount = 1`, `DELETE FROM bank_entries`,
		`UPDATE bank_decisions SET kind = 'leave', payment_id = ''`, `DELETE FROM bank_decisions`,
	} {
		if _, err := st.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", q, err)
		}
	}
	// What the store reads back is what was written, scoped by régie.
	err = st.View(ctx, func(tx *store.Tx) error {
		e, err := tx.BankEntryByID([]string{"ENF"}, "e1")
		if err != nil || e == nil || e.State() != "paid" || e.Paid().Receipt != "R" {
			t.Errorf("entry %+v %v", e, err)
		}
		if e, err := tx.BankEntryByID([]string{"PIS"}, "e1"); err != nil || e != nil {
			t.Errorf("entry read from another régie: %+v %v", e, err)
		}
		if e, err := tx.BankEntryByID(nil, "e1"); err != nil || e != nil {
			t.Errorf("entry read with no régie: %+v %v", e, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
