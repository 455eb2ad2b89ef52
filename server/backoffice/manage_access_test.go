package backoffice

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
)

// TestManageForbidden: the régisseur, the suppléant and the finance
// service of ENF get 403 on every management page and form of their own
// régie, with real addresses (a real counter, agent and tariff) and
// well-formed forms carrying their CSRF token, and the database is the
// same afterwards.
func TestManageForbidden(t *testing.T) {
	f := newFixture(t)
	servertest.AddCounter(t, f.st, "C01")
	var item string
	f.st.View(context.Background(), func(tx *store.Tx) error {
		its, err := tx.Items("ENF")
		if len(its) > 0 {
			item = its[0].Code
		}
		return err
	})
	if item == "" {
		t.Fatal("the demo régie has no tariff")
	}
	fill := strings.NewReplacer("{regie}", "ENF", "{poste}", "C01", "{agent}", "mdupont", "{tarif}", item)
	form := regieValues("BIB")
	for k, v := range map[string]string{"login": "x1", "role": "regisseur", "pin": "4444", "pin_again": "4444",
		"confirm": "1", "active": "0", "label": "X", "price": "1", "generate": ""} {
		form.Set(k, v)
	}
	var routes []string
	for _, r := range declaredRoutes(t) {
		if strings.HasPrefix(strings.SplitN(r.pattern, " ", 2)[1], Prefix+"/regies") {
			routes = append(routes, fill.Replace(r.pattern))
		}
	}
	if len(routes) < 15 {
		t.Fatalf("only %d management routes", len(routes))
	}
	browsers := map[string]*browser{
		"régisseur": f.sessionFor(f.addStaff("reg-enf", "Régisseur ENF", store.Grant{Role: store.RoleRegisseur, Regie: "ENF"})),
		"suppléant": f.sessionFor(f.addStaff("sup-enf", "Suppléant ENF", store.Grant{Role: store.RoleSuppleant, Regie: "ENF"})),
		"finance":   f.sessionFor(f.addStaff("fin-enf", "Finances ENF", store.Grant{Role: store.RoleFinance, Regie: "ENF"})),
	}
	adm := f.admin()
	f.unchanged("refused management requests", func() {
		for who, b := range browsers {
			for _, route := range routes {
				method, path, _ := strings.Cut(route, " ")
				var status int
				if method == http.MethodPost {
					v := url.Values{}
					for k, x := range form {
						v[k] = x
					}
					res, _ := b.send(path, v)
					status = res.StatusCode
				} else {
					res, _ := b.get(path)
					status = res.StatusCode
				}
				if status != http.StatusForbidden {
					t.Errorf("%s: %s %s answered %d", who, method, path, status)
				}
			}
		}
		// An administrator (whose role covers every régie) is told a régie
		// that does not exist is not found, on every address of one.
		for _, route := range routes {
			method, path, _ := strings.Cut(route, " ")
			if !strings.Contains(path, "/ENF") {
				continue
			}
			path = strings.Replace(path, "/ENF", "/NOPE", 1)
			var status int
			if method == http.MethodPost {
				res, _ := adm.send(path, form)
				status = res.StatusCode
			} else {
				res, _ := adm.get(path)
				status = res.StatusCode
			}
			if status != http.StatusNotFound {
				t.Errorf("administrator: %s %s answered %d, want 404", method, path, status)
			}
		}
	})
}
