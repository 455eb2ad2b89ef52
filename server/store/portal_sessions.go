package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/regie-fr/regie/server/auth"
)

// PortalSessions keeps the citizen portal's sessions in the database, so
// that every server instance sees the same ones (architecture rule 11).
// It is given hashes of the cookies' tokens only (auth.SessionHash).
type PortalSessions struct{ s *Store }

var _ auth.SessionStore = (*PortalSessions)(nil)

// PortalSessions gives the portal's session store on this database.
func (s *Store) PortalSessions() *PortalSessions { return &PortalSessions{s: s} }

// LoadSession reads a session by its hash; nil when there is none.
func (ps *PortalSessions) LoadSession(ctx context.Context, hash string) (*auth.SessionRecord, error) {
	var rec *auth.SessionRecord
	err := ps.s.View(ctx, func(t *Tx) (err error) {
		rec, err = t.portalSession(hash)
		return err
	})
	return rec, err
}

func (t *Tx) portalSession(hash string) (*auth.SessionRecord, error) {
	var data, created, seen string
	err := t.queryRow(`SELECT data, created_at, seen_at FROM portal_sessions WHERE id_hash = ?`, hash).
		Scan(&data, &created, &seen)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, wrap("read portal session", err)
	}
	return &auth.SessionRecord{Hash: hash, Data: []byte(data), Created: parseDBTime(created), Seen: parseDBTime(seen)}, nil
}

// CreateSession records a new session.
func (ps *PortalSessions) CreateSession(ctx context.Context, rec *auth.SessionRecord) error {
	return ps.s.Update(ctx, func(t *Tx) error {
		return wrap("start portal session", t.exec(`INSERT INTO portal_sessions (id_hash, data, created_at, seen_at)
			VALUES (?, ?, ?, ?)`, rec.Hash, string(rec.Data), dbTime(rec.Created), dbTime(rec.Seen)))
	})
}

// UpdateSession replaces a session's state by what fn makes of it, read
// and written in one write transaction: two instances changing the same
// session one after the other lose neither change.
func (ps *PortalSessions) UpdateSession(ctx context.Context, hash string, fn func([]byte) ([]byte, error)) (bool, error) {
	found := false
	err := ps.s.Update(ctx, func(t *Tx) error {
		rec, err := t.portalSession(hash)
		if err != nil || rec == nil {
			return err
		}
		found = true
		data, err := fn(rec.Data)
		if err != nil {
			return err
		}
		return wrap("update portal session", t.exec(`UPDATE portal_sessions SET data = ? WHERE id_hash = ?`,
			string(data), hash))
	})
	return found, err
}

// TouchSession records that the session was used at seen.
func (ps *PortalSessions) TouchSession(ctx context.Context, hash string, seen time.Time) error {
	return ps.s.Update(ctx, func(t *Tx) error {
		return wrap("touch portal session", t.exec(`UPDATE portal_sessions SET seen_at = ? WHERE id_hash = ?`,
			dbTime(seen), hash))
	})
}

// DeleteSession ends a session.
func (ps *PortalSessions) DeleteSession(ctx context.Context, hash string) error {
	return ps.s.Update(ctx, func(t *Tx) error {
		return wrap("end portal session", t.exec(`DELETE FROM portal_sessions WHERE id_hash = ?`, hash))
	})
}

// SweepSessions deletes the sessions seen before idle or created before
// started.
func (ps *PortalSessions) SweepSessions(ctx context.Context, idle, started time.Time) (int, error) {
	var n int64
	err := ps.s.Update(ctx, func(t *Tx) error {
		var err error
		n, err = t.execCount(`DELETE FROM portal_sessions WHERE seen_at < ? OR created_at < ?`, dbTime(idle), dbTime(started))
		return err
	})
	return int(n), wrap("sweep portal sessions", err)
}
