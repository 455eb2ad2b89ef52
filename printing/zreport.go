package printing

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// WriteZReportPDF writes the evening report (arrêté de caisse, ticket Z) of
// d.Closing on A4: the totals per mode for the day and since the first day,
// the billetage, expected against counted cash and the difference with its
// comment, card total against the terminal's, the cheques, the receipt
// range, the chain's last entry and the signature boxes; then, when given,
// the day's journal as an annex.
func WriteZReportPDF(w io.Writer, d *ZReportData) error {
	c := d.Closing
	if c == nil {
		return errors.New("printing: Z report: no closing")
	}
	loc := location(&d.Regie)
	title := "Arrêté de caisse du " + frShortDay(c.Day)
	doc := newDoc("P", sizeA4, 12, title, c.At)
	place := "guichet"
	if d.ServerCounter {
		place = "poste"
	}
	doc.footer(d.Regie.Name + " – " + title + " – " + place + " " + c.Counter)
	doc.pdf.AddPage()
	receipts := "Aucun reçu ce jour."
	if c.FirstReceipt != "" {
		receipts = "Reçus du n° " + c.FirstReceipt + " au n° " + c.LastReceipt
	}
	doc.letterhead(&d.Issuer, "Arrêté de caisse (Z) du "+frLongDay(c.Day),
		"Clôture enregistrée le "+frDateTime(c.At.In(loc))+" par "+nameOf(d.Agents, c.Agent),
		receipts+" – "+plural(c.Payments, "paiement")+", "+plural(c.Cancellations, "annulation"))

	zTotals(doc, c)
	if d.ServerCounter {
		zServer(doc, d, place)
		return doc.write(w, "Z report")
	}
	y := doc.pdf.GetY()
	zCashCount(doc, c, y)
	left := doc.pdf.GetY()
	doc.pdf.SetXY(doc.leftMargin()+96, y)
	zCash(doc, c)
	zCard(doc, c)
	doc.pdf.SetXY(doc.leftMargin(), max(left, doc.pdf.GetY()))
	if c.Comment != "" || c.Difference != 0 {
		doc.heading("Commentaire sur l'écart")
		comment := c.Comment
		if comment == "" {
			comment = "(aucun commentaire)"
		}
		doc.multi(0, 4.5, comment, "1", "L")
	}
	zChecks(doc, "Chèques à remettre en banque", c.Checks)

	if !doc.room(60) {
		doc.pdf.AddPage()
	}
	zChain(doc, d, "Journal de caisse", place)
	doc.signatures(28, "Établi par "+nameOf(d.Agents, c.Agent)+"\nDate et signature",
		"Le régisseur titulaire ou son suppléant\nDate et signature")

	if len(d.Payments) > 0 || len(d.Cancellations) > 0 {
		zJournal(doc, d, loc)
	}
	return doc.write(w, "Z report")
}

// zServer is the rest of a server counter's report: what the counter is,
// the chain's last entry, the régisseur's visa, and the day's journal.
func zServer(doc *doc, d *ZReportData, place string) {
	c := d.Closing
	doc.heading("Poste tenu par le serveur")
	doc.multi(0, 4.5, "Ce poste ne détient ni espèces, ni chèques, ni paiements par carte : il enregistre les "+
		"paiements reçus par la banque (virements, prélèvements) ou en ligne, avec les mêmes règles, le même "+
		"journal chaîné et la même numérotation des reçus qu'un guichet. Sa journée s'ouvre avec le premier "+
		"paiement et se clôt d'elle-même : il n'y a ni billetage ni écart de caisse.", "", "L")
	if c.Comment != "" {
		doc.pdf.SetY(doc.pdf.GetY() + 1)
		doc.multi(0, 4.5, c.Comment, "", "L")
	}
	zChain(doc, d, "Journal du poste", place)
	doc.signatures(28, "Clôture automatique par le serveur\nle "+frDateTime(c.At.In(location(&d.Regie))),
		"Vu, le régisseur titulaire ou son suppléant\nDate et signature")
	if len(d.Payments) > 0 || len(d.Cancellations) > 0 {
		zJournal(doc, d, location(&d.Regie))
	}
}

// zChain is the closing's place in the chained journal: its last entry
// and what the seal means, at this guichet or poste.
func zChain(doc *doc, d *ZReportData, title, place string) {
	doc.heading(title)
	doc.font("", 8.5)
	if d.LastHash != "" {
		doc.multi(0, 4.2, "Dernière entrée du journal, n° "+strconv.FormatInt(d.LastSeq, 10)+
			", empreinte SHA-256 : "+d.LastHash, "", "L")
	}
	doc.multi(0, 4.2, "Après cet arrêté, plus rien ne peut être enregistré à la date du "+frShortDay(d.Closing.Day)+
		" à ce "+place+". Le journal chaîné permet de vérifier que rien n'a été modifié ni supprimé.", "", "L")
	doc.pdf.SetY(doc.pdf.GetY() + 2)
}

// zTotals is the table of the day's net takings and the perpetual grand
// totals, per mode.
func zTotals(doc *doc, c *regie.Closing) {
	doc.heading("Totaux par mode de paiement")
	t := doc.newTable(9, 4.2, column{"Mode de paiement", 86, "L"},
		column{"Jour, annulations déduites", 50, "R"}, column{"Cumul perpétuel", 50, "R"})
	t.header()
	for _, m := range modesOf(c.Totals, c.GrandTotals) {
		t.row(m.Label(), c.Totals[m].String(), c.GrandTotals[m].String())
	}
	t.total("Total", c.Totals.Total().String(), c.GrandTotals.Total().String())
}

// zCashCount is the billetage grid, notes then coins, in the left half.
func zCashCount(doc *doc, c *regie.Closing, y float64) {
	doc.pdf.SetY(y)
	doc.heading("Billetage")
	counts := map[regie.Money]int64{}
	for _, l := range c.Count {
		counts[l.Value] += l.Count
	}
	t := doc.newTable(8, 3.4, column{"Coupure", 30, "L"}, column{"Nombre", 25, "R"}, column{"Montant", 35, "R"})
	t.header()
	for _, v := range regie.Denominations {
		kind := "pièce"
		if regie.IsNote(v) {
			kind = "billet"
		}
		n := counts[v]
		amount := ""
		if n != 0 {
			amount = (v * regie.Money(n)).String()
		}
		t.row(kind+" "+v.String(), strconv.FormatInt(n, 10), amount)
	}
	t.total("Total compté", "", c.Count.Total().String())
}

// zCash is the cash reconciliation, in the right half from the current y.
func zCash(doc *doc, c *regie.Closing) {
	x := doc.pdf.GetX()
	doc.pdf.SetY(doc.pdf.GetY() + 2)
	doc.pdf.SetX(x)
	doc.font("B", 10)
	doc.cell(90, 5.5, "Espèces", "", "L", 2)
	t := doc.newTable(9, 4.3, column{"", 55, "L"}, column{"", 35, "R"})
	t.row("Fonds de caisse", c.Float.String())
	t.row("+ espèces reçues", c.CashReceived.String())
	t.row("− espèces rendues (annulations)", c.CashRefunded.String())
	t.row("− espèces versées", c.CashDeposited.String())
	t.total("Espèces attendues", c.ExpectedCash.String())
	t.total("Espèces comptées", c.CountedCash.String())
	t.total("Écart : "+differenceWord(c.Difference), c.Difference.String())
}

// zCard compares the card payments recorded with the terminal's total.
func zCard(doc *doc, c *regie.Closing) {
	x := doc.pdf.GetX()
	doc.pdf.SetY(doc.pdf.GetY() + 4)
	doc.pdf.SetX(x)
	doc.font("B", 10)
	doc.cell(90, 5.5, "Carte bancaire", "", "L", 2)
	t := doc.newTable(9, 4.3, column{"", 55, "L"}, column{"", 35, "R"})
	t.row("Total enregistré", c.CardTotal.String())
	if c.TerminalTotal == nil {
		t.row("Total du terminal", "non saisi")
		return
	}
	t.row("Total du terminal (TPE)", c.TerminalTotal.String())
	t.total("Écart : "+differenceWord(c.CardDifference()), c.CardDifference().String())
}

// differenceWord names a difference the way régisseurs do.
func differenceWord(d regie.Money) string {
	switch {
	case d > 0:
		return "excédent"
	case d < 0:
		return "déficit"
	}
	return "aucun"
}

// zChecks lists cheques with their total; also used by the deposit slip.
func zChecks(doc *doc, title string, checks []regie.CheckLine) {
	doc.heading(fmt.Sprintf("%s (%s)", title, plural(len(checks), "chèque")))
	if len(checks) == 0 {
		doc.cell(0, 5, "Aucun chèque.", "", "L", 1)
		return
	}
	t := doc.newTable(8, 3.8, column{"N°", 8, "R"}, column{"N° du chèque", 20, "L"},
		column{"Banque", 50, "L"}, column{"Tireur", 44, "L"}, column{"Reçu", 40, "L"}, column{"Montant", 24, "R"})
	t.header()
	for i, ch := range checks {
		t.row(strconv.Itoa(i+1), ch.Number, ch.Bank, ch.Drawer, ch.Receipt, ch.Amount.String())
	}
	t.total("", "", "", "", "Total", regie.ChecksTotal(checks).String())
}

// zJournal is the Z report's annex: the day's payments, one line each with
// the cancelled ones marked, then the cancellations with their reasons.
func zJournal(doc *doc, d *ZReportData, loc *time.Location) {
	doc.pdf.AddPage()
	doc.font("B", 12)
	doc.cell(0, 6, "Annexe : journal des encaissements du "+frShortDay(d.Closing.Day), "", "L", 1)
	doc.pdf.SetY(doc.pdf.GetY() + 1)
	cancelled := make(map[string]bool, len(d.Cancellations))
	for _, c := range d.Cancellations {
		cancelled[c.PaymentID] = true
	}
	if len(d.Payments) > 0 {
		// The receipt's column holds a server counter's longer code
		// (R-ENF-GESTION-2026-000001) on one line.
		t := doc.newTable(7.5, 3.4, column{"Heure", 11, "C"}, column{"Reçu", 44, "L"},
			column{"Foyer ou payeur", 41, "L"}, column{"Mode", 28, "L"}, column{"Agent", 25, "L"},
			column{"État", 13, "C"}, column{"Montant", 24, "R"})
		t.header()
		var sum regie.Money
		for i := range d.Payments {
			p := &d.Payments[i]
			state := ""
			if cancelled[p.ID] {
				state = "annulé"
			} else {
				sum += p.Total
			}
			t.row(p.At.In(loc).Format("15:04"), p.Receipt, payerOf(p), tenderModes(p),
				nameOf(d.Agents, p.Agent), state, p.Total.String())
		}
		t.total("", "", "", "", "", "Net", sum.String())
	}
	if len(d.Cancellations) > 0 {
		doc.heading("Annulations (" + plural(len(d.Cancellations), "annulation") + ")")
		t := doc.newTable(7.5, 3.4, column{"Heure", 11, "C"}, column{"Reçu", 44, "L"},
			column{"Motif", 57, "L"}, column{"Agent", 25, "L"}, column{"Validée par", 25, "L"},
			column{"Montant", 24, "R"})
		t.header()
		for i := range d.Cancellations {
			c := &d.Cancellations[i]
			var amount regie.Money
			for _, r := range c.Refunds {
				amount += r.Amount
			}
			motif := c.Reason
			if c.Comment != "" {
				motif += " : " + c.Comment
			}
			t.row(c.At.In(loc).Format("15:04"), c.Receipt, motif, nameOf(d.Agents, c.Agent),
				nameOf(d.Agents, c.ApprovedBy), amount.String())
		}
	}
}

// payerOf names who paid: the payer, else the account, else anonymous.
func payerOf(p *regie.Payment) string {
	switch {
	case p.Payer != "" && p.Account != "":
		return p.Payer + " (" + p.Account + ")"
	case p.Payer != "":
		return p.Payer
	case p.Account != "":
		return p.Account
	}
	return "usager anonyme"
}

// tenderModes lists a payment's modes, "Espèces + Chèque".
func tenderModes(p *regie.Payment) string {
	if len(p.Tenders) == 1 {
		return p.Tenders[0].Mode.Label()
	}
	labels := make([]string, 0, len(p.Tenders))
	for _, t := range p.Tenders {
		labels = append(labels, t.Mode.Label())
	}
	return strings.Join(labels, " + ")
}
