package app_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/apptest"
	"github.com/regie-fr/regie/app/demo"
	"github.com/regie-fr/regie/app/store"
)

var paris = apptest.Paris

// fixture is a counter on a real SQLite file, seeded with the demo régie.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	c     *app.Counter
	st    *store.Store
	clock *apptest.Clock
	path  string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "caisse.db")
	clk := apptest.NewClock(time.Date(2026, 11, 27, 9, 0, 0, 0, paris))
	c, st := apptest.Counter(t, path, app.WithClock(clk.Now), app.WithLocation(paris))
	return &fixture{t: t, ctx: context.Background(), c: c, st: st, clock: clk, path: path}
}

func (f *fixture) login(login, pin string) *app.Auth {
	f.t.Helper()
	a, err := f.c.Login(f.ctx, login, pin)
	if err != nil {
		f.t.Fatalf("login %s: %v", login, err)
	}
	return a
}

func (f *fixture) regisseur() *app.Auth  { return f.login(demo.RegisseurLogin, demo.RegisseurPIN) }
func (f *fixture) mandataire() *app.Auth { return f.login(demo.MandataireLogin, demo.MandatairePIN) }

// open opens today's till with a 150 € float.
func (f *fixture) open(a *app.Auth) *regie.TillSession {
	f.t.Helper()
	s, err := f.c.OpenSession(f.ctx, a, nil, 150_00)
	if err != nil {
		f.t.Fatalf("open session: %v", err)
	}
	return s
}

func (f *fixture) pay(a *app.Auth, req app.PaymentRequest) *regie.Payment {
	f.t.Helper()
	p, err := f.c.RecordPayment(f.ctx, a, req)
	if err != nil {
		f.t.Fatalf("record payment: %v", err)
	}
	return p
}

// wantCode asserts that err carries the domain code want.
func wantCode(t *testing.T, err error, want regie.ErrorCode) {
	t.Helper()
	var e *regie.Error
	if !errors.As(err, &e) {
		t.Fatalf("want error %s, got %v", want, err)
	}
	if e.Code != want {
		t.Fatalf("want error %s, got %s (%s)", want, e.Code, e.Message)
	}
	if e.Message == "" {
		t.Fatalf("error %s has no message", want)
	}
}

// cash pays amount in cash on one invoice of the demo's first household.
func cashOn(invoice string, amount regie.Money) app.PaymentRequest {
	return app.PaymentRequest{
		HouseholdID: "h-0001",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: amount}},
		Allocations: []regie.Allocation{{InvoiceID: invoice, Amount: amount}},
	}
}

// on is the fixture reporting to t, for subtests that share one fixture.
func (f *fixture) on(t *testing.T) *fixture {
	g := *f
	g.t = t
	return &g
}

// setDay moves the clock to 9 a.m., Paris time, on day (YYYY-MM-DD).
func (f *fixture) setDay(day string) {
	f.t.Helper()
	d, err := time.ParseInLocation(time.DateOnly, day, paris)
	if err != nil {
		f.t.Fatal(err)
	}
	f.clock.Set(d.Add(9 * time.Hour))
}

// openWith opens today's till with a float of total.
func (f *fixture) openWith(a *app.Auth, total regie.Money) *regie.TillSession {
	f.t.Helper()
	s, err := f.c.OpenSession(f.ctx, a, nil, total)
	if err != nil {
		f.t.Fatalf("open session: %v", err)
	}
	return s
}

// mark is the journal's head and the year's last receipt number: what a
// refusal must leave as it found it.
type mark struct {
	seq     int64
	receipt int
}

func (f *fixture) mark() mark {
	f.t.Helper()
	var m mark
	err := f.st.View(f.ctx, func(tx *store.Tx) error {
		e, err := tx.LastEntry()
		if err != nil {
			return err
		} else if e != nil {
			m.seq = e.Seq
		}
		m.receipt, err = tx.LastReceiptNumber(f.clock.Peek().In(paris).Year())
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

// refused asserts that err is the domain error want and that nothing was
// recorded since m.
func (f *fixture) refused(err error, want regie.ErrorCode, m mark) {
	f.t.Helper()
	wantCode(f.t, err, want)
	if got := f.mark(); got != m {
		f.t.Fatalf("refusal %s recorded something: before %+v, after %+v", want, m, got)
	}
}

// probe sells a photocopy and asserts that it gets the receipt number right
// after m's and the next journal entry: the numbering has no gap. It is
// paid by transfer, so that it changes neither the cash, the cheques nor
// the card total.
func (f *fixture) probe(a *app.Auth, m mark) *regie.Payment {
	f.t.Helper()
	p := f.pay(a, app.PaymentRequest{HouseholdID: "h-0006",
		Tenders:     []regie.Tender{{Mode: regie.Transfer, Amount: 20, Reference: "VIR-PROBE"}},
		Allocations: []regie.Allocation{{ItemCode: "PHOTOCOP", Amount: 20}}})
	if want := regie.ReceiptNumber("ENF", "C01", f.clock.Peek().In(paris).Year(), m.receipt+1); p.Receipt != want {
		f.t.Fatalf("receipt %s, want %s", p.Receipt, want)
	}
	if got := f.mark(); got.seq != m.seq+1 {
		f.t.Fatalf("journal at %d after one payment from %d", got.seq, m.seq)
	}
	return p
}

// countOf is a billetage worth exactly m, largest denominations first.
func countOf(m regie.Money) regie.CashCount {
	var c regie.CashCount
	for _, d := range regie.Denominations {
		if n := m / d; n > 0 {
			c = append(c, regie.CashLine{Value: d, Count: int64(n)})
			m -= n * d
		}
	}
	return c
}

// closeExact closes the open day counting exactly the expected cash.
func (f *fixture) closeExact(a *app.Auth, req app.ClosingRequest) *regie.Closing {
	f.t.Helper()
	pre, err := f.c.PrepareClosing(f.ctx, req)
	if err != nil {
		f.t.Fatalf("prepare closing: %v", err)
	}
	req.Count = countOf(pre.ExpectedCash)
	cl, err := f.c.Close(f.ctx, a, req)
	if err != nil {
		f.t.Fatalf("close: %v", err)
	}
	return cl
}

// remaining is what the household still owes on invoice, 0 once settled.
func (f *fixture) remaining(household, invoice string) regie.Money {
	f.t.Helper()
	open, err := f.c.OpenInvoices(f.ctx, household)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, inv := range open {
		if inv.ID == invoice {
			return inv.Remaining
		}
	}
	return 0
}

func cheque(amount regie.Money, number string) regie.Tender {
	return regie.Tender{Mode: regie.Check, Amount: amount, CheckNumber: number, Bank: "La Banque Postale", Drawer: "Karim Benali"}
}

func card(amount regie.Money) regie.Tender {
	return regie.Tender{Mode: regie.Card, Amount: amount, Authorisation: "A12345", MaskedPAN: "497010******7890"}
}

// item sells qty of a catalogue item at price.
func item(code string, qty int, price regie.Money) regie.Allocation {
	return regie.Allocation{ItemCode: code, Quantity: qty, Amount: price * regie.Money(qty)}
}

// cashFor pays amount in cash on invoice of household.
func cashFor(household, invoice string, amount regie.Money) app.PaymentRequest {
	req := cashOn(invoice, amount)
	req.HouseholdID = household
	return req
}

// lastEntry is the journal's head.
func (f *fixture) lastEntry() *regie.Entry {
	f.t.Helper()
	var e *regie.Entry
	err := f.st.View(f.ctx, func(tx *store.Tx) error {
		var err error
		e, err = tx.LastEntry()
		return err
	})
	if err != nil || e == nil {
		f.t.Fatalf("last entry: %v %v", e, err)
	}
	return e
}
