package store

import (
	"context"
	"fmt"
)

// ServerHead is one entry of the server's copy of the journal.
type ServerHead struct {
	Seq      int64
	ID, Hash string
}

// ServerCopy reads a page of the server's copy of this counter's journal,
// the entries after seq after, with the last seq the server holds. server
// and credential are the file's own (sync_state); the caller may use
// another address.
type ServerCopy func(ctx context.Context, server, credential string, after int64) (heads []ServerHead, last int64, err error)

// serverCopy compares the file's chain with the server's copy, page by
// page, and names the first place they part: an entry the server holds
// otherwise, or entries the server holds that the file lacks (a file cut
// short or restored from an old copy). Entries the file has beyond the
// server's are the ones not yet pushed: not a problem.
func (k *check) serverCopy(read ServerCopy) error {
	server, credential, err := k.src.Enrolment()
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	rows, err := k.src.tx.QueryContext(k.ctx, `SELECT seq, id, hash FROM journal ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify: read journal: %w", err)
	}
	defer rows.Close()
	var after int64
	for {
		heads, last, err := read(k.ctx, server, credential, after)
		if err != nil {
			return err
		}
		for _, h := range heads {
			var mine ServerHead
			if !rows.Next() {
				k.r.add(Problem{Motif: fmt.Sprintf("le serveur détient %d entrées de ce poste, le fichier s'arrête à l'entrée n° %d : "+
					"fichier tronqué ou restauré d'une ancienne copie", last, after)})
				return rows.Err()
			}
			if err := rows.Scan(&mine.Seq, &mine.ID, &mine.Hash); err != nil {
				return fmt.Errorf("verify: read journal: %w", err)
			}
			if mine != h {
				kind, _ := k.entryAt(mine.Seq)
				k.r.add(Problem{Seq: mine.Seq, ID: mine.ID, Kind: kind, Motif: fmt.Sprintf(
					"première divergence avec le serveur : le serveur a l'entrée n° %d (%s, empreinte %s), le fichier l'entrée n° %d (%s, empreinte %s)",
					h.Seq, h.ID, h.Hash, mine.Seq, mine.ID, mine.Hash)})
				return nil
			}
			after = h.Seq
		}
		if len(heads) == 0 || after >= last {
			if after < last {
				k.r.add(Problem{Motif: fmt.Sprintf("le serveur annonce %d entrées mais n'en a donné que %d", last, after)})
			}
			return nil
		}
	}
}
