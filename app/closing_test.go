package app_test

import (
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

func money(m regie.Money) *regie.Money { return &m }

// TestClosing runs a day with every kind of movement, then checks the
// arrêté's refusals and figures.
func TestClosing(t *testing.T) {
	f := newFixture(t)
	reg, agent := f.regisseur(), f.mandataire()
	f.open(agent) // float 150 €
	f.pay(agent, app.PaymentRequest{HouseholdID: "h-0001",
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 61_60, Tendered: 100_00, Change: 38_40}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 61_60}}})
	chq := f.pay(agent, app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{cheque(32_00, "0008801")},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-2", Amount: 32_00}}})
	f.pay(agent, app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{card(50_00)},
		Allocations: []regie.Allocation{{InvoiceID: "i-0001-3", Amount: 50_00}}})
	cashBack := f.pay(agent, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 20_00}},
		Allocations: []regie.Allocation{item("CARTE-REP", 4, 5_00)}})
	cardBack := f.pay(agent, app.PaymentRequest{Tenders: []regie.Tender{card(4_20)},
		Allocations: []regie.Allocation{item("PISC-ENT", 1, 4_20)}})
	f.pay(agent, app.PaymentRequest{HouseholdID: "h-0002",
		Tenders:     []regie.Tender{{Mode: regie.HolidayCheck, Amount: 61_60, Count: 4}},
		Allocations: []regie.Allocation{{InvoiceID: "i-0002-1", Amount: 61_60}}})
	for _, p := range []*regie.Payment{cashBack, cardBack} {
		if _, err := f.c.Cancel(f.ctx, reg, nil, p.ID, regie.CancelReasons[0], ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.c.Deposit(f.ctx, reg, app.DepositRequest{Cash: 50_00}); err != nil {
		t.Fatal(err)
	}
	// 150 float + 81,60 cash in − 20 refunded − 50 deposited
	const expected regie.Money = 161_60
	exact := countOf(expected)

	for _, tc := range []struct {
		name string
		auth *app.Auth
		req  app.ClosingRequest
		want regie.ErrorCode
	}{
		{"by a mandataire", agent, app.ClosingRequest{Count: exact}, regie.EForbidden},
		{"unknown denomination", reg, app.ClosingRequest{Count: regie.CashCount{{Value: 3_00, Count: 1}}}, regie.EUnknownDenom},
		{"denomination twice", reg, app.ClosingRequest{Count: regie.CashCount{{Value: 10_00, Count: 1}, {Value: 10_00, Count: 2}}}, regie.EDuplicateDenom},
		{"negative count", reg, app.ClosingRequest{Count: regie.CashCount{{Value: 10_00, Count: -1}}}, regie.EInvalid},
		{"shortfall without comment", reg, app.ClosingRequest{Count: countOf(expected - 10)}, regie.ECommentRequired},
		{"surplus without comment", reg, app.ClosingRequest{Count: countOf(expected + 5_00)}, regie.ECommentRequired},
		{"shortfall with a blank comment", reg, app.ClosingRequest{Count: countOf(expected - 10), Comment: " \t"}, regie.ECommentRequired},
		{"card total off the terminal's", reg, app.ClosingRequest{Count: exact, TerminalTotal: money(54_20)}, regie.ECommentRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			m := f.mark()
			_, err := f.c.Close(f.ctx, tc.auth, tc.req)
			f.refused(err, tc.want, m)
			if tc.want == regie.EUnknownDenom || tc.want == regie.EDuplicateDenom {
				_, err := f.c.PrepareClosing(f.ctx, tc.req)
				wantCode(t, err, tc.want)
			}
			f.probe(agent, m)
		})
	}

	t.Run("close", func(t *testing.T) {
		f := f.on(t)
		// the probes above each sold a 0,20 € photocopy by transfer
		figures, err := f.c.DayFigures(f.ctx, f.c.Today())
		if err != nil {
			t.Fatal(err)
		}
		m := f.mark()
		pre, err := f.c.PrepareClosing(f.ctx, app.ClosingRequest{Count: exact})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.mark(); got != m {
			t.Fatalf("PrepareClosing recorded something: %+v → %+v", m, got)
		}
		if pre.Float != 150_00 || pre.CashReceived != 81_60 || pre.CashRefunded != 20_00 || pre.CashDeposited != 50_00 ||
			pre.ExpectedCash != expected || pre.CountedCash != expected || pre.Difference != 0 {
			t.Fatalf("prepared closing %+v", pre)
		}
		cl, err := f.c.Close(f.ctx, reg, app.ClosingRequest{Count: exact, TerminalTotal: money(50_00)})
		if err != nil {
			t.Fatal(err)
		}
		want := regie.ModeTotals{regie.Cash: 61_60, regie.Check: 32_00, regie.Card: 50_00, regie.HolidayCheck: 61_60,
			regie.Transfer: regie.Money(figures.Payments-6) * 20}
		if !cl.Totals.Equal(want) || !cl.GrandTotals.Equal(want) || cl.CardTotal != 50_00 || cl.Difference != 0 {
			t.Fatalf("totals %v grand %v card %s difference %s", cl.Totals, cl.GrandTotals, cl.CardTotal, cl.Difference)
		}
		if cl.Day != "2026-11-27" || cl.Agent != "a-0001" || cl.Cancellations != 2 || cl.Payments != figures.Payments ||
			cl.FirstReceipt != "R-ENF-C01-2026-000001" || cl.LastReceipt != regie.ReceiptNumber("ENF", "C01", 2026, figures.Payments) {
			t.Fatalf("closing %+v", cl)
		}
		if len(cl.Checks) != 1 || cl.Checks[0].PaymentID != chq.ID || cl.Checks[0].Amount != 32_00 || cl.Checks[0].Number != "0008801" {
			t.Fatalf("bordereau %+v", cl.Checks)
		}
		if e := f.lastEntry(); e.Kind != regie.KindClosing || e.ID != cl.ID || e.Seq != m.seq+1 {
			t.Fatalf("journal head %d %s", e.Seq, e.Kind)
		}
	})
}

// TestGrandTotals closes three days across a month's end: grand totals
// accumulate and each month sums its own days.
func TestGrandTotals(t *testing.T) {
	f := newFixture(t)
	reg := f.regisseur()
	sup := f.login("jmartin", "2345")
	days := []struct {
		day     string
		tenders []regie.Tender
		allocs  []regie.Allocation
		short   regie.Money
		grand   regie.ModeTotals
	}{
		{"2026-11-27", []regie.Tender{{Mode: regie.Cash, Amount: 20_00}, cheque(38_00, "0009001")},
			[]regie.Allocation{item("CARTE-REP", 4, 5_00), item("PISC-10", 1, 38_00)}, 0,
			regie.ModeTotals{regie.Cash: 20_00, regie.Check: 38_00}},
		{"2026-11-28", []regie.Tender{{Mode: regie.Cash, Amount: 10_00}, card(4_20)},
			[]regie.Allocation{item("CARTE-REP", 2, 5_00), item("PISC-ENT", 1, 4_20)}, 10,
			regie.ModeTotals{regie.Cash: 30_00, regie.Check: 38_00, regie.Card: 4_20}},
		{"2026-12-01", []regie.Tender{{Mode: regie.Cash, Amount: 5_00}},
			[]regie.Allocation{item("CARTE-REP", 1, 5_00)}, 0,
			regie.ModeTotals{regie.Cash: 35_00, regie.Check: 38_00, regie.Card: 4_20}},
	}
	float := regie.Money(150_00)
	for _, d := range days {
		t.Run(d.day, func(t *testing.T) {
			f := f.on(t)
			f.setDay(d.day)
			f.openWith(reg, float)
			f.pay(sup, app.PaymentRequest{Tenders: d.tenders, Allocations: d.allocs})
			pre, err := f.c.PrepareClosing(f.ctx, app.ClosingRequest{})
			if err != nil {
				t.Fatal(err)
			}
			if pre.ExpectedCash != float+d.tenders[0].Amount {
				t.Fatalf("expected cash %s with a float of %s", pre.ExpectedCash, float)
			}
			cl, err := f.c.Close(f.ctx, sup, app.ClosingRequest{Count: countOf(pre.ExpectedCash - d.short), Comment: "Écart constaté"})
			if err != nil {
				t.Fatal(err)
			}
			if cl.Day != d.day || cl.Difference != -d.short || !cl.GrandTotals.Equal(d.grand) || cl.Agent != "a-0002" {
				t.Fatalf("closing of %s: difference %s grand totals %v", cl.Day, cl.Difference, cl.GrandTotals)
			}
			float = cl.CountedCash // the till is counted again when it opens
		})
	}
	for _, tc := range []struct {
		month string
		days  int
		want  regie.ModeTotals
	}{
		{"2026-10", 0, regie.ModeTotals{}},
		{"2026-11", 2, regie.ModeTotals{regie.Cash: 30_00, regie.Check: 38_00, regie.Card: 4_20}},
		{"2026-12", 1, regie.ModeTotals{regie.Cash: 5_00}},
	} {
		t.Run("month "+tc.month, func(t *testing.T) {
			totals, closings, err := f.c.MonthTotals(f.ctx, tc.month)
			if err != nil || len(closings) != tc.days || !totals.Equal(tc.want) {
				t.Fatalf("month %s: %v over %d days, want %v over %d (%v)", tc.month, totals, len(closings), tc.want, tc.days, err)
			}
		})
	}
}

// TestSessions walks the till through its days, one step after another:
// what may be opened, cashed and closed when.
func TestSessions(t *testing.T) {
	f := newFixture(t)
	reg, agent := f.regisseur(), f.mandataire()
	pay := func(f *fixture) error {
		_, err := f.c.RecordPayment(f.ctx, agent, app.PaymentRequest{
			Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 4_20}}, Allocations: []regie.Allocation{item("PISC-ENT", 1, 4_20)}})
		return err
	}
	open := func(f *fixture) error { _, err := f.c.OpenSession(f.ctx, agent, nil, 150_00); return err }
	closeDay := func(f *fixture) error {
		_, err := f.c.Close(f.ctx, reg, app.ClosingRequest{Count: countOf(150_00)})
		return err
	}
	steps := []struct {
		name string
		day  string
		do   func(*fixture) error
		want regie.ErrorCode // "" when the step must succeed
	}{
		{"payment before the till opens", "2026-11-27", pay, regie.ENoSession},
		{"closing before the till opens", "", closeDay, regie.ENoSession},
		{"negative float", "", func(f *fixture) error { _, err := f.c.OpenSession(f.ctx, agent, nil, -1); return err }, regie.EInvalidAmount},
		{"float with an unknown coin", "", func(f *fixture) error {
			_, err := f.c.OpenSession(f.ctx, agent, regie.CashCount{{Value: 3, Count: 1}}, 0)
			return err
		}, regie.EUnknownDenom},
		{"open", "", open, ""},
		{"open twice", "", open, regie.ESessionOpen},
		{"payment", "", pay, ""},
		{"cancel, then close with the float only", "", func(f *fixture) error {
			day, err := f.c.DayJournal(f.ctx, "2026-11-27")
			if err != nil {
				return err
			}
			if _, err := f.c.Cancel(f.ctx, reg, nil, day[len(day)-1].ID, regie.CancelReasons[0], ""); err != nil {
				return err
			}
			return closeDay(f)
		}, ""},
		{"payment on the closed day", "", pay, regie.EDayClosed},
		{"reopen on the closed day", "", open, regie.EDayClosed},
		{"close twice", "", closeDay, regie.ENoSession},
		{"deposit on the closed day", "", func(f *fixture) error {
			_, err := f.c.Deposit(f.ctx, reg, app.DepositRequest{Cash: 10_00})
			return err
		}, regie.EDayClosed},
		{"open the next day", "2026-11-28", open, ""},
		{"payment the next day", "", pay, ""},
		{"payment the day after, yesterday not closed", "2026-11-29", pay, regie.ENoSession},
		{"open the day after, yesterday not closed", "", open, regie.ESessionOpen},
		{"close yesterday late", "", func(f *fixture) error {
			_, err := f.c.Close(f.ctx, reg, app.ClosingRequest{Count: countOf(154_20)})
			return err
		}, ""},
		{"open after closing yesterday", "", open, ""},
		{"payment after closing yesterday", "", pay, ""},
	}
	for _, s := range steps {
		ok := t.Run(s.name, func(t *testing.T) {
			f := f.on(t)
			if s.day != "" {
				f.setDay(s.day)
			}
			m := f.mark()
			err := s.do(f)
			if s.want != "" {
				f.refused(err, s.want, m)
			} else if err != nil {
				t.Fatal(err)
			}
		})
		if !ok {
			return
		}
	}
	st, err := f.c.Till(f.ctx)
	if err != nil || !st.Open || st.Today != "2026-11-29" || st.Session.Day != "2026-11-29" {
		t.Fatalf("till at the end: %+v %v", st, err)
	}
	totals, closings, err := f.c.MonthTotals(f.ctx, "2026-11")
	if err != nil || len(closings) != 2 || closings[1].Day != "2026-11-28" || !totals.Equal(regie.ModeTotals{regie.Cash: 4_20}) {
		t.Fatalf("November: %v %+v %v", totals, closings, err)
	}
	year, yc, err := f.c.YearTotals(f.ctx, "2026")
	if err != nil || len(yc) != 2 || !year.Equal(totals) {
		t.Fatalf("2026: %v %d closings %v", year, len(yc), err)
	}
	if none, nc, err := f.c.YearTotals(f.ctx, "2025"); err != nil || len(nc) != 0 || none.Total() != 0 {
		t.Fatalf("2025: %v %d closings %v", none, len(nc), err)
	}
	if got := f.mark().receipt; got != 3 {
		t.Fatalf("%d receipts given, want 3", got)
	}
}
