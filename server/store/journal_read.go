package store

import (
	"github.com/regie-fr/regie/sync/protocol"
)

// JournalHeads gives a counter's entries after seq after, at most limit of
// them in order, each as its seq, id and hash, and the last seq the
// server holds of that counter: what `regie-caisse verify --server`
// compares its file's chain with.
func (t *Tx) JournalHeads(counterID, after int64, limit int) (*protocol.JournalPage, error) {
	p := &protocol.JournalPage{Entries: []protocol.JournalHead{}}
	if err := t.queryRow(`SELECT coalesce(max(seq), 0) FROM journal WHERE counter_id = ?`, counterID).Scan(&p.LastSeq); err != nil {
		return nil, wrap("journal heads", err)
	}
	rows, err := t.query(`SELECT seq, id, hash FROM journal WHERE counter_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
		counterID, after, limit)
	if err != nil {
		return nil, wrap("journal heads", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h protocol.JournalHead
		if err := rows.Scan(&h.Seq, &h.ID, &h.Hash); err != nil {
			return nil, wrap("journal heads", err)
		}
		p.Entries = append(p.Entries, h)
	}
	return p, wrap("journal heads", rows.Err())
}
