// Package ledger records the payments that never pass a desk — online
// (PayFiP, Publik), transfers and direct debits entered in the back-office
// or matched from a bank statement — on the server counters every régie
// has (ARCHITECTURE rule 10). Each use case follows app/payment.go's shape
// in the caller's store transaction: read what the rules need, build the
// domain value, let it validate itself, take the next receipt number, and
// append it through store.Tx.AppendServerEntry, which applies the same
// regie.JournalRules and projections as a desk counter's push. So an online
// payment has a journal entry, a hash chain, a gap-free receipt number and
// a closing like a cash payment, and shows wherever counters' payments do.
package ledger

import (
	"time"

	"github.com/google/uuid"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/server/store"
)

// Source is where a payment outside the desks comes from. With the
// source's own reference for it (Request.Key) it makes the payment's id, so
// that the same payment told twice — a notification and a return, a
// resent Publik call, a statement imported again — is recorded once.
type Source string

// The sources.
const (
	SourcePayFiP     Source = "payfip"     // a PayFiP transaction (its idOp)
	SourcePublik     Source = "publik"     // a Publik transaction id
	SourceBackOffice Source = "backoffice" // a transfer or direct debit entered by hand
	SourceBank       Source = "bank"       // a bank statement's entry reference
)

// System is the agent of what the server records by itself (a day opened
// or closed on a server counter); a payment names who recorded it (a staff
// member's id, or its source for a machine).
const System = "serveur"

// Request is a payment to record on a server counter.
type Request struct {
	Regie   string
	Channel regie.Channel // regie.ChannelOnline or regie.ChannelBackOffice
	Source  Source
	// Key is the source's reference of this payment, unique within the
	// régie and the source (PayFiP's idOp, Publik's transaction id, the
	// bank's entry reference, a back-office form's own UUID).
	Key string
	// Agent is who records it: a staff member's id, or the source for a
	// machine (string(SourcePayFiP)…).
	Agent            string
	HouseholdID      string
	Account          string
	Payer            string
	Tenders          []regie.Tender
	Allocations      []regie.Allocation
	CreditApprovedBy string
}

// namespace makes PaymentID's name-based UUIDs apart from any other.
var namespace = uuid.MustParse("5b0d7d0e-3c59-4e4b-9a53-7265676965f0")

// PaymentID is the id of the payment a source reports under key in a régie:
// the same inputs always give the same id (a UUID v5), so every instance
// that hears of the payment names it alike and the journal, which refuses
// a second entry with an id it holds, records it once.
func PaymentID(regieCode string, src Source, key string) string {
	return uuid.NewSHA1(namespace, []byte(regieCode+"\x00"+string(src)+"\x00"+key)).String()
}

// Record records req at now on the régie's server counter of req.Channel,
// opening that counter's day (and closing the days before it) if need be.
// A payment already recorded under the same source and key is returned with
// created false; if it differs from req (another amount, household or
// invoice) that is an EConflict, never a second payment. Domain refusals
// are *regie.Error with a French message.
func Record(tx *store.Tx, req Request, now time.Time) (p *regie.Payment, created bool, err error) {
	if !req.Channel.Server() {
		return nil, false, regie.Errorf(regie.EInvalid, "Les paiements hors guichet s'enregistrent au poste de gestion ou au poste en ligne de la régie.")
	}
	if req.Source == "" || blank(req.Key) || len(req.Key) > 200 {
		return nil, false, regie.Errorf(regie.EInvalid, "Un paiement hors guichet porte la référence de son origine (200 caractères au plus).")
	}
	reg, err := tx.Regie(req.Regie)
	if err != nil {
		return nil, false, err
	} else if reg == nil {
		return nil, false, regie.Errorf(regie.ENotFound, "Régie inconnue : %s.", req.Regie)
	}
	c, err := tx.ServerCounter(req.Regie, string(req.Channel), now)
	if err != nil {
		return nil, false, err
	}
	if err := tx.LockCounter(c); err != nil {
		return nil, false, err
	}
	h := tx.CounterHistory(c)
	id := PaymentID(req.Regie, req.Source, req.Key)
	if old, err := h.Payment(id); err != nil {
		return nil, false, err
	} else if old != nil {
		if !same(old, &req) {
			return nil, false, regie.Errorf(regie.EConflict, "La référence %s est déjà enregistrée (reçu %s) pour un autre paiement.", req.Key, old.Receipt)
		}
		return old, false, nil
	}
	at := regie.JournalTime(now)
	loc := store.RegieLocation(reg)
	s, err := openDay(tx, c, h, at, loc)
	if err != nil {
		return nil, false, err
	}
	year := at.In(loc).Year()
	last, err := h.LastReceipt(year)
	if err != nil {
		return nil, false, err
	}
	p = &regie.Payment{ID: id, Receipt: regie.ReceiptNumber(req.Regie, c.Code, year, last+1), Regie: req.Regie,
		Counter: c.Code, SessionID: s.ID, Agent: req.Agent, At: at, Day: s.Day, HouseholdID: req.HouseholdID,
		Account: req.Account, Payer: req.Payer, Tenders: req.Tenders, Allocations: req.Allocations,
		CreditApprovedBy: req.CreditApprovedBy}
	p.Total = p.TendersTotal()
	if err := numberInvoices(tx, p); err != nil {
		return nil, false, err
	}
	if blank(p.Agent) {
		p.Agent = string(req.Source)
	}
	if err := p.ValidateIn(reg, req.Channel); err != nil {
		return nil, false, err
	}
	if _, err := tx.AppendServerEntry(c, regie.KindPayment, p.ID, p.Agent, at, p); err != nil {
		return nil, false, err
	}
	return p, true, nil
}

// numberInvoices writes on each allocation the number of the invoice it
// settles, as the server knows it, where the caller left it out: receipts,
// the portal and the exports show the number, and the rules refuse one that
// is not the invoice's. An unknown invoice is left for the rules to refuse.
func numberInvoices(tx *store.Tx, p *regie.Payment) error {
	p.Allocations = append([]regie.Allocation(nil), p.Allocations...)
	for i := range p.Allocations {
		a := &p.Allocations[i]
		if a.InvoiceID == "" || a.InvoiceNumber != "" {
			continue
		}
		inv, err := tx.Invoice(a.InvoiceID)
		if err != nil {
			return err
		}
		if inv != nil && inv.Regie == p.Regie {
			a.InvoiceNumber = inv.Number
			if blank(a.Label) {
				a.Label = inv.Label
			}
		}
	}
	return nil
}

// same tells whether a payment already recorded is the one req describes
// again: the same household, total and lines settled.
func same(p *regie.Payment, req *Request) bool {
	var total regie.Money
	for _, t := range req.Tenders {
		total += t.Amount
	}
	if p.HouseholdID != req.HouseholdID || p.Total != total || len(p.Allocations) != len(req.Allocations) {
		return false
	}
	for i, a := range req.Allocations {
		b := p.Allocations[i]
		if a.InvoiceID != b.InvoiceID || a.ItemCode != b.ItemCode || a.Amount != b.Amount {
			return false
		}
	}
	return true
}

func blank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}
