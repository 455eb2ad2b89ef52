package portal_test

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/portal"
)

const nb = "\u00a0" // the no-break space of French amounts

func TestPaymentsPage(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	b.linkHousehold(helene, h1Code)
	r := b.get("/paiements")
	d := parse(t, r.body)
	d.checkPage()
	if d.h1() != "Mes paiements en 2026" || !strings.HasPrefix(d.title(), "Mes paiements en 2026 – ") {
		t.Fatalf("h1 %q title %q", d.h1(), d.title())
	}
	rows := d.table("paiements en 2026")
	want := [][]string{
		{"Date", "Reçu", "Montant", "Moyens de paiement", "Guichet", "Factures réglées", "Reçu PDF"},
		{"20/04/2026 à 20:00", "R-ENF-C02-2026-000002", "10,00" + nb + "€", "Carte bancaire : 10,00" + nb + "€",
			"Guichet enfance Régie Enfance – Ville de Montaigu", "FAC-2026-00102 : 10,00" + nb + "€", "Télécharger le reçu R-ENF-C02-2026-000002 (PDF)"},
		{"02/04/2026 à 11:00", "R-ENF-C02-2026-000001 Annulé le 02/04/2026", "20,00" + nb + "€", "Chèque : 20,00" + nb + "€",
			"Guichet enfance Régie Enfance – Ville de Montaigu", "FAC-2026-00102 : 20,00" + nb + "€", "Télécharger le reçu R-ENF-C02-2026-000001 (PDF)"},
		{"10/03/2026 à 09:30", "R-ENF-C01-2026-000002", "100,00" + nb + "€", "Espèces : 100,00" + nb + "€",
			"Accueil mairie Régie Enfance – Ville de Montaigu", "FAC-2026-00101 : 100,00" + nb + "€", "Télécharger le reçu R-ENF-C01-2026-000002 (PDF)"},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Fatalf("payments table:\n got %q\nwant %q", rows, want)
	}
	if !d.has("3 paiements en 2026, pour un total de 110,00" + nb + "€") {
		t.Fatal("caption without the count and total")
	}
	// The year filter is a labelled select with both years.
	var years []string
	for _, o := range d.all("option") {
		years = append(years, text(o))
	}
	if !reflect.DeepEqual(years, []string{"2026", "2025"}) {
		t.Fatalf("years %v", years)
	}
	r = b.get("/paiements?annee=2025")
	d = parse(t, r.body)
	d.checkPage()
	if rows := d.table("paiement en 2025"); len(rows) != 2 || rows[1][2] != "1"+nb+"234,50"+nb+"€" || rows[1][4] != "Accueil mairie Régie Enfance – Ville de Montaigu" {
		t.Fatalf("2025: %q", rows)
	}
	if r := b.get("/paiements?annee=2031"); !parse(t, r.body).has("Aucun paiement de votre foyer en 2031") {
		t.Fatal("empty year")
	}
	if r := b.get("/paiements?annee=deux"); r.StatusCode != http.StatusNotFound {
		t.Fatalf("bad year: %d", r.StatusCode)
	}
}

func TestInvoicesAndServicesPages(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	b.linkHousehold(helene, h1Code)
	d := parse(t, b.get("/factures").body)
	d.checkPage()
	if d.h1() != "Mes factures" || !d.has("Reste à payer en tout : 35,50"+nb+"€") {
		t.Fatal("invoices page heading or total")
	}
	toPay := d.table("Factures à payer")
	if len(toPay) != 2 || !reflect.DeepEqual(toPay[1], []string{"FAC-2026-00102", "Accueil de loisirs avril 2026", "01/04/2026",
		"30/04/2026 échue", "45,50" + nb + "€", "35,50" + nb + "€"}) {
		t.Fatalf("to pay: %q", toPay)
	}
	paid := d.table("Factures payées")
	if len(paid) != 3 || paid[1][0] != "FAC-2026-00101" || paid[2][0] != "FAC-2025-00099" || paid[2][4] != "1"+nb+"234,50"+nb+"€" {
		t.Fatalf("paid: %q", paid)
	}

	r := b.get("/factures/i102")
	d = parse(t, r.body)
	d.checkPage()
	if d.h1() != "Facture FAC-2026-00102" {
		t.Fatalf("invoice h1 %q", d.h1())
	}
	if lines := d.table("Services facturés sur la facture"); len(lines) != 2 || lines[1][0] != "Accueil de loisirs" || lines[1][4] != "6,50"+nb+"€" {
		t.Fatalf("invoice lines: %q", lines)
	}
	pays := d.table("Paiements de la facture")
	if len(pays) != 3 || pays[1][1] != "R-ENF-C02-2026-000001 annulé" || pays[2][2] != "10,00"+nb+"€" {
		t.Fatalf("invoice payments: %q", pays)
	}

	d = parse(t, b.get("/services").body)
	d.checkPage()
	svc := d.table("Services facturés à votre foyer")
	if len(svc) != 4 || !reflect.DeepEqual(svc[1], []string{"Accueil de loisirs", "Léo Lefèvre", "avril 2026", "7", "45,50" + nb + "€", "FAC-2026-00102"}) {
		t.Fatalf("services: %q", svc)
	}
}

func TestReceiptPDF(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	b.linkHousehold(helene, h1Code)
	for _, id := range []string{"pay-h1-cash", "pay-h1-check-cancelled", "pay-h1-card"} {
		r := b.get("/paiements/" + id + "/recu.pdf")
		if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF-") ||
			!strings.Contains(r.Header.Get("Content-Disposition"), "R-ENF-C0") {
			t.Fatalf("%s: %d %s", id, r.StatusCode, r.Header)
		}
	}
}

func TestVerifyReceipt(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser() // anonymous: the page is public
	cash := e.f.payments["h1-cash"]
	r := b.get("/verifier?recu=" + cash.Receipt + "&empreinte=" + e.f.hashes["h1-cash"][:16])
	d := parse(t, r.body)
	d.checkPage()
	if r.StatusCode != http.StatusOK || !d.has("Ce reçu est authentique") || !d.has("10/03/2026 à 09:30") ||
		!d.has("100,00"+nb+"€") || !d.has("Régie Enfance – Ville de Montaigu") {
		t.Fatalf("genuine receipt: %d %s", r.StatusCode, text(d.root))
	}
	if d.has("Lefèvre") || d.has("F001001") || d.has("FAC-") {
		t.Fatal("the public check shows personal data")
	}
	// The number typed in lower case, as people do: the same receipt.
	r = b.get("/verifier?recu=" + strings.ToLower(cash.Receipt) + "&empreinte=" + e.f.hashes["h1-cash"][:16])
	if d := parse(t, r.body); r.StatusCode != http.StatusOK || !d.has("Ce reçu est authentique") || !d.has(cash.Receipt) {
		t.Fatalf("lower-case number: %d %s", r.StatusCode, text(d.root))
	}
	// The hash as printed: in groups of four, upper case.
	h := strings.ToUpper(e.f.hashes["h1-check-cancelled"][:16])
	r = b.get("/verifier?recu=R-ENF-C02-2026-000001&empreinte=" + h[:4] + "+" + h[4:8] + "+" + h[8:12] + "+" + h[12:])
	if d := parse(t, r.body); !d.has("Ce reçu est authentique") || !d.has("Ce paiement a été annulé") {
		t.Fatalf("cancelled receipt: %s", text(d.root))
	}
	r = b.get("/verifier?recu=" + cash.Receipt + "&empreinte=" + e.f.hashes["h1-card"][:16])
	if d := parse(t, r.body); r.StatusCode != http.StatusOK || !d.has("Reçu inconnu") || d.has("authentique") {
		t.Fatalf("wrong hash: %d", r.StatusCode)
	}
	for _, q := range []string{"recu=R-ENF-2026&empreinte=0123456789abcdef", "recu=" + cash.Receipt + "&empreinte=xyz"} {
		if r := b.get("/verifier?" + q); r.StatusCode != http.StatusBadRequest || !parse(t, r.body).has("invalide") {
			t.Fatalf("%s: %d", q, r.StatusCode)
		}
	}
	d = parse(t, b.get("/verifier").body)
	d.checkPage()
	if d.h1() != "Vérifier un reçu" {
		t.Fatal(d.h1())
	}
}

func TestPublicPagesAndHeaders(t *testing.T) {
	e := newEnv(t, nil)
	b := e.browser()
	r := b.get("/accessibilite")
	d := parse(t, r.body)
	d.checkPage()
	if d.h1() != "Déclaration d'accessibilité" || !d.has("non conforme") || !d.has("Défenseur des droits") {
		t.Fatal("accessibility statement")
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "frame-ancestors 'none'", "style-src 'self'", "form-action 'self' " + e.idp.URL} {
		if !strings.Contains(csp, want) {
			t.Fatalf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "script-src") ||
		r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("X-Frame-Options") != "DENY" {
		t.Fatalf("headers %v", r.Header)
	}
	css := b.get("/static/portal.css")
	if css.StatusCode != http.StatusOK || !strings.Contains(css.Header.Get("Content-Type"), "text/css") || !strings.Contains(css.body, ":focus-visible") {
		t.Fatalf("style sheet: %d", css.StatusCode)
	}
	nf := b.get("/nulle-part")
	if d := parse(t, nf.body); nf.StatusCode != http.StatusNotFound || d.h1() != "Page introuvable" {
		t.Fatalf("404: %d", nf.StatusCode)
	}
	// Every page title differs.
	titles := map[string]bool{}
	for _, p := range []string{"/connexion", "/accessibilite", "/verifier", "/confidentialite", "/nulle-part"} {
		title := parse(t, b.get(p).body).title()
		if titles[title] {
			t.Fatalf("title %q twice", title)
		}
		titles[title] = true
	}
}

// TestPrivacyPage: the privacy notice is public, linked from every page's
// footer, and says who is responsible, the legal basis, the retention the
// city set, that payments and journals are never purged, FranceConnect's
// role, and how to reach the DPO.
func TestPrivacyPage(t *testing.T) {
	e := newEnv(t, func(c *portal.Config) {
		c.Privacy = portal.Privacy{DPO: "dpo@montaigu.fr", RetentionMonths: 18}
	})
	b := e.browser()
	r := b.get("/confidentialite")
	d := parse(t, r.body)
	d.checkPage()
	if r.StatusCode != http.StatusOK || d.h1() != "Données personnelles" {
		t.Fatalf("privacy: %d %q", r.StatusCode, d.h1())
	}
	for _, want := range []string{"Le responsable du traitement est Ville de Montaigu", "mission de service public",
		"Effacé après 18 mois sans connexion", "Jamais effacés par le portail", "10 ans", "DGFiP", "FranceConnect, service de l'État",
		"délégué à la protection des données de Ville de Montaigu : dpo@montaigu.fr", "CNIL"} {
		if !d.has(want) {
			t.Errorf("privacy lacks %q", want)
		}
	}
	if rows := d.table("Durées de conservation"); len(rows) != 6 {
		t.Errorf("retention table: %q", rows)
	}
	found := false
	for _, l := range d.links() {
		found = found || l == "mailto:dpo@montaigu.fr"
	}
	if !found {
		t.Error("no mailto link to the DPO")
	}
	// Linked from the footer of public and logged-in pages alike.
	for i, pages := range [][]string{{"/", "/verifier", "/accessibilite", "/nulle-part"}, {"/paiements", "/attestations", "/foyers", "/services"}} {
		if i == 1 {
			b.linkHousehold(helene, h1Code)
		}
		for _, u := range pages {
			if !slices.Contains(parse(t, b.get(u).body).links(), "/confidentialite") {
				t.Errorf("%s: no link to the privacy notice", u)
			}
		}
	}
	// Without a contact set, the default retention and the town hall.
	e.reconfigure(func(c *portal.Config) { c.Privacy = portal.Privacy{} })
	d = parse(t, e.browser().get("/confidentialite").body)
	if !d.has("Effacé après 24 mois sans connexion") || !d.has("à l'adresse de la mairie") {
		t.Error("default privacy notice")
	}
}
