package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/regie-fr/regie"
)

// CheckAtStart is what the counter verifies of its own file before it
// opens the till, in a fraction of a full verify: the schema as shipped,
// the bookkeeping against the journal, the entry it verified last still
// the same, and — rebuilt with Append and compared row by row, and held
// to the rules of meaning (regie.JournalRules, over the file's tables
// for what came before) — every entry since then and the whole of the
// open day.
// Each journal table's row count must also be what it was plus what the
// new entries added. When the file passes, the journal's head becomes the
// last verified entry. loc is the régie's time zone the counter runs in.
func (s *Store) CheckAtStart(ctx context.Context, loc *time.Location) (*Report, error) {
	var r *Report
	var counts map[string]int64
	var state string
	err := s.View(ctx, func(t *Tx) error {
		fresh, err := openMemory(ctx, 0, false)
		if err != nil {
			return fmt.Errorf("store: start check: %w", err)
		}
		defer fresh.Close()
		k, err := newCheck(ctx, t.tx, fresh, loc)
		if err != nil {
			return err
		}
		r = k.r
		done, err := lastVerified(t)
		if err != nil {
			return err
		}
		from, prev, err := k.tailStart(done)
		if err != nil {
			return err
		}
		if done.seq > 0 {
			if err := k.seedState(done); err != nil {
				return err
			}
		}
		// The entries before from answer from the file's tables, which
		// the last start verified (and counts checks still hold).
		k.v = newVerifier(k, nil)
		if from > 1 {
			k.v = newVerifier(k, t.HistoryBefore(from))
			if err := k.v.seedSettings(from, done.state[settingsKey]); err != nil {
				return err
			}
		}
		if err := k.run(from, prev); err != nil {
			return err
		}
		if counts, err = k.counts(done); err != nil {
			return err
		}
		state, err = k.snapshot()
		return err
	})
	if err != nil {
		return nil, err
	}
	if !r.OK() || r.LastSeq == 0 {
		return r, nil
	}
	blob, err := json.Marshal(counts)
	if err != nil {
		return nil, fmt.Errorf("store: start check: %w", err)
	}
	err = s.Update(ctx, func(t *Tx) error {
		return t.exec(`UPDATE verified SET seq = ?, hash = ?, counts = ?, state = ?, at = `+nowUTC+` WHERE id = 1`,
			r.LastSeq, r.LastHash, string(blob), state)
	})
	return r, err
}

// openDay is the seq of the opening of the till when it is still open, 0
// when the last session was closed (or none opened). It reads the journal
// backwards from its head, so it costs the open day's entries only.
func (k *check) openDay() (int64, error) {
	rows, err := k.src.tx.QueryContext(k.ctx, `SELECT seq, kind FROM journal ORDER BY seq DESC`)
	if err != nil {
		return 0, fmt.Errorf("store: start check: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var kind string
		if err := rows.Scan(&seq, &kind); err != nil {
			return 0, fmt.Errorf("store: start check: %w", err)
		}
		switch regie.EntryKind(kind) {
		case regie.KindSessionOpen:
			return seq, nil
		case regie.KindClosing:
			return 0, nil
		}
	}
	return 0, rows.Err()
}

// verifiedState is what the last start proved.
type verifiedState struct {
	seq    int64
	hash   string
	counts map[string]int64
	state  map[string]json.RawMessage // rows of each state table, as JSON arrays
}

func lastVerified(t *Tx) (verifiedState, error) {
	var v verifiedState
	var counts, state string
	err := t.queryRow(`SELECT seq, hash, counts, state FROM verified WHERE id = 1`).Scan(&v.seq, &v.hash, &counts, &state)
	if err != nil {
		return v, fmt.Errorf("store: last verified: %w", err)
	}
	if err := json.Unmarshal([]byte(state), &v.state); err != nil {
		return v, fmt.Errorf("store: last verified: %w", err)
	}
	return v, json.Unmarshal([]byte(counts), &v.counts)
}

// tailStart is the first entry to replay: the one after the last
// verified, or the opening of the till when it is still open and came
// before, so that the open day is rebuilt whole. It checks that the last verified entry
// is still there, unchanged.
func (k *check) tailStart(done verifiedState) (int64, *regie.Entry, error) {
	from := done.seq + 1
	if done.seq > 0 {
		var hash string
		err := k.src.queryRow(`SELECT hash FROM journal WHERE seq = ?`, done.seq).Scan(&hash)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			k.r.add(Problem{Motif: fmt.Sprintf("l'entrée n° %d, vérifiée au dernier démarrage, a disparu du journal", done.seq)})
		case err != nil:
			return 0, nil, fmt.Errorf("store: start check: %w", err)
		case hash != done.hash:
			k.r.add(Problem{Seq: done.seq, Motif: "cette entrée, vérifiée au dernier démarrage, a changé d'empreinte : le journal a été réécrit"})
		}
	}
	if open, err := k.openDay(); err != nil {
		return 0, nil, err
	} else if open > 0 && open < from {
		from = open
	}
	if from <= 1 {
		return 1, nil, nil
	}
	prev, err := scanEntry(k.src.queryRow(`SELECT `+entryCols+` FROM journal WHERE seq = ?`, from-1))
	if errors.Is(err, sql.ErrNoRows) {
		return from, nil, nil // CheckLink then names the gap
	} else if err != nil {
		return 0, nil, fmt.Errorf("store: start check: %w", err)
	}
	return from, prev, nil
}

// counts checks each journal table's row count against the one recorded
// at the last start plus the rows the entries since then made, and
// returns today's counts. A state table is compared whole instead.
func (k *check) counts(done verifiedState) (map[string]int64, error) {
	ts, err := journalTables(k.fresh.db)
	if err != nil {
		return nil, fmt.Errorf("store: start check: %w", err)
	}
	now := map[string]int64{}
	for _, t := range ts {
		if k.full[t.name] {
			continue
		}
		var have, added int64
		if err := k.src.queryRow(`SELECT count(*) FROM ` + quote(t.name)).Scan(&have); err != nil {
			return nil, fmt.Errorf("store: start check: count %s: %w", t.name, err)
		}
		q := fmt.Sprintf(`SELECT count(*) FROM %s t WHERE %s > %d`, quote(t.name), t.owner, done.seq)
		if err := k.fresh.db.QueryRowContext(k.ctx, q).Scan(&added); err != nil {
			return nil, fmt.Errorf("store: start check: count %s: %w", t.name, err)
		}
		if before, ok := done.counts[t.name]; ok && done.seq > 0 && have != before+added {
			k.r.add(Problem{Table: t.name, Motif: fmt.Sprintf(
				"la table %s a %d lignes ; %d au dernier démarrage et %d enregistrées depuis : des lignes ont été ajoutées ou supprimées hors du journal",
				t.name, have, before, added)})
		}
		now[t.name] = have
	}
	return now, nil
}

// VerifyAtStart is CheckAtStart as the counter's app.FileCheck: nil when
// the file holds, else the French refusal the counter shows.
func (s *Store) VerifyAtStart(ctx context.Context, loc *time.Location) error {
	r, err := s.CheckAtStart(ctx, loc)
	if err != nil {
		return err
	}
	if !r.OK() {
		return fileError(r)
	}
	return nil
}

// fileError is the French refusal a counter shows when its file fails the
// start check: the agent cannot fix it and must not work around it.
func fileError(r *Report) error {
	first := strings.TrimSuffix(r.Problems[0].String(), ".")
	return regie.Errorf(regie.EFileAltered,
		"Le fichier de caisse ne correspond plus à son journal (%s). La caisse ne peut pas être ouverte : appelez le régisseur.", first)
}
