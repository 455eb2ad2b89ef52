package backoffice

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLoginScopeLogout: a régisseur logs in with the password, sees the
// dashboard with the menu of their roles, a wrong password gets the same
// French answer for an unknown login, a form without the session's token
// is refused, and the logout ends the session in the database.
func TestLoginScopeLogout(t *testing.T) {
	f := newFixture(t)
	anon := f.browser()
	if res, _ := anon.get("/gestion/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/gestion/connexion" {
		t.Fatalf("anonymous dashboard: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	for _, c := range []struct{ login, pw string }{{"pisreg", "wrong"}, {"nobody", "pisreg-pass"}} {
		res := anon.post("/gestion/connexion", url.Values{"login": {c.login}, "password": {c.pw}})
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s/%s: status %d", c.login, c.pw, res.StatusCode)
		}
	}
	// Unknown addresses and methods get the back-office's French pages.
	res, body := anon.get("/gestion/nulle-part")
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page introuvable") {
		t.Errorf("unknown page: %d", res.StatusCode)
	}
	if res := anon.post("/gestion/", nil); res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") == "" {
		t.Errorf("POST on a page: %d, Allow %q", res.StatusCode, res.Header.Get("Allow"))
	}
	b := f.login("pisreg", "pisreg-pass")
	res, body = b.get("/gestion/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("dashboard: %d", res.StatusCode)
	}
	contains(t, body, "Tableau de bord", "Régisseur Piscine", `href="/gestion/paiements"`)
	if strings.Contains(body, `href="/gestion/comptes"`) {
		t.Error("a régisseur's menu shows the accounts")
	}
	if res := b.post("/gestion/deconnexion", url.Values{"csrf": {"forged"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("logout with a forged token: %d", res.StatusCode)
	}
	if res := b.postForm("/gestion/deconnexion", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("logout: %d", res.StatusCode)
	}
	if res, _ := b.get("/gestion/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after logout: %d", res.StatusCode)
	}
	var n int
	if err := f.st.QueryRow(`SELECT count(*) FROM staff_sessions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("sessions left: %d %v", n, err)
	}
}
