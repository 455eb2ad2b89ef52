package store

import (
	"strings"
	"unicode/utf8"

	"github.com/regie-fr/regie"
)

// HouseholdMatch is a household as the back-office lists it when it looks
// for one (to enter a transfer, to export its data): what tells two
// namesakes apart, and what it owes in the régies searched.
type HouseholdMatch struct {
	ID, Account, Name string
	// Regies are the régies searched where it has invoices or payments.
	Regies []string
	// OpenInvoices and Due are its invoices not fully paid in those
	// régies, and what remains on them.
	OpenInvoices int
	Due          regie.Money
}

// maxHouseholdMatches bounds a list of households found.
const maxHouseholdMatches = 50

// FindHouseholds finds the households of the régies of scope — those with
// an invoice or a payment there — whose account number or one of whose
// invoice numbers is q, or whose name has every word of q as the start of
// one of its words (the payments search's folding: no case, accent or
// hyphen). A household known only to other régies is never listed, so a
// régisseur learns nothing of the others' users.
func (t *Tx) FindHouseholds(scope []string, q string) ([]HouseholdMatch, error) {
	q = strings.TrimSpace(q)
	if len(q) > 200 || !utf8.ValidString(q) {
		return nil, regie.Errorf(regie.EInvalid, "Le critère de recherche est trop long ou illisible.")
	}
	in, scopeArgs, ok := regieScope("regie", scope)
	if !ok || q == "" {
		return nil, nil
	}
	// Account and invoice numbers as typed and in capitals (they are
	// written so), through their unique indexes.
	up := strings.ToUpper(q)
	args := []any{q, up, q, up}
	ids := `SELECT id FROM households WHERE account IN (?, ?)
		UNION SELECT household_id FROM invoices WHERE number IN (?, ?) AND ` + in
	args = append(args, scopeArgs...)
	if words := nameWords(q); len(words) > 0 && len(words) <= maxWords {
		ids += ` UNION SELECT * FROM (` + (&search{words: words}).wordsSQL(&args) + `)`
	}
	related := `(EXISTS (SELECT 1 FROM invoices WHERE household_id = h.id AND ` + in + `)
		OR EXISTS (SELECT 1 FROM portal_payments WHERE household_id = h.id AND ` + in + `))`
	args = append(args, scopeArgs...)
	args = append(args, scopeArgs...)
	rows, err := t.query(`SELECT h.id, h.account, h.name FROM households h WHERE h.id IN (`+ids+`) AND `+related+`
		ORDER BY h.name, h.account LIMIT ?`, append(args, maxHouseholdMatches)...)
	if err != nil {
		return nil, wrap("find households", err)
	}
	var out []HouseholdMatch
	for rows.Next() {
		var m HouseholdMatch
		if err := rows.Scan(&m.ID, &m.Account, &m.Name); err != nil {
			rows.Close()
			return nil, wrap("find households", err)
		}
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("find households", err)
	}
	for i := range out {
		if err := t.householdFigures(scope, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HouseholdInScope is the household if it has an invoice or a payment in
// one of the régies of scope, with its figures there; nil otherwise, exactly
// as for an unknown id.
func (t *Tx) HouseholdInScope(scope []string, id string) (*regie.Household, *HouseholdMatch, error) {
	h, err := t.Household(id)
	if err != nil || h == nil {
		return nil, nil, err
	}
	m := &HouseholdMatch{ID: h.ID, Account: h.Account, Name: h.Name}
	if err := t.householdFigures(scope, m); err != nil {
		return nil, nil, err
	}
	if len(m.Regies) == 0 {
		return nil, nil, nil
	}
	return h, m, nil
}

// householdFigures fills a match's régies and open invoices within scope.
func (t *Tx) householdFigures(scope []string, m *HouseholdMatch) error {
	in, args, ok := regieScope("regie", scope)
	if !ok {
		return nil
	}
	rows, err := t.query(`SELECT regie FROM invoices WHERE household_id = ? AND `+in+`
		UNION SELECT regie FROM portal_payments WHERE household_id = ? AND `+in+` ORDER BY 1`,
		append(append(append([]any{m.ID}, args...), m.ID), args...)...)
	if err != nil {
		return wrap("household regies", err)
	}
	m.Regies = nil
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			rows.Close()
			return wrap("household regies", err)
		}
		m.Regies = append(m.Regies, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap("household regies", err)
	}
	var due int64
	err = t.queryRow(`SELECT count(*), coalesce(sum(amount - paid), 0) FROM invoices
		WHERE household_id = ? AND amount > paid AND `+in, append([]any{m.ID}, args...)...).Scan(&m.OpenInvoices, &due)
	m.Due = regie.Money(due)
	return wrap("household figures", err)
}

// HouseholdInvoices are a household's invoices in a régie with what was
// paid on each and what remains, the ones still due first, then by due
// date and number.
func (t *Tx) HouseholdInvoices(regieCode, householdID string) ([]InvoiceState, error) {
	rows, err := t.query(`SELECT id FROM invoices WHERE household_id = ? AND regie = ?
		ORDER BY amount <= paid, json_extract(data, '$.due_on'), number`, householdID, regieCode)
	if err != nil {
		return nil, wrap("household invoices", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, wrap("household invoices", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("household invoices", err)
	}
	out := make([]InvoiceState, 0, len(ids))
	for _, id := range ids {
		inv, err := t.Invoice(id)
		if err != nil {
			return nil, err
		} else if inv != nil {
			out = append(out, *inv)
		}
	}
	return out, nil
}
