package auth_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestDevProviderRedirectURIs: the demo provider sends codes, and the
// browser after a logout, only to the client's registered addresses; any
// other is refused with no redirect at all.
func TestDevProviderRedirectURIs(t *testing.T) {
	g := newRig(t, nil)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	authorize := func(redirect string) *http.Response {
		t.Helper()
		q := url.Values{"client_id": {"portail"}, "redirect_uri": {redirect}, "response_type": {"code"},
			"scope": {"openid"}, "state": {"s"}, "nonce": {"n"}, "login_hint": {marie.Subject}}
		resp, err := c.Get(g.srv.URL + "/authorize?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := authorize("http://portail.test/connexion/retour"); r.StatusCode != http.StatusFound {
		t.Fatalf("registered redirect_uri: %d", r.StatusCode)
	}
	for _, other := range []string{"https://evil.test/connexion/retour", "http://portail.test/connexion/retour?x=1",
		"http://portail.test/connexion/retour/", "http://portail.test.evil.test/connexion/retour", ""} {
		if r := authorize(other); r.StatusCode != http.StatusBadRequest || r.Header.Get("Location") != "" {
			t.Errorf("redirect_uri %q: %d %q", other, r.StatusCode, r.Header.Get("Location"))
		}
	}
	resp, err := c.Get(g.srv.URL + "/session/end?" + url.Values{"id_token_hint": {"x"},
		"post_logout_redirect_uri": {"https://evil.test/"}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Fatalf("logout to an unregistered address: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
