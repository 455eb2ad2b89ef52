package store

import (
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/regie-fr/regie"
)

// UpsertHousehold creates or updates a household found by its id (the
// business software's external id). A household that did not change keeps
// its revision, so importing the same file twice sends nothing to counters.
func (t *Tx) UpsertHousehold(h *regie.Household) error { return t.UpsertHouseholdIn("", h) }

// UpsertHouseholdIn creates or updates a household of an organisation
// ("": the server's only one); regie.EConflict when the id is another
// organisation's household.
func (t *Tx) UpsertHouseholdIn(org string, h *regie.Household) error {
	org, err := t.householdOrgFor(org, h.ID)
	if err != nil {
		return err
	}
	data, err := json.Marshal(h)
	if err != nil {
		return wrap("upsert household", err)
	}
	rev, err := t.nextRev()
	if err != nil {
		return err
	}
	n, err := t.execCount(qUpsertHousehold, h.ID, h.Account, h.Name, string(data), rev, org)
	if err != nil || n == 0 || !t.pg {
		return wrap("upsert household", err)
	}
	return t.householdWords(h.ID, h.Name)
}

// householdWords writes the folded words of a household's name on
// PostgreSQL, where the SQLite trigger household_words_rename cannot run:
// the trigger calls regie.FoldName through the driver. Households are only
// written by UpsertHousehold, so this is their one write path.
func (t *Tx) householdWords(id, name string) error {
	if err := t.exec(`DELETE FROM household_words WHERE household_id = ?`, id); err != nil {
		return wrap("household words", err)
	}
	for _, w := range nameWords(name) {
		if err := t.exec(`INSERT INTO household_words (word, household_id) VALUES (?, ?)`, w, id); err != nil {
			return wrap("household words", err)
		}
	}
	return nil
}

var qUpsertHousehold = hot(`INSERT INTO households (id, account, name, data, rev, org) VALUES (?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET org = excluded.org, account = excluded.account, name = excluded.name, data = excluded.data,
	rev = excluded.rev WHERE households.data IS DISTINCT FROM excluded.data`)

var qUpsertInvoice = hot(`INSERT INTO invoices (id, number, household_id, regie, amount, data, rev) VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (id) DO UPDATE SET number = excluded.number, household_id = excluded.household_id,
	regie = excluded.regie, amount = excluded.amount, data = excluded.data, rev = excluded.rev
	WHERE invoices.data IS DISTINCT FROM excluded.data OR invoices.regie IS DISTINCT FROM excluded.regie`)

// UpsertInvoice creates or updates an invoice of a régie found by its id.
// What was paid on it is kept: the server applied it from the journals.
func (t *Tx) UpsertInvoice(regieCode string, inv *regie.Invoice) error {
	if err := t.invoiceOrgFixed(regieCode, inv.ID); err != nil {
		return err
	}
	stored := *inv
	stored.Remaining = 0 // computed from paid at each read
	data, err := json.Marshal(&stored)
	if err != nil {
		return wrap("upsert invoice", err)
	}
	rev, err := t.nextRev()
	if err != nil {
		return err
	}
	return wrap("upsert invoice", t.exec(qUpsertInvoice, inv.ID, inv.Number, inv.HouseholdID, regieCode,
		int64(inv.Amount), string(data), rev))
}

// Household reads a household; nil when unknown.
func (t *Tx) Household(id string) (*regie.Household, error) {
	var data string
	err := t.queryRow(`SELECT data FROM households WHERE id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("household", err)
	}
	var h regie.Household
	return &h, wrap("household", json.Unmarshal([]byte(data), &h))
}

// HouseholdKeys maps every household of an organisation to its account
// number, for an import to check references and uniqueness before it
// writes anything.
func (t *Tx) HouseholdKeys(org string) (map[string]string, error) {
	return t.pairs(`SELECT id, account FROM households WHERE org = ?`, org)
}

// InvoiceKeys maps every invoice of an organisation's régies to its
// InvoiceKey (régie and number: numbers are unique within a régie).
func (t *Tx) InvoiceKeys(org string) (map[string]string, error) {
	return t.pairs(`SELECT i.id, i.regie || '/' || i.number FROM invoices i JOIN regies r ON r.code = i.regie WHERE r.org = ?`, org)
}

// InvoiceKey names an invoice number within its régie, as InvoiceKeys
// gives it.
func InvoiceKey(regieCode, number string) string { return regieCode + "/" + number }

func (t *Tx) pairs(q string, args ...any) (map[string]string, error) {
	rows, err := t.query(q, args...)
	if err != nil {
		return nil, wrap("keys", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, wrap("keys", err)
		}
		out[k] = v
	}
	return out, wrap("keys", rows.Err())
}

// InvoiceState is an invoice as the server holds it: what was paid on it by
// every counter, what remains, and the credit (trop-perçu) it gave rise to.
type InvoiceState struct {
	regie.Invoice
	Regie  string
	Paid   regie.Money
	Credit regie.Money
}

// Invoice reads an invoice with its state; nil when unknown.
func (t *Tx) Invoice(id string) (*InvoiceState, error) {
	var data, regieCode string
	var amount, paid, credit int64
	err := t.queryRow(`SELECT data, regie, amount, paid,
		(SELECT coalesce(sum(amount), 0) FROM credits WHERE invoice_id = i.id) FROM invoices i WHERE id = ?`, id).
		Scan(&data, &regieCode, &amount, &paid, &credit)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("invoice", err)
	}
	s := &InvoiceState{Regie: regieCode, Paid: regie.Money(paid), Credit: regie.Money(credit)}
	if err := json.Unmarshal([]byte(data), &s.Invoice); err != nil {
		return nil, wrap("invoice", err)
	}
	s.Remaining = regie.Money(max(amount-paid, 0))
	return s, nil
}

// HouseholdCredit is a household's credit (trop-perçu) balance.
func (t *Tx) HouseholdCredit(householdID string) (regie.Money, error) {
	var n int64
	err := t.queryRow(`SELECT coalesce(sum(amount), 0) FROM credits WHERE household_id = ?`, householdID).Scan(&n)
	return regie.Money(n), wrap("household credit", err)
}
