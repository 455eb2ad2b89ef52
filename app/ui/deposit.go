package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// depositScreen prepares a versement to the comptable: what the till
// holds, what to hand over, and the warnings on plafond and period.
type depositScreen struct {
	u        *UI
	box      fyne.CanvasObject
	held     *widget.Label
	warnings *widget.Label
	cash     *keyEntry
	ref      *keyEntry
	checkBox *fyne.Container
	checks   []*keyCheck
	lines    []regie.CheckLine
	ok       *keyButton
	msg      message
}

func newDepositScreen(u *UI) *depositScreen {
	d := &depositScreen{u: u, held: widget.NewLabel(""), warnings: widget.NewLabel(""), checkBox: container.NewVBox(), msg: newMessage()}
	d.held.Wrapping, d.warnings.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	d.warnings.Importance = widget.WarningImportance
	d.cash = newKeyEntry(u, "espèces remises au comptable, ex. 500,00")
	d.ref = newKeyEntry(u, "n° du bordereau ou de la quittance du comptable")
	d.ref.OnSubmitted = func(string) { d.submit() }
	d.ok = newKeyButton(u, "Enregistrer le versement", d.submit)
	d.ok.Importance = widget.HighImportance
	d.box = container.NewVScroll(container.NewVBox(heading("En caisse"), d.held, d.warnings,
		heading("Versement"), widget.NewForm(widget.NewFormItem("Espèces", d.cash), widget.NewFormItem("Référence", d.ref)),
		heading("Chèques à verser"), d.checkBox, d.ok, d.msg.Label))
	return d
}

func (d *depositScreen) enter(keys map[fyne.KeyName]func()) fyne.Focusable {
	d.msg.say("")
	d.reload()
	return d.cash
}

func (d *depositScreen) reload() {
	h, err := d.u.svc.Holdings(d.u.ctx)
	if err != nil {
		d.msg.fail(err)
		return
	}
	last := "aucun"
	if h.LastDeposit != "" {
		last = frenchDay(h.LastDeposit)
	}
	d.held.SetText("Espèces en caisse : " + h.CashInTill.String() + " (dont fonds de caisse " + h.Float.String() + ")\n" +
		"Chèques en caisse : " + itoa(len(h.Checks)) + " pour " + h.ChecksTotal.String() + "\n" +
		"Encaisse à verser : " + h.Held.String() + " — plafond " + h.Ceiling.String() + "\n" +
		"Dernier versement : " + last)
	var ws []string
	for _, w := range h.Warnings {
		ws = append(ws, "⚠ "+w.Message)
	}
	d.warnings.SetText(strings.Join(ws, "\n"))
	d.cash.SetText(max(0, h.CashInTill-h.Float).FormatPlain())
	d.lines, d.checks = h.Checks, nil
	d.checkBox.Objects = nil
	for _, c := range h.Checks {
		ck := newKeyCheck(d.u, "n° "+c.Number+" — "+c.Bank+" — "+c.Drawer+" — "+c.Amount.String(), nil)
		ck.SetChecked(true)
		d.checks = append(d.checks, ck)
		d.checkBox.Add(ck)
	}
	if len(h.Checks) == 0 {
		d.checkBox.Add(widget.NewLabel("Aucun chèque en caisse."))
	}
	d.checkBox.Refresh()
}

func (d *depositScreen) submit() {
	cash, err := parseAmount(d.cash.Text)
	if err != nil {
		d.msg.fail(err)
		return
	}
	req := app.DepositRequest{Cash: cash, Reference: d.ref.Text}
	for i, ck := range d.checks {
		if ck.Checked {
			req.Checks = append(req.Checks, app.CheckRef{PaymentID: d.lines[i].PaymentID, Tender: d.lines[i].Tender})
		}
	}
	dep, err := d.u.svc.Deposit(d.u.ctx, d.u.auth, req)
	if err != nil {
		d.msg.fail(err)
		return
	}
	d.ref.SetText("")
	d.reload()
	text := "Versement de " + dep.Total.String() + " enregistré (" + dep.Cash.String() + " en espèces, " +
		itoa(len(dep.Checks)) + " chèque(s))."
	if pr := d.u.opt.Printer; pr == nil {
		text += " Aucune imprimante n'est configurée pour le bordereau."
	} else if where, err := pr.DepositSlip(d.u.ctx, dep); err != nil {
		text += " L'impression du bordereau a échoué : " + regie.ErrorMessage(err)
	} else {
		text += " Bordereau : " + where
	}
	d.msg.info(text)
	d.u.status.refresh()
}
