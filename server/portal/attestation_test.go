package portal_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/store"
)

// payByTransfer records a transfer for Hélène's household on the régie's
// back-office counter, through the ledger as the back-office does.
func payByTransfer(t *testing.T, e *env, key string, amount regie.Money, at time.Time) {
	t.Helper()
	err := e.f.st.Update(context.Background(), func(tx *store.Tx) error {
		r, err := tx.Regie("ENF")
		if err != nil {
			return err
		}
		if !r.Allows(regie.Transfer) {
			r.Modes = append(r.Modes, regie.Transfer)
			if err := tx.SaveRegie(r, false); err != nil {
				return err
			}
		}
		_, _, err = ledger.Record(tx, ledger.Request{Regie: "ENF", Channel: regie.ChannelBackOffice, Source: ledger.SourceBank,
			Key: key, Agent: "a-1", HouseholdID: "h1", Account: "F001001",
			Tenders: []regie.Tender{{Mode: regie.Transfer, Amount: amount, Reference: key}},
			Allocations: []regie.Allocation{{InvoiceID: "i102", InvoiceNumber: "FAC-2026-00102", Label: "Accueil de loisirs avril 2026",
				Amount: amount}}}, at)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// pdfToText reads a PDF back with pdftotext, as a person copying it would.
func pdfToText(t *testing.T, pdf string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, []byte(pdf), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(string(out), "\u00a0", " ")), " ")
}

// TestAttestation: Hélène's household paid in two services in 2026, at
// two desks and by transfer, and had a cheque cancelled; its attestation,
// read back from the PDF, adds up what was paid per service and child,
// every counter alike, leaves the cancelled cheque out and holds nothing
// of Paul's household. The page lists the years with payments.
func TestAttestation(t *testing.T) {
	e := newEnv(t, func(c *portal.Config) {
		c.Now = func() time.Time { return time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC) }
	})
	payByTransfer(t, e, "VIR-2026-0615", 15_00, time.Date(2026, 6, 15, 8, 0, 0, 0, time.UTC))
	b := e.browser()
	b.linkHousehold(helene, h1Code)

	d := parse(t, b.get("/attestations").body)
	d.checkPage()
	if d.h1() != "Attestations de paiement" {
		t.Fatalf("h1 %q", d.h1())
	}
	var years []string
	for _, l := range d.links() {
		if strings.HasPrefix(l, "/attestations/") {
			years = append(years, l)
		}
	}
	if strings.Join(years, " ") != "/attestations/2026.pdf /attestations/2025.pdf" {
		t.Fatalf("years %v", years)
	}

	r := b.get("/attestations/2026.pdf")
	if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(r.Header.Get("Content-Disposition"), "attestation-paiement-2026.pdf") ||
		r.Header.Get("Cache-Control") != "private, no-store" {
		t.Fatalf("2026: %d %v", r.StatusCode, r.Header)
	}
	text := pdfToText(t, r.body)
	for _, want := range []string{
		"Attestation de paiement – année 2026", "Établie le 10/01/2027", "Collectivité : Ville de Montaigu",
		"Foyer : Lefèvre Hélène – compte F001001",
		"Accueil de loisirs Léo Lefèvre 2 25,00 €", "Repas cantine Léo Lefèvre 1 100,00 €",
		"Espèces 100,00 €", "Carte bancaire 10,00 €", "Virement 15,00 €",
		"Total payé en 2026 125,00 €", "cent vingt-cinq euros",
		"R-ENF-C01-2026-000002", "R-ENF-C02-2026-000002", "R-ENF-GESTION-2026-000001", "virement",
		"empreinte " + grouped(e.f.hashes["h1-cash"]), e.srv.URL + "/verifier",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("attestation lacks %q:\n%s", want, text)
		}
	}
	// The cancelled cheque and Paul's household are not there.
	for _, not := range []string{"R-ENF-C02-2026-000001", "Chèque", "20,00 €", "Martin", "Emma", "R-ENF-C01-2026-000003",
		"FAC-2026-00201", "30,00 €", "provisoire", "2025"} {
		if strings.Contains(text, not) {
			t.Errorf("attestation shows %q:\n%s", not, text)
		}
	}

	// 2025's has the summer camp only.
	if text := pdfToText(t, b.get("/attestations/2025.pdf").body); !strings.Contains(text, "Total payé en 2025 1 234,50 €") {
		t.Errorf("2025:\n%s", text)
	}
	// No payment that year, not a year, another household's year: not found.
	for _, u := range []string{"/attestations/2024.pdf", "/attestations/deux.pdf", "/attestations/2026", "/attestations/02026.pdf",
		"/attestations/1999.pdf"} {
		if r := b.get(u); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", u, r.StatusCode)
		}
	}
	// Paul's attestation has his payment only.
	p := e.browser()
	p.linkHousehold(paul, h2Code)
	text = pdfToText(t, p.get("/attestations/2026.pdf").body)
	if !strings.Contains(text, "Total payé en 2026 30,00 €") || strings.Contains(text, "Lefèvre") || strings.Contains(text, "Léo") {
		t.Errorf("paul's attestation:\n%s", text)
	}
	// Without a linked household, the page is the login's.
	if r := e.browser().get("/attestations/2026.pdf"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous: %d", r.StatusCode)
	}
}

// grouped is a hash's fingerprint as documents print it: 16 hex digits in
// groups of four.
func grouped(h string) string { return h[0:4] + " " + h[4:8] + " " + h[8:12] + " " + h[12:16] }
