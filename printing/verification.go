package printing

import (
	"errors"
	"io"
	"strconv"

	"github.com/regie-fr/regie"
)

// VerificationData is a procès-verbal de vérification de caisse as the
// régie's journal recorded it.
type VerificationData struct {
	Issuer
	Verification *regie.CashVerification
	// Counters names the counters by code ("C01" → "Accueil mairie –
	// guichet 1"); a code missing is printed as is.
	Counters map[string]string
	// Seq and Hash are the journal entry that records the procès-verbal
	// (on the régie's back-office counter).
	Seq  int64
	Hash string
	// RecordedBy is the name of who entered it in the back-office.
	RecordedBy string
}

// WriteVerificationPDF writes the procès-verbal de vérification de caisse
// on A4: who checked and in whose presence, per counter the cash and
// cheques the journal expected against those counted and the differences,
// each billetage, the observations, the journal entry that records it,
// and the signature boxes of the verifier and the régisseur.
func WriteVerificationPDF(w io.Writer, d *VerificationData) error {
	v := d.Verification
	if v == nil {
		return errors.New("printing: verification: no procès-verbal")
	}
	loc := location(&d.Regie)
	title := "Procès-verbal de vérification de caisse"
	doc := newDoc("P", sizeA4, 12, title, v.At)
	doc.footer(d.Regie.Name + " – " + title + " du " + frDate(v.At.In(loc)))
	doc.pdf.AddPage()
	doc.letterhead(&d.Issuer, title, "Vérification sur place du "+frDateTime(v.At.In(loc)),
		"Régie "+d.Regie.Code+" – "+plural(len(v.Lines), "poste")+" vérifié"+pluralS(len(v.Lines)))

	doc.heading("Personnes présentes")
	doc.pair(58, "Vérificateur :", v.Verifier+" – "+v.VerifierTitle)
	doc.pair(58, "Régisseur présent :", v.Regisseur)
	if d.RecordedBy != "" {
		doc.pair(58, "Saisi dans la gestion par :", d.RecordedBy)
	}

	doc.heading("Situation de la caisse")
	t := doc.newTable(8, 3.8, column{"Poste", 38, "L"}, column{"Espèces attendues", 25, "R"},
		column{"Espèces comptées", 25, "R"}, column{"Écart espèces", 24, "R"}, column{"Chèques attendus", 25, "R"},
		column{"Chèques comptés", 25, "R"}, column{"Écart chèques", 24, "R"})
	t.header()
	var ec, cc, ek, ck regie.Money
	for _, l := range v.Lines {
		t.row(d.counterName(l.Counter), l.ExpectedCash.String(), l.CountedCash.String(), l.CashDifference.String(),
			l.ExpectedChecks.String()+" ("+strconv.Itoa(l.ExpectedCount)+")",
			l.CountedChecks.String()+" ("+strconv.Itoa(l.CountedCount)+")", l.CheckDifference.String())
		ec, cc, ek, ck = ec+l.ExpectedCash, cc+l.CountedCash, ek+l.ExpectedChecks, ck+l.CountedChecks
	}
	t.total("Total", ec.String(), cc.String(), (cc - ec).String(), ek.String(), ck.String(), (ck - ek).String())
	expected, counted, diff := v.Totals()
	doc.pdf.SetY(doc.pdf.GetY() + 2)
	doc.pair(58, "Total attendu :", expected.String())
	doc.pair(58, "Total constaté :", counted.String())
	doc.pair(58, "Écart constaté :", diff.String()+" ("+differenceWord(diff)+")")

	for _, l := range v.Lines {
		if len(l.Count) == 0 {
			continue
		}
		doc.heading("Billetage – " + d.counterName(l.Counter))
		bt := doc.newTable(8.5, 3.8, column{"Coupure", 60, "L"}, column{"Nombre", 40, "R"}, column{"Montant", 40, "R"})
		bt.header()
		for _, c := range l.Count.Normalized() {
			kind := "pièces de "
			if regie.IsNote(c.Value) {
				kind = "billets de "
			}
			bt.row(kind+c.Value.String(), strconv.FormatInt(c.Count, 10), (c.Value * regie.Money(c.Count)).String())
		}
		bt.total("Total des espèces comptées", "", l.Count.Total().String())
	}

	doc.heading("Observations")
	obs := v.Observations
	if obs == "" {
		obs = "Aucune observation."
	}
	doc.multi(0, 4.5, obs, "1", "L")

	doc.heading("Journal")
	doc.font("", 8.5)
	basis := "Les montants attendus sont ceux que les journaux de caisse des postes donnaient au début de la vérification"
	for i, l := range v.Lines {
		if i == 0 {
			basis += " (dernière entrée prise en compte : "
		} else {
			basis += ", "
		}
		basis += l.Counter + " n° " + strconv.FormatInt(l.AsOfSeq, 10)
	}
	doc.multi(0, 4.2, basis+").", "", "L")
	if d.Hash != "" {
		doc.multi(0, 4.2, "Procès-verbal enregistré au journal du poste "+v.Counter+", entrée n° "+
			strconv.FormatInt(d.Seq, 10)+", empreinte SHA-256 : "+d.Hash, "", "L")
	}
	doc.pdf.SetY(doc.pdf.GetY() + 2)
	doc.signatures(30, "Le vérificateur : "+v.Verifier+"\n"+v.VerifierTitle+"\nDate et signature",
		"Le régisseur : "+v.Regisseur+"\nDate et signature")
	return doc.write(w, "verification")
}

func (d *VerificationData) counterName(code string) string {
	if n := d.Counters[code]; n != "" && n != code {
		return code + " – " + n
	}
	return code
}

// pluralS is "s" when n is not 1, for the participles plural leaves alone.
func pluralS(n int) string {
	if n > 1 {
		return "s"
	}
	return ""
}
