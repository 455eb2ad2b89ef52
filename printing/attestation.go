package printing

import (
	"errors"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// AttestationData is a household's yearly attestation de paiement: what
// it paid the city's régies in a year, cancelled payments left out, per
// service and per child. Families file it for the childcare tax credit
// and with the CAF. The server fills it from the journals, so it lists
// every payment whatever its counter or mode (desk, online, transfer).
type AttestationData struct {
	// City names the city ("Ville de Montaigu-sur-Loire"); may be empty.
	City string
	Year int
	// Issued is when the attestation is made: its date, and the PDF's, so
	// the same data on the same day gives the same bytes.
	Issued    time.Time
	Household string
	Account   string
	Address   string
	// Regies are the régies the household paid in the year, each with its
	// payments (not cancelled), by date.
	Regies []AttestationRegie
	// VerifyURL is the portal's public receipt check (…/verifier): every
	// payment listed carries its receipt number and journal fingerprint,
	// which that page confirms.
	VerifyURL string
}

// AttestationRegie is one régie's part of an attestation.
type AttestationRegie struct {
	Regie    regie.Regie
	Payments []AttestationPayment
}

// AttestationPayment is one payment of the year as the attestation lists
// it.
type AttestationPayment struct {
	Receipt string
	At      time.Time
	// Place is the counter's name, or "en ligne", "virement"… for the
	// server's own counters.
	Place   string
	Tenders []regie.Tender
	Total   regie.Money
	// Hash is the payment's journal entry hash; its first 16 hex digits
	// are the fingerprint /verifier checks.
	Hash string
	// Shares split the payment by service and child.
	Shares []AttestationShare
}

// AttestationShare is the part of a payment that paid one service for one
// child (Child empty when the invoice names nobody, or for a catalogue
// item).
type AttestationShare struct {
	Service string
	Child   string
	Amount  regie.Money
}

// attestationRow is a line of a régie's summary: a service for a child.
type attestationRow struct {
	service, child string
	payments       int
	amount         regie.Money
}

// summary adds up a régie's payments per service and child, and per mode.
func (r *AttestationRegie) summary() (rows []attestationRow, modes regie.ModeTotals, total regie.Money) {
	index := map[[2]string]int{}
	modes = regie.ModeTotals{}
	for _, p := range r.Payments {
		total += p.Total
		for _, t := range p.Tenders {
			modes[t.Mode] += t.Amount
		}
		seen := map[int]bool{}
		for _, s := range p.Shares {
			k := [2]string{s.Service, s.Child}
			i, ok := index[k]
			if !ok {
				i = len(rows)
				index[k] = i
				rows = append(rows, attestationRow{service: s.Service, child: s.Child})
			}
			rows[i].amount += s.Amount
			if !seen[i] {
				rows[i].payments++
				seen[i] = true
			}
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].service != rows[j].service {
			return rows[i].service < rows[j].service
		}
		return rows[i].child < rows[j].child
	})
	return rows, modes, total
}

// WriteAttestationPDF writes the attestation on A4: the régie (or the
// city, for several), the household, per régie the amounts per service
// and child and per mode, the year's total in figures and words, every
// payment with its receipt number and fingerprint, and how to check them.
func WriteAttestationPDF(w io.Writer, d *AttestationData) error {
	if d.Household == "" || d.Year == 0 {
		return errors.New("printing: attestation: household or year missing")
	}
	year := strconv.Itoa(d.Year)
	title := "Attestation de paiement – année " + year
	issuer := Issuer{Regie: regie.Regie{Name: d.City}}
	if len(d.Regies) == 1 {
		issuer = Issuer{Regie: d.Regies[0].Regie}
	}
	loc := location(&issuer.Regie)
	doc := newDoc("P", sizeA4, 12, title, d.Issued)
	doc.footer(d.Household + " – " + title)
	pdf := doc.pdf
	pdf.AddPage()
	issued := "Établie le " + frDate(d.Issued.In(loc))
	if d.Issued.In(loc).Year() <= d.Year {
		issued += " – provisoire : l'année n'est pas terminée"
	}
	doc.letterhead(&issuer, title, issued)

	if d.City != "" {
		doc.pair(30, "Collectivité :", d.City)
	}
	household := d.Household
	if d.Account != "" {
		household += " – compte " + d.Account
	}
	doc.pair(30, "Foyer :", household)
	if d.Address != "" {
		doc.pair(30, "Adresse :", d.Address)
	}
	pdf.SetY(pdf.GetY() + 2)
	var grand regie.Money
	for _, r := range d.Regies {
		_, _, t := r.summary()
		grand += t
	}
	who, where := "La régie atteste", "à ses guichets"
	if len(d.Regies) > 1 {
		who, where = "Les régies ci-dessous attestent", "à leurs guichets"
	}
	doc.multi(0, 4.6, who+" que le foyer ci-dessus a payé, du 1er janvier au 31 décembre "+year+
		", les sommes détaillées ci-dessous, "+where+", en ligne, par virement ou par prélèvement. "+
		"Les paiements annulés n'y figurent pas.", "", "L")

	for _, r := range d.Regies {
		attestationRegie(doc, &r, len(d.Regies) > 1)
	}

	pdf.SetY(pdf.GetY() + 3)
	doc.font("B", 12)
	doc.fillCell(doc.contentWidth()-45, 8, "Total payé en "+year, "1", "L", 0)
	doc.fillCell(45, 8, grand.String(), "1", "R", 1)
	pdf.SetY(pdf.GetY() + 1.5)
	doc.font("", 9)
	doc.multi(0, 4.5, "Arrêtée la présente attestation à la somme de : "+grand.Words()+".", "", "L")

	attestationDetail(doc, d)

	doc.heading("À savoir")
	doc.font("", 8.5)
	doc.multi(0, 4.2, "Crédit d'impôt pour frais de garde des enfants de moins de 6 ans (article 200 quater B du code "+
		"général des impôts) : seuls les frais de garde d'un enfant de moins de 6 ans au 1er janvier de l'année "+
		"comptent, sans les frais de repas ; déduisez les aides reçues pour cette garde (CAF, CESU préfinancés par "+
		"un employeur).", "", "L")
	return attestationFooter(w, doc, d)
}

// attestationRegie writes a régie's summary: per service and child, then
// per mode. named adds the régie's heading (an attestation of several).
func attestationRegie(doc *doc, r *AttestationRegie, named bool) {
	rows, modes, total := r.summary()
	title := "Par service et par enfant"
	if named {
		title = r.Regie.Name + " – par service et par enfant"
	}
	doc.heading(title)
	t := doc.newTable(8.5, 4, column{"Service", 86, "L"}, column{"Enfant", 50, "L"},
		column{"Paiements", 20, "R"}, column{"Montant", 30, "R"})
	t.header()
	for _, x := range rows {
		child := x.child
		if child == "" {
			child = "–"
		}
		t.row(x.service, child, strconv.Itoa(x.payments), x.amount.String())
	}
	t.total("Total", "", strconv.Itoa(len(r.Payments)), total.String())

	doc.heading("Par mode de paiement")
	t = doc.newTable(8.5, 4, column{"Mode", 60, "L"}, column{"Montant", 30, "R"})
	t.header()
	for _, m := range modesOf(modes) {
		t.row(m.Label(), modes[m].String())
	}
}

// attestationDetail lists every payment: date, receipt number and
// fingerprint, place, what it paid, how, and its amount.
func attestationDetail(doc *doc, d *AttestationData) {
	doc.heading("Détail des paiements")
	t := doc.newTable(7.5, 3.5, column{"Date", 18, "L"}, column{"Reçu et empreinte", 46, "L"},
		column{"Lieu", 24, "L"}, column{"Objet", 50, "L"}, column{"Règlement", 26, "L"}, column{"Montant", 22, "R"})
	t.header()
	for _, r := range d.Regies {
		loc := location(&r.Regie)
		for _, p := range r.Payments {
			var what, how []string
			for _, s := range p.Shares {
				x := s.Service
				if s.Child != "" {
					x += " – " + s.Child
				}
				what = append(what, x+" : "+s.Amount.String())
			}
			for _, tn := range p.Tenders {
				how = append(how, tn.Mode.Label()+" "+tn.Amount.String())
			}
			ref := p.Receipt
			if p.Hash != "" {
				ref += "\nempreinte " + shortHash(p.Hash)
			}
			t.row(frDate(p.At.In(loc)), ref, p.Place, strings.Join(what, "\n"), strings.Join(how, "\n"), p.Total.String())
		}
	}
}

// attestationFooter ends the document with the verification block, as on
// a receipt: the QR code of the public check page, and how to use it.
func attestationFooter(w io.Writer, doc *doc, d *AttestationData) error {
	pdf := doc.pdf
	const side = 26.0
	if !doc.room(side + 10) {
		pdf.AddPage()
	}
	y := pdf.GetY() + 4
	x := doc.leftMargin()
	tx, tw := x, doc.contentWidth()
	if d.VerifyURL != "" {
		if err := doc.qr(d.VerifyURL, x, y, side); err != nil {
			return err
		}
		tx, tw = x+side+4, tw-side-4
	}
	pdf.SetXY(tx, y+2)
	doc.font("B", 9)
	doc.multi(tw, 4.4, "Vérifier cette attestation", "", "L")
	pdf.SetX(tx)
	doc.font("", 8)
	if d.VerifyURL != "" {
		doc.multi(tw, 3.8, "Chaque paiement se vérifie avec son numéro de reçu et son empreinte en scannant le code "+
			"ou à l'adresse "+d.VerifyURL+" : la régie y confirme sa date et son montant, et s'il a été annulé.", "", "L")
		pdf.SetX(tx)
	}
	doc.multi(tw, 3.8, "Attestation établie d'après les journaux de caisse de la régie, tenue pour le compte de la "+
		"collectivité sous le contrôle du comptable public. Les reçus restent disponibles sur le portail.", "", "L")
	if pdf.GetY() < y+side {
		pdf.SetY(y + side)
	}
	return doc.write(w, "attestation")
}
