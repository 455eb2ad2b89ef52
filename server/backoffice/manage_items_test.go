package backoffice

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

func (f *fixture) item(regieCode, code string) *regie.CatalogueItem {
	f.t.Helper()
	var it *regie.CatalogueItem
	if err := f.st.View(context.Background(), func(tx *store.Tx) (err error) { it, err = tx.Item(regieCode, code); return err }); err != nil {
		f.t.Fatal(err)
	}
	return it
}

// TestManageItems: an administrator adds a tariff with a price typed in
// French, changes its price and withdraws it; each change is audited with
// old and new values; a bad price, a taken code or a blank label change
// nothing.
func TestManageItems(t *testing.T) {
	f := newFixture(t)
	adm := f.admin()
	res, body := adm.send("/gestion/regies/PIS/nouveau-tarif", url.Values{"code": {"ENTREE-ADULTE"}, "label": {"Entrée adulte"},
		"category": {"Piscine"}, "price": {"4,50 €"}, "active": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create: %d %.500s", res.StatusCode, body)
	}
	if it := f.item("PIS", "ENTREE-ADULTE"); it == nil || it.Price != 4_50 || !it.Active || it.Category != "Piscine" {
		t.Fatalf("created: %+v", it)
	}
	f.wantAudit("item.create", "PIS", "ENTREE-ADULTE")
	_, page := adm.get("/gestion/regies/PIS")
	contains(t, page, "Entrée adulte", regie.Money(4_50).String(), "en vente")
	_, form := adm.get("/gestion/regies/PIS/tarifs/ENTREE-ADULTE")
	contains(t, form, `value="4,50"`)

	if res, _ := adm.send("/gestion/regies/PIS/tarifs/ENTREE-ADULTE", url.Values{"label": {"Entrée adulte"},
		"category": {"Piscine"}, "price": {"1 005"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	if it := f.item("PIS", "ENTREE-ADULTE"); it.Price != 1005_00 || it.Active {
		t.Fatalf("updated: %+v", it)
	}
	detail := f.wantAudit("item.update", "PIS", "ENTREE-ADULTE")
	if p, _ := detail["price"].(map[string]any); p["avant"] != float64(450) || p["après"] != float64(100500) {
		t.Errorf("price change: %v", detail)
	}

	f.unchanged("refused tariffs", func() {
		for _, c := range []struct{ field, value, want string }{
			{"price", "4,505", "price-erreur"},
			{"price", "quatre", "price-erreur"},
			{"price", "-2", "price-erreur"},
			{"code", "ENTREE-ADULTE", "existe déjà"},
			{"code", "ENTREE ADULTE", "Code (sans espace"},
			{"label", " ", "Indiquez le libellé"},
		} {
			v := url.Values{"code": {"ENTREE-ENFANT"}, "label": {"Entrée enfant"}, "price": {"3"}, "active": {"1"}}
			v.Set(c.field, c.value)
			res, page := adm.send("/gestion/regies/PIS/nouveau-tarif", v)
			if res.StatusCode != http.StatusBadRequest || !strings.Contains(page, c.want) {
				t.Errorf("%s=%q: %d, page lacks %q", c.field, c.value, res.StatusCode, c.want)
			}
		}
		if res, _ := adm.get("/gestion/regies/ENF/tarifs/ENTREE-ADULTE"); res.StatusCode != http.StatusNotFound {
			t.Errorf("tariff of another régie: %d", res.StatusCode)
		}
	})
}
