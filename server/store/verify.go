package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
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
}

// Verify re-checks every counter's journal as the server holds it, with the
// same regie.CheckLink the push used: sequence without gaps, each entry
// pointing to the one before, each hash matching its content. It reads
// without relying on the triggers, so it also catches a file edited by hand.
func (s *Store) Verify(ctx context.Context) ([]ChainReport, error) {
	var out []ChainReport
	err := s.View(ctx, func(t *Tx) error {
		counters, err := t.Counters()
		if err != nil {
			return err
		}
		for _, c := range counters {
			r, err := t.verifyCounter(&c)
			if err != nil {
				return err
			}
			out = append(out, *r)
		}
		return nil
	})
	return out, err
}

func (t *Tx) verifyCounter(c *Counter) (*ChainReport, error) {
	r := &ChainReport{Regie: c.Regie, Counter: c.Code, LastHash: regie.GenesisHash}
	rows, err := t.query(`SELECT seq, id, kind, at, agent, data, prev_hash, hash FROM journal
		WHERE counter_id = ? ORDER BY seq`, c.ID)
	if err != nil {
		return nil, wrap("verify", err)
	}
	defer rows.Close()
	var prev *regie.Entry
	for rows.Next() {
		e := regie.Entry{Counter: c.Code}
		var kind, at, data string
		if err := rows.Scan(&e.Seq, &e.ID, &kind, &at, &e.Agent, &data, &e.PrevHash, &e.Hash); err != nil {
			return nil, wrap("verify", err)
		}
		e.Kind, e.Data = regie.EntryKind(kind), json.RawMessage(data)
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
	}
	return r, wrap("verify", rows.Err())
}

// String is the report's line in French, for the verify command.
func (r ChainReport) String() string {
	if r.Broken != nil {
		return fmt.Sprintf("%s/%s : ROMPU à l'entrée n° %d (%s) : %s", r.Regie, r.Counter, r.Broken.Seq, r.Broken.ID, r.Broken.Motif)
	}
	return fmt.Sprintf("%s/%s : %d entrée(s), chaîne intacte, dernière empreinte %s", r.Regie, r.Counter, r.Entries, r.LastHash)
}
