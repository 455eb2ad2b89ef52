package regie

import "testing"

// TestSettleInvoice: the rules on an amount against what remains.
func TestSettleInvoice(t *testing.T) {
	partial := &Regie{PartialPayments: true}
	whole := &Regie{}
	cases := []struct {
		name      string
		r         *Regie
		remaining Money
		amount    Money
		approved  bool
		credit    Money
		code      ErrorCode
	}{
		{"exact", whole, 61_60, 61_60, false, 0, ""},
		{"partial allowed", partial, 61_60, 20_00, false, 0, ""},
		{"partial refused", whole, 61_60, 20_00, false, 0, EPartialRefused},
		{"over without consent", partial, 61_60, 70_00, false, 0, EOverRemaining},
		{"over with consent", whole, 61_60, 70_00, true, 8_40, ""},
		{"paid invoice, consent", whole, 0, 5_00, true, 5_00, ""},
		{"zero", partial, 61_60, 0, true, 0, EAmountNotPositive},
		{"negative", partial, 61_60, -1, true, 0, EAmountNotPositive},
	}
	for _, c := range cases {
		credit, err := SettleInvoice(c.r, "FAC-1", c.remaining, c.amount, c.approved)
		if ErrorCodeOf(err) != c.code || credit != c.credit {
			t.Errorf("%s: credit %s, err %v; want %s, %q", c.name, credit, err, c.credit, c.code)
		}
	}
}
