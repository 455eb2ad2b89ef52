package regie

import (
	"strings"
	"time"
)

// KindVerification records a procès-verbal de vérification de caisse: the
// comptable public (or their delegate) checking on the spot what the
// régie's counters hold against what their journals say. Only a counter
// that lives on the server (the régie's back-office counter) records it;
// a desk counter never does (JournalRules.Channel).
const KindVerification EntryKind = "cash_verification"

// CashVerification is the procès-verbal of one on-site check of a régie.
// The expected amounts are what the journals said when the check began;
// the counted ones what the verifier found; each difference is counted
// minus expected (positive: excédent, negative: déficit).
type CashVerification struct {
	ID      string `json:"id"`
	Regie   string `json:"regie"`
	Counter string `json:"counter"` // the back-office counter that records it
	// Agent is who entered the procès-verbal in the back-office (a staff
	// account's id); Verifier and Regisseur are the people who sign it.
	Agent         string             `json:"agent"`
	At            time.Time          `json:"at"`
	Verifier      string             `json:"verifier"`
	VerifierTitle string             `json:"verifier_title"`
	Regisseur     string             `json:"regisseur"`
	Lines         []VerificationLine `json:"lines"`
	Observations  string             `json:"observations,omitempty"`
}

// VerificationLine is one counter's part of a check.
type VerificationLine struct {
	Counter string `json:"counter"`
	// AsOfSeq is the counter's last journal entry the expected amounts
	// take into account (0: none), so the paper says what it was checked
	// against.
	AsOfSeq        int64 `json:"as_of_seq"`
	ExpectedCash   Money `json:"expected_cash"`
	ExpectedChecks Money `json:"expected_checks"`
	ExpectedCount  int   `json:"expected_check_count"`
	// Count is the billetage when the cash was counted by denomination;
	// CountedCash is then its total.
	Count           CashCount `json:"count,omitempty"`
	CountedCash     Money     `json:"counted_cash"`
	CountedChecks   Money     `json:"counted_checks"`
	CountedCount    int       `json:"counted_check_count"`
	CashDifference  Money     `json:"cash_difference"`
	CheckDifference Money     `json:"check_difference"`
}

// Compute fills each line's differences (and its counted cash from the
// billetage when one was given).
func (v *CashVerification) Compute() {
	for i := range v.Lines {
		l := &v.Lines[i]
		if len(l.Count) > 0 {
			l.Count = l.Count.Normalized()
			l.CountedCash = l.Count.Total()
		}
		l.CashDifference = l.CountedCash - l.ExpectedCash
		l.CheckDifference = l.CountedChecks - l.ExpectedChecks
	}
}

// Totals are the sums of the lines: expected, counted and difference, cash
// and cheques together.
func (v *CashVerification) Totals() (expected, counted, difference Money) {
	for _, l := range v.Lines {
		expected += l.ExpectedCash + l.ExpectedChecks
		counted += l.CountedCash + l.CountedChecks
	}
	return expected, counted, counted - expected
}

// maxNote bounds the free texts of a procès-verbal.
const maxNote = 4000

// Validate refuses a procès-verbal that could not be signed as it stands:
// names missing, a counter listed twice, negative or unbounded amounts,
// differences or a billetage that do not add up.
func (v *CashVerification) Validate() error {
	switch {
	case v.ID == "":
		return Errorf(EInvalid, "Procès-verbal sans identifiant.")
	case !validCode(v.Regie):
		return Errorf(EInvalid, "Procès-verbal d'une régie invalide : « %s ».", v.Regie)
	case strings.TrimSpace(v.Verifier) == "":
		return Errorf(EInvalid, "Le nom du vérificateur (comptable public ou son délégué) est obligatoire.")
	case strings.TrimSpace(v.VerifierTitle) == "":
		return Errorf(EInvalid, "La qualité du vérificateur est obligatoire.")
	case strings.TrimSpace(v.Regisseur) == "":
		return Errorf(EInvalid, "Le nom du régisseur présent est obligatoire.")
	case len(v.Verifier) > 200 || len(v.VerifierTitle) > 200 || len(v.Regisseur) > 200 || len(v.Observations) > maxNote:
		return Errorf(EInvalid, "Un nom ou les observations sont trop longs.")
	case len(v.Lines) == 0:
		return Errorf(EInvalid, "Le procès-verbal doit porter sur au moins un poste.")
	case len(v.Lines) > 1000:
		return Errorf(EInvalid, "Trop de postes dans un seul procès-verbal.")
	}
	seen := map[string]bool{}
	for _, l := range v.Lines {
		if !validCode(l.Counter) || seen[l.Counter] {
			return Errorf(EInvalid, "Poste « %s » invalide ou cité deux fois.", l.Counter)
		}
		seen[l.Counter] = true
		if err := bounded(len(l.Count), l.ExpectedCash, l.ExpectedChecks, l.CountedCash, l.CountedChecks,
			l.CashDifference, l.CheckDifference); err != nil {
			return err
		}
		if l.ExpectedCash < 0 || l.ExpectedChecks < 0 || l.CountedCash < 0 || l.CountedChecks < 0 ||
			l.ExpectedCount < 0 || l.CountedCount < 0 || l.AsOfSeq < 0 {
			return Errorf(EInvalidAmount, "Poste %s : un montant ou un nombre ne peut pas être négatif.", l.Counter)
		}
		if err := l.Count.Validate(); err != nil {
			return err
		}
		if len(l.Count) > 0 && l.Count.Total() != l.CountedCash {
			return Errorf(EInvalidAmount, "Poste %s : le billetage (%s) ne fait pas les espèces comptées (%s).",
				l.Counter, l.Count.Total(), l.CountedCash)
		}
		if l.CashDifference != l.CountedCash-l.ExpectedCash || l.CheckDifference != l.CountedChecks-l.ExpectedChecks {
			return Errorf(EInvalidAmount, "Poste %s : l'écart n'est pas la différence entre compté et attendu.", l.Counter)
		}
	}
	return nil
}

// Holding is what a counter's till holds by its journal: cash and the
// cheques not yet handed over. Replayed from a closing (or from the first
// entry), it is what a verifier expects to find.
type Holding struct {
	Cash   Money
	Checks []CheckLine
	// Seq is the last entry applied.
	Seq int64
}

// Apply moves the holding by one entry (obj as DecodeEntry gave it): the
// till's content is the float counted at opening, plus the cash and
// cheques received, minus refunds and deposits; at a closing, what was
// counted and the cheques it lists.
func (h *Holding) Apply(e *Entry, obj any) {
	h.Seq = e.Seq
	switch o := obj.(type) {
	case *TillSession:
		h.Cash = o.Float
	case *Payment:
		for i, t := range o.Tenders {
			switch t.Mode {
			case Cash:
				h.Cash += t.Amount
			case Check:
				h.Checks = append(h.Checks, CheckLine{PaymentID: o.ID, Tender: i, Receipt: o.Receipt,
					Number: t.CheckNumber, Bank: t.Bank, Drawer: t.Drawer, Amount: t.Amount})
			}
		}
	case *Cancellation:
		for _, t := range o.Refunds {
			if t.Mode == Cash {
				h.Cash -= t.Amount
			}
		}
		h.drop(func(c CheckLine) bool { return c.PaymentID == o.PaymentID })
	case *Deposit:
		h.Cash -= o.Cash
		gone := map[checkRef]bool{}
		for _, c := range o.Checks {
			gone[checkRef{c.PaymentID, c.Tender}] = true
		}
		h.drop(func(c CheckLine) bool { return gone[checkRef{c.PaymentID, c.Tender}] })
	case *Closing:
		h.Cash = o.CountedCash
		h.Checks = append([]CheckLine(nil), o.Checks...)
	}
}

func (h *Holding) drop(gone func(CheckLine) bool) {
	kept := h.Checks[:0]
	for _, c := range h.Checks {
		if !gone(c) {
			kept = append(kept, c)
		}
	}
	h.Checks = kept
}
