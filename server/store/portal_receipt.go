package store

import (
	"context"
	"encoding/json"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/printing"
)

// Receipt gives what one of a household's receipts prints, built the way
// the counter builds it: the payment and its cancellation exactly as the
// journal recorded them, the régie's settings, the counter's and agents'
// names, and what remains on each invoice now.
func (ps *PortalStore) Receipt(ctx context.Context, householdID, paymentID string) (*printing.ReceiptData, error) {
	var d *printing.ReceiptData
	err := ps.s.View(ctx, func(t *Tx) error {
		var data, hash, counterName string
		err := t.queryRow(`SELECT j.data, j.hash, c.name FROM payments p
			JOIN journal j ON j.counter_id = p.counter_id AND j.seq = p.seq
			JOIN counters c ON c.id = p.counter_id
			WHERE p.id = ? AND p.household_id = ?`, paymentID, householdID).Scan(&data, &hash, &counterName)
		if notFound(err) {
			return regie.Errorf(regie.EPaymentNotFound, "Paiement introuvable.")
		} else if err != nil {
			return err
		}
		var p regie.Payment
		if err := json.Unmarshal([]byte(data), &p); err != nil {
			return err
		}
		r, err := t.Regie(p.Regie)
		if err != nil {
			return err
		} else if r == nil {
			r = &regie.Regie{Code: p.Regie, Name: p.Regie}
		}
		d = &printing.ReceiptData{Issuer: printing.Issuer{Regie: *r, Counter: counterName},
			Agent: t.agentName(p.Regie, p.Agent), Payment: &p, Hash: hash, Remaining: map[string]regie.Money{}}
		if h, err := t.Household(householdID); err != nil {
			return err
		} else if h != nil {
			d.Household, d.Account = h.Name, h.Account
		}
		var cdata string
		err = t.queryRow(`SELECT j.data FROM cancellations c JOIN journal j ON j.counter_id = c.counter_id AND j.seq = c.seq
			WHERE c.payment_id = ?`, paymentID).Scan(&cdata)
		if err == nil {
			var c regie.Cancellation
			if err := json.Unmarshal([]byte(cdata), &c); err != nil {
				return err
			}
			d.Cancelled, d.CancelledBy = &c, t.agentName(p.Regie, c.ApprovedBy)
		} else if !notFound(err) {
			return err
		}
		for _, a := range p.Allocations {
			if a.InvoiceID == "" {
				continue
			}
			var amount, paid int64
			err := t.queryRow(`SELECT amount, paid FROM invoices WHERE id = ?`, a.InvoiceID).Scan(&amount, &paid)
			if err == nil {
				d.Remaining[a.InvoiceID] = regie.Money(max(amount-paid, 0))
			} else if !notFound(err) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		if regie.ErrorCodeOf(err) == regie.EPaymentNotFound {
			return nil, err
		}
		return nil, wrap("portal receipt", err)
	}
	return d, nil
}

// machineAgents name, as a receipt prints them, who records on a server
// counter when no person does (server/ledger: the payment's source).
var machineAgents = map[string]string{
	"payfip": "PayFiP (DGFiP)", "publik": "Portail Publik de la ville", "bank": "Relevé bancaire",
	"serveur": "Serveur de la régie",
}

// agentName is an agent's name: a counter's agent, the back-office staff
// member who recorded on a server counter, or the machine that did; their
// id when the server knows none of them (the receipt still prints).
func (t *Tx) agentName(regieCode, id string) string {
	var name string
	if err := t.queryRow(`SELECT name FROM agents WHERE id = ? AND regie = ?`, id, regieCode).Scan(&name); err == nil {
		return name
	}
	if m, ok := machineAgents[id]; ok {
		return m
	}
	if err := t.queryRow(`SELECT name FROM staff WHERE id = ?`, id).Scan(&name); err == nil {
		return name
	}
	return id
}
