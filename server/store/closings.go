package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// The back-office's reads of closings and deposits. Each takes the régies
// the visitor may see for the permission at hand: what is outside them is
// never read (an empty list reads nothing, never everything).

// regieScope is the SQL condition "column IN (the régies)" and its
// arguments; false when the list is empty.
func regieScope(column string, regies []string) (string, []any, bool) {
	if len(regies) == 0 {
		return "", nil, false
	}
	args := make([]any, len(regies))
	for i, r := range regies {
		args[i] = r
	}
	return column + " IN (?" + strings.Repeat(",?", len(regies)-1) + ")", args, true
}

// ClosingRow is a daily closing (arrêté de caisse) as the back-office lists it.
type ClosingRow struct {
	Regie, Counter, CounterName string
	CounterID, Seq              int64
	Closing                     regie.Closing
}

// Closings lists the closings of the régies' counters whose day is between
// from and to (YYYY-MM-DD, included), latest day first.
func (t *Tx) Closings(regies []string, from, to string) ([]ClosingRow, error) {
	cond, args, ok := regieScope("c.regie", regies)
	if !ok {
		return nil, nil
	}
	rows, err := t.query(`SELECT c.regie, c.code, c.name, j.counter_id, j.seq, j.data
		FROM journal j JOIN counters c ON c.id = j.counter_id
		WHERE j.kind = 'closing' AND `+cond+` AND json_extract(j.data, '$.day') BETWEEN ? AND ?
		ORDER BY json_extract(j.data, '$.day') DESC, c.regie, c.code`, append(args, from, to)...)
	if err != nil {
		return nil, wrap("closings", err)
	}
	defer rows.Close()
	var out []ClosingRow
	for rows.Next() {
		var r ClosingRow
		var data string
		if err := rows.Scan(&r.Regie, &r.Counter, &r.CounterName, &r.CounterID, &r.Seq, &data); err != nil {
			return nil, wrap("closings", err)
		}
		if err := json.Unmarshal([]byte(data), &r.Closing); err != nil {
			return nil, fmt.Errorf("store: closing %d of %s/%s: %w", r.Seq, r.Regie, r.Counter, err)
		}
		out = append(out, r)
	}
	return out, wrap("closings", rows.Err())
}

// ClosingJournal is what the journal of one counter says around a closing:
// all a Z report needs (app.ClosingInfoFromJournal).
type ClosingJournal struct {
	Counter Counter
	// Current are the régie's settings today, used only when the journal
	// holds no settings entry before the closing.
	Current *regie.Regie
	// Settings are the counter's settings entries before the closing.
	Settings []regie.Entry
	// Day are the payments and cancellations of the closing's day.
	Day     []regie.Entry
	Closing *regie.Entry
}

// ClosingJournalOf reads the closing of a counter's day; nil when there is
// none, or the régie is not among regies.
func (t *Tx) ClosingJournalOf(regies []string, regieCode, counter, day string) (*ClosingJournal, error) {
	if !slices.Contains(regies, regieCode) {
		return nil, nil
	}
	c, err := t.CounterByCode(regieCode, counter)
	if err != nil || c == nil {
		return nil, err
	}
	cj := &ClosingJournal{Counter: *c}
	closings, err := t.entries(c.Code, `counter_id = ? AND kind = 'closing' AND json_extract(data, '$.day') = ? ORDER BY seq LIMIT 1`, c.ID, day)
	if err != nil || len(closings) == 0 {
		return nil, err
	}
	cj.Closing = &closings[0]
	if cj.Current, err = t.Regie(regieCode); err != nil {
		return nil, err
	}
	if cj.Settings, err = t.entries(c.Code, `counter_id = ? AND kind = 'settings' AND seq < ? ORDER BY seq`, c.ID, cj.Closing.Seq); err != nil {
		return nil, err
	}
	cj.Day, err = t.entries(c.Code, `counter_id = ? AND seq <= ? AND (seq IN (SELECT seq FROM payments WHERE counter_id = ? AND day = ?)
		OR seq IN (SELECT seq FROM cancellations WHERE counter_id = ? AND day = ?)) ORDER BY seq`,
		c.ID, cj.Closing.Seq, c.ID, day, c.ID, day)
	return cj, err
}

// entries reads whole journal entries of the counter code matching where
// (which names the counter's id among its arguments).
func (t *Tx) entries(code, where string, args ...any) ([]regie.Entry, error) {
	rows, err := t.query(`SELECT seq, id, kind, at, agent, data, prev_hash, hash FROM journal WHERE `+where, args...)
	if err != nil {
		return nil, wrap("entries", err)
	}
	defer rows.Close()
	var out []regie.Entry
	for rows.Next() {
		e := regie.Entry{Counter: code}
		var kind, at, data string
		if err := rows.Scan(&e.Seq, &e.ID, &kind, &at, &e.Agent, &data, &e.PrevHash, &e.Hash); err != nil {
			return nil, wrap("entries", err)
		}
		e.Kind, e.Data = regie.EntryKind(kind), json.RawMessage(data)
		if e.At, err = time.Parse(regie.TimeFormat, at); err != nil {
			return nil, fmt.Errorf("store: entry %d: time %q: %w", e.Seq, at, err)
		}
		out = append(out, e)
	}
	return out, wrap("entries", rows.Err())
}

// DepositRow is a deposit (versement) as the back-office lists it, with the
// settings entries before it (the régie and agents as the counter knew
// them, for its bordereaux).
type DepositRow struct {
	Regie, Counter, CounterName string
	CounterID, Seq              int64
	Deposit                     regie.Deposit
}

// Deposits lists the deposits of the régies' counters whose day is between
// from and to, latest first.
func (t *Tx) Deposits(regies []string, from, to string) ([]DepositRow, error) {
	return t.deposits(regies, `json_extract(j.data, '$.day') BETWEEN ? AND ?`, from, to)
}

// DepositByID is one deposit; nil when unknown or outside regies.
func (t *Tx) DepositByID(regies []string, id string) (*DepositRow, error) {
	rs, err := t.deposits(regies, `j.id = ?`, id)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

func (t *Tx) deposits(regies []string, where string, args ...any) ([]DepositRow, error) {
	cond, scope, ok := regieScope("c.regie", regies)
	if !ok {
		return nil, nil
	}
	rows, err := t.query(`SELECT c.regie, c.code, c.name, j.counter_id, j.seq, j.data
		FROM journal j JOIN counters c ON c.id = j.counter_id
		WHERE j.kind = 'deposit' AND `+cond+` AND `+where+`
		ORDER BY j.at DESC, c.regie, c.code`, append(scope, args...)...)
	if err != nil {
		return nil, wrap("deposits", err)
	}
	defer rows.Close()
	var out []DepositRow
	for rows.Next() {
		var r DepositRow
		var data string
		if err := rows.Scan(&r.Regie, &r.Counter, &r.CounterName, &r.CounterID, &r.Seq, &data); err != nil {
			return nil, wrap("deposits", err)
		}
		if err := json.Unmarshal([]byte(data), &r.Deposit); err != nil {
			return nil, fmt.Errorf("store: deposit %d of %s/%s: %w", r.Seq, r.Regie, r.Counter, err)
		}
		out = append(out, r)
	}
	return out, wrap("deposits", rows.Err())
}

// SettingsEntries are a counter's settings entries before seq.
func (t *Tx) SettingsEntries(c *Counter, before int64) ([]regie.Entry, error) {
	return t.entries(c.Code, `counter_id = ? AND kind = 'settings' AND seq < ? ORDER BY seq`, c.ID, before)
}
