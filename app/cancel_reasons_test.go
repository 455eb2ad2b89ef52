package app_test

import (
	"testing"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// TestCancelWithTheRegiesReasons: once the régie's settings carry its own
// list of reasons (as a pull brings them), the counter takes a reason of
// that list and refuses one of the default list that is not on it; a
// cancellation recorded before the change, with a default reason, stays
// valid for the file's check.
func TestCancelWithTheRegiesReasons(t *testing.T) {
	f := newFixture(t)
	reg := f.regisseur()
	f.open(reg)
	pay := func() *regie.Payment {
		return f.pay(reg, app.PaymentRequest{Tenders: []regie.Tender{{Mode: regie.Cash, Amount: 4_20}},
			Allocations: []regie.Allocation{{ItemCode: "PISC-ENT", Quantity: 1, Amount: 4_20}}})
	}
	before := pay()
	if _, err := f.c.Cancel(f.ctx, reg, nil, before.ID, regie.CancelReasons[5], ""); err != nil {
		t.Fatal(err)
	}
	settings, ident, err := f.c.Settings(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	own := *settings
	own.CancelReasons = []string{"Entrée non utilisée", regie.OtherReason}
	if err := f.c.Configure(f.ctx, *ident, own, nil); err != nil {
		t.Fatal(err)
	}
	p := pay()
	m := f.mark()
	_, err = f.c.Cancel(f.ctx, reg, nil, p.ID, regie.CancelReasons[5], "")
	f.refused(err, regie.EReasonRequired, m)
	if _, err := f.c.Cancel(f.ctx, reg, nil, p.ID, "Entrée non utilisée", ""); err != nil {
		t.Fatalf("the régie's own reason: %v", err)
	}
	if got, _, _ := f.c.Settings(f.ctx); len(got.Reasons()) != 2 {
		t.Fatalf("the counter's list: %v", got.Reasons())
	}
	// The file's own check at start replays both cancellations, each under
	// the settings in force when it was recorded.
	if err := f.restart().CheckFile(f.ctx); err != nil {
		t.Fatalf("the file's check: %v", err)
	}
}
