package printing

import (
	"io"
	"testing"
	"time"

	"github.com/regie-fr/regie"
)

// sampleAttestation is the Lefèvre household's 2026: canteen and
// after-school care for two children, at the desk, online and by
// transfer, and a pool ticket with no child.
func sampleAttestation() *AttestationData {
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 30, 0, 0, paris).UTC() }
	is := sampleIssuer()
	return &AttestationData{
		City: "Ville de Montaigu-sur-Loire", Year: 2026, Issued: time.Date(2027, 1, 15, 9, 0, 0, 0, paris).UTC(),
		Household: "Lefèvre Hélène", Account: "F001001", Address: "3 rue des Écoles, 49000 Montaigu-sur-Loire",
		VerifyURL: "https://portail.montaigu-sur-loire.fr/verifier",
		Regies: []AttestationRegie{{Regie: is.Regie, Payments: []AttestationPayment{
			{Receipt: "R-ENF-C01-2026-000012", At: day(3, 10), Place: "Accueil mairie – guichet 1", Total: 93_60, Hash: sampleHash,
				Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 50_00}, {Mode: regie.Check, Amount: 43_60}},
				Shares: []AttestationShare{{Service: "Restauration scolaire", Child: "Chloé Lefèvre", Amount: 61_60},
					{Service: "Accueil périscolaire", Child: "Chloé Lefèvre", Amount: 32_00}}},
			{Receipt: "R-ENF-ENLIGNE-2026-000003", At: day(6, 2), Place: "en ligne", Total: 64_00,
				Hash:    "9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c",
				Tenders: []regie.Tender{{Mode: regie.Online, Amount: 64_00}},
				Shares: []AttestationShare{{Service: "Accueil périscolaire", Child: "Chloé Lefèvre", Amount: 32_00},
					{Service: "Accueil périscolaire", Child: "Lucas Lefèvre", Amount: 32_00}}},
			{Receipt: "R-ENF-GESTION-2026-000007", At: day(9, 15), Place: "virement", Total: 50_00,
				Hash:    "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9",
				Tenders: []regie.Tender{{Mode: regie.Transfer, Amount: 50_00, Reference: "VIR-2026-0915"}},
				Shares:  []AttestationShare{{Service: "Centre de loisirs", Child: "Lucas Lefèvre", Amount: 50_00}}},
			{Receipt: "R-ENF-C01-2026-000140", At: day(11, 27), Place: "Accueil mairie – guichet 1", Total: 4_20, Hash: sampleHash,
				Tenders: []regie.Tender{{Mode: regie.Card, Amount: 4_20}},
				Shares:  []AttestationShare{{Service: "Piscine – entrée adulte", Amount: 4_20}}},
		}}},
	}
}

// TestAttestationPDF: the attestation read back with pdftotext says who,
// which year, per service and child the sums, per mode, the total in
// figures and words, each payment with its fingerprint, and where to
// check them.
func TestAttestationPDF(t *testing.T) {
	text := pdfText(t, build(t, func(w io.Writer) error { return WriteAttestationPDF(w, sampleAttestation()) }))
	wantText(t, text,
		"Attestation de paiement – année 2026", "Établie le 15/01/2027",
		"Régie Enfance – Ville de Montaigu-sur-Loire", "Collectivité : Ville de Montaigu-sur-Loire",
		"Foyer : Lefèvre Hélène – compte F001001", "3 rue des Écoles",
		"Restauration scolaire Chloé Lefèvre 1 61,60 €",
		"Accueil périscolaire Chloé Lefèvre 2 64,00 €",
		"Accueil périscolaire Lucas Lefèvre 1 32,00 €",
		"Centre de loisirs Lucas Lefèvre 1 50,00 €",
		"Piscine – entrée adulte – 1 4,20 €",
		"Total 4 211,80 €",
		"Espèces 50,00 €", "Chèque 43,60 €", "Paiement en ligne 64,00 €", "Virement 50,00 €", "Carte bancaire 4,20 €",
		"Total payé en 2026 211,80 €",
		"deux cent onze euros et quatre-vingts centimes",
		"R-ENF-GESTION-2026-000007", "empreinte 0a1b 2c3d 4e5f 6071", "virement", "en ligne",
		"Vérifier cette attestation", "200 quater B")
	wantURL(t, text, "https://portail.montaigu-sur-loire.fr/verifier")
}

// TestAttestationSeveralRegies: payments to two régies are summed apart
// under each régie's name, the letterhead names the city, and the total
// is both.
func TestAttestationSeveralRegies(t *testing.T) {
	d := sampleAttestation()
	d.Regies = append(d.Regies, AttestationRegie{
		Regie: regie.Regie{Code: "SPO", Name: "Régie Sports", Timezone: "Europe/Paris"},
		Payments: []AttestationPayment{{Receipt: "R-SPO-C01-2026-000001", At: time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC),
			Place: "Piscine", Total: 10_00, Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 10_00}},
			Shares: []AttestationShare{{Service: "Stage de natation", Child: "Lucas Lefèvre", Amount: 10_00}}}},
	})
	text := pdfText(t, build(t, func(w io.Writer) error { return WriteAttestationPDF(w, d) }))
	wantText(t, text, "Régie Enfance – Ville de Montaigu-sur-Loire – par service et par enfant",
		"Régie Sports – par service et par enfant", "Stage de natation Lucas Lefèvre 1 10,00 €",
		"Total payé en 2026 221,80 €", "Les régies ci-dessous attestent que le foyer ci-dessus a payé")
}

// TestAttestationNeedsHousehold: an attestation without household or year
// is refused rather than printed blank.
func TestAttestationNeedsHousehold(t *testing.T) {
	if err := WriteAttestationPDF(io.Discard, &AttestationData{Year: 2026}); err == nil {
		t.Fatal("attestation without household printed")
	}
}

// TestAttestationProvisional: an attestation of the year in progress says
// it is provisional.
func TestAttestationProvisional(t *testing.T) {
	d := sampleAttestation()
	d.Issued = time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	text := pdfText(t, build(t, func(w io.Writer) error { return WriteAttestationPDF(w, d) }))
	wantText(t, text, "Établie le 03/12/2026 – provisoire : l'année n'est pas terminée")
	d = sampleAttestation()
	wantNoText(t, pdfText(t, build(t, func(w io.Writer) error { return WriteAttestationPDF(w, d) })), "provisoire")
}
