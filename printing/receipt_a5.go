package printing

import (
	"fmt"
	"io"
)

// WriteReceiptPDF writes the receipt of d.Payment as a PDF in the given
// layout: an A5 page or an 80 mm ticket. A reprint (d.Duplicate) says
// DUPLICATA, a cancelled payment (d.Cancelled) says ANNULÉ. The same data
// always gives the same bytes.
func WriteReceiptPDF(w io.Writer, d *ReceiptData, layout Layout) error {
	v, err := newReceiptView(d)
	if err != nil {
		return err
	}
	switch layout {
	case PageA5:
		return receiptA5(w, d, v)
	case Ticket80:
		return receiptTicket(w, v)
	}
	return fmt.Errorf("printing: receipt: unknown layout %d", int(layout))
}

// receiptA5 lays the receipt out on an A5 page: letterhead, banners,
// household, what was settled, how it was paid, the total in figures and
// words, then the QR code, the URL and the journal hash.
func receiptA5(w io.Writer, d *ReceiptData, v *receiptView) error {
	doc := newDoc("P", sizeA5, 10, v.title(), v.created)
	doc.uncompressed()
	pdf := doc.pdf
	pdf.AddPage()
	doc.letterhead(&d.Issuer, v.title(), "Quittance délivrée le "+v.when+" par "+v.agent)
	if v.duplicate != "" {
		doc.banner("DUPLICATA", 16, v.duplicate)
	}
	if len(v.cancelled) > 0 {
		doc.banner("ANNULÉ", 16, v.cancelled...)
	}

	doc.pair(28, "Foyer :", v.householdLine())
	if v.payer != "" {
		doc.pair(28, "Payé par :", v.payer)
	}

	doc.heading("Objet du paiement")
	t := doc.newTable(8, 3.8,
		column{"Facture ou article", 30, "L"}, column{"Libellé", 58, "L"},
		column{"Payé", 20, "R"}, column{"Reste dû", 20, "R"})
	t.header()
	for _, l := range v.lines {
		label := l.label
		if l.credit != "" {
			label += "\ndont trop-perçu : " + l.credit
		}
		t.row(l.ref, label, l.paid, l.remaining)
	}

	doc.heading("Règlement")
	t = doc.newTable(8, 3.8, column{"Mode", 26, "L"}, column{"Détail", 80, "L"}, column{"Montant", 22, "R"})
	t.header()
	for _, x := range v.tenders {
		t.row(x.mode, x.detail, x.amount)
	}

	pdf.SetY(pdf.GetY() + 3)
	doc.font("B", 12)
	doc.fillCell(doc.contentWidth()-40, 8, "Total payé", "1", "L", 0)
	doc.fillCell(40, 8, v.total, "1", "R", 1)
	pdf.SetY(pdf.GetY() + 1.5)
	doc.font("", 9)
	doc.multi(0, 4.5, "Arrêté la présente quittance à la somme de : "+v.words+".", "", "L")

	return receiptA5Footer(w, doc, v)
}

// receiptA5Footer puts the verification block at the foot of the page (or
// after the content when it is long): the QR code on the left with the
// explanation beside it, the URL under the code, then the legal line.
func receiptA5Footer(w io.Writer, doc *doc, v *receiptView) error {
	pdf := doc.pdf
	const side = 28.0
	block := side + 16
	_, ph := pdf.GetPageSize()
	y := ph - 10 - block
	if pdf.GetY()+4 > y {
		if !doc.room(block + 4) {
			pdf.AddPage()
		}
		y = pdf.GetY() + 4
	}
	x := doc.leftMargin()
	if v.url != "" {
		if err := doc.qr(v.url, x, y, side); err != nil {
			return err
		}
	}
	tx := x + side + 4
	tw := doc.contentWidth() - side - 4
	pdf.SetXY(tx, y+3)
	doc.font("", 8)
	if v.url != "" {
		doc.multi(tw, 3.8, "Vérifiez ce reçu en scannant le code ou à l'adresse ci-dessous.", "", "L")
		pdf.SetX(tx)
	}
	if v.hash != "" {
		doc.multi(tw, 3.8, "Empreinte du journal de caisse : "+v.hash, "", "L")
		pdf.SetX(tx)
	}
	doc.multi(tw, 3.8, "Reçu délivré par la régie pour le compte de la collectivité. "+
		"Conservez-le : il fait foi du paiement.", "", "L")
	pdf.SetXY(x, y+side+1)
	if v.url != "" {
		doc.font("", 7.5)
		doc.multi(0, 3.5, v.url, "", "L")
	}
	return doc.write(w, "receipt")
}
