package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	appdemo "github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/payfip/payfipsim"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"github.com/regie-fr/regie/sync/client"
)

// world is a whole server started as `serve` with its citizens' provider,
// seeded with the demo régie, for tests that go through every channel.
type world struct {
	t    *testing.T
	base string
	db   string
	vars map[string]string // serve's settings
}

// freeAddr is a loopback address nobody listens on yet: the provider must
// know the server's redirect URL before the server starts.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func newWorld(t *testing.T, vars map[string]string, logs ...io.Writer) *world {
	t.Helper()
	return newWorldOn(t, storetest.DB(t, "serveur"), vars, logs...)
}

// newWorldOn is newWorld on the database db.
func newWorldOn(t *testing.T, db string, vars map[string]string, logs ...io.Writer) *world {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	servertest.Seed(t, st)
	st.Close()
	idp, err := auth.NewDevProvider("portail", "secret", demoCitizens)
	if err != nil {
		t.Fatal(err)
	}
	idpHTTP := httptest.NewServer(idp)
	t.Cleanup(idpHTTP.Close)
	idp.SetIssuer(idpHTTP.URL)
	addr := freeAddr(t)
	base := "http://" + addr
	idp.RedirectURIs = []string{base + "/connexion/retour", base + "/deconnexion/fin"}
	vars["REGIE_DB"] = db
	vars["REGIE_OIDC_ISSUER"], vars["REGIE_OIDC_CLIENT_ID"], vars["REGIE_OIDC_CLIENT_SECRET"] = idpHTTP.URL, "portail", "secret"
	vars["REGIE_INSECURE_COOKIES"], vars["REGIE_PUBLIC_URL"] = "1", base
	vars["REGIE_ADDR"] = addr
	got := startServe(t, vars, logs...)
	if got != base {
		t.Fatalf("serve listens on %s, want %s", got, base)
	}
	return &world{t: t, base: base, db: db, vars: vars}
}

// deskCash has counter C01 enrol, cash amount on invoice of household in
// notes, and push it: the desk's channel.
func (w *world) deskCash(household, invoice string, amount regie.Money) {
	t := w.t
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, w.db)
	if err != nil {
		t.Fatal(err)
	}
	code := servertest.AddCounter(t, st, "C01")
	st.Close()
	cst, err := appstore.Open(ctx, filepath.Join(t.TempDir(), "caisse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cst.Close() })
	c := app.New(app.Adapt(cst), app.WithLocation(apptest.Paris))
	sc := client.New(c, client.Options{})
	if _, err := sc.Enrol(ctx, w.base, code); err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	a := apptest.Login(t, c, appdemo.MandataireLogin, appdemo.MandatairePIN)
	apptest.Open(t, c, a, 150_00)
	if _, err := c.RecordPayment(ctx, a, app.PaymentRequest{HouseholdID: household,
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: amount}},
		Allocations: []regie.Allocation{{InvoiceID: invoice, Amount: amount}}}); err != nil {
		t.Fatal(err)
	}
	if err := sc.Sync(ctx); err != nil {
		t.Fatal(err)
	}
}

// citizen logs in to the portal as subject through the provider (the
// login_hint stands for the click on the provider's page) and links the
// household with its access code; the client keeps the session.
func (w *world) citizen(subject, accessCode string) *http.Client {
	t := w.t
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.HasSuffix(req.URL.Path, "/authorize") && req.URL.Query().Get("login_hint") == "" {
			q := req.URL.Query()
			q.Set("login_hint", subject)
			req.URL.RawQuery = q.Encode()
		}
		return nil
	}}
	status, _ := w.do(c, "GET", "/connexion/franceconnect", nil)
	if status != 200 {
		t.Fatalf("login: %d", status)
	}
	_, page := w.do(c, "GET", "/foyers", nil)
	if accessCode != "" && strings.Contains(page, `name="code"`) {
		status, body := w.do(c, "POST", "/foyers/lier", url.Values{"code": {accessCode}, "csrf": {csrfOf(t, page)}})
		if status != 200 {
			t.Fatalf("link: %d %s", status, body)
		}
	}
	return c
}

// staff logs in to the back-office with a local account's password.
func (w *world) staff(login, password string) *http.Client {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	status, page := w.do(c, "POST", "/gestion/connexion", url.Values{"login": {login}, "password": {password}})
	if status != 200 || strings.Contains(page, `name="password"`) {
		w.t.Fatalf("back-office login of %s: %d\n%s", login, status, page)
	}
	return c
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrfOf is the CSRF token of the first form of a page.
func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF token in the page:\n%s", page)
	}
	return m[1]
}

// do sends a request with the client (a form when form is not nil).
func (w *world) do(c *http.Client, method, path string, form url.Values) (int, string) {
	w.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", w.base)
	}
	resp, err := c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// upload posts a file in a multipart form (the back-office's statement
// import), with the CSRF token of page.
func (w *world) upload(c *http.Client, path, page, field, name string, data []byte, fields url.Values) (int, string) {
	w.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	mw.WriteField("csrf", csrfOf(w.t, page))
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest("POST", w.base+path, &b)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", w.base)
	resp, err := c.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// publikKey is the key of the test's Publik (REGIE_PUBLIK_KEYS).
const publikOrig, publikKey = "publik.montaigu.test", "cle-publik-de-test-0123456789"

// publik calls the Publik API as Publik does: query signed, JSON body.
func (w *world) publik(method, path, query, body string) (int, map[string]any) {
	w.t.Helper()
	q, err := auth.SignQuery(query, publikOrig, []byte(publikKey), "sha256", time.Now(), fmt.Sprintf("n-%d", time.Now().UnixNano()))
	if err != nil {
		w.t.Fatal(err)
	}
	req, _ := http.NewRequest(method, w.base+path+"?"+q, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		w.t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, out
}

// regie changes a régie's settings as `regie-serveur regie update` does,
// while the server runs.
func (w *world) regie(code string, change func(*regie.Regie)) {
	w.t.Helper()
	st, err := store.Open(context.Background(), w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	defer st.Close()
	if err := st.Update(context.Background(), func(tx *store.Tx) error {
		r, err := tx.Regie(code)
		if err != nil {
			return err
		}
		change(r)
		return tx.SaveRegie(r, false)
	}); err != nil {
		w.t.Fatal(err)
	}
}

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]+)">`)
	idopField  = regexp.MustCompile(`name="idop" value="([^"]+)"`)
)

// payfip has the citizen pay invoice online: "Payer en ligne" on the
// portal, the card on the PayFiP simulator's page, the way back; the
// simulator's notification is answered before it returns.
func (w *world) payfip(c *http.Client, sim *payfipsim.Sim, simRoot, invoice string) {
	t := w.t
	t.Helper()
	_, page := w.do(c, "GET", "/factures/"+invoice, nil)
	if !strings.Contains(page, "Payer en ligne") {
		t.Fatalf("no Payer en ligne on %s:\n%s", invoice, page)
	}
	status, page := w.do(c, "POST", "/factures/"+invoice+"/payer", url.Values{"csrf": {csrfOf(t, page)}})
	act, id := formAction.FindStringSubmatch(page), idopField.FindStringSubmatch(page)
	if status != 200 || act == nil || id == nil {
		t.Fatalf("PayFiP's page %d:\n%s", status, page)
	}
	action := act[1]
	if strings.HasPrefix(action, "/") {
		action = simRoot + action
	}
	resp, err := c.PostForm(action, url.Values{"idop": {id[1]}, "choix": {"carte"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	sim.Wait()
	back, id2 := formAction.FindStringSubmatch(string(b)), idopField.FindStringSubmatch(string(b))
	if back == nil || id2 == nil {
		t.Fatalf("PayFiP's answer %d:\n%s", resp.StatusCode, b)
	}
	resp, err = c.PostForm(back[1], url.Values{"idop": {id2[1]}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(b), "Paiement enregistré") {
		t.Fatalf("return from PayFiP %d:\n%s", resp.StatusCode, b)
	}
}

// receiptsOf are the receipt numbers a page or answer names, by counter.
var receiptNumber = regexp.MustCompile(`R-ENF-(C01|GESTION|ENLIGNE)-2\d{3}-\d{6}`)

func receiptsOf(s string) map[string]string {
	out := map[string]string{}
	for _, m := range receiptNumber.FindAllStringSubmatch(s, -1) {
		out[m[1]] = m[0]
	}
	return out
}

// TestEveryChannelEverywhere is the acceptance: for the same
// household, a transfer from the bank statement the régisseur imports, a
// cash payment at a desk, a payment Publik took online and one through
// PayFiP all show on the citizen's "Mes paiements", in the back-office
// and in the Publik API, each with its receipt.
func TestEveryChannelEverywhere(t *testing.T) {
	sim := payfipsim.New(payfipsim.Options{})
	simSrv := httptest.NewServer(sim)
	t.Cleanup(func() { simSrv.Close(); sim.Wait() })
	w := newWorld(t, map[string]string{"REGIE_PUBLIK_KEYS": publikOrig + "=" + publikKey,
		"REGIE_PAYFIP_URL": payfipsim.BaseURL(simSrv.URL)})
	// The transfer: the statement's first credit names FAC-2026-00101
	// for its whole 61,60 €.
	bo := w.staff("mdupont", "regisseur-demo")
	_, page := w.do(bo, "GET", "/gestion/banque", nil)
	camt, err := os.ReadFile("../../server/bank/testdata/enf-camt053-001-02.xml")
	if err != nil {
		t.Fatal(err)
	}
	if status, body := w.upload(bo, "/gestion/banque/releves", page, "releve", "releve.xml", camt, url.Values{"regie": {"ENF"}}); status != 200 {
		t.Fatalf("statement import %d:\n%s", status, body)
	}
	// Cash at the desk, on the next invoice.
	w.deskCash("h-0001", "i-0001-2", 20_00)
	// Publik's online payment of the third invoice.
	status, out := w.publik("POST", "/api/regie/enf/invoice/i-0001-3/pay/", "",
		`{"transaction_id": "PUBLIK-TX-42", "transaction_date": "2026-12-03T10:00:00", "amount": "50.00"}`)
	if status != 200 || out["err"] != float64(0) {
		t.Fatalf("Publik pay %d: %v", status, out)
	}
	c := w.citizen("fc-hlefevre", "K7Q101X")
	// PayFiP: Hélène pays what remains of the second invoice on the
	// portal, by card on PayFiP's page, and comes back.
	w.regie("ENF", func(r *regie.Regie) { r.PayFiPClient = payfipsim.DemoClient })
	w.payfip(c, sim, simSrv.URL, "i-0001-2")
	want := []string{"GESTION", "C01", "ENLIGNE"}

	status, page = w.do(c, "GET", "/paiements", nil)
	got := receiptsOf(page)
	online := map[string]bool{}
	for _, m := range regexp.MustCompile(`R-ENF-ENLIGNE-\d{4}-\d{6}`).FindAllString(page, -1) {
		online[m] = true
	}
	if n := len(online); n != 2 {
		t.Fatalf("Mes paiements shows %d online payments, want the Publik one and the PayFiP one", n)
	}
	for _, k := range want {
		if status != 200 || got[k] == "" {
			t.Fatalf("Mes paiements (%d) lacks the %s payment: %v", status, k, got)
		}
	}
	// Each receipt downloads as a PDF from the citizen's list.
	for _, id := range regexp.MustCompile(`/paiements/([0-9a-f-]{36})/recu\.pdf`).FindAllStringSubmatch(page, -1) {
		status, pdf := w.do(c, "GET", "/paiements/"+id[1]+"/recu.pdf", nil)
		if status != 200 || !strings.HasPrefix(pdf, "%PDF-") {
			t.Fatalf("receipt %s: %d", id[1], status)
		}
	}
	status, page = w.do(bo, "GET", "/gestion/paiements?compte=F001001", nil)
	if got := receiptsOf(page); status != 200 || len(got) != len(want) {
		t.Fatalf("back-office search (%d) shows %v, want %v", status, got, want)
	}
	status, out = w.publik("GET", "/api/regie/enf/payments/", "payer_external_id=F001001", "")
	list, _ := out["data"].([]any)
	ids := map[string]bool{}
	for _, x := range list {
		p := x.(map[string]any)
		ids[p["display_id"].(string)] = p["has_pdf"] == true
	}
	b, _ := json.Marshal(out)
	got = receiptsOf(string(b))
	for _, k := range want {
		if status != 200 || got[k] == "" || !ids[got[k]] {
			t.Fatalf("Publik payments/ (%d) lacks the %s payment with its PDF: %s", status, k, b)
		}
	}
}
