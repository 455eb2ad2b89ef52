package store

import (
	"context"
	"time"
)

// PublikNonces keeps the nonces of signed URLs (auth.NonceStore) in the
// database, so that every server instance refuses a nonce another one
// served.
type PublikNonces struct{ s *Store }

// PublikNonces gives the signed URLs' nonce store on this store.
func (s *Store) PublikNonces() *PublikNonces { return &PublikNonces{s: s} }

// UseNonce records nonce for orig until expires, in one write transaction
// that first sweeps the nonces expired at now; it tells whether the nonce
// was fresh. The primary key decides between two instances racing with
// the same nonce: SQLite has one writer, so one of them inserts and the
// other sees the row.
func (n *PublikNonces) UseNonce(ctx context.Context, orig, nonce string, expires, now time.Time) (bool, error) {
	fresh := false
	err := n.s.Update(ctx, func(t *Tx) error {
		if err := t.exec(`DELETE FROM publik_nonces WHERE expires_at < ?`, dbTime(now)); err != nil {
			return err
		}
		k, err := t.execCount(`INSERT INTO publik_nonces (orig, nonce, expires_at) VALUES (?, ?, ?)
			ON CONFLICT (orig, nonce) DO NOTHING`, orig, nonce, dbTime(expires))
		fresh = k == 1
		return err
	})
	return fresh, wrap("publik nonce", err)
}
