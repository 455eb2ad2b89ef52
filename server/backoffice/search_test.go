package backoffice

import (
	"context"
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
)

// searchData pushes, through the real push, payments of the demo régie
// ENF (counter C09: E1 split cash and cheque for the Lefèvre household, E2
// by card, cancelled, and extra small sales) and of PIS (counter P01: P1,
// 4,20 € by card for the same household), and gives their receipts.
func searchData(t *testing.T, f *fixture, extra int) map[string]*regie.Payment {
	t.Helper()
	ctx := context.Background()
	servertest.AddCounter(t, f.st, "C09")
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.CreateCounter(regie.Counter{Code: "P01", Regie: "PIS", Name: "Caisse piscine"}, "enrol-p01",
			time.Now().Add(time.Hour), time.Now()); err != nil {
			return err
		}
		if err := tx.SaveItem("PIS", &regie.CatalogueItem{Code: "PISC-ENT", Label: "Entrée piscine", Price: 4_20, Active: true}); err != nil {
			return err
		}
		return tx.UpsertHousehold(&regie.Household{ID: "h-0001", Account: "F001001", Name: "Lefèvre Éloïse"})
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Minute)
	out := map[string]*regie.Payment{}
	enf, pis := apptest.NewJournal("ENF", "C09", "a-enf"), apptest.NewJournal("PIS", "P01", "a-pis")
	pay := func(j *apptest.Journal, id, household string, ts []regie.Tender, a regie.Allocation) *regie.Payment {
		at = at.Add(time.Second)
		p := &regie.Payment{ID: id, HouseholdID: household, Tenders: ts, Allocations: []regie.Allocation{a}}
		if household != "" {
			p.Account = "F001001"
		}
		j.Pay(t, at, p)
		out[id] = p
		return p
	}
	item := func(c int64) regie.Allocation {
		return regie.Allocation{ItemCode: "PISC-ENT", Quantity: int(c / 4_20), Label: "Entrée", Amount: regie.Money(c)}
	}
	pay(enf, "E1", "h-0001", []regie.Tender{{Mode: regie.Cash, Amount: 4_00, Tendered: 5_00, Change: 1_00},
		{Mode: regie.Check, Amount: 4_40, CheckNumber: "0000123", Bank: "Banque", Drawer: "Lefèvre"}}, item(8_40))
	e2 := pay(enf, "E2", "", []regie.Tender{{Mode: regie.Card, Amount: 12_60, Authorisation: "A7"}}, item(12_60))
	at = at.Add(time.Second)
	enf.Cancel(t, at, e2, "Paiement carte non abouti")
	for i := 0; i < extra; i++ {
		pay(enf, "X"+strings.Repeat("0", 3-len(itoa(i)))+itoa(i), "", []regie.Tender{{Mode: regie.Cash, Amount: 4_20}}, item(4_20))
	}
	pay(pis, "P1", "h-0001", []regie.Tender{{Mode: regie.Card, Amount: 4_20, Authorisation: "A8"}}, item(4_20))
	now := time.Now()
	servertest.Push(t, f.st, "ENF", "C09", enf.Take(), now)
	servertest.Push(t, f.st, "PIS", "P01", pis.Take(), now)
	return out
}

// TestSearchScope: each role against the search, the detail and the
// export; a régisseur of one régie never sees, opens or exports a payment
// of another, even by naming it; the administrator gets no citizen data.
func TestSearchScope(t *testing.T) {
	f := newFixture(t)
	p := searchData(t, f, 0)
	enf, pis := f.login("mdupont", "regisseur-demo"), f.login("pisreg", "pisreg-pass")
	fin := f.login("finances", "finances-demo")
	adm := f.sessionFor(f.addStaff("admin2", "Admin Deux", store.Grant{Role: store.RoleAdmin}))

	_, body := enf.get("/gestion/paiements")
	contains(t, body, p["E1"].Receipt, p["E2"].Receipt, "2 paiements trouvés.", "Lefèvre Éloïse", "Annulé", "Paiement carte non abouti")
	if strings.Contains(body, p["P1"].Receipt) || strings.Contains(body, "Régie Piscine") {
		t.Error("the ENF régisseur's search shows PIS")
	}
	for _, q := range []string{"recu=" + p["P1"].Receipt, "regie=PIS", "montant=4,20&regie=PIS", "nom=lefevre"} {
		_, body := enf.get("/gestion/paiements?" + q)
		if strings.Contains(body, `href="/gestion/paiements/P1"`) || strings.Contains(body, "Caisse piscine") ||
			q != "nom=lefevre" && !strings.Contains(body, "Aucun paiement ne correspond") {
			t.Errorf("%s: ENF sees P1", q)
		}
	}
	if res, body := enf.get("/gestion/paiements/P1"); res.StatusCode != http.StatusNotFound || strings.Contains(body, p["P1"].Receipt) {
		t.Errorf("ENF opens P1: %d", res.StatusCode)
	}
	if res, body := pis.get("/gestion/paiements/E1"); res.StatusCode != http.StatusNotFound || strings.Contains(body, "0000123") {
		t.Errorf("PIS opens E1: %d", res.StatusCode)
	}
	res, body := enf.get("/gestion/paiements/E1")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("E1: %d", res.StatusCode)
	}
	contains(t, body, p["E1"].Receipt, "Espèces", "Chèque", "4,00", "4,40", "chèque n° 0000123", "remis 5,00", "Lefèvre Éloïse",
		"Place dans le journal", "Le reçu n'a pas été réimprimé.")
	_, body = enf.get("/gestion/paiements/E2")
	contains(t, body, "Paiement annulé", "Paiement carte non abouti", "Approuvée par")
	_, body = pis.get("/gestion/paiements")
	contains(t, body, p["P1"].Receipt, "1 paiement trouvé.")
	if strings.Contains(body, p["E1"].Receipt) {
		t.Error("PIS sees E1")
	}
	_, body = fin.get("/gestion/paiements?nom=LEFEVRE")
	contains(t, body, p["E1"].Receipt, p["P1"].Receipt, "2 paiements trouvés.")

	for path, want := range map[string]int{"/gestion/paiements": 403, "/gestion/paiements/E1": 403, "/gestion/paiements/export.csv": 403} {
		res, body := adm.get(path)
		if res.StatusCode != want || strings.Contains(body, "Lefèvre") || strings.Contains(body, p["E1"].Receipt) {
			t.Errorf("admin %s: %d", path, res.StatusCode)
		}
	}

	csvOf := func(b *browser, q string) [][]string {
		t.Helper()
		res, body := b.get("/gestion/paiements/export.csv?" + q)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.HasPrefix(body, "\ufeffDate;Heure;Journée;Reçu;") {
			t.Fatalf("export %s: %d %s %.80q", q, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		return recs[1:]
	}
	if recs := csvOf(pis, "regie=ENF"); len(recs) != 0 {
		t.Errorf("PIS exports ENF: %q", recs)
	}
	if recs := csvOf(enf, ""); len(recs) != 2 || recs[0][3] != p["E2"].Receipt || recs[1][3] != p["E1"].Receipt || recs[1][11] != "8,40" ||
		recs[1][10] != "Espèces + Chèque" || recs[0][13] != "oui" {
		t.Errorf("ENF export: %q", recs)
	}
	if recs := csvOf(fin, "montant=4,20"); len(recs) != 1 || recs[0][3] != p["P1"].Receipt || recs[0][4] != "PIS" {
		t.Errorf("finance export of 4,20 €: %q", recs)
	}
	var n int
	if err := f.st.QueryRow(`SELECT count(*) FROM audit WHERE action = 'payments.export'`).Scan(&n); err != nil || n != 3 {
		t.Errorf("exports audited: %d %v", n, err)
	}
}

var receiptLink = regexp.MustCompile(`<a href="/gestion/paiements/([^"]+)">R-`)
var nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next">Page suivante</a>`)

// TestSearchFiltersAndPages: the form's filters reach the store, a bad
// field is refused in French without searching, and the pages follow each
// other without gap or repeat.
func TestSearchFiltersAndPages(t *testing.T) {
	f := newFixture(t)
	p := searchData(t, f, 60)
	fin := f.login("finances", "finances-demo")
	for q, want := range map[string][]string{
		"annule=oui":                  {"E2"},
		"mode=check":                  {"E1"},
		"mode=card&regie=PIS":         {"P1"},
		"montant=8%2C40":              {"E1"},
		"compte=F001001":              {"P1", "E1"},
		"recu=" + p["E2"].Receipt:     {"E2"},
		"nom=lef%C3%A8vre+elo":        {"P1", "E1"},
		"poste=P01":                   {"P1"},
		"du=01/01/2020&au=31/12/2020": nil,
	} {
		res, body := fin.get("/gestion/paiements?" + q)
		var got []string
		for _, m := range receiptLink.FindAllStringSubmatch(body, -1) {
			got = append(got, m[1])
		}
		if res.StatusCode != http.StatusOK || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: %d %v, want %v", q, res.StatusCode, got, want)
		}
	}
	for _, q := range []string{"montant=douze", "du=31/02/2026", "mode=bitcoin", "annule=peut-etre", "nom=---", "page=abime"} {
		res, body := fin.get("/gestion/paiements?" + q)
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "La recherche n&#39;a pas été faite") || receiptLink.MatchString(body) {
			t.Errorf("%s: %d", q, res.StatusCode)
		}
	}
	if res, _ := fin.get("/gestion/paiements/export.csv?montant=douze"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("export of a bad search: %d", res.StatusCode)
	}

	seen := map[string]bool{}
	path, pages := "/gestion/paiements?regie=ENF", 0
	for path != "" {
		res, body := fin.get(path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		ms := receiptLink.FindAllStringSubmatch(body, -1)
		if len(ms) > searchPageSize {
			t.Fatalf("%d rows on a page", len(ms))
		}
		for _, m := range ms {
			if seen[m[1]] {
				t.Fatalf("%s twice", m[1])
			}
			seen[m[1]] = true
		}
		pages++
		path = ""
		if m := nextLink.FindStringSubmatch(body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if pages != 2 || len(seen) != 62 || seen["P1"] {
		t.Fatalf("%d pages, %d payments", pages, len(seen))
	}
}
