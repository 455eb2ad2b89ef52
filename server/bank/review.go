package bank

import (
	"strings"
	"time"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// Share is one invoice a credit is assigned to, and how much of it.
type Share struct {
	InvoiceID string
	Amount    regie.Money
	// AcceptCredit is the régisseur's explicit choice to record what
	// exceeds the invoice's remaining amount as a trop-perçu on it.
	AcceptCredit bool
}

// Decision is what the régisseur decided on a credit of the review.
type Decision struct {
	// ID is the decision's UUID, made when the form was shown: the same
	// form sent twice decides once.
	ID      string
	Regie   string
	EntryID string
	StaffID string
	Shares  []Share
	Comment string
}

// Assign records a credit the import did not match as a payment of the
// invoices the régisseur chose, all of one household of the régie: one
// invoice (an assignment) or several (a split). The shares must add up to
// the credit exactly; a share above an invoice's remaining amount is
// refused unless the régisseur accepted that excess as a trop-perçu on it,
// a share below it unless the régie takes partial payments. Checked whole
// before anything is written; recorded with its decision in tx.
func Assign(tx *store.Tx, d *Decision, now time.Time) (*store.BankDecision, error) {
	if done, err := tx.BankDecisionByID(d.ID); err != nil || done != nil {
		return done, err
	}
	e, reg, err := pendingEntry(tx, d)
	if err != nil {
		return nil, err
	}
	if len(d.Shares) == 0 {
		return nil, regie.Errorf(regie.EAllocationRequired, "Choisissez au moins une facture et le montant à y affecter.")
	}
	ids := make([]string, 0, len(d.Shares))
	seen := map[string]bool{}
	for _, s := range d.Shares {
		if seen[s.InvoiceID] {
			return nil, regie.Errorf(regie.EInvalid, "La même facture figure deux fois dans la répartition.")
		}
		seen[s.InvoiceID] = true
		ids = append(ids, s.InvoiceID)
	}
	invs, err := tx.BankInvoices(d.Regie, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]*store.BankInvoice{}
	for i := range invs {
		byID[invs[i].ID] = &invs[i]
	}
	var allocs []regie.Allocation
	var total regie.Money
	approvedBy, household := "", ""
	for _, s := range d.Shares {
		inv := byID[s.InvoiceID]
		if inv == nil {
			return nil, regie.Errorf(regie.EInvoiceNotFound, "Facture inconnue de la régie %s.", d.Regie)
		}
		if household == "" {
			household = inv.HouseholdID
		} else if inv.HouseholdID != household {
			return nil, regie.Errorf(regie.EHouseholdMismatch, "Les factures %s n'appartiennent pas toutes au même foyer : un virement règle les factures d'un seul foyer.", joinNumbers(invs))
		}
		if s.Amount <= 0 || s.Amount > regie.MaxAmount {
			return nil, regie.Errorf(regie.EAmountNotPositive, "Le montant affecté à la facture %s doit être supérieur à zéro.", inv.Number)
		}
		a := regie.Allocation{InvoiceID: inv.ID, InvoiceNumber: inv.Number, Label: inv.Label, Amount: s.Amount}
		switch {
		case s.Amount > inv.Remaining && !s.AcceptCredit:
			return nil, regie.Errorf(regie.EOverRemaining, "La facture %s n'est due que pour %s : cochez « accepter le trop-perçu » pour y affecter %s (trop-perçu de %s).",
				inv.Number, inv.Remaining, s.Amount, s.Amount-inv.Remaining)
		case s.Amount > inv.Remaining:
			a.Credit, approvedBy = s.Amount-inv.Remaining, d.StaffID
		case s.Amount < inv.Remaining && !reg.PartialPayments:
			return nil, regie.Errorf(regie.EPartialRefused, "Cette régie n'accepte pas les paiements partiels : la facture %s est due pour %s.", inv.Number, inv.Remaining)
		}
		total += s.Amount
		allocs = append(allocs, a)
	}
	if total != e.Amount {
		return nil, regie.Errorf(regie.ETenderMismatch, "La répartition fait %s, le crédit %s : les montants doivent faire exactement le crédit.", total, e.Amount)
	}
	if !reg.Allows(e.Mode) {
		return nil, regie.Errorf(regie.EModeNotAllowed, "Le mode « %s » n'est pas autorisé par l'acte constitutif de la régie.", e.Mode.Label())
	}
	p, err := pay(tx, e, household, d.StaffID, allocs, approvedBy, now)
	if err != nil {
		return nil, err
	}
	kind := "assign"
	if len(allocs) > 1 {
		kind = "split"
	}
	dec := &store.BankDecision{ID: d.ID, EntryID: e.ID, Regie: d.Regie, Kind: kind, PaymentID: p.ID, Receipt: p.Receipt,
		HouseholdID: household, StaffID: d.StaffID, At: now, Comment: clean(d.Comment)}
	return dec, tx.InsertBankDecision(dec)
}

// Leave records the régisseur's choice to leave a credit unassigned, "à
// identifier": it stays in the review and can be assigned later.
func Leave(tx *store.Tx, d *Decision, now time.Time) (*store.BankDecision, error) {
	if done, err := tx.BankDecisionByID(d.ID); err != nil || done != nil {
		return done, err
	}
	e, _, err := pendingEntry(tx, d)
	if err != nil {
		return nil, err
	}
	if e.Left() {
		return nil, regie.Errorf(regie.EConflict, "Ce crédit est déjà laissé en crédit, à identifier.")
	}
	dec := &store.BankDecision{ID: d.ID, EntryID: e.ID, Regie: d.Regie, Kind: "leave", StaffID: d.StaffID, At: now,
		Comment: clean(d.Comment)}
	return dec, tx.InsertBankDecision(dec)
}

// pendingEntry is the decision's entry, in the decision's régie, when it is
// a credit still waiting: a transfer or direct debit with no payment.
func pendingEntry(tx *store.Tx, d *Decision) (*store.BankEntry, *regie.Regie, error) {
	e, err := tx.BankEntryByID([]string{d.Regie}, d.EntryID)
	if err != nil {
		return nil, nil, err
	} else if e == nil {
		return nil, nil, regie.Errorf(regie.ENotFound, "Écriture bancaire inconnue de la régie %s.", d.Regie)
	}
	if e.Direction != string(Credit) || e.Mode == "" {
		return nil, nil, regie.Errorf(regie.EInvalid, "Cette écriture n'est ni un virement ni un prélèvement reçu : elle ne s'enregistre pas comme paiement.")
	}
	if p := e.Paid(); p != nil {
		return nil, nil, regie.Errorf(regie.EConflict, "Ce crédit est déjà enregistré comme paiement (reçu %s).", p.Receipt)
	}
	if len(d.Comment) > 1000 {
		return nil, nil, regie.Errorf(regie.EInvalid, "Le commentaire est limité à 1 000 caractères.")
	}
	reg, err := tx.Regie(d.Regie)
	if err != nil {
		return nil, nil, err
	}
	return e, reg, nil
}

func joinNumbers(invs []store.BankInvoice) string {
	ns := make([]string, len(invs))
	for i, v := range invs {
		ns[i] = v.Number
	}
	return strings.Join(ns, ", ")
}
