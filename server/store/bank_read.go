package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"strings"

	"github.com/regie-fr/regie"
)

// The reads of the bank statements, each scoped by the régies the caller
// may see: a régie outside the list reads as unknown, never as forbidden.

// BankStatementRow is a statement with its entries counted by what became
// of them.
type BankStatementRow struct {
	BankStatement
	Credits, Debits, Paid, Pending, Left, Other int
}

// BankStatements lists the régies' statements, latest import first, each
// with its entries counted by where they stand (BankEntry.State) in one
// query.
func (t *Tx) BankStatements(regies []string) ([]BankStatementRow, error) {
	cond, args, ok := regieScope("regie", regies)
	if !ok {
		return nil, nil
	}
	sts, err := t.bankStatements(`WHERE `+cond+` ORDER BY imported_at DESC, rowid DESC`, args...)
	if err != nil {
		return nil, err
	}
	counts := map[string]*BankStatementRow{}
	out := make([]BankStatementRow, len(sts))
	for i, s := range sts {
		out[i] = BankStatementRow{BankStatement: s}
		counts[s.ID] = &out[i]
	}
	rows, err := t.query(`SELECT statement_id, CASE
			WHEN direction = 'debit' THEN 'debit'
			WHEN EXISTS (SELECT 1 FROM bank_decisions d WHERE d.entry_id = e.id AND d.payment_id <> '') THEN 'paid'
			WHEN mode = '' THEN 'other'
			WHEN (SELECT kind FROM bank_decisions d WHERE d.entry_id = e.id ORDER BY at DESC, rowid DESC LIMIT 1) = 'leave' THEN 'left'
			ELSE 'pending' END, count(*)
		FROM bank_entries e WHERE `+cond+` GROUP BY 1, 2`, args...)
	if err != nil {
		return nil, wrap("bank statements", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, state string
		var n int
		if err := rows.Scan(&id, &state, &n); err != nil {
			return nil, wrap("bank statements", err)
		}
		r := counts[id]
		if r == nil {
			continue
		}
		switch state {
		case "debit":
			r.Debits += n
			continue
		case "paid":
			r.Paid += n
		case "other":
			r.Other += n
		case "left":
			r.Left += n
		default:
			r.Pending += n
		}
		r.Credits += n
	}
	return out, wrap("bank statements", rows.Err())
}

// BankStatementByID reads a statement of the régies, nil when unknown.
func (t *Tx) BankStatementByID(regies []string, id string) (*BankStatement, error) {
	cond, args, ok := regieScope("regie", regies)
	if !ok {
		return nil, nil
	}
	sts, err := t.bankStatements(`WHERE id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil || len(sts) == 0 {
		return nil, err
	}
	return &sts[0], nil
}

func (t *Tx) bankStatements(where string, args ...any) ([]BankStatement, error) {
	rows, err := t.query(`SELECT id, regie, iban, format, stmt_ref, sha256, filename, from_day, to_day, entries, added,
		staff_id, imported_at FROM bank_statements `+where, args...)
	if err != nil {
		return nil, wrap("bank statements", err)
	}
	defer rows.Close()
	var out []BankStatement
	for rows.Next() {
		var s BankStatement
		var at string
		if err := rows.Scan(&s.ID, &s.Regie, &s.IBAN, &s.Format, &s.StmtRef, &s.SHA256, &s.Filename, &s.From, &s.To,
			&s.Entries, &s.Added, &s.StaffID, &at); err != nil {
			return nil, wrap("bank statements", err)
		}
		s.At = parseDBTime(at)
		out = append(out, s)
	}
	return out, wrap("bank statements", rows.Err())
}

// BankEntriesOf lists a statement's entries in their order, with their
// decisions.
func (t *Tx) BankEntriesOf(regies []string, statementID string) ([]BankEntry, error) {
	cond, args, ok := regieScope("regie", regies)
	if !ok {
		return nil, nil
	}
	return t.bankEntries(`WHERE statement_id = ? AND `+cond+` ORDER BY idx`, append([]any{statementID}, args...)...)
}

// BankPending lists the régies' credits still waiting for the régisseur
// (transfers and direct debits with no payment), oldest first, those left
// as a credit included.
func (t *Tx) BankPending(regies []string) ([]BankEntry, error) {
	cond, args, ok := regieScope("regie", regies)
	if !ok {
		return nil, nil
	}
	return t.bankEntries(`WHERE `+cond+` AND direction = 'credit' AND mode <> ''
		AND NOT EXISTS (SELECT 1 FROM bank_decisions d WHERE d.entry_id = bank_entries.id AND d.payment_id <> '')
		ORDER BY booking_day, rowid`, args...)
}

// BankEntryByID reads an entry of the régies with its decisions, nil when
// unknown.
func (t *Tx) BankEntryByID(regies []string, id string) (*BankEntry, error) {
	cond, args, ok := regieScope("regie", regies)
	if !ok {
		return nil, nil
	}
	es, err := t.bankEntries(`WHERE id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil || len(es) == 0 {
		return nil, err
	}
	return &es[0], nil
}

func (t *Tx) bankEntries(where string, args ...any) ([]BankEntry, error) {
	rows, err := t.query(`SELECT id, regie, iban, ref, statement_id, idx, booking_day, value_day, amount, direction, mode,
		code, remitter, remittance, outcome, candidates FROM bank_entries `+where, args...)
	if err != nil {
		return nil, wrap("bank entries", err)
	}
	var out []BankEntry
	for rows.Next() {
		var e BankEntry
		var amount int64
		var mode, cands string
		if err := rows.Scan(&e.ID, &e.Regie, &e.IBAN, &e.Ref, &e.StatementID, &e.Idx, &e.BookingDay, &e.ValueDay, &amount,
			&e.Direction, &mode, &e.Code, &e.Remitter, &e.Remittance, &e.Outcome, &cands); err != nil {
			rows.Close()
			return nil, wrap("bank entries", err)
		}
		e.Amount, e.Mode = regie.Money(amount), regie.PaymentMode(mode)
		if err := json.Unmarshal([]byte(cands), &e.Candidates); err != nil {
			rows.Close()
			return nil, wrap("bank entries", err)
		}
		out = append(out, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("bank entries", err)
	}
	for i := range out {
		if out[i].Decisions, err = t.bankDecisions(`WHERE entry_id = ?`, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// BankInvoice is an invoice as matching and the review see it.
type BankInvoice struct {
	ID, Number, HouseholdID, Account, Household, Label string
	Amount, Remaining                                  regie.Money
}

// BankReferences maps, for a régie, every invoice number and every account
// number of a household with an invoice of the régie, folded (capitals,
// letters and digits only), to invoice and household ids: what matching
// looks the words of a remittance up in. Read once per import.
func (t *Tx) BankReferences(regieCode string) (invoices, households map[string][]string, err error) {
	invoices, households = map[string][]string{}, map[string][]string{}
	rows, err := t.query(`SELECT i.id, i.number, h.id, h.account FROM invoices i JOIN households h ON h.id = i.household_id
		WHERE i.regie = ?`, regieCode)
	if err != nil {
		return nil, nil, wrap("bank references", err)
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var id, number, hid, account string
		if err := rows.Scan(&id, &number, &hid, &account); err != nil {
			return nil, nil, wrap("bank references", err)
		}
		k := FoldRef(number)
		invoices[k] = append(invoices[k], id)
		if !seen[hid] {
			seen[hid] = true
			k := FoldRef(account)
			households[k] = append(households[k], hid)
		}
	}
	return invoices, households, wrap("bank references", rows.Err())
}

// FoldRef is how a reference is compared with the words of a remittance:
// capitals, letters and digits only, so that "fac-2026-00101",
// "FAC 2026 00101" written as one word and "FAC202600101" agree.
func FoldRef(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// BankInvoices reads invoices of a régie by id (unknown ids and invoices of
// other régies are left out), with their remaining amounts now.
func (t *Tx) BankInvoices(regieCode string, ids []string) ([]BankInvoice, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{regieCode}
	for _, id := range ids {
		args = append(args, id)
	}
	return t.bankInvoices(`i.regie = ? AND i.id IN (`+placeholders(len(ids))+`) ORDER BY i.number`, args...)
}

// BankOpenInvoices lists the open invoices (something left to pay) of a
// household in a régie, oldest number first.
func (t *Tx) BankOpenInvoices(regieCode, householdID string) ([]BankInvoice, error) {
	return t.bankInvoices(`i.regie = ? AND i.household_id = ? AND i.paid < i.amount ORDER BY i.number`, regieCode, householdID)
}

// BankFindHousehold finds the household the régisseur typed — an account
// number, or the number of one of its invoices in the régie — and gives
// its id; "" when neither is known in the régie.
func (t *Tx) BankFindHousehold(regieCode, q string) (string, error) {
	var id string
	err := t.queryRow(`SELECT household_id FROM invoices WHERE regie = ? AND upper(number) = upper(?)
		UNION ALL SELECT h.id FROM households h WHERE upper(h.account) = upper(?)
		AND EXISTS (SELECT 1 FROM invoices i WHERE i.household_id = h.id AND i.regie = ?) LIMIT 1`,
		regieCode, strings.TrimSpace(q), strings.TrimSpace(q), regieCode).Scan(&id)
	if notFound(err) {
		return "", nil
	}
	return id, wrap("bank find household", err)
}

func (t *Tx) bankInvoices(where string, args ...any) ([]BankInvoice, error) {
	rows, err := t.query(`SELECT i.id, i.number, i.household_id, h.account, h.name, json_extract(i.data, '$.label'),
		i.amount, CASE WHEN i.amount > i.paid THEN i.amount - i.paid ELSE 0 END FROM invoices i JOIN households h ON h.id = i.household_id WHERE `+where, args...)
	if err != nil {
		return nil, wrap("bank invoices", err)
	}
	defer rows.Close()
	var out []BankInvoice
	for rows.Next() {
		var v BankInvoice
		var amount, remaining int64
		var label *string
		if err := rows.Scan(&v.ID, &v.Number, &v.HouseholdID, &v.Account, &v.Household, &label, &amount, &remaining); err != nil {
			return nil, wrap("bank invoices", err)
		}
		if label != nil {
			v.Label = *label
		}
		v.Amount, v.Remaining = regie.Money(amount), regie.Money(remaining)
		out = append(out, v)
	}
	return out, wrap("bank invoices", rows.Err())
}

// FromBankStatement tells whether a payment was recorded from an entry of a
// bank statement (matched at import or assigned in the review): such a
// payment is tied to its entry, which cannot be assigned again, so it is
// not cancelled from the payment's page (ledger.Cancel).
func (t *Tx) FromBankStatement(paymentID string) (bool, error) {
	var one int
	err := t.queryRow(`SELECT 1 FROM bank_decisions WHERE payment_id = ? LIMIT 1`, paymentID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, wrap("bank payment", err)
}
