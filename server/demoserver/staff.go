package demoserver

import (
	"time"

	"github.com/regie-fr/regie/server/auth"
	"github.com/regie-fr/regie/server/store"
	"golang.org/x/crypto/bcrypt"
)

// DemoAdminTOTP is the demo administrator's TOTP secret, printed by
// `regie-serveur demo` so that anyone can add it to an authenticator
// application (or compute codes with oathtool --totp -b). Only for the
// demo: a real account's secret is drawn at its set-up.
const DemoAdminTOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// DemoStaff are the demo's back-office accounts, with their passwords: the
// régisseur and the suppléant of the demo régie, the finance department
// (every régie, who may also log in through the demo's ProConnect) and an
// administrator, whose second factor is DemoAdminTOTP.
var DemoStaff = []struct {
	ID, Login, Name, Password string
	Grants                    []store.Grant
	// Subject is the identity of the demo's ProConnect bound to the
	// account (BindDemoIdentities), "" for none.
	Subject string
}{
	{"s-0001", "mdupont", "Marie Dupont", "regisseur-demo", []store.Grant{{Role: store.RoleRegisseur, Regie: "ENF"}}, ""},
	{"s-0002", "jmartin", "Julien Martin", "suppleant-demo", []store.Grant{{Role: store.RoleSuppleant, Regie: "ENF"}}, ""},
	{"s-0003", "finances", "Claire Moreau", "finances-demo", []store.Grant{{Role: store.RoleFinance}}, "pc-cmoreau"},
	{"s-0004", "admin", "Paul Girard", "admin-demo", []store.Grant{{Role: store.RoleAdmin}}, ""},
}

// DemoAgents are the identities the demo's ProConnect offers: Claire
// Moreau's is bound to the account "finances"; Luc Roux's to none, to show
// the refusal.
var DemoAgents = []auth.DevUser{
	{Subject: "pc-cmoreau", GivenName: "Claire", FamilyName: "Moreau", Email: "claire.moreau@montaigu.example.fr"},
	{Subject: "pc-lroux", GivenName: "Luc", FamilyName: "Roux", Email: "luc.roux@montaigu.example.fr"},
}

// SeedStaff writes the demo's back-office accounts; cost is bcrypt's.
func SeedStaff(tx *store.Tx, cost int, now time.Time) error {
	for _, d := range DemoStaff {
		h, err := bcrypt.GenerateFromPassword([]byte(d.Password), cost)
		if err != nil {
			return err
		}
		s := &store.Staff{ID: d.ID, Login: d.Login, Name: d.Name, PasswordHash: string(h), Grants: d.Grants}
		if d.Login == "admin" {
			s.TOTPSecret = DemoAdminTOTP
		}
		if err := tx.SaveStaff(s, now); err != nil {
			return err
		}
	}
	return nil
}

// BindDemoIdentities binds the demo accounts to the demo provider's
// identities, once its address (the issuer) is known.
func BindDemoIdentities(tx *store.Tx, issuer string, now time.Time) error {
	for _, d := range DemoStaff {
		if d.Subject == "" {
			continue
		}
		s, err := tx.StaffByID(d.ID)
		if err != nil || s == nil {
			return err
		}
		s.OIDCIssuer, s.OIDCSubject = issuer, d.Subject
		if err := tx.SaveStaff(s, now); err != nil {
			return err
		}
	}
	return nil
}
