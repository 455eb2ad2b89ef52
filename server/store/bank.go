package store

import (
	"encoding/json"
	"time"

	"github.com/regie-fr/regie"
)

// The bank statements of the régies' accounts (migration 0014): server/bank
// parses and matches them, and writes through these methods in the
// transaction that records the payments, so that an entry, its decision,
// its payment and the audit entry are committed together or not at all.

// BankStatement is one imported statement: the file as received, and how
// many of its entries were new.
type BankStatement struct {
	ID, Regie, IBAN, Format string
	// StmtRef is the statement's own id (camt.053 Stmt/Id), "" for CSV.
	StmtRef  string
	SHA256   string
	Filename string
	From, To string
	// Entries is how many entries the file holds, Added how many of them
	// were not imported before.
	Entries, Added int
	StaffID        string
	At             time.Time
}

// The outcomes of matching a bank entry at import.
const (
	BankMatched   = "matched"   // one open invoice, the exact amount: recorded
	BankAmbiguous = "ambiguous" // invoices or a household named, but no sure match
	BankUnmatched = "unmatched" // nothing the remittance names is known
	BankOther     = "other"     // a credit that is no transfer nor direct debit
	BankDebit     = "debit"     // money out: listed, never a payment
)

// BankEntry is one entry of an account, as imported, with what became of it.
type BankEntry struct {
	ID, Regie, IBAN, Ref, StatementID string
	Idx                               int
	BookingDay, ValueDay              string
	Amount                            regie.Money
	Direction                         string // "credit" or "debit"
	Mode                              regie.PaymentMode
	Code, Remitter, Remittance        string
	Outcome                           string
	// Candidates are the invoices matching found (ids), for the review.
	Candidates []string
	// Decisions are what was decided on the entry, oldest first (read
	// only by BankEntryByID and the lists).
	Decisions []BankDecision
}

// BankDecision is what was decided on a credit: kind "auto" (matched at
// import), "assign" (one invoice), "split" (several), with the payment it
// recorded, or "leave" (left as a credit to identify).
type BankDecision struct {
	ID, EntryID, Regie, Kind string
	PaymentID, Receipt       string
	HouseholdID              string
	StaffID                  string
	At                       time.Time
	Comment                  string
}

// Paid is the decision that recorded the entry's payment, nil when none.
func (e *BankEntry) Paid() *BankDecision {
	for i := range e.Decisions {
		if e.Decisions[i].PaymentID != "" {
			return &e.Decisions[i]
		}
	}
	return nil
}

// Left tells whether the entry's last decision left it as a credit.
func (e *BankEntry) Left() bool {
	return len(e.Decisions) > 0 && e.Decisions[len(e.Decisions)-1].Kind == "leave" && e.Paid() == nil
}

// Pending tells whether the credit still waits for the régisseur: a
// transfer or direct debit with no payment recorded.
func (e *BankEntry) Pending() bool {
	return e.Direction == "credit" && e.Mode != "" && e.Paid() == nil
}

// BankAccountRegie is the régie an account was bound to, "" when none yet.
func (t *Tx) BankAccountRegie(iban string) (string, error) {
	var code string
	err := t.queryRow(`SELECT regie FROM bank_accounts WHERE iban = ?`, iban).Scan(&code)
	if notFound(err) {
		return "", nil
	}
	return code, wrap("bank account", err)
}

// BindBankAccount binds an account to a régie at its first statement.
func (t *Tx) BindBankAccount(iban, regieCode string, now time.Time) error {
	return wrap("bind bank account", t.exec(`INSERT INTO bank_accounts (iban, regie, bound_at) VALUES (?, ?, ?)`,
		iban, regieCode, dbTime(now)))
}

// BankEntryKnown is the entry the account already has under ref (its
// amount, direction and booking day filled), nil when none.
func (t *Tx) BankEntryKnown(iban, ref string) (*BankEntry, error) {
	e := &BankEntry{IBAN: iban, Ref: ref}
	var amount int64
	err := t.queryRow(`SELECT id, regie, amount, direction, booking_day FROM bank_entries WHERE iban = ? AND ref = ?`, iban, ref).
		Scan(&e.ID, &e.Regie, &amount, &e.Direction, &e.BookingDay)
	if notFound(err) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("bank entry known", err)
	}
	e.Amount = regie.Money(amount)
	return e, nil
}

// InsertBankStatement records an imported statement.
func (t *Tx) InsertBankStatement(s *BankStatement) error {
	return wrap("insert bank statement", t.exec(`INSERT INTO bank_statements (id, regie, iban, format, stmt_ref, sha256,
		filename, from_day, to_day, entries, added, staff_id, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		s.ID, s.Regie, s.IBAN, s.Format, s.StmtRef, s.SHA256, s.Filename, s.From, s.To, s.Entries, s.Added, s.StaffID, dbTime(s.At)))
}

// InsertBankEntry records a new entry of a statement.
func (t *Tx) InsertBankEntry(e *BankEntry) error {
	cands, err := json.Marshal(append([]string{}, e.Candidates...))
	if err != nil {
		return wrap("insert bank entry", err)
	}
	return wrap("insert bank entry", t.exec(`INSERT INTO bank_entries (id, regie, iban, ref, statement_id, idx, booking_day,
		value_day, amount, direction, mode, code, remitter, remittance, outcome, candidates)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, e.Regie, e.IBAN, e.Ref, e.StatementID, e.Idx, e.BookingDay, e.ValueDay, int64(e.Amount), e.Direction,
		string(e.Mode), e.Code, e.Remitter, e.Remittance, e.Outcome, string(cands)))
}

// InsertBankDecision appends a decision on an entry. A second decision
// recording a payment for the same entry is refused by the store itself
// (a unique index), whoever tries.
func (t *Tx) InsertBankDecision(d *BankDecision) error {
	err := t.exec(`INSERT INTO bank_decisions (id, entry_id, regie, kind, payment_id, receipt, household_id, staff_id, at, comment)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.EntryID, d.Regie, d.Kind, d.PaymentID, d.Receipt, d.HouseholdID, d.StaffID, dbTime(d.At), d.Comment)
	if err != nil && isConstraint(err) {
		return regie.Errorf(regie.EConflict, "Ce crédit est déjà enregistré comme paiement.")
	}
	return wrap("insert bank decision", err)
}

// BankDecisionByID reads a decision, nil when unknown: a form sent twice
// finds the decision it already made.
func (t *Tx) BankDecisionByID(id string) (*BankDecision, error) {
	ds, err := t.bankDecisions(`WHERE id = ?`, id)
	if err != nil || len(ds) == 0 {
		return nil, err
	}
	return &ds[0], nil
}

func (t *Tx) bankDecisions(where string, args ...any) ([]BankDecision, error) {
	rows, err := t.query(`SELECT id, entry_id, regie, kind, payment_id, receipt, household_id, staff_id, at, comment
		FROM bank_decisions `+where+` ORDER BY at, rowid`, args...)
	if err != nil {
		return nil, wrap("bank decisions", err)
	}
	defer rows.Close()
	var out []BankDecision
	for rows.Next() {
		var d BankDecision
		var at string
		if err := rows.Scan(&d.ID, &d.EntryID, &d.Regie, &d.Kind, &d.PaymentID, &d.Receipt, &d.HouseholdID, &d.StaffID, &at, &d.Comment); err != nil {
			return nil, wrap("bank decisions", err)
		}
		d.At = parseDBTime(at)
		out = append(out, d)
	}
	return out, wrap("bank decisions", rows.Err())
}

// State is where the entry stands now: "debit" (money out), "paid" (a
// payment recorded), "other" (a credit that is no transfer nor direct
// debit), "left" (left as a credit to identify), "pending" (waiting).
func (e *BankEntry) State() string {
	switch {
	case e.Direction == "debit":
		return "debit"
	case e.Paid() != nil:
		return "paid"
	case e.Mode == "":
		return "other"
	case e.Left():
		return "left"
	}
	return "pending"
}
