package printing

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// receiptView is a receipt's wording, computed once from ReceiptData and
// laid out by the A5 page, the 80 mm PDF ticket and the ESC/POS ticket: the
// three say exactly the same thing.
type receiptView struct {
	regieName, address, counter string
	number, when, agent         string
	household, account          string
	payer                       string
	duplicate                   string // "" or "Réimpression du 28/11/2026 à 09:10"
	cancelled                   []string
	lines                       []receiptLine
	tenders                     []receiptTender
	total, words                string
	hash, url                   string
	created                     time.Time
}

// receiptLine is one thing settled: an invoice or a catalogue item.
type receiptLine struct {
	ref       string // "FAC-2026-00101" or "PISC-ENT × 2"
	invoice   bool
	label     string
	paid      string
	remaining string // "" when not known or not an invoice
	credit    string // "" or the trop-perçu accepted
}

// receiptTender is one means of payment with what identifies it.
type receiptTender struct {
	mode, detail, amount string
}

// errNoPayment is returned when the data has no payment to print.
var errNoPayment = errors.New("printing: receipt: no payment")

// newReceiptView words the receipt; times are shown in the régie's zone.
func newReceiptView(d *ReceiptData) (*receiptView, error) {
	p := d.Payment
	if p == nil {
		return nil, errNoPayment
	}
	loc := location(&d.Regie)
	v := &receiptView{
		regieName: d.Regie.Name, address: d.Regie.Address, counter: d.Counter,
		number: p.Receipt, when: frDateTime(p.At.In(loc)), agent: d.Agent,
		household: d.Household, account: d.Account,
		total: p.Total.String(), words: p.Total.Words(),
		hash: shortHash(d.Hash), url: d.VerifyURL, created: p.At,
	}
	if v.household == "" {
		v.household = "Usager anonyme"
	}
	if p.Payer != "" && p.Payer != d.Household {
		v.payer = p.Payer
	}
	if d.Duplicate != nil {
		v.duplicate = "Réimpression du " + frDateTime(d.Duplicate.In(loc))
		v.created = *d.Duplicate
	}
	if c := d.Cancelled; c != nil {
		by := d.CancelledBy
		if by == "" {
			by = c.ApprovedBy
		}
		v.cancelled = append(v.cancelled, fmt.Sprintf("Paiement annulé le %s par %s.", frDateTime(c.At.In(loc)), by))
		motif := "Motif : " + c.Reason
		if strings.TrimSpace(c.Comment) != "" {
			motif += " (" + c.Comment + ")"
		}
		v.cancelled = append(v.cancelled, motif+".", "Ce reçu ne vaut pas quittance.")
		if c.At.After(v.created) {
			v.created = c.At
		}
	}
	for _, a := range p.Allocations {
		l := receiptLine{label: a.Label, paid: a.Amount.String()}
		switch {
		case a.InvoiceID != "" || a.InvoiceNumber != "":
			l.ref, l.invoice = a.InvoiceNumber, true
			if r, ok := d.Remaining[a.InvoiceID]; ok {
				l.remaining = r.String()
			}
		case a.Quantity > 1:
			l.ref = fmt.Sprintf("%s × %d", a.ItemCode, a.Quantity)
		default:
			l.ref = a.ItemCode
		}
		if a.Credit > 0 {
			l.credit = a.Credit.String()
		}
		v.lines = append(v.lines, l)
	}
	for i := range p.Tenders {
		t := &p.Tenders[i]
		v.tenders = append(v.tenders, receiptTender{mode: t.Mode.Label(), detail: tenderDetail(t), amount: t.Amount.String()})
	}
	return v, nil
}

// title is the receipt's heading.
func (v *receiptView) title() string { return "Reçu n° " + v.number }

// householdLine is "Lefèvre Hélène – compte F001001".
func (v *receiptView) householdLine() string {
	if v.account == "" {
		return v.household
	}
	return v.household + " – compte " + v.account
}

// Layout is the paper a receipt PDF is made for.
type Layout int

// The receipt layouts.
const (
	// PageA5 is an A5 portrait page, for an office printer (two fit on A4).
	PageA5 Layout = iota
	// Ticket80 is an 80 mm wide roll, as long as the receipt needs, for a
	// thermal printer driven by the system (CUPS or Windows) rather than by
	// ESC/POS.
	Ticket80
)

// String names the layout, for logs and settings.
func (l Layout) String() string {
	switch l {
	case PageA5:
		return "A5"
	case Ticket80:
		return "ticket 80 mm"
	}
	return fmt.Sprintf("Layout(%d)", int(l))
}
