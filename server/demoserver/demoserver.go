// Package demoserver fills a server store with the demo régie — the same
// agents, households, invoices and tariffs as a demo counter — for the
// `regie-serveur demo` command and for tests.
package demoserver

import (
	"context"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/store"
)

// Seed writes the demo régie into st; pinCost is bcrypt's cost for the
// agents' PINs (tests use the minimum).
func Seed(ctx context.Context, st *store.Store, pinCost int) error {
	r := demo.Regie()
	ref := demo.Reference()
	return st.Update(ctx, func(tx *store.Tx) error {
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
			h, err := app.HashPINCost(a.pin, pinCost)
			if err != nil {
				return err
			}
			ag := regie.Agent{ID: a.id, Login: a.login, Name: a.name, Role: a.role, PINHash: h, Active: true}
			if err := tx.SaveAgent(r.Code, &ag); err != nil {
				return err
			}
		}
		for i := range ref.Households {
			if err := tx.UpsertHousehold(&ref.Households[i]); err != nil {
				return err
			}
		}
		for i := range ref.Invoices {
			if err := tx.UpsertInvoice(r.Code, &ref.Invoices[i]); err != nil {
				return err
			}
		}
		for i := range ref.Items {
			if err := tx.SaveItem(r.Code, &ref.Items[i]); err != nil {
				return err
			}
		}
		return SeedStaff(tx, pinCost, time.Now())
	})
}

// Slip makes the demo's linking slip for household F001001, as counter
// C01's régisseur would after checking Julien Lefèvre's identity card: he
// is not registered on the household, so the access code is refused to him.
func Slip(tx *store.Tx, now time.Time) (*store.LinkSlip, error) {
	return tx.CreateLinkSlip(store.SlipRequest{ID: "0193a1c2-de30-7000-8000-00000000f001", HouseholdID: "h-0001",
		Agent: "a-0001", Document: "carte d'identité", At: now})
}
