package app

import (
	"github.com/regie-fr/regie"
)

// journalRules are the rules every entry this counter records must meet —
// the same regie.JournalRules the server applies to a push and verify to a
// stored journal — answered from the counter's store. A use case checks
// what it needs to explain itself to the agent first; these rules are the
// last word before anything is written, so that the counter never records
// what the server would refuse.
func (c *Counter) journalRules(tx Tx, settings *regie.Regie, ident *regie.Counter) *regie.JournalRules {
	return &regie.JournalRules{Settings: settings, Counter: ident.Code, Loc: c.loc, History: txHistory{tx},
		Refs: txRefs{tx: tx, regie: settings.Code}}
}

// txHistory is regie.JournalHistory over the counter's store.
type txHistory struct{ tx Tx }

var _ regie.JournalHistory = txHistory{}

func (h txHistory) LastReceipt(year int) (int, error) { return h.tx.LastReceiptNumber(year) }

func (h txHistory) Session(id string) (*regie.TillSession, error) {
	e, err := h.tx.Entry(id)
	if err != nil || e == nil || e.Kind != regie.KindSessionOpen {
		return nil, err
	}
	obj, err := regie.DecodeEntry(e)
	s, _ := obj.(*regie.TillSession)
	return s, err
}

func (h txHistory) Sealed(day string) (bool, error) { return h.tx.DayClosed(day) }

func (h txHistory) Payment(id string) (*regie.Payment, error) { return h.tx.Payment(id) }

func (h txHistory) Cancelled(paymentID string) (bool, error) {
	x, err := h.tx.CancellationOf(paymentID)
	return x != nil, err
}

// Deposited: the counter's store counts the deposited cheques of a
// payment, whatever the tender.
func (h txHistory) Deposited(paymentID string, _ int) (bool, error) {
	n, err := h.tx.DepositedChecks(paymentID)
	return n > 0, err
}

func (h txHistory) DayFigures(day string) (*regie.DayFigures, error) { return h.tx.DayFigures(day) }

func (h txHistory) LastClosing() (*regie.Closing, error) { return h.tx.LastClosing() }

// txRefs is regie.References over what the counter pulled: it holds only
// its régie's invoices and catalogue.
type txRefs struct {
	tx    Tx
	regie string
}

func (r txRefs) HouseholdKnown(id string) (bool, error) {
	h, err := r.tx.HouseholdRef(id)
	return h != nil, err
}

func (r txRefs) Invoice(id string) (*regie.InvoiceRef, error) {
	inv, err := r.tx.Invoice(id)
	if err != nil || inv == nil {
		return nil, err
	}
	return &regie.InvoiceRef{Number: inv.Number, HouseholdID: inv.HouseholdID, Regie: r.regie}, nil
}

func (r txRefs) ItemKnown(regieCode, code string) (bool, error) {
	it, err := r.tx.Item(code)
	return it != nil && regieCode == r.regie, err
}
