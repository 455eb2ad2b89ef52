package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ChainCheck is one verification of a counter's journal on the server.
type ChainCheck struct {
	At      time.Time
	Entries int64
	// BrokenSeq is where the chain breaks, 0 when it holds; BrokenMotif
	// says why, in French.
	BrokenSeq   int64
	BrokenMotif string
	// Problems counts the entries and rows that break a rule; FirstProblem
	// is the first of them, in French.
	Problems     int
	FirstProblem string
}

// OK tells whether the check found nothing wrong.
func (c *ChainCheck) OK() bool { return c.BrokenSeq == 0 && c.Problems == 0 }

// Refusal is a push the server refused: the first entry refused, the
// rule's code and the French message the counter got.
type Refusal struct {
	At      time.Time
	Status  int
	Seq     int64
	Code    string
	Message string
}

// refusalsShown is how many of a counter's refusals the dashboard lists.
const refusalsShown = 5

// SawCounter records that the counter made a request at now and, when its
// program says it (head ≥ 0), the last entry of its own journal. A head
// below zero leaves the one reported before. Called once a minute at most
// per counter, or when the head changes (CounterSeen tells).
func (t *Tx) SawCounter(counterID, head int64, now time.Time) error {
	if head < 0 {
		return wrap("saw counter", t.exec(`INSERT INTO counter_sync (counter_id, seen_at) VALUES (?, ?)
			ON CONFLICT (counter_id) DO UPDATE SET seen_at = excluded.seen_at`, counterID, dbTime(now)))
	}
	return wrap("saw counter", t.exec(`INSERT INTO counter_sync (counter_id, seen_at, reported_head, reported_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (counter_id) DO UPDATE SET seen_at = excluded.seen_at, reported_head = excluded.reported_head,
		reported_at = excluded.reported_at`, counterID, dbTime(now), head, dbTime(now)))
}

// CounterSeen is what SawCounter last recorded: when, and the head (-1 when
// never reported); a zero time when the counter was never seen.
func (t *Tx) CounterSeen(counterID int64) (seen time.Time, head int64, err error) {
	var at string
	var h sql.NullInt64
	err = t.queryRow(`SELECT seen_at, reported_head FROM counter_sync WHERE counter_id = ?`, counterID).Scan(&at, &h)
	if isNoRows(err) {
		return time.Time{}, -1, nil
	} else if err != nil {
		return time.Time{}, -1, wrap("counter seen", err)
	}
	if !h.Valid {
		h.Int64 = -1
	}
	return parseDBTime(at), h.Int64, nil
}

// RecordRefusal keeps a refused push. It is meant for a transaction of its
// own, after the refused batch was rolled back: nothing of the batch is
// stored, only what the counter was told.
func (t *Tx) RecordRefusal(counterID int64, r Refusal) error {
	return wrap("record refusal", t.exec(`INSERT INTO sync_refusals (counter_id, at, status, seq, code, message) VALUES (?, ?, ?, ?, ?, ?)`,
		counterID, dbTime(r.At), r.Status, r.Seq, r.Code, r.Message))
}

// RecordChecks keeps the result of a verification of every counter
// (Store.Verify's reports) at now; the report of the tables that belongs
// to no counter is left out.
func (t *Tx) RecordChecks(reports []ChainReport, now time.Time) error {
	for _, r := range reports {
		c, err := t.CounterByCode(r.Regie, r.Counter)
		if err != nil {
			return err
		} else if c == nil {
			continue
		}
		var broken any
		motif, first := "", ""
		if r.Broken != nil {
			broken, motif = r.Broken.Seq, r.Broken.Motif
		}
		if len(r.Problems) > 0 {
			p := r.Problems[0]
			first = p.Message
			if p.Seq > 0 {
				first = fmt.Sprintf("entrée n° %d : %s", p.Seq, p.Message)
			}
		}
		if err := t.exec(`INSERT INTO chain_checks (counter_id, at, entries, broken_seq, broken_motif, problems, first_problem)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, dbTime(now), r.Entries, broken, motif, len(r.Problems), first); err != nil {
			return wrap("record check", err)
		}
	}
	return nil
}

// VerifyAndRecord runs Store.Verify and records its result, in a write
// transaction of its own and short: the verification itself reads a
// snapshot, so pushes go on while it runs.
func (s *Store) VerifyAndRecord(ctx context.Context, now func() time.Time) ([]ChainReport, error) {
	reports, err := s.Verify(ctx)
	if err != nil {
		return nil, err
	}
	return reports, s.Update(ctx, func(t *Tx) error { return t.RecordChecks(reports, now()) })
}

// syncState fills what the server knows of the counter's sync: its head,
// when it last came, what it reported, its last check and refusals.
func (t *Tx) syncState(counterID int64, d *CounterDashboard) error {
	var received sql.NullString
	err := t.queryRow(`SELECT seq, received_at FROM journal WHERE counter_id = ? ORDER BY seq DESC LIMIT 1`, counterID).
		Scan(&d.Head, &received)
	if err != nil && !isNoRows(err) {
		return wrap("dashboard head", err)
	}
	d.LastReceived = parseDBTime(received.String)
	var seen string
	var head sql.NullInt64
	var reported sql.NullString
	err = t.queryRow(`SELECT seen_at, reported_head, reported_at FROM counter_sync WHERE counter_id = ?`, counterID).
		Scan(&seen, &head, &reported)
	if err != nil && !isNoRows(err) {
		return wrap("dashboard sync", err)
	}
	d.Seen = parseDBTime(seen)
	if head.Valid {
		d.ReportedHead, d.ReportedAt = head.Int64, parseDBTime(reported.String)
		d.Pending = max(0, head.Int64-d.Head)
	}
	var c ChainCheck
	var at string
	var broken sql.NullInt64
	err = t.queryRow(`SELECT at, entries, broken_seq, broken_motif, problems, first_problem FROM chain_checks
		WHERE counter_id = ? ORDER BY id DESC LIMIT 1`, counterID).Scan(&at, &c.Entries, &broken, &c.BrokenMotif, &c.Problems, &c.FirstProblem)
	if err != nil && !isNoRows(err) {
		return wrap("dashboard chain", err)
	} else if err == nil {
		c.At, c.BrokenSeq, d.Chain = parseDBTime(at), broken.Int64, &c
	}
	rows, err := t.query(`SELECT at, status, seq, code, message FROM sync_refusals WHERE counter_id = ? ORDER BY id DESC LIMIT ?`,
		counterID, refusalsShown)
	if err != nil {
		return wrap("dashboard refusals", err)
	}
	for rows.Next() {
		var r Refusal
		if err := rows.Scan(&at, &r.Status, &r.Seq, &r.Code, &r.Message); err != nil {
			rows.Close()
			return wrap("dashboard refusals", err)
		}
		r.At = parseDBTime(at)
		d.Refusals = append(d.Refusals, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return wrap("dashboard refusals", err)
	}
	if len(d.Refusals) == 0 || !d.Refusals[0].At.After(d.LastReceived) {
		return nil
	}
	d.RefusalsOpen = true
	// Refusals are written with dbTime, whose text sorts as the instants.
	var since string
	err = t.queryRow(`SELECT min(at), count(*) FROM sync_refusals WHERE counter_id = ? AND at > ?`,
		counterID, dbTime(d.LastReceived)).Scan(&since, &d.Blocked)
	d.BlockedSince = parseDBTime(since)
	return wrap("dashboard refusals", err)
}
