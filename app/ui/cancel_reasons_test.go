package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// TestCancelOffersTheRegiesReasons: the journal's cancellation offers the
// régie's own list once a pull (Configure) brought it, even to an agent
// already logged in, and cancels with one of its reasons.
func TestCancelOffersTheRegiesReasons(t *testing.T) {
	h := newHarness(t)
	c := h.openTill("jmartin", "2345")
	h.payCheque(c, "moreau", "0000778")
	settings, ident, err := h.svc.Settings(h.u.ctx)
	if err != nil {
		t.Fatal(err)
	}
	own := *settings
	own.CancelReasons = []string{"Chèque sans provision", regie.OtherReason}
	if err := h.svc.Configure(h.u.ctx, *ident, own, nil); err != nil {
		t.Fatal(err)
	}
	h.key(fyne.KeyF9)
	j := h.u.main.journal
	paid := slices.IndexFunc(j.shown, func(l app.JournalLine) bool { return l.PaymentID != "" })
	if paid < 0 {
		t.Fatal("no payment in the journal")
	}
	j.list.Select(paid)
	d := j.detail
	if !slices.Equal(d.reason.Options, own.CancelReasons) {
		t.Fatalf("reasons offered: %v", d.reason.Options)
	}
	d.reason.SetSelected("Chèque sans provision")
	h.w.Canvas().Focus(d.comment)
	test.Tap(d.cancel)
	shows(t, d.msg, "annulé")
	if !slices.ContainsFunc(j.all, func(l app.JournalLine) bool { return l.Kind == regie.KindCancellation }) {
		t.Fatal("no cancellation in the journal")
	}
}
