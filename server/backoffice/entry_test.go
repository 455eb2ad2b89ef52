package backoffice

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

var keyRE = regexp.MustCompile(`name="cle" value="([^"]+)"`)

// entryForm opens the entry form of a household in a régie and gives the
// posted values of a transfer of amount on invoice, with the form's key.
func (b *browser) entryForm(regieCode, household, invoice, amount string) url.Values {
	b.f.t.Helper()
	res, body := b.get("/gestion/saisie?regie=" + regieCode + "&foyer=" + household)
	if res.StatusCode != http.StatusOK {
		b.f.t.Fatalf("entry form: status %d: %.300s", res.StatusCode, body)
	}
	m := keyRE.FindStringSubmatch(body)
	if m == nil {
		b.f.t.Fatalf("no key in the form: %.500s", body)
	}
	return url.Values{"regie": {regieCode}, "foyer": {household}, "cle": {m[1]}, "mode": {"transfer"},
		"date_valeur": {today()}, "reference": {"VIR SEPA 2026-1204-77"}, "payeur": {"Mme Lefèvre"},
		"montant-" + invoice: {amount}}
}

func today() string { return time.Now().In(location("Europe/Paris")).Format(time.DateOnly) }

// postEntry posts an entry and reads the answer's body.
func (b *browser) postEntry(form url.Values) (*http.Response, string) {
	b.f.t.Helper()
	form.Set("csrf", b.csrf())
	res, err := b.c.PostForm(b.f.srv.URL+"/gestion/saisie", form)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// count is one integer a query gives.
func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.st.QueryRow(q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// addPISInvoice gives household h-0001 of ENF an invoice in PIS too.
func (f *fixture) addPISInvoice() {
	f.t.Helper()
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		return tx.UpsertInvoice("PIS", &regie.Invoice{ID: "i-pis-1", Number: "PIS-2026-1", HouseholdID: "h-0001",
			Label: "Piscine – cours d'hiver", Amount: 20_00})
	})
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) backOfficePayments() int {
	return f.count(`SELECT count(*) FROM payments WHERE regie = 'ENF' AND counter = 'GESTION'`)
}

// TestEntryRecordsOnce: a régisseur finds the household by its account
// number, enters a transfer; the form sent again (a reload, a double click)
// leads to the same payment, recorded once, audited once, with its receipt.
func TestEntryRecordsOnce(t *testing.T) {
	f := newFixture(t)
	b := f.login("mdupont", "regisseur-demo")
	_, body := b.get("/gestion/saisie?regie=ENF&q=F001001")
	contains(t, body, "Lefèvre Hélène", "/gestion/saisie?foyer=h-0001&amp;regie=ENF")
	_, body = b.get("/gestion/saisie?regie=ENF&q=FAC-2026-00102")
	contains(t, body, "Lefèvre Hélène")
	_, body = b.get("/gestion/saisie?regie=ENF&q=lefevre")
	contains(t, body, "Lefèvre Hélène")

	form := b.entryForm("ENF", "h-0001", "i-0001-1", "61,60")
	res, _ := b.postEntry(form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d", res.StatusCode)
	}
	loc := res.Header.Get("Location")
	again, _ := b.postEntry(form)
	if again.StatusCode != http.StatusSeeOther || again.Header.Get("Location") != loc {
		t.Fatalf("sent again: %d %s, want %s", again.StatusCode, again.Header.Get("Location"), loc)
	}
	if n := f.backOfficePayments(); n != 1 {
		t.Fatalf("%d payments, want 1", n)
	}
	// Changed after it was recorded and sent again: refused, and the page
	// gives a new form (a new key) for another payment.
	changed := url.Values{}
	for k, v := range form {
		changed[k] = v
	}
	changed.Set("montant-i-0001-1", "30,00")
	res, body = b.postEntry(changed)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("changed form: %d", res.StatusCode)
	}
	contains(t, body, "déjà été enregistré (reçu R-ENF-GESTION-2026-000001)")
	if m := keyRE.FindStringSubmatch(body); m == nil || m[1] == form.Get("cle") {
		t.Errorf("the form after a conflict keeps its key")
	}
	if n := f.backOfficePayments(); n != 1 {
		t.Fatalf("%d payments, want 1", n)
	}
	if n := f.count(`SELECT count(*) FROM audit WHERE action = 'payment.entry'`); n != 1 {
		t.Errorf("%d audit entries, want 1", n)
	}
	if n := f.count(`SELECT amount - paid FROM invoices WHERE id = 'i-0001-1'`); n != 0 {
		t.Errorf("remaining %d, want 0", n)
	}
	_, body = b.get(strings.TrimPrefix(loc, f.srv.URL))
	contains(t, body, "Le paiement a été enregistré", "R-ENF-GESTION-", "Virement", "VIR SEPA 2026-1204-77",
		"date de valeur "+frDay(today()), "Marie Dupont", "FAC-2026-00101", "recu.pdf")

	id := strings.TrimSuffix(strings.TrimPrefix(loc, "/gestion/paiements/"), "?enregistre=1")
	res, pdf := b.get("/gestion/paiements/" + id + "/recu.pdf")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("receipt: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	text := pdfText(t, []byte(pdf))
	for _, want := range []string{"R-ENF-GESTION-", "Virement", "valeur " + frDay(today()), "61,60", "Lefèvre Hélène", "FAC-2026-00101"} {
		if !strings.Contains(text, want) {
			t.Errorf("receipt lacks %q:\n%s", want, text)
		}
	}
	if n := f.count(`SELECT count(*) FROM audit WHERE action = 'payment.receipt'`); n != 1 {
		t.Errorf("receipt download audited %d times", n)
	}
}

// TestEntryDoubleClick: the same form sent twice at once records one
// payment; both answers lead to it.
func TestEntryDoubleClick(t *testing.T) {
	f := newFixture(t)
	b := f.login("jmartin", "suppleant-demo")
	form := b.entryForm("ENF", "h-0002", "i-0002-2", "32,00")
	form.Set("csrf", b.csrf())
	var wg sync.WaitGroup
	locs := make([]string, 4)
	for i := range locs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := b.c.PostForm(f.srv.URL+"/gestion/saisie", form)
			if err == nil {
				locs[i] = res.Header.Get("Location")
				res.Body.Close()
			}
		}()
	}
	wg.Wait()
	for _, l := range locs {
		if l == "" || l != locs[0] {
			t.Fatalf("answers %q", locs)
		}
	}
	if n := f.backOfficePayments(); n != 1 {
		t.Fatalf("%d payments, want 1", n)
	}
}

// TestEntryCredit: more than remains is recorded only with the
// régisseur's explicit consent, the excess as a trop-perçu they approved.
func TestEntryCredit(t *testing.T) {
	f := newFixture(t)
	b := f.login("mdupont", "regisseur-demo")
	form := b.entryForm("ENF", "h-0001", "i-0001-1", "70,00")
	form.Set("trop_percu", "1")
	if res, body := b.postEntry(form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", res.StatusCode, body)
	}
	err := f.st.View(context.Background(), func(tx *store.Tx) error {
		c, err := tx.HouseholdCredit("h-0001")
		if err != nil {
			return err
		}
		if c != 8_40 {
			t.Errorf("credit %s, want 8,40 €", c)
		}
		inv, err := tx.Invoice("i-0001-1")
		if err == nil && inv.Remaining != 0 {
			t.Errorf("remaining %s", inv.Remaining)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count(`SELECT count(*) FROM journal WHERE kind = 'payment' AND json_extract(data, '$.credit_approved_by') = 's-0001'`); n != 1 {
		t.Errorf("credit approved by the régisseur: %d", n)
	}
}

// TestEntryRefusals: every refusal answers the form with a French reason
// and changes nothing in the database.
func TestEntryRefusals(t *testing.T) {
	f := newFixture(t)
	f.addPISInvoice()
	b := f.login("mdupont", "regisseur-demo")
	old := time.Now().AddDate(-2, 0, 0).Format(time.DateOnly)
	future := time.Now().AddDate(0, 0, 3).Format(time.DateOnly)
	cases := []struct {
		name   string
		change func(url.Values)
		status int
		want   string
	}{
		{"over remaining", func(v url.Values) { v.Set("montant-i-0001-1", "70,00") }, 400, "doit être accepté par le régisseur"},
		{"invoice of another household", func(v url.Values) { v.Set("montant-i-0002-1", "10,00") }, 400, "rechargez la page"},
		{"invoice of another régie", func(v url.Values) { v.Set("montant-i-pis-1", "20,00") }, 400, "rechargez la page"},
		{"unknown mode", func(v url.Values) { v.Set("mode", "cash") }, 400, "virement ou prélèvement"},
		{"value date in the future", func(v url.Values) { v.Set("date_valeur", future) }, 400, "dans le futur"},
		{"value date too old", func(v url.Values) { v.Set("date_valeur", old) }, 400, "plus d&#39;un an"},
		{"value date not a date", func(v url.Values) { v.Set("date_valeur", "31/02/2026") }, 400, "n&#39;est pas une date"},
		{"no reference", func(v url.Values) { v.Set("reference", " ") }, 400, "référence bancaire"},
		{"no amount", func(v url.Values) { v.Del("montant-i-0001-1") }, 400, "au moins une facture"},
		{"negative amount", func(v url.Values) { v.Set("montant-i-0001-1", "-5") }, 400, "FAC-2026-00101"},
		{"forged key", func(v url.Values) { v.Set("cle", "1") }, 400, "rechargez la page"},
		{"household of the form forged", func(v url.Values) { v.Set("foyer", "h-0002") }, 400, "rechargez la page"},
		{"régie of another", func(v url.Values) { v.Set("regie", "PIS") }, 403, "Accès refusé"},
	}
	before := dumpTables(t, f.st)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			form := b.entryForm("ENF", "h-0001", "i-0001-1", "61,60")
			c.change(form)
			res, body := b.postEntry(form)
			if res.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %.400s", res.StatusCode, c.status, body)
			}
			contains(t, body, c.want)
			if c.status == 400 {
				contains(t, body, "Le paiement n&#39;a pas été enregistré")
			}
			if after := dumpTables(t, f.st); after != before {
				t.Fatal("the database changed")
			}
		})
	}

	// The régie's act changes: direct debits no longer allowed, partial
	// payments refused.
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		r, err := tx.Regie("ENF")
		if err != nil {
			return err
		}
		r.Modes = []regie.PaymentMode{regie.Cash, regie.Check, regie.Transfer}
		r.PartialPayments = false
		return tx.SaveRegie(r, false)
	})
	if err != nil {
		t.Fatal(err)
	}
	before = dumpTables(t, f.st)
	for _, c := range []struct {
		name   string
		change func(url.Values)
		want   string
	}{
		{"mode not allowed by the régie", func(v url.Values) { v.Set("mode", "direct_debit") }, "n&#39;est pas autorisé"},
		{"partial payment refused", func(v url.Values) { v.Set("montant-i-0001-1", "20,00") }, "paiements partiels"},
	} {
		t.Run(c.name, func(t *testing.T) {
			form := b.entryForm("ENF", "h-0001", "i-0001-1", "61,60")
			c.change(form)
			res, body := b.postEntry(form)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d: %.300s", res.StatusCode, body)
			}
			contains(t, body, c.want)
			if after := dumpTables(t, f.st); after != before {
				t.Fatal("the database changed")
			}
		})
	}
}

// TestEntryOtherRoles: the régisseur of another régie and the finance
// service can neither open the form nor post it; nothing is written.
func TestEntryOtherRoles(t *testing.T) {
	f := newFixture(t)
	reg := f.login("mdupont", "regisseur-demo")
	form := reg.entryForm("ENF", "h-0001", "i-0001-1", "61,60")
	pis := f.login("pisreg", "pisreg-pass")
	fin := f.login("finances", "finances-demo")
	before := dumpTables(t, f.st)

	if res, _ := pis.get("/gestion/saisie?regie=ENF&foyer=h-0001"); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS régisseur opens ENF's form: %d", res.StatusCode)
	}
	if res, _ := pis.get("/gestion/saisie?regie=PIS&foyer=h-0001"); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS régisseur opens an ENF household under PIS: %d", res.StatusCode)
	}
	if _, body := pis.get("/gestion/saisie?regie=PIS&q=lefevre"); strings.Contains(body, "Lefèvre") {
		t.Error("PIS régisseur finds an ENF household")
	}
	if res, _ := pis.postEntry(form); res.StatusCode != http.StatusForbidden {
		t.Errorf("PIS régisseur posts on ENF: %d", res.StatusCode)
	}
	pisForm := url.Values{}
	for k, v := range form {
		pisForm[k] = v
	}
	pisForm.Set("regie", "PIS")
	if res, _ := pis.postEntry(pisForm); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS régisseur posts ENF's household under PIS: %d", res.StatusCode)
	}

	if res, _ := fin.get("/gestion/saisie?regie=ENF&foyer=h-0001"); res.StatusCode != http.StatusForbidden {
		t.Errorf("finance opens the form: %d", res.StatusCode)
	}
	if res, _ := fin.postEntry(form); res.StatusCode != http.StatusForbidden {
		t.Errorf("finance posts: %d", res.StatusCode)
	}
	if after := dumpTables(t, f.st); after != before {
		t.Fatal("the database changed")
	}
}

// TestHouseholdsSearch: the households page finds a household by account,
// invoice number or name within the visitor's régies only; another
// régie's invoice number finds nothing, and a household is open only to
// those who see one of its régies.
func TestHouseholdsSearch(t *testing.T) {
	f := newFixture(t)
	f.addPISInvoice()
	reg := f.login("mdupont", "regisseur-demo")
	for _, q := range []string{"f001002", "FAC-2026-00201", "nguyen", "NGUY tho"} {
		_, body := reg.get("/gestion/foyers?q=" + url.QueryEscape(q))
		contains(t, body, "Nguyen Thomas", "/gestion/foyers/h-0002")
	}
	_, body := reg.get("/gestion/foyers?q=PIS-2026-1")
	contains(t, body, "Aucun foyer ne correspond")
	_, body = reg.get("/gestion/foyers/h-0001")
	contains(t, body, "FAC-2026-00101", "/gestion/saisie?regie=ENF&amp;foyer=h-0001")
	if strings.Contains(body, "PIS-2026-1") {
		t.Error("ENF's régisseur sees PIS's invoice")
	}

	pis := f.login("pisreg", "pisreg-pass")
	_, body = pis.get("/gestion/foyers?q=lefevre")
	contains(t, body, "Lefèvre Hélène")
	_, body = pis.get("/gestion/foyers?q=nguyen")
	contains(t, body, "Aucun foyer ne correspond")
	if res, _ := pis.get("/gestion/foyers/h-0002"); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS opens an ENF household: %d", res.StatusCode)
	}
	_, body = pis.get("/gestion/foyers/h-0001")
	contains(t, body, "PIS-2026-1", "/gestion/saisie?regie=PIS&amp;foyer=h-0001")
	if strings.Contains(body, "FAC-2026-00101") || strings.Contains(body, "regie=ENF") {
		t.Error("PIS's régisseur sees ENF's invoices")
	}

	fin := f.login("finances", "finances-demo")
	_, body = fin.get("/gestion/foyers/h-0001")
	contains(t, body, "PIS-2026-1", "FAC-2026-00101", "export.zip")
	if strings.Contains(body, "/gestion/saisie") {
		t.Error("finance is offered the entry")
	}
}

// TestEntryChooseRegie: a régisseur of two régies chooses the régie, then
// finds only that régie's households.
func TestEntryChooseRegie(t *testing.T) {
	f := newFixture(t)
	both := f.sessionFor(f.addStaff("deux", "Régisseur des deux", store.Grant{Role: store.RoleRegisseur, Regie: "ENF"},
		store.Grant{Role: store.RoleRegisseur, Regie: "PIS"}))
	_, body := both.get("/gestion/saisie")
	contains(t, body, `<option value="ENF">`, `<option value="PIS">`)
	_, body = both.get("/gestion/saisie?regie=PIS&q=lefevre")
	contains(t, body, "Aucun foyer ne correspond")
	_, body = both.get("/gestion/saisie?regie=ENF&q=lefevre")
	contains(t, body, "Lefèvre Hélène")
}

// TestEntrySeveralInvoices: one direct debit settles two invoices, one of
// them in part (the demo régie allows it); the payer typed is the
// payment's.
func TestEntrySeveralInvoices(t *testing.T) {
	f := newFixture(t)
	b := f.login("jmartin", "suppleant-demo")
	form := b.entryForm("ENF", "h-0003", "i-0003-2", "32,00")
	form.Set("montant-i-0003-3", "20")
	form.Set("mode", "direct_debit")
	form.Set("payeur", "M. Moreau Jean")
	res, body := b.postEntry(form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %.300s", res.StatusCode, body)
	}
	var total int
	var payer, agent, data string
	err := f.st.QueryRow(`SELECT total, j.data, payer, p.agent FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
		WHERE p.household_id = 'h-0003'`).Scan(&total, &data, &payer, &agent)
	if err != nil {
		t.Fatal(err)
	}
	var recorded regie.Payment
	if err := json.Unmarshal([]byte(data), &recorded); err != nil || len(recorded.Tenders) == 0 {
		t.Fatalf("recorded payment %s: %v", data, err)
	}
	n, mode := len(recorded.Allocations), string(recorded.Tenders[0].Mode)
	if total != 52_00 || n != 2 || payer != "M. Moreau Jean" || mode != "direct_debit" || agent != "s-0002" {
		t.Errorf("total %d, %d lines, payer %q, mode %s, agent %s", total, n, payer, mode, agent)
	}
	if r := f.count(`SELECT amount - paid FROM invoices WHERE id = 'i-0003-3'`); r != 30_00 {
		t.Errorf("remaining %d, want 3000", r)
	}
}
