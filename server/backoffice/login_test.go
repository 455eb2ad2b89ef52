package backoffice

import (
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// loginBody posts a password login and returns the status and the page.
func (b *browser) loginBody(login, password string) (int, string) {
	b.f.t.Helper()
	res, err := b.c.PostForm(b.f.srv.URL+"/gestion/connexion", url.Values{"login": {login}, "password": {password}})
	if err != nil {
		b.f.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// TestLoginLockout: wrong passwords on an account lock it after five,
// whatever is typed next, with one answer for every refusal (unknown
// login, wrong password, locked account); the lock ends after its time
// and grows when failures go on; everything is in the audit trail.
func TestLoginLockout(t *testing.T) {
	e := newAuthEnv(t, nil)
	b := e.browser()
	_, unknown := b.loginBody("personne", "pisreg-pass")
	want := "Identifiant ou mot de passe incorrect."
	if !strings.Contains(unknown, want) {
		t.Fatalf("unknown login: %.500s", unknown)
	}
	strip := func(body, login string) string { return strings.ReplaceAll(body, `value="`+login+`"`, "") }
	for i := 1; i <= lockAfter; i++ {
		status, body := b.loginBody("pisreg", "mauvais")
		if status != http.StatusUnauthorized || strip(body, "pisreg") != strip(unknown, "personne") {
			t.Fatalf("failure %d: %d, page differs from an unknown login's", i, status)
		}
	}
	s := e.staff("pisreg")
	if s.Failures != lockAfter || !s.LockedUntil.Equal(e.clock.Now().Add(lockBase)) {
		t.Fatalf("after %d failures: %d, locked until %v", lockAfter, s.Failures, s.LockedUntil)
	}
	// Locked: the right password is refused with the same page.
	if status, body := b.loginBody("pisreg", "pisreg-pass"); status != http.StatusUnauthorized || strip(body, "pisreg") != strip(unknown, "personne") {
		t.Fatalf("locked account with its password: %d", status)
	}
	e.clock.add(lockBase + time.Second)
	// Five more failures lock it twice as long.
	for i := 0; i < lockAfter; i++ {
		b.loginBody("pisreg", "mauvais")
	}
	if s := e.staff("pisreg"); !s.LockedUntil.Equal(e.clock.Now().Add(2 * lockBase)) {
		t.Fatalf("second lock until %v, want %v", s.LockedUntil, e.clock.Now().Add(2*lockBase))
	}
	e.clock.add(2*lockBase + time.Second)
	b = e.login("pisreg", "pisreg-pass")
	if s := e.staff("pisreg"); s.Failures != 0 || !s.LockedUntil.IsZero() {
		t.Fatalf("a good login left failures %d, lock %v", s.Failures, s.LockedUntil)
	}
	acts := e.auditActions()
	if n := count(acts, "login.lockout"); n != 2 {
		t.Errorf("lockouts audited: %d in %v", n, acts)
	}
	if count(acts, "login.failure") != 1+2*lockAfter+1 || acts[len(acts)-1] != "login.password" {
		t.Errorf("audit: %v", acts)
	}
}

func count(list []string, v string) int {
	n := 0
	for _, x := range list {
		if x == v {
			n++
		}
	}
	return n
}

// TestLoginNetworkLimit: failures spread over many logins from one network
// stop its logins, even a good one, until the window has passed; another
// network is not concerned.
func TestLoginNetworkLimit(t *testing.T) {
	e := newAuthEnv(t, func(c *Config) { c.TrustedProxies = mustPrefixes(t, "127.0.0.1/32") })
	b := e.browser()
	for i := 0; i < netLimit; i++ {
		if status, _ := b.loginBody("inconnu"+string(rune('a'+i)), "x"); status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, status)
		}
	}
	status, body := b.loginBody("pisreg", "pisreg-pass")
	if status != http.StatusTooManyRequests || !strings.Contains(body, "depuis votre réseau") {
		t.Fatalf("over the limit: %d %.300s", status, body)
	}
	// Another client, named by the trusted proxy, may log in.
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/gestion/connexion",
		strings.NewReader(url.Values{"login": {"pisreg"}, "password": {"pisreg-pass"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "203.0.113.9")
	res, err := e.browser().c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another network: %d", res.StatusCode)
	}
	e.clock.add(netWindow + time.Second)
	e.login("pisreg", "pisreg-pass")
}

// TestTOTPAdministrator: an administrator without a second factor is held
// at the code page until one is set up (secret shown as text and QR code,
// confirmed by a code); the next login asks for a code, refuses it
// replayed, takes the next one; wrong codes lock the account and end the
// half session.
func TestTOTPAdministrator(t *testing.T) {
	e := newAuthEnv(t, nil)
	e.addStaff("chef", "Cheffe Informatique", storeAdmin())
	b := e.login("chef", "chef-pass")
	for _, p := range []string{"/gestion/", "/gestion/comptes", "/gestion/audit", "/gestion/compte"} {
		if res, _ := b.get(p); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/gestion/connexion/code" {
			t.Fatalf("%s before the second factor: %d %s", p, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if res := b.post("/gestion/comptes", url.Values{"csrf": {b.halfCSRF()}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("a form before the second factor: %d", res.StatusCode)
	}
	_, page := b.get("/gestion/connexion/code")
	contains(t, page, "Configurer mon application")
	if res := b.post("/gestion/connexion/code/secret", url.Values{"csrf": {b.halfCSRF()}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("new secret: %d", res.StatusCode)
	}
	pending := e.staff("chef").TOTPPending
	_, page = b.get("/gestion/connexion/code")
	contains(t, page, `src="data:image/png;base64,`, pending[:4]+" "+pending[4:8])
	if res := b.post("/gestion/connexion/code", url.Values{"csrf": {b.halfCSRF()}, "code": {"000000"}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong code: %d", res.StatusCode)
	}
	code := e.code(pending)
	if res := b.post("/gestion/connexion/code", url.Values{"csrf": {b.halfCSRF()}, "code": {code}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/gestion/" {
		t.Fatalf("confirming code: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	s := e.staff("chef")
	if s.TOTPSecret != pending || s.TOTPPending != "" || s.Failures != 0 {
		t.Fatalf("after set-up: %+v", s)
	}
	if res, _ := b.get("/gestion/comptes"); res.StatusCode != http.StatusOK {
		t.Fatalf("accounts after the second factor: %d", res.StatusCode)
	}
	b.postForm("/gestion/deconnexion", nil)

	// Next login, in the same 30 s: the code just used is refused.
	b = e.login("chef", "chef-pass")
	if res := b.post("/gestion/connexion/code", url.Values{"csrf": {b.halfCSRF()}, "code": {code}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("replayed code: %d", res.StatusCode)
	}
	e.clock.add(30 * time.Second)
	if res := b.post("/gestion/connexion/code", url.Values{"csrf": {b.halfCSRF()}, "code": {e.code(s.TOTPSecret)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("next code: %d", res.StatusCode)
	}
	b.postForm("/gestion/deconnexion", nil)

	// Wrong codes count toward the lock-out (the good code above cleared
	// the replayed one's failure).
	b = e.login("chef", "chef-pass")
	var res *http.Response
	for i := 0; i < lockAfter; i++ {
		res = b.post("/gestion/connexion/code", url.Values{"csrf": {b.halfCSRF()}, "code": {"123456"}})
	}
	if res.StatusCode != http.StatusUnauthorized || !locked(e.staff("chef"), e.clock.Now()) {
		t.Fatalf("after wrong codes: %d, locked %v", res.StatusCode, e.staff("chef").LockedUntil)
	}
	if res, _ := b.get("/gestion/connexion/code"); res.Header.Get("Location") != "/gestion/connexion" {
		t.Fatalf("half session survived the lock: %s", res.Header.Get("Location"))
	}
	acts := e.auditActions()
	for _, a := range []string{"account.totp_enabled", "login.code", "login.code_failure", "login.lockout"} {
		if !slices.Contains(acts, a) {
			t.Errorf("audit lacks %s: %v", a, acts)
		}
	}
}
