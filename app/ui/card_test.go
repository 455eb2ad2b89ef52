package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/devices/concert"
)

// simTerminal is the card terminal simulator behind the screen's
// CardTerminal, as cmd/regie-caisse wires the real driver.
type simTerminal struct{ d *concert.Driver }

func (s simTerminal) Pay(ctx context.Context, amount regie.Money) (CardResult, error) {
	r, err := s.d.Pay(ctx, amount)
	return CardResult{Authorisation: r.Authorisation, MaskedPAN: r.MaskedPAN, Status: r.Status}, err
}

func (s simTerminal) Refund(ctx context.Context, amount regie.Money) (CardResult, error) {
	r, err := s.d.Refund(ctx, amount)
	return CardResult{Authorisation: r.Authorisation, MaskedPAN: r.MaskedPAN, Status: r.Status}, err
}

func (s simTerminal) State() string { return s.d.State().String() }

func cardHarness(t *testing.T) (*harness, *concert.Simulator) {
	fast := concert.Config{AnswerTimeout: time.Second, RetryPause: -1, CustomerTimeout: 5 * time.Second}
	d, sim, stop := concert.Loopback(fast, concert.SimConfig{RetryPause: -1})
	t.Cleanup(stop)
	return newHarnessWith(t, Options{Terminal: simTerminal{d}}), sim
}

// cardFor picks a household's first invoice, sets its amount and adds a
// card tender.
func (h *harness) cardFor(c *cashierScreen, who, amount string) *tenderRow {
	h.t.Helper()
	h.fill(c.search, who)
	h.key(fyne.KeyReturn)
	test.Tap(c.invoices[0].check)
	h.fill(c.invoices[0].amount, amount)
	h.key(fyne.KeyF3)
	return c.tenders[len(c.tenders)-1]
}

// TestCardPaymentThroughTerminal pays by card on the simulated terminal:
// the tender gets the authorisation and the masked card number, the
// payment is recorded; cancelling it refunds the card on the terminal.
func TestCardPaymentThroughTerminal(t *testing.T) {
	h, sim := cardHarness(t)
	c := h.openTill("mdupont", "1234")
	r := h.cardFor(c, "petit", "61,60")
	test.Tap(r.card.send)
	h.u.Wait()
	if r.card.result == nil || r.auth.Text == "" || !r.auth.Disabled() || !strings.Contains(r.pan.Text, "*") {
		t.Fatalf("after the terminal: result %+v, auth %q, pan %q, %s", r.card.result, r.auth.Text, r.pan.Text, r.card.err.Text)
	}
	auth := r.auth.Text
	h.key(fyne.KeyReturn)
	if c.receipt.payment == nil {
		t.Fatalf("card payment not recorded: %s %s", c.err.Text, c.tenderErr.Text)
	}
	p := c.receipt.payment
	if tn := p.Tenders[0]; tn.Mode != regie.Card || tn.Authorisation != auth || tn.Keyed || tn.TerminalStatus == "" ||
		!regie.MaskedPANOK(tn.MaskedPAN) {
		t.Fatalf("card tender %+v", tn)
	}

	h.key(fyne.KeyF9)
	j := h.u.main.journal
	for i, l := range j.shown {
		if l.PaymentID == p.ID {
			j.list.Select(i)
		}
	}
	j.detail.reason.SetSelected(regie.CancelReasons[5])
	test.Tap(j.detail.cancel)
	h.u.Wait()
	shows(t, j.detail.msg, "annulé")
	reqs := sim.Requests()
	if len(reqs) != 2 || reqs[1].Type != concert.Refund || reqs[1].Amount != 61_60 {
		t.Fatalf("terminal saw %+v", reqs)
	}
}

// TestCardRefused: the terminal refuses; nothing is recorded, the agent is
// told why in French and can switch to another mode.
func TestCardRefused(t *testing.T) {
	h, _ := cardHarness(t)
	c := h.openTill("mdupont", "1234")
	r := h.cardFor(c, "garcon", "12,07") // cents 07: the simulator refuses
	test.Tap(r.card.send)
	h.u.Wait()
	shows(t, r.card.err, "Paiement refusé par le terminal")
	if r.card.result != nil || r.amount.Disabled() {
		t.Fatal("a refused card left the tender locked")
	}
	h.key(fyne.KeyReturn)
	shows(t, c.tenderErr, "numéro d'autorisation")
	lines, err := h.svc.DayLines(h.u.ctx, "2026-11-27")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.Kind == regie.KindPayment {
			t.Fatalf("a refused card recorded %+v", l)
		}
	}
	test.Tap(r.remove)
	h.key(fyne.KeyF1)
	h.key(fyne.KeyReturn)
	if c.receipt.payment == nil || c.receipt.payment.Tenders[0].Mode != regie.Cash {
		t.Fatalf("switching to cash failed: %s", c.tenderErr.Text)
	}
}
