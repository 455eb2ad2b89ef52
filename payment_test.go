package regie

import "testing"

// TestTenderValueDate: a date of value is a real day, no later than the
// payment's, and only on what came through the bank; without one, nothing
// changes for a desk's payments.
func TestTenderValueDate(t *testing.T) {
	r := &Regie{Code: "ENF", Name: "Enfance", Modes: []PaymentMode{Cash, Transfer, DirectDebit}}
	pay := func(tn Tender) *Payment {
		return &Payment{Day: "2026-12-03", HouseholdID: "h", Tenders: []Tender{tn},
			Allocations: []Allocation{{InvoiceID: "i", Label: "x", Amount: tn.Amount}}}
	}
	cases := []struct {
		name string
		t    Tender
		ok   bool
	}{
		{"transfer same day", Tender{Mode: Transfer, Amount: 100, Reference: "VIR1", ValueDate: "2026-12-03"}, true},
		{"direct debit before", Tender{Mode: DirectDebit, Amount: 100, Reference: "PRE1", ValueDate: "2026-11-28"}, true},
		{"none", Tender{Mode: Transfer, Amount: 100, Reference: "VIR1"}, true},
		{"future", Tender{Mode: Transfer, Amount: 100, Reference: "VIR1", ValueDate: "2026-12-04"}, false},
		{"not a day", Tender{Mode: Transfer, Amount: 100, Reference: "VIR1", ValueDate: "2026-02-30"}, false},
		{"french layout", Tender{Mode: Transfer, Amount: 100, Reference: "VIR1", ValueDate: "02/12/2026"}, false},
		{"on cash", Tender{Mode: Cash, Amount: 100, ValueDate: "2026-12-01"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := pay(c.t).ValidateIn(r, ChannelDesk)
			if c.t.Mode != Cash {
				err = pay(c.t).ValidateIn(r, ChannelBackOffice)
			}
			if (err == nil) != c.ok {
				t.Fatalf("ok %v, got %v", c.ok, err)
			}
			if err != nil && ErrorCodeOf(err) != ETransferDetails {
				t.Errorf("code %s: %v", ErrorCodeOf(err), err)
			}
		})
	}
}
