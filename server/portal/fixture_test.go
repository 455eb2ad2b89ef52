package portal_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/store"
)

// fixture is a server store on a real SQLite file with one régie, two
// counters, an agent, two households with invoices, and payments pushed
// the way the counters push them (hash-chained journal entries).
type fixture struct {
	st       *store.Store
	payments map[string]*regie.Payment // by name: "h1-cash", "h1-check-cancelled", "h1-2025", "h1-online", "h2-cash"
	hashes   map[string]string         // journal hash by payment name
	journals map[string][]regie.Entry  // by counter code
}

// The two households: Hélène's (H1) and Paul's (H2).
const (
	h1Code = "K7Q101X"
	h2Code = "K7Q102X"
)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "serveur.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, payments: map[string]*regie.Payment{}, hashes: map[string]string{}, journals: map[string][]regie.Entry{}}
	r := regie.Regie{Code: "ENF", Name: "Régie Enfance – Ville de Montaigu", Modes: []regie.PaymentMode{regie.Cash, regie.Check, regie.Card},
		DepositPeriodDays: 7, CashLimit: 300_00, Timezone: "Europe/Paris"}
	households := []regie.Household{
		{ID: "h1", Account: "F001001", Name: "Lefèvre Hélène", AccessCode: h1Code, Members: []regie.Member{
			{FirstName: "Hélène", LastName: "Lefèvre", BirthDate: "1985-04-12", Holder: true},
			{FirstName: "Léo", LastName: "Lefèvre", BirthDate: "2018-09-01"}}},
		{ID: "h2", Account: "F001002", Name: "Martin Paul", AccessCode: h2Code, Members: []regie.Member{
			{FirstName: "Paul", LastName: "Martin", BirthDate: "1979-01-30", Holder: true}}},
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
	f.pay(t, "h1-2025", "C01", 1, at("2025-12-01T10:15:00Z"), "h1", []regie.Tender{{Mode: regie.Card, Amount: 1234_50, Authorisation: "A12345"}},
		alloc("i099", 1234_50))
	f.pay(t, "h1-cash", "C01", 2, at("2026-03-10T08:30:00Z"), "h1", []regie.Tender{{Mode: regie.Cash, Amount: 100_00, Tendered: 100_00}},
		alloc("i101", 100_00))
	f.pay(t, "h1-check-cancelled", "C02", 1, at("2026-04-02T09:00:00Z"), "h1",
		[]regie.Tender{{Mode: regie.Check, Amount: 20_00, CheckNumber: "0001234", Bank: "Banque", Drawer: "H. Lefèvre"}},
		alloc("i102", 20_00))
	f.cancel(t, "h1-check-cancelled", "C02", at("2026-04-02T09:20:00Z"))
	f.pay(t, "h1-online", "C02", 2, at("2026-04-20T18:00:00Z"), "h1", []regie.Tender{{Mode: regie.Online, Amount: 10_00, Reference: "PAYFIP-1"}},
		alloc("i102", 10_00))
	f.pay(t, "h2-cash", "C01", 3, at("2026-05-05T07:45:00Z"), "h2", []regie.Tender{{Mode: regie.Cash, Amount: 30_00, Tendered: 50_00, Change: 20_00}},
		alloc("i201", 30_00))
	f.push(t)
	return f
}

// pay adds a payment entry to a counter's journal.
func (f *fixture) pay(t testing.TB, name, counter string, n int, at time.Time, household string, tenders []regie.Tender, allocs ...regie.Allocation) {
	t.Helper()
	p := &regie.Payment{ID: "pay-" + name, Receipt: regie.ReceiptNumber("ENF", counter, at.Year(), n), Regie: "ENF", Counter: counter,
		SessionID: "s-" + counter, Agent: "a-1", At: regie.JournalTime(at), Day: regie.DayOf(at, time.UTC), HouseholdID: household,
		Tenders: tenders, Allocations: allocs}
	p.Total = p.TendersTotal()
	e := f.entry(t, counter, regie.KindPayment, p.ID, at, p)
	f.payments[name], f.hashes[name] = p, e.Hash
}

// cancel adds the cancellation of a payment to a counter's journal.
func (f *fixture) cancel(t testing.TB, name, counter string, at time.Time) {
	t.Helper()
	p := f.payments[name]
	c := &regie.Cancellation{ID: "cancel-" + name, PaymentID: p.ID, Receipt: p.Receipt, Reason: regie.CancelReasons[3],
		Agent: "a-1", ApprovedBy: "a-1", At: regie.JournalTime(at), Day: p.Day, Refunds: p.Tenders}
	f.entry(t, counter, regie.KindCancellation, c.ID, at, c)
}

func (f *fixture) entry(t testing.TB, counter string, kind regie.EntryKind, id string, at time.Time, obj any) *regie.Entry {
	t.Helper()
	var prev *regie.Entry
	if j := f.journals[counter]; len(j) > 0 {
		prev = &j[len(j)-1]
	}
	e, err := regie.NewEntry(prev, counter, kind, id, "a-1", at, obj)
	if err != nil {
		t.Fatal(err)
	}
	f.journals[counter] = append(f.journals[counter], *e)
	return e
}

// push sends every counter's journal to the store, as sync would.
func (f *fixture) push(t testing.TB) {
	t.Helper()
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		for code, entries := range f.journals {
			c, err := tx.CounterByCode("ENF", code)
			if err != nil || c == nil {
				return fmt.Errorf("counter %s: %v", code, err)
			}
			if _, err := tx.Push(c, store.PrepareBatch(entries), time.Now()); err != nil {
				return fmt.Errorf("push %s: %w", code, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
