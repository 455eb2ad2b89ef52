package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/app"
)

// cashierScreen serves the queue: find the household, tick what it pays,
// take the tenders, validate, read out the receipt number.
type cashierScreen struct {
	u          *UI
	box        fyne.CanvasObject
	search     *keyEntry
	results    *widget.List
	found      []regie.Household
	household  *regie.Household
	who        *widget.Label
	invoiceBox *fyne.Container
	invoices   []*invoiceRow
	// spare rows are kept for the next payments: widgets made for every
	// payment would pile up in Fyne's renderer cache over a busy day.
	spareInvoices []*invoiceRow
	spareTenders  map[regie.PaymentMode][]*tenderRow
	allocErr      message
	catalogue     *cataloguePanel
	catalogueOn   bool
	due           *canvas.Text
	left          *widget.Label
	tenderBox     *fyne.Container
	tenders       []*tenderRow
	modeBtns      *fyne.Container
	tenderErr     message
	err           message
	validateBtn   *keyButton
	receipt       *receiptPanel
	link          *linkPanel
}

// invoiceRow is an open invoice with its tick and the amount paid on it.
type invoiceRow struct {
	inv    regie.Invoice
	check  *keyCheck
	amount *keyEntry
	box    fyne.CanvasObject
}

// invoiceRow gives a row for inv, reusing a spare one.
func (c *cashierScreen) invoiceRow(inv regie.Invoice) *invoiceRow {
	var r *invoiceRow
	if n := len(c.spareInvoices); n > 0 {
		r, c.spareInvoices = c.spareInvoices[n-1], c.spareInvoices[:n-1]
	} else {
		r = &invoiceRow{amount: newKeyEntry(c.u, "montant")}
		r.amount.OnChanged = func(string) { c.updateDue() }
		r.amount.OnSubmitted = func(string) { c.validate() }
		r.check = newKeyCheck(c.u, "", func(bool) { c.updateDue() })
		r.box = container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(110, 36), r.amount), r.check)
	}
	r.inv = inv
	r.check.SetChecked(false)
	r.amount.SetText(inv.Remaining.FormatPlain())
	if c.u.reg != nil && !c.u.reg.PartialPayments {
		r.amount.Disable()
	} else {
		r.amount.Enable()
	}
	label := inv.Number + " — " + inv.Label + " — reste " + inv.Remaining.String()
	if inv.Overdue(c.u.svc.Today()) {
		label += " (échue le " + frenchDay(inv.DueOn) + ")"
	}
	r.check.SetText(label)
	return r
}

// recycle puts the payment's rows aside for the next one.
func (c *cashierScreen) recycle() {
	c.spareInvoices = append(c.spareInvoices, c.invoices...)
	for _, r := range c.tenders {
		c.spareTenders[r.mode] = append(c.spareTenders[r.mode], r)
	}
	c.invoices, c.tenders = nil, nil
}

func newCashierScreen(u *UI) *cashierScreen {
	c := &cashierScreen{u: u, who: widget.NewLabel(""), allocErr: newMessage(), tenderErr: newMessage(), err: newMessage(),
		spareTenders: map[regie.PaymentMode][]*tenderRow{}}
	c.search = newKeyEntry(u, "Nom, n° de compte ou n° de facture")
	c.search.OnChanged = func(q string) { c.find(q) }
	c.search.OnSubmitted = func(string) {
		if len(c.found) > 0 {
			c.pick(c.found[0])
		}
	}
	c.results = widget.NewList(func() int { return len(c.found) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			h := c.found[i]
			o.(*widget.Label).SetText(h.Name + " — " + h.Account)
		})
	c.results.OnSelected = func(i widget.ListItemID) {
		if i < len(c.found) {
			c.pick(c.found[i])
		}
	}
	c.who.Wrapping = fyne.TextWrapWord
	c.invoiceBox = container.NewVBox()
	c.catalogue = newCataloguePanel(c)
	c.due = bigText("À régler : 0,00 €", 28)
	c.left = widget.NewLabel("")
	c.tenderBox = container.NewVBox()
	c.modeBtns = container.NewGridWithColumns(3)
	c.validateBtn = newKeyButton(u, "Valider l'encaissement (Entrée)", c.validate)
	c.validateBtn.Importance = widget.HighImportance
	c.receipt = newReceiptPanel(c)
	c.link = newLinkPanel(c)
	catalogueBtn := newKeyButton(u, "Vente au catalogue (F7)", c.toggleCatalogue)

	left := container.NewBorder(
		container.NewVBox(heading("Foyer"), c.search),
		nil, nil, nil,
		container.NewVSplit(c.results, container.NewVScroll(container.NewVBox(
			c.who, c.link.btn, c.link.msg.Label, c.invoiceBox, c.catalogue.box, c.allocErr.Label, catalogueBtn))))
	right := container.NewVScroll(container.NewVBox(
		c.due, c.left,
		heading("Moyens de paiement"), c.modeBtns, c.tenderBox, c.tenderErr.Label,
		c.validateBtn, c.err.Label, c.receipt.box))
	split := container.NewHSplit(left, right)
	split.Offset = 0.45
	c.box = split
	c.buildModes()
	c.clear()
	return c
}

// enter prepares the tab's keys: F1–F6 add a tender, F7 the catalogue,
// F12 prints, Escape starts over.
func (c *cashierScreen) enter(keys map[fyne.KeyName]func()) fyne.Focusable {
	c.buildModes()
	for _, mk := range modeKeys {
		if mk.key != "" && c.allowed(mk.mode) {
			mode := mk.mode
			keys[mk.key] = func() { c.addTender(mode) }
		}
	}
	keys[fyne.KeyF7] = c.toggleCatalogue
	keys[fyne.KeyF12] = c.receipt.print
	keys[fyne.KeyEscape] = func() {
		c.clear()
		c.u.win.Canvas().Focus(c.search)
	}
	return c.search
}

func (c *cashierScreen) allowed(m regie.PaymentMode) bool {
	return c.u.reg != nil && c.u.reg.Allows(m) && m.AtCounter()
}

func (c *cashierScreen) buildModes() {
	c.modeBtns.Objects = nil
	for _, mk := range modeKeys {
		if !c.allowed(mk.mode) {
			continue
		}
		mode, label := mk.mode, mk.mode.Label()
		if mk.key != "" {
			label += " (" + string(mk.key) + ")"
		}
		c.modeBtns.Add(newKeyButton(c.u, label, func() { c.addTender(mode) }))
	}
	c.modeBtns.Refresh()
}

func (c *cashierScreen) find(q string) {
	hs, err := c.u.svc.Search(c.u.ctx, q)
	if err != nil {
		c.allocErr.fail(err)
		return
	}
	c.found = hs
	c.results.UnselectAll()
	c.results.Refresh()
}

// pick shows a household and its open invoices.
func (c *cashierScreen) pick(h regie.Household) {
	invs, err := c.u.svc.OpenInvoices(c.u.ctx, h.ID)
	if err != nil {
		c.allocErr.fail(err)
		return
	}
	c.household = &h
	c.link.show(c.household)
	c.who.SetText(h.Name + " — compte " + h.Account + "\n" + h.Address)
	c.spareInvoices = append(c.spareInvoices, c.invoices...)
	c.invoices = nil
	c.invoiceBox.Objects = nil
	if len(invs) == 0 {
		c.invoiceBox.Add(widget.NewLabel("Aucune facture à régler pour ce foyer."))
	}
	for _, inv := range invs {
		r := c.invoiceRow(inv)
		c.invoices = append(c.invoices, r)
		c.invoiceBox.Add(r.box)
	}
	c.invoiceBox.Refresh()
	c.allocErr.say("")
	c.updateDue()
	if len(c.invoices) > 0 {
		c.u.win.Canvas().Focus(c.invoices[0].check)
	}
}

// dueAmount is what the ticked invoices and catalogue lines come to.
func (c *cashierScreen) dueAmount() regie.Money {
	var due regie.Money
	for _, r := range c.invoices {
		if r.check.Checked {
			a, _ := parseAmount(r.amount.Text)
			due += a
		}
	}
	return due + c.catalogue.total()
}

func (c *cashierScreen) tendered() regie.Money {
	var s regie.Money
	for _, r := range c.tenders {
		a, _ := parseAmount(r.amount.Text)
		s += a
	}
	return s
}

func (c *cashierScreen) updateDue() {
	due := c.dueAmount()
	setBig(c.due, "À régler : "+due.String(), nil)
	switch rest := due - c.tendered(); {
	case len(c.tenders) == 0:
		c.left.SetText("Choisissez un moyen de paiement (F1 à F6).")
	case rest > 0:
		c.left.SetText("Reste à payer : " + rest.String())
	case rest < 0:
		c.left.SetText("Trop saisi : " + (-rest).String())
	default:
		c.left.SetText("Montant couvert.")
	}
}

// addTender adds a tender of mode for what remains to pay.
func (c *cashierScreen) addTender(mode regie.PaymentMode) {
	c.receipt.hide()
	rest := max(0, c.dueAmount()-c.tendered())
	var r *tenderRow
	if spare := c.spareTenders[mode]; len(spare) > 0 {
		r, c.spareTenders[mode] = spare[len(spare)-1], spare[:len(spare)-1]
		r.reset(rest)
	} else {
		r = newTenderRow(c, mode, rest)
	}
	c.tenders = append(c.tenders, r)
	c.tenderBox.Add(r.box)
	c.tenderBox.Refresh()
	c.updateDue()
	c.u.win.Canvas().Focus(r.first())
}

func (c *cashierScreen) removeTender(r *tenderRow) {
	for i, x := range c.tenders {
		if x == r {
			c.tenders = append(c.tenders[:i], c.tenders[i+1:]...)
			c.tenderBox.Remove(r.box)
			c.spareTenders[r.mode] = append(c.spareTenders[r.mode], r)
			break
		}
	}
	c.updateDue()
}

func (c *cashierScreen) toggleCatalogue() {
	c.catalogueOn = !c.catalogueOn
	c.catalogue.show(c.catalogueOn)
	c.updateDue()
	if c.catalogueOn {
		if f := c.catalogue.first(); f != nil {
			c.u.win.Canvas().Focus(f)
		}
	}
}

// clear empties the form for the next person in the queue; the last
// receipt stays on screen until the next payment starts.
func (c *cashierScreen) clear() {
	c.recycle()
	c.household, c.found = nil, nil
	c.link.show(nil)
	c.search.SetText("")
	c.results.Refresh()
	c.who.SetText("Cherchez le foyer, ou faites une vente au catalogue (F7).")
	c.invoiceBox.Objects = nil
	c.invoiceBox.Refresh()
	c.tenderBox.Objects = nil
	c.tenderBox.Refresh()
	c.catalogueOn = false
	c.catalogue.reset()
	c.catalogue.show(false)
	c.allocErr.say("")
	c.tenderErr.say("")
	c.err.say("")
	c.updateDue()
}

// request reads the form as a payment request.
func (c *cashierScreen) request() (app.PaymentRequest, error) {
	var req app.PaymentRequest
	if c.household != nil {
		req.HouseholdID = c.household.ID
	}
	for _, r := range c.invoices {
		if !r.check.Checked {
			continue
		}
		a, err := parseAmount(r.amount.Text)
		if err != nil {
			return req, err
		}
		req.Allocations = append(req.Allocations, regie.Allocation{InvoiceID: r.inv.ID, Amount: a})
	}
	req.Allocations = append(req.Allocations, c.catalogue.allocations()...)
	for _, r := range c.tenders {
		t, err := r.tender()
		if err != nil {
			return req, err
		}
		req.Tenders = append(req.Tenders, t)
	}
	return req, nil
}

// validate records the payment and shows its receipt number; an error is
// shown next to what caused it.
func (c *cashierScreen) validate() {
	c.allocErr.say("")
	c.tenderErr.say("")
	c.err.say("")
	req, err := c.request()
	if err == nil {
		var p *regie.Payment
		if p, err = c.u.svc.RecordPayment(c.u.ctx, c.u.auth, req); err == nil {
			c.clear()
			c.receipt.showPayment(p)
			c.u.status.refresh()
			c.u.win.Canvas().Focus(c.search)
			return
		}
	}
	c.place(err).fail(err)
}

// place picks the message next to the part of the form an error is about.
func (c *cashierScreen) place(err error) message {
	switch regie.ErrorCodeOf(err) {
	case regie.EModeNotAllowed, regie.ECashLimit, regie.EChangeNotCash, regie.ECheckDetails,
		regie.ECardDetails, regie.ETransferDetails, regie.EVoucherDetails, regie.ETenderMismatch, regie.EInvalidAmount,
		regie.EAmountNotPositive:
		return c.tenderErr
	case regie.EOverRemaining, regie.EPartialRefused, regie.EAllocationRequired, regie.EAllocationTarget,
		regie.EAnonymousRefused, regie.EInvoiceNotFound, regie.EItemNotFound, regie.EHouseholdMismatch:
		return c.allocErr
	}
	return c.err
}
