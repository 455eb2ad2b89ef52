package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// paymentDetail shows one payment of the journal, reprints it, and cancels
// it with a reason (and a régisseur's PIN when the agent is a mandataire).
type paymentDetail struct {
	j        *journalScreen
	box      *fyne.Container
	text     *widget.Label
	reprint  *keyButton
	form     *fyne.Container
	reason   *widget.Select
	comment  *keyEntry
	approver *keyEntry
	pin      *keyEntry
	cancel   *keyButton
	msg      message
	payment  *regie.Payment
}

func newPaymentDetail(j *journalScreen) *paymentDetail {
	u := j.u
	d := &paymentDetail{j: j, text: widget.NewLabel("Choisissez un paiement dans le journal."), msg: newMessage()}
	d.text.Wrapping = fyne.TextWrapWord
	d.reprint = newKeyButton(u, "Réimprimer (duplicata)", d.duplicate)
	d.reason = widget.NewSelect(regie.CancelReasons, nil)
	d.reason.PlaceHolder = "Motif de l'annulation"
	d.comment = newKeyEntry(u, "commentaire (obligatoire pour « "+regie.OtherReason+" »)")
	d.approver = newKeyEntry(u, "identifiant du régisseur ou du suppléant")
	d.pin = newPINEntry(u, "son code")
	d.pin.OnSubmitted = func(string) { d.doCancel() }
	d.cancel = newKeyButton(u, "Annuler ce paiement", d.doCancel)
	d.cancel.Importance = widget.DangerImportance
	d.form = container.NewVBox(heading("Annulation"), widget.NewForm(
		widget.NewFormItem("Motif", d.reason),
		widget.NewFormItem("Commentaire", d.comment),
		widget.NewFormItem("Validé par", d.approver),
		widget.NewFormItem("Code", d.pin)), d.cancel)
	d.box = container.NewVBox(heading("Détail du paiement"), d.text, d.reprint, d.form, d.msg.Label)
	d.clear()
	return d
}

func (d *paymentDetail) clear() {
	d.payment = nil
	d.text.SetText("Choisissez un paiement dans le journal.")
	d.reprint.Hide()
	d.form.Hide()
	d.msg.say("")
}

func (d *paymentDetail) load(id string) {
	u := d.j.u
	p, cancel, err := u.svc.Payment(u.ctx, id)
	if err != nil {
		d.msg.fail(err)
		return
	}
	d.payment = p
	d.text.SetText(describePayment(p, cancel, u.agentName(p.Agent, d.j.agents)))
	d.reprint.Show()
	// The régie's own list, as last pulled: a pull can change it while
	// the agent is logged in, so it is read again for each payment.
	reg := u.reg
	if fresh, _, err := u.svc.Settings(u.ctx); err == nil && fresh != nil {
		reg = fresh
	}
	d.reason.Options = reg.Reasons()
	d.reason.ClearSelected()
	d.comment.SetText("")
	d.approver.SetText("")
	d.pin.SetText("")
	if cancel == nil {
		d.form.Show()
		supervisor := u.auth.Agent().Role.CanSupervise()
		for _, e := range []*keyEntry{d.approver, d.pin} {
			if supervisor {
				e.Hide()
			} else {
				e.Show()
			}
		}
	} else {
		d.form.Hide()
	}
	d.msg.say("")
}

// describePayment is a payment in French, line by line.
func describePayment(p *regie.Payment, cancel *regie.Cancellation, agent string) string {
	var b strings.Builder
	payer := p.Payer
	if payer == "" {
		payer = "usager anonyme"
	}
	b.WriteString("Reçu " + p.Receipt + " — " + p.Total.String() + "\n")
	b.WriteString("Payeur : " + payer)
	if p.Account != "" {
		b.WriteString(" (compte " + p.Account + ")")
	}
	b.WriteString("\nAgent : " + agent + "\n")
	for _, a := range p.Allocations {
		ref := a.InvoiceNumber
		if ref == "" {
			ref = itoa(a.Quantity) + " ×"
		}
		b.WriteString("• " + ref + " " + a.Label + " : " + a.Amount.String() + "\n")
	}
	for _, t := range p.Tenders {
		b.WriteString("• " + t.Mode.Label() + " : " + t.Amount.String())
		switch {
		case t.Mode == regie.Check:
			b.WriteString(" (n° " + t.CheckNumber + ", " + t.Bank + ", " + t.Drawer + ")")
		case t.Mode == regie.Cash && t.Change > 0:
			b.WriteString(" (remis " + t.Tendered.String() + ", rendu " + t.Change.String() + ")")
		case t.Mode == regie.Card:
			b.WriteString(" (autorisation " + t.Authorisation + ")")
		}
		b.WriteString("\n")
	}
	if cancel != nil {
		b.WriteString("ANNULÉ : " + cancel.Reason)
		if cancel.Comment != "" {
			b.WriteString(" — " + cancel.Comment)
		}
	}
	return b.String()
}

func (d *paymentDetail) duplicate() {
	if d.payment == nil {
		return
	}
	if text, err := reprint(d.j.u, d.payment.ID); err != nil {
		d.msg.fail(err)
	} else {
		d.msg.info(text)
	}
}

// doCancel asks the approver's PIN when needed, then cancels.
func (d *paymentDetail) doCancel() {
	u := d.j.u
	if d.payment == nil {
		return
	}
	var approver *app.Auth
	if !u.auth.Agent().Role.CanSupervise() {
		a, err := u.svc.Approve(u.ctx, strings.TrimSpace(d.approver.Text), d.pin.Text)
		d.pin.SetText("")
		if err != nil {
			d.msg.fail(err)
			return
		}
		approver = a
	}
	card := terminalCard(d.payment)
	if card == 0 || u.opt.Terminal == nil {
		d.finishCancel(approver, card)
		return
	}
	// The card is refunded on the terminal first: if the refund fails,
	// nothing is cancelled and the agent can try again.
	d.cancel.Disable()
	d.msg.info("Remboursement de " + card.String() + " sur le TPE : présentez la carte au client…")
	u.bg.Add(1)
	go func() {
		defer u.bg.Done()
		_, err := u.opt.Terminal.Refund(u.ctx, card)
		fyne.Do(func() {
			d.cancel.Enable()
			if err != nil {
				d.msg.fail(err)
				return
			}
			d.finishCancel(approver, 0)
		})
	}()
}

// terminalCard is what a payment took by card through the terminal: what
// the terminal must give back when it is cancelled.
func terminalCard(p *regie.Payment) regie.Money {
	var s regie.Money
	for _, t := range p.Tenders {
		if t.Mode == regie.Card && !t.Keyed {
			s += t.Amount
		}
	}
	return s
}

// finishCancel records the cancellation; manualRefund is a card amount the
// agent must give back on a terminal that is not linked.
func (d *paymentDetail) finishCancel(approver *app.Auth, manualRefund regie.Money) {
	u := d.j.u
	c, err := u.svc.Cancel(u.ctx, u.auth, approver, d.payment.ID, d.reason.Selected, strings.TrimSpace(d.comment.Text))
	if err != nil {
		d.msg.fail(err)
		return
	}
	id := d.payment.ID
	d.j.reload()
	d.load(id)
	text := "Paiement " + c.Receipt + " annulé."
	if manualRefund > 0 {
		text += " Remboursez " + manualRefund.String() + " sur la carte depuis le TPE (il n'est pas relié à la caisse)."
	}
	d.msg.info(text)
	u.status.refresh()
}
