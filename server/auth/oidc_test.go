package auth_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

var marie = auth.DevUser{Subject: "sub-marie", GivenName: "Marie", FamilyName: "Lefèvre", BirthDate: "1985-04-12", Email: "marie@example.fr"}

// rig is a DevProvider on loopback behind a hook that may rewrite its
// answers, and a relying party configured against it.
type rig struct {
	t    *testing.T
	p    *auth.DevProvider
	srv  *httptest.Server
	rp   *auth.OIDC
	hook func(path string, rec *httptest.ResponseRecorder) // rewrites an answer before it is sent
}

func newRig(t *testing.T, mod func(*auth.OIDCConfig)) *rig {
	t.Helper()
	p, err := auth.NewDevProvider("portail", "secret", []auth.DevUser{marie})
	if err != nil {
		t.Fatal(err)
	}
	p.RedirectURIs = []string{"http://portail.test/connexion/retour", "http://portail.test/deconnexion/fin"}
	g := &rig{t: t, p: p}
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, r)
		if g.hook != nil {
			g.hook(r.URL.Path, rec)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	}))
	t.Cleanup(g.srv.Close)
	p.SetIssuer(g.srv.URL)
	cfg := auth.OIDCConfig{Issuer: g.srv.URL, ClientID: "portail", ClientSecret: "secret",
		RedirectURL: "http://portail.test/connexion/retour", PostLogoutRedirectURL: "http://portail.test/deconnexion/fin",
		PKCE: true}
	if mod != nil {
		mod(&cfg)
	}
	if g.rp, err = auth.NewOIDC(cfg); err != nil {
		t.Fatal(err)
	}
	return g
}

// authorize plays the browser: it goes to the provider with a login hint
// and returns the callback's query.
func (g *rig) authorize(pend *auth.Pending) url.Values {
	g.t.Helper()
	u, err := g.rp.AuthCodeURL(context.Background(), pend)
	if err != nil {
		g.t.Fatal(err)
	}
	for _, want := range []string{"acr_values=eidas1", "nonce=" + pend.Nonce, "state=" + pend.State,
		"scope=openid+given_name+family_name+birthdate+email", "code_challenge_method=S256"} {
		if !strings.Contains(u, want) {
			g.t.Fatalf("authorisation URL lacks %s: %s", want, u)
		}
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u + "&login_hint=" + marie.Subject)
	if err != nil {
		g.t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		g.t.Fatalf("authorize: %d %v", resp.StatusCode, err)
	}
	return loc.Query()
}

func (g *rig) login() (*auth.Identity, error) {
	pend := auth.NewPending(time.Now())
	return g.rp.Finish(context.Background(), pend, g.authorize(pend))
}

// refused checks a login failed with a French message containing want.
func refused(t *testing.T, id *auth.Identity, err error, want string) {
	t.Helper()
	var le *auth.LoginError
	if id != nil || !errors.As(err, &le) {
		t.Fatalf("login accepted or odd error: %v %v", id, err)
	}
	if !strings.Contains(le.Message, want) {
		t.Fatalf("message %q lacks %q (reason %s)", le.Message, want, le.Reason)
	}
	if strings.Contains(le.Reason, "Marie") || strings.Contains(le.Reason, "marie@") {
		t.Fatalf("personal data in the log reason: %s", le.Reason)
	}
}

func TestLoginFull(t *testing.T) {
	g := newRig(t, nil)
	id, err := g.login()
	if err != nil {
		t.Fatal(err)
	}
	if id.Subject != marie.Subject || id.GivenName != "Marie" || id.FamilyName != "Lefèvre" ||
		id.BirthDate != "1985-04-12" || id.Email != marie.Email || id.ACR != "eidas1" || id.IDToken == "" {
		t.Fatalf("identity: %+v", id)
	}
	// A key rotation: the new key is unknown to the cached key set, which
	// is fetched again.
	if err := g.p.RotateKey(); err != nil {
		t.Fatal(err)
	}
	if _, err := g.login(); err != nil {
		t.Fatalf("after key rotation: %v", err)
	}
	u, err := g.rp.LogoutURL(context.Background(), id.IDToken, "etat-1")
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Location"); got != "http://portail.test/deconnexion/fin?state=etat-1" || g.p.Logouts() != 1 {
		t.Fatalf("logout: %d %q, %d logouts", resp.StatusCode, got, g.p.Logouts())
	}
}

// replaceJSON rewrites one field of a JSON answer.
func replaceJSON(rec *httptest.ResponseRecorder, field string, value any) {
	var m map[string]any
	json.Unmarshal(rec.Body.Bytes(), &m)
	m[field] = value
	b, _ := json.Marshal(m)
	rec.Body = bytes.NewBuffer(b)
}

// payload decodes a JWT's claims without checking it, to forge variants.
func payload(t *testing.T, jwt string) map[string]any {
	parts := strings.Split(jwt, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	return m
}

func TestLoginRefused(t *testing.T) {
	otherKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	idToken := func(t *testing.T, rec *httptest.ResponseRecorder) string {
		var m map[string]any
		json.Unmarshal(rec.Body.Bytes(), &m)
		return m["id_token"].(string)
	}
	cases := []struct {
		name string
		path string
		hook func(t *testing.T, g *rig, rec *httptest.ResponseRecorder)
		want string
	}{
		{"tampered ID token", "/token", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			tok := idToken(t, rec)
			parts := strings.Split(tok, ".")
			claims := payload(t, tok)
			claims["sub"] = "sub-someone-else"
			b, _ := json.Marshal(claims)
			parts[1] = base64.RawURLEncoding.EncodeToString(b)
			replaceJSON(rec, "id_token", strings.Join(parts, "."))
		}, "n'a pas pu être vérifiée"},
		{"ID token signed by another key", "/token", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			s, _ := auth.SignJWT(otherKey, "intrus", payload(t, idToken(t, rec)))
			replaceJSON(rec, "id_token", s)
		}, "n'a pas pu être vérifiée"},
		{"wrong nonce", "/token", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			claims := payload(t, idToken(t, rec))
			claims["nonce"] = "autre"
			s, _ := g.p.Sign(claims)
			replaceJSON(rec, "id_token", s)
		}, "ne correspond pas à votre demande"},
		{"expired ID token", "/token", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			claims := payload(t, idToken(t, rec))
			claims["exp"] = time.Now().Add(-time.Minute).Unix()
			s, _ := g.p.Sign(claims)
			replaceJSON(rec, "id_token", s)
		}, "a expiré"},
		{"wrong acr", "/token", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			claims := payload(t, idToken(t, rec))
			claims["acr"] = "eidas0"
			s, _ := g.p.Sign(claims)
			replaceJSON(rec, "id_token", s)
		}, "niveau d'authentification"},
		{"unsigned userinfo (plain JSON)", "/userinfo", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			b, _ := json.Marshal(payload(t, rec.Body.String()))
			rec.Body = bytes.NewBuffer(b)
			rec.Header().Set("Content-Type", "application/json")
		}, "n'ont pas pu être vérifiées"},
		{"userinfo JWT with alg none", "/userinfo", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			b, _ := json.Marshal(payload(t, rec.Body.String()))
			none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
				base64.RawURLEncoding.EncodeToString(b) + "."
			rec.Body = bytes.NewBufferString(none)
		}, "n'ont pas pu être vérifiées"},
		{"userinfo signed by another key", "/userinfo", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			s, _ := auth.SignJWT(otherKey, "intrus", payload(t, rec.Body.String()))
			rec.Body = bytes.NewBufferString(s)
		}, "n'ont pas pu être vérifiées"},
		{"userinfo for another subject", "/userinfo", func(t *testing.T, g *rig, rec *httptest.ResponseRecorder) {
			claims := payload(t, rec.Body.String())
			claims["sub"] = "sub-someone-else"
			s, _ := g.p.Sign(claims)
			rec.Body = bytes.NewBufferString(s)
		}, "n'ont pas pu être vérifiées"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := newRig(t, nil)
			g.hook = func(path string, rec *httptest.ResponseRecorder) {
				if path == c.path && rec.Code == http.StatusOK {
					c.hook(t, g, rec)
				}
			}
			id, err := g.login()
			refused(t, id, err, c.want)
		})
	}
}

func TestStateReplayAndProviderErrors(t *testing.T) {
	g := newRig(t, nil)
	pend := auth.NewPending(time.Now())
	q := g.authorize(pend)
	if _, err := g.rp.Finish(context.Background(), pend, q); err != nil {
		t.Fatal(err)
	}
	// The portal forgets the pending login once used: a replay finds none.
	id, err := g.rp.Finish(context.Background(), nil, q)
	refused(t, id, err, "déjà été utilisée")
	// Another login's state.
	id, err = g.rp.Finish(context.Background(), auth.NewPending(time.Now()), q)
	refused(t, id, err, "déjà été utilisée")
	// The same code twice (a replay racing the first use) is refused by the
	// provider.
	id, err = g.rp.Finish(context.Background(), pend, q)
	refused(t, id, err, "code refusé ou expiré")
	// The citizen cancels at the provider.
	pend = auth.NewPending(time.Now())
	id, err = g.rp.Finish(context.Background(), pend, url.Values{"state": {pend.State}, "error": {"access_denied"}})
	refused(t, id, err, "Vous avez annulé la connexion avec FranceConnect")
}

func TestProviderUnreachable(t *testing.T) {
	rp, err := auth.NewOIDC(auth.OIDCConfig{Issuer: "http://127.0.0.1:1", ClientID: "x", RedirectURL: "http://x/cb"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = rp.AuthCodeURL(context.Background(), auth.NewPending(time.Now()))
	var le *auth.LoginError
	if !errors.As(err, &le) || !strings.Contains(le.Message, "injoignable") {
		t.Fatalf("got %v", err)
	}
}
