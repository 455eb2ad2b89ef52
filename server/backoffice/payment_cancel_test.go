package backoffice

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestCancelAnEnteredTransfer: a transfer entered by mistake is cancelled
// from its page the same day, with a reason: a new journal entry, audited;
// the invoice is owed again. Refusals (no reason, another régie's
// régisseur, finance, a desk's payment, twice) write nothing.
func TestCancelAnEnteredTransfer(t *testing.T) {
	f := newFixture(t)
	reg := f.login("mdupont", "regisseur-demo")
	res, _ := reg.postEntry(reg.entryForm("ENF", "h-0001", "i-0001-1", "61,60"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("entry: %d", res.StatusCode)
	}
	page := strings.TrimSuffix(res.Header.Get("Location"), "?enregistre=1")
	action := page + "/annuler"
	_, body := reg.get(page)
	contains(t, body, "Annuler ce paiement", `action="`+action+`"`, "Erreur de foyer ou de facture")

	pis := f.login("pisreg", "pisreg-pass")
	fin := f.login("finances", "finances-demo")
	fin.csrf()
	pis.csrf()
	before := dumpTables(t, f.st)
	if res := pis.postForm(action, url.Values{"motif": {"Erreur de saisie du montant"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS régisseur cancels ENF's payment: %d", res.StatusCode)
	}
	if res := fin.postForm(action, url.Values{"motif": {"Erreur de saisie du montant"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("finance cancels: %d", res.StatusCode)
	}
	if _, body := fin.get(page); strings.Contains(body, "Annuler ce paiement") {
		t.Error("finance is offered the cancellation")
	}
	if res := reg.postForm(action, url.Values{"motif": {""}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("no reason: %d", res.StatusCode)
	}
	if res := reg.postForm(action, url.Values{"motif": {"Autre motif"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("other reason without comment: %d", res.StatusCode)
	}
	if after := dumpTables(t, f.st); after != before {
		t.Fatal("a refused cancellation changed the database")
	}

	res = reg.postForm(action, url.Values{"motif": {"Erreur de foyer ou de facture"}, "commentaire": {"Virement de la famille Nguyen"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.StatusCode)
	}
	_, body = reg.get(page + "?annule=1")
	contains(t, body, "Le paiement a été annulé", "Paiement annulé", "Virement de la famille Nguyen")
	if strings.Contains(body, "Annuler ce paiement") {
		t.Error("a cancelled payment is offered for cancellation")
	}
	if n := f.count(`SELECT amount - paid FROM invoices WHERE id = 'i-0001-1'`); n != 61_60 {
		t.Errorf("remaining %d after the cancellation, want 6160", n)
	}
	if n := f.count(`SELECT count(*) FROM audit WHERE action = 'payment.cancel'`); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	before = dumpTables(t, f.st)
	if res := reg.postForm(action, url.Values{"motif": {"Erreur de foyer ou de facture"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("cancelled twice: %d", res.StatusCode)
	}
	if after := dumpTables(t, f.st); after != before {
		t.Fatal("a second cancellation changed the database")
	}
}
