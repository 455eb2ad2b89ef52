package app

import (
	"github.com/regie-fr/regie"
)

// journalRules are the rules every entry this counter records must meet —
// the same regie.JournalRules the server applies to a push and verify to a
// stored journal — answered from the counter's store. A use case checks
// what it needs to explain itself to the agent first; these rules are the
// last word before anything is written, so that the counter never records
// what the server would refuse. The history is the store's own
// (store.History), the one the counter's start check replays against.
func (c *Counter) journalRules(tx Tx, settings *regie.Regie, ident *regie.Counter) *regie.JournalRules {
	return &regie.JournalRules{Settings: settings, Counter: ident.Code, Loc: c.loc, History: tx.JournalHistory(),
		Refs: txRefs{tx: tx, regie: settings.Code}}
}

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
