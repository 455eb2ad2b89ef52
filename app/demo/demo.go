// Package demo fills a counter file with a believable régie: the agents of
// the README with known PINs, households, invoices and tariffs. It serves
// `make run` and the tests.
package demo

import (
	"context"
	"fmt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// The demo agents' logins and PINs, as written in the README.
const (
	RegisseurLogin  = "mdupont"
	RegisseurPIN    = "1234"
	SuppleantLogin  = "jmartin"
	SuppleantPIN    = "2345"
	MandataireLogin = "sbernard"
	MandatairePIN   = "3456"
)

// Regie is the demo régie's settings.
func Regie() regie.Regie {
	return regie.Regie{
		Code: "ENF", Name: "Régie Enfance – Ville de Montaigu-sur-Loire",
		Address: "Hôtel de ville, 1 place de la République, 49000 Montaigu-sur-Loire",
		Modes: []regie.PaymentMode{regie.Cash, regie.Check, regie.Card, regie.Transfer, regie.DirectDebit,
			regie.Online, regie.HolidayCheck, regie.CESU},
		CashCeiling: 3_000_00, Float: 150_00, DepositPeriodDays: 7, CashLimit: regie.DefaultCashLimit,
		PartialPayments: true, AnonymousSales: true, Timezone: "Europe/Paris",
		BankAccounts: []string{"FR7330001004900000012345005"},
	}
}

// Counter is the demo counter.
func Counter() regie.Counter {
	return regie.Counter{Code: "C01", Regie: "ENF", Name: "Accueil mairie – guichet 1"}
}

// Options tune the seed: tests use a low bcrypt cost to stay fast.
type Options struct {
	PINCost int
}

// Seed configures c as the demo counter and loads the reference data.
func Seed(ctx context.Context, c *app.Counter, o Options) error {
	if o.PINCost == 0 {
		o.PINCost = 10
	}
	var agents []regie.Agent
	for _, a := range []struct {
		id, login, name, pin string
		role                 regie.Role
	}{
		{"a-0001", RegisseurLogin, "Marie Dupont", RegisseurPIN, regie.RoleRegisseur},
		{"a-0002", SuppleantLogin, "Julien Martin", SuppleantPIN, regie.RoleSuppleant},
		{"a-0003", MandataireLogin, "Sophie Bernard", MandatairePIN, regie.RoleMandataire},
	} {
		h, err := app.HashPINCost(a.pin, o.PINCost)
		if err != nil {
			return err
		}
		agents = append(agents, regie.Agent{ID: a.id, Login: a.login, Name: a.name, Role: a.role, PINHash: h, Active: true})
	}
	if err := c.Configure(ctx, Counter(), Regie(), agents); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return c.LoadReference(ctx, Reference())
}

// Reference is the demo's households, invoices and catalogue.
func Reference() app.Reference {
	var ref app.Reference
	families := []struct{ last, first, child string }{
		{"Lefèvre", "Hélène", "Chloé"}, {"Nguyen", "Thomas", "Léa"}, {"Moreau", "Françoise", "Jules"},
		{"Benali", "Karim", "Inès"}, {"Garçon", "Aurélie", "Noé"}, {"Petit", "Stéphane", "Zoé"},
	}
	for i, f := range families {
		h := regie.Household{
			ID: fmt.Sprintf("h-%04d", i+1), Account: fmt.Sprintf("F%06d", 1001+i), Name: f.last + " " + f.first,
			Address:    fmt.Sprintf("%d rue des Écoles, 49000 Montaigu-sur-Loire", 3+2*i),
			AccessCode: fmt.Sprintf("K7Q%03dX", 101+i),
			Members: []regie.Member{
				{FirstName: f.first, LastName: f.last, BirthDate: "1984-05-12", Holder: true},
				{FirstName: f.child, LastName: f.last, BirthDate: "2017-09-03"},
			},
		}
		ref.Households = append(ref.Households, h)
		for j, inv := range []struct {
			label, period string
			qty           int
			unit          regie.Money
		}{
			{"Restauration scolaire – octobre 2026", "octobre 2026", 16, 3_85},
			{"Accueil périscolaire – octobre 2026", "octobre 2026", 20, 1_60},
			{"Centre de loisirs – vacances de la Toussaint", "du 19 au 30 octobre 2026", 4, 12_50},
		} {
			amount := inv.unit * regie.Money(inv.qty)
			ref.Invoices = append(ref.Invoices, regie.Invoice{
				ID: fmt.Sprintf("i-%04d-%d", i+1, j+1), Number: fmt.Sprintf("FAC-2026-%05d", 100*(i+1)+j+1),
				HouseholdID: h.ID, Label: inv.label, Amount: amount, Remaining: amount,
				IssuedOn: "2026-11-05", DueOn: "2026-12-05",
				Lines: []regie.InvoiceLine{{Label: inv.label, Beneficiary: f.child + " " + f.last, Period: inv.period,
					Quantity: inv.qty, UnitPrice: inv.unit, Amount: amount}},
			})
		}
	}
	ref.Items = []regie.CatalogueItem{
		{Code: "PISC-ENT", Label: "Piscine – entrée adulte", Category: "Piscine", Price: 4_20, Active: true},
		{Code: "PISC-RED", Label: "Piscine – entrée tarif réduit", Category: "Piscine", Price: 2_60, Active: true},
		{Code: "PISC-10", Label: "Piscine – carte 10 entrées", Category: "Piscine", Price: 38_00, Active: true},
		{Code: "CARTE-REP", Label: "Duplicata de carte d'accès", Category: "Divers", Price: 5_00, Active: true},
		{Code: "PHOTOCOP", Label: "Photocopie A4", Category: "Divers", Price: 20, Active: true},
	}
	return ref
}
