package portal_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/portal"
)

// TestFormsCheckedAgainstPublicURL: behind a proxy the request's Host is
// the upstream's; a form is accepted when its Origin is the public URL's,
// and refused from any other origin.
func TestFormsCheckedAgainstPublicURL(t *testing.T) {
	e := newEnv(t, nil)
	e.reconfigure(func(c *portal.Config) { c.BaseURL = "https://paiements.ville.test/" })
	b := e.browser()
	b.login(helene)
	csrf := csrfOf(t, b.get("/foyers").body)
	post := func(origin string) int {
		form := url.Values{"code": {h1Code}, "csrf": {csrf}}
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/foyers/lier", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", origin)
		return b.do(req).StatusCode
	}
	for _, o := range []string{e.srv.URL, "https://evil.test", "http://paiements.ville.test"} {
		if s := post(o); s != http.StatusForbidden {
			t.Errorf("origin %s: %d", o, s)
		}
	}
	if s := post("https://paiements.ville.test"); s != http.StatusSeeOther {
		t.Fatalf("the public origin: %d", s)
	}
}
