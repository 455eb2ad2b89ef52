package app_test

import (
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
)

// TestDeposit hands cash and cheques to the comptable and checks what may
// not be handed over.
func TestDeposit(t *testing.T) {
	f := newFixture(t)
	reg, agent := f.regisseur(), f.mandataire()
	m := f.mark()
	_, err := f.c.Deposit(f.ctx, reg, app.DepositRequest{Cash: 10_00})
	f.refused(err, regie.ENoSession, m)

	f.open(agent) // float 150 €
	f.pay(agent, cashFor("h-0001", "i-0001-1", 61_60))
	split := f.pay(agent, app.PaymentRequest{HouseholdID: "h-0001",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 20_00}, cheque(30_00, "0005001")},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-3", Amount: 50_00}}})
	kept := f.pay(agent, app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{cheque(32_00, "0005002")},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-2", Amount: 32_00}}})
	bounced := f.pay(agent, app.PaymentRequest{HouseholdID: "h-0002", Tenders: []regie.Tender{cheque(61_60, "0005003")},
		Allocations: []regie.Allocation{{InvoiceID: "i-0002-1", Amount: 61_60}}})
	if _, err := f.c.Cancel(f.ctx, reg, nil, bounced.ID, regie.CancelReasons[3], ""); err != nil {
		t.Fatal(err)
	}
	const till regie.Money = 150_00 + 61_60 + 20_00
	splitCheque := app.CheckRef{PaymentID: split.ID, Tender: 1}

	refusals := []struct {
		name string
		auth *app.Auth
		req  app.DepositRequest
		want regie.ErrorCode
	}{
		{"by a mandataire", agent, app.DepositRequest{Cash: 10_00}, regie.EForbidden},
		{"more cash than the till holds", reg, app.DepositRequest{Cash: till + 1}, regie.EDepositTooLarge},
		{"count above the till", reg, app.DepositRequest{Count: regie.CashCount{{Value: 200_00, Count: 2}}}, regie.EDepositTooLarge},
		{"negative cash", reg, app.DepositRequest{Cash: -10_00}, regie.EInvalidAmount},
		{"unknown denomination", reg, app.DepositRequest{Count: regie.CashCount{{Value: 7_00, Count: 1}}}, regie.EUnknownDenom},
		{"nothing", reg, app.DepositRequest{Reference: "VERS-0"}, regie.ENothingToDeposit},
		{"cheque of a cancelled payment", reg, app.DepositRequest{Checks: []app.CheckRef{{PaymentID: bounced.ID}}}, regie.ECheckNotHeld},
		{"cash tender as a cheque", reg, app.DepositRequest{Checks: []app.CheckRef{{PaymentID: split.ID, Tender: 0}}}, regie.ECheckNotHeld},
		{"unknown cheque", reg, app.DepositRequest{Checks: []app.CheckRef{{PaymentID: "0193a1c2-0000-7000-8000-0000000000cc"}}}, regie.ECheckNotHeld},
		{"the same cheque twice", reg, app.DepositRequest{Checks: []app.CheckRef{splitCheque, splitCheque}}, regie.ECheckNotHeld},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			m := f.mark()
			_, err := f.c.Deposit(f.ctx, tc.auth, tc.req)
			f.refused(err, tc.want, m)
			f.probe(agent, m)
		})
	}

	t.Run("cash and a cheque", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		d, err := f.c.Deposit(f.ctx, reg, app.DepositRequest{Count: regie.CashCount{{Value: 50_00, Count: 2}},
			Checks: []app.CheckRef{splitCheque}, Reference: "  VERS-2026-001 "})
		if err != nil {
			t.Fatal(err)
		}
		if d.Cash != 100_00 || d.Total != 130_00 || d.Reference != "VERS-2026-001" || d.Agent != "a-0001" || d.Day != "2026-11-27" ||
			len(d.Checks) != 1 || d.Checks[0].Number != "0005001" || d.Checks[0].Receipt != split.Receipt {
			t.Fatalf("deposit %+v", d)
		}
		if e := f.lastEntry(); e.Kind != regie.KindDeposit || e.ID != d.ID || e.Seq != m.seq+1 {
			t.Fatalf("journal head %d %s", e.Seq, e.Kind)
		}
		pre, err := f.c.PrepareClosing(f.ctx, app.ClosingRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if pre.CashDeposited != 100_00 || pre.ExpectedCash != till-100_00 {
			t.Fatalf("after the deposit: deposited %s, expected %s", pre.CashDeposited, pre.ExpectedCash)
		}
		if len(pre.Checks) != 1 || pre.Checks[0].PaymentID != kept.ID {
			t.Fatalf("bordereau after the deposit: %+v", pre.Checks)
		}
		h, err := f.c.Holdings(f.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if h.CashInTill != till-100_00 || h.ChecksTotal != 32_00 || len(h.Checks) != 1 || h.Held != 32_00 ||
			h.LastDeposit != "2026-11-27" || len(h.Warnings) != 0 {
			t.Fatalf("holdings %+v", h)
		}
	})
	t.Run("cheque already deposited", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		_, err := f.c.Deposit(f.ctx, reg, app.DepositRequest{Checks: []app.CheckRef{splitCheque}})
		f.refused(err, regie.ECheckNotHeld, m)
	})
	t.Run("cancelling a payment whose cheque was deposited", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		_, err := f.c.Cancel(f.ctx, reg, nil, split.ID, regie.CancelReasons[0], "")
		f.refused(err, regie.ECheckDeposited, m)
		if _, cancel, err := f.c.Payment(f.ctx, split.ID); err != nil || cancel != nil {
			t.Fatalf("payment cancelled anyway: %+v %v", cancel, err)
		}
	})
	t.Run("the whole till, then a cent more", func(t *testing.T) {
		f := f.on(t)
		if _, err := f.c.Deposit(f.ctx, reg, app.DepositRequest{Cash: till - 100_00}); err != nil {
			t.Fatal(err)
		}
		m := f.mark()
		_, err := f.c.Deposit(f.ctx, reg, app.DepositRequest{Cash: 1})
		f.refused(err, regie.EDepositTooLarge, m)
		if cl := f.closeExact(reg, app.ClosingRequest{}); cl.ExpectedCash != 0 || cl.CashDeposited != till {
			t.Fatalf("closing after depositing everything: %+v", cl)
		}
	})
}

// warned lists the codes of the holdings' warnings.
func (f *fixture) warned() map[string]bool {
	f.t.Helper()
	h, err := f.c.Holdings(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string]bool{}
	for _, w := range h.Warnings {
		if w.Message == "" {
			f.t.Fatalf("warning %s without message", w.Code)
		}
		out[w.Code] = true
	}
	return out
}

// TestCeilingWarning fills the till above the demo's 3 000 € plafond
// d'encaisse with cheques, then cash, deposits back under it, and moves the
// plafond to the amount held.
func TestCeilingWarning(t *testing.T) {
	f := newFixture(t)
	reg := f.regisseur()
	f.open(reg)
	f.pay(reg, app.PaymentRequest{Tenders: []regie.Tender{cheque(2964_00, "0006001")},
		Allocations: []regie.Allocation{item("PISC-10", 78, 38_00)}})
	var extra *regie.Payment
	for _, tc := range []struct {
		name string
		do   func(*fixture)
		want bool
	}{
		{"2 964 € held", func(*fixture) {}, false},
		{"a cheque more: 3 002 €", func(f *fixture) {
			extra = f.pay(reg, app.PaymentRequest{Tenders: []regie.Tender{cheque(38_00, "0006002")},
				Allocations: []regie.Allocation{item("PISC-10", 1, 38_00)}})
		}, true},
		{"that cheque deposited", func(f *fixture) { f.deposit(reg, app.DepositRequest{Checks: []app.CheckRef{{PaymentID: extra.ID}}}) }, false},
		{"cash above the float: 3 002 €", func(f *fixture) { f.pay(reg, cashFor("h-0002", "i-0002-3", 38_00)) }, true},
		{"that cash deposited: the float is not held", func(f *fixture) { f.deposit(reg, app.DepositRequest{Cash: 38_00}) }, false},
		{"held equal to a lower plafond", func(f *fixture) {
			r := demo.Regie()
			r.CashCeiling = 2964_00
			if err := f.c.Configure(f.ctx, demo.Counter(), r, nil); err != nil {
				f.t.Fatal(err)
			}
		}, false},
		{"a cent above it", func(f *fixture) {
			f.pay(reg, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 20}},
				Allocations: []regie.Allocation{item("PHOTOCOP", 1, 20)}})
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			tc.do(f)
			if got := f.warned(); got[app.WarnCeiling] != tc.want || got[app.WarnDepositPeriod] {
				t.Fatalf("warnings %v, want ceiling=%v", got, tc.want)
			}
		})
	}
}

func (f *fixture) deposit(a *app.Auth, req app.DepositRequest) *regie.Deposit {
	f.t.Helper()
	d, err := f.c.Deposit(f.ctx, a, req)
	if err != nil {
		f.t.Fatalf("deposit: %v", err)
	}
	return d
}

// TestDepositPeriodWarning opens and closes the till day after day: the
// warning comes once the last deposit (or, without one, the counter's first
// day) is more than 7 days old and takings are held.
func TestDepositPeriodWarning(t *testing.T) {
	days := []string{"2026-11-28", "2026-11-30", "2026-12-02", "2026-12-04", "2026-12-05", "2026-12-07"}
	for _, tc := range []struct {
		name      string
		deposited regie.Money
	}{{"after a deposit", 10_00}, {"never deposited", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			reg := f.regisseur()
			f.open(reg)
			f.pay(reg, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 20_00}},
				Allocations: []regie.Allocation{item("CARTE-REP", 4, 5_00)}})
			if tc.deposited > 0 {
				f.deposit(reg, app.DepositRequest{Cash: tc.deposited})
			}
			counted := f.closeExact(reg, app.ClosingRequest{}).CountedCash
			for _, day := range days {
				f.setDay(day)
				f.openWith(reg, counted)
				if got, want := f.warned()[app.WarnDepositPeriod], day > "2026-12-04"; got != want {
					t.Fatalf("%s: deposit period warning %v, want %v", day, got, want)
				}
				counted = f.closeExact(reg, app.ClosingRequest{}).CountedCash
				h, err := f.c.Holdings(f.ctx)
				if err != nil || h.CashInTill != counted || h.Held != 20_00-tc.deposited {
					t.Fatalf("%s closed: holdings %+v %v", day, h, err)
				}
			}
			f.setDay("2026-12-08")
			f.openWith(reg, counted)
			f.deposit(reg, app.DepositRequest{Cash: 20_00 - tc.deposited})
			if got := f.warned(); len(got) != 0 {
				t.Fatalf("warnings after depositing every taking: %v", got)
			}
		})
	}
}
