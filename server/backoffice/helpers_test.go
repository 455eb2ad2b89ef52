package backoffice

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"golang.org/x/crypto/bcrypt"
)

// fixture is a back-office on a real server file, served over a real HTTP
// server: the demo régie ENF (servertest.Seed, with the demo staff), and a
// second régie PIS with its own régisseur, so that every test can check
// that one régie's staff never reach the other's.
type fixture struct {
	t   *testing.T
	st  *store.Store
	srv *httptest.Server
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	f := &fixture{t: t, st: st}
	f.addRegie("PIS", "Régie Piscine")
	f.addStaff("pisreg", "Régisseur Piscine", store.Grant{Role: store.RoleRegisseur, Regie: "PIS"})
	h, err := New(Config{InsecureCookies: true, PasswordCost: bcrypt.MinCost}, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = httptest.NewServer(h)
	t.Cleanup(f.srv.Close)
	return f
}

// addRegie creates a régie like the demo's under another code.
func (f *fixture) addRegie(code, name string) {
	f.t.Helper()
	r := demo.Regie()
	r.Code, r.Name = code, name
	if err := f.st.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveRegie(&r, true) }); err != nil {
		f.t.Fatal(err)
	}
}

// addStaff creates an account whose password is its login + "-pass".
func (f *fixture) addStaff(login, name string, grants ...store.Grant) *store.Staff {
	f.t.Helper()
	h, err := bcrypt.GenerateFromPassword([]byte(login+"-pass"), bcrypt.MinCost)
	if err != nil {
		f.t.Fatal(err)
	}
	s := &store.Staff{ID: "s-" + login, Login: login, Name: name, PasswordHash: string(h), Grants: grants}
	if err := f.st.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveStaff(s, time.Now()) }); err != nil {
		f.t.Fatal(err)
	}
	return s
}

// browser is one person's browser on the back-office: its own cookies.
type browser struct {
	f *fixture
	c *http.Client
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{f: f, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// login logs in with a password (an account of addStaff, or a demo one
// with its demo password) and fails the test unless the password is taken.
func (f *fixture) login(login, password string) *browser {
	f.t.Helper()
	b := f.browser()
	res := b.post("/gestion/connexion", url.Values{"login": {login}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("login %s: status %d", login, res.StatusCode)
	}
	return b
}

func (b *browser) get(path string) (*http.Response, string) {
	b.f.t.Helper()
	res, err := b.c.Get(b.f.srv.URL + path)
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}

func (b *browser) post(path string, form url.Values) *http.Response {
	b.f.t.Helper()
	res, err := b.c.PostForm(b.f.srv.URL+path, form)
	if err != nil {
		b.f.t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the session's token from any page that has a form (the
// layout's logout form has one on every page of a logged-in visitor).
func (b *browser) csrf() string {
	b.f.t.Helper()
	_, body := b.get("/gestion/")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.f.t.Fatalf("no CSRF token on the page: %.300s", body)
	}
	return m[1]
}

// postForm posts a form with the session's CSRF token added.
func (b *browser) postForm(path string, form url.Values) *http.Response {
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.csrf())
	return b.post(path, form)
}

// contains fails the test unless body has every string.
func contains(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
