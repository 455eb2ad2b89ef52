package portal_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestFrenchErrorPages: an unknown address, a wrong method and a header
// too large get French pages, through a real server; a wrong method says
// which ones the address takes.
func TestFrenchErrorPages(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	check := func(r *response, status int, h1 string) *doc {
		t.Helper()
		d := parse(t, r.body)
		if r.StatusCode != status || d.h1() != h1 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s %s: %d %q\n%s", r.Request.Method, r.Request.URL.Path, r.StatusCode, d.h1(), r.body)
		}
		d.checkPage()
		return d
	}
	for _, p := range []string{"/nulle-part", "/static/", "/static/absent.css", "/static/../portal.go", "/paiements/x/y"} {
		check(b.get(p), http.StatusNotFound, "Page introuvable")
	}
	for _, c := range []struct{ method, path, allow string }{
		{http.MethodPost, "/verifier", "GET, HEAD"},
		{http.MethodDelete, "/paiements", "GET, HEAD"},
		{http.MethodGet, "/foyers/lier", "POST"},
		{http.MethodPut, "/accessibilite", "GET, HEAD"},
	} {
		req, _ := http.NewRequest(c.method, e.srv.URL+c.path, nil)
		r := b.do(req)
		check(r, http.StatusMethodNotAllowed, "Action impossible")
		if r.Header.Get("Allow") != c.allow {
			t.Fatalf("%s %s: Allow %q, want %q", c.method, c.path, r.Header.Get("Allow"), c.allow)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/verifier", nil)
	req.Header.Set("Cookie", "trop="+strings.Repeat("x", 40<<10))
	check(b.do(req), http.StatusRequestHeaderFieldsTooLarge, "Requête trop volumineuse")
	// Below the limit, the same page is served.
	req, _ = http.NewRequest(http.MethodGet, e.srv.URL+"/verifier", nil)
	req.Header.Set("Cookie", "assez="+strings.Repeat("x", 8<<10))
	check(b.do(req), http.StatusOK, "Vérifier un reçu")
}
