package regie

import (
	"fmt"
	"time"
)

// The codes of the journal rules that no single object's Validate returns.
const (
	// EReceiptNumber: a receipt number not of this régie, counter or
	// year, or not the next one of its counter and year.
	EReceiptNumber ErrorCode = "receipt_number"
	// EEntryInFuture: an entry dated after the clock of whoever receives it.
	EEntryInFuture ErrorCode = "entry_in_future"
	// ERefundMismatch: a cancellation that does not hand back exactly
	// what the payment took, mode by mode.
	ERefundMismatch ErrorCode = "refund_mismatch"
	// EDepositMismatch: a deposit whose total is not its cash and cheques.
	EDepositMismatch ErrorCode = "deposit_mismatch"
)

// MaxAmount bounds every amount of a journal entry (a billion euros): no
// régie takes more in one payment, and sums of bounded amounts cannot wrap
// around int64.
const MaxAmount Money = 1_000_000_000_00

// maxLines bounds the tenders, allocations and cheques of one entry.
const maxLines = 10_000

// bounded refuses amounts out of MaxAmount and lists longer than maxLines.
func bounded(lines int, amounts ...Money) error {
	if lines > maxLines {
		return Errorf(EInvalid, "Trop de lignes dans une seule opération (%d).", lines)
	}
	for _, a := range amounts {
		if a < -MaxAmount || a > MaxAmount {
			return Errorf(EInvalidAmount, "Montant hors limites : %s.", a)
		}
	}
	return nil
}

// References is what the rules need of the reference data (households,
// invoices, catalogue) to check what a payment settles; the server
// implements it over its tables, a counter over what it pulled.
type References interface {
	// HouseholdKnown tells whether the household exists.
	HouseholdKnown(id string) (bool, error)
	// Invoice is the invoice with this id (its HouseholdID and Regie
	// filled), nil when unknown.
	Invoice(id string) (*InvoiceRef, error)
	// ItemKnown tells whether the régie's catalogue has (or had) the item.
	ItemKnown(regie, code string) (bool, error)
}

// InvoiceRef is what the rules check of an invoice a payment settles.
type InvoiceRef struct {
	Number      string
	HouseholdID string
	Regie       string
}

// JournalRules are the domain rules every entry of a counter's journal must
// meet, whoever checks it: the counter recording it, the server receiving
// it, verify replaying it. A well-chained entry is not a valid one.
type JournalRules struct {
	Settings *Regie // the régie's settings (modes, cash limit…)
	// Earlier are the versions of the settings the régie had before: a
	// counter that cashed offline applied the ones it had pulled, so a
	// payment valid under any of them is valid.
	Earlier []*Regie
	Counter string         // the counter's code
	Loc     *time.Location // the régie's time zone
	History JournalHistory
	// Refs checks allocations against the reference data; nil skips that.
	Refs References
	// Tolerance is how far ahead of the receiver's clock an entry may be
	// dated (clocks drift).
	Tolerance time.Duration
	// Channel is the kind of counter (ARCHITECTURE rule 10): only a server
	// counter records what the server alone records (a procès-verbal de
	// vérification de caisse), and each channel takes its own payment
	// modes. The zero value is a desk counter.
	Channel Channel
}

// Check decodes e and applies every rule to it, given the history before it
// (r.History); now is the receiver's clock (the zero time skips the clock
// rule). It returns the decoded object for the caller to record and Apply.
// Errors that are rule violations are *Error; others are the history's.
func (r *JournalRules) Check(e *Entry, now time.Time) (any, error) {
	obj, err := DecodeEntry(e)
	if err != nil {
		return nil, err
	}
	if err := r.CheckObject(e, obj, now); err != nil {
		return nil, err
	}
	return obj, nil
}

// CheckObject is Check on an entry already decoded by DecodeEntry (the
// server decodes on another core while it writes).
func (r *JournalRules) CheckObject(e *Entry, obj any, now time.Time) (err error) {
	if err := CheckEntry(e, obj, r.Loc); err != nil {
		return err
	}
	if !now.IsZero() && e.At.After(now.Add(r.Tolerance)) {
		return Errorf(EEntryInFuture, "Entrée n° %d datée du %s, dans le futur : l'horloge du poste est fausse.",
			e.Seq, e.At.In(r.Loc).Format("02/01/2006 15:04"))
	}
	switch o := obj.(type) {
	case *Payment:
		err = r.payment(o)
	case *Cancellation:
		err = r.cancellation(o)
	case *TillSession:
		err = r.session(o)
	case *Closing:
		err = r.closing(o)
	case *Deposit:
		err = r.deposit(o)
	case *Reprint:
		err = r.reprint(o)
	case *CashVerification:
		err = r.verification(o)
	case *SettingsChange:
		if o.Settings.Code != r.Settings.Code {
			err = Errorf(EEntryIncoherent, "Paramètres de la régie %s enregistrés par un poste de la régie %s.", o.Settings.Code, r.Settings.Code)
		}
	}
	return err
}

// notSealed refuses anything recorded on a day already closed.
func (r *JournalRules) notSealed(day string) error {
	sealed, err := r.History.Sealed(day)
	if err == nil && sealed {
		err = Errorf(EDayClosed, "La journée du %s est déjà clôturée : plus rien ne peut y être enregistré.", day)
	}
	return err
}

func (r *JournalRules) payment(p *Payment) error {
	amounts := []Money{p.Total}
	for _, t := range p.Tenders {
		amounts = append(amounts, t.Amount, t.Tendered, t.Change)
	}
	for _, a := range p.Allocations {
		amounts = append(amounts, a.Amount, a.Credit)
	}
	if err := bounded(len(p.Tenders)+len(p.Allocations), amounts...); err != nil {
		return err
	}
	// The total against the tenders first: a tender's amount changed in
	// the journal is named as such, not as its change not adding up.
	if p.Total != p.TendersTotal() {
		return Errorf(ETenderMismatch, "Reçu %s : total (%s) différent des moyens de paiement (%s).",
			p.Receipt, p.Total, p.TendersTotal())
	}
	if err := r.validate(p); err != nil {
		return err
	}
	if p.Total != p.AllocationsTotal() {
		return Errorf(ETenderMismatch, "Reçu %s : total (%s) différent des lignes réglées (%s).",
			p.Receipt, p.Total, p.AllocationsTotal())
	}
	if err := r.receipt(p); err != nil {
		return err
	}
	if err := r.notSealed(p.Day); err != nil {
		return err
	}
	s, err := r.History.Session(p.SessionID)
	if err != nil {
		return err
	} else if s == nil || s.Day != p.Day {
		return Errorf(ENoSession, "Paiement %s hors de toute ouverture de caisse du %s.", p.Receipt, p.Day)
	}
	return r.allocations(p)
}

// validate is Payment.Validate under the current settings or, failing
// that, under an earlier version; the current one's refusal is returned.
func (r *JournalRules) validate(p *Payment) error {
	ch := r.Channel
	if ch == "" {
		ch = ChannelDesk
	}
	err := p.ValidateIn(r.Settings, ch)
	if err == nil {
		return nil
	}
	for _, s := range r.Earlier {
		if s.Code == r.Settings.Code && p.ValidateIn(s, ch) == nil {
			return nil
		}
	}
	return err
}

// reasonValid is Cancellation.Validate under the régie's list of reasons
// in its current settings or, failing that, in an earlier version: a
// counter that cancelled offline offered the list it had pulled. A journal
// recorded before the list became configurable was checked against the
// default list, which is every earlier version's (settings without a list).
func (r *JournalRules) reasonValid(c *Cancellation) error {
	err := c.Validate(r.Settings.Reasons())
	if err == nil || r.Settings == nil {
		return err
	}
	for _, s := range r.Earlier {
		if s.Code == r.Settings.Code && c.Validate(s.Reasons()) == nil {
			return nil
		}
	}
	return err
}

// receipt checks the number's format, that it is this régie's and
// counter's, of the payment's year, and the next one of that year.
func (r *JournalRules) receipt(p *Payment) error {
	reg, counter, year, n, err := ParseReceiptNumber(p.Receipt)
	if err != nil {
		return Errorf(EReceiptNumber, "Numéro de reçu invalide : « %s ».", p.Receipt)
	}
	if p.Regie != r.Settings.Code || reg != r.Settings.Code || counter != r.Counter {
		return Errorf(EReceiptNumber, "Le reçu %s n'est pas de la régie %s, poste %s.", p.Receipt, r.Settings.Code, r.Counter)
	}
	if fmt.Sprintf("%04d", year) != p.Day[:4] {
		return Errorf(EReceiptNumber, "Le reçu %s porte l'année %d, le paiement est du %s.", p.Receipt, year, p.Day)
	}
	last, err := r.History.LastReceipt(year)
	if err != nil {
		return err
	}
	if n != last+1 {
		return Errorf(EReceiptNumber, "Reçu %s : le numéro %d était attendu (trou ou doublon dans la numérotation).", p.Receipt, last+1)
	}
	return nil
}

// allocations checks what the payment settles against the reference data:
// invoices of the payment's household and régie, items of the catalogue.
func (r *JournalRules) allocations(p *Payment) error {
	if r.Refs == nil {
		return nil
	}
	if p.HouseholdID != "" {
		if ok, err := r.Refs.HouseholdKnown(p.HouseholdID); err != nil {
			return err
		} else if !ok {
			return Errorf(EHouseholdNotFound, "Reçu %s : foyer inconnu (%s).", p.Receipt, p.HouseholdID)
		}
	}
	seen := map[string]bool{}
	for _, a := range p.Allocations {
		if a.InvoiceID == "" {
			if ok, err := r.Refs.ItemKnown(p.Regie, a.ItemCode); err != nil {
				return err
			} else if !ok {
				return Errorf(EItemNotFound, "Reçu %s : article « %s » inconnu du catalogue.", p.Receipt, a.ItemCode)
			}
			continue
		}
		if seen[a.InvoiceID] {
			return Errorf(EInvalid, "Reçu %s : la même facture est réglée deux fois.", p.Receipt)
		}
		seen[a.InvoiceID] = true
		inv, err := r.Refs.Invoice(a.InvoiceID)
		if err != nil {
			return err
		} else if inv == nil || inv.Regie != p.Regie {
			return Errorf(EInvoiceNotFound, "Reçu %s : facture inconnue de la régie (%s).", p.Receipt, a.InvoiceID)
		}
		if inv.HouseholdID != p.HouseholdID || a.InvoiceNumber != "" && a.InvoiceNumber != inv.Number {
			return Errorf(EHouseholdMismatch, "Reçu %s : la facture %s n'appartient pas au foyer du paiement.", p.Receipt, inv.Number)
		}
	}
	return nil
}

func (r *JournalRules) cancellation(c *Cancellation) error {
	if err := r.reasonValid(c); err != nil {
		return err
	}
	p, err := r.History.Payment(c.PaymentID)
	if err != nil {
		return err
	} else if p == nil || p.Receipt != c.Receipt {
		return Errorf(EPaymentNotFound, "Annulation du reçu %s, que ce poste n'a pas enregistré.", c.Receipt)
	}
	if by, err := r.History.Cancelled(p.ID); err != nil {
		return err
	} else if by > 0 {
		return Errorf(EAlreadyCancelled, "Reçu %s : déjà annulé par l'entrée n° %d.", p.Receipt, by)
	}
	if c.Day != p.Day {
		return Errorf(ECancelNotSameDay, "Le reçu %s date du %s : seul un paiement du jour peut être annulé.", p.Receipt, p.Day)
	}
	if err := r.notSealed(c.Day); err != nil {
		return err
	}
	if len(c.Refunds) > len(p.Tenders) {
		return Errorf(ERefundMismatch, "Annulation du reçu %s : plus de remboursements que de moyens de paiement.", p.Receipt)
	}
	refunds := (&Payment{Tenders: c.Refunds}).ByMode()
	for _, t := range c.Refunds {
		if t.Amount <= 0 || t.Amount > MaxAmount {
			return Errorf(ERefundMismatch, "Annulation du reçu %s : remboursement de %s impossible.", p.Receipt, t.Amount)
		}
	}
	if !refunds.Equal(p.ByMode()) {
		return Errorf(ERefundMismatch, "Annulation du reçu %s : le remboursement ne rend pas exactement ce qui a été payé, mode par mode.", p.Receipt)
	}
	for i, t := range p.Tenders {
		if t.Mode != Check {
			continue
		}
		if dep, err := r.History.Deposited(p.ID, i); err != nil {
			return err
		} else if dep {
			return Errorf(ECheckDeposited, "Le chèque du reçu %s a déjà été versé au comptable.", p.Receipt)
		}
	}
	return nil
}

func (r *JournalRules) session(s *TillSession) error {
	if err := bounded(0, s.Float); err != nil {
		return err
	}
	if s.Float < 0 {
		return Errorf(EInvalidAmount, "Le fonds de caisse ne peut pas être négatif.")
	}
	if err := s.Count.Validate(); err != nil {
		return err
	}
	if err := r.notSealed(s.Day); err != nil {
		return err
	}
	return r.afterLastSession(s)
}

// afterLastSession holds the days in order, as the counter opens them: a
// till opens on a day after the last one it opened, once that day is
// closed. Without it, a day left unclosed could be filled in later.
func (r *JournalRules) afterLastSession(s *TillSession) error {
	last, err := r.History.LastSession()
	if err != nil || last == nil {
		return err
	}
	if last.Day >= s.Day {
		return Errorf(EDayClosed, "Ouverture de caisse du %s alors que la caisse a déjà été ouverte le %s : les journées se suivent.", s.Day, last.Day)
	}
	if sealed, err := r.History.Sealed(last.Day); err != nil {
		return err
	} else if !sealed {
		return Errorf(ESessionOpen, "Ouverture de caisse du %s alors que la caisse du %s n'a pas été clôturée.", s.Day, last.Day)
	}
	return nil
}

func (r *JournalRules) reprint(x *Reprint) error {
	p, err := r.History.Payment(x.PaymentID)
	if err != nil {
		return err
	} else if p == nil || p.Receipt != x.Receipt {
		return Errorf(EPaymentNotFound, "Duplicata du reçu %s, que ce poste n'a pas enregistré.", x.Receipt)
	}
	return nil
}

// verification accepts a procès-verbal de vérification de caisse only on a
// server counter of its régie: a desk counter checks nobody.
func (r *JournalRules) verification(v *CashVerification) error {
	if !r.Channel.Server() {
		return Errorf(EForbidden, "Un procès-verbal de vérification de caisse ne s'enregistre qu'au poste de gestion de la régie, jamais à un guichet.")
	}
	if v.Regie != r.Settings.Code {
		return Errorf(EEntryIncoherent, "Procès-verbal de la régie %s enregistré à un poste de la régie %s.", v.Regie, r.Settings.Code)
	}
	return v.Validate()
}
