package backoffice

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
)

// upload posts a statement file with the session's CSRF token, as the
// import form does, and gives the answer with its page.
func (b *browser) upload(regieCode, name string, data []byte) (*http.Response, string) {
	b.f.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", b.csrf())
	mw.WriteField("regie", regieCode)
	fw, _ := mw.CreateFormFile("releve", name)
	fw.Write(data)
	mw.Close()
	res, err := b.c.Post(b.f.srv.URL+"/gestion/banque/releves", mw.FormDataContentType(), &buf)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func bankFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../bank/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// entryID is the id of the bank entry with reference ref.
func (f *fixture) entryID(ref string) string {
	f.t.Helper()
	var id string
	if err := f.st.QueryRow(`SELECT id FROM bank_entries WHERE ref = ?`, ref).Scan(&id); err != nil {
		f.t.Fatalf("entry %s: %v", ref, err)
	}
	return id
}

var decisionRE = regexp.MustCompile(`name="decision" value="([^"]+)"`)

// formFor reads an entry's page (with ?q=) and the form fields of its
// household's invoices: invoice number → index of its row.
func (b *browser) formFor(entry, q string) (decision, leave string, rows map[string]string, body string) {
	b.f.t.Helper()
	res, body := b.get("/gestion/banque/ecritures/" + entry + "?q=" + url.QueryEscape(q))
	if res.StatusCode != http.StatusOK {
		b.f.t.Fatalf("entry page: %d", res.StatusCode)
	}
	ids := decisionRE.FindAllStringSubmatch(body, -1)
	if len(ids) == 0 {
		b.f.t.Fatalf("no decision form: %.2000s", body)
	}
	decision = ids[0][1]
	leave = ids[len(ids)-1][1]
	rows = map[string]string{}
	for _, m := range regexp.MustCompile(`<label for="montant_(\d+)">([A-Z0-9-]+) – `).FindAllStringSubmatch(body, -1) {
		rows[m[2]] = m[1]
	}
	return decision, leave, rows, body
}

// TestBankHTTP: the régisseur imports the demo's camt.053 through the
// form, imports it again (nothing changes), then decides on what did not
// match — assign, split, leave as a credit — each recorded with its audit
// entry; refusals and other régies' staff change nothing.
func TestBankHTTP(t *testing.T) {
	f := newFixture(t)
	reg := f.login("mdupont", "regisseur-demo")
	res, body := reg.upload("ENF", "releve.xml", bankFile(t, "enf-camt053-001-02.xml"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("import: %d %.2000s", res.StatusCode, body)
	}
	contains(t, plainSpaces(body), "Relevé importé", "R-ENF-GESTION-2026-000001", "FAC-2026-00101", "Rapproché",
		"À identifier</span> (plusieurs rapprochements possibles)", "(aucune référence connue)", "Débit (jamais un paiement)",
		"Autre opération", "<dt>Rapprochées et payées</dt><dd>4</dd>")
	if n := auditCount(t, f.st, "bank.import"); n != 1 {
		t.Errorf("%d bank.import audit entries", n)
	}
	before := dumpTables(t, f.st)
	res, body = reg.upload("ENF", "releve.xml", bankFile(t, "enf-camt053-001-02.xml"))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "rien n&#39;a changé") || strings.Count(body, ">Déjà importé<") != 9 {
		t.Errorf("second import: %d %.3000s", res.StatusCode, body)
	}
	if dumpTables(t, f.st) != before {
		t.Error("the second import wrote something")
	}
	// A malformed file: refused with its French sentence, nothing written.
	bad := bytes.Replace(bankFile(t, "enf-camt053-001-08.xml"), []byte("<Amt Ccy=\"EUR\">111.60</Amt>"), []byte("<Amt Ccy=\"EUR\">111,60</Amt>"), 1)
	res, body = reg.upload("ENF", "mauvais.xml", bad)
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Écriture n° 2 : montant « 111,60 » illisible") || dumpTables(t, f.st) != before {
		t.Errorf("malformed: %d %.2000s", res.StatusCode, body)
	}

	_, body = reg.get("/gestion/banque")
	contains(t, body, "Du 01/12/2026 au 01/12/2026", "FR7330001004900000012345005", "3 crédits à identifier")
	_, body = reg.get("/gestion/banque/a-identifier")
	contains(t, body, "2026120100003", "2026120100004", "2026120100005")

	// Assign the unmatched 25,00 € to FAC-2026-00102 of account F001001.
	entry := f.entryID("2026120100005")
	decision, _, rows, _ := reg.formFor(entry, "F001001")
	res = reg.postForm("/gestion/banque/ecritures/"+entry+"/affecter", url.Values{"decision": {decision}, "foyer": {"h-0001"},
		"lignes": {"3"}, "facture_" + rows["FAC-2026-00102"]: {"i-0001-2"}, "montant_" + rows["FAC-2026-00102"]: {"25,00"},
		"facture_" + rows["FAC-2026-00103"]: {"i-0001-3"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("assign: %d", res.StatusCode)
	}
	_, body = reg.get("/gestion/banque/ecritures/" + entry)
	contains(t, body, "Affecté", "R-ENF-GESTION-2026-000005", "affecté à une facture")
	if n := auditCount(t, f.st, "bank.assign"); n != 1 {
		t.Errorf("%d bank.assign audit entries", n)
	}

	// Split the household F001003's 50,00 € over two invoices — first
	// with amounts that do not add up (refused, nothing written).
	entry = f.entryID("2026120100003")
	decision, _, rows, _ = reg.formFor(entry, "")
	split := func(a, b string) (*http.Response, string) {
		return reg.send("/gestion/banque/ecritures/"+entry+"/affecter", url.Values{"decision": {decision}, "foyer": {"h-0003"},
			"lignes": {"3"}, "facture_" + rows["FAC-2026-00301"]: {"i-0003-1"}, "montant_" + rows["FAC-2026-00301"]: {a},
			"facture_" + rows["FAC-2026-00302"]: {"i-0003-2"}, "montant_" + rows["FAC-2026-00302"]: {b}})
	}
	before = dumpTables(t, f.st)
	res, body = split("25,00", "24,99")
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(plainSpaces(body), "La répartition fait 49,99 €, le crédit 50,00 €") ||
		!strings.Contains(body, `value="24,99"`) || dumpTables(t, f.st) != before {
		t.Errorf("split not adding up: %d %.3000s", res.StatusCode, body)
	}
	if res, _ := split("25,00", "25,00"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("split: %d", res.StatusCode)
	}
	var remaining1, remaining2 int64
	f.st.QueryRow(`SELECT amount - paid FROM invoices WHERE id = 'i-0003-1'`).Scan(&remaining1)
	f.st.QueryRow(`SELECT amount - paid FROM invoices WHERE id = 'i-0003-2'`).Scan(&remaining2)
	if remaining1 != 36_60 || remaining2 != 7_00 || auditCount(t, f.st, "bank.split") != 1 {
		t.Errorf("split: remaining %d %d", remaining1, remaining2)
	}

	// Leave the 40,00 € as a credit: still listed, to identify.
	entry = f.entryID("2026120100004")
	_, leave, _, _ := reg.formFor(entry, "")
	res = reg.postForm("/gestion/banque/ecritures/"+entry+"/laisser", url.Values{"decision": {leave}, "commentaire": {"Acompte sans facture"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("leave: %d", res.StatusCode)
	}
	_, body = reg.get("/gestion/banque/a-identifier")
	contains(t, body, "2026120100004", "Laissé en crédit")
	if auditCount(t, f.st, "bank.leave") != 1 {
		t.Error("leave not audited")
	}

	// The régisseur of PIS neither sees nor decides on ENF's entries.
	pis := f.login("pisreg", "pisreg-pass")
	fin := f.login("finances", "finances-demo")
	before = dumpTables(t, f.st)
	if res, _ := pis.get("/gestion/banque/ecritures/" + entry); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS reads an ENF entry: %d", res.StatusCode)
	}
	if res, _ := pis.get("/gestion/banque/releves/" + statementOf(t, f, entry)); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS reads an ENF statement: %d", res.StatusCode)
	}
	if _, body := pis.get("/gestion/banque"); strings.Contains(body, "FR7330001004900000012345005") {
		t.Error("PIS lists ENF's statements")
	}
	if res, _ := pis.send("/gestion/banque/ecritures/"+entry+"/affecter", url.Values{"decision": {leave}, "lignes": {"1"},
		"facture_0": {"i-0004-1"}, "montant_0": {"40,00"}}); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS assigns an ENF credit: %d", res.StatusCode)
	}
	if res, _ := pis.upload("ENF", "releve.xml", bankFile(t, "enf-camt053-001-08.xml")); res.StatusCode != http.StatusNotFound {
		t.Errorf("PIS imports for ENF: %d", res.StatusCode)
	}
	if res, body := pis.upload("PIS", "releve.xml", bankFile(t, "enf-camt053-001-08.xml")); res.StatusCode != http.StatusBadRequest ||
		!strings.Contains(body, "celui d&#39;une autre régie") {
		t.Errorf("PIS imports ENF's account: %d", res.StatusCode)
	}
	// Finance reads, and decides nothing.
	if res, body := fin.get("/gestion/banque/ecritures/" + entry); res.StatusCode != http.StatusOK || strings.Contains(body, "/affecter") {
		t.Errorf("finance's entry page: %d", res.StatusCode)
	}
	if res, _ := fin.send("/gestion/banque/ecritures/"+entry+"/laisser", url.Values{"decision": {leave}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("finance leaves a credit: %d", res.StatusCode)
	}
	if dumpTables(t, f.st) != before {
		t.Error("another régie's staff or finance wrote something")
	}
}

func statementOf(t *testing.T, f *fixture, entry string) string {
	var id string
	if err := f.st.QueryRow(`SELECT statement_id FROM bank_entries WHERE id = ?`, entry).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestBankHTTPCSV: the CSV export in Windows-1252 through the form, then
// the same export in UTF-8: every line already imported, nothing written.
func TestBankHTTPCSV(t *testing.T) {
	f := newFixture(t)
	sup := f.login("jmartin", "suppleant-demo")
	res, body := sup.upload("ENF", "releve.csv", bankFile(t, "enf-releve-ansi.csv"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("import: %d %.2000s", res.StatusCode, body)
	}
	contains(t, plainSpaces(body), "GARÇON AURÉLIE", "R-ENF-GESTION-2026-000001", "1 234,56 €", "PRLV SEPA ÉLECTRICITÉ DE FRANCE",
		"<dt>Rapprochées et payées</dt><dd>1</dd>", "<dt>Débits</dt><dd>1</dd>")
	before := dumpTables(t, f.st)
	res, body = sup.upload("ENF", "releve-utf8.csv", bankFile(t, "enf-releve.csv"))
	if res.StatusCode != http.StatusOK || strings.Count(body, ">Déjà importé<") != 5 || dumpTables(t, f.st) != before {
		t.Errorf("second import: %d", res.StatusCode)
	}
	// Not a statement at all: refused, nothing written.
	res, body = sup.upload("ENF", "notes.txt", []byte("bonjour\n"))
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "En-tête introuvable") || dumpTables(t, f.st) != before {
		t.Errorf("not a statement: %d", res.StatusCode)
	}
}

// TestBankUploadSize: a statement above the 64 KiB of other forms is
// taken; one above 4 MB is refused with its own message, nothing written.
func TestBankUploadSize(t *testing.T) {
	f := newFixture(t)
	reg := f.login("mdupont", "regisseur-demo")
	pad := func(n int) []byte {
		return bytes.Replace(bankFile(t, "enf-camt053-001-02.xml"), []byte("<BkToCstmrStmt>"),
			[]byte("<BkToCstmrStmt><!-- "+strings.Repeat("x", n)+" -->"), 1)
	}
	before := dumpTables(t, f.st)
	res, body := reg.upload("ENF", "gros.xml", pad(5<<20))
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Le relevé dépasse 4 Mo") || dumpTables(t, f.st) != before {
		t.Errorf("5 MB: %d", res.StatusCode)
	}
	res, body = reg.upload("ENF", "moyen.xml", pad(200<<10))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "<dt>Écritures nouvelles</dt><dd>9</dd>") {
		t.Errorf("200 KB: %d %.1000s", res.StatusCode, body)
	}
}
