package portal_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/portal"
)

var (
	helene = auth.DevUser{Subject: "sub-helene", GivenName: "Hélène", FamilyName: "Lefèvre", BirthDate: "1985-04-12", Email: "helene@example.fr"}
	julien = auth.DevUser{Subject: "sub-julien", GivenName: "Julien", FamilyName: "Lefèvre", BirthDate: "1984-02-02", Email: "julien@example.fr"}
	paul   = auth.DevUser{Subject: "sub-paul", GivenName: "Paul", FamilyName: "Martin", BirthDate: "1979-01-30", Email: "paul@example.fr"}
	// leo is Hélène's son, a minor: his identity never links by code.
	leo = auth.DevUser{Subject: "sub-leo", GivenName: "Léo", FamilyName: "Lefèvre", BirthDate: "2018-09-01", Email: "leo@example.fr"}
	// helene2 is Hélène as another provider account spells her name.
	helene2 = auth.DevUser{Subject: "sub-helene-2", GivenName: "HELENE", FamilyName: "  LE-FEVRE ", BirthDate: "1985-04-12"}
)

// env is the portal on httptest over a real store, logging in through a
// DevProvider on loopback whose answers a hook may rewrite.
type env struct {
	t      testing.TB
	f      *fixture
	prov   *auth.DevProvider
	idp    *httptest.Server
	srv    *httptest.Server
	hook   func(path string, rec *httptest.ResponseRecorder)
	config portal.Config
	rp     *auth.OIDC
	h      atomic.Value // the portal's http.Handler
}

func newEnv(t testing.TB, mod func(*portal.Config)) *env {
	t.Helper()
	e := &env{t: t, f: newFixture(t)}
	var err error
	if e.prov, err = auth.NewDevProvider("portail", "secret", []auth.DevUser{helene, julien, paul, leo, helene2}); err != nil {
		t.Fatal(err)
	}
	e.idp = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		e.prov.ServeHTTP(rec, r)
		if e.hook != nil {
			e.hook(r.URL.Path, rec)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(e.idp.Close)
	e.prov.SetIssuer(e.idp.URL)
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { e.h.Load().(http.Handler).ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	e.prov.RedirectURIs = []string{e.srv.URL + "/connexion/retour", e.srv.URL + "/deconnexion/fin"}
	e.rp, err = auth.NewOIDC(auth.OIDCConfig{Issuer: e.idp.URL, ClientID: "portail", ClientSecret: "secret",
		RedirectURL: e.srv.URL + "/connexion/retour", PostLogoutRedirectURL: e.srv.URL + "/deconnexion/fin", PKCE: true})
	if err != nil {
		t.Fatal(err)
	}
	e.config = portal.Config{BaseURL: e.srv.URL, City: "Ville de Montaigu", InsecureCookies: true,
		Footer: portal.Footer{Lines: []string{"Mairie de Montaigu, 1 place de la Mairie"}, Links: []portal.Link{{Label: "Mentions légales", URL: "/mentions"}}},
		// The sessions in the database, as serve keeps them.
		Sessions: e.f.st.PortalSessions()}
	e.reconfigure(mod)
	return e
}

// reconfigure serves a new portal, its config changed by mod, on the same
// server and store; the sessions, kept in the store, live on.
func (e *env) reconfigure(mod func(*portal.Config)) {
	e.t.Helper()
	if mod != nil {
		mod(&e.config)
	}
	h, err := portal.New(e.config, e.f.st.Portal(), e.rp)
	if err != nil {
		e.t.Fatal(err)
	}
	e.h.Store(h)
}

// browser is one person's browser: its own cookies, redirects not
// followed, so each step can be checked.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// response is an answer with its body read.
type response struct {
	*http.Response
	body string
}

func (b *browser) do(req *http.Request) *response {
	b.e.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return &response{Response: resp, body: string(raw)}
}

// get fetches a portal path (or an absolute URL).
func (b *browser) get(path string) *response {
	b.e.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = b.e.srv.URL + path
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form to a portal path; the csrf token is added unless
// form has one (even empty).
func (b *browser) post(path string, form url.Values, csrf string) *response {
	b.e.t.Helper()
	form = cloneValues(form)
	if _, ok := form["csrf"]; !ok {
		form.Set("csrf", csrf)
	}
	req, err := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

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

// startLogin clicks the FranceConnect button and picks a user at the
// provider; it returns the provider's redirect to the callback.
func (b *browser) startLogin(u auth.DevUser) *response {
	b.e.t.Helper()
	r := b.get("/connexion/franceconnect")
	if r.StatusCode != http.StatusFound || !strings.HasPrefix(r.Header.Get("Location"), b.e.idp.URL+"/authorize?") {
		b.e.t.Fatalf("login start: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	return b.get(r.Header.Get("Location") + "&login_hint=" + url.QueryEscape(u.Subject))
}

// login logs u in and returns the page the portal lands on.
func (b *browser) login(u auth.DevUser) *response {
	b.e.t.Helper()
	cb := b.startLogin(u)
	r := b.follow(cb)
	if r.StatusCode != http.StatusSeeOther {
		b.e.t.Fatalf("callback: %d %s", r.StatusCode, r.body)
	}
	return r
}

// csrf reads the token from a page's forms.
func csrfOf(t testing.TB, body string) string {
	t.Helper()
	const mark = `name="csrf" value="`
	i := strings.Index(body, mark)
	if i < 0 {
		t.Fatalf("no csrf field in page")
	}
	rest := body[i+len(mark):]
	return rest[:strings.IndexByte(rest, '"')]
}

// linkHousehold logs u in and links a household with its access code
// (u must be an adult of it); it returns the CSRF token of the session.
func (b *browser) linkHousehold(u auth.DevUser, code string) string {
	b.e.t.Helper()
	b.login(u)
	page := b.get("/foyers")
	csrf := csrfOf(b.e.t, page.body)
	r := b.post("/foyers/lier", url.Values{"code": {code}}, csrf)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/foyers?ok=lie" {
		b.e.t.Fatalf("link: %d %s", r.StatusCode, r.body)
	}
	return csrf
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, x := range v {
		out[k] = append([]string(nil), x...)
	}
	return out
}
