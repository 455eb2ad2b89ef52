package portal_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/portal"
)

func TestLoginPageAndFlow(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	page := b.get("/connexion")
	d := parse(t, page.body)
	d.checkPage()
	if d.h1() != "Connexion" || !d.has("S’identifier avec FranceConnect") || !d.has("Qu’est-ce que FranceConnect ?") {
		t.Fatalf("login page: %s", page.body)
	}
	if !d.has(portal.DefaultFunding) || !d.has("Mentions légales") {
		t.Fatal("footer without the funding mention or the configured links")
	}
	if got := b.get("/paiements"); got.StatusCode != http.StatusSeeOther || got.Header.Get("Location") != "/connexion" {
		t.Fatalf("anonymous /paiements: %d", got.StatusCode)
	}

	// The login: the login in flight is in a sealed cookie, not a session;
	// the callback clears it and starts the session.
	start := b.get("/connexion/franceconnect")
	pending := cookieOf(t, start.Response, "regie_login")
	if pending.MaxAge != 600 || !pending.HttpOnly || pending.SameSite != http.SameSiteLaxMode {
		t.Fatalf("login cookie %+v", pending)
	}
	for _, c := range start.Cookies() {
		if c.Name == "regie_session" {
			t.Fatal("a login start made a session")
		}
	}
	auth := b.get(start.Header.Get("Location") + "&login_hint=" + helene.Subject)
	cb := b.follow(auth)
	after := cookieOf(t, cb.Response, "regie_session")
	if cb.StatusCode != http.StatusSeeOther || !after.HttpOnly || after.SameSite != http.SameSiteLaxMode {
		t.Fatalf("callback: %d, cookie %+v", cb.StatusCode, after)
	}
	cleared := false
	for _, c := range cb.Cookies() {
		cleared = cleared || c.Name == "regie_login" && c.MaxAge < 0
	}
	if !cleared {
		t.Fatalf("login cookie not cleared: %v", cb.Header["Set-Cookie"])
	}
	// No household linked yet: the citizen is sent to link one.
	r := b.follow(cb)
	if r.Header.Get("Location") != "/paiements" {
		t.Fatalf("home: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	if r = b.follow(r); r.Header.Get("Location") != "/foyers" {
		t.Fatalf("payments without household: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	r = b.follow(r)
	d = parse(t, r.body)
	d.checkPage()
	if d.h1() != "Mes foyers" || !d.has("Aucun foyer n'est encore lié") {
		t.Fatalf("households page: %s", r.body)
	}

	// Another browser replaying the login cookie with the same callback is
	// refused: the provider's code was used once.
	old := e.browser()
	u, _ := url.Parse(e.srv.URL)
	old.c.Jar.SetCookies(u, []*http.Cookie{pending})
	refusedPage(t, old.follow(auth), "code refusé ou expiré")
}

func TestSecureCookieByDefault(t *testing.T) {
	e := newEnv(t, func(c *portal.Config) { c.InsecureCookies = false })
	r := e.browser().get("/connexion/franceconnect")
	c := cookieOf(t, r.Response, "__Host-regie-login")
	if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" {
		t.Fatalf("cookie %+v", c)
	}
}

func cookieOf(t *testing.T, r *http.Response, name string) *http.Cookie {
	t.Helper()
	var found *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == name && c.Value != "" {
			found = c
		}
	}
	if found == nil {
		t.Fatalf("no cookie %s in %v", name, r.Header["Set-Cookie"])
	}
	return found
}

// claimsOf decodes a JWT's claims without checking it, to forge variants.
func claimsOf(t *testing.T, jwt string) map[string]any {
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(jwt, ".")[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	return m
}

func setJSON(rec *httptest.ResponseRecorder, field string, v any) {
	var m map[string]any
	json.Unmarshal(rec.Body.Bytes(), &m)
	m[field] = v
	raw, _ := json.Marshal(m)
	rec.Body = bytes.NewBuffer(raw)
}

func idTokenOf(rec *httptest.ResponseRecorder) string {
	var m map[string]any
	json.Unmarshal(rec.Body.Bytes(), &m)
	s, _ := m["id_token"].(string)
	return s
}

// TestLoginRefusedPages: every forged or replayed answer ends on a French
// page, the citizen not logged in.
func TestLoginRefusedPages(t *testing.T) {
	cases := []struct {
		name, path string
		hook       func(t *testing.T, e *env, rec *httptest.ResponseRecorder)
		want       string
	}{
		{"tampered ID token", "/token", func(t *testing.T, e *env, rec *httptest.ResponseRecorder) {
			parts := strings.Split(idTokenOf(rec), ".")
			c := claimsOf(t, idTokenOf(rec))
			c["sub"] = paul.Subject
			raw, _ := json.Marshal(c)
			parts[1] = base64.RawURLEncoding.EncodeToString(raw)
			setJSON(rec, "id_token", strings.Join(parts, "."))
		}, "n'a pas pu être vérifiée"},
		{"wrong nonce", "/token", func(t *testing.T, e *env, rec *httptest.ResponseRecorder) {
			c := claimsOf(t, idTokenOf(rec))
			c["nonce"] = "un-autre"
			s, _ := e.prov.Sign(c)
			setJSON(rec, "id_token", s)
		}, "ne correspond pas à votre demande de connexion"},
		{"expired ID token", "/token", func(t *testing.T, e *env, rec *httptest.ResponseRecorder) {
			c := claimsOf(t, idTokenOf(rec))
			c["exp"] = time.Now().Add(-time.Minute).Unix()
			s, _ := e.prov.Sign(c)
			setJSON(rec, "id_token", s)
		}, "a expiré"},
		{"unsigned userinfo", "/userinfo", func(t *testing.T, e *env, rec *httptest.ResponseRecorder) {
			raw, _ := json.Marshal(claimsOf(t, rec.Body.String()))
			rec.Body = bytes.NewBuffer(raw)
			rec.Header().Set("Content-Type", "application/json")
		}, "n'ont pas pu être vérifiées"},
		{"wrongly signed userinfo", "/userinfo", func(t *testing.T, e *env, rec *httptest.ResponseRecorder) {
			parts := strings.Split(rec.Body.String(), ".")
			sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
			sig[0] ^= 0xff
			parts[2] = base64.RawURLEncoding.EncodeToString(sig)
			rec.Body = bytes.NewBufferString(strings.Join(parts, "."))
		}, "n'ont pas pu être vérifiées"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.hook = func(path string, rec *httptest.ResponseRecorder) {
				if path == c.path && rec.Code == http.StatusOK {
					c.hook(t, e, rec)
				}
			}
			b := e.browser()
			r := b.follow(b.startLogin(helene))
			refusedPage(t, r, c.want)
			if got := b.get("/paiements"); got.StatusCode != http.StatusSeeOther || got.Header.Get("Location") != "/connexion" {
				t.Fatalf("logged in after a refusal: %d", got.StatusCode)
			}
		})
	}
}

func refusedPage(t *testing.T, r *response, want string) {
	t.Helper()
	if r.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d: %s", r.StatusCode, r.body)
	}
	d := parse(t, r.body)
	d.checkPage()
	if d.h1() != "Connexion refusée" || !d.has(want) {
		t.Fatalf("refusal page lacks %q: %s", want, r.body)
	}
}

func TestReplayedStateAndCancel(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	cb := b.startLogin(helene)
	if r := b.follow(cb); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("first callback: %d %s", r.StatusCode, r.body)
	}
	// The same callback again, in the logged-in browser and in another one.
	refusedPage(t, b.follow(cb), "déjà été utilisée")
	refusedPage(t, e.browser().follow(cb), "déjà été utilisée")

	// Cancelling at the provider.
	c := e.browser()
	start := c.get("/connexion/franceconnect")
	r := c.follow(c.get(start.Header.Get("Location") + "&cancel=1"))
	refusedPage(t, r, "Vous avez annulé la connexion avec FranceConnect")
}

func TestLogoutReachesProvider(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	csrf := b.linkHousehold(helene, h1Code)
	// Without the token the logout form is refused.
	if r := b.post("/deconnexion", url.Values{}, "faux"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("logout without csrf: %d", r.StatusCode)
	}
	r := b.post("/deconnexion", url.Values{}, csrf)
	loc, _ := url.Parse(r.Header.Get("Location"))
	q := loc.Query()
	if r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc.String(), e.idp.URL+"/session/end?") ||
		q.Get("id_token_hint") == "" || q.Get("state") == "" || q.Get("post_logout_redirect_uri") != e.srv.URL+"/deconnexion/fin" {
		t.Fatalf("logout: %d %s", r.StatusCode, loc)
	}
	back := b.follow(r)
	if e.prov.Logouts() != 1 || !strings.HasPrefix(back.Header.Get("Location"), e.srv.URL+"/deconnexion/fin?state=") {
		t.Fatalf("provider logout: %d logouts, %d %s", e.prov.Logouts(), back.StatusCode, back.body)
	}
	done := b.follow(back)
	d := parse(t, done.body)
	d.checkPage()
	if d.h1() != "Vous êtes déconnecté" {
		t.Fatalf("after logout: %s", done.body)
	}
	if got := b.get("/paiements"); got.StatusCode != http.StatusSeeOther || got.Header.Get("Location") != "/connexion" {
		t.Fatalf("still logged in: %d", got.StatusCode)
	}
}
