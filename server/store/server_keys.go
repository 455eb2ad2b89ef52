package store

import (
	"crypto/rand"
	"time"
)

// Key gives the server key with the name, of size random bytes, drawing it
// from crypto/rand the first time any instance asks: every instance that
// shares the database then shares the key (architecture rule 11).
func (t *Tx) Key(name string, size int) ([]byte, error) {
	k := make([]byte, size)
	rand.Read(k)
	if err := t.exec(`INSERT INTO server_keys (name, key, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		name, k, dbTime(time.Now())); err != nil {
		return nil, wrap("key "+name, err)
	}
	var out []byte
	if err := t.queryRow(`SELECT key FROM server_keys WHERE name = ?`, name).Scan(&out); err != nil {
		return nil, wrap("key "+name, err)
	}
	return out, nil
}
