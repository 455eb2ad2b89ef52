package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/regie-fr/regie"
)

// modeKeys are the function keys that add a tender of each mode.
var modeKeys = []struct {
	mode regie.PaymentMode
	key  fyne.KeyName
}{
	{regie.Cash, fyne.KeyF1}, {regie.Check, fyne.KeyF2}, {regie.Card, fyne.KeyF3},
	{regie.Transfer, fyne.KeyF4}, {regie.HolidayCheck, fyne.KeyF5}, {regie.CESU, fyne.KeyF6},
}

// A direct debit is never handed over at a desk: the régie draws it from the
// payer's account and records it in the back-office, from the bank statement
// (server/bank), so the cashier offers no button for it even when the
// régie's acte constitutif lists it.

// tenderRow is one means of payment being entered: its amount and the
// details its mode asks for.
type tenderRow struct {
	mode     regie.PaymentMode
	box      *fyne.Container
	amount   *keyEntry
	tendered *keyEntry
	change   *widget.Label
	number   *keyEntry
	bank     *keyEntry
	drawer   *keyEntry
	auth     *keyEntry
	pan      *keyEntry
	ref      *keyEntry
	count    *keyEntry
	card     *cardPanel
	remove   *keyButton
}

func newTenderRow(c *cashierScreen, mode regie.PaymentMode, amount regie.Money) *tenderRow {
	u := c.u
	r := &tenderRow{mode: mode, amount: newKeyEntry(u, "montant")}
	r.amount.SetText(amount.FormatPlain())
	r.amount.OnChanged = func(string) { r.updateChange(); c.updateDue() }
	r.amount.OnSubmitted = func(string) { c.validate() }
	r.remove = newKeyButton(u, "Retirer", func() { c.removeTender(r) })
	fields := []*widget.FormItem{widget.NewFormItem("Montant", r.amount)}
	submit := func(string) { c.validate() }
	entry := func(label, placeholder string) *keyEntry {
		e := newKeyEntry(u, placeholder)
		e.OnSubmitted = submit
		fields = append(fields, widget.NewFormItem(label, e))
		return e
	}
	switch mode {
	case regie.Cash:
		r.tendered = entry("Somme remise", "laisser vide si l'appoint est fait")
		r.tendered.OnChanged = func(string) { r.updateChange() }
		r.change = heading("")
		fields = append(fields, widget.NewFormItem("À rendre", r.change))
	case regie.Check:
		r.number = entry("N° de chèque", "ex. 0001234")
		r.bank = entry("Banque", "ex. Crédit Agricole")
		r.drawer = entry("Tireur", "nom sur le chèque")
	case regie.Card:
		r.card = newCardPanel(c, r)
		r.auth = entry("N° d'autorisation", "si le TPE n'est pas relié à la caisse")
		r.pan = entry("Carte (masquée)", "facultatif, ex. 497010******1234")
	case regie.Transfer, regie.DirectDebit:
		r.ref = entry("Référence", "référence du virement")
	case regie.HolidayCheck, regie.CESU:
		r.count = entry("Nombre de titres", "ex. 3")
	}
	form := widget.NewForm(fields...)
	parts := []fyne.CanvasObject{container.NewBorder(nil, nil, heading(mode.Label()), r.remove), form}
	if r.card != nil {
		parts = append(parts, r.card.box)
	}
	r.box = container.NewVBox(append(parts, widget.NewSeparator())...)
	r.updateChange()
	return r
}

// reset empties a spare row for a new tender of amount.
func (r *tenderRow) reset(amount regie.Money) {
	for _, e := range []*keyEntry{r.tendered, r.number, r.bank, r.drawer, r.auth, r.pan, r.ref, r.count} {
		if e != nil {
			e.SetText("")
			e.Enable()
		}
	}
	r.amount.Enable()
	r.amount.SetText(amount.FormatPlain())
	if r.card != nil {
		r.card.reset()
	}
	r.updateChange()
}

// first is where the agent types after adding the row: the detail the mode
// cannot do without, or the amount.
func (r *tenderRow) first() fyne.Focusable {
	switch {
	case r.tendered != nil:
		return r.tendered
	case r.number != nil:
		return r.number
	case r.ref != nil:
		return r.ref
	case r.count != nil:
		return r.count
	}
	return r.amount
}

func (r *tenderRow) updateChange() {
	if r.change == nil {
		return
	}
	amount, err1 := parseAmount(r.amount.Text)
	given, err2 := parseAmount(r.tendered.Text)
	switch {
	case err1 != nil || err2 != nil || r.tendered.Text == "":
		r.change.SetText("")
	case given < amount:
		r.change.SetText("somme remise insuffisante")
	default:
		r.change.SetText((given - amount).String())
	}
}

// tender reads the row as a regie.Tender; the core checks the rules.
func (r *tenderRow) tender() (regie.Tender, error) {
	t := regie.Tender{Mode: r.mode}
	var err error
	if t.Amount, err = parseAmount(r.amount.Text); err != nil {
		return t, err
	}
	text := func(e *keyEntry) string {
		if e == nil {
			return ""
		}
		return strings.TrimSpace(e.Text)
	}
	switch r.mode {
	case regie.Cash:
		if t.Tendered, err = parseAmount(r.tendered.Text); err != nil {
			return t, err
		}
		if t.Tendered == 0 {
			t.Tendered = t.Amount
		}
		t.Change = t.Tendered - t.Amount
	case regie.Check:
		t.CheckNumber, t.Bank, t.Drawer = text(r.number), text(r.bank), text(r.drawer)
	case regie.Card:
		t.Authorisation, t.MaskedPAN = text(r.auth), text(r.pan)
		if res := r.card.result; res != nil {
			t.MaskedPAN, t.TerminalStatus = res.MaskedPAN, res.Status
			if res.Authorisation != "" {
				t.Authorisation = res.Authorisation
			}
		} else {
			t.Keyed = true
		}
	case regie.Transfer, regie.DirectDebit:
		t.Reference = text(r.ref)
	case regie.HolidayCheck, regie.CESU:
		if s := text(r.count); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n <= 0 {
				return t, regie.Errorf(regie.EVoucherDetails, "Nombre de titres invalide : « %s ».", s)
			}
			t.Count = n
		}
	}
	return t, nil
}
