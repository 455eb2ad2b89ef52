package app

import (
	"context"
	"fmt"

	"github.com/regie-fr/regie"
)

// SyncPoint is where this counter stands with the central server, as the
// sync loop needs it to resume after a restart.
type SyncPoint struct {
	Server     string // the server's base URL, empty before enrolment
	Credential string // the counter's credential, empty before enrolment
	Acked      int64  // the last journal entry the server acknowledged
	Last       int64  // the last journal entry recorded here
	Cursor     string // the pull cursor, empty before the first pull
}

// Enrolled tells whether the counter has a server and a credential.
func (p SyncPoint) Enrolled() bool { return p.Server != "" && p.Credential != "" }

// Pending is the number of entries recorded here that the server has not
// acknowledged yet.
func (p SyncPoint) Pending() int { return int(max(p.Last-p.Acked, 0)) }

// SyncPoint reads the counter's sync bookkeeping and the head of its
// journal in one read.
func (c *Counter) SyncPoint(ctx context.Context) (p SyncPoint, err error) {
	err = c.view(ctx, "sync point", func(tx Tx) error {
		if p.Server, p.Credential, err = tx.Enrolment(); err != nil {
			return err
		}
		if p.Acked, p.Cursor, err = tx.SyncState(); err != nil {
			return err
		}
		last, err := tx.LastEntry()
		if last != nil {
			p.Last = last.Seq
		}
		return err
	})
	return p, err
}

// JournalSince lists at most limit journal entries after afterSeq, in
// order: the next batch to push.
func (c *Counter) JournalSince(ctx context.Context, afterSeq int64, limit int) (es []regie.Entry, err error) {
	if limit <= 0 {
		return nil, nil
	}
	err = c.view(ctx, "journal since", func(tx Tx) error {
		es, err = tx.Entries(afterSeq+1, afterSeq+int64(limit))
		return err
	})
	return es, err
}

// Acknowledge records that the server holds the journal up to seq. A seq
// beyond this counter's last entry means the server holds entries this file
// does not (a file restored from an old copy): it is refused, since new
// entries would then collide with the server's.
func (c *Counter) Acknowledge(ctx context.Context, seq int64) error {
	err := c.store.Update(ctx, func(tx Tx) error {
		last, err := tx.LastEntry()
		if err != nil {
			return err
		}
		if last == nil && seq > 0 || last != nil && seq > last.Seq {
			return regie.Errorf(regie.EConflict, "Le serveur a reçu %d entrées de ce poste, plus que ce fichier de caisse n'en contient : ce fichier a-t-il été restauré d'une sauvegarde ? Prévenez l'administrateur.", seq)
		}
		return tx.SetAcked(seq)
	})
	if err != nil {
		return fmt.Errorf("app: acknowledge: %w", err)
	}
	return nil
}

// SaveEnrolment records the server's address and the credential it gave
// this counter in exchange for its enrolment code.
func (c *Counter) SaveEnrolment(ctx context.Context, server, credential string) error {
	if err := c.store.Update(ctx, func(tx Tx) error { return tx.SaveEnrolment(server, credential) }); err != nil {
		return fmt.Errorf("app: save enrolment: %w", err)
	}
	return nil
}

// Pull is one page of reference data from the server. Settings, Counter and
// Agents come together, only when one of them changed; Reference.AsOfSeq is
// the last entry of this counter the server had applied to the invoices'
// remaining amounts. Cursor is what to ask from next time.
type Pull struct {
	Counter   *regie.Counter
	Settings  *regie.Regie
	Agents    []regie.Agent
	Reference Reference
	Cursor    string
}

// ApplyPull stores a page of reference data: the settings and agents
// through Configure (journaled), then the households, invoices and tariffs
// with the new cursor in one transaction, so the cursor never runs ahead
// of what is stored. (LoadReference does the same work row by row; a first
// pull of a large city needs the statements prepared once per page, which
// Tx.SaveReference does.) A crash between the two steps only means the page
// is asked for again.
func (c *Counter) ApplyPull(ctx context.Context, p Pull) error {
	if p.Settings != nil {
		if p.Counter == nil {
			return fmt.Errorf("app: apply pull: settings without the counter's identity")
		}
		if err := c.Configure(ctx, *p.Counter, *p.Settings, p.Agents); err != nil {
			return err
		}
	}
	ref := p.Reference
	err := c.store.Update(ctx, func(tx Tx) error {
		if err := tx.SaveReference(ref.Households, ref.Invoices, ref.Items, ref.AsOfSeq); err != nil {
			return err
		}
		return tx.SetCursor(p.Cursor)
	})
	if err != nil {
		return fmt.Errorf("app: apply pull: %w", err)
	}
	return nil
}
