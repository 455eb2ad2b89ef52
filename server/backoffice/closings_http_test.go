package backoffice

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// closingsFixture is the back-office over a server that received the demo
// counter's day (recordCounterDay): ENF has a closing, a deposit and
// cheques held; PIS has its own régisseur and nothing of ENF's.
func closingsFixture(t *testing.T) (*fixture, *counterDay) {
	t.Helper()
	f := newFixture(t)
	day := recordCounterDay(t)
	day.pushTo(t, f.st)
	return f, day
}

// getBytes downloads a file.
func (b *browser) getBytes(path string) (*http.Response, []byte) {
	b.f.t.Helper()
	res, err := b.c.Get(b.f.srv.URL + path)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, body
}

// postPage posts a form with the session's CSRF token and gives the answer
// with its page.
func (b *browser) postPage(path string, form url.Values) (*http.Response, string) {
	b.f.t.Helper()
	form.Set("csrf", b.csrf())
	res, err := b.c.PostForm(b.f.srv.URL+path, form)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

// plainSpaces turns the no-break spaces of amounts into plain ones.
func plainSpaces(s string) string {
	return strings.NewReplacer("\u00a0", " ", "\u202f", " ").Replace(s)
}

func auditCount(t *testing.T, st *store.Store, action string) int {
	t.Helper()
	var n int
	if err := st.QueryRow(`SELECT count(*) FROM audit WHERE action = ?`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestClosingsPages: the régisseur of ENF lists the day's closing with its
// difference and comment, downloads its Z report (the counter's bytes,
// audited), the month's statement and the deposit's bordereau; the
// régisseur of PIS sees none of it and gets 404 on every ENF document.
func TestClosingsPages(t *testing.T) {
	f, day := closingsFixture(t)
	reg := f.login("mdupont", "regisseur-demo")
	res, body := reg.get("/gestion/clotures?du=2026-11-01&au=2026-11-30")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("closings: %d", res.StatusCode)
	}
	contains(t, plainSpaces(body), "27/11/2026", "Accueil mairie – guichet 1", "-0,20 €", "déficit",
		"Pièces de 20 centimes manquantes", "/gestion/clotures/ENF-C01/2026-11-27/z.pdf", "/gestion/releves/ENF/2026-11.pdf")

	before := auditCount(t, f.st, "closing.zreport")
	res, pdf := reg.getBytes("/gestion/clotures/ENF-C01/2026-11-27/z.pdf")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("z.pdf: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if !bytes.Equal(pdf, day.counterZReport(t)) {
		t.Error("the Z report downloaded is not the counter's")
	}
	if auditCount(t, f.st, "closing.zreport") != before+1 {
		t.Error("the Z report's download was not audited")
	}

	res, pdf = reg.getBytes("/gestion/releves/ENF/2026-11.pdf")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("statement: %d", res.StatusCode)
	}
	text := pdfText(t, pdf)
	for _, s := range []string{"État mensuel des encaissements – novembre 2026", "102,00 €", "Total du mois"} {
		if !strings.Contains(text, s) {
			t.Errorf("statement lacks %q", s)
		}
	}

	// A month without closings has its (empty) statement.
	if res, pdf := reg.getBytes("/gestion/releves/ENF/2026-10.pdf"); res.StatusCode != http.StatusOK ||
		!strings.Contains(pdfText(t, pdf), "octobre 2026") {
		t.Errorf("statement of a month without closings: %d", res.StatusCode)
	}

	_, body = reg.get("/gestion/versements?du=2026-11-01&au=2026-11-30")
	contains(t, plainSpaces(body), "V-2026-031", "50,00 €", "/gestion/versements/"+day.deposit.ID+"/bordereau.pdf")
	res, pdf = reg.getBytes("/gestion/versements/" + day.deposit.ID + "/bordereau.pdf")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("bordereau: %d", res.StatusCode)
	}
	text = pdfText(t, pdf)
	for _, s := range []string{"Bordereau de versement n° V-2026-031", "Marie Dupont", "billets de 50,00 €", "cinquante euros"} {
		if !strings.Contains(text, s) {
			t.Errorf("bordereau lacks %q", s)
		}
	}
	if res, _ := reg.getBytes("/gestion/versements/" + day.deposit.ID + "/cheques.pdf"); res.StatusCode != http.StatusNotFound {
		t.Errorf("cheque remittance of a deposit without cheques: %d", res.StatusCode)
	}

	// Régie B's régisseur: nothing of A, listed or downloaded.
	pis := f.login("pisreg", "pisreg-pass")
	dump := dumpTables(t, f.st)
	_, body = pis.get("/gestion/clotures?du=2026-11-01&au=2026-11-30")
	_, deps := pis.get("/gestion/versements?du=2026-11-01&au=2026-11-30")
	for _, s := range []string{"ENF-C01", "Pièces de 20 centimes", "V-2026-031"} {
		if strings.Contains(body+deps, s) {
			t.Errorf("PIS's régisseur sees %q", s)
		}
	}
	for _, p := range []string{"/gestion/clotures/ENF-C01/2026-11-27/z.pdf", "/gestion/releves/ENF/2026-11.pdf",
		"/gestion/versements/" + day.deposit.ID + "/bordereau.pdf", "/gestion/clotures/ENF-C01/2026-11-27/z.pdf?regie=ENF",
		"/gestion/clotures?regie=ENF&du=2026-11-01&au=2026-11-30"} {
		res, b := pis.getBytes(p)
		if strings.HasSuffix(strings.Split(p, "?")[0], ".pdf") && res.StatusCode != http.StatusNotFound {
			t.Errorf("PIS %s: %d, want 404", p, res.StatusCode)
		}
		if bytes.Contains(b, []byte("%PDF")) || bytes.Contains(b, []byte("Pièces de 20 centimes")) {
			t.Errorf("PIS %s got ENF's data", p)
		}
	}
	if dumpTables(t, f.st) != dump {
		t.Error("refused downloads wrote something")
	}
	// Bad addresses are 404, not errors.
	for _, p := range []string{"/gestion/clotures/ENFC01/2026-11-27/z.pdf", "/gestion/clotures/ENF-C01/27-11-2026/z.pdf",
		"/gestion/releves/ENF/2026-13.pdf", "/gestion/releves/ENF/2026-11", "/gestion/versements/x/autre.pdf"} {
		if res, _ := reg.getBytes(p); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, res.StatusCode)
		}
	}
}

var (
	asofRE = regexp.MustCompile(`name="asof_C01" value="(\d+)"`)
	idRE   = regexp.MustCompile(`name="id" value="([0-9a-f-]+)"`)
)

// TestVerificationPages: the régisseur opens the form (expected amounts
// from the journal), bad input is refused in French and writes nothing,
// the procès-verbal is recorded in the régie's journal (back-office
// counter, verified), listed and printed; finance reads it but cannot
// record one; PIS's régisseur cannot reach ENF's.
func TestVerificationPages(t *testing.T) {
	f, _ := closingsFixture(t)
	reg := f.login("mdupont", "regisseur-demo")
	res, body := reg.get("/gestion/verifications/nouvelle?regie=ENF")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("form: %d %s", res.StatusCode, body)
	}
	// After the closing the till holds what was counted and the cheque.
	contains(t, plainSpaces(body), "161,40 €", "32,00 €", "Poste C01 – Accueil mairie – guichet 1", `value="Marie Dupont"`)
	m := asofRE.FindStringSubmatch(body)
	id := idRE.FindStringSubmatch(body)
	if m == nil || id == nil {
		t.Fatal("no as-of seq or id in the form")
	}
	good := func() url.Values {
		return url.Values{"regie": {"ENF"}, "id": {id[1]}, "verifier": {"Jeanne Lefèvre"}, "verifier_title": {"Comptable public"},
			"regisseur": {"Marie Dupont"}, "asof_C01": {m[1]}, "b_C01_10000": {"1"}, "b_C01_5000": {"1"},
			"b_C01_1000": {"1"}, "b_C01_100": {"1"}, "b_C01_20": {"1"}, "checks_C01": {"32,00"}, "nchecks_C01": {"1"},
			"observations": {"Écart de 0,20 € : pièce égarée."}}
	}

	pis := f.login("pisreg", "pisreg-pass")
	fin := f.login("finances", "finances-demo")
	dump := dumpTables(t, f.st)
	for name, c := range map[string]struct {
		change func(url.Values)
		says   string
	}{
		"no verifier":      {func(v url.Values) { v.Set("verifier", " ") }, "nom du vérificateur"},
		"no régisseur":     {func(v url.Values) { v.Del("regisseur") }, "nom du régisseur"},
		"negative cheques": {func(v url.Values) { v.Set("checks_C01", "-5") }, "négatif"},
		"negative count":   {func(v url.Values) { v.Set("b_C01_100", "-1") }, "nombre entier positif"},
		"no cash": {func(v url.Values) {
			v.Set("b_C01_10000", "")
			v.Del("b_C01_5000")
			v.Del("b_C01_1000")
			v.Del("b_C01_100")
			v.Del("b_C01_20")
		}, "espèces comptées"},
		"total vs billetage": {func(v url.Values) { v.Set("cash_C01", "10,00") }, "ne correspond pas au billetage"},
		"bad title":          {func(v url.Values) { v.Set("verifier_title", "Maire") }, "qualité du vérificateur"},
		"stale form":         {func(v url.Values) { v.Set("asof_C01", "1") }, "nouveaux montants"},
		"bad amount":         {func(v url.Values) { v.Set("checks_C01", "trente") }, "Chèques comptés"},
		"no id":              {func(v url.Values) { v.Set("id", "1") }, "rechargez la page"},
	} {
		v := good()
		c.change(v)
		res, body := reg.postPage("/gestion/verifications/nouvelle", v)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, res.StatusCode)
		}
		if !strings.Contains(strings.ToLower(body), strings.ToLower(c.says)) {
			t.Errorf("%s: the page does not say %q", name, c.says)
		}
	}
	if dumpTables(t, f.st) != dump {
		t.Fatal("a refused procès-verbal wrote something")
	}

	// PIS's régisseur cannot record on ENF, even with a valid form.
	if res, _ := pis.postPage("/gestion/verifications/nouvelle", good()); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS posting for ENF: %d", res.StatusCode)
	}
	if res, _ := pis.get("/gestion/verifications/nouvelle?regie=ENF"); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS opening ENF's form: %d", res.StatusCode)
	}
	// Finance reads but never records.
	if res, _ := fin.get("/gestion/verifications/nouvelle?regie=ENF"); res.StatusCode != http.StatusForbidden {
		t.Errorf("finance opening the form: %d", res.StatusCode)
	}
	if res, _ := fin.postPage("/gestion/verifications/nouvelle", good()); res.StatusCode != http.StatusForbidden {
		t.Errorf("finance posting: %d", res.StatusCode)
	}
	if dumpTables(t, f.st) != dump {
		t.Fatal("a refused request wrote something")
	}

	res, _ = reg.postPage("/gestion/verifications/nouvelle", good())
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d", res.StatusCode)
	}
	// The same form sent again (a double click, a reload) records nothing more.
	if again, _ := reg.postPage("/gestion/verifications/nouvelle", good()); again.StatusCode != http.StatusSeeOther {
		t.Fatalf("record again: %d", again.StatusCode)
	}
	// The suppléant may record one too.
	if res, _ := f.login("jmartin", "suppleant-demo").get("/gestion/verifications/nouvelle?regie=ENF"); res.StatusCode != http.StatusOK {
		t.Errorf("suppléant opening the form: %d", res.StatusCode)
	}
	_, body = reg.get(res.Header.Get("Location"))
	contains(t, plainSpaces(body), "procès-verbal de vérification a été enregistré", "Jeanne Lefèvre", "Marie Dupont", "193,40 €", "193,20 €", "-0,20 €")
	if auditCount(t, f.st, "verification.record") != 1 {
		t.Error("the procès-verbal was not audited")
	}
	var rows []store.VerificationRow
	if err := f.st.View(context.Background(), func(tx *store.Tx) (err error) { rows, err = tx.Verifications([]string{"ENF"}); return err }); err != nil || len(rows) != 1 {
		t.Fatalf("verifications: %v %d", err, len(rows))
	}
	pv := rows[0].Verification
	if pv.Counter != "GESTION" || pv.Lines[0].ExpectedCash != 161_40 || pv.Lines[0].CountedCash != 161_20 || pv.Agent != "s-0001" {
		t.Fatalf("recorded %+v", pv)
	}
	reports, err := f.st.Verify(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range reports {
		if !r.OK() {
			t.Errorf("verify: %s", r)
		}
	}

	link := "/gestion/verifications/" + pv.ID + "/pv.pdf"
	_, list := fin.get("/gestion/verifications")
	contains(t, plainSpaces(list), link)
	res, pdf := fin.getBytes(link)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("pv.pdf: %d", res.StatusCode)
	}
	text := pdfText(t, pdf)
	for _, s := range []string{"Procès-verbal de vérification de caisse", "Jeanne Lefèvre – Comptable public", "Marie Dupont",
		"C01 – Accueil mairie – guichet 1", "161,40 €", "161,20 €", "-0,20 €", "32,00 € (1)", "pièce égarée",
		"journal du poste GESTION, entrée n° 1", rows[0].Hash[:32], "Date et signature"} {
		if !strings.Contains(text, s) {
			t.Errorf("procès-verbal PDF lacks %q", s)
		}
	}
	if auditCount(t, f.st, "verification.pdf") != 1 {
		t.Error("the procès-verbal's download was not audited")
	}
	if res, _ := pis.getBytes(link); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS downloading ENF's procès-verbal: %d", res.StatusCode)
	}
	_, list = pis.get("/gestion/verifications")
	if strings.Contains(list, "Jeanne") {
		t.Error("PIS's régisseur sees ENF's procès-verbal")
	}
	_ = regie.KindVerification
}
