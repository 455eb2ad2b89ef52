package demoserver

import (
	"time"

	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

// DemoStaff are the demo's back-office accounts, with their passwords: the
// régisseur of the demo régie, the finance department (every régie) and an
// administrator (who must set up a TOTP second factor at first login).
var DemoStaff = []struct {
	ID, Login, Name, Password string
	Grants                    []store.Grant
}{
	{"s-0001", "mdupont", "Marie Dupont", "regisseur-demo", []store.Grant{{Role: store.RoleRegisseur, Regie: "ENF"}}},
	{"s-0002", "jmartin", "Julien Martin", "suppleant-demo", []store.Grant{{Role: store.RoleSuppleant, Regie: "ENF"}}},
	{"s-0003", "finances", "Claire Moreau", "finances-demo", []store.Grant{{Role: store.RoleFinance}}},
	{"s-0004", "admin", "Paul Girard", "admin-demo", []store.Grant{{Role: store.RoleAdmin}}},
}

// SeedStaff writes the demo's back-office accounts; cost is bcrypt's.
func SeedStaff(tx *store.Tx, cost int, now time.Time) error {
	for _, d := range DemoStaff {
		h, err := bcrypt.GenerateFromPassword([]byte(d.Password), cost)
		if err != nil {
			return err
		}
		s := &store.Staff{ID: d.ID, Login: d.Login, Name: d.Name, PasswordHash: string(h), Grants: d.Grants}
		if err := tx.SaveStaff(s, now); err != nil {
			return err
		}
	}
	return nil
}
