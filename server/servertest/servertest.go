// Package servertest sets up the central server for tests of other
// packages: a SQLite file seeded with the demo régie (its agents,
// households, invoices and tariffs) and counters to enrol. Tests only.
package servertest

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
)

// Seed fills a server store with the demo régie, with cheap PIN hashes.
func Seed(tb testing.TB, st *store.Store) {
	tb.Helper()
	r := demo.Regie()
	ref := demo.Reference()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		if err := tx.SaveRegie(&r, true); err != nil {
			return err
		}
		for _, a := range []struct {
			id, login, name, pin string
			role                 regie.Role
		}{
			{"a-0001", demo.RegisseurLogin, "Marie Dupont", demo.RegisseurPIN, regie.RoleRegisseur},
			{"a-0002", demo.SuppleantLogin, "Julien Martin", demo.SuppleantPIN, regie.RoleSuppleant},
			{"a-0003", demo.MandataireLogin, "Sophie Bernard", demo.MandatairePIN, regie.RoleMandataire},
		} {
			h, err := app.HashPINCost(a.pin, bcrypt.MinCost)
			if err != nil {
				return err
			}
			ag := regie.Agent{ID: a.id, Login: a.login, Name: a.name, Role: a.role, PINHash: h, Active: true}
			if err := tx.SaveAgent("ENF", &ag); err != nil {
				return err
			}
		}
		for i := range ref.Households {
			if err := tx.UpsertHousehold(&ref.Households[i]); err != nil {
				return err
			}
		}
		for i := range ref.Invoices {
			if err := tx.UpsertInvoice("ENF", &ref.Invoices[i]); err != nil {
				return err
			}
		}
		for i := range ref.Items {
			if err := tx.SaveItem("ENF", &ref.Items[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
}

// AddCounter creates a counter of the demo régie and gives its one-time
// enrolment code.
func AddCounter(tb testing.TB, st *store.Store, code string) string {
	tb.Helper()
	enrol := credential.NewEnrolCode()
	err := st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.CreateCounter(regie.Counter{Code: code, Regie: "ENF", Name: "Guichet " + code},
			credential.HashEnrolCode(enrol), time.Now().Add(time.Hour), time.Now())
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return enrol
}
