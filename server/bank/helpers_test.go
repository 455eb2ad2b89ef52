package bank

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/servertest"
	"github.com/regie-fr/regie/server/store"
	"github.com/regie-fr/regie/server/store/storetest"
)

// env is the demo régie ENF on a real server file, with a second régie PIS
// that has an invoice of its own for the demo's first household.
type env struct {
	t   *testing.T
	st  *store.Store
	now time.Time
}

const enfIBAN = "FR7330001004900000012345005"

func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.DB(t, "serveur"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	servertest.Seed(t, st)
	e := &env{t: t, st: st, now: time.Date(2026, 12, 3, 9, 30, 0, 0, time.UTC)}
	e.update(func(tx *store.Tx) error {
		r := demo.Regie()
		r.Code, r.Name = "PIS", "Régie Piscine"
		r.BankAccounts = nil // its own account is not ENF's
		if err := tx.SaveRegie(&r, true); err != nil {
			return err
		}
		return tx.UpsertInvoice("PIS", &regie.Invoice{ID: "pis-1", Number: "PIS-2026-00001", HouseholdID: "h-0001",
			Label: "Piscine – abonnement", Amount: 25_00})
	})
	return e
}

func (e *env) update(fn func(tx *store.Tx) error) {
	e.t.Helper()
	if err := e.st.Update(context.Background(), fn); err != nil {
		e.t.Fatal(err)
	}
}

// importFile imports a file of testdata for a régie.
func (e *env) importFile(name, regieCode string) (*Report, error) {
	e.t.Helper()
	data := read(e.t, name)
	s, err := Parse(data)
	if err != nil {
		e.t.Fatal(err)
	}
	var rep *Report
	err = e.st.Update(context.Background(), func(tx *store.Tx) (err error) {
		rep, err = Record(tx, &Import{Regie: regieCode, StaffID: "s-0001", Filename: name, Data: data, Statement: s}, e.now)
		return err
	})
	return rep, err
}

func (e *env) invoice(id string) *store.InvoiceState {
	e.t.Helper()
	var inv *store.InvoiceState
	err := e.st.View(context.Background(), func(tx *store.Tx) (err error) {
		inv, err = tx.Invoice(id)
		return err
	})
	if err != nil || inv == nil {
		e.t.Fatalf("invoice %s: %v", id, err)
	}
	return inv
}

// payment is the payment the bank entry ref became, read from the journal
// of the régie's back-office counter.
func (e *env) payment(ref string) *regie.Payment {
	e.t.Helper()
	var p *regie.Payment
	err := e.st.View(context.Background(), func(tx *store.Tx) error {
		c, err := tx.CounterByCode("ENF", "GESTION")
		if err != nil || c == nil {
			return fmt.Errorf("no GESTION counter: %v", err)
		}
		p, err = tx.CounterHistory(c).Payment(ledger.PaymentID("ENF", ledger.SourceBank, ref))
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) entry(ref string) *store.BankEntry {
	e.t.Helper()
	var id string
	if err := e.st.QueryRow(`SELECT id FROM bank_entries WHERE ref = ?`, ref).Scan(&id); err != nil {
		e.t.Fatalf("entry %s: %v", ref, err)
	}
	var be *store.BankEntry
	err := e.st.View(context.Background(), func(tx *store.Tx) (err error) {
		be, err = tx.BankEntryByID([]string{"ENF"}, id)
		return err
	})
	if err != nil || be == nil {
		e.t.Fatalf("entry %s: %v", ref, err)
	}
	return be
}

// dump is every row of every table: two dumps are equal when nothing was
// written.
func (e *env) dump() string {
	e.t.Helper()
	s, err := e.st.Dump()
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// verify runs the server's verify: every chain, rule and projection.
func (e *env) verify() {
	e.t.Helper()
	reps, err := e.st.Verify(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range reps {
		if !r.OK() {
			e.t.Errorf("verify: %s", r)
		}
	}
}

func t0() context.Context { return context.Background() }
