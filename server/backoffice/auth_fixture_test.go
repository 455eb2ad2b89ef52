package backoffice

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
	"golang.org/x/crypto/bcrypt"
)

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// authEnv is the fixture of the login tests: the back-office at a clock
// the test moves, and a local OpenID Connect provider (auth.DevProvider)
// on its own server, as ProConnect would be.
type authEnv struct {
	*fixture
	clock *clock
	prov  *auth.DevProvider
	idp   *httptest.Server
}

// Identities the local provider knows: Lucie's is bound to an account by
// the tests, Marc's to none.
var (
	lucie = auth.DevUser{Subject: "pc-lucie", GivenName: "Lucie", FamilyName: "Bernard", Email: "lucie.bernard@ville.fr"}
	marc  = auth.DevUser{Subject: "pc-marc", GivenName: "Marc", FamilyName: "Petit", Email: "marc.petit@ville.fr"}
)

func newAuthEnv(t *testing.T, mod func(*Config)) *authEnv {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	e := &authEnv{fixture: &fixture{t: t, st: st}, clock: &clock{t: time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)}}
	e.addRegie("PIS", "Régie Piscine")
	e.addStaff("pisreg", "Régisseur Piscine", store.Grant{Role: store.RoleRegisseur, Regie: "PIS"})
	if e.prov, err = auth.NewDevProvider("gestion", "secret", []auth.DevUser{lucie, marc}); err != nil {
		t.Fatal(err)
	}
	e.prov.Now = e.clock.Now
	e.idp = httptest.NewServer(e.prov)
	t.Cleanup(e.idp.Close)
	e.prov.SetIssuer(e.idp.URL)
	var h atomic.Value
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.Load().(http.Handler).ServeHTTP(w, r) }))
	t.Cleanup(e.srv.Close)
	e.prov.RedirectURIs = []string{e.srv.URL + "/gestion/connexion/retour", e.srv.URL + "/gestion/connexion"}
	rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: e.idp.URL, ClientID: "gestion", ClientSecret: "secret",
		RedirectURL: e.srv.URL + "/gestion/connexion/retour", PostLogoutRedirectURL: e.srv.URL + "/gestion/connexion",
		Scopes: []string{"openid", "given_name", "usual_name", "email", "uid"}, PKCE: true, ProviderName: "ProConnect",
		Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{PublicURL: e.srv.URL, InsecureCookies: true, PasswordCost: bcrypt.MinCost, Now: e.clock.Now}
	if mod != nil {
		mod(&cfg)
	}
	bh, err := New(cfg, st, rp)
	if err != nil {
		t.Fatal(err)
	}
	h.Store(bh)
	return e
}

// staff reads an account by login.
func (e *authEnv) staff(login string) *store.Staff {
	e.t.Helper()
	var s *store.Staff
	if err := e.st.View(context.Background(), func(tx *store.Tx) (err error) {
		s, err = tx.StaffByLogin(login)
		return err
	}); err != nil || s == nil {
		e.t.Fatalf("staff %s: %v", login, err)
	}
	return s
}

// code is the TOTP code of a secret at the test's clock.
func (e *authEnv) code(secret string) string {
	e.t.Helper()
	c, err := totp.GenerateCodeCustom(secret, e.clock.Now(), totpOpts)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// auditActions lists the trail's actions, oldest first.
func (e *authEnv) auditActions() []string {
	e.t.Helper()
	var out []string
	rows, err := e.st.Query(`SELECT action FROM audit ORDER BY seq`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a string
		rows.Scan(&a)
		out = append(out, a)
	}
	return out
}

// adminWithTOTP makes an administrator whose second factor is set up, and
// logs it in fully.
func (e *authEnv) adminWithTOTP(login string) (*browser, string) {
	e.t.Helper()
	s := e.addStaff(login, "Administratrice "+login, store.Grant{Role: store.RoleAdmin})
	secret, err := newTOTPSecret()
	if err != nil {
		e.t.Fatal(err)
	}
	s.TOTPSecret = secret
	if err := e.st.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveStaff(s, e.clock.Now()) }); err != nil {
		e.t.Fatal(err)
	}
	b := e.login(login, login+"-pass")
	if res := b.post("/gestion/connexion/code", map[string][]string{"csrf": {b.halfCSRF()}, "code": {e.code(secret)}}); res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("admin code: %d", res.StatusCode)
	}
	e.clock.add(30 * time.Second)
	return b, secret
}

// halfCSRF reads the token from the second factor's page.
func (b *browser) halfCSRF() string {
	b.f.t.Helper()
	_, body := b.get("/gestion/connexion/code")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.f.t.Fatalf("no CSRF token on the code page: %.300s", body)
	}
	return m[1]
}

func storeAdmin() store.Grant { return store.Grant{Role: store.RoleAdmin} }

func mustPrefixes(t *testing.T, s string) []netip.Prefix {
	t.Helper()
	p, err := auth.ParsePrefixes(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// postOwn posts a form with the token read from the account's own page,
// which a session that must change its password still reaches.
func (b *browser) postOwn(path string, form url.Values) *http.Response {
	b.f.t.Helper()
	_, body := b.get("/gestion/compte")
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.f.t.Fatalf("no CSRF token on the account page: %.300s", body)
	}
	form.Set("csrf", m[1])
	return b.post(path, form)
}
