package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/regie-fr/regie"
	"github.com/regie-fr/regie/sync/protocol"
)

var (
	qInvoicePaid   = hot(`SELECT household_id, regie, number, amount, paid FROM invoices WHERE id = ?`)
	qInsertCredit  = hot(`INSERT INTO credits (invoice_id, household_id, payment_id, entry_id, counter_id, seq, amount, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	qPaymentOwner  = hot(`SELECT counter_id FROM payments WHERE id = ?`)
	qPaymentAllocs = hot(`SELECT invoice_id, amount FROM allocations WHERE payment_id = ? AND invoice_id <> '' ORDER BY idx`)
	qInsertCancel  = hot(`INSERT INTO cancellations (id, payment_id, counter_id, seq, day, at, agent, approved_by, reason, comment)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
)

// project writes what an entry records into the tables the server queries:
// a payment and its tenders and allocations, a cancellation; both change
// what remains to pay on invoices. Other kinds live in the journal only.
func (t *Tx) project(c *Counter, e *regie.Entry, obj any, decodeErr error) error {
	if decodeErr != nil && (e.Kind == regie.KindPayment || e.Kind == regie.KindCancellation) {
		return malformed(e, "contenu illisible", decodeErr)
	}
	switch o := obj.(type) {
	case *regie.Payment:
		return t.projectPayment(c, e, o)
	case *regie.Cancellation:
		return t.projectCancellation(c, e, o)
	}
	return nil
}

func malformed(e *regie.Entry, motif string, err error) error {
	return &EntryError{Seq: e.Seq, Code: protocol.CodeMalformed, Reason: err.Error(),
		Message: fmt.Sprintf("Entrée n° %d refusée : %s.", e.Seq, motif)}
}

func (t *Tx) projectPayment(c *Counter, e *regie.Entry, p *regie.Payment) error {
	if p.ID != e.ID || p.Counter != c.Code || p.Regie != c.Regie {
		return &EntryError{Seq: e.Seq, Code: protocol.CodeForbidden, Reason: "payment of another counter or id",
			Message: fmt.Sprintf("Entrée n° %d refusée : le paiement %s n'est pas celui du poste %s de la régie %s.", e.Seq, p.Receipt, c.Code, c.Regie)}
	}
	t.pending.payments.add(p.ID, c.ID, e.Seq, p.Receipt, p.Regie, p.Counter, p.Day,
		p.At.UTC().Format(regie.TimeFormat), p.Agent, p.HouseholdID, p.Account, p.Payer, int64(p.Total))
	for i, a := range p.Allocations {
		t.pending.allocations.add(p.ID, i, a.InvoiceID, a.InvoiceNumber, a.ItemCode, a.Label, int64(a.Amount), int64(a.Credit))
	}
	for _, a := range p.Allocations {
		if a.InvoiceID != "" {
			if err := t.applyToInvoice(c, e, p.ID, a.InvoiceID, int64(a.Amount)); err != nil {
				return err
			}
		}
	}
	return nil
}

func (t *Tx) projectCancellation(c *Counter, e *regie.Entry, x *regie.Cancellation) error {
	// The payment may be among the rows not written yet.
	if err := t.flushRows(); err != nil {
		return err
	}
	var owner int64
	err := t.queryRow(qPaymentOwner, x.PaymentID).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) || err == nil && owner != c.ID || x.ID != e.ID {
		return &EntryError{Seq: e.Seq, Code: protocol.CodeEntryConflict, Reason: "cancellation of an unknown payment",
			Message: fmt.Sprintf("Entrée n° %d refusée : elle annule le reçu %s, que ce poste n'a pas envoyé.", e.Seq, x.Receipt)}
	} else if err != nil {
		return err
	}
	if err := t.exec(qInsertCancel, x.ID, x.PaymentID, c.ID, e.Seq, x.Day, x.At.UTC().Format(regie.TimeFormat),
		x.Agent, x.ApprovedBy, x.Reason, x.Comment); err != nil {
		return err
	}
	rows, err := t.query(qPaymentAllocs, x.PaymentID)
	if err != nil {
		return err
	}
	type alloc struct {
		invoice string
		amount  int64
	}
	var allocs []alloc
	for rows.Next() {
		var a alloc
		if err := rows.Scan(&a.invoice, &a.amount); err != nil {
			rows.Close()
			return err
		}
		allocs = append(allocs, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, a := range allocs {
		if err := t.applyToInvoice(c, e, x.PaymentID, a.invoice, -a.amount); err != nil {
			return err
		}
	}
	return nil
}

// invoicePaid is what a push needs of an invoice, cached for the batch.
type invoicePaid struct {
	household    string
	regie        string
	number       string
	amount, paid int64
	known, dirty bool
}

// applyToInvoice adds delta to what was paid on an invoice and records the
// change of its excess as a credit row: the server is the authority, so a
// payment cashed offline is never refused, and an invoice paid twice keeps
// both payments with the excess as a trop-perçu. An invoice the server does
// not know (deleted from the business software) is left alone; the
// allocation stays recorded. The new amount paid is written once per batch
// by flushInvoices.
func (t *Tx) applyToInvoice(c *Counter, e *regie.Entry, paymentID, invoiceID string, delta int64) error {
	inv := t.invoices[invoiceID]
	if inv == nil {
		inv = &invoicePaid{}
		err := t.queryRow(qInvoicePaid, invoiceID).Scan(&inv.household, &inv.regie, &inv.number, &inv.amount, &inv.paid)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		inv.known = err == nil
		if t.invoices == nil {
			t.invoices = map[string]*invoicePaid{}
		}
		t.invoices[invoiceID] = inv
	}
	if !inv.known {
		return nil
	}
	paid := inv.paid
	inv.paid, inv.dirty = paid+delta, true
	if credit := max(inv.paid-inv.amount, 0) - max(paid-inv.amount, 0); credit != 0 {
		return t.exec(qInsertCredit, invoiceID, inv.household, paymentID, e.ID, c.ID, e.Seq, credit, e.At.UTC().Format(regie.TimeFormat))
	}
	return nil
}

// insertRowsQuery is an INSERT of n rows of cols values. Its parameters
// are anonymous "?": the driver looks each numbered one up by name, which
// costs the square of their number.
func insertRowsQuery(table string, cols, n int) string {
	row := "(?" + strings.Repeat(",?", cols-1) + ")"
	return "INSERT INTO " + table + " VALUES " + row + strings.Repeat(","+row, n-1)
}
