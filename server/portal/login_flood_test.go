package portal_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestLoginStartFlood: 100 000 anonymous login starts, in process through
// the portal's handler, leave a logged-in citizen logged in: a start
// stores nothing on the server (the session store's bound, 100 000, would
// otherwise have dropped her session first).
func TestLoginStartFlood(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	csrf := b.linkHousehold(helene, h1Code)
	h := e.h.Load().(http.Handler)
	deadline := time.Now().Add(2 * time.Minute)
	const n = 100_000
	for i := range n {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/connexion/franceconnect", nil))
		if rec.Code != http.StatusFound {
			t.Fatalf("start %d: %d", i, rec.Code)
		}
		if i%1000 == 0 && time.Now().After(deadline) {
			t.Fatalf("only %d starts in 2 minutes", i)
		}
	}
	if r := b.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("citizen logged out by the flood: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
	// Her forms still carry the same session's token.
	if r := b.post("/foyers/choisir", map[string][]string{"foyer": {"h1"}}, csrf); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("session's form after the flood: %d", r.StatusCode)
	}
}

// TestLoginStartWhileLoggedIn: the login button of a citizen already
// logged in goes to the portal and keeps the session.
func TestLoginStartWhileLoggedIn(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	csrf := b.linkHousehold(helene, h1Code)
	r := b.get("/connexion/franceconnect")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/paiements" || len(r.Cookies()) != 0 {
		t.Fatalf("login start while logged in: %d %q %v", r.StatusCode, r.Header.Get("Location"), r.Header["Set-Cookie"])
	}
	if r := b.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("logged out: %d", r.StatusCode)
	}
	if got := csrfOf(t, b.get("/foyers").body); got != csrf {
		t.Fatal("the session changed")
	}
}
