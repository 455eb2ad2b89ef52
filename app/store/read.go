package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/regie-fr/regie"
)

const entryCols = `seq, id, counter, kind, at, agent, data, prev_hash, hash`

var (
	qLastEntry   = hot(`SELECT ` + entryCols + ` FROM journal ORDER BY seq DESC LIMIT 1`)
	qPayment     = hot(`SELECT j.data FROM payments p JOIN journal j ON j.seq = p.seq WHERE p.id = ?`)
	qLastSession = hot(`SELECT j.data FROM sessions s JOIN journal j ON j.seq = s.seq ORDER BY s.seq DESC LIMIT 1`)
	qDayClosed   = hot(`SELECT count(*) FROM closings WHERE day = ?`)
	qLastReceipt = hot(`SELECT coalesce(max(number), 0) FROM payments WHERE year = ?`)
)

func scanEntry(row interface{ Scan(...any) error }) (*regie.Entry, error) {
	var e regie.Entry
	var kind, at, data string
	if err := row.Scan(&e.Seq, &e.ID, &e.Counter, &kind, &at, &e.Agent, &data, &e.PrevHash, &e.Hash); err != nil {
		return nil, err
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return nil, fmt.Errorf("entry %d: bad time %q: %w", e.Seq, at, err)
	}
	e.Kind, e.At, e.Data = regie.EntryKind(kind), t, json.RawMessage(data)
	return &e, nil
}

// LastEntry is the head of the chain, nil for an empty journal.
func (t *Tx) LastEntry() (*regie.Entry, error) {
	e, err := scanEntry(t.queryRow(qLastEntry))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: last entry: %w", err)
	}
	return e, nil
}

// Entry finds an entry by its UUID; nil when there is none.
func (t *Tx) Entry(id string) (*regie.Entry, error) {
	e, err := scanEntry(t.queryRow(`SELECT `+entryCols+` FROM journal WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: entry %s: %w", id, err)
	}
	return e, nil
}

// SettingsEntries lists the settings entries before seq before (≤ 0: all),
// in order: what the régie's settings and agents were at any point of the
// journal.
func (t *Tx) SettingsEntries(before int64) ([]regie.Entry, error) {
	if before <= 0 {
		before = 1<<63 - 1
	}
	rows, err := t.query(`SELECT `+entryCols+` FROM journal WHERE kind = ? AND seq < ? ORDER BY seq`,
		string(regie.KindSettings), before)
	if err != nil {
		return nil, fmt.Errorf("store: settings entries: %w", err)
	}
	defer rows.Close()
	var out []regie.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("store: settings entries: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// Entries lists the journal from seq from to seq to included (to ≤ 0: to the
// end), in order.
func (t *Tx) Entries(from, to int64) ([]regie.Entry, error) {
	if to <= 0 {
		to = 1<<63 - 1
	}
	rows, err := t.query(`SELECT `+entryCols+` FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq`, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: entries: %w", err)
	}
	defer rows.Close()
	var out []regie.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("store: entries: %w", err)
		}
		out = append(out, *e)
	}
	return out, rows.Err()
}

// decodeAt loads the object recorded by the entry at seq into v.
func (t *Tx) decodeAt(query string, v any, args ...any) (bool, error) {
	var data string
	err := t.queryRow(query, args...).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return true, json.Unmarshal([]byte(data), v)
}

// Payment reads a payment back from its journal entry; nil when unknown.
func (t *Tx) Payment(id string) (*regie.Payment, error) {
	var p regie.Payment
	ok, err := t.decodeAt(qPayment, &p, id)
	if err != nil || !ok {
		return nil, wrap("payment", err)
	}
	return &p, nil
}

// PaymentByReceipt finds a payment by its receipt number; nil when unknown.
func (t *Tx) PaymentByReceipt(receipt string) (*regie.Payment, error) {
	_, _, year, n, err := regie.ParseReceiptNumber(receipt)
	if err != nil {
		return nil, nil
	}
	var p regie.Payment
	ok, err := t.decodeAt(`SELECT j.data FROM payments p JOIN journal j ON j.seq = p.seq
		WHERE p.year = ? AND p.number = ? AND p.receipt = ?`, &p, year, n, receipt)
	if err != nil || !ok {
		return nil, wrap("payment by receipt", err)
	}
	return &p, nil
}

// CancellationOf is the cancellation of a payment, nil when it stands.
func (t *Tx) CancellationOf(paymentID string) (*regie.Cancellation, error) {
	var c regie.Cancellation
	ok, err := t.decodeAt(`SELECT j.data FROM cancellations c JOIN journal j ON j.seq = c.seq WHERE c.payment_id = ?`, &c, paymentID)
	if err != nil || !ok {
		return nil, wrap("cancellation", err)
	}
	return &c, nil
}

// LastSession is the newest till session and whether its day is closed; nil
// before the first one.
func (t *Tx) LastSession() (*regie.TillSession, bool, error) {
	var s regie.TillSession
	ok, err := t.decodeAt(qLastSession, &s)
	if err != nil || !ok {
		return nil, false, wrap("last session", err)
	}
	closed, err := t.DayClosed(s.Day)
	return &s, closed, err
}

// DayClosed tells whether day has been sealed by a closing.
func (t *Tx) DayClosed(day string) (bool, error) {
	var n int
	err := t.queryRow(qDayClosed, day).Scan(&n)
	return n > 0, wrap("day closed", err)
}

// SessionOfDay is the till session of day, nil when the till did not open.
func (t *Tx) SessionOfDay(day string) (*regie.TillSession, error) {
	var s regie.TillSession
	ok, err := t.decodeAt(`SELECT j.data FROM sessions s JOIN journal j ON j.seq = s.seq WHERE s.day = ?`, &s, day)
	if err != nil || !ok {
		return nil, wrap("session of day", err)
	}
	return &s, nil
}

// LastClosing is the newest closing, nil before the first.
func (t *Tx) LastClosing() (*regie.Closing, error) {
	var c regie.Closing
	ok, err := t.decodeAt(`SELECT j.data FROM closings c JOIN journal j ON j.seq = c.seq ORDER BY c.seq DESC LIMIT 1`, &c)
	if err != nil || !ok {
		return nil, wrap("last closing", err)
	}
	return &c, nil
}

// Closings lists the closings of days from..to (YYYY-MM-DD, included).
func (t *Tx) Closings(from, to string) ([]regie.Closing, error) {
	rows, err := t.query(`SELECT j.data FROM closings c JOIN journal j ON j.seq = c.seq
		WHERE c.day BETWEEN ? AND ? ORDER BY c.day`, from, to)
	if err != nil {
		return nil, wrap("closings", err)
	}
	defer rows.Close()
	var out []regie.Closing
	for rows.Next() {
		var data string
		var c regie.Closing
		if err := rows.Scan(&data); err != nil {
			return nil, wrap("closings", err)
		}
		if err := json.Unmarshal([]byte(data), &c); err != nil {
			return nil, wrap("closings", err)
		}
		out = append(out, c)
	}
	return out, wrap("closings", rows.Err())
}

// LastDeposit is the newest deposit, nil before the first.
func (t *Tx) LastDeposit() (*regie.Deposit, error) {
	var d regie.Deposit
	ok, err := t.decodeAt(`SELECT j.data FROM deposits d JOIN journal j ON j.seq = d.seq ORDER BY d.seq DESC LIMIT 1`, &d)
	if err != nil || !ok {
		return nil, wrap("last deposit", err)
	}
	return &d, nil
}

// LastReceiptNumber is the highest n given in year, 0 before the first.
func (t *Tx) LastReceiptNumber(year int) (int, error) {
	var n int
	err := t.queryRow(qLastReceipt, year).Scan(&n)
	return n, wrap("last receipt number", err)
}

// RecentLogins lists the agent's last n login attempts, newest first.
func (t *Tx) RecentLogins(agentID string, n int) ([]regie.Login, error) {
	rows, err := t.query(`SELECT id, success, at FROM logins WHERE agent = ? ORDER BY seq DESC LIMIT ?`, agentID, n)
	if err != nil {
		return nil, wrap("recent logins", err)
	}
	defer rows.Close()
	var out []regie.Login
	for rows.Next() {
		l := regie.Login{Agent: agentID}
		var at string
		if err := rows.Scan(&l.ID, &l.Success, &at); err != nil {
			return nil, wrap("recent logins", err)
		}
		if l.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, wrap("recent logins", err)
		}
		out = append(out, l)
	}
	return out, wrap("recent logins", rows.Err())
}

func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
