package app_test

import (
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// TestDay runs a whole day at a counter: open, cash, split tender, cancel,
// close with a shortfall, and a refusal after the seal.
func TestDay(t *testing.T) {
	f := newFixture(t)
	reg := f.regisseur()
	agent := f.mandataire()
	f.open(agent)

	p1 := f.pay(agent, app.PaymentRequest{
		HouseholdID: "h-0001",
		Tenders: []regie.Tender{
			{Mode: regie.Cash, Amount: 20_00, Tendered: 50_00, Change: 30_00},
			{Mode: regie.Check, Amount: 73_60, CheckNumber: "0001234", Bank: "Crédit Agricole", Drawer: "Hélène Lefèvre"},
		},
		Allocations: []regie.Allocation{
			{InvoiceID: "i-0001-1", Amount: 61_60},
			{InvoiceID: "i-0001-2", Amount: 32_00},
		},
	})
	if p1.Receipt != "R-ENF-C01-2026-000001" {
		t.Fatalf("receipt %s", p1.Receipt)
	}
	if p1.Total != 93_60 || p1.Payer != "Lefèvre Hélène" || p1.Account != "F001001" {
		t.Fatalf("payment %+v", p1)
	}
	open, err := f.c.OpenInvoices(f.ctx, "h-0001")
	if err != nil || len(open) != 1 || open[0].ID != "i-0001-3" {
		t.Fatalf("open invoices after payment: %+v %v", open, err)
	}

	p2 := f.pay(agent, app.PaymentRequest{
		Tenders:     []regie.Tender{{Mode: regie.Cash, Amount: 8_40}},
		Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Quantity: 2, Amount: 8_40}},
	})
	if p2.Receipt != "R-ENF-C01-2026-000002" {
		t.Fatalf("receipt %s", p2.Receipt)
	}
	if _, err := f.c.Cancel(f.ctx, agent, reg, p2.ID, regie.CancelReasons[0], ""); err != nil {
		t.Fatal(err)
	}

	prev, err := f.c.PrepareClosing(f.ctx, app.ClosingRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// float 150 + 20 cash + 8,40 cash − 8,40 refunded
	if prev.ExpectedCash != 170_00 {
		t.Fatalf("expected cash %s", prev.ExpectedCash)
	}
	count := regie.CashCount{{Value: 100_00, Count: 1}, {Value: 50_00, Count: 1}, {Value: 10_00, Count: 1}, {Value: 5_00, Count: 1}, {Value: 2_00, Count: 2}, {Value: 50, Count: 1}, {Value: 20, Count: 2}}
	_, err = f.c.Close(f.ctx, reg, app.ClosingRequest{Count: count})
	wantCode(t, err, regie.ECommentRequired)
	cl, err := f.c.Close(f.ctx, reg, app.ClosingRequest{Count: count, Comment: "Pièce de 10 centimes introuvable"})
	if err != nil {
		t.Fatal(err)
	}
	if cl.Difference != -10 || cl.Totals[regie.Cash] != 20_00 || cl.Totals[regie.Check] != 73_60 || len(cl.Checks) != 1 {
		t.Fatalf("closing %+v", cl)
	}
	_, err = f.c.RecordPayment(f.ctx, agent, cashOn("i-0001-3", 10_00))
	wantCode(t, err, regie.EDayClosed)
}
