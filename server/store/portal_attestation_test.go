package store

import (
	"reflect"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
)

// TestSplitAllocation: a payment on an invoice is shared among its lines
// pro rata, the cents of rounding to the largest remainders, so the shares
// always add up to what was paid; lines of one service and child merge.
func TestSplitAllocation(t *testing.T) {
	lines := []regie.InvoiceLine{
		{Label: "Restauration scolaire – octobre 2026", Period: "octobre 2026", Beneficiary: "Chloé Lefèvre", Amount: 61_60},
		{Label: "Restauration scolaire – octobre 2026", Period: "octobre 2026", Beneficiary: "Noé Lefèvre", Amount: 30_80},
		{Label: "Accueil périscolaire", Period: "octobre 2026", Beneficiary: " Chloé Lefèvre ", Amount: 32_00},
		{Label: "Restauration scolaire – novembre 2026", Period: "novembre 2026", Beneficiary: "Chloé Lefèvre", Amount: 10_00},
	}
	for _, c := range []struct {
		name   string
		amount regie.Money
		want   []printing.AttestationShare
	}{
		{"whole", 134_40, []printing.AttestationShare{sh("Restauration scolaire", "Chloé Lefèvre", 71_60),
			sh("Restauration scolaire", "Noé Lefèvre", 30_80), sh("Accueil périscolaire", "Chloé Lefèvre", 32_00)}},
		{"a cent", 1, []printing.AttestationShare{sh("Restauration scolaire", "Chloé Lefèvre", 1),
			sh("Restauration scolaire", "Noé Lefèvre", 0), sh("Accueil périscolaire", "Chloé Lefèvre", 0)}},
		{"a third", 44_80, []printing.AttestationShare{sh("Restauration scolaire", "Chloé Lefèvre", 23_86),
			sh("Restauration scolaire", "Noé Lefèvre", 10_27), sh("Accueil périscolaire", "Chloé Lefèvre", 10_67)}},
	} {
		got := splitAllocation(regie.Allocation{InvoiceID: "i", Amount: c.amount}, lines)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
		var sum regie.Money
		for _, s := range got {
			sum += s.Amount
		}
		if sum != c.amount {
			t.Errorf("%s: shares add up to %d, paid %d", c.name, sum, c.amount)
		}
	}
	// A catalogue item, or an invoice without lines: one share, its label.
	if got := splitAllocation(regie.Allocation{ItemCode: "PISC-ENT", Label: "Piscine – entrée adulte", Amount: 4_20}, nil); !reflect.DeepEqual(got,
		[]printing.AttestationShare{{Service: "Piscine – entrée adulte", Amount: 4_20}}) {
		t.Errorf("item: %+v", got)
	}
}

func sh(service, child string, amount regie.Money) printing.AttestationShare {
	return printing.AttestationShare{Service: service, Child: child, Amount: amount}
}

func TestServiceName(t *testing.T) {
	for _, c := range [][3]string{
		{"Restauration scolaire – octobre 2026", "octobre 2026", "Restauration scolaire"},
		{"Centre de loisirs – vacances de la Toussaint", "du 19 au 30 octobre 2026", "Centre de loisirs – vacances de la Toussaint"},
		{"Repas cantine", "mars 2026", "Repas cantine"},
		{"Garderie - mars 2026", "mars 2026", "Garderie"},
		{"mars 2026", "mars 2026", "mars 2026"},
		{"  ", "", "Paiement"},
	} {
		if got := serviceName(c[0], c[1]); got != c[2] {
			t.Errorf("serviceName(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}
