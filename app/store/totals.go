package store

import (
	"database/sql"
	"errors"
	"math"

	"github.com/regie-fr/regie"
)

// DayFigures sums the payments, cancellations and deposits of day.
func (t *Tx) DayFigures(day string) (*regie.DayFigures, error) {
	return t.dayFigures(day, math.MaxInt64)
}

// dayFigures is DayFigures over the entries before seq before.
func (t *Tx) dayFigures(day string, before int64) (*regie.DayFigures, error) {
	f := &regie.DayFigures{Received: regie.ModeTotals{}, Refunded: regie.ModeTotals{}}
	if err := t.sumModes(f.Received, `SELECT t.mode, sum(t.amount) FROM payments p
		JOIN tenders t ON t.payment_id = p.id WHERE p.day = ? AND p.seq < ? GROUP BY t.mode`, day, before); err != nil {
		return nil, err
	}
	if err := t.sumModes(f.Refunded, `SELECT t.mode, sum(t.amount) FROM cancellations c
		JOIN tenders t ON t.payment_id = c.payment_id WHERE c.day = ? AND c.seq < ? GROUP BY t.mode`, day, before); err != nil {
		return nil, err
	}
	err := t.queryRow(`SELECT count(*), coalesce(min(receipt), ''), coalesce(max(receipt), '')
		FROM payments WHERE day = ? AND seq < ?`, day, before).Scan(&f.Payments, &f.FirstReceipt, &f.LastReceipt)
	if err != nil {
		return nil, wrap("day figures", err)
	}
	if err := t.queryRow(`SELECT count(*) FROM cancellations WHERE day = ? AND seq < ?`, day, before).Scan(&f.Cancellations); err != nil {
		return nil, wrap("day figures", err)
	}
	var dep int64
	if err := t.queryRow(`SELECT coalesce(sum(cash), 0) FROM deposits WHERE day = ? AND seq < ?`, day, before).Scan(&dep); err != nil {
		return nil, wrap("day figures", err)
	}
	f.CashDeposited = regie.Money(dep)
	return f, nil
}

func (t *Tx) sumModes(into regie.ModeTotals, q string, args ...any) error {
	rows, err := t.query(q, args...)
	if err != nil {
		return wrap("sum per mode", err)
	}
	defer rows.Close()
	for rows.Next() {
		var mode string
		var sum int64
		if err := rows.Scan(&mode, &sum); err != nil {
			return wrap("sum per mode", err)
		}
		into[regie.PaymentMode(mode)] += regie.Money(sum)
	}
	return wrap("sum per mode", rows.Err())
}

// ChecksHeld lists the cheques in the till: received, not cancelled, not yet
// handed to the accountant.
func (t *Tx) ChecksHeld() ([]regie.CheckLine, error) {
	rows, err := t.query(`SELECT p.id, t.idx, p.receipt, t.check_number, t.bank, t.drawer, t.amount
		FROM checks_held h JOIN tenders t ON t.payment_id = h.payment_id AND t.idx = h.idx
		JOIN payments p ON p.id = h.payment_id
		ORDER BY h.seq, h.idx`)
	if err != nil {
		return nil, wrap("checks held", err)
	}
	defer rows.Close()
	var out []regie.CheckLine
	for rows.Next() {
		var c regie.CheckLine
		var amount int64
		if err := rows.Scan(&c.PaymentID, &c.Tender, &c.Receipt, &c.Number, &c.Bank, &c.Drawer, &amount); err != nil {
			return nil, wrap("checks held", err)
		}
		c.Amount = regie.Money(amount)
		out = append(out, c)
	}
	return out, wrap("checks held", rows.Err())
}

// CountPayments is how many payments the file holds.
func (t *Tx) CountPayments() (int, error) {
	var n int
	err := t.queryRow(`SELECT count(*) FROM payments`).Scan(&n)
	return n, wrap("count payments", err)
}

// DaySpan is the range of journal seqs of day: from its till session's
// opening to the entry before the next session. Zero when the till did not
// open that day.
func (t *Tx) DaySpan(day string) (from, to int64, err error) {
	err = t.queryRow(`SELECT s.seq, coalesce((SELECT min(n.seq) - 1 FROM sessions n WHERE n.seq > s.seq),
		(SELECT max(seq) FROM journal)) FROM sessions s WHERE s.day = ?`, day).Scan(&from, &to)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	return from, to, wrap("day span", err)
}

// DepositedChecks counts the cheques of a payment already handed to the
// accountant: such a payment can no longer be cancelled at the counter.
func (t *Tx) DepositedChecks(paymentID string) (int, error) {
	var n int
	err := t.queryRow(`SELECT count(*) FROM deposit_checks WHERE payment_id = ?`, paymentID).Scan(&n)
	return n, wrap("deposited checks", err)
}
