package printing

import (
	"errors"
	"io"
	"strconv"

	"github.com/regie-fr/regie"
)

// WriteCheckRemittancePDF writes the bordereau de remise de chèques on A4:
// every cheque with its number, bank, drawer and receipt, the count and the
// total in figures and in words, and boxes for the régisseur's signature
// and the bank's or comptable's stamp.
func WriteCheckRemittancePDF(w io.Writer, d *CheckRemittanceData) error {
	if len(d.Checks) == 0 {
		return errors.New("printing: cheque remittance: no cheque")
	}
	loc := location(&d.Regie)
	title := "Bordereau de remise de chèques"
	if d.Number != "" {
		title += " n° " + d.Number
	}
	doc := newDoc("P", sizeA4, 12, title, d.Date)
	doc.footer(d.Regie.Name + " – " + title)
	doc.pdf.AddPage()
	sub := []string{"Remis le " + frDateTime(d.Date.In(loc)) + " par " + d.Agent}
	if d.Account != "" {
		sub = append(sub, "Compte de dépôt de la régie : "+d.Account)
	}
	doc.letterhead(&d.Issuer, title, sub...)

	total := regie.ChecksTotal(d.Checks)
	doc.pair(48, "Nombre de chèques :", plural(len(d.Checks), "chèque"))
	doc.pair(48, "Montant total :", total.String())
	zChecks(doc, "Chèques remis", d.Checks)
	amountInWords(doc, "Arrêté le présent bordereau", total)
	doc.signatures(30, "Le régisseur : "+d.Agent+"\nDate et signature",
		"Cadre réservé à la banque ou au comptable public\nDate, cachet et signature")
	return doc.write(w, "cheque remittance")
}

// amountInWords writes "Arrêté … à la somme de : … ." under a total.
func amountInWords(doc *doc, what string, m regie.Money) {
	doc.pdf.SetY(doc.pdf.GetY() + 3)
	doc.font("", 9)
	doc.multi(0, 4.5, what+" à la somme de : "+m.Words()+" ("+m.String()+").", "", "L")
	doc.pdf.SetY(doc.pdf.GetY() + 2)
}

// WriteDepositSlipPDF writes the bordereau (état) de versement on A4: the
// cash by denomination and the cheques handed to the comptable public, the
// total in figures and in words, and boxes for the régisseur who hands over
// and the comptable who receives.
func WriteDepositSlipPDF(w io.Writer, d *DepositSlipData) error {
	dep := d.Deposit
	if dep == nil {
		return errors.New("printing: deposit slip: no deposit")
	}
	loc := location(&d.Regie)
	title := "Bordereau de versement"
	if dep.Reference != "" {
		title += " n° " + dep.Reference
	}
	doc := newDoc("P", sizeA4, 12, title, dep.At)
	doc.footer(d.Regie.Name + " – " + title)
	doc.pdf.AddPage()
	sub := []string{"Versement du " + frDateTime(dep.At.In(loc)) + " par " + d.Agent}
	if d.Recipient != "" {
		sub = append(sub, "Au comptable public : "+d.Recipient)
	}
	doc.letterhead(&d.Issuer, title, sub...)

	doc.heading("Récapitulatif")
	checks := regie.ChecksTotal(dep.Checks)
	t := doc.newTable(9, 4.3, column{"Nature", 120, "L"}, column{"Nombre", 26, "R"}, column{"Montant", 40, "R"})
	t.header()
	t.row("Espèces", "", dep.Cash.String())
	t.row("Chèques", strconv.Itoa(len(dep.Checks)), checks.String())
	t.total("Total versé", "", dep.Total.String())

	if lines := dep.Count.Normalized(); len(lines) > 0 {
		doc.heading("Détail des espèces")
		t := doc.newTable(9, 4.2, column{"Coupure", 60, "L"}, column{"Nombre", 40, "R"}, column{"Montant", 40, "R"})
		t.header()
		for _, l := range lines {
			kind := "pièces de "
			if regie.IsNote(l.Value) {
				kind = "billets de "
			}
			t.row(kind+l.Value.String(), strconv.Itoa(int(l.Count)), (l.Value * regie.Money(l.Count)).String())
		}
		t.total("Total des espèces", "", dep.Count.Total().String())
	}
	if len(dep.Checks) > 0 {
		zChecks(doc, "Chèques versés", dep.Checks)
	}
	amountInWords(doc, "Arrêté le présent bordereau", dep.Total)
	doc.signatures(30, "Le régisseur, remettant : "+d.Agent+"\nDate et signature",
		"Le comptable public, pour acquit\nDate, cachet et signature")
	return doc.write(w, "deposit slip")
}
