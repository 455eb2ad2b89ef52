package regie

import (
	"strings"
	"time"
)

// Payment is one encaissement: what the payer handed over (tenders) and what
// it settles (allocations). Once recorded it never changes; a mistake is put
// right with a Cancellation.
type Payment struct {
	ID               string       `json:"id"`
	Receipt          string       `json:"receipt"`
	Regie            string       `json:"regie"`
	Counter          string       `json:"counter"`
	SessionID        string       `json:"session_id"`
	Agent            string       `json:"agent"`
	At               time.Time    `json:"at"`
	Day              string       `json:"day"`
	HouseholdID      string       `json:"household_id,omitempty"`
	Account          string       `json:"account,omitempty"`
	Payer            string       `json:"payer,omitempty"`
	Tenders          []Tender     `json:"tenders"`
	Allocations      []Allocation `json:"allocations"`
	CreditApprovedBy string       `json:"credit_approved_by,omitempty"`
	Total            Money        `json:"total"`
}

// Tender is one means of payment within a payment; a split tender has several.
// Amount is what it pays of the debt; for cash, Tendered is what was handed
// over and Change what was given back.
type Tender struct {
	Mode           PaymentMode `json:"mode"`
	Amount         Money       `json:"amount"`
	Tendered       Money       `json:"tendered,omitempty"`
	Change         Money       `json:"change,omitempty"`
	CheckNumber    string      `json:"check_number,omitempty"`
	Bank           string      `json:"bank,omitempty"`
	Drawer         string      `json:"drawer,omitempty"`
	Authorisation  string      `json:"authorisation,omitempty"`
	MaskedPAN      string      `json:"masked_pan,omitempty"`
	TerminalStatus string      `json:"terminal_status,omitempty"`
	Keyed          bool        `json:"keyed,omitempty"`
	Reference      string      `json:"reference,omitempty"`
	Count          int         `json:"count,omitempty"`
	// ValueDate is the day (YYYY-MM-DD) the bank credited a transfer or a
	// direct debit to the régie's account, which may be days before it is
	// recorded; empty for what was handed over at a desk.
	ValueDate string `json:"value_date,omitempty"`
}

// Allocation is what part of a payment settles: an invoice (InvoiceID) or a
// catalogue item (ItemCode). Credit is the part above the invoice's
// remaining amount that a régisseur accepted as a trop-perçu.
type Allocation struct {
	InvoiceID     string `json:"invoice_id,omitempty"`
	InvoiceNumber string `json:"invoice_number,omitempty"`
	ItemCode      string `json:"item_code,omitempty"`
	Quantity      int    `json:"quantity,omitempty"`
	Label         string `json:"label"`
	Amount        Money  `json:"amount"`
	Credit        Money  `json:"credit,omitempty"`
}

// TendersTotal is what the tenders pay, change already deducted.
func (p *Payment) TendersTotal() Money {
	var s Money
	for _, t := range p.Tenders {
		s += t.Amount
	}
	return s
}

// AllocationsTotal is what the payment settles.
func (p *Payment) AllocationsTotal() Money {
	var s Money
	for _, a := range p.Allocations {
		s += a.Amount
	}
	return s
}

// ByMode sums the tenders per mode, for closings and journals.
func (p *Payment) ByMode() ModeTotals {
	t := ModeTotals{}
	for _, x := range p.Tenders {
		t[x.Mode] += x.Amount
	}
	return t
}

// Validate checks the rules that need nothing but the payment and the
// régie's settings, for a payment taken at a desk; rules that need the
// store (remaining amounts, the open session, a sealed day) are checked by
// the counter service.
func (p *Payment) Validate(r *Regie) error { return p.ValidateIn(r, ChannelDesk) }

// ValidateIn is Validate for a payment recorded by a counter of channel:
// the same rules everywhere, but each channel takes its own modes.
func (p *Payment) ValidateIn(r *Regie, ch Channel) error {
	if len(p.Tenders) == 0 {
		return Errorf(EAmountNotPositive, "Indiquez au moins un moyen de paiement.")
	}
	if len(p.Allocations) == 0 {
		return Errorf(EAllocationRequired, "Choisissez au moins une facture ou un article à régler.")
	}
	var cash Money
	for i := range p.Tenders {
		t := &p.Tenders[i]
		if err := t.validate(r, ch); err != nil {
			return err
		}
		if t.Mode == Cash {
			cash += t.Amount
		}
	}
	if limit := r.EffectiveCashLimit(); cash > limit {
		return Errorf(ECashLimit, "Paiement en espèces limité à %s par paiement (%s demandés).", limit, cash)
	}
	for _, a := range p.Allocations {
		if a.Amount <= 0 {
			return Errorf(EAmountNotPositive, "Le montant réglé sur « %s » doit être supérieur à zéro.", a.Label)
		}
		if (a.InvoiceID == "") == (a.ItemCode == "") {
			return Errorf(EAllocationTarget, "Chaque ligne doit régler soit une facture, soit un article du catalogue.")
		}
		if a.Credit < 0 || a.Credit > a.Amount {
			return Errorf(EInvalid, "Trop-perçu incohérent sur « %s ».", a.Label)
		}
	}
	for _, t := range p.Tenders {
		if err := t.validValueDate(p.Day); err != nil {
			return err
		}
	}
	if tt, at := p.TendersTotal(), p.AllocationsTotal(); tt != at {
		return Errorf(ETenderMismatch, "Les moyens de paiement (%s) ne correspondent pas au montant à régler (%s).", tt, at)
	}
	if p.HouseholdID == "" && !r.AnonymousSales {
		return Errorf(EAnonymousRefused, "Cette régie n'accepte pas de vente anonyme : choisissez un foyer.")
	}
	return nil
}

func (t *Tender) validate(r *Regie, ch Channel) error {
	if !t.Mode.Valid() {
		return Errorf(EModeNotAllowed, "Mode de paiement inconnu : « %s ».", t.Mode)
	}
	if !ch.Takes(t.Mode) {
		return Errorf(EModeNotAllowed, "Le mode « %s » ne s'enregistre pas à ce poste (%s).", t.Mode.Label(), ch.Label())
	}
	if !r.Allows(t.Mode) {
		return Errorf(EModeNotAllowed, "Le mode « %s » n'est pas autorisé par l'acte constitutif de la régie.", t.Mode.Label())
	}
	if t.Amount <= 0 {
		return Errorf(EAmountNotPositive, "Le montant payé en %s doit être supérieur à zéro.", strings.ToLower(t.Mode.Label()))
	}
	if t.Mode != Cash {
		if t.Change != 0 || t.Tendered != 0 {
			return Errorf(EChangeNotCash, "Le rendu de monnaie n'est possible qu'en espèces.")
		}
	}
	switch t.Mode {
	case Cash:
		if t.Tendered == 0 && t.Change == 0 {
			t.Tendered = t.Amount
		}
		if t.Change < 0 || t.Tendered < t.Amount || t.Tendered-t.Amount != t.Change {
			return Errorf(EInvalidAmount, "Somme remise (%s) et monnaie rendue (%s) incohérentes pour %s dus.", t.Tendered, t.Change, t.Amount)
		}
	case Check:
		if blank(t.CheckNumber) || blank(t.Bank) || blank(t.Drawer) {
			return Errorf(ECheckDetails, "Pour un chèque, indiquez son numéro, la banque et le tireur.")
		}
	case Card:
		if blank(t.Authorisation) {
			return Errorf(ECardDetails, "Pour une carte, le numéro d'autorisation du terminal est obligatoire.")
		}
		if t.MaskedPAN != "" && !MaskedPANOK(t.MaskedPAN) {
			return Errorf(ECardDetails, "Le numéro de carte doit être masqué (6 premiers et 4 derniers chiffres au plus).")
		}
	case Transfer, DirectDebit:
		if blank(t.Reference) {
			return Errorf(ETransferDetails, "Indiquez la référence du %s.", strings.ToLower(t.Mode.Label()))
		}
	case Online:
		if blank(t.Reference) {
			return Errorf(ETransferDetails, "Un paiement en ligne porte la référence de sa transaction.")
		}
	case HolidayCheck, CESU:
		if t.Count <= 0 {
			return Errorf(EVoucherDetails, "Indiquez le nombre de titres (%s) remis.", t.Mode.Label())
		}
	}
	return nil
}

// validValueDate checks a tender's date of value: only money that reached
// the régie's account through the bank has one, it is a calendar day, and
// no later than the day the payment is recorded on (day, when known): the
// bank cannot have credited tomorrow what is recorded today.
func (t *Tender) validValueDate(day string) error {
	if t.ValueDate == "" {
		return nil
	}
	if t.Mode != Transfer && t.Mode != DirectDebit && t.Mode != Online {
		return Errorf(ETransferDetails, "Seul un virement, un prélèvement ou un paiement en ligne porte une date de valeur.")
	}
	d, err := time.Parse(time.DateOnly, t.ValueDate)
	if err != nil || d.Format(time.DateOnly) != t.ValueDate {
		return Errorf(ETransferDetails, "Date de valeur invalide : « %s ».", t.ValueDate)
	}
	if day != "" && t.ValueDate > day {
		return Errorf(ETransferDetails, "La date de valeur (%s) est postérieure au jour d'enregistrement (%s).",
			d.Format("02/01/2006"), frenchDay(day))
	}
	return nil
}

// MaskedPANOK tells whether a card number shows at most its first six and
// last four digits, so a full card number can never be stored.
func MaskedPANOK(s string) bool {
	digits := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			digits++
		}
	}
	return digits <= 10 && strings.ContainsAny(s, "*xX•")
}

func blank(s string) bool { return strings.TrimSpace(s) == "" }

// frenchDay writes a day (YYYY-MM-DD) as people read it (02/12/2026).
func frenchDay(day string) string {
	if d, err := time.Parse(time.DateOnly, day); err == nil {
		return d.Format("02/01/2006")
	}
	return day
}
