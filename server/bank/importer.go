package bank

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/ledger"
	"github.com/regie-fr/regie/server/store"
)

// Import is a statement to record for a régie, parsed beforehand (Parse).
type Import struct {
	Regie    string
	StaffID  string // who imports: the matched payments' agent
	Filename string
	Data     []byte // the file as received, for its SHA-256
	*Statement
}

// Line is what the import did with one entry.
type Line struct {
	Entry
	// Known tells the entry was imported before ("déjà importé"): nothing
	// was written for it.
	Known   bool
	Outcome string // store.BankMatched…; "" when Known
	Receipt string // the payment's receipt when matched
	EntryID string
}

// Report sums up an import, entry by entry.
type Report struct {
	StatementID                                                string // "" when every entry was already imported
	IBAN                                                       string
	Lines                                                      []Line
	Added, Known, Matched, Ambiguous, Unmatched, Other, Debits int
}

// Record records an import in tx: the statement, each entry not imported
// before (by the account and the bank's reference), and for each credit
// matched to an invoice its payment on the régie's back-office counter
// (ledger.Record, source bank, key the entry's reference) with the
// decision "auto" — all in the caller's transaction, with its audit entry.
//
// Matched credits are recorded at import rather than on a later
// confirmation: the régisseur (or suppléant) who imports the statement is
// the one who would confirm, matching only ever records an exact amount on
// the one open invoice the payer named, the ledger applies every rule of a
// desk's payment, and a payment recorded at once shows as paid on the
// portal and at the counters the same day, so that no family is asked to
// pay again what it already transferred. A mistake is put right as at a
// desk: by a cancellation.
//
// An account already bound to another régie is refused; nothing is written
// when every entry was imported before.
func Record(tx *store.Tx, imp *Import, now time.Time) (*Report, error) {
	reg, err := tx.Regie(imp.Regie)
	if err != nil {
		return nil, err
	} else if reg == nil {
		return nil, regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", imp.Regie)
	}
	if !slices.Contains(reg.BankAccounts, imp.IBAN) {
		return nil, regie.Errorf(regie.EForbidden, "Le compte %s n'est pas déclaré pour la régie %s : l'administrateur le déclare dans les paramètres de la régie ; ce relevé n'est pas importé.", imp.IBAN, imp.Regie)
	}
	owner, err := tx.BankAccountRegie(imp.IBAN)
	if err != nil {
		return nil, err
	}
	if owner != "" && owner != imp.Regie {
		return nil, regie.Errorf(regie.EForbidden, "Le compte %s est celui d'une autre régie : ce relevé n'est pas importé.", imp.IBAN)
	}
	rep := &Report{IBAN: imp.IBAN}
	for _, e := range imp.Entries {
		old, err := tx.BankEntryKnown(imp.IBAN, e.Ref)
		if err != nil {
			return nil, err
		}
		if old != nil && (old.Amount != e.Amount || old.Direction != string(e.Direction) || old.BookingDay != e.BookingDay) {
			// The bank never tells one reference twice with other
			// figures: a file edited by hand, or another account's.
			return nil, regie.Errorf(regie.EConflict, "%s : la référence %s est déjà importée pour un autre mouvement (%s du %s) ; ce relevé n'est pas importé.",
				cap1(e.Pos), e.Ref, old.Amount, frDate(old.BookingDay))
		}
		rep.Lines = append(rep.Lines, Line{Entry: e, Known: old != nil})
		if old != nil {
			rep.Known++
		}
	}
	if rep.Known == len(rep.Lines) {
		return rep, nil
	}
	if owner == "" {
		if err := tx.BindBankAccount(imp.IBAN, imp.Regie, now); err != nil {
			return nil, err
		}
	}
	sum := sha256.Sum256(imp.Data)
	st := &store.BankStatement{ID: newID(), Regie: imp.Regie, IBAN: imp.IBAN, Format: imp.Format, StmtRef: clip(imp.ID, 200),
		SHA256: hex.EncodeToString(sum[:]), Filename: clip(imp.Filename, 200), From: imp.From, To: imp.To,
		Entries: len(imp.Entries), Added: len(imp.Entries) - rep.Known, StaffID: imp.StaffID, At: now}
	if err := tx.InsertBankStatement(st); err != nil {
		return nil, err
	}
	rep.StatementID = st.ID
	m, err := newMatcher(tx, imp.Regie)
	if err != nil {
		return nil, err
	}
	for i := range rep.Lines {
		l := &rep.Lines[i]
		if l.Known {
			continue
		}
		if err := recordEntry(tx, m, reg, imp, st, i, l, now); err != nil {
			return nil, err
		}
		rep.Added++
		switch l.Outcome {
		case store.BankMatched:
			rep.Matched++
		case store.BankAmbiguous:
			rep.Ambiguous++
		case store.BankUnmatched:
			rep.Unmatched++
		case store.BankOther:
			rep.Other++
		case store.BankDebit:
			rep.Debits++
		}
	}
	return rep, nil
}

// recordEntry matches and records one new entry (the i-th of the file).
func recordEntry(tx *store.Tx, m *matcher, reg *regie.Regie, imp *Import, st *store.BankStatement, i int, l *Line, now time.Time) error {
	res, err := m.match(&l.Entry)
	if err != nil {
		return err
	}
	if res.outcome == store.BankMatched && !reg.Allows(l.Mode) {
		// The régie does not take this mode: a person decides.
		res.outcome = store.BankAmbiguous
	}
	dir := string(l.Direction)
	e := &store.BankEntry{ID: newID(), Regie: imp.Regie, IBAN: imp.IBAN, Ref: l.Ref, StatementID: st.ID, Idx: i + 1,
		BookingDay: l.BookingDay, ValueDay: l.ValueDay, Amount: l.Amount, Direction: dir, Mode: l.Mode, Code: l.Code,
		Remitter: l.Remitter, Remittance: l.Remittance, Outcome: res.outcome, Candidates: res.candidates}
	if err := tx.InsertBankEntry(e); err != nil {
		return err
	}
	l.Outcome, l.EntryID = res.outcome, e.ID
	if res.outcome != store.BankMatched {
		return nil
	}
	inv := res.invoice
	p, err := pay(tx, e, inv.HouseholdID, imp.StaffID, []regie.Allocation{{InvoiceID: inv.ID, InvoiceNumber: inv.Number,
		Label: inv.Label, Amount: l.Amount}}, "", now)
	if err != nil {
		return err
	}
	l.Receipt = p.Receipt
	return tx.InsertBankDecision(&store.BankDecision{ID: newID(), EntryID: e.ID, Regie: imp.Regie, Kind: "auto",
		PaymentID: p.ID, Receipt: p.Receipt, HouseholdID: inv.HouseholdID, StaffID: imp.StaffID, At: now,
		Comment: "Rapproché à l'import : la référence désigne la facture " + inv.Number + "."})
}

// pay records a credit as a payment of the régie's back-office counter:
// the same request whether matching or the régisseur decided it, keyed by
// the bank's reference so that the entry is never paid twice.
func pay(tx *store.Tx, e *store.BankEntry, householdID, staffID string, allocs []regie.Allocation, approvedBy string, now time.Time) (*regie.Payment, error) {
	h, err := tx.Household(householdID)
	if err != nil {
		return nil, err
	} else if h == nil {
		return nil, regie.Errorf(regie.EHouseholdNotFound, "Foyer introuvable.")
	}
	payer := e.Remitter
	if payer == "" {
		payer = h.Name
	}
	p, _, err := ledger.Record(tx, ledger.Request{Regie: e.Regie, Channel: regie.ChannelBackOffice, Source: ledger.SourceBank,
		Key: e.Ref, Agent: staffID, HouseholdID: h.ID, Account: h.Account, Payer: payer,
		Tenders:     []regie.Tender{{Mode: e.Mode, Amount: e.Amount, Reference: e.Ref}},
		Allocations: allocs, CreditApprovedBy: approvedBy}, now)
	return p, err
}

// frDate is "01/12/2026" for "2026-12-01".
func frDate(day string) string {
	if len(day) != 10 {
		return day
	}
	return day[8:] + "/" + day[5:7] + "/" + day[:4]
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }
