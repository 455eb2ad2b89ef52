package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
)

// receiptPanel shows the receipt number, large, once a payment is
// recorded, with print and reprint; and, when cash was given back, the
// change to hand over, as large: the agent reads it while counting coins
// into the citizen's hand.
type receiptPanel struct {
	c       *cashierScreen
	box     *fyne.Container
	number  *canvas.Text
	change  *canvas.Text
	detail  *widget.Label
	print_  *keyButton
	reprint *keyButton
	msg     message
	payment *regie.Payment
	printed bool
}

func newReceiptPanel(c *cashierScreen) *receiptPanel {
	p := &receiptPanel{c: c, number: bigText("", 30), change: bigText("", 30), detail: widget.NewLabel(""), msg: newMessage()}
	p.change.Color = changeColor
	p.change.Hide()
	p.print_ = newKeyButton(c.u, "Imprimer le reçu (F12)", p.print)
	p.reprint = newKeyButton(c.u, "Réimprimer (duplicata)", p.duplicate)
	p.box = container.NewVBox(widget.NewSeparator(), heading("Paiement enregistré — reçu n°"), p.number, p.change, p.detail,
		container.NewHBox(p.print_, p.reprint), p.msg.Label)
	p.box.Hide()
	return p
}

func (p *receiptPanel) showPayment(pay *regie.Payment) {
	p.payment, p.printed = pay, false
	setBig(p.number, pay.Receipt, nil)
	payer := pay.Payer
	if payer == "" {
		payer = "usager anonyme"
	}
	p.detail.SetText(pay.Total.String() + " — " + payer + " — " + pay.Total.Words())
	if change := changeOf(pay); change > 0 {
		setBig(p.change, "Rendu : "+change.String(), nil)
		p.change.Show()
	} else {
		p.change.Text = ""
		p.change.Hide()
	}
	p.msg.say("")
	p.box.Show()
}

func (p *receiptPanel) hide() { p.box.Hide() }

// changeColor sets the change apart from the receipt number: a dark green
// with a contrast of about 5.8:1 on the light theme, well above what large
// bold text needs.
var changeColor = color.NRGBA{R: 0x18, G: 0x75, B: 0x3c, A: 0xff}

// changeOf is the cash given back on a payment, over all its tenders.
func changeOf(pay *regie.Payment) regie.Money {
	var sum regie.Money
	for _, t := range pay.Tenders {
		sum += t.Change
	}
	return sum
}

// print prints the receipt once; a failed printer never loses the payment,
// which is recorded already.
func (p *receiptPanel) print() {
	if p.payment == nil {
		return
	}
	pr := p.c.u.opt.Printer
	if pr == nil {
		p.msg.fail(regie.Errorf(regie.ENotConfigured, "Aucune imprimante n'est configurée : le paiement est bien enregistré, le reçu pourra être réimprimé depuis le journal."))
		return
	}
	where, err := pr.Receipt(p.c.u.ctx, p.payment, false)
	if err != nil {
		p.msg.fail(regie.Errorf(regie.EInternal, "L'impression a échoué (%s) : le paiement est bien enregistré, réimprimez le reçu.", regie.ErrorMessage(err)))
		return
	}
	p.printed = true
	p.msg.info(where)
}

// duplicate reprints the receipt marked DUPLICATA; the reprint is journaled.
func (p *receiptPanel) duplicate() {
	if p.payment == nil {
		return
	}
	if text, err := reprint(p.c.u, p.payment.ID); err != nil {
		p.msg.fail(err)
	} else {
		p.msg.info(text)
	}
}

// reprint journals a duplicate and prints it; it returns what to tell the
// agent.
func reprint(u *UI, paymentID string) (string, error) {
	pay, _, err := u.svc.Reprint(u.ctx, u.auth, paymentID)
	if err != nil {
		return "", err
	}
	if u.opt.Printer == nil {
		return "Duplicata du reçu " + pay.Receipt + " enregistré au journal ; aucune imprimante n'est configurée.", nil
	}
	where, err := u.opt.Printer.Receipt(u.ctx, pay, true)
	if err != nil {
		return "", regie.Errorf(regie.EInternal, "Duplicata enregistré au journal, mais l'impression a échoué : %s", regie.ErrorMessage(err))
	}
	return "Duplicata du reçu " + pay.Receipt + " : " + where, nil
}
