package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/backoffice"
	"github.com/regie-fr/regie/sync/protocol"
)

// TestTenancy is the acceptance test: two cities on one server
// (one `serve`, one database file), each with a régie, agents, households
// with the SAME account numbers and invoice numbers, staff, payments, a
// counter and a Publik caller; then every route the portal, the
// back-office, the Publik API and the sync API declare — read from their
// source, so a new route is crawled without editing this test — is asked
// by each city's citizen, administrator, Publik caller and counter, with
// every id of both cities in every wildcard, and every page's links
// followed: no answer (HTML, CSV, JSON, PDF read back with pdftotext, ZIP)
// holds a string of the other city, each surface shows its own city's
// (the crawl reads real pages), and nothing of the other city changed.
func TestTenancy(t *testing.T) {
	if testing.Short() {
		t.Skip("the tenancy crawl takes a while")
	}
	w := newTenancyWorld(t)
	var pool []string
	for _, c := range w.cities {
		pool = append(pool, c.regie, strings.ToLower(c.regie), c.counter)
		for _, l := range [][]string{c.households, c.invoices, c.payments, c.receipts, c.staffIDs} {
			pool = append(pool, l...)
		}
	}
	now := time.Now()
	dates := []string{now.Format("2006"), now.Format("2006") + ".pdf", now.Format(time.DateOnly), now.Format("2006-01")}
	for _, c := range w.cities {
		pool = append(pool, c.agentID)
	}
	pool = append(append(pool, "1", "2"), dates...)
	// A wildcard gets every value; one whose name says it is a régie or a
	// date gets those only, so that routes with two wildcards stay a few
	// hundred requests (a name this test does not know gets them all).
	values := func(name string) []string {
		switch name {
		case "regie", "slug":
			var out []string
			for _, c := range w.cities {
				out = append(out, c.regie, strings.ToLower(c.regie))
			}
			return out
		case "day", "month", "year", "file":
			return dates
		}
		return pool
	}

	for i, own := range w.cities {
		other := w.cities[1-i]
		t.Run(own.org, func(t *testing.T) {
			before := w.snapshot(other.org)
			k := &leakCheck{t: t, w: w, own: own, other: other, seen: map[string]bool{}}
			k.portal(values)
			k.backoffice(values)
			k.publik(values)
			k.counter(values)
			k.crossHost()
			if after := w.snapshot(other.org); after != before {
				t.Errorf("%s's crawl changed %s's data:\nbefore %s\nafter  %s", own.org, other.org, before, after)
			}
			for _, surface := range []string{"portal", "backoffice", "publik", "counter"} {
				if !k.sawOwn[surface] {
					t.Errorf("%s: no answer of the %s showed the city's own data: the crawl read nothing", own.org, surface)
				}
			}
			t.Logf("%s: %d answers read %v", own.org, k.answers, k.bySurface)
		})
	}
}

// leakCheck crawls as one city's actors and checks every answer.
type leakCheck struct {
	t          *testing.T
	w          *tenancyWorld
	own, other *city
	seen       map[string]bool
	sawOwn     map[string]bool
	answers    int
	// staff is the administrator's browser, logged in on its own host.
	staff *http.Client
	// foreign is set while the city's actors knock at the other city's
	// address: what must not show there is then this city's.
	foreign bool
	// bySurface counts the answers read, for the log.
	bySurface map[string]int
}

// check reads an answer: none of the other city's markers, and notes
// whether the city's own appear.
func (k *leakCheck) check(surface, what string, res *http.Response) string {
	return k.checkTyped(surface, what, res, "")
}

// checkTyped is check on the answer to a search where typed was typed:
// that marker may be echoed back ("no result for …"); any other of the
// other city's, which its rows would carry, may not.
func (k *leakCheck) checkTyped(surface, what string, res *http.Response, typed string) string {
	k.t.Helper()
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := readable(k.t, res.Header.Get("Content-Type"), body)
	k.answers++
	if k.bySurface == nil {
		k.bySurface = map[string]int{}
	}
	k.bySurface[surface]++
	forbidden, of := k.other.markers, k.other.org
	if k.foreign { // on the other city's address: nothing of this one
		forbidden, of = k.own.markers, k.own.org
	}
	for _, m := range forbidden {
		if m != typed && strings.Contains(text, m) {
			k.t.Errorf("%s %s (%d) shows %q of %s", surface, what, res.StatusCode, m, of)
		}
	}
	if k.sawOwn == nil {
		k.sawOwn = map[string]bool{}
	}
	for _, m := range k.own.markers {
		if res.StatusCode == http.StatusOK && strings.Contains(text, m) {
			k.sawOwn[surface] = true
		}
	}
	return text
}

func (k *leakCheck) do(c *http.Client, method, u string, body io.Reader, header http.Header) *http.Response {
	k.t.Helper()
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		k.t.Fatal(err)
	}
	for h, v := range header {
		req.Header[h] = v
	}
	res, err := c.Do(req)
	if err != nil {
		k.t.Fatalf("%s %s: %v", method, u, err)
	}
	return res
}

// typed are what the crawl types into searches and filters: the account
// and invoice numbers both cities have, the other city's names and
// receipt, and one of the city's own.
func (k *leakCheck) typed() []string {
	return []string{"1", "F1", "F2", k.other.markers[0], k.other.markers[1], k.other.receipts[0], k.own.markers[0]}
}

// crawl asks every GET route and follows links, as the client, on base.
func (k *leakCheck) crawl(surface string, c *http.Client, base string, patterns []string, values func(string) []string, skip func(string) bool) {
	var queue []string
	for _, p := range patterns {
		method, path, _ := strings.Cut(p, " ")
		if method != "GET" {
			continue
		}
		queue = append(queue, expandNamed(path, values)...)
	}
	for len(queue) > 0 && k.answers < 40000 {
		path := queue[0]
		queue = queue[1:]
		if k.seen[surface+path] || skip(path) {
			continue
		}
		k.seen[surface+path] = true
		res := k.do(c, "GET", base+path, nil, nil)
		typed := ""
		if _, q, ok := strings.Cut(path, "?"); ok {
			if v, err := url.ParseQuery(q); err == nil && len(v) == 1 {
				for _, x := range v {
					typed = x[0]
				}
			}
		}
		text := k.checkTyped(surface, path, res, typed)
		if strings.Contains(res.Header.Get("Content-Type"), "text/html") {
			queue = append(queue, links(text)...)
			queue = append(queue, getForms(text, path, k.typed())...)
		}
	}
}

var csrfInPage = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// portal: the citizen, logged in on the city's host, reads every page and
// posts every form with the other city's ids and unused linking slip.
func (k *leakCheck) portal(values func(string) []string) {
	t := k.t
	base := "http://" + k.own.host
	c := k.w.client(true)
	res := k.do(c, "GET", base+"/connexion/franceconnect", nil, nil)
	k.check("portal", "login", res)
	res = k.do(c, "GET", base+"/foyers", nil, nil)
	if page := k.check("portal", "/foyers", res); res.StatusCode != http.StatusOK || !strings.Contains(page, k.own.markers[0]) {
		t.Fatalf("citizen login on %s: %d\n%.500s", k.own.host, res.StatusCode, page)
	}
	patterns := declaredPatterns(t, "../../server/portal", "portal")
	k.crawl("portal", c, base, patterns, values, func(p string) bool {
		return strings.HasPrefix(p, "/deconnexion") || strings.HasPrefix(p, "/connexion")
	})
	// The public receipt check, for every receipt of both cities with its
	// true fingerprint: the other city's is unknown here.
	for _, r := range append(append([]string{}, k.own.receipts...), k.other.receipts...) {
		q := url.Values{"recu": {r}, "empreinte": {k.w.fingerprint(r)}}
		k.checkTyped("portal", "/verifier?"+q.Encode(), k.do(c, "GET", base+"/verifier?"+q.Encode(), nil, nil), r)
	}
	// Forms, with the other city's values in every field and hole.
	res = k.do(c, "GET", base+"/foyers", nil, nil)
	m := csrfInPage.FindStringSubmatch(k.check("portal", "/foyers", res))
	if m == nil {
		t.Fatal("no CSRF token on /foyers")
	}
	others := append(append(append([]string{k.other.slipUnused}, k.other.households...), k.other.invoices...), k.other.payments...)
	for _, p := range patterns {
		method, path, _ := strings.Cut(p, " ")
		if method != "POST" || strings.HasPrefix(path, "/deconnexion") {
			continue
		}
		for _, u := range expand(path, others) {
			for _, v := range others {
				form := url.Values{"csrf": {m[1]}, "code": {v}, "liaison": {v}, "foyer": {v}, "id": {v}, "idop": {v}}
				res := k.do(c, "POST", base+u, strings.NewReader(form.Encode()), http.Header{
					"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {base}})
				k.check("portal", "POST "+u, res)
			}
		}
	}
}

// backoffice: the administrator (who also holds the finance and régisseur
// roles) logs in with the second factor on the city's host, reads every
// page and export, and posts every form aimed at the other city's ids.
func (k *leakCheck) backoffice(values func(string) []string) {
	t := k.t
	base := "http://" + k.own.host
	c := k.staffLogin(k.own.host, k.own)
	k.staff = c
	if c == nil {
		t.Fatalf("%s cannot log in to its own back-office", k.own.admin)
	}
	patterns := declaredPatterns(t, "../../server/backoffice", "backoffice")
	logout := func(p string) bool { return strings.Contains(p, "/deconnexion") }
	k.crawl("backoffice", c, base, patterns, values, logout)
	res := k.do(c, "GET", base+backoffice.Prefix+"/", nil, nil)
	m := csrfInPage.FindStringSubmatch(k.check("backoffice", "/", res))
	if m == nil {
		t.Fatal("no CSRF token on the back-office's home")
	}
	var others []string
	for _, l := range [][]string{k.other.households, k.other.invoices, k.other.payments, k.other.receipts, k.other.staffIDs} {
		others = append(others, l...)
	}
	others = append(others, k.other.regie, strings.ToLower(k.other.regie), k.other.agentID)
	for _, p := range patterns {
		method, path, _ := strings.Cut(p, " ")
		if method != "POST" || logout(path) || !wildcard.MatchString(path) {
			continue
		}
		for _, u := range expand(path, others) {
			form := url.Values{"csrf": {m[1]}, "regie": {k.other.regie}, "household": {k.other.households[0]},
				"invoice": {k.other.invoices[0]}, "amount": {"1,00"}, "reason": {"essai"}}
			res := k.do(c, "POST", base+u, strings.NewReader(form.Encode()), http.Header{
				"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {base}})
			k.check("backoffice", "POST "+u, res)
		}
	}
	// Still logged in: the crawl read pages, not the login form.
	if res := k.do(c, "GET", base+backoffice.Prefix+"/", nil, nil); !strings.Contains(k.check("backoffice", "/ again", res), k.own.regie) {
		t.Errorf("%s: the administrator's session ended during the crawl", k.own.org)
	}
}

// staffLogin logs an administrator in on host (password, then the TOTP
// code); nil when the back-office refuses.
func (k *leakCheck) staffLogin(host string, who *city) *http.Client {
	k.t.Helper()
	base := "http://" + host
	c := k.w.client(true)
	form := url.Values{"login": {who.admin}, "password": {tenancyPassword}}
	res := k.do(c, "POST", base+backoffice.Prefix+"/connexion", strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {base}})
	page := k.checkTyped("backoffice", "login", res, who.admin) // the login typed comes back in its field
	m := csrfInPage.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, `name="code"`) {
		return nil
	}
	code, err := totp.GenerateCode(who.totpSecret, time.Now())
	if err != nil {
		k.t.Fatal(err)
	}
	form = url.Values{"csrf": {m[1]}, "code": {code}}
	res = k.do(c, "POST", base+backoffice.Prefix+"/connexion/code", strings.NewReader(form.Encode()), http.Header{
		"Content-Type": {"application/x-www-form-urlencoded"}, "Origin": {base}})
	if page := k.check("backoffice", "code", res); strings.Contains(page, `name="code"`) {
		k.t.Fatalf("second factor refused for %s:\n%.500s", who.admin, page)
	}
	return c
}

// publik: the city's Publik caller asks every endpoint, on both cities'
// régies, for its user, for account "1" (which both cities have) and for
// no one, with every id of both cities.
func (k *leakCheck) publik(values func(string) []string) {
	t := k.t
	c := k.w.client(false)
	base := "http://" + k.own.host
	patterns := declaredPatterns(t, "../../server/publik", "publik")
	nonce := 0
	for _, p := range patterns {
		method, path, _ := strings.Cut(p, " ")
		for _, u := range expandNamed(path, values) {
			for _, q := range []string{"NameID=usager-1", "payer_external_id=1", ""} {
				nonce++
				signed, err := auth.SignQuery(q, k.own.publikOrig, []byte(k.own.publikKey), "sha256", time.Now(), fmt.Sprintf("n%d-%s", nonce, k.own.org))
				if err != nil {
					t.Fatal(err)
				}
				var body io.Reader
				if method == "POST" {
					b, _ := json.Marshal(map[string]string{"slip_code": k.other.slipUnused, "amount": "100"})
					body = bytes.NewReader(b)
				}
				res := k.do(c, method, base+u+"?"+signed, body, http.Header{"Content-Type": {"application/json"}})
				k.check("publik", method+" "+u+"?"+q, res)
			}
		}
	}
}

// counter: the city's counter enrols and pulls everything, reads its
// journal, and asks for linking slips of every household id of both
// cities.
func (k *leakCheck) counter(values func(string) []string) {
	t := k.t
	c := k.w.client(false)
	base := "http://" + k.own.host
	hdr := http.Header{protocol.HeaderVersion: {fmt.Sprint(protocol.Version)}, "Content-Type": {"application/json"}}
	b, _ := json.Marshal(protocol.EnrolRequest{Code: k.own.enrolCode})
	res := k.do(c, "POST", base+protocol.PathEnrol, bytes.NewReader(b), hdr)
	var enrol protocol.EnrolResponse
	if err := json.NewDecoder(res.Body).Decode(&enrol); err != nil || enrol.Credential == "" {
		t.Fatalf("enrol: %d %v", res.StatusCode, err)
	}
	res.Body.Close()
	hdr.Set("Authorization", "Bearer "+enrol.Credential)
	patterns := declaredPatterns(t, "../../server/api", "api")
	for _, p := range patterns {
		method, path, _ := strings.Cut(p, " ")
		switch {
		case method == "GET" && path == protocol.PathPull:
			cursor := ""
			for range 50 {
				res := k.do(c, "GET", base+path+"?cursor="+url.QueryEscape(cursor), nil, hdr)
				text := k.check("counter", "pull", res)
				var page protocol.PullResponse
				if err := json.Unmarshal([]byte(text), &page); err != nil {
					t.Fatalf("pull: %v", err)
				}
				if cursor = page.Cursor; !page.More {
					break
				}
			}
		case method == "GET":
			for _, u := range expandNamed(path, values) {
				k.check("counter", u, k.do(c, "GET", base+u+"?after=0&limit=1000", nil, hdr))
			}
		case path == protocol.PathLinkSlips:
			for _, h := range values("") {
				b, _ := json.Marshal(protocol.LinkSlipRequest{ID: "slip-" + h + "-" + k.own.org, HouseholdID: h, Agent: k.own.agentID, Document: "passeport"})
				k.check("counter", "link slip for "+h, k.do(c, "POST", base+path, bytes.NewReader(b), hdr))
			}
		}
	}
}

// crossHost: the other city's address refuses this city's administrator,
// ignores its session cookie, and an address that is no city's gets a
// plain 404.
func (k *leakCheck) crossHost() {
	t := k.t
	k.foreign = true
	if k.staffLogin(k.other.host, k.own) != nil {
		t.Errorf("%s logs in on %s's address", k.own.admin, k.other.org)
	}
	c := k.staff
	own, _ := url.Parse("http://" + k.own.host + "/")
	other, _ := url.Parse("http://" + k.other.host + "/")
	c.Jar.SetCookies(other, c.Jar.Cookies(own)) // the cookie replayed on the other address
	res := k.do(c, "GET", "http://"+k.other.host+backoffice.Prefix+"/", nil, nil)
	if page := k.check("backoffice", "replayed session", res); !strings.Contains(page, `name="password"`) {
		t.Errorf("%s's session is accepted on %s's address:\n%.300s", k.own.admin, k.other.org, page)
	}
	k.foreign = false
	res = k.do(k.w.client(false), "GET", "http://"+k.own.host+backoffice.Prefix+"/connexion", nil, nil)
	if page := k.check("backoffice", "login page", res); !strings.Contains(page, k.own.name) {
		t.Errorf("the login page on %s's address does not name it", k.own.org)
	}
	// (The sync and Publik APIs answer on any address: a counter's
	// credential and a Publik caller's binding name their organisation.)
	for _, path := range []string{"/", "/factures", backoffice.Prefix + "/connexion", backoffice.Prefix + "/"} {
		res := k.do(k.w.client(false), "GET", "http://nulle-part.test"+path, nil, nil)
		body := k.check("unknown host", path, res)
		if res.StatusCode != http.StatusNotFound || strings.Contains(body, k.own.name) {
			t.Errorf("unknown host %s: %d %.200s", path, res.StatusCode, body)
		}
	}
}

// fingerprint is the 16 first hex digits of a receipt's journal hash, as
// its QR code carries them.
func (w *tenancyWorld) fingerprint(receipt string) string {
	w.t.Helper()
	var h string
	if err := w.st.QueryRow(`SELECT j.hash FROM payments p JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
		WHERE p.receipt = ?`, receipt).Scan(&h); err != nil {
		w.t.Fatal(err)
	}
	return h[:16]
}

// snapshot is every row of an organisation that the other's crawl must
// leave as it was (its audit trail but the failed logins, which it keeps
// of attempts made on its address).
func (w *tenancyWorld) snapshot(org string) string {
	w.t.Helper()
	regies := `(SELECT code FROM regies WHERE org = ?1)`
	households := `(SELECT id FROM households WHERE org = ?1)`
	rows, err := w.st.Query(`SELECT x FROM (
		SELECT id || account || name || data || rev AS x FROM households WHERE org = ?1
		UNION ALL SELECT id || number || paid || data || rev FROM invoices WHERE regie IN `+regies+`
		UNION ALL SELECT id || total FROM payments WHERE regie IN `+regies+`
		UNION ALL SELECT settings || rev FROM regies WHERE org = ?1
		UNION ALL SELECT subject || household_id || coalesce(unlinked_at, '') FROM portal_links WHERE household_id IN `+households+`
		UNION ALL SELECT slip_id || subject FROM portal_link_slip_uses WHERE slip_id IN (SELECT id FROM portal_link_slips WHERE household_id IN `+households+`)
		UNION ALL SELECT 'slips ' || count(*) FROM portal_link_slips WHERE household_id IN `+households+`
		UNION ALL SELECT id || login || disabled || failures || locked_until || password_hash || totp_secret || totp_step FROM staff WHERE org = ?1
		UNION ALL SELECT 'audit ' || count(*) FROM audit WHERE org = ?1 AND action NOT LIKE 'login.%'
		UNION ALL SELECT 'counters ' || code || coalesce(credential_hash, '') FROM counters WHERE regie IN `+regies+`
	) y ORDER BY x`, org)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var x string
		if err := rows.Scan(&x); err != nil {
			w.t.Fatal(err)
		}
		out = append(out, x)
	}
	return strings.Join(out, " | ")
}
