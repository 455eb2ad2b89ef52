package store

import (
	"testing"

	"github.com/regie-fr/regie"
)

// FuzzSplitAllocation: whatever the invoice's lines (amounts zero,
// negative, huge) and the amount paid, the shares add up to what was paid,
// exactly, and no share is of a line of nothing.
func FuzzSplitAllocation(f *testing.F) {
	f.Add(int64(4480), int64(6160), int64(3080), int64(3200), "octobre 2026")
	f.Add(int64(1), int64(1), int64(1), int64(1), "")
	f.Add(int64(100), int64(0), int64(-50), int64(0), "mars")
	f.Add(int64(99999999999), int64(7), int64(99999999999), int64(3), "x")
	f.Fuzz(func(t *testing.T, paid, a, b, c int64, period string) {
		// Amounts a régie records: up to a hundred million euros.
		const limit = 100_000_000_00
		if paid < 0 || paid > limit || a > limit || b > limit || c > limit {
			return // outside what a régie records
		}
		lines := []regie.InvoiceLine{
			{Label: "Restauration scolaire – " + period, Period: period, Beneficiary: "A", Amount: regie.Money(a)},
			{Label: "Accueil", Period: period, Beneficiary: "B", Amount: regie.Money(b)},
			{Label: "Restauration scolaire – " + period, Period: period, Beneficiary: "A", Amount: regie.Money(c)},
		}
		shares := splitAllocation(regie.Allocation{InvoiceID: "i", Label: "Facture", Amount: regie.Money(paid)}, lines)
		var sum regie.Money
		for _, s := range shares {
			sum += s.Amount
			if s.Amount < 0 || s.Service == "" {
				t.Fatalf("share %+v of %d over %v", s, paid, lines)
			}
		}
		if sum != regie.Money(paid) || len(shares) == 0 {
			t.Fatalf("shares %+v add up to %d, paid %d", shares, sum, paid)
		}
	})
}
