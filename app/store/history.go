package store

import (
	"database/sql"
	"errors"
	"math"

	"github.com/regie-fr/regie"
)

// History answers the journal rules (regie.JournalHistory) from the
// counter's tables, for the entries before seq before only: the counter
// recording an entry asks of everything stored, the start check of what
// came before the entries it replays (those it holds in its own
// regie.JournalState, so a row they made must not answer twice).
type History struct {
	t      *Tx
	before int64
}

var _ regie.JournalHistory = History{}

// JournalHistory is the history of everything the file holds, as the
// counter's use cases check a new entry against.
func (t *Tx) JournalHistory() regie.JournalHistory { return t.HistoryBefore(0) }

// HistoryBefore is the history of the entries before seq before; 0 for
// all of them.
func (t *Tx) HistoryBefore(before int64) History {
	if before <= 0 {
		before = math.MaxInt64
	}
	return History{t: t, before: before}
}

var (
	qHistReceipt     = hot(`SELECT number FROM payments WHERE year = ? AND seq < ? ORDER BY number DESC LIMIT 1`)
	qHistSession     = hot(`SELECT j.data FROM sessions s JOIN journal j ON j.seq = s.seq WHERE s.id = ? AND s.seq < ?`)
	qHistLastSession = hot(`SELECT j.data FROM sessions s JOIN journal j ON j.seq = s.seq WHERE s.seq < ? ORDER BY s.seq DESC LIMIT 1`)
	qHistSealed      = hot(`SELECT count(*) FROM closings WHERE day = ? AND seq < ?`)
	qHistPayment     = hot(`SELECT j.data FROM payments p JOIN journal j ON j.seq = p.seq WHERE p.id = ? AND p.seq < ?`)
	qHistCancelled   = hot(`SELECT coalesce(max(seq), 0) FROM cancellations WHERE payment_id = ? AND seq < ?`)
	qHistDeposited   = hot(`SELECT count(*) FROM deposit_checks c JOIN deposits d ON d.id = c.deposit_id
		WHERE c.payment_id = ? AND c.idx = ? AND d.seq < ?`)
	qHistClosing = hot(`SELECT j.data FROM closings c JOIN journal j ON j.seq = c.seq WHERE c.seq < ? ORDER BY c.seq DESC LIMIT 1`)
)

// LastReceipt implements regie.JournalHistory.
func (h History) LastReceipt(year int) (int, error) {
	var n int
	err := h.t.queryRow(qHistReceipt, year, h.before).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, wrap("last receipt number", err)
}

// Session implements regie.JournalHistory.
func (h History) Session(id string) (*regie.TillSession, error) {
	var s regie.TillSession
	ok, err := h.t.decodeAt(qHistSession, &s, id, h.before)
	if err != nil || !ok {
		return nil, wrap("session", err)
	}
	return &s, nil
}

// LastSession implements regie.JournalHistory.
func (h History) LastSession() (*regie.TillSession, error) {
	var s regie.TillSession
	ok, err := h.t.decodeAt(qHistLastSession, &s, h.before)
	if err != nil || !ok {
		return nil, wrap("last session", err)
	}
	return &s, nil
}

// Sealed implements regie.JournalHistory.
func (h History) Sealed(day string) (bool, error) { return h.count(qHistSealed, day, h.before) }

// Payment implements regie.JournalHistory.
func (h History) Payment(id string) (*regie.Payment, error) {
	var p regie.Payment
	ok, err := h.t.decodeAt(qHistPayment, &p, id, h.before)
	if err != nil || !ok {
		return nil, wrap("payment", err)
	}
	return &p, nil
}

// Cancelled implements regie.JournalHistory.
func (h History) Cancelled(paymentID string) (int64, error) {
	var seq int64
	err := h.t.queryRow(qHistCancelled, paymentID, h.before).Scan(&seq)
	return seq, wrap("history", err)
}

// Deposited implements regie.JournalHistory.
func (h History) Deposited(paymentID string, tender int) (bool, error) {
	return h.count(qHistDeposited, paymentID, tender, h.before)
}

// DayFigures implements regie.JournalHistory.
func (h History) DayFigures(day string) (*regie.DayFigures, error) {
	return h.t.dayFigures(day, h.before)
}

// LastClosing implements regie.JournalHistory.
func (h History) LastClosing() (*regie.Closing, error) {
	var c regie.Closing
	ok, err := h.t.decodeAt(qHistClosing, &c, h.before)
	if err != nil || !ok {
		return nil, wrap("last closing", err)
	}
	return &c, nil
}

func (h History) count(q string, args ...any) (bool, error) {
	var n int
	err := h.t.queryRow(q, args...).Scan(&n)
	return n > 0, wrap("history", err)
}
