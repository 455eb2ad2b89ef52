package printing

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

// TestZReportFields checks every part of the evening report.
func TestZReportFields(t *testing.T) {
	d := sampleZReport(40, 6)
	text := pdfText(t, build(t, func(w io.Writer) error { return WriteZReportPDF(w, d) }))
	wantText(t, text,
		"Régie Enfance – Ville de Montaigu-sur-Loire", "Guichet : Accueil mairie – guichet 1",
		"Arrêté de caisse (Z) du vendredi 27 novembre 2026",
		"Clôture enregistrée le 27/11/2026 à 17:45 par Marie Dupont",
		"Reçus du n° R-ENF-C01-2026-000031 au n° R-ENF-C01-2026-000067", "37 paiements, 1 annulation",
		// totals per mode, day and perpetual
		"Espèces 448,00 € 18 448,00 €", "Chèque 350,25 € 9 320,50 €", "Carte bancaire 414,40 € 22 414,40 €",
		"Chèques-vacances 60,00 € 1 260,00 €", "Total 1 272,65 € 51 442,90 €",
		// billetage
		"billet 500,00 €", "billet 50,00 € 5 250,00 €", "pièce 0,01 € 4 0,04 €", "Total compté 588,60 €",
		// expected against counted
		"Fonds de caisse 150,00 €", "espèces reçues 448,00 €", "espèces rendues (annulations) 8,40 €",
		"Espèces attendues 589,60 €", "Espèces comptées 588,60 €", "Écart : déficit -1,00 €",
		"Erreur de rendu de monnaie probable (pièce de 1 € manquante).",
		// card against terminal
		"Total enregistré 414,40 €", "Total du terminal (TPE) 412,40 €", "Écart : excédent 2,00 €",
		// cheques
		"Chèques à remettre en banque (6 chèques)", "1234567", "Crédit Mutuel de Loire-Atlantique",
		"Françoise Moreau-Cœurdevey", "Total 350,25 €",
		// chain and signatures
		"n° 1234", sampleHash, "Établi par Marie Dupont", "Le régisseur titulaire ou son suppléant",
		// journal annex
		"Annexe : journal des encaissements du 27/11/2026", "R-ENF-C01-2026-000070", "Espèces + Chèque",
		"annulé", "Erreur de saisie du montant", "page 1/")
}

// TestZReportWithoutTerminalOrDifference prints a quiet day: no terminal
// total, no difference, no cheque, no journal.
func TestZReportWithoutTerminalOrDifference(t *testing.T) {
	c := sampleClosing(0)
	c.TerminalTotal, c.Comment, c.Difference = nil, "", 0
	c.Totals[regie.Check] = 0
	text := pdfText(t, build(t, func(w io.Writer) error {
		return WriteZReportPDF(w, &ZReportData{Issuer: sampleIssuer(), Closing: c, Agents: sampleAgents})
	}))
	wantText(t, text, "Total du terminal non saisi", "Écart : aucun 0,00 €", "(0 chèque)", "Aucun chèque.")
	wantNoText(t, text, "Annexe", "Commentaire sur l'écart")
	if err := WriteZReportPDF(io.Discard, &ZReportData{}); err == nil {
		t.Error("Z report without closing printed")
	}
}

// TestCheckRemittanceFields checks the bordereau de remise de chèques.
func TestCheckRemittanceFields(t *testing.T) {
	d := sampleRemittance()
	text := pdfText(t, build(t, func(w io.Writer) error { return WriteCheckRemittancePDF(w, d) }))
	wantText(t, text, "Bordereau de remise de chèques n° REM-ENF-C01-2026-0047",
		"Remis le 27/11/2026 à 17:50 par Marie Dupont", "DFT 49 000 000 123 45 – Régie Enfance",
		"Nombre de chèques : 8 chèques", "Montant total : 525,80 €",
		"1234567", "1234658", "La Banque Postale", "Stéphane Petit", "R-ENF-C01-2026-000038", "91,45 €",
		"Total 525,80 €", "cinq cent vingt-cinq euros et quatre-vingts centimes (525,80 €)",
		"Le régisseur : Marie Dupont", "Cadre réservé à la banque ou au comptable public")
	if err := WriteCheckRemittancePDF(io.Discard, &CheckRemittanceData{}); err == nil {
		t.Error("empty remittance printed")
	}
}

// TestDepositSlipFields checks the bordereau de versement.
func TestDepositSlipFields(t *testing.T) {
	d := sampleDeposit()
	text := pdfText(t, build(t, func(w io.Writer) error { return WriteDepositSlipPDF(w, d) }))
	wantText(t, text, "Bordereau de versement n° VER-ENF-C01-2026-0012",
		"Versement du 27/11/2026 à 17:55 par Marie Dupont",
		"Au comptable public : Service de gestion comptable de Cholet",
		"Espèces 1 180,00 €", "Chèques 5 273,50 €", "Total versé 1 453,50 €",
		"billets de 50,00 € 10 500,00 €", "pièces de 2,00 € 10 20,00 €", "Total des espèces 1 180,00 €",
		"Chèques versés (5 chèques)", "CIC Ouest", "Total 273,50 €",
		"mille quatre cent cinquante-trois euros et cinquante centimes (1 453,50 €)",
		"Le régisseur, remettant : Marie Dupont", "Le comptable public, pour acquit")
	if err := WriteDepositSlipPDF(io.Discard, &DepositSlipData{}); err == nil {
		t.Error("deposit slip without deposit printed")
	}
}

// TestMonthlyStatementFields checks the month's statement: a line per
// closing, the month's totals per mode, the perpetual totals, and that the
// month adds up to its days.
func TestMonthlyStatementFields(t *testing.T) {
	d := sampleStatement()
	month := regie.SumClosings(d.Closings)
	text := pdfText(t, build(t, func(w io.Writer) error { return WriteMonthlyStatementPDF(w, d) }))
	wantText(t, text, "État mensuel des encaissements – novembre 2026",
		"Arrêtés de caisse quotidiens pris en compte : 20",
		"lundi 02/11 C01 32 0 474,20 € 87,35 € 414,40 € 60,00 € 30,00 € 1 065,95 € 0,00 €",
		"vendredi 27/11 C01 57 1",
		"Total du mois", "890", month[regie.Cash].String(), month[regie.Card].String(), month.Total().String(),
		"-4,00 €", "Cumul perpétuel au dernier arrêté", "58 341,00 €",
		"Chèques- vacances", "CESU", "vingt-quatre mille quatre cent quarante et un euros (24 441,00 €)")
	if month.Total() != 24_441_00 {
		t.Fatalf("sample month total %s", month.Total())
	}
}

// TestMonthlyStatementRefusesOtherMonth refuses a closing from October.
func TestMonthlyStatementRefusesOtherMonth(t *testing.T) {
	d := sampleStatement()
	d.Closings[3].Day = "2026-10-30"
	if err := WriteMonthlyStatementPDF(io.Discard, d); err == nil {
		t.Fatal("closing of October accepted in November's statement")
	}
}

// TestReportsSameBytes: every report is a function of its data only.
func TestReportsSameBytes(t *testing.T) {
	for name, write := range renderedDocs() {
		a, b := build(t, write), build(t, write)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two runs differ", name)
		}
	}
}

// TestFrenchDates covers the date wording reports use.
func TestFrenchDates(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-27": "vendredi 27 novembre 2026", "2026-02-01": "dimanche 1er février 2026",
		"2026-08-15": "samedi 15 août 2026", "bad": "bad",
	} {
		if got := frLongDay(in); got != want {
			t.Errorf("frLongDay(%q) = %q, want %q", in, got, want)
		}
	}
	if got := frMonth(2026, time.December); got != "décembre 2026" {
		t.Errorf("frMonth = %q", got)
	}
}
