package portal_test

import (
	"context"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// fixture is a server store on a real SQLite file with one régie, two
// counters, an agent, three households with invoices, and payments pushed
// the way the counters push them: journals written as a counter records
// them (apptest.Journal: the till opened each day, days and receipt
// numbers of the régie) and stored through the server's checked push.
type fixture struct {
	st       *store.Store
	payments map[string]*regie.Payment   // by name: "h1-cash", "h1-check-cancelled", "h1-2025", "h1-card", "h2-cash", "h3-first"
	hashes   map[string]string           // journal hash by payment name
	journals map[string]*apptest.Journal // by counter code
}

// The two households: Hélène's (H1) and Paul's (H2).
const (
	h1Code = "K7Q101X"
	h2Code = "K7Q102X"
)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, payments: map[string]*regie.Payment{}, hashes: map[string]string{}, journals: map[string]*apptest.Journal{}}
	r := regie.Regie{Code: "ENF", Name: "Régie Enfance – Ville de Montaigu", Modes: []regie.PaymentMode{regie.Cash, regie.Check, regie.Card},
		DepositPeriodDays: 7, CashLimit: 300_00, Timezone: "Europe/Paris"}
	households := []regie.Household{
		{ID: "h1", Account: "F001001", Name: "Lefèvre Hélène", AccessCode: h1Code, Members: []regie.Member{
			{FirstName: "Hélène", LastName: "Lefèvre", BirthDate: "1985-04-12", Holder: true},
			{FirstName: "Léo", LastName: "Lefèvre", BirthDate: "2018-09-01"}}},
		{ID: "h2", Account: "F001002", Name: "Martin Paul", AccessCode: h2Code, Members: []regie.Member{
			{FirstName: "Paul", LastName: "Martin", BirthDate: "1979-01-30", Holder: true}}},
		{ID: "h3", Account: "F001003", Name: "Bernard Anne", AccessCode: "K7Q103X", Members: []regie.Member{
			{FirstName: "Anne", LastName: "Bernard", BirthDate: "1990-06-15", Holder: true}}},
	}
	invoices := []regie.Invoice{
		{ID: "i101", Number: "FAC-2026-00101", HouseholdID: "h1", Label: "Cantine mars 2026", Amount: 100_00,
			IssuedOn: "2026-03-01", DueOn: "2026-03-31", Lines: []regie.InvoiceLine{
				{Label: "Repas cantine", Beneficiary: "Léo Lefèvre", Period: "mars 2026", Quantity: 20, UnitPrice: 5_00, Amount: 100_00}}},
		{ID: "i102", Number: "FAC-2026-00102", HouseholdID: "h1", Label: "Accueil de loisirs avril 2026", Amount: 45_50,
			IssuedOn: "2026-04-01", DueOn: "2026-04-30", Lines: []regie.InvoiceLine{
				{Label: "Accueil de loisirs", Beneficiary: "Léo Lefèvre", Period: "avril 2026", Quantity: 7, UnitPrice: 6_50, Amount: 45_50}}},
		{ID: "i099", Number: "FAC-2025-00099", HouseholdID: "h1", Label: "Séjour d'été 2025", Amount: 1234_50,
			IssuedOn: "2025-11-01", DueOn: "2025-12-15", Lines: []regie.InvoiceLine{
				{Label: "Séjour d'été", Beneficiary: "Léo Lefèvre", Period: "juillet 2025", Quantity: 1, UnitPrice: 1234_50, Amount: 1234_50}}},
		{ID: "i201", Number: "FAC-2026-00201", HouseholdID: "h2", Label: "Cantine mai 2026", Amount: 30_00,
			IssuedOn: "2026-05-01", DueOn: "2026-05-31", Lines: []regie.InvoiceLine{
				{Label: "Repas cantine", Beneficiary: "Emma Martin", Period: "mai 2026", Quantity: 6, UnitPrice: 5_00, Amount: 30_00}}},
		{ID: "i301", Number: "FAC-2026-00301", HouseholdID: "h3", Label: "Cantine janvier 2026", Amount: 25_00,
			IssuedOn: "2026-01-05", DueOn: "2026-01-31", Lines: []regie.InvoiceLine{
				{Label: "Repas cantine", Beneficiary: "Lucas Bernard", Period: "janvier 2026", Quantity: 5, UnitPrice: 5_00, Amount: 25_00}}},
	}
	err = st.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveRegie(&r, true); err != nil {
			return err
		}
		if err := tx.SaveAgent("ENF", &regie.Agent{ID: "a-1", Login: "mdupont", Name: "Marie Dupont", Role: regie.RoleRegisseur,
			PINHash: "x", Active: true}); err != nil {
			return err
		}
		for code, name := range map[string]string{"C01": "Accueil mairie", "C02": "Guichet enfance"} {
			if _, err := tx.CreateCounter(regie.Counter{Code: code, Regie: "ENF", Name: name}, credential.HashEnrolCode(code+"-enrol"),
				time.Now().Add(time.Hour), time.Now()); err != nil {
				return err
			}
		}
		for i := range households {
			if err := tx.UpsertHousehold(&households[i]); err != nil {
				return err
			}
		}
		for i := range invoices {
			if err := tx.UpsertInvoice("ENF", &invoices[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		x, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	alloc := func(inv string, amount regie.Money) regie.Allocation {
		for _, i := range invoices {
			if i.ID == inv {
				return regie.Allocation{InvoiceID: i.ID, InvoiceNumber: i.Number, Label: i.Label, Amount: amount}
			}
		}
		t.Fatalf("no invoice %s", inv)
		return regie.Allocation{}
	}
	f.pay(t, "h1-2025", "C01", at("2025-12-01T10:15:00Z"), "h1", []regie.Tender{{Mode: regie.Card, Amount: 1234_50, Authorisation: "A12345"}},
		alloc("i099", 1234_50))
	// C01's first receipt of 2026, of a household no test logs in as.
	f.pay(t, "h3-first", "C01", at("2026-01-20T14:00:00Z"), "h3", []regie.Tender{{Mode: regie.Cash, Amount: 25_00, Tendered: 25_00}},
		alloc("i301", 25_00))
	f.pay(t, "h1-cash", "C01", at("2026-03-10T08:30:00Z"), "h1", []regie.Tender{{Mode: regie.Cash, Amount: 100_00, Tendered: 100_00}},
		alloc("i101", 100_00))
	f.pay(t, "h1-check-cancelled", "C02", at("2026-04-02T09:00:00Z"), "h1",
		[]regie.Tender{{Mode: regie.Check, Amount: 20_00, CheckNumber: "0001234", Bank: "Banque", Drawer: "H. Lefèvre"}},
		alloc("i102", 20_00))
	f.cancel(t, "h1-check-cancelled", "C02", at("2026-04-02T09:20:00Z"))
	f.pay(t, "h1-card", "C02", at("2026-04-20T18:00:00Z"), "h1", []regie.Tender{{Mode: regie.Card, Amount: 10_00, Authorisation: "A67890"}},
		alloc("i102", 10_00))
	f.pay(t, "h2-cash", "C01", at("2026-05-05T07:45:00Z"), "h2", []regie.Tender{{Mode: regie.Cash, Amount: 30_00, Tendered: 50_00, Change: 20_00}},
		alloc("i201", 30_00))
	f.push(t)
	return f
}

// pay records a payment at a counter, at an instant: its receipt number is
// the counter's next of the year.
func (f *fixture) pay(t testing.TB, name, counter string, at time.Time, household string, tenders []regie.Tender, allocs ...regie.Allocation) {
	t.Helper()
	p := &regie.Payment{ID: "pay-" + name, HouseholdID: household, Tenders: tenders, Allocations: allocs}
	e := f.journal(counter).Pay(t, at, p)
	f.payments[name], f.hashes[name] = p, e.Hash
}

// cancel records the cancellation of a payment of the counter's.
func (f *fixture) cancel(t testing.TB, name, counter string, at time.Time) {
	t.Helper()
	f.journal(counter).Cancel(t, at, f.payments[name], regie.CancelReasons[3])
}

func (f *fixture) journal(counter string) *apptest.Journal {
	j := f.journals[counter]
	if j == nil {
		j = apptest.NewJournal("ENF", counter, "a-1")
		f.journals[counter] = j
	}
	return j
}

// push sends what each counter recorded since the last push to the
// store, as sync would.
func (f *fixture) push(t testing.TB) {
	t.Helper()
	for _, code := range []string{"C01", "C02"} {
		if j := f.journals[code]; j != nil {
			servertest.Push(t, f.st, "ENF", code, j.Take(), time.Now())
		}
	}
}
