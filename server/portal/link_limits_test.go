package portal_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/regie-fr/regie/server/portal"
)

// failures counts the failed attempts recorded for an identity.
func failures(t *testing.T, e *env, subject string) int {
	t.Helper()
	var n int
	if err := e.f.st.QueryRow(`SELECT count(*) FROM portal_link_failures WHERE subject = ?`, subject).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestLinkConcurrentAttempts: 50 wrong codes posted at once by one
// identity through the real HTTP server try at most the limit, and the
// right code is refused after that too.
func TestLinkConcurrentAttempts(t *testing.T) {
	e := newEnv(t, func(c *portal.Config) { c.LinkLimitIdentity = 5 })
	b := e.browser()
	b.login(helene)
	csrf := csrfOf(t, b.get("/foyers").body)
	const n = 50
	statuses := make([]int, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"code": {"ZZZ" + strings.Repeat("9", i%7+1)}, "csrf": {csrf}}
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/foyers/lier", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			<-start
			resp, err := b.c.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	close(start)
	wg.Wait()
	tried, locked := 0, 0
	for _, s := range statuses {
		switch s {
		case http.StatusUnprocessableEntity:
			tried++
		case http.StatusTooManyRequests:
			locked++
		default:
			t.Fatalf("status %d", s)
		}
	}
	if got := failures(t, e, helene.Subject); got != 5 || tried != 5 || locked != n-5 {
		t.Fatalf("%d failures recorded, %d tried, %d refused; want 5, 5, %d", got, tried, locked, n-5)
	}
	r := b.post("/foyers/lier", url.Values{"code": {h1Code}}, csrf)
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" || !parse(t, r.body).has("Trop d'essais infructueux") {
		t.Fatalf("right code after the limit: %d", r.StatusCode)
	}
	if got := failures(t, e, helene.Subject); got != 5 {
		t.Fatalf("a refused attempt was recorded: %d failures", got)
	}
}

// postFrom sends a form as if through a proxy that says the client is xff.
func (b *browser) postFrom(xff, path string, form url.Values, csrf string) *response {
	b.e.t.Helper()
	form = cloneValues(form)
	form.Set("csrf", csrf)
	req, _ := http.NewRequest(http.MethodPost, b.e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", xff)
	return b.do(req)
}

// TestLinkLimitByAddress: without trusted proxies no limit by address
// applies (everyone may be one proxy's address: one person's failures must
// not lock out the city); with them, the client's address as the trusted
// proxy reports it is limited, and a forged X-Forwarded-For from an
// untrusted peer is ignored.
func TestLinkLimitByAddress(t *testing.T) {
	wrong := url.Values{"code": {"ZZZ999"}}
	t.Run("no trusted proxy", func(t *testing.T) {
		e := newEnv(t, func(c *portal.Config) { c.LinkLimitIdentity, c.LinkLimitClient = 3, 2 })
		h := e.browser()
		h.login(helene)
		hc := csrfOf(t, h.get("/foyers").body)
		for i := range 3 {
			if r := h.postFrom("203.0.113.7", "/foyers/lier", wrong, hc); r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
			}
		}
		if r := h.postFrom("203.0.113.7", "/foyers/lier", wrong, hc); r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("identity limit: %d", r.StatusCode)
		}
		// Paul, from the same address, links at his first try.
		p := e.browser()
		p.login(paul)
		if r := p.postFrom("203.0.113.7", "/foyers/lier", url.Values{"code": {h2Code}}, csrfOf(t, p.get("/foyers").body)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("another citizen behind the same address: %d", r.StatusCode)
		}
	})
	t.Run("trusted proxy", func(t *testing.T) {
		e := newEnv(t, func(c *portal.Config) {
			c.LinkLimitIdentity, c.LinkLimitClient = 5, 2
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		})
		h := e.browser()
		h.login(helene)
		hc := csrfOf(t, h.get("/foyers").body)
		for i := range 2 {
			if r := h.postFrom("203.0.113.7", "/foyers/lier", wrong, hc); r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
			}
		}
		p := e.browser()
		p.login(paul)
		pc := csrfOf(t, p.get("/foyers").body)
		// A client the proxy names, with a forged entry on the left:
		// still 203.0.113.7, which is blocked.
		if r := p.postFrom("198.51.100.1, 203.0.113.7", "/foyers/lier", url.Values{"code": {h2Code}}, pc); r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("blocked address: %d", r.StatusCode)
		}
		if r := p.postFrom("198.51.100.9", "/foyers/lier", url.Values{"code": {h2Code}}, pc); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("another address: %d", r.StatusCode)
		}
	})
	t.Run("untrusted peer", func(t *testing.T) {
		e := newEnv(t, func(c *portal.Config) {
			c.LinkLimitIdentity, c.LinkLimitClient = 5, 2
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
		})
		h := e.browser()
		h.login(helene)
		hc := csrfOf(t, h.get("/foyers").body)
		for i := range 2 {
			if r := h.postFrom("203.0.113.7", "/foyers/lier", wrong, hc); r.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
			}
		}
		// The peer (127.0.0.1) is no trusted proxy: its X-Forwarded-For is
		// ignored, and the address that failed twice is its own.
		p := e.browser()
		p.login(paul)
		if r := p.postFrom("198.51.100.9", "/foyers/lier", url.Values{"code": {h2Code}}, csrfOf(t, p.get("/foyers").body)); r.StatusCode != http.StatusTooManyRequests {
			t.Fatalf("forged X-Forwarded-For believed: %d", r.StatusCode)
		}
	})
}
