package printing

import (
	"errors"
	"io"
	"time"
)

// LinkSlipData is a one-time linking slip (bon de rattachement au
// portail): an agent hands it to a citizen whose FranceConnect identity
// does not match an adult of the household, after checking an identity
// document. It carries the code the citizen types on the portal, and
// nothing about payments: whoever finds it learns a name and an account,
// not what the household owes or paid.
type LinkSlipData struct {
	Issuer
	// Agent is the name of the agent who checked the identity document.
	Agent string
	// Household and Account name the foyer the code links.
	Household string
	Account   string
	// Code is the one-time code, printed large, exactly as the server gave it.
	Code string
	// IssuedAt is when the server made the slip, ExpiresAt when the code
	// stops working.
	IssuedAt  time.Time
	ExpiresAt time.Time
}

// WriteLinkSlipPDF writes the slip on an A5 page: the régie, the
// household, the code in large type in a frame, its last day, and how to
// use it. The same data always gives the same bytes.
func WriteLinkSlipPDF(w io.Writer, d *LinkSlipData) error {
	if d.Code == "" || d.Household == "" || d.ExpiresAt.IsZero() {
		return errors.New("printing: link slip: code, household or expiry missing")
	}
	loc := location(&d.Regie)
	title := "Bon de rattachement au portail"
	doc := newDoc("P", sizeA5, 10, title, d.IssuedAt)
	doc.uncompressed()
	pdf := doc.pdf
	pdf.AddPage()
	sub := "Délivré le " + frDateTime(d.IssuedAt.In(loc))
	if d.Agent != "" {
		sub += " par " + d.Agent + ", pièce d'identité vérifiée"
	}
	doc.letterhead(&d.Issuer, title, sub)

	doc.pair(30, "Foyer :", d.Household)
	if d.Account != "" {
		doc.pair(30, "N° de compte :", d.Account)
	}

	// The code, large and framed, with its last day under it.
	pdf.SetY(pdf.GetY() + 5)
	x, y, cw := doc.leftMargin(), pdf.GetY(), doc.contentWidth()
	pdf.SetLineWidth(0.6)
	pdf.Rect(x, y, cw, 30, "D")
	pdf.SetLineWidth(0.2)
	pdf.SetXY(x, y+2)
	doc.font("", 9)
	doc.cell(cw, 5, "Votre code de rattachement", "", "C", 2)
	pdf.SetX(x)
	size := 22.0
	for doc.font("B", size); doc.width(d.Code) > cw-6 && size > 10; doc.font("B", size) {
		size -= 2 // a longer code than the server makes today still fits the frame
	}
	doc.cell(cw, 12, d.Code, "", "C", 2)
	pdf.SetX(x)
	doc.font("", 9)
	doc.cell(cw, 5, "Valable une seule fois, jusqu'au "+frDateTime(d.ExpiresAt.In(loc)), "", "C", 2)
	pdf.SetXY(x, y+34)

	doc.heading("Comment l'utiliser")
	doc.multi(0, 4.8, "Connectez-vous au portail avec FranceConnect, rubrique Mes foyers, saisissez ce code.", "", "L")
	pdf.SetY(pdf.GetY() + 1)
	doc.multi(0, 4.8, "Le foyer est alors rattaché à votre compte : vous y voyez ses factures, vos paiements "+
		"et vos reçus, quel que soit le guichet où vous avez payé.", "", "L")

	doc.heading("À savoir")
	doc.multi(0, 4.5, "Ce code est personnel : ne le communiquez à personne. Il ne sert qu'une fois ; passé la date "+
		"ci-dessus, demandez un nouveau bon au guichet, muni d'une pièce d'identité.", "", "L")
	return doc.write(w, "link slip")
}
