package store

import (
	"fmt"
	"strconv"

	"github.com/regie-fr/regie"
)

// Append writes entry e, already chained, and the projection rows of obj,
// the object it records. The caller has built e from obj with
// regie.NewEntry; both land in the same transaction or neither does.
func (t *Tx) Append(e *regie.Entry, obj any) error {
	err := t.exec(qAppend,
		e.Seq, e.ID, e.Counter, string(e.Kind), e.At.UTC().Format(regie.TimeFormat), e.Agent,
		string(e.Data), e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("store: append entry %d: %w", e.Seq, err)
	}
	switch o := obj.(type) {
	case *regie.Payment:
		err = t.appendPayment(e.Seq, o)
	case *regie.Cancellation:
		err = t.exec(`INSERT INTO cancellations (id, seq, payment_id, day, agent, approved_by, reason)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, o.ID, e.Seq, o.PaymentID, o.Day, o.Agent, o.ApprovedBy, o.Reason)
	case *regie.TillSession:
		err = t.exec(`INSERT INTO sessions (id, seq, day, agent, float) VALUES (?, ?, ?, ?, ?)`,
			o.ID, e.Seq, o.Day, o.Agent, int64(o.Float))
	case *regie.Reprint:
		err = t.exec(`INSERT INTO reprints (id, seq, payment_id, agent) VALUES (?, ?, ?, ?)`,
			o.ID, e.Seq, o.PaymentID, o.Agent)
	case *regie.Login:
		err = t.exec(`INSERT INTO logins (id, seq, agent, success, at) VALUES (?, ?, ?, ?, ?)`,
			o.ID, e.Seq, o.Agent, o.Success, o.At.UTC().Format(regie.TimeFormat))
	case *regie.Closing:
		err = t.exec(`INSERT INTO closings (id, seq, day, counted, difference) VALUES (?, ?, ?, ?, ?)`,
			o.ID, e.Seq, o.Day, int64(o.CountedCash), int64(o.Difference))
	case *regie.Deposit:
		err = t.appendDeposit(e.Seq, o)
	case *regie.SettingsChange:
		err = nil
	default:
		err = fmt.Errorf("unknown journal object %T", obj)
	}
	if err != nil {
		return fmt.Errorf("store: append %s %s: %w", e.Kind, e.ID, err)
	}
	return nil
}

func (t *Tx) appendPayment(seq int64, p *regie.Payment) error {
	_, _, year, n, err := regie.ParseReceiptNumber(p.Receipt)
	if err != nil {
		return err
	}
	err = t.exec(qInsertPayment,
		p.ID, seq, p.Receipt, year, n, p.SessionID, p.Day, p.At.UTC().Format(regie.TimeFormat), p.Agent,
		p.HouseholdID, p.Payer, int64(p.Total))
	if err != nil {
		return err
	}
	if err := t.insertRows("tenders", 13, len(p.Tenders), func(i int) []any {
		x := p.Tenders[i]
		return []any{p.ID, i, string(x.Mode), int64(x.Amount), int64(x.Tendered), int64(x.Change),
			x.CheckNumber, x.Bank, x.Drawer, x.Authorisation, x.MaskedPAN, x.Reference, x.Count}
	}); err != nil {
		return err
	}
	return t.insertRows("allocations", 7, len(p.Allocations), func(i int) []any {
		a := p.Allocations[i]
		return []any{p.ID, i, a.InvoiceID, a.ItemCode, a.Label, int64(a.Amount), int64(a.Credit)}
	})
}

var (
	qAppend = hot(`INSERT INTO journal (seq, id, counter, kind, at, agent, data, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	qInsertPayment = hot(`INSERT INTO payments (id, seq, receipt, year, number, session_id, day, at, agent,
		household_id, payer, total) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	_ = func() int {
		for n := 1; n <= 3; n++ {
			hot(insertRowsQuery("tenders", 13, n))
			hot(insertRowsQuery("allocations", 7, n))
		}
		return 0
	}()
)

// insertRows writes n rows of cols values in one statement: one round trip
// through the driver instead of n.
func (t *Tx) insertRows(table string, cols, n int, row func(i int) []any) error {
	if n == 0 {
		return nil
	}
	args := make([]any, 0, cols*n)
	for i := 0; i < n; i++ {
		args = append(args, row(i)...)
	}
	return t.exec(insertRowsQuery(table, cols, n), args...)
}

func insertRowsQuery(table string, cols, n int) string {
	q := []byte("INSERT INTO " + table + " VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			q = append(q, ',')
		}
		q = append(q, '(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				q = append(q, ',')
			}
			q = append(q, '?')
			q = strconv.AppendInt(q, int64(i*cols+c+1), 10)
		}
		q = append(q, ')')
	}
	return string(q)
}

func (t *Tx) appendDeposit(seq int64, d *regie.Deposit) error {
	err := t.exec(`INSERT INTO deposits (id, seq, day, cash, total) VALUES (?, ?, ?, ?, ?)`,
		d.ID, seq, d.Day, int64(d.Cash), int64(d.Total))
	if err != nil {
		return err
	}
	return t.insertRows("deposit_checks", 3, len(d.Checks), func(i int) []any {
		return []any{d.ID, d.Checks[i].PaymentID, d.Checks[i].Tender}
	})
}
