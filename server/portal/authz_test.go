package portal_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestOtherHouseholdIsNotFound: Hélène's session asks for every payment,
// receipt and invoice of Paul's household, in URLs and in forms, and gets
// 404 each time, exactly as for ids that do not exist.
func TestOtherHouseholdIsNotFound(t *testing.T) {
	e := newEnv(t, nil)
	p := e.browser()
	p.linkHousehold(paul, h2Code)
	// Paul's own ids exist and are his.
	for _, u := range []string{"/paiements/pay-h2-cash/recu.pdf", "/factures/i201"} {
		if r := p.get(u); r.StatusCode != http.StatusOK {
			t.Fatalf("paul %s: %d", u, r.StatusCode)
		}
	}
	h := e.browser()
	csrf := h.linkHousehold(helene, h1Code)
	for _, u := range []string{"/paiements/pay-h2-cash/recu.pdf", "/factures/i201", "/paiements/inconnu/recu.pdf", "/factures/inconnue"} {
		r := h.get(u)
		if d := parse(t, r.body); r.StatusCode != http.StatusNotFound || d.h1() != "Page introuvable" {
			t.Fatalf("helene %s: %d", u, r.StatusCode)
		}
	}
	for _, path := range []string{"/foyers/delier", "/foyers/choisir"} {
		if r := h.post(path, url.Values{"foyer": {"h2"}}, csrf); r.StatusCode != http.StatusNotFound {
			t.Fatalf("helene %s h2: %d", path, r.StatusCode)
		}
	}
	// Paul's payments never show in Hélène's lists.
	for _, u := range []string{"/paiements", "/paiements?annee=2026", "/factures", "/services"} {
		d := parse(t, h.get(u).body)
		if d.has("R-ENF-C01-2026-000003") || d.has("FAC-2026-00201") || d.has("Martin") {
			t.Fatalf("helene %s shows Paul's data", u)
		}
	}
	// And Paul still sees his link.
	if r := p.get("/paiements"); !parse(t, r.body).has("R-ENF-C01-2026-000003") {
		t.Fatal("paul's payment missing")
	}
}
