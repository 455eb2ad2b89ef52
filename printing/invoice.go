package printing

import (
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/regie-fr/regie"
)

// InvoiceData is a copy of an invoice as the server knows it: the lines
// the business software sent, and what the counters (and online payments)
// have paid on it since. It is what Publik and other online services hand
// to a citizen; the household's access code is left out, since this copy
// travels by download rather than by post to the household.
type InvoiceData struct {
	Issuer
	Invoice regie.Invoice
	// Household, Account and Address name the foyer the invoice is
	// addressed to.
	Household string
	Account   string
	Address   string
	// Paid is what has been paid on the invoice, cancellations deducted;
	// Invoice.Remaining what is still due.
	Paid regie.Money
	// At is when the copy was made: the paid and remaining amounts are as
	// of then.
	At time.Time
}

// WriteInvoicePDF writes the invoice on A4 pages: the régie, the invoice's
// number and dates, the household, its lines, the total, what has been
// paid and what remains due, as of d.At. The same data always gives the
// same bytes.
func WriteInvoicePDF(w io.Writer, d *InvoiceData) error {
	inv := &d.Invoice
	if inv.Number == "" || d.Household == "" || d.At.IsZero() {
		return errors.New("printing: invoice: number, household or time missing")
	}
	loc := location(&d.Regie)
	title := "Facture n° " + inv.Number
	doc := newDoc("P", sizeA4, 15, title, d.At)
	doc.uncompressed()
	pdf := doc.pdf
	pdf.AddPage()
	var sub []string
	if inv.IssuedOn != "" {
		sub = append(sub, "Émise le "+frShortDay(inv.IssuedOn))
	}
	if inv.DueOn != "" {
		sub = append(sub, "À régler au plus tard le "+frShortDay(inv.DueOn))
	}
	doc.letterhead(&d.Issuer, title, sub...)

	doc.pair(35, "Foyer :", d.Household)
	if d.Account != "" {
		doc.pair(35, "N° de compte :", d.Account)
	}
	if d.Address != "" {
		doc.pair(35, "Adresse :", d.Address)
	}
	if inv.Label != "" {
		doc.pair(35, "Objet :", inv.Label)
	}

	doc.heading("Détail")
	t := doc.newTable(8, 3.8, column{"Prestation", 62, "L"}, column{"Bénéficiaire", 36, "L"},
		column{"Période", 34, "L"}, column{"Qté", 10, "R"}, column{"Prix unitaire", 20, "R"}, column{"Montant", 18, "R"})
	t.header()
	for _, l := range inv.Lines {
		t.row(l.Label, l.Beneficiary, l.Period, strconv.Itoa(l.Quantity), l.UnitPrice.String(), l.Amount.String())
	}
	if len(inv.Lines) == 0 {
		t.row(inv.Label, "", "", "1", inv.Amount.String(), inv.Amount.String())
	}

	pdf.SetY(pdf.GetY() + 3)
	amountW := 40.0
	labelW := doc.contentWidth() - amountW
	doc.font("", 10)
	doc.cell(labelW, 6, "Montant de la facture", "1", "L", 0)
	doc.cell(amountW, 6, inv.Amount.String(), "1", "R", 1)
	doc.cell(labelW, 6, "Déjà réglé au "+frDateTime(d.At.In(loc)), "1", "L", 0)
	doc.cell(amountW, 6, d.Paid.String(), "1", "R", 1)
	doc.font("B", 12)
	doc.fillCell(labelW, 8, "Reste à payer", "1", "L", 0)
	doc.fillCell(amountW, 8, inv.Remaining.String(), "1", "R", 1)
	doc.font("", 9)
	pdf.SetY(pdf.GetY() + 2)
	if inv.Remaining == 0 {
		doc.multi(0, 4.5, "Cette facture est entièrement réglée.", "", "L")
	} else {
		doc.multi(0, 4.5, "Vous pouvez régler cette facture en ligne, ou au guichet de la régie sur présentation de ce document.", "", "L")
	}
	return doc.write(w, "invoice")
}
