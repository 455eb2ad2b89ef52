package bank

import (
	"strings"

	"github.com/regie-fr/regie/server/store"
)

// matcher matches the credits of one import against a régie's invoices.
// The numbers it looks words up in are read once; the remaining amounts
// are read at each credit, so that a credit recorded earlier in the same
// import counts for the next ones.
type matcher struct {
	tx         *store.Tx
	regie      string
	invoices   map[string][]string // folded invoice number → ids
	households map[string][]string // folded account number → household ids
}

func newMatcher(tx *store.Tx, regieCode string) (*matcher, error) {
	inv, hh, err := tx.BankReferences(regieCode)
	if err != nil {
		return nil, err
	}
	return &matcher{tx: tx, regie: regieCode, invoices: inv, households: hh}, nil
}

// result is what matching found for a credit: its outcome, the invoices a
// person should look at, and the invoice to record it on when matched.
type result struct {
	outcome    string
	candidates []string
	invoice    *store.BankInvoice
}

// match applies the rule: a credit whose remittance names exactly one
// invoice of the régie (by its number), still open, whose remaining amount
// is the credit's — or names a household (by its account number) that has
// exactly one open invoice of that amount — is matched. Naming several
// invoices or households, an invoice of another household than the one
// named, an amount that does not fit, or a household with several open
// invoices makes it ambiguous; naming nothing known, unmatched.
func (m *matcher) match(e *Entry) (result, error) {
	if e.Direction == Debit {
		return result{outcome: store.BankDebit}, nil
	}
	if e.Mode == "" {
		return result{outcome: store.BankOther}, nil
	}
	var invIDs, hhIDs []string
	for _, w := range words(e.Remittance) {
		invIDs = appendNew(invIDs, m.invoices[w]...)
		hhIDs = appendNew(hhIDs, m.households[w]...)
	}
	switch {
	case len(invIDs) > 0:
		invs, err := m.tx.BankInvoices(m.regie, invIDs)
		if err != nil {
			return result{}, err
		}
		r := result{outcome: store.BankAmbiguous, candidates: invIDs}
		if len(invs) == 1 && invs[0].Remaining == e.Amount &&
			(len(hhIDs) == 0 || len(hhIDs) == 1 && hhIDs[0] == invs[0].HouseholdID) {
			r.outcome, r.invoice = store.BankMatched, &invs[0]
		}
		return r, nil
	case len(hhIDs) > 0:
		r := result{outcome: store.BankAmbiguous}
		var open []store.BankInvoice
		for _, h := range hhIDs {
			o, err := m.tx.BankOpenInvoices(m.regie, h)
			if err != nil {
				return result{}, err
			}
			open = append(open, o...)
		}
		for _, v := range open {
			r.candidates = append(r.candidates, v.ID)
		}
		if len(hhIDs) == 1 && len(open) == 1 && open[0].Remaining == e.Amount {
			r.outcome, r.invoice = store.BankMatched, &open[0]
		}
		return r, nil
	}
	return result{outcome: store.BankUnmatched}, nil
}

// words are the remittance's words folded as references are
// (store.FoldRef): split at spaces and the usual separators, hyphens and
// dots kept inside a word so that "FAC-2026-00101" stays one.
func words(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '/' || r == ',' || r == ';' || r == ':' || r == '(' || r == ')' || r == '+' || r == '*' || r == '='
	}) {
		if f := store.FoldRef(w); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func appendNew(list []string, ids ...string) []string {
	for _, id := range ids {
		found := false
		for _, x := range list {
			if x == id {
				found = true
				break
			}
		}
		if !found {
			list = append(list, id)
		}
	}
	return list
}
