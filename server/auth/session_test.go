package auth_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

// clock is a settable time for the sessions' expiry.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func withCookie(r *http.Request, rec *httptest.ResponseRecorder) *http.Request {
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge >= 0 {
			r.AddCookie(c)
		}
	}
	return r
}

func TestSessionsExpireAndRotate(t *testing.T) {
	c := &clock{now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	mem := auth.NewMemorySessions(0)
	s := auth.NewSessions(auth.SessionConfig{Idle: 10 * time.Minute, MaxAge: time.Hour, Now: c.Now, Store: mem})
	get := func(r *http.Request) *auth.Session {
		t.Helper()
		x, err := s.Get(r)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	rec := httptest.NewRecorder()
	x, err := s.Start(rec, httptest.NewRequest("GET", "/", nil))
	if err != nil {
		t.Fatal(err)
	}
	req := withCookie(httptest.NewRequest("GET", "/", nil), rec)
	if got := get(req); got == nil || got.ID != x.ID || got.CSRF != x.CSRF || got.LoggedIn() {
		t.Fatalf("get: %+v", got)
	}
	set := rec.Header().Get("Set-Cookie")
	for _, want := range []string{"__Host-regie=", "Path=/", "HttpOnly", "Secure", "SameSite=Lax"} {
		if !strings.Contains(set, want) {
			t.Fatalf("cookie %q lacks %s", set, want)
		}
	}
	// Rotation: a new id and token, the old id gone.
	rec2 := httptest.NewRecorder()
	y, err := s.Rotate(rec2, req, func(n *auth.Session) { n.Identity = &auth.Identity{Subject: "s"} })
	if err != nil {
		t.Fatal(err)
	}
	if y.ID == x.ID || y.CSRF == x.CSRF || get(req) != nil || mem.Len() != 1 {
		t.Fatal("rotation kept the old session")
	}
	req2 := withCookie(httptest.NewRequest("GET", "/", nil), rec2)
	if err := s.Update(req2.Context(), y.ID, func(n *auth.Session) { n.Household = "F1" }); err != nil {
		t.Fatal(err)
	}
	c.now = c.now.Add(9 * time.Minute)
	if got := get(req2); !got.LoggedIn() || got.Household != "F1" || got.Identity.Subject != "s" || got.CSRF != y.CSRF {
		t.Fatalf("session lost or changed before its idle time: %+v", got)
	}
	c.now = c.now.Add(11 * time.Minute)
	if get(req2) != nil || mem.Len() != 0 {
		t.Fatal("idle session still alive")
	}
	if err := s.Update(req2.Context(), y.ID, func(*auth.Session) {}); err != auth.ErrNoSession {
		t.Fatalf("update of an ended session: %v", err)
	}
}

func TestCheckCSRF(t *testing.T) {
	s := &auth.Session{CSRF: "jeton"}
	post := func(token, origin, site string) *http.Request {
		r := httptest.NewRequest("POST", "http://portail.test/foyers/lier", strings.NewReader(url.Values{"csrf": {token}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		if site != "" {
			r.Header.Set("Sec-Fetch-Site", site)
		}
		return r
	}
	if !auth.CheckCSRF(post("jeton", "http://portail.test", "same-origin"), s, "") {
		t.Fatal("own form refused")
	}
	// Behind a proxy the request's Host is the upstream's: the origin is
	// checked against the public URL's.
	if !auth.CheckCSRF(post("jeton", "https://paiements.ville.test", "same-origin"), s, "https://paiements.ville.test") {
		t.Fatal("own form behind a proxy refused")
	}
	if auth.CheckCSRF(post("jeton", "http://portail.test", "same-origin"), s, "https://paiements.ville.test") {
		t.Fatal("an origin other than the public URL's accepted")
	}
	for name, r := range map[string]*http.Request{
		"no token":     post("", "", ""),
		"wrong token":  post("autre", "", ""),
		"other origin": post("jeton", "https://evil.test", ""),
		"cross-site":   post("jeton", "", "cross-site"),
		"no session":   post("jeton", "", ""),
	} {
		sess := s
		if name == "no session" {
			sess = nil
		}
		if auth.CheckCSRF(r, sess, "") {
			t.Fatalf("%s accepted", name)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	h := auth.SecurityHeaders(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), "https://idp.test")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/paiements", nil))
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://idp.test") ||
		strings.Contains(csp, "script-src") || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("headers: %v", rec.Header())
	}
}
