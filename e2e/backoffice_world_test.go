package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	appstore "github.com/regie-fr/regie/app/store"
	"github.com/regie-fr/regie/server/credential"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
)

// The second régie of the back-office's world: what its régisseur may see,
// and what the demo régie's régisseur must never see.
const (
	otherRegie     = "AQU"
	otherRegieName = "Régie du centre aquatique Les Ondines"
)

// otherCounters are the second régie's counters: their codes and names must
// appear on no page of the demo régie's régisseur.
var otherCounters = []regie.Counter{
	{Code: "OND1", Regie: otherRegie, Name: "Bassin des Ondines – caisse 1"},
	{Code: "OND2", Regie: otherRegie, Name: "Bassin des Ondines – caisse 2"},
}

// world fills a server store the way a city's régies would: the demo régie
// ENF (servertest.Seed, with the demo staff) with counters C01 and C02, and
// a second régie AQU with counters OND1 and OND2. Each counter is a real
// counter file (app.Counter) whose journal is pushed through the server's
// checked push: four days of payments in every mode of the régie, a
// cancellation, closings (one with a cash shortfall and its comment, one
// day left open), a deposit of cash and cheques.
func world(t *testing.T, srv *store.Store) {
	t.Helper()
	ctx := context.Background()
	servertest.Seed(t, srv)
	other := demo.Regie()
	other.Code, other.Name = otherRegie, otherRegieName
	other.Address = "Rue du Stade, 49000 Montaigu-sur-Loire"
	otherRef := app.Reference{Items: demo.Reference().Items}
	err := srv.Update(ctx, func(tx *store.Tx) error {
		if err := tx.SaveRegie(&other, true); err != nil {
			return err
		}
		for _, a := range agents(t) {
			if err := tx.SaveAgent(otherRegie, &a); err != nil {
				return err
			}
		}
		for i := range otherRef.Items {
			if err := tx.SaveItem(otherRegie, &otherRef.Items[i]); err != nil {
				return err
			}
		}
		for _, c := range append([]regie.Counter{{Code: "C02", Regie: "ENF", Name: "Accueil mairie – guichet 2"}}, otherCounters...) {
			if _, err := tx.CreateCounter(c, credential.HashEnrolCode(credential.NewEnrolCode()), time.Now().Add(time.Hour), time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	servertest.AddCounter(t, srv, "C01")

	loc := apptest.Paris
	today := time.Now().In(loc)
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, loc)
	days := []time.Time{midnight.AddDate(0, 0, -3), midnight.AddDate(0, 0, -2), midnight.AddDate(0, 0, -1), midnight}
	ref := demo.Reference()
	// Each ENF counter cashes the invoices of its own three households, so
	// that no invoice is paid twice across counters.
	run := []struct {
		counter  regie.Counter
		settings regie.Regie
		ref      app.Reference
		payments func(day int) []app.PaymentRequest
	}{
		{demo.Counter(), demo.Regie(), ref, func(day int) []app.PaymentRequest { return invoicePayments(day, 1) }},
		{regie.Counter{Code: "C02", Regie: "ENF", Name: "Accueil mairie – guichet 2"}, demo.Regie(), ref,
			func(day int) []app.PaymentRequest { return invoicePayments(day, 4) }},
		{otherCounters[0], other, otherRef, itemPayments},
		{otherCounters[1], other, otherRef, itemPayments},
	}
	for i, r := range run {
		clock := apptest.NewClock(days[0].Add(8 * time.Hour))
		c := counter(t, r.counter, r.settings, r.ref, clock)
		reg := apptest.Login(t, c, demo.RegisseurLogin, demo.RegisseurPIN)
		for d, day := range days {
			clock.Set(day.Add(8*time.Hour + time.Duration(i)*time.Minute))
			if d == len(days)-1 {
				// today: its entries must not lie in the future.
				at := time.Now().Add(-20 * time.Minute)
				if at.Before(day) {
					at = day.Add(time.Minute)
				}
				clock.Set(at)
			}
			apptest.Open(t, c, reg, r.settings.Float)
			var paid []*regie.Payment
			for _, req := range r.payments(d) {
				p, err := c.RecordPayment(ctx, reg, req)
				if err != nil {
					t.Fatalf("%s day %d: %v", r.counter.Code, d, err)
				}
				paid = append(paid, p)
			}
			if d == 1 && i == 0 { // a cancellation, on its day
				if _, err := c.Cancel(ctx, reg, nil, paid[len(paid)-1].ID, regie.CancelReasons[0], "Erreur de montant"); err != nil {
					t.Fatal(err)
				}
			}
			if d == 2 && i == 0 { // a deposit of cash and of the day's cheques
				var checks []app.CheckRef
				for _, p := range paid {
					for k, tn := range p.Tenders {
						if tn.Mode == regie.Check {
							checks = append(checks, app.CheckRef{PaymentID: p.ID, Tender: k})
						}
					}
				}
				if _, err := c.Deposit(ctx, reg, app.DepositRequest{Cash: 20_00, Checks: checks, Reference: "VERS-2026-001"}); err != nil {
					t.Fatal(err)
				}
			}
			if d == len(days)-1 {
				break // today stays open
			}
			pre, err := c.PrepareClosing(ctx, app.ClosingRequest{})
			if err != nil {
				t.Fatal(err)
			}
			req := app.ClosingRequest{Count: countOf(pre.ExpectedCash)}
			if d == 2 && i == 0 { // a shortfall, explained
				req = app.ClosingRequest{Count: countOf(pre.ExpectedCash - 2_30), Comment: "Erreur de rendu de monnaie constatée au comptage."}
			}
			if _, err := c.Close(ctx, reg, req); err != nil {
				t.Fatalf("%s close day %d: %v", r.counter.Code, d, err)
			}
		}
		entries, err := c.JournalSince(ctx, 0, 100_000)
		if err != nil {
			t.Fatal(err)
		}
		servertest.Push(t, srv, r.counter.Regie, r.counter.Code, entries, time.Now())
	}
	bankWorld(t, srv)
}

// counter opens a counter file configured as c of régie s, with the demo's
// agents and ref, on clock.
func counter(t *testing.T, c regie.Counter, s regie.Regie, ref app.Reference, clock *apptest.Clock) *app.Counter {
	t.Helper()
	ctx := context.Background()
	st, err := appstore.Open(ctx, filepath.Join(t.TempDir(), "caisse-"+c.Code+".db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ct := app.New(app.Adapt(st), app.WithClock(clock.Now), app.WithLocation(apptest.Paris))
	if err := ct.Configure(ctx, c, s, agents(t)); err != nil {
		t.Fatal(err)
	}
	if err := ct.LoadReference(ctx, ref); err != nil {
		t.Fatal(err)
	}
	return ct
}

// agents are the demo's counter agents with cheap PIN hashes.
func agents(t *testing.T) []regie.Agent {
	h, err := app.HashPINCost(demo.RegisseurPIN, bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return []regie.Agent{{ID: "a-0001", Login: demo.RegisseurLogin, Name: "Marie Dupont", Role: regie.RoleRegisseur, PINHash: h, Active: true}}
}

// invoicePayments are a day's payments of demo invoices by households
// first..first+2, in several modes, each a part of an invoice (the demo
// régie allows partial payments).
func invoicePayments(day, first int) []app.PaymentRequest {
	on := func(h, inv int, tenders ...regie.Tender) app.PaymentRequest {
		var total regie.Money
		for _, tn := range tenders {
			total += tn.Amount
		}
		return app.PaymentRequest{HouseholdID: hid(first + h), Tenders: tenders,
			Allocations: []regie.Allocation{{InvoiceID: iid(first+h, inv), Amount: total}}}
	}
	return []app.PaymentRequest{
		on(0, day%3+1, regie.Tender{Mode: regie.Cash, Amount: 12_00, Tendered: 20_00, Change: 8_00}),
		on(1, day%3+1, regie.Tender{Mode: regie.Check, Amount: 15_40, CheckNumber: "00045" + string(rune('1'+day)), Bank: "Crédit Mutuel", Drawer: "M. Nguyen"}),
		on(2, day%3+1, regie.Tender{Mode: regie.Card, Amount: 9_60, Authorisation: "A1234" + string(rune('0'+day)), MaskedPAN: "497010******7890"}),
		on(0, (day+1)%3+1, regie.Tender{Mode: regie.Transfer, Amount: 5_00, Reference: "VIR-" + string(rune('A'+day))},
			regie.Tender{Mode: regie.Cash, Amount: 1_00}),
		on(1, (day+1)%3+1, regie.Tender{Mode: regie.HolidayCheck, Amount: 10_00, Count: 1}),
		on(2, (day+1)%3+1, regie.Tender{Mode: regie.CESU, Amount: 7_00, Count: 1}),
	}
}

// itemPayments are a day's anonymous sales of the pool's tickets.
func itemPayments(day int) []app.PaymentRequest {
	sale := func(code string, qty int, price regie.Money, tn regie.Tender) app.PaymentRequest {
		tn.Amount = price * regie.Money(qty)
		return app.PaymentRequest{Tenders: []regie.Tender{tn},
			Allocations: []regie.Allocation{{ItemCode: code, Quantity: qty, Amount: tn.Amount}}}
	}
	return []app.PaymentRequest{
		sale("PISC-ENT", 1+day, 4_20, regie.Tender{Mode: regie.Cash}),
		sale("PISC-10", 1, 38_00, regie.Tender{Mode: regie.Card, Authorisation: "B7788" + string(rune('0'+day)), MaskedPAN: "513100******4242"}),
		sale("PISC-RED", 2, 2_60, regie.Tender{Mode: regie.Check, CheckNumber: "77100" + string(rune('0'+day)), Bank: "La Banque Postale", Drawer: "Mme Ondine"}),
	}
}

func hid(n int) string      { return fmt.Sprintf("h-%04d", n) }
func iid(h, inv int) string { return fmt.Sprintf("i-%04d-%d", h, inv) }

func countOf(m regie.Money) regie.CashCount {
	count := regie.CashCount{}
	for _, d := range regie.Denominations {
		if n := m / d; n > 0 {
			count = append(count, regie.CashLine{Value: d, Count: int64(n)})
			m -= n * d
		}
	}
	return count
}
