package portal_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/regie-fr/regie/server/portal"
)

func TestLinkAndUnlink(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	b.login(helene)
	csrf := csrfOf(t, b.get("/foyers").body)
	refused := func(form url.Values, status int, want string) {
		t.Helper()
		r := b.post("/foyers/lier", form, csrf)
		d := parse(t, r.body)
		d.checkPage()
		if r.StatusCode != status || !d.has(want) {
			t.Fatalf("%v: %d, want %d %q", form, r.StatusCode, status, want)
		}
	}
	refused(url.Values{"code": {""}, "facture": {"FAC-2026-00101"}}, http.StatusBadRequest, "Saisissez le code d'accès")
	refused(url.Values{"code": {h1Code}}, http.StatusBadRequest, "numéro d'une facture du foyer ou la date de naissance")
	refused(url.Values{"code": {h1Code}, "naissance": {"31/02/1985"}}, http.StatusBadRequest, "Date de naissance invalide")
	// Another household's invoice, the holder's birth date of another
	// household, a child's birth date: all refused alike.
	refused(url.Values{"code": {h1Code}, "facture": {"FAC-2026-00201"}}, http.StatusUnprocessableEntity, "ne correspondent à aucun foyer")
	refused(url.Values{"code": {h1Code}, "naissance": {"30/01/1979"}}, http.StatusUnprocessableEntity, "ne correspondent à aucun foyer")
	refused(url.Values{"code": {h1Code}, "naissance": {"01/09/2018"}}, http.StatusUnprocessableEntity, "ne correspondent à aucun foyer")
	// The right code typed in lower case with spaces, and the invoice
	// number: linked.
	r := b.post("/foyers/lier", url.Values{"code": {" k7q 101x "}, "facture": {"fac-2026-00101"}}, csrf)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("link: %d %s", r.StatusCode, r.body)
	}
	d := parse(t, b.follow(r).body)
	d.checkPage()
	if rows := d.table("lié"); len(rows) != 2 || rows[1][0] != "Lefèvre Hélène affiché" || rows[1][1] != "F001001" {
		t.Fatalf("linked households: %v", rows)
	}
	if !d.has("Le foyer est lié à votre compte.") {
		t.Fatal("no confirmation")
	}

	// A second parent links the same household with the holder's birth
	// date; both see its payments.
	j := e.browser()
	j.linkHousehold(julien, h1Code, "", "12/04/1985")
	if r := j.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("second parent: %d", r.StatusCode)
	}
	if r := b.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("first parent: %d", r.StatusCode)
	}

	// Unlinking takes effect at once; the other parent keeps the link.
	r = b.post("/foyers/delier", url.Values{"foyer": {"h1"}}, csrf)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/foyers?ok=delie" {
		t.Fatalf("unlink: %d %s", r.StatusCode, r.body)
	}
	if r := b.get("/paiements"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/foyers" {
		t.Fatalf("payments after unlink: %d", r.StatusCode)
	}
	if r := j.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("other parent after unlink: %d", r.StatusCode)
	}
	// Unlinking again: not linked any more, so not found.
	if r := b.post("/foyers/delier", url.Values{"foyer": {"h1"}}, csrf); r.StatusCode != http.StatusNotFound {
		t.Fatalf("second unlink: %d", r.StatusCode)
	}
}

func TestLinkRateLimits(t *testing.T) {
	e := newEnv(t, func(c *portal.Config) { c.LinkLimitIdentity, c.LinkLimitClient = 3, 5 })
	b := e.browser()
	b.login(helene)
	csrf := csrfOf(t, b.get("/foyers").body)
	wrong := url.Values{"code": {"ZZZ999"}, "facture": {"FAC-2026-00101"}}
	for i := 0; i < 3; i++ {
		if r := b.post("/foyers/lier", wrong, csrf); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
		}
	}
	// The identity is blocked, even with the right code.
	r := b.post("/foyers/lier", url.Values{"code": {h1Code}, "facture": {"FAC-2026-00101"}}, csrf)
	if r.StatusCode != http.StatusTooManyRequests || !parse(t, r.body).has("Trop d'essais infructueux") {
		t.Fatalf("identity limit: %d", r.StatusCode)
	}
	// Another identity from the same network gets two more tries, then
	// the network is blocked too.
	p := e.browser()
	p.login(paul)
	pc := csrfOf(t, p.get("/foyers").body)
	for i := 0; i < 2; i++ {
		if r := p.post("/foyers/lier", wrong, pc); r.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("paul attempt %d: %d %s", i+1, r.StatusCode, r.body)
		}
	}
	if r := p.post("/foyers/lier", url.Values{"code": {h2Code}, "facture": {"FAC-2026-00201"}}, pc); r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("network limit: %d", r.StatusCode)
	}
	// A session that skipped the form's token is refused before anything.
	if r := p.post("/foyers/lier", url.Values{"code": {h2Code}, "csrf": {""}}, ""); r.StatusCode != http.StatusForbidden {
		t.Fatalf("no csrf: %d", r.StatusCode)
	}
}
