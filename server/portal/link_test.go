package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
)

// TestLinkByIdentity: the access code links a household only for an adult
// registered on it, as FranceConnect vouches for them (family name
// compared without case, accents or hyphens, and birth date); anyone else
// — a parent not registered, a minor, a wrong code — is refused alike.
func TestLinkByIdentity(t *testing.T) {
	e := newEnv(t, nil)
	refused := func(u auth.DevUser, form url.Values, status int, want string) {
		t.Helper()
		b := e.browser()
		b.login(u)
		r := b.post("/foyers/lier", form, csrfOf(t, b.get("/foyers").body))
		d := parse(t, r.body)
		d.checkPage()
		if r.StatusCode != status || !d.has(want) {
			t.Fatalf("%s %v: %d, want %d %q\n%s", u.Subject, form, r.StatusCode, status, want, r.body)
		}
		if got := b.get("/paiements"); got.StatusCode != http.StatusSeeOther || got.Header.Get("Location") != "/foyers" {
			t.Fatalf("%s sees payments after a refusal: %d", u.Subject, got.StatusCode)
		}
	}
	refused(helene, url.Values{"code": {""}}, http.StatusBadRequest, "Saisissez le code d'accès")
	refused(helene, url.Values{"code": {h2Code}}, http.StatusUnprocessableEntity, "ne correspond à aucun foyer dont vous êtes un adulte inscrit")
	refused(helene, url.Values{"code": {"ZZZ999"}}, http.StatusUnprocessableEntity, "code de rattachement")
	refused(julien, url.Values{"code": {h1Code}}, http.StatusUnprocessableEntity, "ne correspond à aucun foyer dont vous êtes un adulte inscrit")
	refused(leo, url.Values{"code": {h1Code}}, http.StatusUnprocessableEntity, "ne correspond à aucun foyer dont vous êtes un adulte inscrit")
	// The old second factors are gone: an invoice number or a typed birth
	// date does not make up for an identity that does not match.
	refused(julien, url.Values{"code": {h1Code}, "facture": {"FAC-2026-00101"}, "naissance": {"12/04/1985"}},
		http.StatusUnprocessableEntity, "ne correspond à aucun foyer")

	// Hélène, typed in lower case with spaces: linked.
	b := e.browser()
	b.login(helene)
	csrf := csrfOf(t, b.get("/foyers").body)
	r := b.post("/foyers/lier", url.Values{"code": {" k7q 101x "}}, csrf)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("link: %d %s", r.StatusCode, r.body)
	}
	d := parse(t, b.follow(r).body)
	d.checkPage()
	if rows := d.table("lié"); len(rows) != 2 || rows[1][0] != "Lefèvre Hélène affiché" || rows[1][1] != "F001001" {
		t.Fatalf("linked households: %v", rows)
	}
	if !d.has("Le foyer est lié à votre compte.") || !d.has("Personne d'autre que vous.") {
		t.Fatal("no confirmation, or someone else listed")
	}
	// The same person through another account whose provider spells the
	// name in capitals with a hyphen: the same adult, linked too.
	h2 := e.browser()
	h2.linkHousehold(helene2, h1Code)
	if r := h2.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("folded name: %d", r.StatusCode)
	}

	// Unlinking takes effect at once; the other account keeps the link.
	r = b.post("/foyers/delier", url.Values{"foyer": {"h1"}}, csrf)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/foyers?ok=delie" {
		t.Fatalf("unlink: %d %s", r.StatusCode, r.body)
	}
	if r := b.get("/paiements"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/foyers" {
		t.Fatalf("payments after unlink: %d", r.StatusCode)
	}
	if r := h2.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("other account after unlink: %d", r.StatusCode)
	}
	if r := b.post("/foyers/delier", url.Values{"foyer": {"h1"}}, csrf); r.StatusCode != http.StatusNotFound {
		t.Fatalf("second unlink: %d", r.StatusCode)
	}
}

// slip makes a household's linking slip as a counter would, at a time.
func slip(t *testing.T, e *env, id, household string, at time.Time) string {
	t.Helper()
	var s *store.LinkSlip
	err := e.f.st.Update(context.Background(), func(tx *store.Tx) (err error) {
		s, err = tx.CreateLinkSlip(store.SlipRequest{ID: id, HouseholdID: household, Agent: "a-1",
			Document: "carte d'identité", At: at})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.Code
}

// TestLinkBySlip: a counter's slip links whoever types it, once, within 30
// days; the others linked to the household see who it is, and are told at
// their next login.
func TestLinkBySlip(t *testing.T) {
	e := newEnv(t, nil)
	h := e.browser()
	hcsrf := h.linkHousehold(helene, h1Code)

	code := slip(t, e, "0193a1c2-0000-7000-8000-0000000000a1", "h1", time.Now())
	expired := slip(t, e, "0193a1c2-0000-7000-8000-0000000000a2", "h1", time.Now().Add(-31*24*time.Hour))
	j := e.browser()
	j.login(julien)
	jcsrf := csrfOf(t, j.get("/foyers").body)
	for name, c := range map[string]string{"wrong": "ABCD-EFGH-JKMN-PQRS", "expired": expired} {
		r := j.post("/foyers/lier", url.Values{"liaison": {c}}, jcsrf)
		if r.StatusCode != http.StatusUnprocessableEntity || !parse(t, r.body).has("a déjà servi ou a expiré") {
			t.Fatalf("%s slip: %d %s", name, r.StatusCode, r.body)
		}
	}
	// Typed in lower case without dashes: linked.
	r := j.post("/foyers/lier", url.Values{"liaison": {strings.ToLower(strings.ReplaceAll(code, "-", " "))}}, jcsrf)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/foyers?ok=lie" {
		t.Fatalf("slip link: %d %s", r.StatusCode, r.body)
	}
	if r := j.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("payments after slip link: %d", r.StatusCode)
	}
	d := parse(t, j.get("/foyers").body)
	d.checkPage()
	if !d.has("Hélène Lefèvre, depuis le") {
		t.Fatal("Julien does not see that Hélène is linked")
	}
	// Used once: Paul cannot use it again.
	p := e.browser()
	p.login(paul)
	if r := p.post("/foyers/lier", url.Values{"liaison": {code}}, csrfOf(t, p.get("/foyers").body)); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("slip used twice: %d", r.StatusCode)
	}

	// Hélène's page lists Julien now; at her next login she is told.
	if !parse(t, h.get("/foyers").body).has("Julien Lefèvre, depuis le") {
		t.Fatal("Hélène does not see Julien")
	}
	h.post("/deconnexion", url.Values{}, hcsrf)
	h.login(helene)
	page := h.get("/paiements")
	d = parse(t, page.body)
	d.checkPage()
	if !d.has("Depuis votre dernière visite, Julien Lefèvre a lié le foyer Lefèvre Hélène à son compte") {
		t.Fatalf("no notice of the new link:\n%s", page.body)
	}
	// Told once.
	if parse(t, h.get("/paiements").body).has("Depuis votre dernière visite") {
		t.Fatal("notice shown twice")
	}
	h.post("/deconnexion", url.Values{}, csrfOf(t, h.get("/foyers").body))
	h.login(helene)
	if parse(t, h.get("/paiements").body).has("Depuis votre dernière visite") {
		t.Fatal("notice shown again at the next login")
	}

	// The régisseur unlinks Julien by name: he loses access at once.
	err := e.f.st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.UnlinkBy("", "F001001", "", "julien  LEFEVRE", "regisseur", time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if r := j.get("/paiements"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/foyers" {
		t.Fatalf("payments after the régisseur unlinked: %d", r.StatusCode)
	}
	if r := h.get("/paiements"); r.StatusCode != http.StatusOK {
		t.Fatalf("Hélène after Julien was unlinked: %d", r.StatusCode)
	}
}
