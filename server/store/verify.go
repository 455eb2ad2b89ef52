package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// ChainReport is what verify found in one counter's journal on the server.
type ChainReport struct {
	Regie    string
	Counter  string
	Entries  int64
	LastHash string
	Broken   *regie.ChainError // nil when the chain holds
	// Problems are the entries that break a domain rule, and the rows of
	// the tables that differ from what the journal says.
	Problems []Problem
}

// Problem is one rule broken by a stored entry, or one row that the
// journal does not account for.
type Problem struct {
	Seq     int64  // the entry, 0 for a row of a table
	Code    string // the rule's regie.ErrorCode, or "projection"
	Message string // French
}

// OK tells whether the counter's journal and what derives from it hold.
func (r ChainReport) OK() bool { return r.Broken == nil && len(r.Problems) == 0 }

// maxProblems bounds a counter's report: after the first few, the rest is
// usually their consequence.
const maxProblems = 50

func (r *ChainReport) add(p Problem) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, p)
	}
}

// Verify re-checks every counter's journal as the server holds it, with the
// same regie.CheckLink the push used (sequence without gaps, each entry
// pointing to the one before, each hash matching its content), replays it
// through the same domain rules (regie.JournalRules, against the régie's
// settings and the reference data, each entry's clock being the instant
// the server received it), and rebuilds the payments, allocations,
// cancellations and amounts paid on invoices from the journals to compare
// them with the tables. It reads without relying on the triggers, so it
// also catches a file edited by hand.
func (s *Store) Verify(ctx context.Context) ([]ChainReport, error) {
	var out []ChainReport
	err := s.View(ctx, func(t *Tx) (err error) {
		out, err = t.verifyChains()
		return err
	})
	return out, err
}

// verifyChains is Verify within a transaction the caller holds: copy.go
// checks a source and its copy each in the snapshot it copied.
func (t *Tx) verifyChains() ([]ChainReport, error) {
	counters, err := t.Counters()
	if err != nil {
		return nil, err
	}
	var out []ChainReport
	rb := newRebuild()
	for _, c := range counters {
		r, err := t.verifyCounter(&c, rb)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	extra, err := t.compareProjections(rb, out)
	return append(out, extra...), err
}

func (t *Tx) verifyCounter(c *Counter, rb *rebuild) (*ChainReport, error) {
	r := &ChainReport{Regie: c.Regie, Counter: c.Code, LastHash: regie.GenesisHash}
	state := regie.NewJournalState(nil)
	rules, err := t.rulesFor(c, state, DefaultClockTolerance)
	if err != nil {
		return nil, err
	}
	rows, err := t.query(`SELECT seq, id, kind, at, agent, data, prev_hash, hash, received_at FROM journal
		WHERE counter_id = ? ORDER BY seq`, c.ID)
	if err != nil {
		return nil, wrap("verify", err)
	}
	defer rows.Close()
	var prev *regie.Entry
	for rows.Next() {
		e := regie.Entry{Counter: c.Code}
		var kind, at, data, received string
		if err := rows.Scan(&e.Seq, &e.ID, &kind, &at, &e.Agent, &data, &e.PrevHash, &e.Hash, &received); err != nil {
			return nil, wrap("verify", err)
		}
		e.Kind, e.Data = regie.EntryKind(kind), []byte(data)
		if e.At, err = time.Parse(regie.TimeFormat, at); err != nil {
			r.Broken = &regie.ChainError{Seq: e.Seq, ID: e.ID, Reason: "unreadable time " + at, Motif: "date illisible"}
			return r, nil
		}
		if err := regie.CheckLink(prev, &e); err != nil {
			var ce *regie.ChainError
			if !errors.As(err, &ce) {
				return nil, err
			}
			r.Broken = ce
			return r, nil
		}
		r.Entries, r.LastHash = e.Seq, e.Hash
		prev = &e
		if err := r.replay(rules, state, c, &e, received, rb); err != nil {
			return nil, err
		}
	}
	return r, wrap("verify", rows.Err())
}

// replay checks one entry with the rules and records it, even when it
// breaks one, so that one bad entry is reported once rather than through
// everything after it.
func (r *ChainReport) replay(rules *regie.JournalRules, state *regie.JournalState, c *Counter, e *regie.Entry, received string, rb *rebuild) error {
	now, _ := time.Parse(regie.TimeFormat, received)
	obj, err := regie.DecodeEntry(e)
	if err == nil {
		err = rules.CheckObject(e, obj, now)
	}
	var re *regie.Error
	if errors.As(err, &re) {
		r.add(Problem{Seq: e.Seq, Code: string(re.Code), Message: re.Message})
	} else if err != nil {
		return err
	}
	if obj != nil {
		state.Apply(e, obj)
		rb.add(c, e, obj)
	}
	return nil
}

// String is the report in French, for the verify command: one line, and
// one more per problem.
func (r ChainReport) String() string {
	var b strings.Builder
	switch {
	case r.Broken != nil:
		fmt.Fprintf(&b, "%s/%s : ROMPU à l'entrée n° %d (%s) : %s", r.Regie, r.Counter, r.Broken.Seq, r.Broken.ID, r.Broken.Motif)
	case len(r.Problems) > 0:
		fmt.Fprintf(&b, "%s/%s : %d entrée(s), chaîne intacte mais %d anomalie(s) :", r.Regie, r.Counter, r.Entries, len(r.Problems))
	default:
		fmt.Fprintf(&b, "%s/%s : %d entrée(s), chaîne intacte, dernière empreinte %s", r.Regie, r.Counter, r.Entries, r.LastHash)
	}
	for _, p := range r.Problems {
		if p.Seq > 0 {
			fmt.Fprintf(&b, "\n  entrée n° %d [%s] : %s", p.Seq, p.Code, p.Message)
		} else {
			fmt.Fprintf(&b, "\n  [%s] %s", p.Code, p.Message)
		}
	}
	return b.String()
}
