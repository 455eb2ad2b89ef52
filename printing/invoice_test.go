package printing

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

func sampleInvoice() *InvoiceData {
	return &InvoiceData{Issuer: sampleIssuer(), Household: "Lefèvre Hélène", Account: "F001001",
		Address: "3 rue des Écoles, 49000 Montaigu-sur-Loire", Paid: 20_00,
		At: time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC),
		Invoice: regie.Invoice{ID: "i-1", Number: "FAC-2026-00101", Label: "Restauration scolaire – octobre 2026",
			Amount: 61_60, Remaining: 41_60, IssuedOn: "2026-11-05", DueOn: "2026-12-05",
			Lines: []regie.InvoiceLine{{Label: "Repas", Beneficiary: "Chloé Lefèvre", Period: "octobre 2026",
				Quantity: 16, UnitPrice: 3_85, Amount: 61_60}}}}
}

func TestInvoicePDF(t *testing.T) {
	var a, b bytes.Buffer
	if err := WriteInvoicePDF(&a, sampleInvoice()); err != nil {
		t.Fatal(err)
	}
	if err := WriteInvoicePDF(&b, sampleInvoice()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same invoice gives different bytes")
	}
	txt := pdfText(t, a.Bytes())
	for _, want := range []string{"Facture n° FAC-2026-00101", "Émise le 05/11/2026", "À régler au plus tard le 05/12/2026",
		"Lefèvre Hélène", "F001001", "3 rue des Écoles", "Chloé Lefèvre", "3,85 €", "61,60 €", "Déjà réglé au 20/11/2026 à 10:30",
		"20,00 €", "Reste à payer", "41,60 €"} {
		if !strings.Contains(txt, want) {
			t.Errorf("invoice lacks %q:\n%s", want, layoutPart(txt))
		}
	}
	// Many lines go on to a second page with the table's heading.
	d := sampleInvoice()
	for i := range 60 {
		d.Invoice.Lines = append(d.Invoice.Lines, regie.InvoiceLine{Label: fmt.Sprintf("Séance %d", i+1), Quantity: 1, UnitPrice: 1_00, Amount: 1_00})
	}
	var c bytes.Buffer
	if err := WriteInvoicePDF(&c, d); err != nil {
		t.Fatal(err)
	}
	if txt := pdfText(t, c.Bytes()); !strings.Contains(txt, "Séance 60") || strings.Count(layoutPart(txt), "Prestation") < 2 {
		t.Errorf("long invoice:\n%s", layoutPart(txt))
	}
	if err := WriteInvoicePDF(&c, &InvoiceData{}); err == nil {
		t.Error("an invoice without number printed")
	}
}
