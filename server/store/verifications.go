package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/regie-fr/regie"
)

// CounterHolding is what a desk counter's till holds by its journal.
type CounterHolding struct {
	Code, Name string
	Holding    regie.Holding
}

// Holdings are, for each desk counter of the régie (by code) that has
// recorded anything, the cash and cheques its journal says it holds now: replayed from its last closing
// (what was counted then and the cheques it listed) through the entries
// after it. Holding.Seq is the counter's last entry.
func (t *Tx) Holdings(regieCode string) ([]CounterHolding, error) {
	rows, err := t.query(`SELECT id, code, name FROM counters WHERE regie = ? AND kind = 'desk' ORDER BY code`, regieCode)
	if err != nil {
		return nil, wrap("holdings", err)
	}
	var cs []Counter
	for rows.Next() {
		var c Counter
		if err := rows.Scan(&c.ID, &c.Code, &c.Name); err != nil {
			rows.Close()
			return nil, wrap("holdings", err)
		}
		cs = append(cs, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("holdings", err)
	}
	out := make([]CounterHolding, 0, len(cs))
	for _, c := range cs {
		head, _, _, err := t.Head(c.ID)
		if err != nil {
			return nil, err
		} else if head == 0 {
			continue // never recorded anything: holds nothing
		}
		var from int64
		if err := t.queryRow(`SELECT coalesce(max(seq), 0) FROM journal INDEXED BY journal_closing_days
			WHERE counter_id = ? AND kind = 'closing'`, c.ID).Scan(&from); err != nil {
			return nil, wrap("holdings", err)
		}
		es, err := t.entries(c.Code, `counter_id = ? AND seq >= ? AND kind IN ('closing', 'session_opened', 'payment', 'cancellation', 'deposit') ORDER BY seq`, c.ID, from)
		if err != nil {
			return nil, err
		}
		h := CounterHolding{Code: c.Code, Name: c.Name}
		for i := range es {
			obj, err := regie.DecodeEntry(&es[i])
			if err != nil {
				return nil, fmt.Errorf("store: holdings of %s: entry %d: %w", c.Code, es[i].Seq, err)
			}
			h.Holding.Apply(&es[i], obj)
		}
		h.Holding.Seq = head
		out = append(out, h)
	}
	return out, nil
}

// RecordVerification records a procès-verbal de vérification de caisse in
// the régie's journal, on its back-office counter (created on first use),
// in the caller's transaction. v carries the people, the counted amounts
// and the observations; the expected amounts are filled here from the
// journals (Holdings), never taken from the form. asOf is, per counter,
// the last entry the verifier saw the expected amounts at: when a counter
// has recorded more since, the figures shown are stale and nothing is
// written. Every desk counter of the régie must be counted, once.
func (t *Tx) RecordVerification(v *regie.CashVerification, asOf map[string]int64, now time.Time) (*regie.Entry, error) {
	holdings, err := t.Holdings(v.Regie)
	if err != nil {
		return nil, err
	}
	byCode := map[string]*CounterHolding{}
	for i := range holdings {
		byCode[holdings[i].Code] = &holdings[i]
	}
	if len(v.Lines) != len(holdings) {
		return nil, regie.Errorf(regie.EInvalid, "Chaque poste de la régie doit être vérifié (%d postes, %d lignes).", len(holdings), len(v.Lines))
	}
	for i := range v.Lines {
		l := &v.Lines[i]
		h := byCode[l.Counter]
		if h == nil {
			return nil, regie.Errorf(regie.EInvalid, "Le poste %s n'est pas un guichet de la régie %s.", l.Counter, v.Regie)
		}
		if seq, ok := asOf[l.Counter]; !ok || seq != h.Holding.Seq {
			return nil, regie.Errorf(regie.EConflict, "Le poste %s a enregistré des opérations depuis l'affichage des montants attendus : vérifiez les nouveaux montants et validez de nouveau.", l.Counter)
		}
		l.AsOfSeq = h.Holding.Seq
		l.ExpectedCash = h.Holding.Cash
		l.ExpectedChecks = regie.ChecksTotal(h.Holding.Checks)
		l.ExpectedCount = len(h.Holding.Checks)
	}
	v.Compute()
	c, err := t.ServerCounter(v.Regie, CounterBackOffice, now)
	if err != nil {
		return nil, err
	}
	v.Counter, v.At = c.Code, regie.JournalTime(now)
	if err := v.Validate(); err != nil {
		return nil, err
	}
	return t.AppendServerEntry(c, regie.KindVerification, v.ID, v.Agent, v.At, v)
}

// VerificationRow is a recorded procès-verbal with its journal entry.
type VerificationRow struct {
	Regie        string
	Seq          int64
	Hash         string
	Verification regie.CashVerification
}

// Verifications lists the procès-verbaux of the régies, latest first.
func (t *Tx) Verifications(regies []string) ([]VerificationRow, error) {
	return t.verifications(regies, `1 = 1`)
}

// VerificationByID is one procès-verbal; nil when unknown or outside regies.
func (t *Tx) VerificationByID(regies []string, id string) (*VerificationRow, error) {
	rs, err := t.verifications(regies, `j.id = ?`, id)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return &rs[0], nil
}

func (t *Tx) verifications(regies []string, where string, args ...any) ([]VerificationRow, error) {
	cond, scope, ok := regieScope("c.regie", regies)
	if !ok {
		return nil, nil
	}
	rows, err := t.query(`SELECT c.regie, j.seq, j.hash, j.data FROM journal j JOIN counters c ON c.id = j.counter_id
		WHERE j.kind = 'cash_verification' AND c.kind = 'backoffice' AND `+cond+` AND `+where+`
		ORDER BY j.at DESC, c.regie`, append(scope, args...)...)
	if err != nil {
		return nil, wrap("verifications", err)
	}
	defer rows.Close()
	var out []VerificationRow
	for rows.Next() {
		var r VerificationRow
		var data string
		if err := rows.Scan(&r.Regie, &r.Seq, &r.Hash, &data); err != nil {
			return nil, wrap("verifications", err)
		}
		if err := json.Unmarshal([]byte(data), &r.Verification); err != nil {
			return nil, fmt.Errorf("store: verification %d of %s: %w", r.Seq, r.Regie, err)
		}
		out = append(out, r)
	}
	return out, wrap("verifications", rows.Err())
}
