package printing

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func sampleLinkSlip() *LinkSlipData {
	return &LinkSlipData{Issuer: sampleIssuer(), Agent: "Sophie Bernard", Household: "Lefèvre Hélène",
		Account: "F001001", Code: "K7QM-4TWX-9HPR-2DLC", IssuedAt: at(10, 42), ExpiresAt: at(10, 42).Add(30 * 24 * time.Hour)}
}

// TestLinkSlipPDF: the slip says who issues it, which household, the code,
// until when and how to use it — and nothing about money.
func TestLinkSlipPDF(t *testing.T) {
	var b bytes.Buffer
	if err := WriteLinkSlipPDF(&b, sampleLinkSlip()); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, b.Bytes())
	wantText(t, text, "Régie Enfance – Ville de Montaigu-sur-Loire", "Accueil mairie – guichet 1",
		"Bon de rattachement au portail", "Délivré le 27/11/2026 à 10:42 par Sophie Bernard, pièce d'identité vérifiée",
		"Foyer : Lefèvre Hélène", "N° de compte : F001001", "K7QM-4TWX-9HPR-2DLC",
		"Valable une seule fois, jusqu'au 27/12/2026 à 10:42",
		"Connectez-vous au portail avec FranceConnect, rubrique Mes foyers, saisissez ce code.")
	for _, never := range []string{"€", "reçu n°", "Montant", "R-ENF-"} {
		if strings.Contains(text, never) {
			t.Errorf("the slip shows %q: it must carry no payment data", never)
		}
	}
	var again bytes.Buffer
	WriteLinkSlipPDF(&again, sampleLinkSlip())
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("the same slip gives different bytes")
	}
	for name, d := range map[string]func(*LinkSlipData){
		"no code":      func(d *LinkSlipData) { d.Code = "" },
		"no household": func(d *LinkSlipData) { d.Household = "" },
		"no expiry":    func(d *LinkSlipData) { d.ExpiresAt = time.Time{} },
	} {
		s := sampleLinkSlip()
		d(s)
		if err := WriteLinkSlipPDF(&bytes.Buffer{}, s); err == nil {
			t.Errorf("%s: a slip was written", name)
		}
	}
}

// TestLinkSlipLongCode: a code longer than today's still prints whole.
func TestLinkSlipLongCode(t *testing.T) {
	d := sampleLinkSlip()
	d.Code = "ABCD-EFGH-JKMN-PQRS-TWXY-Z234-5678"
	var b bytes.Buffer
	if err := WriteLinkSlipPDF(&b, d); err != nil {
		t.Fatal(err)
	}
	wantText(t, pdfText(t, b.Bytes()), d.Code)
}
