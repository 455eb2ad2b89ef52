package backoffice

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
)

// oidcLogin runs the authorization-code flow with the local provider as
// who, and returns the back-office's answer to the callback.
func (e *authEnv) oidcLogin(b *browser, who auth.DevUser) (*http.Response, string) {
	e.t.Helper()
	start, _ := b.get("/gestion/connexion/oidc")
	if start.StatusCode != http.StatusSeeOther || !strings.HasPrefix(start.Header.Get("Location"), e.idp.URL+"/authorize?") {
		e.t.Fatalf("oidc start: %d %s", start.StatusCode, start.Header.Get("Location"))
	}
	pending := false
	for _, c := range start.Cookies() {
		pending = pending || c.Name == "regie_gestion_login" && c.HttpOnly && c.MaxAge > 0
		if c.Name == "regie_login" || c.Name == "regie_gestion" {
			e.t.Fatalf("the login start set %s", c.Name)
		}
	}
	if !pending {
		e.t.Fatalf("no back-office login cookie: %v", start.Header["Set-Cookie"])
	}
	loc, _ := url.Parse(start.Header.Get("Location"))
	if sc := loc.Query().Get("scope"); sc != "openid given_name usual_name email uid" {
		e.t.Errorf("scopes asked: %q", sc)
	}
	res, err := b.c.Get(start.Header.Get("Location") + "&login_hint=" + who.Subject)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound || !strings.HasPrefix(res.Header.Get("Location"), e.srv.URL+"/gestion/connexion/retour?") {
		e.t.Fatalf("provider: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	return b.get(strings.TrimPrefix(res.Header.Get("Location"), e.srv.URL))
}

func (e *authEnv) staffCount() int {
	var n int
	e.st.QueryRow(`SELECT count(*) FROM staff`).Scan(&n)
	return n
}

// TestOIDCLogin: an identity bound to no account is refused in French,
// with the identifier to hand to the administrator, and creates nothing;
// once an administrator binds it (audited), the same flow logs in; the
// logout goes through the provider with the ID token.
func TestOIDCLogin(t *testing.T) {
	e := newAuthEnv(t, nil)
	before := e.staffCount()
	b := e.browser()
	res, body := e.oidcLogin(b, marc)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("unknown identity: %d", res.StatusCode)
	}
	contains(t, html.UnescapeString(body), "n'est liée à aucun compte de gestion actif", "pc-marc")
	if got, _ := b.get("/gestion/"); got.StatusCode != http.StatusSeeOther || got.Header.Get("Location") != "/gestion/connexion" {
		t.Fatalf("after a refused identity: %d %s", got.StatusCode, got.Header.Get("Location"))
	}
	if e.staffCount() != before {
		t.Fatal("an unknown identity created an account")
	}

	admin, _ := e.adminWithTOTP("chef")
	if res := admin.postForm("/gestion/comptes/s-pisreg/oidc", url.Values{"subject": {lucie.Subject}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bind: %d", res.StatusCode)
	}
	if s := e.staff("pisreg"); s.OIDCIssuer != e.idp.URL || s.OIDCSubject != lucie.Subject {
		t.Fatalf("bound: %q %q", s.OIDCIssuer, s.OIDCSubject)
	}
	b = e.browser()
	res, _ = e.oidcLogin(b, lucie)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/gestion/" {
		t.Fatalf("bound identity: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	_, body = b.get("/gestion/")
	contains(t, body, "Régisseur Piscine")

	res = b.postForm("/gestion/deconnexion", nil)
	loc, _ := url.Parse(res.Header.Get("Location"))
	if !strings.HasPrefix(res.Header.Get("Location"), e.idp.URL+"/session/end?") || loc.Query().Get("id_token_hint") == "" {
		t.Fatalf("logout: %s", res.Header.Get("Location"))
	}
	back, err := b.c.Get(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	back.Body.Close()
	if e.prov.Logouts() != 1 || !strings.HasPrefix(back.Header.Get("Location"), e.srv.URL+"/gestion/connexion") {
		t.Fatalf("provider logout: %d %s", e.prov.Logouts(), back.Header.Get("Location"))
	}
	acts := e.auditActions()
	for _, a := range []string{"login.oidc_refused", "staff.oidc_bind", "login.oidc", "logout"} {
		if !slices.Contains(acts, a) {
			t.Errorf("audit lacks %s: %v", a, acts)
		}
	}

	// Disabled, the bound account is refused like an unknown identity.
	if res := admin.postForm("/gestion/comptes/s-pisreg/desactiver", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res, _ := e.oidcLogin(e.browser(), lucie); res.StatusCode != http.StatusForbidden {
		t.Fatalf("disabled account through the provider: %d", res.StatusCode)
	}

	// Unbound, the identity may be bound to an administrator, whose login
	// through the provider still asks for the TOTP code.
	if res := admin.postForm("/gestion/comptes/s-pisreg/oidc/retirer", nil); res.StatusCode != http.StatusSeeOther || e.staff("pisreg").OIDCSubject != "" {
		t.Fatalf("unbind: %d", res.StatusCode)
	}
	e.adminWithTOTP("adjoint")
	if res := admin.postForm("/gestion/comptes/s-adjoint/oidc", url.Values{"subject": {lucie.Subject}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bind to an administrator: %d", res.StatusCode)
	}
	if res, _ := e.oidcLogin(e.browser(), lucie); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/gestion/connexion/code" {
		t.Fatalf("administrator through the provider: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// TestOIDCEmailBinding: with the option, the first login binds the one
// enabled account that has the provider's e-mail and no identity; without
// it, or for a disabled account, nothing is bound.
func TestOIDCEmailBinding(t *testing.T) {
	for _, c := range []struct {
		name     string
		option   bool
		disabled bool
		want     int
	}{{"sans option", false, false, http.StatusForbidden}, {"avec option", true, false, http.StatusSeeOther},
		{"compte désactivé", true, true, http.StatusForbidden}} {
		t.Run(c.name, func(t *testing.T) {
			e := newAuthEnv(t, func(cfg *Config) { cfg.OIDCEmailBinding = c.option })
			s := e.addStaff("mpetit", "Marc Petit", store.Grant{Role: store.RoleFinance})
			s.Email, s.Disabled = "Marc.Petit@ville.fr", c.disabled
			if err := e.st.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveStaff(s, e.clock.Now()) }); err != nil {
				t.Fatal(err)
			}
			res, _ := e.oidcLogin(e.browser(), marc)
			if res.StatusCode != c.want {
				t.Fatalf("status %d, want %d", res.StatusCode, c.want)
			}
			bound := e.staff("mpetit").OIDCSubject == marc.Subject
			if bound != (c.want == http.StatusSeeOther) {
				t.Fatalf("bound %v", bound)
			}
		})
	}
}
