package regie

import "sort"

// Denominations are the euro notes and coins in cents, largest first, as the
// billetage grid lists them.
var Denominations = []Money{
	500_00, 200_00, 100_00, 50_00, 20_00, 10_00, 5_00,
	2_00, 1_00, 50, 20, 10, 5, 2, 1,
}

// IsNote tells notes from coins, for the two halves of the billetage grid.
func IsNote(d Money) bool { return d >= 5_00 }

// CashLine is how many pieces of one denomination were counted.
type CashLine struct {
	Value Money `json:"value"`
	Count int64 `json:"count"`
}

// CashCount is a billetage: the till's content by denomination.
type CashCount []CashLine

// Validate refuses unknown denominations, negative counts and a
// denomination listed twice.
func (c CashCount) Validate() error {
	seen := map[Money]bool{}
	for _, l := range c {
		known := false
		for _, d := range Denominations {
			known = known || d == l.Value
		}
		if !known {
			return Errorf(EUnknownDenom, "Coupure inconnue : %s.", l.Value)
		}
		if seen[l.Value] {
			return Errorf(EDuplicateDenom, "La coupure %s est comptée deux fois.", l.Value)
		}
		if l.Count < 0 || l.Count > 1_000_000 {
			return Errorf(EInvalid, "Nombre de pièces ou billets de %s invalide.", l.Value)
		}
		seen[l.Value] = true
	}
	return nil
}

// Total is the value of the count.
func (c CashCount) Total() Money {
	var s Money
	for _, l := range c {
		s += l.Value * Money(l.Count)
	}
	return s
}

// Normalized drops empty lines and orders the rest largest first, so that two
// equal counts encode to the same journal bytes.
func (c CashCount) Normalized() CashCount {
	out := CashCount{}
	for _, l := range c {
		if l.Count != 0 {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value > out[j].Value })
	return out
}
