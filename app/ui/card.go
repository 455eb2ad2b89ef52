package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// cardPanel sends a card tender's amount to the terminal and waits for the
// customer, with a live timer and a way to give up; without a terminal it
// tells the agent to key in the authorisation.
type cardPanel struct {
	box    *fyne.Container
	send   *keyButton
	abort  *keyButton
	state  *widget.Label
	err    message
	result *CardResult
	cancel context.CancelFunc
}

func newCardPanel(c *cashierScreen, r *tenderRow) *cardPanel {
	u := c.u
	p := &cardPanel{state: widget.NewLabel(""), err: newMessage()}
	p.state.Wrapping = fyne.TextWrapWord
	if u.opt.Terminal == nil {
		p.state.SetText("TPE non relié à la caisse : saisissez le numéro d'autorisation imprimé sur le ticket du TPE.")
		p.box = container.NewVBox(p.state)
		return p
	}
	p.send = newKeyButton(u, "Envoyer au TPE", func() { p.start(c, r) })
	p.send.Importance = widget.HighImportance
	p.abort = newKeyButton(u, "Annuler l'attente", func() {
		if p.cancel != nil {
			p.cancel()
		}
	})
	p.abort.Hide()
	p.box = container.NewVBox(container.NewHBox(p.send, p.abort), p.state, p.err.Label)
	return p
}

// reset forgets the last card payment, for a spare row.
func (p *cardPanel) reset() {
	p.result = nil
	p.err.say("")
	if p.send != nil {
		p.state.SetText("")
		p.send.Enable()
		p.abort.Hide()
	}
}

// start hands the amount to the terminal in the background; the window
// stays responsive and is updated through fyne.Do.
func (p *cardPanel) start(c *cashierScreen, r *tenderRow) {
	u := c.u
	amount, err := parseAmount(r.amount.Text)
	if err != nil || amount <= 0 {
		p.err.fail(err)
		return
	}
	ctx, cancel := context.WithCancel(u.ctx)
	p.cancel, p.result = cancel, nil
	p.err.say("")
	p.send.Disable()
	p.abort.Show()
	r.amount.Disable()
	began := time.Now()
	p.state.SetText("Présentez la carte au client… (" + amount.String() + ")")
	done := make(chan struct{})
	u.bg.Add(2)
	go func() {
		defer u.bg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				fyne.Do(func() {
					p.state.SetText(fmt.Sprintf("Présentez la carte au client… (%s, %d s)", amount, int(time.Since(began).Seconds())))
				})
			}
		}
	}()
	go func() {
		defer u.bg.Done()
		res, err := u.opt.Terminal.Pay(ctx, amount)
		close(done)
		fyne.Do(func() { p.finish(c, r, res, err) })
	}()
}

func (p *cardPanel) finish(c *cashierScreen, r *tenderRow, res CardResult, err error) {
	p.cancel()
	p.abort.Hide()
	p.send.Enable()
	if err != nil {
		r.amount.Enable()
		p.state.SetText("")
		p.err.fail(err)
		c.u.status.refresh()
		// The agent retries, keys in a standalone terminal's authorisation
		// or removes the tender for another mode.
		c.u.win.Canvas().Focus(r.auth)
		return
	}
	p.result = &res
	p.send.Disable()
	r.pan.SetText(res.MaskedPAN)
	r.pan.Disable()
	c.u.status.refresh()
	if res.Authorisation == "" {
		// Some terminals do not send it back: the agent copies it from
		// the ticket; the card is debited already.
		p.state.SetText("Paiement accepté par le TPE, sans numéro d'autorisation transmis : recopiez-le depuis le ticket du TPE, puis validez.")
		c.u.win.Canvas().Focus(r.auth)
		return
	}
	r.auth.SetText(res.Authorisation)
	r.auth.Disable()
	p.state.SetText("Paiement accepté par le TPE (autorisation " + res.Authorisation + ") : validez l'encaissement.")
	c.u.win.Canvas().Focus(c.validateBtn)
}
