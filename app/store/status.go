package store

// LastSync is when the server last answered a push or a pull (UTC, RFC
// 3339), "" before the first time.
func (t *Tx) LastSync() (string, error) {
	var at string
	err := t.queryRow(`SELECT last_sync FROM sync_state WHERE id = 1`).Scan(&at)
	return at, wrap("last sync", err)
}

// Verified is the last journal entry the counter's start check proved,
// and when (UTC, RFC 3339); 0 and "" before the first check.
func (t *Tx) Verified() (seq int64, at string, err error) {
	err = t.queryRow(`SELECT seq, at FROM verified WHERE id = 1`).Scan(&seq, &at)
	return seq, at, wrap("verified", err)
}
