package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
)

// TestCitizenSessionOnTwoInstances is issue 13's first acceptance: two
// `serve` instances on one database, as behind a load balancer (both
// answer for the same public URL). A citizen logs in and links her
// household through instance 1; her next requests go to instance 2 and
// work (Mes paiements, a receipt's PDF, forms with her CSRF token); her
// logout on instance 2 ends the session on instance 1 too and the cookie
// she had is refused on both; a session past its idle time is refused on
// both.
func TestCitizenSessionOnTwoInstances(t *testing.T) {
	vars := map[string]string{}
	w := newWorld(t, vars)
	w.deskCash("h-0001", "i-0001-2", 20_00)
	second := map[string]string{}
	for k, v := range vars {
		second[k] = v
	}
	second["REGIE_ADDR"] = "127.0.0.1:0"
	bases := []string{w.base, startServe(t, second)}
	if bases[1] == bases[0] {
		t.Fatal("one instance only")
	}
	// send is a request to one instance; forms carry the public origin, as
	// a browser behind the load balancer sends them.
	send := func(c *http.Client, i int, method, path string, form url.Values) (int, string, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, bases[i]+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", w.base)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(b)
	}
	// noFollow is the client's cookies without following redirects: a
	// refused session answers 303 to the login page.
	noFollow := func(c *http.Client) *http.Client {
		return &http.Client{Jar: c.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	refused := func(c *http.Client, what string) {
		t.Helper()
		for i := range bases {
			if status, loc, _ := send(noFollow(c), i, "GET", "/paiements", nil); status != http.StatusSeeOther || loc != "/connexion" {
				t.Fatalf("%s: instance %d answers %d %q", what, i+1, status, loc)
			}
		}
	}

	c := w.citizen("fc-hlefevre", "K7Q101X")
	status, _, page := send(c, 1, "GET", "/paiements", nil)
	receipt := regexp.MustCompile(`R-ENF-C01-\d{4}-\d{6}`).FindString(page)
	link := regexp.MustCompile(`/paiements/[0-9a-f-]{36}/recu\.pdf`).FindString(page)
	if status != 200 || receipt == "" || link == "" || !strings.Contains(page, "Déconnexion") && !strings.Contains(page, "déconnecter") {
		t.Fatalf("Mes paiements on instance 2: %d, receipt %q\n%s", status, receipt, page)
	}
	status, _, pdf := send(c, 1, "GET", link, nil)
	if status != 200 || !strings.HasPrefix(pdf, "%PDF-") {
		t.Fatalf("receipt on instance 2: %d", status)
	}
	cmd := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader([]byte(pdf))
	if text, err := cmd.Output(); err != nil || !strings.Contains(string(text), receipt) {
		t.Fatalf("receipt PDF from instance 2 (%v) lacks %s:\n%s", err, receipt, text)
	}
	// Forms: the session's CSRF token, given by instance 1, is the one
	// instance 2 checks; another token is refused there.
	_, _, page = send(c, 0, "GET", "/foyers", nil)
	token := csrfOf(t, page)
	if status, _, _ := send(noFollow(c), 1, "POST", "/foyers/choisir", url.Values{"foyer": {"h-0001"}, "csrf": {"autre"}}); status != http.StatusForbidden {
		t.Fatalf("a form with another token: %d", status)
	}
	if status, loc, _ := send(noFollow(c), 1, "POST", "/foyers/choisir", url.Values{"foyer": {"h-0001"}, "csrf": {token}}); status != http.StatusSeeOther || loc != "/paiements" {
		t.Fatalf("choosing the household on instance 2: %d %q", status, loc)
	}
	if status, _, page := send(c, 0, "GET", "/paiements", nil); status != 200 || !strings.Contains(page, receipt) {
		t.Fatalf("instance 1 after the choice on instance 2: %d", status)
	}

	// Logout on instance 2 ends the session on instance 1, and the cookie
	// kept by whoever saw it is refused on both.
	u, _ := url.Parse(w.base)
	stolen := c.Jar.Cookies(u)
	if len(stolen) == 0 {
		t.Fatal("no session cookie")
	}
	if status, _, page := send(c, 1, "POST", "/deconnexion", url.Values{"csrf": {token}}); status != 200 || !strings.Contains(page, "déconnecté") {
		t.Fatalf("logout on instance 2: %d\n%s", status, page)
	}
	refused(c, "after the logout")
	thief := &http.Client{}
	for i := range bases {
		req, _ := http.NewRequest("GET", bases[i]+"/paiements", nil)
		for _, k := range stolen {
			req.AddCookie(k)
		}
		thief.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		resp, err := thief.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/connexion" {
			t.Fatalf("a cookie stolen before the logout, on instance %d: %d", i+1, resp.StatusCode)
		}
	}

	// Idle: 29 minutes without a request, the session lives; past 30 it is
	// refused on both instances.
	idle := func(d time.Duration) {
		t.Helper()
		st, err := store.Open(context.Background(), w.db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		at := time.Now().Add(-d).UTC().Format(regie.TimeFormat)
		if _, err := st.Exec(`UPDATE portal_sessions SET seen_at = ?1, created_at = CASE WHEN created_at < ?1 THEN created_at ELSE ?1 END`, at); err != nil {
			t.Fatal(err)
		}
	}
	for i := range bases {
		c = w.citizen("fc-hlefevre", "")
		idle(29 * time.Minute)
		if status, _, page := send(c, 1-i, "GET", "/paiements", nil); status != 200 || !strings.Contains(page, receipt) {
			t.Fatalf("a session idle for 29 minutes, on instance %d: %d", 2-i, status)
		}
		idle(31 * time.Minute)
		// The instance asked first refuses it by its own reading; the
		// other finds it gone.
		if status, loc, _ := send(noFollow(c), i, "GET", "/paiements", nil); status != http.StatusSeeOther || loc != "/connexion" {
			t.Fatalf("a session idle for 31 minutes, on instance %d: %d %q", i+1, status, loc)
		}
		refused(c, "idle for 31 minutes")
	}
}

// TestSweepPortalSessionsChore: the server's chore deletes the citizens'
// sessions past their idle (30 minutes) or absolute (12 hours) time, and
// those only.
func TestSweepPortalSessionsChore(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir()+"/serveur.db")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	ps := st.PortalSessions()
	for _, s := range []struct {
		hash          string
		created, seen time.Duration
	}{{"live", 11 * time.Hour, 29 * time.Minute}, {"idle", time.Hour, 31 * time.Minute}, {"old", 13 * time.Hour, time.Minute}} {
		if err := ps.CreateSession(ctx, &auth.SessionRecord{Hash: s.hash, Data: []byte(`{}`),
			Created: now.Add(-s.created), Seen: now.Add(-s.seen)}); err != nil {
			t.Fatal(err)
		}
	}
	var sweep *chore
	for _, c := range chores(st) {
		if c.name == "sweep portal sessions" {
			sweep = &c
		}
	}
	if sweep == nil {
		t.Fatal("no sweep chore")
	}
	if n, err := sweep.run(ctx, now); err != nil || n != 2 {
		t.Fatalf("sweep: %d %v", n, err)
	}
	for hash, want := range map[string]bool{"live": true, "idle": false, "old": false} {
		if rec, err := ps.LoadSession(ctx, hash); err != nil || (rec != nil) != want {
			t.Fatalf("%s after the sweep: %v %v", hash, rec, err)
		}
	}
}
