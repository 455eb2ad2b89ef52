package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/regie-fr/regie"
)

// counterDashboard reads one counter's figures. What the journal decides
// (cash, cheques held, days closed, closings, deposits) is asked of the
// same regie.JournalHistory the push's rules use, and computed by the
// domain's own arithmetic (regie.Closing.Compute), so the dashboard says
// what the counter's status bar says.
func (t *Tx) counterDashboard(c *Counter, r *regie.Regie, today string) (*CounterDashboard, error) {
	h := &history{t: t, counter: c.ID, max: math.MaxInt64}
	d := &CounterDashboard{Counter: *c, ReportedHead: -1, Pending: -1}
	var err error
	if d.Cash, err = cashInTill(h); err != nil {
		return nil, err
	}
	if d.Checks, err = t.checksHeld(h); err != nil {
		return nil, err
	}
	yesterday := addDays(today, -1)
	for _, ch := range d.Checks {
		d.ChecksTotal += ch.Amount
		if ch.Day < yesterday {
			d.Late = append(d.Late, ch)
		}
	}
	d.Held = max(0, d.Cash-r.Float) + d.ChecksTotal
	if d.Unclosed, err = t.unclosedDays(c.ID, today); err != nil {
		return nil, err
	}
	if d.Differences, err = t.monthDifferences(c.ID, today); err != nil {
		return nil, err
	}
	if err := t.depositState(h, d, r, today); err != nil {
		return nil, err
	}
	if err := t.syncState(c.ID, d); err != nil {
		return nil, err
	}
	return d, nil
}

// cashInTill is the cash the till holds per its journal, as the counter
// computes it: the open day's expected cash, or what the last closing
// counted once the day is sealed.
func cashInTill(h *history) (regie.Money, error) {
	s, err := h.LastSession()
	if err != nil || s == nil {
		return 0, err
	}
	sealed, err := h.Sealed(s.Day)
	if err != nil {
		return 0, err
	}
	if sealed {
		cl, err := h.LastClosing()
		if err != nil || cl == nil {
			return 0, err
		}
		return cl.CountedCash, nil
	}
	f, err := h.DayFigures(s.Day)
	if err != nil {
		return 0, err
	}
	c := regie.Closing{Float: s.Float}
	c.Compute(f, nil)
	return c.ExpectedCash, nil
}

// checksHeld lists the counter's cheques never cancelled nor deposited,
// oldest first, as the rules (regie.JournalRules.held) define them: a
// cheque tender of one of its payments, the payment not cancelled, the
// cheque in none of its deposits. SQLite lists the cheques the deposits
// handed over, and the cheque tenders of the payments not cancelled (from
// their index, without decoding them in Go); then only the payments whose
// cheque is still held are decoded.
func (t *Tx) checksHeld(h *history) ([]HeldCheck, error) {
	// The deposits' cheques, read as history.Deposited reads them.
	deposited := map[checkKey]bool{}
	drows, err := t.query(`SELECT c.value ->> '$.payment_id', c.value ->> '$.tender'
		FROM journal d INDEXED BY journal_deposit_days, json_each(d.data, '$.checks') c
		WHERE d.counter_id = ? AND d.kind = 'deposit'`, h.counter)
	if err != nil {
		return nil, wrap("checks deposited", err)
	}
	for drows.Next() {
		var k checkKey
		var payment sql.NullString
		var tender sql.NullInt64
		if err := drows.Scan(&payment, &tender); err != nil {
			drows.Close()
			return nil, wrap("checks deposited", err)
		}
		k.payment, k.tender = payment.String, int(tender.Int64)
		deposited[k] = true
	}
	drows.Close()
	if err := drows.Err(); err != nil {
		return nil, wrap("checks deposited", err)
	}
	rows, err := t.query(qCheckTenders, h.counter)
	if err != nil {
		return nil, wrap("checks held", err)
	}
	defer rows.Close()
	out := []HeldCheck{}
	var last int64
	for rows.Next() {
		var seq int64
		var k checkKey
		var data sql.RawBytes
		if err := rows.Scan(&seq, &k.payment, &k.tender, &data); err != nil {
			return nil, wrap("checks held", err)
		}
		if deposited[k] || seq == last {
			continue
		}
		last = seq
		// The entry passed the push's strict decoding when it was stored.
		var p regie.Payment
		if err := json.Unmarshal(data, &p); err != nil {
			return nil, fmt.Errorf("store: stored entry %d: %w", seq, err)
		}
		for i, tn := range p.Tenders {
			if tn.Mode == regie.Check && !deposited[checkKey{p.ID, i}] {
				out = append(out, HeldCheck{Receipt: p.Receipt, Number: tn.CheckNumber, Bank: tn.Bank, Amount: tn.Amount, Day: p.Day})
			}
		}
	}
	return out, wrap("checks held", rows.Err())
}

type checkKey struct {
	payment string
	tender  int
}

// qCheckTenders lists the cheque tenders (seq, payment id, tender index,
// the payment's data) of
// the counter's payments that were not cancelled, in journal order.
const qCheckTenders = `SELECT j.seq, j.id, tn.key, j.data FROM journal j INDEXED BY journal_check_payments, json_each(j.data, '$.tenders') tn
	WHERE j.counter_id = ? AND j.kind = 'payment' AND (instr(j.data, 'check') > 0 OR instr(j.data, '\u') > 0)
	AND tn.value ->> '$.mode' = 'check'
	AND NOT EXISTS (SELECT 1 FROM cancellations x WHERE x.payment_id = j.id)
	ORDER BY j.seq, tn.key`

// eachEntry decodes the journal rows of q (seq, id, kind, at, agent, data)
// and hands each to fn; an entry that does not decode is skipped (verify
// reports it).
func (t *Tx) eachEntry(q string, args []any, fn func(*regie.Entry, any)) error {
	rows, err := t.query(q, args...)
	if err != nil {
		return wrap("dashboard", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanStored(rows)
		if err != nil {
			return err
		}
		if obj, err := regie.DecodeEntry(e); err == nil {
			fn(e, obj)
		}
	}
	return wrap("dashboard", rows.Err())
}

// unclosedDays are the days the counter opened its till before today and
// no closing sealed.
func (t *Tx) unclosedDays(counterID int64, today string) ([]string, error) {
	rows, err := t.query(`SELECT DISTINCT json_extract(data, '$.day') AS day FROM journal INDEXED BY journal_session_days
		WHERE counter_id = ? AND kind = 'session_opened' AND json_extract(data, '$.day') < ?
		EXCEPT SELECT json_extract(data, '$.day') FROM journal INDEXED BY journal_closing_days
		WHERE counter_id = ? AND kind = 'closing' ORDER BY day`, counterID, today, counterID)
	if err != nil {
		return nil, wrap("unclosed days", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var day string
		if err := rows.Scan(&day); err != nil {
			return nil, wrap("unclosed days", err)
		}
		out = append(out, day)
	}
	return out, wrap("unclosed days", rows.Err())
}

// monthDifferences are the closings of today's month with a cash or card
// difference, by day.
func (t *Tx) monthDifferences(counterID int64, today string) ([]Difference, error) {
	out := []Difference{}
	err := t.eachEntry(`SELECT seq, id, kind, at, agent, data FROM journal INDEXED BY journal_closing_days
		WHERE counter_id = ? AND kind = 'closing' AND json_extract(data, '$.day') >= ? AND json_extract(data, '$.day') <= ?
		ORDER BY seq`, []any{counterID, today[:8] + "01", today}, func(e *regie.Entry, obj any) {
		if c, ok := obj.(*regie.Closing); ok && (c.Difference != 0 || c.CardDifference() != 0) {
			out = append(out, Difference{Day: c.Day, Agent: c.Agent, Cash: c.Difference, Card: c.CardDifference(), Comment: c.Comment})
		}
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out, err
}

// depositState is where the counter stands with its deposit period, the
// way the counter warns: the period runs from the last deposit's day, or
// from the counter's first day when it never deposited, and a deposit is
// due only when something is held.
func (t *Tx) depositState(h *history, d *CounterDashboard, r *regie.Regie, today string) error {
	err := t.eachEntry(`SELECT seq, id, kind, at, agent, data FROM journal INDEXED BY journal_deposit_days
		WHERE counter_id = ? AND kind = 'deposit' ORDER BY seq DESC LIMIT 1`, []any{h.counter}, func(e *regie.Entry, obj any) {
		if dep, ok := obj.(*regie.Deposit); ok {
			d.LastDeposit = dep.Day
		}
	})
	if err != nil {
		return err
	}
	d.DepositClock = d.LastDeposit
	if d.DepositClock == "" {
		var first sql.NullString
		err := t.queryRow(`SELECT json_extract(data, '$.day') FROM journal INDEXED BY journal_session_days
			WHERE counter_id = ? AND kind = 'session_opened' ORDER BY seq LIMIT 1`, h.counter).Scan(&first)
		if err != nil && !isNoRows(err) {
			return wrap("first day", err)
		}
		d.DepositClock = first.String
	}
	if d.DepositClock == "" {
		return nil
	}
	d.DepositDays = daysBetween(d.DepositClock, today)
	d.DepositDue = d.Held > 0 && d.DepositDays >= r.DepositPeriodDays
	d.DepositLate = d.Held > 0 && d.DepositDays > r.DepositPeriodDays
	return nil
}

// addDays moves a YYYY-MM-DD day by n days.
func addDays(day string, n int) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}

// daysBetween counts the calendar days from a to b (YYYY-MM-DD).
func daysBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}
