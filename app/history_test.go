package app_test

import (
	"testing"

	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/store"
)

// TestHistoryBefore: the store's history answers the journal rules for the
// entries before a seq only — the start check replays the rest into its
// own state, so a row they made must not answer twice — and for all of
// them when the counter records.
func TestHistoryBefore(t *testing.T) {
	f := newFixture(t)
	reg := f.regisseur()
	s := f.open(reg)
	p1 := f.pay(reg, cashOn("i-0001-1", 10_00))
	p2 := f.pay(reg, cashOn("i-0001-2", 5_00))
	f.closeExact(reg, app.ClosingRequest{})
	err := f.st.View(f.ctx, func(tx *store.Tx) error {
		e, err := tx.Entry(p2.ID)
		if err != nil || e == nil {
			t.Fatalf("entry of %s: %v", p2.Receipt, err)
		}
		year := s.OpenedAt.In(paris).Year()
		before, all := tx.HistoryBefore(e.Seq), tx.JournalHistory()
		if n, _ := before.LastReceipt(year); n != 1 {
			t.Errorf("before: last receipt %d, want 1", n)
		}
		if n, _ := all.LastReceipt(year); n != 2 {
			t.Errorf("all: last receipt %d, want 2", n)
		}
		if sealed, _ := before.Sealed(s.Day); sealed {
			t.Error("before: the day is sealed by a closing that comes after")
		}
		if sealed, _ := all.Sealed(s.Day); !sealed {
			t.Error("all: the closed day is not sealed")
		}
		if p, _ := before.Payment(p2.ID); p != nil {
			t.Error("before: the second payment is known")
		}
		if p, _ := before.Payment(p1.ID); p == nil || p.Receipt != p1.Receipt {
			t.Errorf("before: first payment %v", p)
		}
		if z, _ := before.LastClosing(); z != nil {
			t.Error("before: a closing that comes after is the last")
		}
		if z, _ := all.LastClosing(); z == nil || z.Day != s.Day {
			t.Errorf("all: last closing %v", z)
		}
		if f1, _ := before.DayFigures(s.Day); f1.Payments != 1 || f1.LastReceipt != p1.Receipt {
			t.Errorf("before: day figures %+v", f1)
		}
		if f2, _ := all.DayFigures(s.Day); f2.Payments != 2 || f2.LastReceipt != p2.Receipt {
			t.Errorf("all: day figures %+v", f2)
		}
		if last, _ := before.LastSession(); last == nil || last.ID != s.ID {
			t.Errorf("before: last session %v", last)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
