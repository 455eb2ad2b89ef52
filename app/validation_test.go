package app_test

import (
	"slices"
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
	"github.com/regie-fr/regie/app/demo"
)

// TestPaymentRefused feeds the counter payments that break one rule each:
// every one is refused with its code, nothing is journaled and the next
// receipt number follows the last one given.
func TestPaymentRefused(t *testing.T) {
	f := newFixture(t)
	// This régie's acte constitutif leaves direct debits out.
	r := demo.Regie()
	r.Modes = slices.DeleteFunc(r.Modes, func(m regie.PaymentMode) bool { return m == regie.DirectDebit })
	if err := f.c.Configure(f.ctx, demo.Counter(), r, nil); err != nil {
		t.Fatal(err)
	}
	agent := f.mandataire()
	f.open(agent)

	onInvoice := func(tenders ...regie.Tender) app.PaymentRequest {
		return app.PaymentRequest{HouseholdID: "h-0001", Tenders: tenders,
			Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 61_60}}}
	}
	sale := func(alloc regie.Allocation, tenders ...regie.Tender) app.PaymentRequest {
		return app.PaymentRequest{Tenders: tenders, Allocations: []regie.Allocation{alloc}}
	}
	chq := cheque(61_60, "0004521")
	for _, tc := range []struct {
		name string
		req  app.PaymentRequest
		want regie.ErrorCode
	}{
		{"direct debit not in the régie's modes", onInvoice(regie.Tender{Mode: regie.DirectDebit, Amount: 61_60, Reference: "PRLV-1"}), regie.EModeNotAllowed},
		{"online at a counter", onInvoice(regie.Tender{Mode: regie.Online, Amount: 61_60, Reference: "PAYFIP-1"}), regie.EModeNotAllowed},
		{"unknown mode", onInvoice(regie.Tender{Mode: "bitcoin", Amount: 61_60}), regie.EModeNotAllowed},
		{"cash over 300 €", sale(item("PISC-10", 8, 38_00), regie.Tender{Mode: regie.Cash, Amount: 304_00}), regie.ECashLimit},
		{"cash part of a split tender over 300 €", sale(item("PISC-10", 10, 38_00),
			regie.Tender{Mode: regie.Cash, Amount: 300_01}, cheque(79_99, "0000001")), regie.ECashLimit},
		{"two cash tenders over 300 € together", sale(item("PISC-10", 8, 38_00),
			regie.Tender{Mode: regie.Cash, Amount: 200_00}, regie.Tender{Mode: regie.Cash, Amount: 104_00}), regie.ECashLimit},
		{"no tender", onInvoice(), regie.EAmountNotPositive},
		{"tender of zero", onInvoice(regie.Tender{Mode: regie.Cash, Amount: 0}, chq), regie.EAmountNotPositive},
		{"negative tender", onInvoice(regie.Tender{Mode: regie.Cash, Amount: -10_00}, cheque(71_60, "0004522")), regie.EAmountNotPositive},
		{"allocation of zero", app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 61_60}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 61_60}, {InvoiceID: "i-0001-2", Amount: 0}}}, regie.EAmountNotPositive},
		{"negative allocation", app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 51_60}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 61_60}, {InvoiceID: "i-0001-2", Amount: -10_00}}}, regie.EAmountNotPositive},
		{"tenders below allocations", onInvoice(regie.Tender{Mode: regie.Cash, Amount: 50_00}), regie.ETenderMismatch},
		{"tenders above allocations", onInvoice(regie.Tender{Mode: regie.Cash, Amount: 61_60}, cheque(10_00, "0004523")), regie.ETenderMismatch},
		{"change on a cheque", onInvoice(regie.Tender{Mode: regie.Check, Amount: 61_60, Tendered: 70_00, Change: 8_40,
			CheckNumber: "0004524", Bank: "CIC", Drawer: "Hélène Lefèvre"}), regie.EChangeNotCash},
		{"change on a card", onInvoice(regie.Tender{Mode: regie.Card, Amount: 61_60, Change: 1_00, Authorisation: "A1"}), regie.EChangeNotCash},
		{"cash tendered below the amount", onInvoice(regie.Tender{Mode: regie.Cash, Amount: 61_60, Tendered: 50_00}), regie.EInvalidAmount},
		{"wrong change", onInvoice(regie.Tender{Mode: regie.Cash, Amount: 61_60, Tendered: 70_00, Change: 10_00}), regie.EInvalidAmount},
		{"negative change", onInvoice(regie.Tender{Mode: regie.Cash, Amount: 61_60, Tendered: 60_60, Change: -1_00}), regie.EInvalidAmount},
		{"change without tendered", onInvoice(regie.Tender{Mode: regie.Cash, Amount: 61_60, Change: 5_00}), regie.EInvalidAmount},
		{"cheque without number", onInvoice(regie.Tender{Mode: regie.Check, Amount: 61_60, Bank: "CIC", Drawer: "H. Lefèvre"}), regie.ECheckDetails},
		{"cheque with a blank number", onInvoice(regie.Tender{Mode: regie.Check, Amount: 61_60, CheckNumber: "  ", Bank: "CIC", Drawer: "H. Lefèvre"}), regie.ECheckDetails},
		{"cheque without bank", onInvoice(regie.Tender{Mode: regie.Check, Amount: 61_60, CheckNumber: "1", Drawer: "H. Lefèvre"}), regie.ECheckDetails},
		{"cheque without drawer", onInvoice(regie.Tender{Mode: regie.Check, Amount: 61_60, CheckNumber: "1", Bank: "CIC"}), regie.ECheckDetails},
		{"card without authorisation", onInvoice(regie.Tender{Mode: regie.Card, Amount: 61_60, MaskedPAN: "497010******7890"}), regie.ECardDetails},
		{"card with the full number", onInvoice(regie.Tender{Mode: regie.Card, Amount: 61_60, Authorisation: "A1", MaskedPAN: "4970101234567890"}), regie.ECardDetails},
		{"card with the full number spaced", onInvoice(regie.Tender{Mode: regie.Card, Amount: 61_60, Authorisation: "A1", MaskedPAN: "4970 1012 3456 7890"}), regie.ECardDetails},
		{"transfer without reference", onInvoice(regie.Tender{Mode: regie.Transfer, Amount: 61_60}), regie.ETransferDetails},
		{"transfer with a blank reference", onInvoice(regie.Tender{Mode: regie.Transfer, Amount: 61_60, Reference: " "}), regie.ETransferDetails},
		{"holiday cheques without count", onInvoice(regie.Tender{Mode: regie.HolidayCheck, Amount: 61_60}), regie.EVoucherDetails},
		{"CESU without count", onInvoice(regie.Tender{Mode: regie.CESU, Amount: 61_60}), regie.EVoucherDetails},
		{"CESU with a negative count", onInvoice(regie.Tender{Mode: regie.CESU, Amount: 61_60, Count: -2}), regie.EVoucherDetails},
		{"unknown invoice", app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 10_00}},
			Allocations: []regie.Allocation{{InvoiceID: "i-9999-1", Amount: 10_00}}}, regie.EInvoiceNotFound},
		{"unknown item", sale(item("PISC-XXL", 1, 4_20), regie.Tender{Mode: regie.Cash, Amount: 4_20}), regie.EItemNotFound},
		{"unknown household", app.PaymentRequest{HouseholdID: "h-9999", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 4_20}},
			Allocations: []regie.Allocation{item("PISC-ENT", 1, 4_20)}}, regie.EHouseholdNotFound},
		{"invoice of another household", app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 61_60}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0002-1", Amount: 61_60}}}, regie.EHouseholdMismatch},
		{"invoice without household", app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 61_60}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0002-1", Amount: 61_60}}}, regie.EHouseholdMismatch},
		{"item at the wrong price", sale(regie.Allocation{ItemCode: "PISC-ENT", Quantity: 1, Amount: 4_00}, regie.Tender{Mode: regie.Cash, Amount: 4_00}), regie.ETenderMismatch},
		{"items at one unit's price", sale(regie.Allocation{ItemCode: "PISC-ENT", Quantity: 3, Amount: 4_20}, regie.Tender{Mode: regie.Cash, Amount: 4_20}), regie.ETenderMismatch},
		{"no allocation", app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 10_00}}}, regie.EAllocationRequired},
		{"invoice and item on one line", sale(regie.Allocation{InvoiceID: "i-0001-1", ItemCode: "PISC-ENT", Amount: 4_20}, regie.Tender{Mode: regie.Cash, Amount: 4_20}), regie.EAllocationTarget},
		{"neither invoice nor item", sale(regie.Allocation{Amount: 4_20}, regie.Tender{Mode: regie.Cash, Amount: 4_20}), regie.EAllocationTarget},
		{"same invoice twice", app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 20_00}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 10_00}, {InvoiceID: "i-0001-1", Amount: 10_00}}}, regie.EInvalid},
		{"more than remains, by a mandataire", app.PaymentRequest{HouseholdID: "h-0001", Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 70_00}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0001-1", Amount: 70_00}}}, regie.EOverRemaining},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			m := f.mark()
			_, err := f.c.RecordPayment(f.ctx, agent, tc.req)
			f.refused(err, tc.want, m)
			f.probe(agent, m)
		})
	}
	if got := f.remaining("h-0001", "i-0001-1"); got != 61_60 {
		t.Fatalf("refusals changed the invoice's remaining amount: %s", got)
	}
}

// TestPaymentAccepted holds the boundaries of the rules above: each of
// these payments is recorded, with the next receipt number.
func TestPaymentAccepted(t *testing.T) {
	f := newFixture(t)
	agent := f.mandataire()
	f.open(agent)
	cash := func(m regie.Money) regie.Tender { return regie.Tender{Mode: regie.Cash, Amount: m} }
	for _, tc := range []struct {
		name string
		req  app.PaymentRequest
	}{
		{"cash of exactly 300 €", app.PaymentRequest{Tenders: []regie.Tender{cash(300_00)},
			Allocations: []regie.Allocation{item("PISC-10", 7, 38_00), item("CARTE-REP", 6, 5_00), item("PHOTOCOP", 20, 20)}}},
		{"300 € cash and a cheque", app.PaymentRequest{Tenders: []regie.Tender{cash(300_00), cheque(80_00, "0007001")},
			Allocations: []regie.Allocation{item("PISC-10", 10, 38_00)}}},
		{"cash with change above 300 € handed over", app.PaymentRequest{HouseholdID: "h-0002",
			Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 61_60, Tendered: 310_00, Change: 248_40}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0002-1", Amount: 61_60}}}},
		{"masked card", app.PaymentRequest{HouseholdID: "h-0002", Tenders: []regie.Tender{card(32_00)},
			Allocations: []regie.Allocation{{InvoiceID: "i-0002-2", Amount: 32_00}}}},
		{"keyed card without number", app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Card, Amount: 4_20, Authorisation: "K77", Keyed: true}},
			Allocations: []regie.Allocation{item("PISC-ENT", 1, 4_20)}}},
		{"transfer", app.PaymentRequest{HouseholdID: "h-0002", Tenders: []regie.Tender{{Mode: regie.Transfer, Amount: 50_00, Reference: "VIR-2026-11-27"}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0002-3", Amount: 50_00}}}},
		{"holiday cheques and CESU", app.PaymentRequest{HouseholdID: "h-0003",
			Tenders:     []regie.Tender{{Mode: regie.HolidayCheck, Amount: 40_00, Count: 2}, {Mode: regie.CESU, Amount: 10_00, Count: 1}},
			Allocations: []regie.Allocation{{InvoiceID: "i-0003-3", Amount: 50_00}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := f.on(t)
			m := f.mark()
			p := f.pay(agent, tc.req)
			if want := regie.ReceiptNumber("ENF", "C01", 2026, m.receipt+1); p.Receipt != want {
				t.Fatalf("receipt %s, want %s", p.Receipt, want)
			}
			if p.Total != p.AllocationsTotal() || p.Total <= 0 {
				t.Fatalf("total %s for allocations of %s", p.Total, p.AllocationsTotal())
			}
		})
	}
}

// TestCredit pays more than an invoice's remaining amount: a mandataire
// needs a régisseur's consent, and the excess is recorded as a credit.
func TestCredit(t *testing.T) {
	f := newFixture(t)
	agent := f.mandataire()
	f.open(agent)
	over := func(household, invoice string, amount regie.Money, approval *app.Auth) app.PaymentRequest {
		req := cashFor(household, invoice, amount)
		req.CreditApproval = approval
		return req
	}

	t.Run("approved by the régisseur", func(t *testing.T) {
		f := f.on(t)
		approval, err := f.c.Approve(f.ctx, "mdupont", "1234")
		if err != nil {
			t.Fatal(err)
		}
		p := f.pay(agent, over("h-0001", "i-0001-1", 70_00, approval))
		if p.Allocations[0].Credit != 8_40 || p.CreditApprovedBy != "a-0001" || p.Agent != "a-0003" {
			t.Fatalf("credit %s approved by %q for agent %q", p.Allocations[0].Credit, p.CreditApprovedBy, p.Agent)
		}
		if got := f.remaining("h-0001", "i-0001-1"); got != 0 {
			t.Fatalf("remaining %s after an overpayment", got)
		}
	})
	for _, tc := range []struct {
		login, pin, id, household, invoice string
	}{{"mdupont", "1234", "a-0001", "h-0002", "i-0002-1"}, {"jmartin", "2345", "a-0002", "h-0005", "i-0005-1"}} {
		t.Run("agent is "+tc.login, func(t *testing.T) {
			f := f.on(t)
			p := f.pay(f.login(tc.login, tc.pin), over(tc.household, tc.invoice, 61_60+5_00, nil))
			if p.Allocations[0].Credit != 5_00 || p.CreditApprovedBy != tc.id {
				t.Fatalf("credit %s approved by %q", p.Allocations[0].Credit, p.CreditApprovedBy)
			}
			// the next overpayment of the settled invoice is all credit
			p = f.pay(f.login(tc.login, tc.pin), over(tc.household, tc.invoice, 1_00, nil))
			if p.Allocations[0].Credit != 1_00 {
				t.Fatalf("credit %s on a settled invoice", p.Allocations[0].Credit)
			}
		})
	}
	t.Run("within the remaining amount", func(t *testing.T) {
		f := f.on(t)
		approval, err := f.c.Approve(f.ctx, "jmartin", "2345")
		if err != nil {
			t.Fatal(err)
		}
		req := over("h-0003", "i-0003-1", 61_60, approval)
		req.Allocations[0].Credit = 10_00 // a screen cannot declare a credit
		p := f.pay(agent, req)
		if p.Allocations[0].Credit != 0 || p.CreditApprovedBy != "" {
			t.Fatalf("credit %s approved by %q on an exact payment", p.Allocations[0].Credit, p.CreditApprovedBy)
		}
	})
	t.Run("mandataire's own consent", func(t *testing.T) {
		f := f.on(t)
		m := f.mark()
		_, err := f.c.RecordPayment(f.ctx, agent, over("h-0004", "i-0004-1", 70_00, agent))
		f.refused(err, regie.EOverRemaining, m)
		f.probe(agent, m)
	})
}

// TestRegieSettings reconfigures the régie and checks that the counter
// follows its acte constitutif.
func TestRegieSettings(t *testing.T) {
	f := newFixture(t)
	agent := f.mandataire()
	f.open(agent)
	configure := func(f *fixture, change func(*regie.Regie)) {
		r := demo.Regie()
		change(&r)
		if err := f.c.Configure(f.ctx, demo.Counter(), r, nil); err != nil {
			f.t.Fatal(err)
		}
	}

	t.Run("partial payment allowed", func(t *testing.T) {
		f := f.on(t)
		f.pay(agent, cashOn("i-0001-1", 10_00))
		if got := f.remaining("h-0001", "i-0001-1"); got != 51_60 {
			t.Fatalf("remaining %s after paying 10 € of 61,60 €", got)
		}
		f.pay(agent, cashOn("i-0001-1", 51_60))
		if got := f.remaining("h-0001", "i-0001-1"); got != 0 {
			t.Fatalf("remaining %s after paying the rest", got)
		}
	})
	t.Run("partial payment refused", func(t *testing.T) {
		f := f.on(t)
		configure(f, func(r *regie.Regie) { r.PartialPayments = false })
		m := f.mark()
		_, err := f.c.RecordPayment(f.ctx, agent, cashOn("i-0001-2", 10_00))
		f.refused(err, regie.EPartialRefused, m)
		f.pay(agent, cashOn("i-0001-2", 32_00))
	})
	t.Run("anonymous sale refused", func(t *testing.T) {
		f := f.on(t)
		configure(f, func(r *regie.Regie) { r.AnonymousSales = false })
		m := f.mark()
		_, err := f.c.RecordPayment(f.ctx, agent, app.PaymentRequest{
			Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 4_20}}, Allocations: []regie.Allocation{item("PISC-ENT", 1, 4_20)}})
		f.refused(err, regie.EAnonymousRefused, m)
		f.probe(agent, m) // the same sale to a household
	})
	t.Run("online refused even when the régie lists it", func(t *testing.T) {
		f := f.on(t)
		configure(f, func(r *regie.Regie) { r.Modes = append(r.Modes, regie.Online, regie.DirectDebit) })
		m := f.mark()
		req := cashOn("i-0001-3", 50_00)
		req.Tenders = []regie.Tender{{Mode: regie.Online, Amount: 50_00, Reference: "PAYFIP-42"}}
		_, err := f.c.RecordPayment(f.ctx, agent, req)
		f.refused(err, regie.EModeNotAllowed, m)
		req.Tenders = []regie.Tender{{Mode: regie.DirectDebit, Amount: 50_00, Reference: "PRLV-42"}}
		f.pay(agent, req)
	})
	t.Run("lower cash limit", func(t *testing.T) {
		f := f.on(t)
		configure(f, func(r *regie.Regie) { r.CashLimit = 50_00 })
		m := f.mark()
		_, err := f.c.RecordPayment(f.ctx, agent, cashFor("h-0002", "i-0002-1", 61_60))
		f.refused(err, regie.ECashLimit, m)
		f.pay(agent, cashFor("h-0002", "i-0002-3", 50_00))
	})
}
