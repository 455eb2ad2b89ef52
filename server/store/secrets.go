package store

import (
	"crypto/rand"
)

// Secret gives the server's secret called name, made from crypto/rand the
// first time it is asked for and kept in the database, so that every
// server instance on this database uses the same one. It must run in an
// Update transaction.
func (t *Tx) Secret(name string) ([]byte, error) {
	var v []byte
	err := t.queryRow(`SELECT value FROM server_secrets WHERE name = ?`, name).Scan(&v)
	if err == nil {
		return v, nil
	} else if !isNoRows(err) {
		return nil, wrap("secret", err)
	}
	v = make([]byte, 32)
	rand.Read(v) // never fails (crypto/rand panics rather than return short)
	if err := t.exec(`INSERT INTO server_secrets (name, value) VALUES (?, ?)`, name, v); err != nil {
		return nil, wrap("secret", err)
	}
	return v, nil
}
