package printing

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

func sampleVerificationData() *VerificationData {
	v := &regie.CashVerification{ID: "pv-1", Regie: "ENF", Counter: "GESTION", Agent: "s-1",
		At:       time.Date(2026, 11, 30, 14, 5, 0, 0, time.UTC),
		Verifier: "Jeanne Lefèvre", VerifierTitle: "Comptable public", Regisseur: "Marie Dupont",
		Observations: "Registre à jour. Un chèque de l'usager Nguyen\nest en attente de remise.",
		Lines: []regie.VerificationLine{
			{Counter: "C01", AsOfSeq: 57, ExpectedCash: 161_40, ExpectedChecks: 32_00, ExpectedCount: 1,
				Count:         regie.CashCount{{Value: 100_00, Count: 1}, {Value: 50_00, Count: 1}, {Value: 10_00, Count: 1}, {Value: 1_00, Count: 1}},
				CountedChecks: 32_00, CountedCount: 1},
			{Counter: "C02", AsOfSeq: 12, ExpectedCash: 80_00, CountedCash: 80_00},
		}}
	v.Compute()
	return &VerificationData{Issuer: Issuer{Regie: sampleIssuer().Regie}, Verification: v,
		Counters: map[string]string{"C01": "Accueil mairie – guichet 1"}, Seq: 3,
		Hash: strings.Repeat("ab", 32), RecordedBy: "Marie Dupont"}
}

// TestVerificationPDF reads the procès-verbal back: who, where, the
// amounts per counter with their differences, the billetage, the
// observations, the journal entry and the signature boxes.
func TestVerificationPDF(t *testing.T) {
	d := sampleVerificationData()
	text := pdfText(t, build(t, func(w io.Writer) error { return WriteVerificationPDF(w, d) }))
	for _, s := range []string{
		"Procès-verbal de vérification de caisse", "Vérification sur place du 30/11/2026 à 15:05",
		"Régie Enfance – Ville de Montaigu-sur-Loire", "Jeanne Lefèvre – Comptable public", "Régisseur présent",
		"C01 – Accueil mairie – guichet 1", "161,40 €", "161,00 €", "-0,40 €", "32,00 € (1)", "C02", "80,00 €",
		"Total attendu", "273,40 €", "273,00 €", "déficit", "Billetage – C01", "billets de 100,00 €",
		"Un chèque de l'usager Nguyen", "C01 n° 57, C02 n° 12", "entrée n° 3", strings.Repeat("ab", 32),
		"Le vérificateur : Jeanne Lefèvre", "Le régisseur : Marie Dupont", "Date et signature",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("procès-verbal lacks %q", s)
		}
	}
	if strings.Contains(text, "Billetage – C02") {
		t.Error("a counter counted in total only got a billetage")
	}
	if t.Failed() {
		t.Log(text)
	}
	if err := WriteVerificationPDF(io.Discard, &VerificationData{}); err == nil {
		t.Error("a procès-verbal without its verification was written")
	}
}
