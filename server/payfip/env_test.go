package payfip_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/payfip"
	"github.com/regie-fr/regie/server/payfip/payfipsim"
	"github.com/regie-fr/regie/server/portal"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// The demo's households: Hélène Lefèvre's (h-0001, invoices i-0001-1…3)
// and Thomas Nguyen's (h-0002).
var (
	helene = auth.DevUser{Subject: "sub-helene", GivenName: "Hélène", FamilyName: "Lefèvre", BirthDate: "1984-05-12", Email: "helene@example.fr"}
	thomas = auth.DevUser{Subject: "sub-thomas", GivenName: "Thomas", FamilyName: "Nguyen", BirthDate: "1984-05-12", Email: "thomas@example.fr"}
)

const numcli = "123456"

// env is the whole path on loopback: the portal over a real store seeded
// with the demo régie (PayFiP client 123456), a login provider, and the
// PayFiP simulator on its own server; the service's clock can be moved.
type env struct {
	t      *testing.T
	st     *store.Store
	sim    *payfipsim.Sim
	simSrv *httptest.Server
	srv    *httptest.Server
	idp    *httptest.Server
	svc    *payfip.Service
	mu     sync.Mutex
	offset time.Duration
}

func newEnv(t *testing.T, opt payfipsim.Options) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	setClient(t, st, numcli)
	e := &env{t: t, st: st}
	e.sim = payfipsim.New(opt)
	e.simSrv = httptest.NewServer(e.sim)
	t.Cleanup(e.simSrv.Close)

	prov, err := auth.NewDevProvider("portail", "secret", []auth.DevUser{helene, thomas})
	if err != nil {
		t.Fatal(err)
	}
	e.idp = httptest.NewServer(prov)
	t.Cleanup(e.idp.Close)
	prov.SetIssuer(e.idp.URL)
	var h http.Handler
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(func() { e.sim.Wait(); e.srv.Close() })
	prov.RedirectURIs = []string{e.srv.URL + "/connexion/retour", e.srv.URL + "/deconnexion/fin"}
	rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: e.idp.URL, ClientID: "portail", ClientSecret: "secret",
		RedirectURL: e.srv.URL + "/connexion/retour", PostLogoutRedirectURL: e.srv.URL + "/deconnexion/fin", PKCE: true})
	if err != nil {
		t.Fatal(err)
	}
	client := payfip.NewClient(payfip.ClientConfig{BaseURL: payfipsim.BaseURL(e.simSrv.URL), Timeout: 5 * time.Second})
	e.svc = payfip.NewService(payfip.Config{Store: st, Client: client, PublicURL: e.srv.URL, Saisie: "T", Now: e.now})
	h, err = portal.New(portal.Config{BaseURL: e.srv.URL, City: "Ville de Montaigu", InsecureCookies: true, Online: e.svc}, st.Portal(), rp)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// setClient gives the demo régie a PayFiP client number ("" for none).
func setClient(t testing.TB, st *store.Store, n string) {
	t.Helper()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		r, err := tx.Regie("ENF")
		if err != nil {
			return err
		}
		r.PayFiPClient = n
		return tx.SaveRegie(r, false)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) now() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return time.Now().Add(e.offset)
}

// later moves the service's clock on.
func (e *env) later(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.offset += d
}

// browser is a citizen's browser: its own cookies, redirects not followed.
type browser struct {
	e *env
	c *http.Client
}

type response struct {
	*http.Response
	body string
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) do(method, u string, form url.Values) *response {
	b.e.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = b.e.srv.URL + u
	}
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &response{Response: resp, body: string(raw)}
}

func (b *browser) get(u string) *response { return b.do(http.MethodGet, u, nil) }

// follow goes where a redirect leads.
func (b *browser) follow(r *response) *response {
	b.e.t.Helper()
	loc := r.Header.Get("Location")
	if loc == "" {
		b.e.t.Fatalf("no redirect: %d %s", r.StatusCode, r.body)
	}
	u, err := r.Request.URL.Parse(loc)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.get(u.String())
}

// login logs u in and links the household of code; it returns the
// session's CSRF token.
func (b *browser) login(u auth.DevUser, code string) string {
	b.e.t.Helper()
	r := b.get("/connexion/franceconnect")
	r = b.get(r.Header.Get("Location") + "&login_hint=" + url.QueryEscape(u.Subject))
	if r = b.follow(r); r.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("login callback: %d %s", r.StatusCode, r.body)
	}
	csrf := field(b.e.t, b.get("/foyers").body, "csrf")
	if r = b.do(http.MethodPost, "/foyers/lier", url.Values{"code": {code}, "csrf": {csrf}}); r.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("link: %d %s", r.StatusCode, r.body)
	}
	return csrf
}

// field reads a hidden input's value from a page.
func field(t testing.TB, body, name string) string {
	t.Helper()
	mark := `name="` + name + `" value="`
	i := strings.Index(body, mark)
	if i < 0 {
		t.Fatalf("no %s field in page:\n%s", name, body)
	}
	rest := body[i+len(mark):]
	return rest[:strings.IndexByte(rest, '"')]
}

// formAction reads the action of the page's form that has a field name.
func formAction(t testing.TB, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`"`)
	j := strings.LastIndex(body[:max(i, 0)], `<form method="post" action="`)
	if i < 0 || j < 0 {
		t.Fatalf("no form with %s in page:\n%s", name, body)
	}
	rest := body[j+len(`<form method="post" action="`):]
	return strings.ReplaceAll(rest[:strings.IndexByte(rest, '"')], "&amp;", "&")
}

// startPayment clicks "Payer en ligne" on an invoice and lands on the
// simulator's payment page; it returns the idOp and the page.
func (b *browser) startPayment(csrf, invoiceID string) (string, *response) {
	b.e.t.Helper()
	page := b.get("/factures/" + invoiceID)
	action := "/factures/" + invoiceID + "/payer"
	if !strings.Contains(page.body, "Payer en ligne") || !strings.Contains(page.body, `action="`+action+`"`) {
		b.e.t.Fatalf("no Payer en ligne on %s:\n%s", invoiceID, page.body)
	}
	if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self'") || !strings.Contains(csp, b.e.simSrv.URL) {
		b.e.t.Fatalf("the form may not lead to PayFiP: %s", csp)
	}
	r := b.do(http.MethodPost, action, url.Values{"csrf": {csrf}})
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), b.e.simSrv.URL+"/tpa/paiementws.web?idop=") {
		b.e.t.Fatalf("pay: %d %q %s", r.StatusCode, r.Header.Get("Location"), r.body)
	}
	u, _ := url.Parse(r.Header.Get("Location"))
	return u.Query().Get("idop"), b.follow(r)
}

// choose presses one of the simulator's buttons and returns the page with
// the way back.
func (b *browser) choose(page *response, choice string) *response {
	b.e.t.Helper()
	r := b.do(http.MethodPost, b.e.simSrv.URL+formAction(b.e.t, page.body, "choix"),
		url.Values{"idop": {field(b.e.t, page.body, "idop")}, "choix": {choice}})
	if r.StatusCode != http.StatusOK {
		b.e.t.Fatalf("choose %s: %d %s", choice, r.StatusCode, r.body)
	}
	return r
}

// goBack presses the simulator's "return" button (a POST to the portal)
// and follows to the portal's return page.
func (b *browser) goBack(page *response) *response {
	b.e.t.Helper()
	r := b.do(http.MethodPost, formAction(b.e.t, page.body, "idop"), url.Values{"idop": {field(b.e.t, page.body, "idop")}})
	if r.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("return: %d %s", r.StatusCode, r.body)
	}
	return b.follow(r)
}

// state is what the store holds of an invoice and its online orders.
type state struct {
	payments  []string
	paid      regie.Money
	remaining regie.Money
	events    []store.PayFiPEvent
	order     *store.PayFiPOrder
}

func (e *env) state(invoiceID, idOp string) *state {
	e.t.Helper()
	ctx := context.Background()
	s := &state{}
	var err error
	if s.payments, err = e.st.InvoicePayments(ctx, invoiceID); err != nil {
		e.t.Fatal(err)
	}
	err = e.st.View(ctx, func(tx *store.Tx) error {
		inv, err := tx.Invoice(invoiceID)
		if err != nil {
			return err
		}
		s.paid, s.remaining = inv.Paid, inv.Remaining
		if idOp == "" {
			return nil
		}
		if s.order, err = tx.PayFiPOrder(idOp); err != nil {
			return err
		}
		s.events, err = tx.PayFiPEvents(idOp)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

func (s *state) states() string {
	var out []string
	for _, e := range s.events {
		out = append(out, e.State)
	}
	return strings.Join(out, ",")
}

// payment reads a recorded payment.
func (e *env) payment(id string) *store.PaymentDetail {
	e.t.Helper()
	d, err := e.st.PaymentDetail(context.Background(), []string{"ENF"}, id)
	if err != nil || d == nil {
		e.t.Fatalf("payment %s: %v", id, err)
	}
	return d
}
