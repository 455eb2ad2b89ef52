// Package bank reads the statements of a régie's bank account — ISO 20022
// camt.053 (XML) and the CSV exports of French banks — into one shape,
// matches each credit to the invoices its remittance information names,
// and records what matches (or what the régisseur assigns) as a payment of
// the régie's back-office counter through server/ledger, keyed by the
// bank's entry reference so that an entry is never paid twice.
//
// A statement is validated whole: a malformed file is refused with a French
// error naming the entry or line at fault, before anything is written.
// docs/bank.md specifies how each format's fields are read.
package bank

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/regie-fr/regie"
)

// Limits of what a statement may hold: far above a régie's month, far
// below what would make an import hold the store's lock for long.
const (
	MaxEntries   = 20_000
	maxTextRunes = 500 // remittance information and names are cut there
	maxRefLen    = 200 // ledger.Request.Key's limit
)

// Direction tells whether an entry brought money in or took it out.
type Direction string

// The directions.
const (
	Credit Direction = "credit"
	Debit  Direction = "debit"
)

// Statement is one statement of one account, whatever its format.
type Statement struct {
	Format string // "camt.053.001.02", "camt.053.001.08", "csv"
	// ID is the statement's own identifier (camt.053 Stmt/Id), "" for CSV.
	ID   string
	IBAN string
	// From and To are the days covered (YYYY-MM-DD), the statement's own
	// period or else its entries' first and last booking days.
	From, To string
	Entries  []Entry
}

// Entry is one movement of the account. A camt.053 entry that books several
// transactions (a batch of direct debits collected) gives one Entry per
// transaction, each with its own reference.
type Entry struct {
	// Ref is the bank's reference of the entry, unique within the account:
	// what makes an entry imported twice recognised, and the ledger's key.
	Ref string
	// Pos says where the entry is in the file, for messages: "écriture
	// n° 3" (camt.053) or "ligne 12" (CSV).
	Pos        string
	BookingDay string // YYYY-MM-DD
	ValueDay   string // YYYY-MM-DD
	Amount     regie.Money
	Direction  Direction
	// Mode is transfer or direct_debit when the bank's transaction code
	// says so; "" for anything else (a cheque remittance, a cash deposit,
	// fees…), which is never recorded as a payment.
	Mode regie.PaymentMode
	// Code is the bank transaction code as the file gives it
	// ("PMNT/RCDT/ESCT", a proprietary code, or the CSV label's keyword).
	Code       string
	Remitter   string
	Remittance string
}

// Error is a refused statement: the French sentence for people.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

func refuse(format string, args ...any) error { return &Error{Message: fmt.Sprintf(format, args...)} }

// validate checks what every format must give, entry by entry, and the
// uniqueness of the references within the file.
func (s *Statement) validate() error {
	if !ValidIBAN(s.IBAN) {
		return refuse("Le relevé n'indique pas un IBAN valide pour le compte (« %s »).", clip(s.IBAN, 40))
	}
	if len(s.Entries) == 0 {
		return refuse("Le relevé ne contient aucune écriture.")
	}
	if len(s.Entries) > MaxEntries {
		return refuse("Le relevé contient plus de %d écritures : découpez-le par période.", MaxEntries)
	}
	seen := map[string]string{}
	for i := range s.Entries {
		e := &s.Entries[i]
		switch {
		case blank(e.Ref):
			return refuse("%s : sans référence de la banque.", cap1(e.Pos))
		case len(e.Ref) > maxRefLen || !utf8.ValidString(e.Ref):
			return refuse("%s : référence de la banque trop longue ou illisible.", cap1(e.Pos))
		case e.Amount <= 0 || e.Amount > regie.MaxAmount:
			return refuse("%s : montant %s impossible.", cap1(e.Pos), e.Amount)
		case e.Direction != Credit && e.Direction != Debit:
			return refuse("%s : sens (crédit ou débit) absent.", cap1(e.Pos))
		case !validDay(e.BookingDay):
			return refuse("%s : date de comptabilisation absente ou invalide.", cap1(e.Pos))
		case e.ValueDay != "" && !validDay(e.ValueDay):
			return refuse("%s : date de valeur invalide.", cap1(e.Pos))
		}
		if e.ValueDay == "" {
			e.ValueDay = e.BookingDay
		}
		if at, dup := seen[e.Ref]; dup {
			return refuse("%s : la référence %s figure déjà %s.", cap1(e.Pos), e.Ref, at)
		}
		seen[e.Ref] = e.Pos
		e.Remitter, e.Remittance = clean(e.Remitter), clean(e.Remittance)
		if s.From == "" || e.BookingDay < s.From {
			s.From = e.BookingDay
		}
		if e.BookingDay > s.To {
			s.To = e.BookingDay
		}
	}
	return nil
}

// clean makes a text safe to store and show: no control characters, runs
// of spaces folded, at most maxTextRunes characters.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	return clip(strings.Join(strings.Fields(s), " "), maxTextRunes)
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

func cap1(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

func validDay(d string) bool {
	if len(d) != 10 {
		return false
	}
	_, err := parseISODay(d)
	return err == nil
}
