package publik

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func TestLinkUnlink(t *testing.T) {
	f := newFixture(t)
	// Linking answers the household; listing shows it.
	s, b := f.post("/api/regie/enf/link/", "NameID=u-1", map[string]string{"access_code": "K7Q101X",
		"family_name": "Lefèvre", "birth_date": "1984-05-12", "first_name": "Hélène"})
	h := checkShape(t, "household", data(t, s, b), householdShape)
	if h["payer_external_id"] != "F001001" || h["text"] != "Lefèvre Hélène" {
		t.Errorf("link: %s", b)
	}
	s, b = f.get("/api/regie/enf/households/", "NameID=u-1")
	if l, _ := data(t, s, b).([]any); len(l) != 1 || checkShape(t, "household", l[0], householdShape)["id"] != "F001001" {
		t.Errorf("households: %s", b)
	}
	// The link is the portal's: the portal's store lists this Publik user
	// among the household's people, under its orig.
	people, err := f.st.Portal().HouseholdLinks(context.Background(), "h-0001")
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 1 || people[0].Subject != "publik:"+testOrig+":u-1" || people[0].Name != "Hélène Lefèvre" {
		t.Errorf("portal links: %+v", people)
	}
	// The same NameID from another orig is another user: a FranceConnect
	// subject or another Publik cannot borrow the link.
	if hs, _ := f.st.Portal().LinkedHouseholds(context.Background(), "ville", "u-1"); len(hs) != 0 {
		t.Errorf("bare NameID linked: %+v", hs)
	}
	// Unlinking ends it; the user then has no invoices to see.
	s, b = f.post("/api/regie/enf/unlink/", "NameID=u-1&payer_external_id=F001001", nil)
	if l, _ := data(t, s, b).([]any); len(l) != 1 {
		t.Errorf("unlink: %s", b)
	}
	s, b = f.get("/api/regie/enf/invoices/", "NameID=u-1")
	refusal(t, s, b, http.StatusNotFound)
	s, b = f.post("/api/regie/enf/unlink/", "NameID=u-1", nil)
	refusal(t, s, b, http.StatusNotFound)
	if n := f.count(`SELECT count(*) FROM portal_links WHERE household_id = 'h-0001' AND unlinked_at IS NOT NULL`); n != 1 {
		t.Errorf("ended links kept: %d", n)
	}
}

// The portal's rules: the identity must be an adult member's (a child's
// birth date does not do), a slip works once, and past five failures in
// an hour even the right answer is refused.
func TestLinkRulesAndLockout(t *testing.T) {
	f := newFixture(t)
	for name, body := range map[string]map[string]string{
		"child's birth date": {"access_code": "K7Q101X", "family_name": "Lefèvre", "birth_date": "2017-09-03"},
		"wrong name":         {"access_code": "K7Q101X", "family_name": "Nguyen", "birth_date": "1984-05-12"},
		"wrong code":         {"access_code": "K7Q102X", "family_name": "Lefèvre", "birth_date": "1984-05-12"},
		"unknown slip":       {"slip_code": "ABCD-EFGH-JKLM"},
	} {
		s, b := f.post("/api/regie/enf/link/", "NameID=u-2", body)
		if desc := refusal(t, s, b, http.StatusNotFound); !strings.Contains(desc, "foyer") {
			t.Errorf("%s: %s", name, desc)
		}
	}
	for name, body := range map[string]map[string]string{
		"nothing":           {},
		"code without name": {"access_code": "K7Q101X"},
		"code and slip":     {"access_code": "K7Q101X", "family_name": "Lefèvre", "birth_date": "1984-05-12", "slip_code": "X"},
	} {
		s, b := f.post("/api/regie/enf/link/", "NameID=u-2", body)
		refusal(t, s, b, http.StatusBadRequest)
		_ = name
	}
	s, b := f.post("/api/regie/enf/link/", "", map[string]string{"access_code": "K7Q101X", "family_name": "Lefèvre", "birth_date": "1984-05-12"})
	refusal(t, s, b, http.StatusBadRequest)
	// Fifth failure, then the right answer is refused for the hour.
	s, b = f.post("/api/regie/enf/link/", "NameID=u-2", map[string]string{"access_code": "ZZZ", "family_name": "Lefèvre", "birth_date": "1984-05-12"})
	refusal(t, s, b, http.StatusNotFound)
	s, b = f.post("/api/regie/enf/link/", "NameID=u-2", map[string]string{"access_code": "K7Q101X", "family_name": "Lefèvre", "birth_date": "1984-05-12"})
	refusal(t, s, b, http.StatusTooManyRequests)
	if n := f.count(`SELECT count(*) FROM portal_links WHERE subject LIKE 'publik:%:u-2'`); n != 0 {
		t.Errorf("locked-out user linked")
	}
	// Another user of the same Publik is not locked out.
	f.link("u-3")
	// The demo's linking slip (household h-0001) links once.
	s, b = f.post("/api/regie/enf/link/", "NameID=u-4", map[string]string{"slip_code": demoSlip(t, f)})
	if h := checkShape(t, "household", data(t, s, b), householdShape); h["payer_external_id"] == "" {
		t.Errorf("slip: %s", b)
	}
	s, b = f.post("/api/regie/enf/link/", "NameID=u-5", map[string]string{"slip_code": demoSlip(t, f)})
	refusal(t, s, b, http.StatusNotFound)
}

func TestDocumentsPDF(t *testing.T) {
	f := newFixture(t)
	f.link("u-1")
	s, b, hdr := f.do("GET", f.signed("/api/regie/enf/invoice/i-0001-1/pdf/", "NameID=u-1"), nil)
	if s != http.StatusOK || hdr.Get("Content-Type") != "application/pdf" || !strings.Contains(hdr.Get("Content-Disposition"), "FAC-2026-00101.pdf") {
		t.Fatalf("invoice pdf: %d %v", s, hdr)
	}
	txt := pdfText(t, b)
	for _, want := range []string{"Facture n° FAC-2026-00101", "Lefèvre Hélène", "F001001", "Restauration scolaire – octobre 2026",
		"Chloé Lefèvre", "3,85 €", "61,60 €", "Reste à payer", "À régler au plus tard le 05/12/2026"} {
		if !strings.Contains(txt, want) {
			t.Errorf("invoice pdf lacks %q:\n%s", want, txt)
		}
	}
	if strings.Contains(txt, "K7Q101X") {
		t.Error("the access code is printed on the copy served online")
	}
	s, b = f.post("/api/regie/enf/invoice/i-0001-1/pay/", "NameID=u-1", map[string]string{"transaction_id": "T-pdf", "amount": "61.60"})
	p := checkShape(t, "payment", data(t, s, b), paymentShape)
	s, b, hdr = f.do("GET", f.signed("/api/regie/enf/payment/"+p["id"].(string)+"/pdf/", "NameID=u-1"), nil)
	if s != http.StatusOK || hdr.Get("Content-Type") != "application/pdf" {
		t.Fatalf("receipt pdf: %d %s", s, b)
	}
	txt = pdfText(t, b)
	for _, want := range []string{p["display_id"].(string), "Paiements en ligne", "réf. T-pdf", "61,60 €", "Lefèvre Hélène", "regie.montaigu.example/verifier"} {
		if !strings.Contains(txt, want) {
			t.Errorf("receipt pdf lacks %q:\n%s", want, txt)
		}
	}
	// Another household's user, or an unknown payment: not found.
	f.post("/api/regie/enf/link/", "NameID=u-2", map[string]string{"access_code": "K7Q102X", "family_name": "Nguyen", "birth_date": "1984-05-12"})
	s, b = f.get("/api/regie/enf/payment/"+p["id"].(string)+"/pdf/", "NameID=u-2")
	refusal(t, s, b, http.StatusNotFound)
	s, b = f.get("/api/regie/enf/payment/nope/pdf/", "NameID=u-1")
	refusal(t, s, b, http.StatusNotFound)
	// The invoice copy now says what was paid.
	s, b, _ = f.do("GET", f.signed("/api/regie/enf/invoice/i-0001-1/pdf/", ""), nil)
	if txt := pdfText(t, b); s != http.StatusOK || !strings.Contains(txt, "entièrement réglée") {
		t.Errorf("paid invoice pdf: %s", txt)
	}
}

// Nonces live in the database: a signed URL served by one instance is
// refused by another on the same database (ARCHITECTURE rule 11).
func TestNonceReplayAcrossInstances(t *testing.T) {
	f := newFixture(t)
	f.link("u-1")
	u := f.signed("/api/regie/enf/invoices/", "NameID=u-1")
	s, b, _ := f.do("GET", u, nil)
	data(t, s, b)
	other := newServer(t, f)
	s, b, _ = f.do("GET", strings.Replace(u, f.srv.URL, other, 1), nil)
	if desc := refusal(t, s, b, http.StatusForbidden); !strings.Contains(desc, "déjà servi") {
		t.Errorf("replay on another instance: %s", desc)
	}
	s, b, _ = f.do("GET", u, nil)
	refusal(t, s, b, http.StatusForbidden)
	// Old nonces are swept once out of the window.
	f.now = f.now.Add(2 * 60e9)
	f.get("/api/regie/enf/invoices/", "NameID=u-1")
	if n := f.count(`SELECT count(*) FROM publik_nonces`); n != 1 {
		t.Errorf("%d nonces kept, want only the last one", n)
	}
}
